"""Where presets come from: the bundled folder and the user's folder (no pydantic: cheap to import)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["BUNDLED_DIR", "user_preset_dir"]

#: The presets shipped with the package.
BUNDLED_DIR = Path(__file__).resolve().parent / "data"


def user_preset_dir() -> Path:
    """The user's preset folder: ``$XDG_CONFIG_HOME/animagine-prompt/presets`` or ``~/.config/...``.

    >>> user_preset_dir().parts[-2:]
    ('animagine-prompt', 'presets')
    """
    base = os.environ.get("XDG_CONFIG_HOME") or ""
    root = Path(base) if base.strip() else Path.home() / ".config"
    return root / "animagine-prompt" / "presets"
