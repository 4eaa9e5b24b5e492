"""Which items of a prompt describe the same thing: regions, per-line subjects, schedule branches.

T005 and T007 compare items with each other; these helpers say when two items can never meet in
one description: they sit in different regions (`BREAK`/`AND` parts, or the one-line-per-subject
layout of Forge Couple), or in different branches of one schedule or alternation, which are never
in the prompt at the same step.
"""

from __future__ import annotations

import re
from bisect import bisect
from typing import TYPE_CHECKING, Any

from animagine_prompt.syntax import Alternate, Schedule

if TYPE_CHECKING:  # pragma: no cover
    from animagine_prompt.lint._context import LintContext

__all__ = ["branches_of", "exclusive", "regions_of_items"]

#: A subject count at the start of a line: `1girl`, `2girls`, `1boy`, `3others`.
_COUNT = re.compile(r"\d\+?(?:girl|boy|other)s?")
_NEWLINE = re.compile("\n")


def regions_of_items(ctx: LintContext) -> list[int]:
    """For each item, its region: its ``BREAK``/``AND`` part, and in the prompt (not the
    negative) also its line when several lines start with the same subject count, which is how
    Forge Couple and similar extensions give each subject a line of its own.

    >>> from animagine_prompt.lint._context import LintContext, Resources
    >>> from animagine_prompt.lint._settings import LintSettings
    >>> from animagine_prompt.syntax import parse
    >>> def regions(text):
    ...     return regions_of_items(LintContext(parse(text), "prompt", None, Resources(LintSettings())))
    >>> regions("2girls, smile\\n2girls, frown BREAK sky"), regions("a, b\\nc, a")
    ([0, 0, 1, 1, 3], [0, 0, 0, 0])
    """
    parts = ctx.regions
    if ctx.negative or "\n" not in ctx.text:
        return parts
    newlines = [m.start() for m in _NEWLINE.finditer(ctx.text)]
    lines = [bisect(newlines, item.span[0]) for item in ctx.tags]
    # The first item of each line, when it is a subject count.
    leads: list[str] = []
    previous = -1
    for line, key in zip(lines, ctx.keys, strict=True):
        if line != previous:
            previous = line
            if _COUNT.fullmatch(key):
                leads.append(key)
    if len(leads) == len(set(leads)):
        return parts
    # Lines and parts both split: number the pairs so that each stays its own region.
    return [part * (len(newlines) + 1) + line for part, line in zip(parts, lines, strict=True)]


def branches_of(ctx: LintContext) -> list[frozenset[tuple[int, int]]] | None:
    """For each item, the (schedule or alternation, branch) pairs it sits in; ``None`` when the
    prompt has neither, so that callers skip the comparison.

    >>> from animagine_prompt.lint._context import LintContext, Resources
    >>> from animagine_prompt.lint._settings import LintSettings
    >>> from animagine_prompt.syntax import parse
    >>> ctx = LintContext(parse("a, [b:[c|d]:0.5], e"), "prompt", None, Resources(LintSettings()))
    >>> [sorted(b) for b in branches_of(ctx)]
    [[], [(0, 0)], [(0, 1), (1, 0)], [(0, 1), (1, 1)], []]
    """
    if "[" not in ctx.text:
        return None  # schedules and alternations need square brackets
    extents: list[tuple[int, int, int, int]] = []  # start, end, owner, branch
    owner = -1
    for v in ctx.visits:
        node = v.node
        if isinstance(node, Schedule) and node.before is not None:
            branches: tuple[tuple[Any, ...], ...] = (node.before, node.after)
        elif isinstance(node, Alternate):
            branches = node.options
        else:
            continue
        owner += 1
        for branch, nodes in enumerate(branches):
            spans = [n.span for n in nodes if getattr(n, "span", None) is not None]
            if spans:
                extents.append((spans[0][0], spans[-1][1], owner, branch))
    if not extents:
        return None
    # Branches nest like the tree: one sweep in source order with a stack of open branches.
    extents.sort(key=lambda e: (e[0], -e[1]))
    out: list[frozenset[tuple[int, int]]] = []
    open_: list[tuple[int, int, int, int]] = []
    nxt = 0
    for item in ctx.tags:
        start, end = item.text_span
        while nxt < len(extents) and extents[nxt][0] <= start:
            while open_ and open_[-1][1] <= extents[nxt][0]:
                open_.pop()
            open_.append(extents[nxt])
            nxt += 1
        while open_ and open_[-1][1] < end:
            open_.pop()
        out.append(frozenset((e[2], e[3]) for e in open_ if e[0] <= start and end <= e[1]))
    return out


def exclusive(a: frozenset[tuple[int, int]], b: frozenset[tuple[int, int]]) -> bool:
    """Whether two items sit in different branches of one schedule or alternation.

    >>> exclusive(frozenset({(0, 0)}), frozenset({(0, 1)})), exclusive(frozenset({(0, 0)}), frozenset())
    (True, False)
    """
    mine = dict(a)
    return any(owner in mine and mine[owner] != branch for owner, branch in b)
