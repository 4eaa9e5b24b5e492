"""The kinds of value the data reader returns, and its limits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, NoReturn

__all__ = ["MAX_DEPTH", "MAX_DIGITS", "DataFormat", "Fail", "Located", "LocatedDict", "LocatedList"]

DataFormat = Literal["yaml", "json", "toml"]

#: Deepest nesting of lists and mappings accepted: settings files use three or four levels, a
#: ComfyUI workflow graph about ten.
MAX_DEPTH = 100
#: Longest number accepted, in characters: Python's own limit on converting text to an integer.
MAX_DIGITS = 4300

#: Raises the caller's error: ``fail(message, line=None, column=None)``.
Fail = Callable[..., NoReturn]


class Located(str):
    """A string value that remembers where its literal sits in the text: ``start`` and ``end``
    offsets (quotes included), 1-based ``line`` and ``column``, and the YAML ``style`` it was
    written in (``None`` plain, ``'`` ``"`` ``|`` ``>``; JSON strings are ``"``).

    >>> from animagine_prompt._datafiles import load_data
    >>> value = load_data('- a\\n- "b"\\n', "yaml", located=True)[1]
    >>> value, value.line, value.style, (value.start, value.end)
    ('b', 2, '"', (6, 9))
    """

    start: int
    end: int
    line: int
    column: int
    style: str | None


class LocatedDict(dict[Any, Any]):
    """A mapping with the 1-based ``line`` it starts on and ``lines``: the line of each key."""

    line: int
    lines: dict[Any, int]


class LocatedList(list[Any]):
    """A list with the 1-based ``line`` it starts on and ``lines``: the line of each item."""

    line: int
    lines: list[int]
