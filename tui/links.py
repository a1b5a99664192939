"""Where an entry's documentation is on the web, and opening it in the reader's browser."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from glossary.schema import Entry

CONSOLE_BROWSERS = frozenset({"www-browser", "links", "elinks", "lynx", "w3m"})
"""Browsers that run in the terminal itself: started under the app, they would fight it for
the screen and the keys, so the link is offered to copy instead."""


def docs_link(entry: Entry) -> str | None:
    """The entry's documentation page: its first source with a PyTorch documentation URL,
    else its first source with any URL, else (for an API) the page the reference layer
    names for it; ``None`` when there is none."""
    urls = [source.url for source in entry.sources if source.url]
    docs = [url for url in urls if "pytorch.org/docs" in url]
    if docs or urls:
        return (docs or urls)[0]
    if entry.api:
        from glossary.reference.entry import docs_url

        return docs_url(entry.api, entry.api.rpartition(".")[0])
    return None


def open_in_browser(url: str) -> bool:
    """Open ``url`` in the web browser (call from a worker: a browser may take a moment to
    start); ``False`` when there is no graphical browser to open it in."""
    import webbrowser

    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return False
    if browser.name in CONSOLE_BROWSERS:
        return False
    try:
        return browser.open(url)
    except (OSError, webbrowser.Error):
        return False
