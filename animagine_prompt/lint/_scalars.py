"""Strings inside YAML and JSON files: where each character of a value sits in the file, and how
a changed value is written back in the style it was written in.

A value read from a file is not always its file text: JSON and double-quoted YAML have escapes,
YAML folds line breaks in quoted and plain strings, and block scalars (``|``, ``>``) drop their
indentation. :func:`segments` lines the value up with the file, run by run, so a finding at any
offset of a multi-line prompt points at its own line and column.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from functools import lru_cache

__all__ = ["LineIndex", "Segment", "block_literal", "line_bounds", "line_starts", "segments"]

#: ``(offset in the value, line, column)``: from that offset on, value characters follow file columns one for one.
Segment = tuple[int, int, int]

_ESCAPES = {
    '"': re.compile(r"\\(?:u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|U[0-9a-fA-F]{8}|.)"),  # YAML and JSON double quotes
    "'": re.compile("''"),
}
# how far past the previous run the next run may start: a fold or an escape gives a few characters
_GAP = 8


@lru_cache(maxsize=16)
def line_starts(text: str) -> tuple[int, ...]:
    """The offset where each line of ``text`` starts, computed once per text (findings of one
    prompt share it: counting line breaks again for each would be quadratic on long prompts).

    >>> line_starts("ab\\ncd\\n")
    (0, 3, 6)
    """
    return (0, *(m.end() for m in re.finditer("\n", text)))


def line_bounds(text: str, offset: int) -> tuple[int, int]:
    """Start and end (before its line break) of the line of ``text`` that holds ``offset``.

    >>> line_bounds("ab\\ncd", 4)
    (3, 5)
    """
    starts = line_starts(text)
    index = bisect.bisect_right(starts, offset) - 1
    end = starts[index + 1] - 1 if index + 1 < len(starts) else len(text)
    return starts[index], end


class LineIndex:
    """1-based line and column of character offsets in a text (built once per file).

    >>> LineIndex("ab\\ncd").at(4)
    (2, 2)
    """

    def __init__(self, text: str) -> None:
        self.starts = line_starts(text)

    def at(self, offset: int) -> tuple[int, int]:
        """The (line, column) of ``offset``."""
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def segments(text: str, start: int, end: int, value: str, style: str | None, lines: LineIndex) -> tuple[Segment, ...]:
    """Where ``value``, read from ``text[start:end]`` (quotes and block header included), sits.

    Each piece of file text between line breaks, indentation and escapes is found in the value a
    little after the previous one; a piece that cannot be found ends the map (later offsets then
    count on from the last piece found).

    >>> text = 'k: |-\\n  a, b\\n  c,, d\\n'
    >>> segments(text, 3, len(text), "a, b\\nc,, d", "|", LineIndex(text))
    ((0, 2, 3), (5, 3, 3))
    >>> text = '["a\\\\nb"]'
    >>> segments(text, 1, 7, "a\\nb", '"', LineIndex(text))
    ((0, 1, 3), (2, 1, 6))
    """
    if style in ("'", '"'):
        start, end = start + 1, end - 1
    elif style in ("|", ">"):
        header_end = text.find("\n", start, end)
        if header_end < 0:
            return ()
        start = header_end + 1
    escapes = _ESCAPES.get(style or "")
    found: list[Segment] = []
    position = 0
    offset = start
    for raw in text[start:end].split("\n"):
        line_start, offset = offset, offset + len(raw) + 1
        piece = raw.rstrip("\r")
        indent = len(piece) - len(piece.lstrip(" \t"))
        runs = _runs(piece, indent, escapes)
        for run_start, run in runs:
            at = _find(value, run, position)
            if at < 0:
                return tuple(found)
            line, column = lines.at(line_start + run_start)
            if not found or found[-1][1] != line or found[-1][0] + column - found[-1][2] != at:
                found.append((at, line, column))  # else the run goes on from the last segment
            position = at + len(run)
    return tuple(found)


def _runs(piece: str, indent: int, escapes: re.Pattern[str] | None) -> Sequence[tuple[int, str]]:
    """The runs of literal text in one file line: ``(column offset in the line, text)``."""
    runs: list[tuple[int, str]] = []
    at = indent
    for match in escapes.finditer(piece, indent) if escapes is not None else ():
        if match.start() > at:
            runs.append((at, piece[at : match.start()]))
        at = match.end()
    if at < len(piece):
        runs.append((at, piece[at:]))
    return runs


def _find(value: str, run: str, position: int) -> int:
    for candidate in (run, run.rstrip(" \t")):  # folding drops the spaces that end a line
        if not candidate:
            return position
        at = value.find(candidate, position, position + len(candidate) + _GAP)
        if at >= 0:
            return at
    return -1


def block_literal(value: str, indent: int, newline: str = "\n", *, folded: bool = False) -> str | None:
    """``value`` as a YAML block scalar, header included, its lines indented by ``indent``
    spaces: literal (``|``), or folded (``>``, each line break of the value written as a blank
    line); ``None`` when such a block cannot hold it (control characters; for a folded block, a
    line that starts with a space or a tab). The text after it must start on a new line.

    >>> print(block_literal("1girl,\\nsmile", 2))
    |-
      1girl,
      smile
    >>> print(block_literal("1girl, smile\\n", 2, folded=True))
    >
      1girl, smile
    """
    if not value or not all(line.isprintable() for line in value.split("\n")):
        return None
    body = value.rstrip("\n")
    lines = body.split("\n")
    if folded and any(line[:1] in (" ", "\t") for line in lines):
        return None  # a more-indented line keeps its line breaks in a folded block
    trailing = len(value) - len(body)
    chomp = "-" if trailing == 0 else "" if trailing == 1 else "+"
    header = (">" if folded else "|") + (str(indent) if body[:1] == " " else "") + chomp
    indented = [(" " * indent + line) if line else "" for line in lines]
    joined = (newline * 2 if folded else newline).join(indented)
    return header + newline + joined + newline * max(trailing - 1, 0)
