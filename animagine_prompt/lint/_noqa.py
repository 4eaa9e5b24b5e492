"""``# noqa`` comments: silencing findings on one line of a prompt, as flake8 and ruff users expect.

Prompt comments run from ``#`` to the end of the line and never reach the text encoders, so a
directive costs nothing at generation time. ``# noqa`` silences every finding that starts on its
line; ``# noqa: T004, S101`` only those codes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from animagine_prompt.lint._rule import Finding

__all__ = ["drop_silenced", "noqa_lines"]

# A hash, "noqa" in any case, then optionally a colon and codes split by commas or spaces; words
# after the codes are free text. Codes are exact, as in ruff: a prefix silences nothing.
_DIRECTIVE = re.compile(r"#\s*noqa\b(?:\s*:\s*(?P<codes>[A-Za-z]+\d+(?:[\s,]+[A-Za-z]+\d+)*))?", re.IGNORECASE)


def noqa_lines(prompt: Any) -> list[tuple[int, int, frozenset[str] | None]]:
    """``(line start, line end, codes)`` for each ``# noqa`` comment of a parsed prompt; ``codes``
    is None where the directive names none (every code is silenced).

    >>> from animagine_prompt.syntax import parse
    >>> lines = noqa_lines(parse("1girl # noqa: t004, S101\\nsolo # noqa"))
    >>> [(start, end, codes if codes is None else sorted(codes)) for start, end, codes in lines]
    [(0, 24, ['S101', 'T004']), (25, 36, None)]
    """
    from animagine_prompt.syntax.nodes import iter_leaves

    text = prompt.text
    if "#" not in text:  # the common case: no comment, no tree walk
        return []
    lines = []
    for leaf in iter_leaves(prompt.tree):
        if getattr(leaf, "kind", None) != "comment" or leaf.span is None:
            continue
        found = _DIRECTIVE.search(leaf.raw)
        if found is None:
            continue
        start, end = leaf.span
        codes = found.group("codes")
        chosen = None if codes is None else frozenset(c.upper() for c in re.split(r"[\s,]+", codes))
        line_end = text.find("\n", end)
        lines.append((text.rfind("\n", 0, start) + 1, len(text) if line_end < 0 else line_end, chosen))
    return lines


def drop_silenced(prompt: Any, findings: Iterable[Finding]) -> list[Finding]:
    """``findings`` less those that start on a line whose ``# noqa`` comment silences their code.

    >>> from animagine_prompt.syntax import parse
    >>> p = parse("a,, b # noqa: S101")
    >>> drop_silenced(p, [Finding("S101", "empty", (1, 3)), Finding("T005", "dup", (0, 1))])[0].code
    'T005'
    """
    lines = noqa_lines(prompt)
    if not lines:
        return list(findings)
    return [
        f
        for f in findings
        if not any(start <= f.span[0] <= end and (codes is None or f.code in codes) for start, end, codes in lines)
    ]
