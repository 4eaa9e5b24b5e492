"""Brackets as A1111 pairs them: `(` and `[` on separate stacks, so `[a(b]` closes the `[`."""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["a1111_unpaired", "is_emoticon"]

#: A face written with a closing bracket as its mouth: `;)`, `:)`, `>:)`, `:-)`, `=]`. Danbooru
#: has `;)` and `>:)` as tags and `:)` as an alias of `smile`; A1111 reads the bracket as text.
_FACE = re.compile(r">?[:;=8][-'^o]?[)\]]")


def is_emoticon(text: str) -> bool:
    """Whether an item's text is an emoticon whose mouth is a closing bracket.

    >>> [is_emoticon(t) for t in (";)", ">:)", ":]", "a)", ")")]
    [True, True, True, False, False]
    """
    return _FACE.fullmatch(text.strip()) is not None


@lru_cache(maxsize=64)  # S001 and S002 ask about the same prompt
def a1111_unpaired(text: str) -> tuple[frozenset[int], frozenset[int]]:
    """Offsets of the openers A1111 leaves open and of the closers it finds nothing to close.

    A1111's emphasis parser keeps one stack for `(` and one for `[`: a `]` pops the last `[`
    whatever `(` came after it, and a `)` (or a `:1.2)` weight) pops the last `(`. A backslash
    escapes the next character.

    >>> a1111_unpaired("[artist:ask(askzy]")
    (frozenset({11}), frozenset())
    >>> a1111_unpaired("a) \\\\( [d")  # the escaped bracket is text
    (frozenset({6}), frozenset({1}))
    """
    rounds: list[int] = []
    squares: list[int] = []
    strays: set[int] = set()
    escaped = False
    for i, ch in enumerate(text):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "(":
            rounds.append(i)
        elif ch == "[":
            squares.append(i)
        elif ch in ")]":
            stack = rounds if ch == ")" else squares
            if stack:
                stack.pop()
            else:
                strays.add(i)
    return frozenset(rounds + squares), frozenset(strays)
