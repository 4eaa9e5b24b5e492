"""P001: a quality tag on the wrong side."""

from __future__ import annotations

from collections.abc import Iterator

from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._rule import Finding, Rule


class MisplacedQualityTag(Rule):
    """Misplaced quality tag: `worst quality` in the prompt, or `masterpiece` in the negative prompt.

    ## What it does
    Reports Animagine XL 2.0's quality modifiers on the wrong side: the low ones (`normal
    quality`, `low quality`, `worst quality`) in the prompt, and the high ones (`masterpiece`,
    `best quality`, `high quality`) in the negative prompt.

    ## Why it matters
    The model card trained these tags on aesthetic scores: `worst quality` in the prompt asks
    for the lowest-scored images, and `masterpiece` in the negative steers away from the best.
    Usually a preset or a copied prompt was pasted into the wrong box.

    ## Example
    ```text
    masterpiece, worst quality, 1girl
    Negative prompt: masterpiece, lowres
    ```
    Use instead:
    ```text
    masterpiece, 1girl
    Negative prompt: worst quality, lowres
    ```

    ## Fix safety
    No automatic fix: moving the tag to the other prompt is left to the author.
    """

    code = "P001"
    name = "misplaced-quality-tag"
    needs = frozenset({"tags"})

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report quality modifiers whose rank belongs to the other prompt."""
        db = ctx.database
        for item in ctx.tags:
            match = db.lookup(item.text)
            special = None if match is None or match.how not in ("exact", "alias") else match.special
            if special is None or special.kind != "quality":
                continue
            if ctx.negative and special.rank <= 2:
                where = "the negative prompt; it belongs in the prompt"
            elif not ctx.negative and special.is_negative:
                where = "the prompt; it belongs in the negative prompt"
            else:
                continue
            yield self.finding(ctx, f"quality tag {item.text!r} is in {where}", item.span)
