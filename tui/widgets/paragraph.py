"""A paragraph of Japanese and/or English that breaks lines the way each language expects."""

from __future__ import annotations

from functools import lru_cache

from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from tui.format import wrap_paragraph


@lru_cache(maxsize=1024)
def wrapped_lines(
    text: str, width: int, hanging: int = 0, by_words: bool = False
) -> tuple[str, ...]:
    """``text`` broken into lines of ``width`` cells. Each of its ``\\n``-separated items
    wraps on its own, its later lines indented by ``hanging`` cells (so the continuation of
    a bulleted item lines up with its text)."""
    lines: list[str] = []
    for item in text.split("\n"):
        first, *rest = wrap_paragraph(item, width, by_words=by_words) or [""]
        lines.append(first)
        if not rest:
            continue
        if hanging <= 0 or width - hanging < 2:
            lines.extend(rest)
            continue
        remainder = item[len(first) :].lstrip() if item.startswith(first) else " ".join(rest)
        pad = " " * hanging
        lines.extend(
            pad + line for line in wrap_paragraph(remainder, width - hanging, by_words=by_words)
        )
    return tuple(lines)


class Paragraph(Widget):
    """Static text wrapped by :func:`~tui.format.wrap_paragraph` instead of at spaces only.

    Its height follows its width, like a ``Static`` with ``height: auto``; its style (colour,
    margins) comes from the stylesheet as for any widget.
    """

    DEFAULT_CSS = """
    Paragraph {
        height: auto;
        text-wrap: nowrap;
    }
    """

    def __init__(
        self,
        text: str,
        *,
        hanging: int = 0,
        by_words: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._text = text
        self.hanging = hanging
        self.by_words = by_words

    @property
    def text(self) -> str:
        """The text shown; setting it lays the paragraph out again."""
        return self._text

    @text.setter
    def text(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.refresh(layout=True)

    def lines(self, width: int) -> tuple[str, ...]:
        """The lines this paragraph shows at ``width`` cells."""
        return wrapped_lines(self.text, width, self.hanging, self.by_words)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """The natural width (longest line unwrapped), at most the container's."""
        natural = max((cell_len(line) for line in self.text.split("\n")), default=0)
        return min(natural, container.width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Content:
        return Content("\n".join(self.lines(self.content_size.width)))
