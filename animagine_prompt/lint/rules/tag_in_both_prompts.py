"""T006: a tag in both the prompt and the negative prompt."""

from __future__ import annotations

from collections.abc import Iterator

from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._rule import Finding, Rule
from animagine_prompt.lint.rules._items import item_key


class TagInBothPrompts(Rule):
    """Tag in both prompts: the negative prompt removes what the prompt asks for.

    ## What it does
    Reports an item of the negative prompt that also appears in the prompt.

    ## Why it matters
    Classifier-free guidance pushes the image towards the prompt and away from the negative;
    a tag in both mostly cancels out, so neither intent is met and tokens are wasted on both sides.

    ## Example
    ```text
    1girl, smile, blush
    Negative prompt: lowres, blush
    ```
    Use instead: keep the tag on one side only.

    ## Fix safety
    No automatic fix: only the author knows which side it belongs to.
    """

    code = "T006"
    name = "tag-in-both-prompts"
    fields = ("negative_prompt",)

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report negative items whose key is also an item of the prompt."""
        if not ctx.other_tags:
            return
        positive = {item_key(t.text) for t in ctx.other_tags}
        for item, key in zip(ctx.tags, ctx.keys, strict=True):
            if key and key in positive:
                yield self.finding(
                    ctx,
                    f"{item.text!r} is in the prompt and in the negative prompt: keep it on one side",
                    item.span,
                )
