"""``TagTable``: one row per tag and extra network, with category, a weight bar and the chunk."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from animagine_prompt.analysis import PromptAnalysis, TagView
from animagine_prompt.cli.preview._layout import bar, format_weight, glyphs, styled

__all__ = ["TagTable"]

#: Weight at which the bar is full: 2 is already far outside what prompts use.
_FULL_WEIGHT = 2.0
_BAR_CELLS = 6
_ROOMY = 60


class TagTable:
    """The tags of one prompt in source order: ``#``, tag, category, weight (bar and number), chunk.

    Tags a diagnostic points at end with ``[n]``; scheduled tags are marked with the schedule
    glyph and tags cut by a chunk boundary with ``✂``.

    >>> from io import StringIO
    >>> from rich.console import Console
    >>> from animagine_prompt.analysis import analyze
    >>> console = Console(file=StringIO(), width=60, color_system=None)
    >>> console.print(TagTable(analyze("hu tao \\\\(genshin impact\\\\), (smile:1.5), <lora:x:0.5>").prompt))
    >>> print(console.file.getvalue(), end="")
    #   tag                       category    weight       chunk
    ────────────────────────────────────────────────────────────
    1   hu tao (genshin impact)   character   ███░░░ 1         1
    2   smile                     general     ████▌░ 1.5       1
    3   <lora:x>                  network     █▌░░░░ 0.5       1
    """

    def __init__(self, view: PromptAnalysis, *, limit: int | None = None) -> None:
        self.view = view
        #: Mark only the findings numbered up to this (all when ``None``).
        self.limit = limit

    def __repr__(self) -> str:
        return f"TagTable({self.view.label}, {len(self.view.tags)} tags)"

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich import box
        from rich.table import Table

        marks = glyphs(options.ascii_only)
        roomy = options.max_width >= _ROOMY  # narrower, the weight is a number without its bar
        # Headers are styled Text, not header_style: a console without the theme then still renders.
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="")
        for name, justify in (("#", "right"), ("tag", "left"), ("category", "left"), ("weight", "left")):
            table.add_column(Text(name, "animagine.chunk.label"), justify=justify)  # type: ignore[arg-type]  # rich wants a Literal; the loop's strings are those literals
        table.add_column(Text("chunk", "animagine.chunk.label"), justify="right")
        table.columns[1].overflow = "fold"
        table.columns[3].no_wrap = True
        notes: dict[tuple[int, int], list[tuple[str, str]]] = {}
        rows: list[tuple[int, tuple[int, int], str, str, float, int, TagView | None]] = []
        for item in self.view.tags:
            rows.append((item.span[0], item.span, item.text, item.category, item.weight, item.chunk, item))
        for network in self.view.networks:
            weight = network.weights[0] if network.weights else 1.0
            shown = f"<{network.kind}:{network.name}>"
            rows.append((network.span[0], network.span, shown, "network", weight, network.chunk, None))
        rows.sort(key=lambda r: r[0])
        for note in self.view.findings:
            if self.limit is not None and note.number > self.limit:
                break
            holder = next((r[1] for r in rows if r[1][0] <= note.span[0] < r[1][1]), None)
            if holder is not None:
                notes.setdefault(holder, []).append((f"[{note.number}]", note.severity))
        for i, (_, span, shown, category, weight, chunk, tag) in enumerate(rows, 1):
            style = "animagine.network" if tag is None else f"animagine.tag.{category}"
            emphasis = (
                ""
                if tag is None
                else {"up": "animagine.weight.up", "down": "animagine.weight.down"}.get(tag.emphasis, "")
            )
            cell = styled(shown, style, emphasis)
            if tag is not None and tag.scheduled:
                cell = Text(marks.open, "animagine.schedule") + cell + Text(marks.close, "animagine.schedule")
            if tag is not None and tag.cut:
                cell.append(marks.cut, "animagine.cut")
            for label, severity in notes.get(span, []):
                cell.append(label, f"animagine.diagnostic.{severity}")
            filled, empty = bar(weight / _FULL_WEIGHT, _BAR_CELLS if roomy else 0, marks)
            weight_cell = Text.assemble((filled, "animagine.weight.bar"), (empty, "animagine.chunk.empty"))
            number = (" " if roomy else "") + format_weight(weight)
            weight_cell.append_text(styled(number, "animagine.weight.number", emphasis))
            table.add_row(str(i), cell, Text(category, style), weight_cell, str(chunk + 1))
        yield table


if __name__ == "__main__":
    from animagine_prompt.cli.preview._demo import demo

    demo(lambda preview: TagTable(preview.prompt))
