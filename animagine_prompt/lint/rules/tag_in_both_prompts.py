"""T006: a tag in both the prompt and the negative prompt."""

from __future__ import annotations

from collections.abc import Iterator

from animagine_prompt.diagnostics import Severity
from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._message import quoted
from animagine_prompt.lint._rule import Finding, Rule


class TagInBothPrompts(Rule):
    """Tag in both prompts: the negative prompt removes what the prompt asks for.

    ## What it does
    Reports an item of the negative prompt that also appears in the prompt. When both prompts
    are split into parts by `BREAK` or `AND` (Regional Prompter reads a negative prompt part by
    part), only a tag in the same part counts. When only the prompt is split, the negative may
    be meant for another part, so the finding is information. NovelAI braces, which A1111 reads
    as text, do not hide a tag: `{2 girls}` in the prompt meets `2 girls` in the negative.

    ## Why it matters
    Classifier-free guidance pushes the image towards the prompt and away from the negative;
    a tag in both mostly cancels out, so neither intent is met and tokens are wasted on both sides.

    ## Example
    ```text
    1girl, smile, blush
    Negative prompt: lowres, blush
    ```
    Reports:

    - negative `blush`: 'blush' is in the prompt and in the negative prompt: keep it on one side

    Use instead: keep the tag on one side only.

    ## Fix safety
    No automatic fix: only the author knows which side it belongs to.
    """

    code = "T006"
    name = "tag-in-both-prompts"
    fields = ("negative_prompt",)

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report negative items whose key is also an item of the prompt (of the same part)."""
        if not ctx.other_tags:
            return
        from animagine_prompt.tags import canonical

        # NovelAI braces are text in A1111, around words the model still reads: `{2 girls}`.
        positive: dict[str, set[int]] = {}
        for item, region in zip(ctx.other_tags, ctx.other_regions, strict=True):
            positive.setdefault(canonical(item.text).strip("{}"), set()).add(region)
        split_prompt = max(ctx.other_regions) > 0
        split_negative = max(ctx.regions, default=0) > 0
        for item, key, region in zip(ctx.tags, ctx.keys, ctx.regions, strict=True):
            regions = positive.get(key.strip("{}")) if key else None
            if not regions or (split_prompt and split_negative and region not in regions):
                continue
            severity = Severity.INFO if split_prompt and not split_negative else None
            yield self.finding(
                ctx,
                f"{quoted(item.text)} is in the prompt and in the negative prompt: keep it on one side",
                item.span,
                severity=severity,
            )
