"""Fixes as text edits with a safety level, and applying them without overlap."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum

__all__ = ["Applicability", "Edit", "Fix", "FixAvailability", "apply_fixes"]


class Applicability(str, Enum):
    """Whether a fix may be applied without asking.

    ``safe`` keeps the prompt's meaning (``--fix``), ``unsafe`` may change it (``--unsafe-fixes``),
    ``display-only`` is shown as a suggestion and never applied.
    """

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"


class FixAvailability(str, Enum):
    """Whether a rule offers fixes: never, for some findings, or for all of them."""

    NONE = "none"
    SOMETIMES = "sometimes"
    ALWAYS = "always"


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` with ``content``: an insertion when the range is empty.

    >>> Edit(2, 4, "XY").apply("abcdef")
    'abXYef'
    >>> Edit.delete(0, 1).apply("abc"), Edit.insert(3, "!").apply("abc")
    ('bc', 'abc!')
    """

    start: int
    end: int
    content: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"edit range ({self.start}, {self.end}) is not an ordered, non-negative range")

    @classmethod
    def delete(cls, start: int, end: int) -> Edit:
        """An edit removing ``text[start:end]``.

        >>> Edit.delete(1, 2)
        Edit(start=1, end=2, content='')
        """
        return cls(start, end, "")

    @classmethod
    def insert(cls, at: int, content: str) -> Edit:
        """An edit inserting ``content`` before position ``at``.

        >>> Edit.insert(0, "x").apply("y")
        'xy'
        """
        return cls(at, at, content)

    def apply(self, text: str) -> str:
        """``text`` with this edit made.

        >>> Edit(0, 1, "A").apply("abc")
        'Abc'
        """
        return text[: self.start] + self.content + text[self.end :]


@dataclass(frozen=True)
class Fix:
    r"""A set of non-overlapping edits that together resolve one finding.

    >>> fix = Fix("escape the brackets", (Edit(7, 7, "\\"), Edit(22, 22, "\\")), Applicability.UNSAFE)
    >>> print(fix.apply("hu tao (genshin impact)"))
    hu tao \(genshin impact\)
    >>> fix.span, fix.replacement("hu tao (genshin impact)")  # the edits touch 7..22, before the ')'
    ((7, 22), '\\(genshin impact\\')
    """

    title: str
    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE
    _sorted: tuple[Edit, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.edits:
            raise ValueError("a fix needs at least one edit")
        ordered = tuple(sorted(self.edits, key=lambda e: (e.start, e.end)))
        for before, after in zip(ordered, ordered[1:], strict=False):
            if after.start < before.end:
                raise ValueError(f"edits {before} and {after} overlap")
        object.__setattr__(self, "_sorted", ordered)

    @property
    def span(self) -> tuple[int, int]:
        """The source range the edits touch, from the first edit's start to the last one's end.

        >>> Fix("t", (Edit(5, 6), Edit(1, 2))).span
        (1, 6)
        """
        return self._sorted[0].start, max(e.end for e in self._sorted)

    def apply(self, text: str) -> str:
        """``text`` with every edit made (offsets refer to the original text).

        >>> Fix("t", (Edit(0, 1, "X"), Edit(2, 3, "Z"))).apply("abc")
        'XbZ'
        """
        for edit in reversed(self._sorted):
            text = edit.apply(text)
        return text

    def replacement(self, text: str) -> str:
        """What ``text[span]`` becomes: the fix shown as one replacement string.

        >>> Fix("t", (Edit(2, 4, ""),)).replacement("a, , b")
        ''
        """
        start, end = self.span
        return self.apply(text)[start : end + len(self.apply(text)) - len(text)]

    def is_applicable(self, unsafe: bool) -> bool:
        """Whether ``--fix`` (``unsafe=False``) or ``--unsafe-fixes`` (``unsafe=True``) applies it.

        >>> Fix("t", (Edit(0, 0, "x"),), Applicability.UNSAFE).is_applicable(unsafe=False)
        False
        """
        if self.applicability is Applicability.SAFE:
            return True
        return unsafe and self.applicability is Applicability.UNSAFE


def apply_fixes(text: str, fixes: Iterable[Fix]) -> tuple[str, int]:
    """Apply the fixes that do not overlap an earlier chosen one; returns the text and how many applied.

    Fixes are taken in source order; one that touches a range already edited waits for the next round
    (the linter runs again on the new text, so nothing is lost).

    >>> apply_fixes("a,,b,,c", [Fix("t", (Edit(1, 2),)), Fix("t", (Edit(1, 2),)), Fix("t", (Edit(4, 5),))])
    ('a,b,c', 2)
    """
    chosen: list[Fix] = []
    taken: list[tuple[int, int]] = []
    for fix in sorted(fixes, key=lambda f: f.span):
        if any(_touches(edit, busy) for edit in fix.edits for busy in taken):
            continue
        chosen.append(fix)
        taken.extend((edit.start, edit.end) for edit in fix.edits)
    edits = sorted((edit for fix in chosen for edit in fix.edits), key=lambda e: (e.start, e.end))
    for edit in reversed(edits):
        text = edit.apply(text)
    return text, len(chosen)


def _touches(edit: Edit, busy: tuple[int, int]) -> bool:
    start, end = busy
    # Two insertions at the same point, or an edit overlapping a range, would make the order matter.
    if edit.start == edit.end or start == end:
        return start <= edit.start <= end or edit.start <= start <= edit.end
    return edit.start < end and start < edit.end
