"""The 75-token chunk planner: weighted fragments to CLIP token chunks, as A1111 cuts them.

SDXL's text encoders see 77 positions: BOS, 75 tokens, EOS. A longer prompt is cut into chunks
of 75 tokens that are encoded one by one and concatenated. This module decides the cut exactly as
A1111's ``FrozenCLIPEmbedderWithCustomWords.tokenize_line`` does (see ``docs/tokens.md``), and keeps
for every token its weight and the source span it came from, so a caller can say which tag a
boundary cuts.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Literal

from animagine_prompt.diagnostics import Span
from animagine_prompt.errors import UsageError
from animagine_prompt.tokens._tokenizer import ClipTokenizer, load_tokenizer

if TYPE_CHECKING:  # pragma: no cover
    from animagine_prompt.syntax import Fragment, Prompt, TagItem

__all__ = ["Boundary", "Chunk", "ChunkPlan", "plan", "plan_many"]

BoundaryReason = Literal["full", "comma", "break", "and"]
_START = itemgetter(0)  # a token offset's start


@dataclass(frozen=True)
class Chunk:
    """Up to ``length`` real tokens of one 77-position encoder pass, with a weight and a span each.

    ``spans`` holds the source span each token came from (None where unknown); ``subprompt`` is
    the index of the AND sub-prompt the chunk belongs to.

    >>> chunk = plan("1girl, (smile:1.2)").chunks[0]
    >>> chunk.ids, chunk.weights, chunk.spans, chunk.used
    ((272, 1611, 267, 3490), (1.0, 1.0, 1.0, 1.2), ((0, 1), (1, 5), (5, 6), (8, 13)), 4)
    """

    ids: tuple[int, ...]
    weights: tuple[float, ...]
    spans: tuple[Span | None, ...]
    length: int = 75
    subprompt: int = 0

    @property
    def used(self) -> int:
        """How many real tokens the chunk holds (BOS, EOS and padding not counted).

        >>> plan("masterpiece, best quality").chunks[0].used
        4
        """
        return len(self.ids)

    def padded_ids(self, pad_id: int, bos_id: int = 49406, eos_id: int = 49407) -> tuple[int, ...]:
        """The ``length + 2`` ids the encoder sees: ``[BOS] + ids + [EOS] + [pad] * rest``.

        >>> ids = plan("1girl").chunks[0].padded_ids(pad_id=0)
        >>> len(ids), ids[:5], ids[-1]
        (77, (49406, 272, 1611, 49407, 0), 0)
        """
        return (bos_id, *self.ids, eos_id) + (pad_id,) * (self.length - len(self.ids))

    def padded_weights(self) -> tuple[float, ...]:
        """Weights aligned with :meth:`padded_ids`: 1.0 at BOS, EOS and padding.

        >>> weights = plan("(1girl:1.5)").chunks[0].padded_weights()
        >>> len(weights), weights[:4]
        (77, (1.0, 1.5, 1.5, 1.0))
        """
        return (1.0, *self.weights, 1.0) + (1.0,) * (self.length - len(self.ids))


@dataclass(frozen=True)
class Boundary:
    """The cut between chunk ``chunk`` and chunk ``chunk + 1``, and what it does to the tags.

    ``reason`` is ``"full"`` (75 tokens reached), ``"comma"`` (comma back-tracking moved ``moved``
    tokens to the next chunk), ``"break"`` (BREAK) or ``"and"`` (a new AND sub-prompt). ``offset``
    is where the next chunk's first token starts in the source (None when it has none). ``cut`` is
    the tag whose tokens lie on both sides, ``pushed`` the tags back-tracking moved whole; both
    need the prompt's tags, so they stay empty when the plan was made from bare fragments.

    >>> text = "1girl, " + "very " * 80 + "long tag"
    >>> b = plan(text).boundaries[0]
    >>> b.reason, b.cut.text[-13:], text[b.offset:b.offset + 9]
    ('full', 'very long tag', 'very very')
    """

    chunk: int
    reason: BoundaryReason
    moved: int = 0
    offset: int | None = None
    cut: TagItem | None = None
    pushed: tuple[TagItem, ...] = ()


@dataclass(frozen=True)
class ChunkPlan:
    """A prompt cut into encoder chunks, with every boundary explained.

    >>> p = plan("1girl, smile BREAK green hair")
    >>> [c.used for c in p.chunks], p.token_count, p.capacity, [b.reason for b in p.boundaries]
    ([4, 2], 6, 150, ['break'])
    """

    chunks: tuple[Chunk, ...]
    #: why each chunk but the last ended, and how many tokens back-tracking moved
    reasons: tuple[tuple[BoundaryReason, int], ...] = ()
    chunk_length: int = 75
    subprompt_weights: tuple[float, ...] = (1.0,)
    #: the parsed prompt, when the plan was made from one (its tags explain the boundaries)
    prompt: Prompt | None = field(default=None, repr=False, compare=False)

    @cached_property
    def boundaries(self) -> tuple[Boundary, ...]:
        """Each cut between two chunks, with the tag it cuts or the tags it pushes.

        Worked out on first use: the encoder needs the chunks only, the linter and the CLI the
        boundaries too.

        >>> [(b.chunk, b.reason) for b in plan("a BREAK b BREAK c").boundaries]
        [(0, 'break'), (1, 'break')]
        """
        chunks = self.chunks
        tags = _Tags(self.prompt.tags() if self.prompt is not None and len(chunks) > 1 else ())
        return tuple(
            _boundary(i, reason, moved, chunks[i], chunks[i + 1], tags)
            for i, (reason, moved) in enumerate(self.reasons)
        )

    @property
    def token_count(self) -> int:
        """Real tokens in all chunks (BOS, EOS and padding not counted).

        >>> plan("masterpiece, best quality, 1girl").token_count
        7
        """
        return sum(len(c.ids) for c in self.chunks)

    @property
    def capacity(self) -> int:
        """``chunk_length`` times the number of chunks: the denominator of a ``used/capacity`` counter.

        >>> plan("").capacity
        75
        """
        return self.chunk_length * len(self.chunks)

    @property
    def cut_tags(self) -> tuple[TagItem, ...]:
        """Tags that a boundary cuts in two.

        >>> plan("a, " + "long tag " * 40, comma_window=0).cut_tags[0].span
        (3, 362)
        """
        return tuple(b.cut for b in self.boundaries if b.cut is not None)

    @property
    def pushed_tags(self) -> tuple[TagItem, ...]:
        """Tags that comma back-tracking moved whole to the next chunk.

        >>> [t.text for t in plan("tag, " * 37 + "last tag").pushed_tags]
        ['last tag']
        """
        return tuple(t for b in self.boundaries for t in b.pushed)


def plan(
    source: Prompt | str | Sequence[Fragment],
    tokenizer: ClipTokenizer | None = None,
    *,
    chunk_length: int = 75,
    comma_window: int = 20,
    step: int | None = None,
    steps: int | None = None,
    fragments: Sequence[Fragment] | None = None,
) -> ChunkPlan:
    """Cut a prompt into encoder chunks the way A1111 does, keeping a weight and a span per token.

    ``source`` is a :class:`~animagine_prompt.syntax.Prompt`, prompt text (parsed in the A1111
    dialect) or a list of fragments; ``step``/``steps`` pick the text of scheduled prompts.
    ``fragments``: the Prompt's ``fragments(step, steps)`` when the caller has them already
    (they are not built a second time).
    ``comma_window=0`` turns comma back-tracking off. The default tokenizer is the bundled
    ``clip_l``; pass ``load_tokenizer("clip_g")`` for SDXL's second encoder, whose ids differ
    where the prompt has ``!``.

    >>> p = plan("masterpiece, best quality, 1girl, green hair")
    >>> len(p.chunks), p.chunks[0].used, f"{p.token_count}/{p.capacity}"
    (1, 10, '10/75')
    """
    if fragments is not None and hasattr(source, "tags"):
        return _plan_prepared(
            [(source, list(fragments))], tokenizer, chunk_length=chunk_length, comma_window=comma_window
        )[0]
    return plan_many(
        [source], tokenizer, chunk_length=chunk_length, comma_window=comma_window, step=step, steps=steps
    )[0]


def plan_many(
    sources: Sequence[Prompt | str | Sequence[Fragment]],
    tokenizer: ClipTokenizer | None = None,
    *,
    chunk_length: int = 75,
    comma_window: int = 20,
    step: int | None = None,
    steps: int | None = None,
) -> list[ChunkPlan]:
    """:func:`plan` for many prompts, tokenized in one batched call (the linter's and the
    benchmarks' bulk path); the same plans as one :func:`plan` call each.

    >>> [p.token_count for p in plan_many(["1girl, smile", "a BREAK b", ""])]
    [4, 2, 0]
    """
    prepared = [_fragments_of(source, step, steps) for source in sources]
    return _plan_prepared(prepared, tokenizer, chunk_length=chunk_length, comma_window=comma_window)


def _plan_prepared(
    prepared: list[tuple[Any, list[Fragment]]],
    tokenizer: ClipTokenizer | None,
    *,
    chunk_length: int,
    comma_window: int,
) -> list[ChunkPlan]:
    """The plans of ``(parsed prompt or None, its fragments)`` pairs."""
    if chunk_length < 1:
        raise UsageError(f"chunk_length must be at least 1, not {chunk_length}")
    if comma_window < 0:
        raise UsageError(f"comma_window must be 0 (off) or more, not {comma_window}")
    if tokenizer is None:
        tokenizer = load_tokenizer()
    elif not isinstance(tokenizer, ClipTokenizer):
        raise UsageError(
            f"plan() needs a ClipTokenizer, not {type(tokenizer).__name__}: "
            "wrap a transformers tokenizer once with ClipTokenizer.from_transformers(tokenizer)"
        )
    layouts = [_layout(fragments) for _, fragments in prepared]
    encoded = tokenizer.encode_raw([_encodable(text) for text, _ in layouts])
    comma = tokenizer.comma_id
    return [
        _build(prompt, fragments, places, ids, offsets, chunk_length, comma_window, comma)
        for (prompt, fragments), (_, places), (ids, offsets) in zip(prepared, layouts, encoded, strict=True)
    ]


def _fragments_of(source: Any, step: int | None, steps: int | None) -> tuple[Any, list[Fragment]]:
    """The parsed prompt (None for bare fragments) and its fragments for ``step``."""
    if isinstance(source, str):
        from animagine_prompt.syntax import parse

        source = parse(source)
    if hasattr(source, "fragments") and hasattr(source, "tags"):
        return source, source.fragments(step=step, steps=steps)
    return None, list(source)


def _layout(fragments: list[Fragment]) -> tuple[str, list[tuple[int, bool]]]:
    """One text to tokenize for all of a prompt's text fragments, and where each one lies in it.

    Fragments are kept apart by at least one space: CLIP's pre-tokenizer ends a word at every
    space, so the tokens are those of encoding each fragment on its own (tested). A fragment
    that is its source unchanged goes at its source offset, so its tokens' offsets *are* their
    source spans; the others (escapes, removed extra networks) are mapped back segment by
    segment. Each fragment gets ``(position, direct)``; a marker gets the position reached.
    """
    parts: list[str] = []
    places: list[tuple[int, bool]] = []
    cursor = 0
    for fragment in fragments:
        text = fragment.text
        if fragment.kind != "text" or not text:
            places.append((cursor, False))
            continue
        at = cursor + 1 if cursor else 0
        direct = False
        segments = fragment.segments
        if len(segments) == 1:
            offset, start, end = segments[0]
            if offset == 0 and start >= at and end - start == len(text):
                at, direct = start, True
        parts.append(" " * (at - cursor))
        parts.append(text)
        cursor = at + len(text)
        places.append((at, direct))
    return "".join(parts), places


def _build(
    prompt: Any,
    fragments: list[Fragment],
    places: list[tuple[int, bool]],
    ids: list[int],
    offsets: list[tuple[int, int]],
    chunk_length: int,
    comma_window: int,
    comma_id: int,
) -> ChunkPlan:
    count = len(ids)
    weights = [1.0] * count
    spans: list[Any] = offsets  # the direct fragments' spans; the others are written over below
    cuts: list[tuple[int, int, BoundaryReason, int, int]] = []  # start, end, reason, moved, sub-prompt
    subprompt_weights = [1.0]
    segment = 0  # first token after the last BREAK or AND
    subprompt_first = 0  # index in cuts of the sub-prompt's first chunk
    token = 0  # token index reached
    for fragment, (at, direct) in zip(fragments, places, strict=True):
        kind = fragment.kind
        if kind == "text":
            if not fragment.text or (direct and fragment.weight == 1.0):
                continue
            token = bisect_left(offsets, at, token, key=_START)
            end = bisect_left(offsets, at + len(fragment.text), token, key=_START)
            if end > token:
                if fragment.weight != 1.0:
                    weights[token:end] = [fragment.weight] * (end - token)
                if not direct:
                    if spans is offsets:  # copied before the first change: the bisects read offsets
                        spans = offsets.copy()
                    spans[token:end] = _spans(fragment, offsets[token:end], at)
            token = end
            continue
        token = bisect_left(offsets, at, token, key=_START)
        open_start = _cut(ids, segment, token, chunk_length, comma_window, comma_id, cuts, len(subprompt_weights) - 1)
        segment = token
        if kind == "break":
            cuts.append((open_start, token, "break", 0, len(subprompt_weights) - 1))
        elif kind == "and":
            _end_subprompt(cuts, open_start, token, subprompt_first, len(subprompt_weights) - 1)
            subprompt_first = len(cuts)
            subprompt_weights.append(fragment.weight)
    open_start = _cut(ids, segment, count, chunk_length, comma_window, comma_id, cuts, len(subprompt_weights) - 1)
    _end_subprompt(cuts, open_start, count, subprompt_first, len(subprompt_weights) - 1)
    if len(subprompt_weights) > 1 and prompt is not None:
        subprompts = prompt.subprompts()
        if subprompts:
            subprompt_weights[0] = subprompts[0].weight
    chunks = tuple(
        Chunk(tuple(ids[a:b]), tuple(weights[a:b]), tuple(spans[a:b]), chunk_length, sub)
        for a, b, _, _, sub in cuts
    )
    reasons = tuple((reason, moved) for _, _, reason, moved, _ in cuts[:-1])
    return ChunkPlan(chunks, reasons, chunk_length, tuple(subprompt_weights), prompt)


def _cut(
    ids: list[int],
    start: int,
    end: int,
    length: int,
    window: int,
    comma: int,
    cuts: list[tuple[int, int, BoundaryReason, int, int]],
    subprompt: int,
) -> int:
    """Append the chunks that tokens ``start:end`` (no BREAK or AND among them) fill, cut as
    A1111's ``tokenize_line`` cuts them; return where the last, still open chunk starts.

    A1111 walks token by token: a comma notes its place; a token that finds the chunk full
    either moves the tokens after a comma among the chunk's last ``window`` back to the next
    chunk, or starts the next chunk itself. The same decisions, taken per chunk here: the
    comma search is one slice. A comma that arrives at a full chunk opens the next one without
    being noted (A1111 forgets it when the chunk changes), so it never counts for back-tracking.
    """
    chunk = start
    unseen = 0  # 1 when the chunk's first token is such a forgotten comma
    while end - chunk > length:
        arriving = chunk + length
        if ids[arriving] == comma:
            cuts.append((chunk, arriving, "full", 0, subprompt))
            chunk, unseen = arriving, 1
            continue
        if window:
            low = max(arriving - window, chunk + unseen)
            tail = ids[low:arriving]
            if comma in tail:
                tail.reverse()
                keep = arriving - tail.index(comma)  # one past the last comma
                moved = arriving - keep
                cuts.append((chunk, keep, "comma" if moved else "full", moved, subprompt))
                chunk, unseen = keep, 0
                continue
        cuts.append((chunk, arriving, "full", 0, subprompt))
        chunk, unseen = arriving, 0
    return chunk


def _end_subprompt(
    cuts: list[tuple[int, int, BoundaryReason, int, int]], start: int, end: int, first: int, subprompt: int
) -> None:
    # A1111 encodes each AND sub-prompt on its own: its last chunk is kept when it holds tokens,
    # or when the sub-prompt has no chunk yet (an empty sub-prompt is one padded chunk).
    if end > start or len(cuts) == first:
        cuts.append((start, end, "and", 0, subprompt))
    elif cuts:
        a, b, _, moved, sub = cuts[-1]
        cuts[-1] = (a, b, "and", moved, sub)


def _spans(fragment: Fragment, offsets: Sequence[tuple[int, int]], base: int = 0) -> list[Span | None]:
    """``fragment.source_span(start - base, end - base)`` for each of a tokenizer's ``offsets``
    (sorted by start), segment by segment.

    Tokens inside a segment that is its source unchanged (most of them: escapes and removed
    extra networks make short segments of their own) are one shift; the rest take the rule of
    ``Fragment.source_span`` token by token.
    """
    segments = fragment.segments
    if not segments:
        return [None] * len(offsets)
    starts = [seg[0] for seg in segments]
    ends = [*starts[1:], len(fragment.text)]  # where each segment's text stops
    token = bisect_left(offsets, starts[0] + base, key=_START)
    out = [_source_span(segments, starts, ends, a - base, b - base) for a, b in offsets[:token]]
    for (offset, src_start, src_end), end in zip(segments, ends, strict=True):
        stop = bisect_left(offsets, end + base, token, key=_START)  # tokens that start in this segment
        inside = token
        if end - offset == src_end - src_start:
            inside = stop
            if inside > token and offsets[inside - 1][1] > end + base:
                inside -= 1  # the last token runs on into the next segment
            shift = src_start - offset - base
            out += [(a + shift, b + shift) for a, b in offsets[token:inside]]
        out += [_source_span(segments, starts, ends, a - base, b - base) for a, b in offsets[inside:stop]]
        token = stop
    return out


def _source_span(
    segments: Sequence[tuple[int, int, int]], starts: list[int], ends: list[int], a: int, b: int
) -> Span | None:
    """``Fragment.source_span(a, b)`` with the segment bounds worked out once, in O(log segments)."""
    stop = max(b, a + 1)
    i = bisect_right(ends, a)
    if i >= len(segments) or starts[i] >= stop:
        return None
    j = bisect_left(starts, stop, i) - 1
    offset, src_start, src_end = segments[i]
    first = src_start + (a - offset if a > offset and ends[i] - offset == src_end - src_start else 0)
    offset, src_start, src_end = segments[j]
    last = src_end - (ends[j] - b if b < ends[j] and ends[j] - offset == src_end - src_start else 0)
    return first, max(first, last)


# Lone surrogates (from bytes that were not UTF-8, or a broken UTF-16 pair) are not text to the
# tokenizer, which refuses the whole string; read them as U+FFFD, one character for one.
_SURROGATES = re.compile("[\ud800-\udfff]")


def _encodable(text: str) -> str:
    return _SURROGATES.sub("\ufffd", text) if _SURROGATES.search(text) else text


class _Tags:
    """The prompt's tags found by position: by bisection when they come in source order without
    overlapping (the usual case; a scan per boundary is quadratic on long prompts), else by a scan
    for the first tag that holds the position."""

    def __init__(self, tags: Sequence[TagItem]) -> None:
        self.tags = tags
        self.starts = [t.span[0] for t in tags]
        self.ordered = all(a.span[1] <= b.span[0] for a, b in pairwise(tags))

    def __bool__(self) -> bool:
        return bool(self.tags)

    def at(self, position: int) -> TagItem | None:
        if self.ordered:
            index = bisect_right(self.starts, position) - 1
            candidates: Sequence[TagItem] = self.tags[index : index + 1] if index >= 0 else ()
        else:
            candidates = self.tags
        for tag in candidates:
            if tag.span[0] <= position < tag.span[1]:
                return tag
        return None


def _boundary(index: int, reason: BoundaryReason, moved: int, before: Chunk, after: Chunk, tags: _Tags) -> Boundary:
    first = next((s for s in after.spans if s is not None), None)
    offset = first[0] if first is not None else None
    cut = None
    pushed: list[TagItem] = []
    if tags and reason == "full" and before.spans and after.spans:
        last_span, first_span = before.spans[-1], after.spans[0]
        if last_span is not None and first_span is not None:
            left = tags.at(last_span[0])
            if left is not None and left is tags.at(first_span[0]):
                cut = left
    if tags and reason == "comma":
        for span in after.spans[:moved]:
            tag = tags.at(span[0]) if span is not None else None
            if tag is not None and all(tag is not p for p in pushed):
                pushed.append(tag)
    return Boundary(index, reason, moved, offset, cut, tuple(pushed))
