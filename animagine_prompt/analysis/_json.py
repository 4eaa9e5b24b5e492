"""What the JSON form needs: offsets in the unit a client counts, and numbers JSON can carry.

Python counts code points, JavaScript (and so CodeMirror) UTF-16 code units; JSON has no
infinity: ``(((…(a)…)))`` nested 5,000 deep weighs 1.1**5000, which overflows to ``inf``.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from typing import Literal

from animagine_prompt.diagnostics import Span

__all__ = ["Offsets", "Units", "finite"]

#: ``codepoints``: Python string indices; ``utf-16``: JavaScript (and CodeMirror) string indices.
Units = Literal["codepoints", "utf-16"]


class Offsets:
    """Converts code point offsets into one text to ``units``.

    A character outside the Basic Multilingual Plane (most emoji) is one code point and two UTF-16
    code units, so every offset after one moves by one in UTF-16.

    >>> to_js = Offsets("🌸 1girl", "utf-16")
    >>> to_js(0), to_js(1), to_js(8), to_js.span((2, 7))
    (0, 2, 9, (3, 8))
    >>> Offsets("🌸 1girl")(1)
    1
    """

    __slots__ = ("_astral",)

    def __init__(self, text: str, units: Units = "codepoints") -> None:
        if units not in ("codepoints", "utf-16"):
            raise ValueError(f"units must be 'codepoints' or 'utf-16', not {units!r}")
        astral: list[int] = []
        if units == "utf-16" and not text.isascii():
            astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        self._astral = astral

    def __call__(self, offset: int) -> int:
        """``offset`` (a code point index) in the chosen units."""
        return offset + bisect_left(self._astral, offset) if self._astral else offset

    def span(self, span: Span) -> Span:
        """Both ends of ``span`` in the chosen units."""
        return self(span[0]), self(span[1])


def finite(value: float | None) -> float | None:
    """``value``, or ``None`` where it is not a finite number (JSON has no infinity or NaN).

    >>> finite(1.2), finite(float("inf")), finite(None)
    (1.2, None, None)
    """
    return value if value is not None and math.isfinite(value) else None
