"""Tags and extra networks as the analysis reports them: category, effective weight, chunk."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from animagine_prompt.analysis._json import Offsets, finite
from animagine_prompt.diagnostics import Span
from animagine_prompt.tags import Category, category_name

if TYPE_CHECKING:  # pragma: no cover
    from animagine_prompt.syntax import ExtraNetwork, TagItem
    from animagine_prompt.tags import TagDatabase

__all__ = ["CATEGORIES", "NetworkView", "TagView", "network_views", "tag_views"]

#: Tag categories in tagcomplete's order; anything the tag list does not know is ``unknown``.
CATEGORIES = ("general", "artist", "copyright", "character", "meta", "unknown")
_NUMBERS = {c.name.lower(): int(c) for c in Category}


@dataclass(frozen=True)
class TagView:
    """One comma-separated item: its text, effective weight, tag category and chunk.

    ``span`` covers the whole item (its brackets too), ``text_span`` the source of its text
    alone (``None``: the same as ``span``). ``chunk`` is the index of the chunk its text starts
    in; ``cut`` is set when a chunk boundary splits it; ``scheduled`` when it belongs to a
    schedule or alternation.

    >>> tag = TagView("smile", (0, 11), 1.1, "general", 0, text_span=(1, 6))
    >>> tag.emphasis, tag.category_id, tag.to_dict()["text_end"]
    ('up', 0, 6)
    """

    text: str
    span: Span
    weight: float
    category: str
    chunk: int
    cut: bool = False
    scheduled: bool = False
    text_span: Span | None = None

    @property
    def emphasis(self) -> Literal["up", "down", "none"]:
        """``up`` above weight 1, ``down`` below it, ``none`` at 1.

        >>> TagView("blurry", (0, 6), 0.9, "general", 0).emphasis
        'down'
        """
        if abs(self.weight - 1.0) < 1e-9:
            return "none"
        return "up" if self.weight > 1.0 else "down"

    @property
    def category_id(self) -> int | None:
        """The category's Danbooru and tagcomplete number (the palette index); ``None`` when unknown.

        >>> TagView("kafka", (0, 5), 1.0, "character", 0).category_id
        4
        """
        return _NUMBERS.get(self.category)

    def to_dict(self, offsets: Offsets | None = None) -> dict[str, Any]:
        """The JSON form; ``offsets`` converts the positions.

        >>> sorted(TagView("a", (0, 1), 1.0, "unknown", 0).to_dict())  # doctest: +NORMALIZE_WHITESPACE
        ['category', 'category_id', 'chunk', 'cut', 'emphasis', 'end', 'scheduled', 'start', 'text',
         'text_end', 'text_start', 'weight']
        """
        at = offsets or Offsets("")
        start, end = at.span(self.span)
        text_start, text_end = at.span(self.text_span or self.span)
        return {
            "text": self.text,
            "start": start,
            "end": end,
            "text_start": text_start,
            "text_end": text_end,
            "weight": finite(self.weight),
            "emphasis": self.emphasis,
            "category": self.category,
            "category_id": self.category_id,
            "chunk": self.chunk,
            "cut": self.cut,
            "scheduled": self.scheduled,
        }


@dataclass(frozen=True)
class NetworkView:
    """An extra network (``<lora:name:0.8>``): removed from the text the encoder sees.

    >>> NetworkView("lora", "detail", (0.8,), (3, 20), 0).to_dict()
    {'kind': 'lora', 'name': 'detail', 'weights': [0.8], 'start': 3, 'end': 20, 'chunk': 0}
    """

    kind: str
    name: str
    weights: tuple[float, ...]
    span: Span
    chunk: int

    def to_dict(self, offsets: Offsets | None = None) -> dict[str, Any]:
        """The JSON form; ``offsets`` converts the positions."""
        start, end = self.span if offsets is None else offsets.span(self.span)
        return {
            "kind": self.kind,
            "name": self.name,
            "weights": [finite(w) for w in self.weights],
            "start": start,
            "end": end,
            "chunk": self.chunk,
        }


def _category(database: TagDatabase, text: str) -> str:
    category = database.category_of(text)
    if category is None:
        return "unknown"
    name = category_name(category)
    return name if name in CATEGORIES else "unknown"


def _outermost(spans: Iterable[Span]) -> tuple[list[int], list[int]]:
    """Starts and ends of the spans not inside another (spans of a tree nest or are disjoint)."""
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if ends and start < ends[-1]:
            continue
        starts.append(start)
        ends.append(end)
    return starts, ends


def tag_views(
    items: Sequence[TagItem],
    database: TagDatabase,
    chunk_of: Callable[[int], int],
    cut: Iterable[Span] = (),
    scheduled: Iterable[Span] = (),
) -> tuple[TagView, ...]:
    """A :class:`TagView` for each item: its category from ``database``, the chunk ``chunk_of``
    its text's start, and whether a span in ``cut`` (tags a boundary cuts) or in ``scheduled``
    (schedules and alternations) holds it.

    >>> from animagine_prompt.syntax import parse
    >>> from animagine_prompt.tags import load_database
    >>> text = "hu tao \\\\(genshin impact\\\\), [smile|blush]"
    >>> views = tag_views(parse(text).tags(), load_database(), lambda o: 0, scheduled=[(27, 40)])
    >>> [(v.text, v.category, v.scheduled) for v in views]
    [('hu tao (genshin impact)', 'character', False), ('smile', 'general', True), ('blush', 'general', True)]
    """
    cut_spans = set(cut)
    starts, ends = _outermost(scheduled)

    def in_schedule(offset: int) -> bool:
        i = bisect_right(starts, offset) - 1
        return i >= 0 and offset < ends[i]

    return tuple(
        TagView(
            item.text,
            item.span,
            item.weight,
            _category(database, item.text),
            chunk_of(item.text_span[0]),
            item.span in cut_spans,
            in_schedule(item.span[0]),
            item.text_span,
        )
        for item in items
    )


def network_views(networks: Iterable[ExtraNetwork], chunk_of: Callable[[int], int]) -> tuple[NetworkView, ...]:
    """A :class:`NetworkView` for each parsed extra network that has a source span.

    >>> from animagine_prompt.syntax import parse
    >>> network_views(parse("a, <lora:x:0.5>").extra_networks(), lambda o: 0)[0].span
    (3, 15)
    """
    return tuple(
        NetworkView(n.kind, n.name, n.weights, n.span, chunk_of(n.span[0])) for n in networks if n.span is not None
    )
