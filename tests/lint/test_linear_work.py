"""Lint's per-item helpers do work bounded by the item, not by the whole prompt (checked by
counting characters read, not by timing)."""

from __future__ import annotations

from animagine_prompt.lint.rules._items import removal
from animagine_prompt.syntax import parse


class _CountingText(str):
    """A prompt text that counts the characters its indexing and slicing hand out."""

    read = 0

    def __getitem__(self, key):  # type: ignore[no-untyped-def, override]
        out = super().__getitem__(key)
        _CountingText.read += len(out)
        return out


def _read_by_removals(text: str) -> int:
    counting = _CountingText(text)
    _CountingText.read = 0
    for item in parse(text).tags():
        removal(counting, item)
    return _CountingText.read


def test_removal_reads_only_around_the_item() -> None:
    small = _read_by_removals("green hair, smile, " * 50 + "smile")
    large = _read_by_removals("green hair, smile, " * 500 + "smile")
    # ten times the items: about ten times the reads, not a hundred
    assert large <= 11 * small


def test_removal_cuts_the_same_separator() -> None:
    cases = {
        "a, b, a": ["b, a", "a, a", "a, b"],
        "a ,  b,c": ["b,c", "a ,  c", "a ,  b"],
        "a\t, b": ["b", "a\t"],
        "a b": [None],
    }
    for text, expected in cases.items():
        got = []
        for item in parse(text).tags():
            edit = removal(text, item)
            got.append(None if edit is None else edit.apply(text))
        assert got == expected, text
