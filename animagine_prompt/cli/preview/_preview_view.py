"""``PreviewView``: the whole preview, as the command prints it: each prompt's tags under its chunk
bars, the diagnostics, the legend, and the final prompt and negative when presets built them."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from animagine_prompt.analysis import Analysis, PromptAnalysis
from animagine_prompt.cli.preview._diagnostics import DiagnosticList
from animagine_prompt.cli.preview._layout import fit
from animagine_prompt.cli.preview._legend import WeightLegend
from animagine_prompt.cli.preview._tag_flow import TagFlow

__all__ = ["MAX_LISTED", "PreviewView", "summary"]

#: Diagnostics listed and marked at most: past this the preview says how many more there are
#: (a prompt of 100,000 brackets has as many findings; ``lint`` is the command that lists them).
MAX_LISTED = 200


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(view: PromptAnalysis) -> str:
    """The title line of one prompt: tokens, chunks, tags, extra networks.

    >>> from animagine_prompt.analysis import analyze
    >>> summary(analyze("1girl, smile BREAK <lora:x:1> sky").prompt)
    'prompt: 5/150 tokens in 2 chunks, 3 tags, 1 extra network'
    """
    parts = [f"{view.token_count}/{view.capacity} tokens in {_plural(len(view.chunks), 'chunk')}"]
    parts.append(_plural(len(view.tags), "tag"))
    if view.networks:
        parts.append(_plural(len(view.networks), "extra network"))
    return f"{view.label}: " + ", ".join(parts)


class PreviewView:
    """Everything ``animagine-prompt preview`` shows for an :class:`~animagine_prompt.analysis.Analysis`:
    the prompts the model reads (those presets built, when they did).

    ``table=True`` lists each prompt's tags as a :class:`TagTable` instead of the flow;
    ``legend=False`` leaves the legend out; ``limit`` is how many diagnostics are listed and
    marked (:data:`MAX_LISTED`; ``None``: all).

    >>> from io import StringIO
    >>> from rich.console import Console
    >>> from animagine_prompt.analysis import analyze
    >>> console = Console(file=StringIO(), width=50, color_system=None)
    >>> console.print(PreviewView(analyze("1girl, (smile:1.2)", "lowres"), legend=False))
    >>> print(console.file.getvalue(), end="")
    prompt: 4/75 tokens in 1 chunk, 2 tags
    chunk 1 ██░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ 4/75
      1girl, smile ×1.2
    <BLANKLINE>
    negative: 2/75 tokens in 1 chunk, 1 tag
    chunk 1 █░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ 2/75
      lowres
    """

    def __init__(
        self, preview: Analysis, *, table: bool = False, legend: bool = True, limit: int | None = MAX_LISTED
    ) -> None:
        self.preview = preview
        self.table = table
        self.legend = legend
        self.limit = limit

    def __repr__(self) -> str:
        return f"PreviewView({len(self.preview.read.views)} prompts, table={self.table})"

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        preview = self.preview.read
        for i, view in enumerate(preview.views):
            if i:
                yield Text()
            yield from fit([Text(summary(view), "animagine.title")], console, options.max_width)
            if self.table:
                from animagine_prompt.cli.preview._chunk_bar import ChunkBar
                from animagine_prompt.cli.preview._tag_table import TagTable

                yield ChunkBar(view.chunks)
                yield TagTable(view, limit=self.limit)
            else:
                yield TagFlow(view, limit=self.limit)
        if preview.findings:
            yield Text()
            yield Text(f"diagnostics: {len(preview.findings)}", "animagine.title")
            yield DiagnosticList(preview.views, limit=self.limit)
        if self.legend:
            yield Text()
            yield WeightLegend(self.preview)
        built = self.preview.built
        if built is not None:
            yield Text()
            yield from fit([Text(f"final prompts ({built.presets})", "animagine.title")], console, options.max_width)
            for view in preview.views:
                yield from _labelled(view.label, view.text, console, options.max_width)


def _labelled(label: str, text: str, console: Console, width: int) -> list[Text]:
    """``label: text`` wrapped under itself with a two-space indent, without trailing padding."""
    body = Text(text or "(empty)", "animagine.final" if text else "animagine.dim")
    lines = [Text(f"{label}:", "animagine.chunk.label")]
    for line in body.wrap(console, max(8, width - 2)):
        line.rstrip()
        lines.append(Text("  ") + line)
    return lines


if __name__ == "__main__":
    from animagine_prompt.cli.preview._demo import demo

    demo(lambda analysis: PreviewView(analysis))
