"""``WeightLegend``: what the colours, weights and marks of the preview mean."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from animagine_prompt.analysis import CATEGORIES, Analysis
from animagine_prompt.cli.preview._layout import Glyphs, Unit, fit, glyphs, pack, styled

__all__ = ["WeightLegend"]


class WeightLegend:
    """The category colours, then the weight and mark notation.

    Given a ``preview``, only the notation that preview uses is explained; without one, all of it.

    >>> from io import StringIO
    >>> from rich.console import Console
    >>> console = Console(file=StringIO(), width=60, color_system=None)
    >>> console.print(WeightLegend())
    >>> print(console.file.getvalue(), end="")
    tags: general  artist  copyright  character  meta  unknown
    ×1.2 bold: stronger  ×0.9 dim: weaker  ⟦a → b @10⟧ schedule
    ⟦a | b⟧ alternation  <lora:name ×0.8> extra network
    ✂ cut by a chunk boundary  [1] diagnostic
    """

    def __init__(self, preview: Analysis | None = None) -> None:
        self.preview = preview

    def __repr__(self) -> str:
        return f"WeightLegend({'all' if self.preview is None else 'used'})"

    def _used(self) -> set[str]:
        if self.preview is None:
            return {"up", "down", "schedule", "alternate", "network", "cut", "note"}
        used: set[str] = set()
        for view in self.preview.read.views:
            used.update(t.emphasis for t in view.tags)
            used.update("cut" for t in view.tags if t.cut)
            used.update(m.kind for m in view.marks)
            used.update("network" for _ in view.networks)
            used.update("note" for _ in view.findings)
        return used

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        marks = glyphs(options.ascii_only)
        units = [Unit(Text("tags:"))]
        units += [
            Unit(Text(name, f"animagine.tag.{name}"), " " if i == 0 else "  ") for i, name in enumerate(CATEGORIES)
        ]
        yield from fit(pack(units, options.max_width), console, options.max_width)
        notation = [Unit(text, "  ") for text in _notation(self._used(), marks)]
        yield from fit(pack(notation, options.max_width), console, options.max_width)


def _notation(used: set[str], marks: Glyphs) -> list[Text]:
    out = []
    if "up" in used:
        out.append(
            styled(f"{marks.times}1.2", "animagine.weight.number", "animagine.weight.up") + Text(" bold: stronger")
        )
    if "down" in used:
        out.append(
            styled(f"{marks.times}0.9", "animagine.weight.number", "animagine.weight.down") + Text(" dim: weaker")
        )
    if "schedule" in used:
        shown = f"{marks.open}a {marks.arrow} b @10{marks.close}"
        out.append(Text.assemble((shown, "animagine.schedule"), " schedule"))
    if "alternate" in used:
        out.append(Text.assemble((f"{marks.open}a {marks.pipe} b{marks.close}", "animagine.schedule"), " alternation"))
    if "network" in used:
        out.append(Text.assemble((f"<lora:name {marks.times}0.8>", "animagine.network"), " extra network"))
    if "cut" in used:
        out.append(Text.assemble((marks.cut, "animagine.cut"), " cut by a chunk boundary"))
    if "note" in used:
        out.append(Text.assemble(("[1]", "animagine.diagnostic.warning"), " diagnostic"))
    return out


if __name__ == "__main__":
    from animagine_prompt.cli.preview._demo import demo

    demo(lambda preview: WeightLegend(preview))
