"""Layout helpers the renderables share: glyphs (with an ASCII set), weights as text, line packing."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rich.console import Console
from rich.text import Text

__all__ = ["Glyphs", "Unit", "bar", "fit", "format_weight", "glyphs", "pack", "styled"]


@dataclass(frozen=True)
class Glyphs:
    """The symbols the preview draws; :func:`glyphs` picks Unicode or plain ASCII.

    >>> glyphs(ascii_only=True).times
    'x'
    """

    times: str
    arrow: str
    pipe: str
    open: str
    close: str
    cut: str
    full: str
    empty: str
    eighths: str
    ellipsis: str
    rule: str


_UNICODE = Glyphs("×", "→", "|", "⟦", "⟧", "✂", "█", "░", " ▏▎▍▌▋▊▉", "…", "─")
_ASCII = Glyphs("x", "->", "|", "[[", "]]", "%", "#", ".", "        ", "...", "-")


def glyphs(ascii_only: bool) -> Glyphs:
    """The glyph set for a console: ASCII when its encoding cannot show the Unicode one.

    >>> glyphs(False).arrow, glyphs(True).arrow
    ('→', '->')
    """
    return _ASCII if ascii_only else _UNICODE


def styled(text: str, *styles: str) -> Text:
    """``text`` with each named style laid over all of it, later ones on top.

    Rich resolves a theme name only when it is the whole style string, so ``"a b"`` cannot
    combine two named styles; layered spans can.

    >>> styled("smile", "animagine.tag.general", "animagine.weight.up").spans
    [Span(0, 5, 'animagine.tag.general'), Span(0, 5, 'animagine.weight.up')]
    """
    out = Text(text)
    for style in styles:
        if style:
            out.stylize(style)
    return out


def format_weight(weight: float) -> str:
    """A weight as the preview prints it: at most two decimals, more only when two would read 1.

    >>> format_weight(1.2100000000000002), format_weight(0.9090909), format_weight(1.3), format_weight(1.001)
    ('1.21', '0.91', '1.3', '1.001')
    """
    text = f"{weight:.2f}".rstrip("0").rstrip(".")
    if text == "1" and weight != 1.0:
        text = f"{weight:.4f}".rstrip("0").rstrip(".")
    return text


def bar(fraction: float, width: int, marks: Glyphs) -> tuple[str, str]:
    """A horizontal bar ``width`` cells wide filled to ``fraction``: ``(filled, empty)`` text.

    The filled part uses eighth-cell blocks, so short bars still show small differences.

    >>> bar(0.5, 8, glyphs(False))
    ('████', '░░░░')
    >>> bar(1 / 16, 4, glyphs(True))
    ('', '....')
    """
    width = max(0, width)
    fraction = min(1.0, max(0.0, fraction))
    eighths = round(fraction * width * 8)
    whole, part = divmod(eighths, 8)
    filled = marks.full * whole
    if part and marks.eighths[part].strip():
        filled += marks.eighths[part]
    return filled, marks.empty * (width - len(filled))


@dataclass(frozen=True)
class Unit:
    """A piece of a flowing line that is never split: ``lead`` goes before it unless it starts a line.

    >>> Unit(Text("smile"), " ").lead
    ' '
    """

    text: Text
    lead: str = ""


def pack(units: Iterable[Unit], width: int, indent: str = "") -> list[Text]:
    """Greedily fill lines of ``width`` cells with whole units; a unit wider than a line gets its own.

    >>> [line.plain for line in pack([Unit(Text("aaa,")), Unit(Text("bbb,"), " "), Unit(Text("cc"), " ")], 9)]
    ['aaa, bbb,', 'cc']
    """
    lines: list[Text] = []
    line = Text(indent)
    empty = True
    for unit in units:
        size = unit.text.cell_len
        if not empty and line.cell_len + len(unit.lead) + size > width:
            lines.append(line)
            line, empty = Text(indent), True
        if not empty:
            line.append(unit.lead)
        line.append_text(unit.text)
        empty = False
    if not empty:
        lines.append(line)
    return lines


def fit(lines: Iterable[Text], console: Console, width: int) -> Iterator[Text]:
    """``lines`` wrapped to ``width`` cells, without the trailing spaces rich leaves where it wraps.

    >>> from io import StringIO
    >>> console = Console(file=StringIO(), width=20)
    >>> [line.plain for line in fit([Text("prompt: 46/150 tokens in 2 chunks")], console, 20)]
    ['prompt: 46/150', 'tokens in 2 chunks']
    """
    for text in lines:
        if text.cell_len <= width:
            yield text
            continue
        for line in text.wrap(console, width):
            line.rstrip()
            yield line
