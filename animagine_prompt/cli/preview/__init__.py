"""``animagine-prompt preview``, and the rich renderables it is drawn with.

The renderables draw the values of :mod:`animagine_prompt.analysis`; nothing here works out
what a prompt means.

The command's ``HELP``, ``add_arguments`` and ``run`` are here for the command table; the
renderables load on first use, so listing the commands never imports rich:

>>> from io import StringIO
>>> from rich.console import Console
>>> from animagine_prompt.analysis import analyze
>>> from animagine_prompt.cli.preview import PreviewView, preview_theme
>>> console = Console(file=StringIO(), width=60, color_system=None, theme=preview_theme())
>>> console.print(PreviewView(analyze("1girl, (smile:1.2)"), legend=False))
>>> print(console.file.getvalue(), end="")
prompt: 4/75 tokens in 1 chunk, 2 tags
chunk 1 ██▌░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ 4/75
  1girl, smile ×1.2

Styles are named (``animagine.tag.character``, ``animagine.weight.up``, ...) in one table,
:data:`STYLES`; pass overrides to :func:`preview_theme` or ``--theme FILE``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from animagine_prompt._lazy import lazy_exports
from animagine_prompt.cli.preview._command import HELP, add_arguments, run

# public name -> private module defining it (imported on first use: these import rich)
_EXPORTS: dict[str, str] = {
    "ChunkBar": "._chunk_bar",
    "DiagnosticList": "._diagnostics",
    "PreviewView": "._preview_view",
    "STYLES": "._theme",
    "TagFlow": "._tag_flow",
    "TagTable": "._tag_table",
    "WeightLegend": "._legend",
    "preview_theme": "._theme",
    "read_theme_file": "._theme",
}

if not TYPE_CHECKING:  # type checkers read the imports below instead
    __all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(globals(), _EXPORTS)


if TYPE_CHECKING:  # pragma: no cover
    from ._chunk_bar import ChunkBar
    from ._diagnostics import DiagnosticList
    from ._legend import WeightLegend
    from ._preview_view import PreviewView
    from ._tag_flow import TagFlow
    from ._tag_table import TagTable
    from ._theme import STYLES, preview_theme, read_theme_file
