"""Merging presets into a prompt: templates, negatives, and removal of repeated tags.

The order is the Animagine app's: the quality template wraps the user prompt, then the style
template wraps the result; negatives are joined style, quality, user with ``", "``. Unlike the app,
``{prompt}`` is replaced literally (braces in a prompt are safe), negatives get a separator, and a
tag that appears twice is kept once: at its first place, with the larger of the two weights.

Text is edited in place, never re-rendered, so everything that is not a repeated tag stays
byte for byte as it was.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from animagine_prompt.syntax import Alternate, Group, Leaf, Prompt, PromptTree, Schedule, TagItem, parse

__all__ = ["MergedTag", "Part", "dedupe", "glued", "join_negatives", "tag_key"]

#: ``(start, end, origin)``: which part of the merge a range of the text came from.
Origin = tuple[int, int, str]


@dataclass(frozen=True)
class Part:
    """A piece of a merged prompt and where it came from (``"style"``, ``"quality"``, ``"user"``, ...).

    >>> Part("lowres", "quality").origin
    'quality'
    """

    text: str
    origin: str


@dataclass(frozen=True)
class MergedTag:
    """One repeated tag that was merged: which copy stayed, which went, and the weight kept.

    >>> m = MergedTag("masterpiece", "positive", "(masterpiece)", "masterpiece", "quality", "user", 1.1)
    >>> m.describe()
    "positive: 'masterpiece' from user merged into '(masterpiece)' from quality (weight 1.1)"
    """

    tag: str
    prompt: str
    kept: str
    removed: str
    kept_from: str
    removed_from: str
    weight: float

    def describe(self) -> str:
        """One line for people: what was merged into what."""
        return (
            f"{self.prompt}: {self.removed!r} from {self.removed_from} merged into {self.kept!r} "
            f"from {self.kept_from} (weight {_fmt_weight(self.weight)})"
        )


def tag_key(text: str) -> str:
    """The key under which two tags count as the same: their canonical Danbooru form.

    >>> tag_key("Hu Tao (Genshin Impact)") == tag_key("hu_tao_(genshin_impact)")
    True
    """
    from animagine_prompt.tags import canonical

    return canonical(text)


def join_parts(parts: Sequence[Part]) -> tuple[str, list[Origin]]:
    """Concatenate parts as they are, recording the range each one fills.

    >>> join_parts([Part("a, ", "quality"), Part("b", "user")])
    ('a, b', [(0, 3, 'quality'), (3, 4, 'user')])
    """
    text, origins, pos = [], [], 0
    for part in parts:
        text.append(part.text)
        origins.append((pos, pos + len(part.text), part.origin))
        pos += len(part.text)
    return "".join(text), origins


def join_negatives(parts: Iterable[Part]) -> tuple[str, list[Origin]]:
    """Join negative parts with ``", "``, skipping empty ones (the app glued them with nothing).

    Each part is trimmed of outer blanks and commas, so a preset ending in ``", "`` does not give
    a doubled separator.

    >>> join_negatives([Part("ugly", "style"), Part("longbody, ", "quality"), Part(" ", "user")])[0]
    'ugly, longbody'
    """
    pieces: list[Part] = []
    for part in parts:
        text = part.text.strip().strip(",").strip()
        if text:
            if pieces:
                pieces.append(Part(", ", "separator"))
            pieces.append(Part(text, part.origin))
    return join_parts(pieces)


def glued(text: str, joins: Sequence[int] = ()) -> str:
    """``text`` with a comma at each joint: one character for one, so offsets stay valid.

    >>> glued("anime artwork 1girl . anime style", [13, 20])
    'anime artwork,1girl , anime style'
    """
    for pos in sorted(set(joins)):
        text = text[:pos] + "," + text[pos + 1 :]
    return text


def dedupe(
    text: str,
    origins: Sequence[Origin] = (),
    *,
    prompt: str = "positive",
    joins: Sequence[int] = (),
    parsed: Prompt | None = None,
) -> tuple[str, list[MergedTag], list[Origin]]:
    """Remove repeated tags of ``text``, keeping each at its first place with the larger weight.

    Two items are the same tag when their canonical forms match (``tag_key``); items inside
    prompt-editing schedules and alternations are left alone (they apply to some steps only), and
    ``AND`` sub-prompts are deduplicated separately. ``joins`` are the offsets where a template
    meets the text it wraps (see :func:`template_joins`): items are split there even without a
    comma, and the joint itself is never removed. Returns the new text, what was merged, and
    ``origins`` moved to the new text. ``parsed`` is the parse of ``glued(text, joins)`` when the
    caller has it (it is not parsed again).

    >>> new, merged, _ = dedupe("masterpiece, 1girl, (masterpiece:1.3), solo, 1girl")
    >>> new
    '(masterpiece:1.3), 1girl, solo'
    >>> [(m.tag, m.weight) for m in merged]
    [('masterpiece', 1.3), ('1girl', 1.0)]
    """
    # Read the text with a comma at each joint (one character for one: offsets stay valid).
    glue = sorted(set(joins))
    virtual = glued(text, glue)
    if parsed is None or parsed.text != virtual:
        parsed = parse(virtual)
    items = parsed.tags()
    if len(items) < 2:
        return text, [], list(origins)
    frozen, breaks = _structure(parsed.tree)
    # AND sub-prompts and BREAK chunks are deduplicated separately: a tag repeated in another chunk
    # (regional prompting) or sub-prompt is meant.
    bounds = sorted([*breaks, *(sub.span[0] for sub in parsed.subprompts()[1:])])

    first: dict[tuple[int, str], int] = {}
    best: dict[tuple[int, str], float] = {}
    removed: list[tuple[int, int]] = []  # (kept index, removed index)
    # Joints count as taken, so no deletion swallows the " . " of a style template.
    taken: list[tuple[int, int, str]] = [(pos, pos + 1, text[pos]) for pos in glue]
    edits: list[tuple[int, int, str]] = []
    for index, item in enumerate(items):
        if any(_overlaps(item.span, span) for span in frozen):
            continue
        key = tag_key(item.text)
        if not key:
            continue
        slot = (bisect.bisect_right(bounds, item.span[0]), key)
        if slot not in first:
            first[slot] = index
            best[slot] = item.weight
            continue
        edit = _deletion(virtual, item, taken)
        edits.append(edit)
        taken.append(edit)
        removed.append((first[slot], index))
        best[slot] = max(best[slot], item.weight)

    if not removed:
        return text, [], list(origins)
    kept_source: dict[int, str] = {}
    for slot, index in first.items():
        item = items[index]
        if best[slot] > item.weight + 1e-9:
            start, end, replacement = _reweight(text, item, best[slot])
            edits.append((start, end, replacement))
            kept_source[index] = replacement
    new_text = _apply(text, edits)
    merged = []
    for kept, gone in removed:
        slot = next(s for s, i in first.items() if i == kept)
        merged.append(
            MergedTag(
                tag=slot[1],
                prompt=prompt,
                kept=kept_source.get(kept, items[kept].source),
                removed=items[gone].source,
                kept_from=_origin_at(origins, items[kept].span[0]),
                removed_from=_origin_at(origins, items[gone].span[0]),
                weight=best[slot],
            )
        )
    return new_text, merged, _move_origins(origins, edits)


def template_joins(text: str, start: int, end: int) -> list[int]:
    """Offsets where a template's text meets the ``text[start:end]`` it wrapped with no comma between.

    Such a joint is a blank (``"cinematic photo {prompt}"``) or the ``.`` of the `` . `` that SDXL
    style templates put before their suffix; :func:`dedupe` reads it as a comma.

    >>> t = "cinematic photo 1girl, solo . 35mm photograph"
    >>> template_joins(t, 16, 27)
    [15, 28]
    """
    joins = []
    for boundary in (start, end):
        if boundary <= 0 or boundary >= len(text):
            continue
        left = text[:boundary].rstrip()
        right = text[boundary:].lstrip()
        if left.endswith(",") or right.startswith(","):
            continue  # already separated
        if text.startswith(" . ", boundary):
            joins.append(boundary + 1)
        elif text[boundary - 3 : boundary] == " . ":
            joins.append(boundary - 2)
        elif text[boundary - 1].isspace():
            joins.append(boundary - 1)
        elif text[boundary].isspace():
            joins.append(boundary)
    return joins


def _structure(tree: PromptTree) -> tuple[list[tuple[int, int]], list[int]]:
    """Spans of schedules and alternations (their text applies to some steps only), starts of BREAKs."""
    spans: list[tuple[int, int]] = []
    breaks: list[int] = []
    stack: list[object] = list(tree.children)
    while stack:
        node = stack.pop()
        if isinstance(node, (Schedule, Alternate)):
            if node.span is not None:
                spans.append(node.span)
        elif isinstance(node, Group):
            stack.extend(node.children)
        elif isinstance(node, Leaf) and node.kind == "break" and node.span is not None:
            breaks.append(node.span[0])
    return spans, breaks


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _balanced(source: str) -> bool:
    """Whether every bracket opened in ``source`` closes in it (escapes skipped)."""
    depth, i = 0, 0
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
            if depth < 0:
                return False
        i += 1
    return depth == 0


def _item_range(item: TagItem) -> tuple[int, int]:
    """The range to cut or rewrite for an item: all of it when its brackets are its own, else its text."""
    return item.span if _balanced(item.source) else item.text_span


def _deletion(text: str, item: TagItem, taken: list[tuple[int, int, str]]) -> tuple[int, int, str]:
    """The edit that removes ``item`` with one neighbouring comma separator."""
    start, end = _item_range(item)
    claimed = [(s, e) for s, e, _ in taken]

    def free(pos: int) -> bool:
        return not any(s <= pos < e for s, e in claimed)

    # Prefer to take the comma before the item (", item"): the list then reads on unchanged.
    left = start
    while left > 0 and text[left - 1] in " \t\r\n":
        left -= 1
    if left > 0 and text[left - 1] == "," and free(left - 1):
        return (left - 1, end, "")
    # First item of its list: take the comma after it ("item, ").
    right = end
    while right < len(text) and text[right] in " \t":
        right += 1
    if right < len(text) and text[right] == "," and free(right):
        right += 1
        while right < len(text) and text[right] in " \t":
            right += 1
        return (start, right, "")
    # Alone between other separators (BREAK, a newline): take the item and the blanks before it.
    lead = left if all(free(p) for p in range(left, start)) else start
    return (lead, end, "")


def _fmt_weight(weight: float) -> str:
    return f"{weight:.3g}"


def _reweight(text: str, item: TagItem, weight: float) -> tuple[int, int, str]:
    """An edit giving ``item`` the effective ``weight``, written as an explicit ``(text:w)``."""
    t_start, t_end = item.text_span
    raw = text[t_start:t_end]
    start, end = _item_range(item)
    if (start, end) == item.span and item.source != raw:
        # The item's own brackets are replaced: divide out only the weight of what surrounds it.
        own = parse(item.source).tags()
        outer = item.weight / own[0].weight if own and own[0].weight else 1.0
    else:
        outer = item.weight
    explicit = weight / outer if outer else weight
    replacement = raw if abs(explicit - 1.0) < 1e-9 else f"({raw}:{_fmt_weight(explicit)})"
    return (start, end, replacement)


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    out, pos = [], 0
    for start, end, replacement in sorted(edits):
        out.append(text[pos:start])
        out.append(replacement)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _move(pos: int, edits: list[tuple[int, int, str]]) -> int:
    shift = 0
    for start, end, replacement in sorted(edits):
        if end <= pos:
            shift += len(replacement) - (end - start)
        elif start < pos:
            return start + shift
    return pos + shift


def _move_origins(origins: Sequence[Origin], edits: list[tuple[int, int, str]]) -> list[Origin]:
    return [(_move(s, edits), _move(e, edits), label) for s, e, label in origins]


def _origin_at(origins: Sequence[Origin], pos: int) -> str:
    for start, end, label in origins:
        if start <= pos < end:
            return label
    return "prompt"
