"""What the preview shows, as plain data: tags with a category and weight, chunks, marks, diagnostics.

Nothing here needs rich: the renderables in this package only lay these values out, so a test
can check what the preview says apart from how it looks.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from animagine_prompt.diagnostics import Span

__all__ = [
    "CATEGORIES",
    "ChunkView",
    "Mark",
    "NetworkView",
    "Note",
    "Preview",
    "PromptView",
    "TagView",
    "analyze",
]

#: Tag categories the preview colours, in tagcomplete's order; anything else is ``unknown``.
CATEGORIES = ("general", "artist", "copyright", "character", "meta", "unknown")

# A1111's AND weight at the end of a sub-prompt: the tag list keeps it in the last item's text.
_SUB_WEIGHT = re.compile(r"\s*:\s*[-+]?(?:\d+\.?|\d*\.\d+)\s*$")


@dataclass(frozen=True)
class TagView:
    """One comma-separated item: its text, effective weight, tag category and chunk.

    ``chunk`` is the index of the chunk its text starts in; ``cut`` is set when a chunk
    boundary splits it; ``scheduled`` when it belongs to a schedule or alternation.

    >>> TagView("smile", (0, 5), 1.1, "general", 0).emphasis
    'up'
    """

    text: str
    span: Span
    weight: float
    category: str
    chunk: int
    cut: bool = False
    scheduled: bool = False

    @property
    def emphasis(self) -> Literal["up", "down", "none"]:
        """``up`` above weight 1, ``down`` below it, ``none`` at 1.

        >>> TagView("blurry", (0, 6), 0.9, "general", 0).emphasis
        'down'
        """
        if abs(self.weight - 1.0) < 1e-9:
            return "none"
        return "up" if self.weight > 1.0 else "down"


@dataclass(frozen=True)
class NetworkView:
    """An extra network (``<lora:name:0.8>``): removed from the text the encoder sees.

    >>> NetworkView("lora", "detail", (0.8,), (3, 20), 0).kind
    'lora'
    """

    kind: str
    name: str
    weights: tuple[float, ...]
    span: Span
    chunk: int


@dataclass(frozen=True)
class Mark:
    """Punctuation of a schedule or alternation, placed at a source offset.

    ``role`` is ``open`` (the ``[``), ``mid`` (between a schedule's before and after text, or
    between alternation options) or ``close``; ``kind`` is ``schedule`` or ``alternate``;
    ``label`` the step of a schedule's close (``10``, ``0.5``).

    >>> Mark(4, "close", "schedule", 0, "10").label
    '10'
    """

    offset: int
    role: Literal["open", "mid", "close"]
    kind: Literal["schedule", "alternate"]
    chunk: int
    label: str = ""


@dataclass(frozen=True)
class ChunkView:
    """One 75-token encoder chunk: how full it is, why it ends, where it starts in the source.

    ``ends`` is ``full`` (75 tokens), ``comma`` (comma back-tracking moved ``moved`` tokens on),
    ``break``, ``and`` or ``end`` (the last chunk); ``subprompt`` the AND part it belongs to,
    ``subprompt_weight`` that part's weight, and ``starts_part`` is set on the first chunk of
    every part after the first.

    >>> ChunkView(0, 41, 75, "break", 0).left
    34
    """

    index: int
    used: int
    length: int
    ends: Literal["full", "comma", "break", "and", "end"]
    start: int
    moved: int = 0
    subprompt: int = 0
    subprompt_weight: float = 1.0
    starts_part: bool = False

    @property
    def left(self) -> int:
        """Tokens still free in the chunk.

        >>> ChunkView(0, 75, 75, "full", 0).left
        0
        """
        return self.length - self.used


@dataclass(frozen=True)
class Note:
    """A diagnostic as the preview lists it: numbered, with the field it belongs to.

    >>> Note(1, "T003", "warning", "unknown tag", (0, 4), "prompt").severity
    'warning'
    """

    number: int
    code: str
    severity: str
    message: str
    span: Span
    field: str
    name: str = ""


@dataclass(frozen=True)
class PromptView:
    """Everything the preview shows about one prompt (the positive or the negative).

    >>> view = analyze("1girl, (smile:1.2)").prompt
    >>> [(t.text, t.weight, t.category) for t in view.tags], view.token_count
    ([('1girl', 1.0, 'general'), ('smile', 1.2, 'general')], 4)
    """

    field: Literal["prompt", "negative_prompt"]
    text: str
    tags: tuple[TagView, ...]
    networks: tuple[NetworkView, ...]
    marks: tuple[Mark, ...]
    chunks: tuple[ChunkView, ...]
    notes: tuple[Note, ...]

    @property
    def token_count(self) -> int:
        """Tokens in all chunks (BOS, EOS and padding not counted).

        >>> analyze("masterpiece, best quality").prompt.token_count
        4
        """
        return sum(c.used for c in self.chunks)

    @property
    def capacity(self) -> int:
        """Chunk length times the number of chunks.

        >>> analyze("a BREAK b").prompt.capacity
        150
        """
        return sum(c.length for c in self.chunks)

    @property
    def label(self) -> str:
        """``prompt`` or ``negative``.

        >>> analyze("a", "b").negative.label
        'negative'
        """
        return "negative" if self.field == "negative_prompt" else "prompt"


@dataclass(frozen=True)
class Preview:
    """The positive prompt, the negative when there is one, and the presets that built them.

    ``presets`` describes the presets applied (``quality Heavy, style Anime``), ``None`` when
    the prompt was previewed as written.

    >>> p = analyze("1girl", "lowres")
    >>> p.prompt.text, p.negative.text, p.presets
    ('1girl', 'lowres', None)
    """

    prompt: PromptView
    negative: PromptView | None = None
    presets: str | None = None

    @property
    def views(self) -> tuple[PromptView, ...]:
        """The prompt, then the negative when there is one.

        >>> len(analyze("a").views), len(analyze("a", "").views)
        (1, 2)
        """
        return (self.prompt,) if self.negative is None else (self.prompt, self.negative)

    @property
    def notes(self) -> tuple[Note, ...]:
        """Every diagnostic, numbered in order: the prompt's first.

        >>> [n.code for n in analyze("1girl,, solo", "lowres,,").notes]
        ['S101', 'S101', 'S102']
        """
        return tuple(n for v in self.views for n in v.notes)


def analyze(
    prompt: str,
    negative: str | None = None,
    *,
    linter: Any = None,
    database: Any = None,
    presets: str | None = None,
) -> Preview:
    """Work out what the preview shows for ``prompt`` and, when given, ``negative``.

    ``linter`` is an ``animagine_prompt.lint.Linter`` (default rules when omitted; its settings
    choose the dialect); ``database`` the tag database (default: the linter's). ``presets`` is
    only carried along, to say how the text was built.

    >>> p = analyze("hu tao \\\\(genshin impact\\\\), [cat:dog:10], <lora:detail:0.6>, gren hair")
    >>> [(t.text, t.category, t.scheduled) for t in p.prompt.tags]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('hu tao (genshin impact)', 'character', False), ('cat', 'general', True),
     ('dog', 'general', True), ('gren hair', 'unknown', False)]
    >>> [(m.role, m.label) for m in p.prompt.marks], p.prompt.networks[0].name
    ([('open', ''), ('mid', ''), ('close', '10')], 'detail')
    >>> [(n.number, n.code) for n in p.notes]
    [(1, 'T003')]
    """
    if linter is None:
        from animagine_prompt.lint import Linter

        linter = Linter()
    if database is None:
        database = linter.resources.database()
    findings = linter.lint(prompt, negative)
    views: list[PromptView] = []
    number = 0
    for field, text in (("prompt", prompt), ("negative_prompt", negative)):
        if text is None:
            continue
        notes = []
        for finding in findings:
            if finding.field == field:
                number += 1
                severity = getattr(finding.severity, "value", str(finding.severity))
                notes.append(Note(number, finding.code, severity, finding.message, finding.span, field, finding.name))
        views.append(_view(field, text, tuple(notes), linter, database))  # type: ignore[arg-type]
    return Preview(views[0], views[1] if len(views) > 1 else None, presets)


def _view(
    field: Literal["prompt", "negative_prompt"], text: str, notes: tuple[Note, ...], linter: Any, database: Any
) -> PromptView:
    from animagine_prompt.syntax import parse
    from animagine_prompt.tokens import plan

    parsed = parse(text, dialect=linter.settings.dialect)
    chunk_plan = plan(parsed)
    chunks = _chunks(chunk_plan)
    starts = [c.start for c in chunks]

    def chunk_of(offset: int) -> int:
        return max(0, bisect_right(starts, offset) - 1)

    schedules = list(_schedule_spans(parsed.tree.children))
    cut = {t.span for t in chunk_plan.cut_tags}
    items = _trim_and_weights(parsed)
    categories = [_category(database, t.text) for t in items]
    tags = tuple(
        TagView(
            t.text,
            t.span,
            t.weight,
            category,
            chunk_of(t.text_span[0]),
            t.span in cut,
            any(s <= t.span[0] < e for s, e in schedules),
        )
        for t, category in zip(items, categories, strict=True)
    )
    networks = tuple(
        NetworkView(n.kind, n.name, n.weights, n.span, chunk_of(n.span[0]))
        for n in parsed.extra_networks()
        if n.span is not None
    )
    marks = tuple(
        Mark(offset, role, kind, chunk_of(offset), label)  # type: ignore[arg-type]
        for offset, role, kind, label in _marks(parsed.tree.children)
    )
    return PromptView(field, text, tags, networks, marks, chunks, notes)


def _category(database: Any, text: str) -> str:
    category = database.category_of(text)
    if category is None:
        return "unknown"
    from animagine_prompt.tags import category_name

    name = category_name(category)
    return name if name in CATEGORIES else "unknown"


def _chunks(chunk_plan: Any) -> tuple[ChunkView, ...]:
    ends: dict[int, Any] = {b.chunk: b for b in chunk_plan.boundaries}
    raw_starts: list[int | None] = [0] + [
        ends[i].offset if i in ends else None for i in range(len(chunk_plan.chunks) - 1)
    ]
    # A chunk without tokens (BREAK BREAK) starts where the next one with tokens does, so that
    # items are placed in the later chunk, which is the one that holds their tokens.
    starts: list[int] = []
    following = 1 << 62
    for value in reversed(raw_starts):
        following = value if value is not None else following
        starts.append(following)
    starts.reverse()
    out = []
    for i, chunk in enumerate(chunk_plan.chunks):
        boundary = ends.get(i)
        weight = chunk_plan.subprompt_weights[chunk.subprompt]
        out.append(
            ChunkView(
                i,
                chunk.used,
                chunk.length,
                boundary.reason if boundary is not None else "end",
                starts[i],
                boundary.moved if boundary is not None else 0,
                chunk.subprompt,
                weight,
                chunk.subprompt > 0 and (i == 0 or chunk_plan.chunks[i - 1].subprompt != chunk.subprompt),
            )
        )
    return tuple(out)


def _trim_and_weights(parsed: Any) -> list[Any]:
    """The prompt's tags, with an AND part's ``:weight`` taken off the part's last item."""
    from dataclasses import replace

    items = list(parsed.tags())
    for sub in parsed.subprompts():
        inside = [i for i, t in enumerate(items) if sub.span[0] <= t.span[0] < sub.span[1]]
        if not inside:
            continue
        last = items[inside[-1]]
        match = _SUB_WEIGHT.search(last.text)
        # Only when the item runs past the part's text: then its tail is the part's weight.
        if match is None or last.span[1] <= sub.span[0] + len(sub.text):
            continue
        text = last.text[: match.start()].strip()
        if text:
            items[inside[-1]] = replace(last, text=text)
        else:
            del items[inside[-1]]
    return items


def _schedule_spans(nodes: Sequence[Any]) -> Iterator[Span]:
    from animagine_prompt.syntax import Alternate, Schedule

    for node, _depth in _walk(nodes):
        if isinstance(node, (Schedule, Alternate)) and node.span is not None:
            yield node.span


def _walk(nodes: Sequence[Any], depth: int = 0) -> Iterator[tuple[Any, int]]:
    from animagine_prompt.syntax import Alternate, Group, Schedule

    for node in nodes:
        yield node, depth
        if isinstance(node, Group):
            yield from _walk(node.children, depth + 1)
        elif isinstance(node, Schedule):
            yield from _walk((*(node.before or ()), *node.after), depth + 1)
        elif isinstance(node, Alternate):
            yield from _walk([n for option in node.options for n in option], depth + 1)


def _marks(nodes: Sequence[Any]) -> Iterator[tuple[int, str, str, str]]:
    """``(offset, role, kind, label)`` for every schedule and alternation, found by rendering
    each part: the tree is lossless, so lengths of the rendered parts give the offsets."""
    from animagine_prompt.syntax import Alternate, Schedule, render

    found = []
    for node, _depth in _walk(nodes):
        if isinstance(node, Schedule) and node.span is not None:
            start, end = node.span
            found.append((start, "open", "schedule", ""))
            if node.before is None:
                found.append((start + 1, "mid", "schedule", ""))
            else:
                found.append((start + 1 + len(render(node.before)) + 1, "mid", "schedule", ""))
            found.append((end - 1, "close", "schedule", node.when_text.strip()))
        elif isinstance(node, Alternate) and node.span is not None:
            start, end = node.span
            found.append((start, "open", "alternate", ""))
            offset = start + 1
            for i, option in enumerate(node.options):
                if i:
                    found.append((offset, "mid", "alternate", ""))
                offset += len(render(option)) + 1
            found.append((end - 1, "close", "alternate", ""))
    yield from sorted(found, key=lambda m: m[0])
