"""The sample every renderable's ``__main__`` shows: ``python -m animagine_prompt.cli.preview._tag_flow``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["SAMPLE_NEGATIVE", "SAMPLE_PROMPT", "demo"]

#: A prompt that uses every kind of thing the preview marks.
SAMPLE_PROMPT = (
    "1girl, hu tao \\(genshin impact\\), genshin impact, ((smile)), [blurry], (red eyes:1.3), "
    "[cat ears:fox ears:10], <lora:add_detail:0.6>, [hair flower|hair ornament], looking at viewer, "
    "gren hair, a girl standing in the rain BREAK night sky, paper lantern"
)
SAMPLE_NEGATIVE = "bad hands,, 1girl"


def demo(make: Callable[[Any], Any]) -> None:
    """Print ``make(analysis)`` for the sample prompt on the terminal, with the preview's theme.

    >>> from io import StringIO
    >>> import contextlib
    >>> out = StringIO()
    >>> with contextlib.redirect_stdout(out):
    ...     demo(lambda analysis: analysis.prompt.text[:11])
    >>> out.getvalue()
    '1girl, hu t\\n'
    """
    from rich.console import Console

    from animagine_prompt.analysis import analyze
    from animagine_prompt.cli.preview._theme import preview_theme

    console = Console(theme=preview_theme(), highlight=False)
    console.print(make(analyze(SAMPLE_PROMPT, SAMPLE_NEGATIVE)))
