"""Helpers shared by the rules: LoRA block weights, brackets inside items, removing an item."""

from __future__ import annotations

import re
from typing import Any

from animagine_prompt.lint._fix import Edit

__all__ = ["BLOCK_WEIGHTS", "balanced", "brace_groups", "has_inner_brackets", "removal"]

#: A field after a LoRA's weight that the LoRA Block Weight extension reads: a list of three or
#: more block weights (R, U and X pick random ones) or a preset name such as ALL, MIDD or OUTS.
BLOCK_WEIGHTS = re.compile(r"(?:[-+]?[\d.]+|[RUX])(?:\s*,\s*(?:[-+]?[\d.]+|[RUX])){2,}|[A-Z][A-Z0-9_]*")


def balanced(source: str) -> bool:
    """Whether the item's source opens and closes its own brackets, so it can be cut out whole.

    >>> balanced("(a:1.2)"), balanced("(z")
    (True, False)
    """
    depth = 0
    escaped = False
    for ch in source:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def removal(text: str, item: Any) -> Edit | None:
    """An edit deleting ``item`` and one separator next to it, or ``None`` when it cannot be cut cleanly.

    >>> from animagine_prompt.syntax import parse
    >>> text = "a, b, a"
    >>> items = parse(text).tags()
    >>> removal(text, items[2]).apply(text), removal(text, items[0]).apply(text)
    ('a, b', 'b, a')
    """
    start, end = item.span
    if not balanced(item.source):
        return None
    # Scanned by index, not by slicing the rest of the text: lint calls this once per duplicate,
    # and slices would make a long prompt quadratic.
    size = len(text)
    after = end
    while after < size and text[after] in " \t":
        after += 1
    if after < size and text[after] == ",":
        stop = after + 1
        while stop < size and text[stop] == " ":
            stop += 1
        return Edit.delete(start, stop)
    before = start
    while before > 0 and text[before - 1] in " \t":
        before -= 1
    if before > 0 and text[before - 1] == ",":
        return Edit.delete(before - 1, end)
    return None


def has_inner_brackets(text: str, item: Any) -> bool:
    """Whether unescaped brackets sit inside the item's text (``hu tao (genshin impact)``), so its
    text is several weighted pieces rather than one tag.

    >>> from animagine_prompt.syntax import parse
    >>> text = r"(a b:1.2), c (d), e \\(f\\)"
    >>> [has_inner_brackets(text, i) for i in parse(text).tags()]
    [False, True, False]
    """
    start, end = item.text_span
    return bool(_INNER.search(text[start:end]))


_INNER = re.compile(r"(?<!\\)[()\[\]]")


def brace_groups(text: str) -> list[tuple[int, int]]:
    """Spans of the outermost balanced ``{…}`` groups (escaped braces skipped); A1111 reads them
    as text, other tools as variants (Dynamic Prompts) or emphasis (NovelAI).

    >>> text = "{a|{b|c}}, {{x}}, \\\\{y}, {z"
    >>> [text[s:e] for s, e in brace_groups(text)]
    ['{a|{b|c}}', '{{x}}']
    """
    out: list[tuple[int, int]] = []
    depth, start, escaped = 0, 0, False
    for i, ch in enumerate(text):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
            if depth == 0:
                out.append((start, i + 1))
    return out
