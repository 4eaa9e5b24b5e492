"""``ChunkBar``: one line per 75-token chunk, a bar filled to ``used/75`` and why the chunk ends."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from animagine_prompt.analysis import ChunkView
from animagine_prompt.cli.preview._layout import bar, fit, format_weight, glyphs

__all__ = ["ChunkBar"]

_ENDS = {"full": "full", "break": "BREAK", "and": "AND", "end": ""}


class ChunkBar:
    """How full each chunk is: ``chunk 1 ██████░░░░ 35/75 · BREAK``, one line per chunk.

    A chunk that starts a weighted ``AND`` part says so first (``AND ×0.5``). The bar takes the
    width left over by the text, and is left out below 4 cells.

    >>> from io import StringIO
    >>> from rich.console import Console
    >>> console = Console(file=StringIO(), width=40, color_system=None)
    >>> console.print(ChunkBar([ChunkView(0, 35, 75, "break", 0), ChunkView(1, 2, 75, "end", 9)]))
    >>> print(console.file.getvalue(), end="")
    chunk 1 █████████▍░░░░░░░░░░ 35/75 BREAK
    chunk 2 ▌░░░░░░░░░░░░░░░░░░░  2/75
    """

    def __init__(
        self, chunks: Sequence[ChunkView], *, show_and: bool = True, align_with: Sequence[ChunkView] = ()
    ) -> None:
        self.chunks = tuple(chunks)
        self.show_and = show_and
        #: Chunks whose bars these must line up with (bars drawn one at a time between other output).
        self.align_with = tuple(align_with) or self.chunks

    def __repr__(self) -> str:
        return f"ChunkBar({len(self.chunks)} chunks)"

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        marks = glyphs(options.ascii_only)
        count_width = max((len(f"{c.used}/{c.length}") for c in self.align_with), default=0)
        label_width = max((len(self._label(c, marks)) for c in self.align_with), default=0)
        reason_width = max((len(_reason(c)) for c in self.align_with), default=0)
        for chunk in self.chunks:
            line = self._line(chunk, width, (label_width, count_width, reason_width), marks)
            yield from fit([line], console, width)

    def _label(self, chunk: ChunkView, marks) -> str:  # noqa: ANN001
        if self.show_and and chunk.starts_part:
            return f"AND {marks.times}{format_weight(chunk.subprompt_weight)} chunk {chunk.index + 1}"
        return f"chunk {chunk.index + 1}"

    def _line(self, chunk: ChunkView, width: int, widths: tuple[int, int, int], marks) -> Text:  # noqa: ANN001
        label_width, count_width, reason_width = widths
        line = Text()
        label = self._label(chunk, marks)
        if label.startswith("AND"):
            part, _, rest = label.rpartition(" chunk ")
            line.append(part + " ", "animagine.and")
            line.append(f"chunk {rest}".ljust(label_width - len(part) - 1), "animagine.chunk.label")
        else:
            line.append(label.ljust(label_width), "animagine.chunk.label")
        count = f"{chunk.used}/{chunk.length}".rjust(count_width)
        reason = _reason(chunk)
        tail = len(count) + 1 + (reason_width + 1 if reason_width else 0)
        room = width - line.cell_len - 1 - tail
        if room >= 4:
            filled, empty = bar(chunk.used / chunk.length, room, marks)
            style = "animagine.chunk.full" if chunk.used >= chunk.length else "animagine.chunk.bar"
            line.append(" ")
            line.append(filled, style)
            line.append(empty, "animagine.chunk.empty")
        line.append(" ")
        line.append(count, "animagine.chunk.count")
        if reason:
            line.append(" ")
            line.append(reason, "animagine.chunk.reason")
        line.rstrip()
        return line


def _reason(chunk: ChunkView) -> str:
    if chunk.ends == "comma":
        return f"comma: {chunk.moved} moved on"
    return _ENDS.get(chunk.ends, "")


if __name__ == "__main__":
    from animagine_prompt.cli.preview._demo import demo

    demo(lambda preview: ChunkBar(preview.prompt.chunks))
