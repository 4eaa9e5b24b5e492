"""K001: a 75-token chunk boundary that cuts a tag in two."""

from __future__ import annotations

from collections.abc import Iterator

from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._message import quoted
from animagine_prompt.lint._rule import Finding, Rule


class TagSplitAcrossChunks(Rule):
    """Tag split across chunks: a chunk boundary falls inside a tag, so each half is encoded alone.

    ## What it does
    Plans the prompt into 75-token chunks the way A1111 does (BREAK, AND and comma back-tracking
    included) and reports each tag whose tokens end up on both sides of a boundary.

    ## Why it matters
    SDXL encodes each chunk separately. A tag cut in half (`long flowing` | `green hair`) loses its
    meaning in both chunks. A1111 moves the last comma-separated item to the next chunk only when
    the comma is within 20 tokens of the boundary, so long items without commas get cut.

    ## Example
    ```text
    masterpiece, best quality, 1girl, solo, long hair, green hair, blue eyes, looking at viewer,
    smile, school uniform, pleated skirt, white shirt, red ribbon, outdoors, cherry blossoms,
    petals, blue sky, cloud, day, wind, a girl walking slowly along a quiet river at sunset
    with falling petals and a warm light on her face and the water
    ```
    Reports:

    - `with falling petals and a warm light on her face and the water`: the boundary between chunks 1 and 2 cuts
      'with falling petals and a warm light on…' in two: put BREAK before it, or shorten the prompt before it

    Use instead:
    ```text
    masterpiece, best quality, 1girl, solo, long hair, green hair, blue eyes, looking at viewer,
    smile, school uniform, pleated skirt, white shirt, red ribbon, outdoors, cherry blossoms,
    petals, blue sky, cloud, day, wind, BREAK a girl walking slowly along a quiet river at sunset
    with falling petals and a warm light on her face and the water
    ```

    ## Fix safety
    No automatic fix: where to break is a choice of wording.
    """

    code = "K001"
    name = "tag-split-across-chunks"
    needs = frozenset({"tokens"})

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report the tags the chunk plan cuts."""
        if ctx.short_segments is not None:
            return  # every part fits in a chunk: nothing can be cut
        for boundary in ctx.plan.boundaries:
            tag = boundary.cut
            if tag is None:
                continue
            yield self.finding(
                ctx,
                f"the boundary between chunks {boundary.chunk + 1} and {boundary.chunk + 2} cuts "
                f"{quoted(_short(tag.text))} in two: put BREAK before it, or shorten the prompt before it",
                tag.span,
            )


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
