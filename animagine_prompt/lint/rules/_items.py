"""Helpers shared by the tag rules: item keys, and removing an item with its separator."""

from __future__ import annotations

import re
from typing import Any

from animagine_prompt.lint._fix import Edit

__all__ = ["BLOCK_WEIGHTS", "balanced", "has_inner_brackets", "item_key", "removal"]

#: A field after a LoRA's weight that the LoRA Block Weight extension reads: a list of three or
#: more block weights (R, U and X pick random ones) or a preset name such as ALL, MIDD or OUTS.
BLOCK_WEIGHTS = re.compile(r"(?:[-+]?[\d.]+|[RUX])(?:\s*,\s*(?:[-+]?[\d.]+|[RUX])){2,}|[A-Z][A-Z0-9_]*")


def item_key(text: str) -> str:
    """A comparison key for an item: Danbooru canonical form (case, spaces and underscores folded).

    >>> item_key("Green_Hair") == item_key("green hair")
    True
    """
    from animagine_prompt.tags import canonical

    return canonical(text)


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
    after = text[end:]
    stripped = after.lstrip(" \t")
    if stripped.startswith(","):
        comma_end = end + (len(after) - len(stripped)) + 1
        rest = text[comma_end:]
        return Edit.delete(start, comma_end + len(rest) - len(rest.lstrip(" ")))
    before = text[:start].rstrip(" \t")
    if before.endswith(","):
        return Edit.delete(len(before) - 1, end)
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
