"""The 75-token chunks as the analysis reports them: how full, why each ends, what its end cuts."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from animagine_prompt.analysis._json import Offsets, finite
from animagine_prompt.diagnostics import Span

if TYPE_CHECKING:  # pragma: no cover
    from animagine_prompt.tokens import Boundary, ChunkPlan

__all__ = ["ChunkView", "chunk_finder", "chunk_views"]

#: Where a chunk with no token of its own starts: after every offset, until a later chunk says.
_NOWHERE = 1 << 62


@dataclass(frozen=True)
class ChunkView:
    """One 75-token encoder chunk: how full it is, why it ends, where it starts in the source.

    ``ends`` is ``full`` (75 tokens), ``comma`` (comma back-tracking moved ``moved`` tokens on),
    ``break``, ``and`` or ``end`` (the last chunk); ``subprompt`` the AND part it belongs to,
    ``subprompt_weight`` that part's weight, and ``starts_part`` is set on the first chunk of
    every part after the first. ``cut`` is the span of the tag the chunk's end cuts in two,
    ``pushed`` the spans of the tags comma back-tracking moved whole into the next chunk.

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
    cut: Span | None = None
    pushed: tuple[Span, ...] = ()

    @property
    def left(self) -> int:
        """Tokens still free in the chunk.

        >>> ChunkView(0, 75, 75, "full", 0).left
        0
        """
        return self.length - self.used

    def to_dict(self, offsets: Offsets | None = None) -> dict[str, Any]:
        """The JSON form (``start`` is ``null`` for a chunk without tokens after the last one with some).

        >>> ChunkView(1, 2, 75, "end", 9).to_dict()["start"], ChunkView(1, 2, 75, "end", 9).to_dict()["cut"]
        (9, None)
        """
        at = offsets or Offsets("")
        return {
            "index": self.index,
            "used": self.used,
            "length": self.length,
            "start": None if self.start >= _NOWHERE else at(self.start),
            "ends": self.ends,
            "moved": self.moved,
            "subprompt": self.subprompt,
            "subprompt_weight": finite(self.subprompt_weight),
            "starts_part": self.starts_part,
            "cut": None if self.cut is None else dict(zip(("start", "end"), at.span(self.cut), strict=True)),
            "pushed": [dict(zip(("start", "end"), at.span(s), strict=True)) for s in self.pushed],
        }


def chunk_views(plan: ChunkPlan) -> tuple[ChunkView, ...]:
    """The chunks of ``plan``, each with the boundary that ends it.

    >>> from animagine_prompt.tokens import plan
    >>> [(c.used, c.ends, c.start) for c in chunk_views(plan("1girl, smile BREAK sky"))]
    [(4, 'break', 0), (1, 'end', 19)]
    """
    ends: dict[int, Boundary] = {b.chunk: b for b in plan.boundaries}
    raw: list[int | None] = [0, *(ends[i].offset if i in ends else None for i in range(len(plan.chunks) - 1))]
    # A chunk without tokens (BREAK BREAK) starts where the next one with tokens does, so that
    # items are placed in the later chunk, which is the one that holds their tokens.
    starts: list[int] = []
    following = _NOWHERE
    for value in reversed(raw):
        following = value if value is not None else following
        starts.append(following)
    starts.reverse()
    out = []
    for i, chunk in enumerate(plan.chunks):
        boundary = ends.get(i)
        out.append(
            ChunkView(
                i,
                chunk.used,
                chunk.length,
                boundary.reason if boundary is not None else "end",
                starts[i],
                boundary.moved if boundary is not None else 0,
                chunk.subprompt,
                plan.subprompt_weights[chunk.subprompt],
                chunk.subprompt > 0 and (i == 0 or plan.chunks[i - 1].subprompt != chunk.subprompt),
                boundary.cut.span if boundary is not None and boundary.cut is not None else None,
                tuple(t.span for t in boundary.pushed) if boundary is not None else (),
            )
        )
    return tuple(out)


def chunk_finder(chunks: Sequence[ChunkView]) -> Callable[[int], int]:
    """A function giving the index of the chunk a source offset lies in.

    >>> find = chunk_finder(chunk_views(__import__("animagine_prompt").plan("a BREAK b")))
    >>> find(0), find(8)
    (0, 1)
    """
    starts = [c.start for c in chunks]

    def chunk_of(offset: int) -> int:
        return max(0, bisect_right(starts, offset) - 1)

    return chunk_of
