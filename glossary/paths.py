"""Where torchgloss keeps its files: bundled data, the user's home, caches.

``TORCHGLOSS_HOME`` moves everything the program writes (models, indexes, query cache) to one
folder, which is what tests and portable installs want. Without it, platformdirs picks the
platform's cache directory.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "torchgloss"


def bundled_data_dir() -> Path:
    """The glossary shipped with the package (inside the wheel, or ``data/`` in a source tree)."""
    here = Path(__file__).resolve().parent
    inside = here / "data"
    if inside.is_dir():
        return inside
    return here.parent / "data"


def make_private_dirs(path: Path) -> None:
    """Create ``path`` and any missing parents owner-only (0700); leave existing ones alone.

    What torchgloss writes (indexes, the query cache, which is the user's search history,
    models) lives in folders only their owner can enter. A folder that is already there keeps
    its mode: it may not be ours to change (a shared ``/tmp``).

    Raises:
        OSError: a folder cannot be created (or a file is in the way).
    """
    missing: list[Path] = []
    current = path
    while not current.is_dir():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, 0o700)  # the umask can only take bits away: 0700 at most
        except FileExistsError:
            if not folder.is_dir():
                raise


def home_dir() -> Path:
    """Root of everything torchgloss writes; created on demand."""
    env = os.environ.get("TORCHGLOSS_HOME")
    if env:
        path = Path(env).expanduser()
    else:
        from platformdirs import user_cache_path

        path = user_cache_path(APP_NAME, appauthor=False)
    return path


def models_dir() -> Path:
    """Converted embedding models, one sub-folder per model and format version.

    ``TORCHGLOSS_MODEL_CACHE`` moves just the models (hundreds of MB, slow to build) while
    everything else stays under the home; tests use it to build the model once per session.
    """
    env = os.environ.get("TORCHGLOSS_MODEL_CACHE")
    if env:
        return Path(env).expanduser()
    return home_dir() / "models"


def indexes_dir() -> Path:
    """Search indexes with their manifests."""
    return home_dir() / "indexes"


def runtime_dir() -> Path:
    """Where the resident server's socket lives (owner-only)."""
    env = os.environ.get("TORCHGLOSS_HOME")
    if env:
        return Path(env).expanduser() / "run"
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg:
        return Path(xdg) / APP_NAME
    return home_dir() / "run"


def user_data_dirs() -> list[Path]:
    """Extra glossary folders named by ``TORCHGLOSS_DATA`` (``os.pathsep``-separated)."""
    raw = os.environ.get("TORCHGLOSS_DATA", "")
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p.strip()]


def config_file() -> Path:
    """The settings file (TOML): ``TORCHGLOSS_CONFIG`` if set, else ``config.toml`` under
    ``TORCHGLOSS_HOME`` when that is set (tests, portable installs), else in the platform's
    config folder (``~/.config/torchgloss/config.toml`` on Linux)."""
    env = os.environ.get("TORCHGLOSS_CONFIG")
    if env:
        return Path(env).expanduser()
    home = os.environ.get("TORCHGLOSS_HOME")
    if home:
        return Path(home).expanduser() / "config.toml"
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "config.toml"


def state_dir() -> Path:
    """What torchgloss remembers for the user (bookmarks, search history): ``state`` under
    ``TORCHGLOSS_HOME`` when set, else the platform's data folder. Kept owner-only."""
    home = os.environ.get("TORCHGLOSS_HOME")
    if home:
        return Path(home).expanduser() / "state"
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)
