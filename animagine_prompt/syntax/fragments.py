"""Weighted text fragments: what the text encoders see, in A1111's format.

A fragment is a run of text with one weight (equal-weight neighbours merged, as A1111 does),
or a marker: ``break`` (BREAK: start a new 75-token chunk) or ``and`` (the next AND sub-prompt).
Every fragment maps its characters back to the prompt source through ``segments``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from animagine_prompt.diagnostics import Span
from animagine_prompt.syntax._walk import Event

__all__ = ["Fragment", "build_fragments"]


@dataclass(frozen=True, slots=True)
class Fragment:
    """Text with one weight, or a ``break``/``and`` marker.

    ``segments`` holds ``(text_offset, src_start, src_end)`` triples: the text from ``text_offset``
    up to the next segment's offset came from ``source[src_start:src_end]``.

    >>> from animagine_prompt.syntax import parse
    >>> [(f.text, round(f.weight, 4)) for f in parse("a, (b:1.5), \\\\(c\\\\)").fragments()]
    [('a, ', 1.0), ('b', 1.5), (', (c)', 1.0)]
    """

    text: str
    weight: float
    kind: str = "text"
    segments: tuple[tuple[int, int, int], ...] = ()

    @property
    def is_break(self) -> bool:
        """True for a BREAK marker."""
        return self.kind == "break"

    def source_span(self, start: int, end: int) -> Span | None:
        """The source range that ``self.text[start:end]`` came from.

        >>> from animagine_prompt.syntax import parse
        >>> f = parse("x, (blue \\\\(eyes\\\\):1.2)").fragments()[1]
        >>> f.text, f.source_span(0, 4), f.source_span(5, 11)
        ('blue (eyes)', (4, 8), (9, 17))
        """
        first = last = None
        for i, (offset, src_start, src_end) in enumerate(self.segments):
            next_offset = self.segments[i + 1][0] if i + 1 < len(self.segments) else len(self.text)
            if next_offset <= start or offset >= max(end, start + 1):
                continue
            exact = (next_offset - offset) == (src_end - src_start)
            if first is None:
                first = src_start + (start - offset if exact and start > offset else 0)
            last = src_end - (next_offset - end if exact and end < next_offset else 0)
        if first is None or last is None:
            return None
        return first, max(first, last)


def build_fragments(events: Iterable[Event]) -> list[Fragment]:
    """Fragments from a walk's events (``_walk.walk``), reproducing A1111's BREAK whitespace rules."""
    # piece: [text, weight, kind, segments (tuple of (text_offset, src_start, src_end))]
    pieces: list[list] = []
    run: list[int] = []  # pieces of the current A1111 plain-text run
    strip_next = False
    for event in events:
        tag = event.kind
        if tag == "text":
            _, _, value, weight, start, end, in_run = event
            if strip_next and in_run:
                stripped = value.lstrip()
                start += len(value) - len(stripped)
                value = stripped
                strip_next = not value
            elif not in_run:
                strip_next = False
            pieces.append([value, weight, "text", ((0, start, end),) if value else ()])
            if in_run:
                run.append(len(pieces) - 1)
            elif run:
                run = []
        elif tag == "edge":
            if run:
                run = []
            strip_next = False
        elif tag == "break":
            _, leaf, weight = event
            if run:
                # A1111 splits its text token at "\s*BREAK\s*": strip the whitespace before it.
                for index in reversed(run):
                    piece = pieces[index]
                    stripped = piece[0].rstrip()
                    cut = len(piece[0]) - len(stripped)
                    piece[0] = stripped
                    if piece[3]:
                        offset, src_start, src_end = piece[3][-1]
                        piece[3] = piece[3][:-1] + ((offset, src_start, src_end - cut),) if stripped else ()
                    if stripped:
                        break
            else:
                pieces.append(["", weight, "text", ()])
            span = leaf.span or (0, 0)
            pieces.append(["BREAK", -1.0, "break", ((0, span[0], span[1]),)])
            pieces.append(["", weight, "text", ()])
            run = [len(pieces) - 1]
            strip_next = True
        # "sep" events (extra networks, comments) are removed before A1111 parses: no effect here.
    return _merge(pieces)


def _merge(pieces: list[list]) -> list[Fragment]:
    out: list[Fragment] = []
    texts: list[str] = []
    segments: list[tuple[int, int, int]] = []
    weight = kind = None
    length = 0
    for text, piece_weight, piece_kind, piece_segments in pieces:
        if piece_kind == "text" and kind == "text" and piece_weight == weight:
            for offset, start, end in piece_segments:
                segments.append((length + offset, start, end))
            texts.append(text)
            length += len(text)
            continue
        if kind is not None:
            out.append(Fragment("".join(texts), weight, kind, tuple(segments)))
        texts, segments, weight, kind, length = [text], list(piece_segments), piece_weight, piece_kind, len(text)
    if kind is None:
        return [Fragment("", 1.0)]
    out.append(Fragment("".join(texts), weight, kind, tuple(segments)))
    return out
