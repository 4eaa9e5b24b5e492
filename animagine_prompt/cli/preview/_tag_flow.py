"""``TagFlow``: a prompt as the model reads it, chunk by chunk, each tag in its category's colour.

Under each chunk's bar come the items whose text starts in that chunk, in source order: tags with
their effective weight (``smile ×1.21``, bold above 1 and dim below), extra networks, schedules
and alternations (``⟦cat → dog @10⟧``, ``⟦a | b⟧``), ``✂`` on a tag a chunk boundary cuts, and
``[n]`` after whatever a diagnostic points at. Lines break between items, never inside one.
"""

from __future__ import annotations

from bisect import bisect_right

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from animagine_prompt.analysis import FindingView, Mark, NetworkView, PromptAnalysis, TagView
from animagine_prompt.cli.preview._chunk_bar import ChunkBar
from animagine_prompt.cli.preview._layout import Glyphs, Unit, fit, format_weight, glyphs, pack, styled

__all__ = ["TagFlow", "tag_text"]

_INDENT = "  "
_EMPHASIS = {"up": "animagine.weight.up", "down": "animagine.weight.down"}
# Order of pieces at one source offset: a schedule's opening or arrow, then the item, then its notes.
_OPEN, _ITEM, _NOTE = 0, 1, 2


def tag_text(tag: TagView, marks: Glyphs) -> Text:
    """One tag styled by category and emphasis, its weight when it is not 1, and ``✂`` when cut.

    >>> tag_text(TagView("smile", (0, 9), 1.21, "general", 0), glyphs(False)).plain
    'smile ×1.21'
    >>> text = tag_text(TagView("blurry", (0, 8), 0.9, "general", 0), glyphs(True))
    >>> text.plain, [(s.start, s.end, s.style) for s in text.spans]  # doctest: +NORMALIZE_WHITESPACE
    ('blurry x0.9', [(0, 6, 'animagine.tag.general'), (0, 6, 'animagine.weight.down'),
                     (6, 11, 'animagine.weight.number'), (6, 11, 'animagine.weight.down')])
    """
    emphasis = _EMPHASIS.get(tag.emphasis, "")
    text = styled(tag.text, f"animagine.tag.{tag.category}", emphasis)
    if emphasis:
        text.append_text(styled(f" {marks.times}{format_weight(tag.weight)}", "animagine.weight.number", emphasis))
    if tag.cut:
        text.append(marks.cut, "animagine.cut")
    return text


def _network_text(network: NetworkView, marks: Glyphs) -> Text:
    weights = "/".join(format_weight(w) for w in network.weights)
    shown = f"<{network.kind}:{network.name}" + (f" {marks.times}{weights}" if weights else "") + ">"
    return Text(shown, "animagine.network")


def _mark_text(mark: Mark, marks: Glyphs) -> Text:
    if mark.role == "open":
        return Text(marks.open, "animagine.schedule")
    if mark.role == "mid":
        return Text(f"{marks.arrow if mark.kind == 'schedule' else marks.pipe} ", "animagine.schedule")
    return Text((f"@{mark.label}" if mark.label else "") + marks.close, "animagine.schedule")


def _note_text(note: FindingView) -> Text:
    return Text(f"[{note.number}]", f"animagine.diagnostic.{note.severity}")


