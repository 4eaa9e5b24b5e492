"""Where the data folders are: inside the installed package, or at the top of a source checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """The folder ``grammars`` or ``tag_data``, wherever this copy of the package keeps it.

    A wheel carries them inside the package; a source checkout keeps them beside it.

    >>> (data_dir("grammars") / "prompt.lark").is_file()
    True
    """
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"data folder {name!r} is missing from this installation of animagine-prompt")
