"""The tag order later Animagine cards recommend: ``1girl``/``1boy``, character, series, the rest,
then quality (and rating) modifiers.

Only comma-separated runs are reordered; text across ``BREAK``, ``AND`` or a line break stays in its
chunk, and a bracket group holding several tags moves as one piece, so weights never change.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from animagine_prompt.syntax import TagItem, parse

from ._merge import Origin, _balanced, _origin_at

__all__ = ["animagine_order", "rank_of"]

_SUBJECT = re.compile(r"^(?:\d\+?|multiple_)(?:girls?|boys?|others?)$")
_COMMA_ONLY = re.compile(r"^\s*,\s*$")

#: Rank of each group, in prompt order.
SUBJECT, CHARACTER, SERIES, OTHER, MODIFIER = range(5)


def rank_of(text: str, *, role: str | None = None, origin: str | None = None) -> int:
    """Where an item goes: 0 subject count, 1 character, 2 series, 3 other, 4 quality/rating modifier.

    ``role`` is what the builder knows of the item (``"character"``, ``"series"``); ``origin``
    ``"quality"`` marks tags that came from the quality preset. Otherwise the tag database decides.

    >>> [rank_of(t) for t in ("1girl", "kafka", "honkai: star rail", "green hair", "masterpiece")]
    [0, 1, 2, 3, 4]
    """
    from animagine_prompt.tags import Category, canonical, load_database

    key = canonical(text)
    if _SUBJECT.match(key):
        return SUBJECT
    if role == "character":
        return CHARACTER
    if role == "series":
        return SERIES
    if origin == "quality":
        return MODIFIER
    db = load_database()
    if key in {s.tag for s in db.special_tags()}:
        return MODIFIER
    category = db.category_of(text)
    if category == Category.CHARACTER:
        return CHARACTER
    if category == Category.COPYRIGHT:
        return SERIES
    return OTHER


def animagine_order(
    text: str, origins: Sequence[Origin] = (), roles: Mapping[str, str] | None = None
) -> tuple[str, list[Origin]]:
    """Reorder the comma-separated items of ``text``; returns the text and ``origins`` moved with it.

    ``roles`` maps an item's source text to ``"character"`` or ``"series"`` when the caller knows it.

    >>> animagine_order("masterpiece, green hair, kafka, 1girl")[0]
    '1girl, kafka, green hair, masterpiece'
    >>> animagine_order("(masterpiece, green hair:1.2), 1girl BREAK kafka, 1boy")[0]
    '1girl, (masterpiece, green hair:1.2) BREAK 1boy, kafka'
    """
    roles = roles or {}
    items = parse(text).tags()
    # Units: items grouped until their brackets balance, so a group moves whole.
    units: list[tuple[int, int, int]] = []  # (start, end, rank)
    pending: list[TagItem] = []
    for item in items:
        pending.append(item)
        start, end = pending[0].span[0], pending[-1].span[1]
        if not _balanced(text[start:end]):
            continue
        head = pending[0]
        source = text[start:end]
        origin = _origin_at(origins, start)
        role = roles.get(source.strip()) or roles.get(head.source.strip())
        rank = rank_of(head.text, role=role, origin=origin)
        units.append((start, end, rank))
        pending = []
    if pending:  # an unclosed bracket runs to the end: that tail is one unit that stays last
        units.append((pending[0].span[0], pending[-1].span[1], MODIFIER + 1))

    # Runs of units separated by nothing but a comma are reordered; anything else ends a run.
    runs: list[list[tuple[int, int, int]]] = []
    for unit in units:
        if runs and _COMMA_ONLY.match(text[runs[-1][-1][1] : unit[0]]):
            runs[-1].append(unit)
        else:
            runs.append([unit])

    out: list[str] = []
    moved: list[Origin] = []
    pos = 0
    for run in runs:
        out.append(text[pos : run[0][0]])
        cursor = sum(len(s) for s in out)
        ordered = sorted(run, key=lambda u: u[2])
        for n, (start, end, _) in enumerate(ordered):
            if n:
                out.append(", ")
                cursor += 2
            out.append(text[start:end])
            moved.append((cursor, cursor + end - start, _origin_at(origins, start)))
            cursor += end - start
        pos = run[-1][1]
    out.append(text[pos:])
    return "".join(out), moved