class TagFlow:
    """The tags of one prompt, grouped under a :class:`ChunkBar` line per chunk.

    >>> from io import StringIO
    >>> from rich.console import Console
    >>> from animagine_prompt.analysis import analyze
    >>> console = Console(file=StringIO(), width=44, color_system=None)
    >>> console.print(TagFlow(analyze("1girl, ((smile)), [cat:dog:10], gren hair BREAK sky").prompt))
    >>> print(console.file.getvalue(), end="")
    chunk 1 ███░░░░░░░░░░░░░░░░░░░░░░ 9/75 BREAK
      1girl, smile ×1.21, ⟦cat → dog @10⟧,
      gren hair[1]
    chunk 2 ▍░░░░░░░░░░░░░░░░░░░░░░░░ 1/75
      sky
    """

    def __init__(self, view: PromptAnalysis, *, limit: int | None = None) -> None:
        self.view = view
        #: Mark only the findings numbered up to this (all when ``None``).
        self.limit = limit

    def __repr__(self) -> str:
        return f"TagFlow({self.view.label}, {len(self.view.tags)} tags)"

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        marks = glyphs(options.ascii_only)
        view = self.view
        per_chunk = self._pieces(marks)
        for chunk in view.chunks:
            # Bars of one prompt line up when their counts take the same width.
            yield ChunkBar([chunk], align_with=view.chunks)
            pieces = [p for p in per_chunk if p[0] == chunk.index]
            units = _units(pieces, options.max_width - len(_INDENT))
            yield from fit(pack(units, options.max_width, _INDENT), console, options.max_width)

    def _pieces(self, marks: Glyphs) -> list[tuple[int, tuple[int, int, int], str, Text]]:
        """``(chunk, sort key, kind, text)`` for every item, mark and note of the prompt."""
        view = self.view
        starts = [c.start for c in view.chunks]
        out: list[tuple[int, tuple[int, int, int], str, Text]] = []
        holders: list[tuple[tuple[int, int], int]] = []  # item spans -> chunk, to place notes
        for tag in view.tags:
            out.append((tag.chunk, (tag.span[0], _ITEM, 0), "item", tag_text(tag, marks)))
            holders.append((tag.span, tag.chunk))
        for network in view.networks:
            out.append((network.chunk, (network.span[0], _ITEM, 0), "item", _network_text(network, marks)))
            holders.append((network.span, network.chunk))
        for mark in view.marks:
            order = _ITEM if mark.role == "close" else _OPEN
            out.append((mark.chunk, (mark.offset, order, 0), mark.role, _mark_text(mark, marks)))
        for note in view.findings:
            if self.limit is not None and note.number > self.limit:
                break
            offset = note.span[0]
            holder = next(((span, chunk) for span, chunk in holders if span[0] <= offset < span[1]), None)
            if holder is not None:
                (offset, _), chunk = holder
            else:
                chunk = max(0, bisect_right(starts, offset) - 1)
            out.append((chunk, (offset, _NOTE, note.number), "note", _note_text(note)))
        out.sort(key=lambda p: (p[0], p[1]))
        return out


def _units(pieces: list[tuple[int, tuple[int, int, int], str, Text]], width: int) -> list[Unit]:
    """Pieces joined into unbreakable units: ``⟦`` and ``→``/``|`` stick to the item after them,
    ``…⟧`` and ``[n]`` to the item before, and a separating comma ends the unit before it. A whole
    schedule or alternation becomes one unit when it fits on a line."""
    units: list[Unit] = []
    groups: list[int | None] = []  # the outermost schedule each unit belongs to
    pending: Unit | None = None  # an opening or arrow waiting for its item
    previous = None
    depth, group = 0, 0
    for _, _, kind, piece in pieces:
        text = piece.copy()
        if kind == "open":
            group += depth == 0
            depth += 1
        current = group if depth else None
        if kind in ("close", "note"):
            if pending is not None:
                pending.text.rstrip()
                units.append(pending)
                groups.append(current)
                pending = None
            if not units:
                units.append(Unit(text))
                groups.append(current)
            else:
                gap = " " if kind == "close" and text.plain[:1] == "@" and previous != "open" else ""
                units[-1].text.append(gap)
                units[-1].text.append_text(text)
            if kind == "close":
                depth = max(0, depth - 1)
        elif kind in ("open", "mid"):
            if pending is None:
                pending = Unit(text, _lead(units, previous, kind))
            else:
                pending.text.append_text(text)
        else:
            if pending is not None:
                pending.text.append_text(text)
                units.append(pending)
                pending = None
            else:
                units.append(Unit(text, _lead(units, previous, kind)))
            groups.append(current)
        previous = kind
    if pending is not None:
        units.append(pending)
        groups.append(group if depth else None)
    return _join_groups(units, groups, width)


def _join_groups(units: list[Unit], groups: list[int | None], width: int) -> list[Unit]:
    out: list[Unit] = []
    i = 0
    while i < len(units):
        j = i + 1
        if groups[i] is not None:
            while j < len(units) and groups[j] == groups[i]:
                j += 1
        joined = units[i].text.copy()
        fits = joined.cell_len <= width
        for unit in units[i + 1 : j] if fits else ():
            joined.append(unit.lead)
            joined.append_text(unit.text)
            fits = joined.cell_len <= width
            if not fits:  # a long schedule: stop joining as soon as it cannot fit
                break
        if j - i > 1 and fits:
            out.append(Unit(joined, units[i].lead))
        else:
            out.extend(units[i:j])
        i = j
    return out


def _lead(units: list[Unit], previous: str | None, kind: str) -> str:
    """The gap before a new unit; a comma goes on the end of the unit before, never starts a line."""
    if not units or previous in ("open", "mid"):
        return ""
    if kind == "mid":
        return " "
    units[-1].text.append(",", "animagine.separator")
    return " "


if __name__ == "__main__":
    from animagine_prompt.cli.preview._demo import demo

    demo(lambda preview: TagFlow(preview.prompt))
