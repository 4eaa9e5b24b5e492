"""``DiagnosticList``: the numbered findings the tag flow points at, each with an excerpt and a caret."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from animagine_prompt.analysis import FindingView, PromptAnalysis
from animagine_prompt.cli.preview._layout import fit, glyphs

__all__ = ["DiagnosticList", "excerpt"]


def excerpt(text: str, span: tuple[int, int], width: int, ellipsis: str = "…") -> tuple[str, int, int]:
    """The line of ``text`` holding ``span``, cut to ``width`` cells around it:
    ``(shown, caret_column, caret_width)``.

    >>> excerpt("1girl, gren hair, solo", (7, 16), 80)
    ('1girl, gren hair, solo', 7, 9)
    >>> excerpt("a, " * 20 + "gren hair" + ", b" * 20, (60, 69), 25)
    ('… a, a, gren hair, b, b,…', 8, 9)
    >>> excerpt("(" * 100_000, (99_990, 99_991), 20)
    ('…((((((((((((((((((', 9, 1)
    """
    start, end = span
    width = max(width, 8)
    # Only the characters around the span can be shown: reading no further keeps a thousand
    # findings on one long line linear.
    reach = 4 * width
    low = max(0, start - reach)
    line_start = text.rfind("\n", low, start) + 1 or low
    high = min(len(text), max(start, end) + reach)
    newline = text.find("\n", start, high)
    line_end = newline if newline >= 0 else high
    line = text[line_start:line_end]
    cut_before = line_start > 0 and text[line_start - 1] != "\n"
    cut_after = line_end < len(text) and text[line_end] != "\n"
    lo, hi = start - line_start, max(start - line_start + 1, min(end, line_end) - line_start)
    if not (cut_before or cut_after) and cell_len(line) <= width:
        return line, cell_len(line[:lo]), max(1, cell_len(line[lo:hi]))
    room = width - 2 * cell_len(ellipsis)
    if hi - lo >= room:  # the span alone is wider than the line: show its beginning
        first, last = lo, lo + room
    else:
        first = max(0, lo - (room - (hi - lo)) // 2)
        last = min(len(line), first + room)
        first = max(0, last - room)
    head = ellipsis if first > 0 or cut_before else ""
    tail = ellipsis if last < len(line) or cut_after else ""
    shown = head + line[first:last] + tail
    column = cell_len(head) + cell_len(line[first:lo])
    caret = max(1, cell_len(line[lo : min(hi, last)]))
    return shown, column, caret


class DiagnosticList:
    """The diagnostics of a prompt and its negative, numbered as the tag flow marks them.

    >>> from io import StringIO
    >>> from rich.console import Console
    >>> from animagine_prompt.analysis import analyze
    >>> console = Console(file=StringIO(), width=60, color_system=None)
    >>> console.print(DiagnosticList(analyze("1girl, gren hair", "lowres,, blurry").views))
    >>> print(console.file.getvalue(), end="")
    [1] T003 warning: unknown tag 'gren hair': did you mean
        'green hair'?
        1girl, gren hair
               ^^^^^^^^^
    [2] S101 warning (negative): empty item between separators:
        remove the extra comma
        lowres,, blurry
              ^^
    """

    def __init__(self, views: Sequence[PromptAnalysis], *, limit: int | None = None) -> None:
        self.views = tuple(views)
        #: List only the first findings, and how many more there are (all when ``None``).
        self.limit = limit

    def __repr__(self) -> str:
        return f"DiagnosticList({sum(len(v.findings) for v in self.views)} findings)"

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        notes = [(note, view.text) for view in self.views for note in view.findings]
        if not notes:
            return
        more = 0 if self.limit is None else max(0, len(notes) - self.limit)
        if more:
            notes = notes[: self.limit]
        marks = glyphs(options.ascii_only)
        gutter = max(len(f"[{n.number}] ") for n, _ in notes)
        body_width = max(8, options.max_width - gutter)
        for note, text in notes:
            yield from self._note(note, text, console, gutter, body_width, marks.ellipsis)
        if more:
            line = Text(f"{marks.ellipsis} and {more:,} more: `animagine-prompt lint` lists them all", "animagine.dim")
            yield from fit([line], console, options.max_width)

    def _note(
        self, note: FindingView, text: str, console: Console, gutter: int, width: int, ellipsis: str
    ) -> RenderResult:
        head = Text()
        head.append(note.code, "animagine.diagnostic.code")
        head.append(f" {note.severity}", f"animagine.diagnostic.{note.severity}")
        if note.field == "negative_prompt":
            head.append(" (negative)", "animagine.dim")
        head.append(f": {note.message}")
        number = Text(f"[{note.number}]".ljust(gutter), f"animagine.diagnostic.{note.severity}")
        # A hanging indent, drawn by hand: a table would pad every line to the full width.
        for i, line in enumerate(head.wrap(console, width)):
            line.rstrip()
            yield (number if i == 0 else Text(" " * gutter)) + line
        shown, column, caret = excerpt(text, note.span, width, ellipsis)
        if shown.strip():
            yield Text(" " * gutter + shown, no_wrap=True, overflow="crop")
            yield Text(" " * (gutter + column)) + Text("^" * caret, "animagine.diagnostic.caret")


if __name__ == "__main__":
    from animagine_prompt.cli.preview._demo import demo

    demo(lambda preview: DiagnosticList(preview.views))
