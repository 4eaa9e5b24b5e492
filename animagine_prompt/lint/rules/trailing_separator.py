"""S102: a comma at the end of the prompt."""

from __future__ import annotations

from collections.abc import Iterator

from animagine_prompt.diagnostics import Severity
from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._fix import Applicability, Edit, Fix, FixAvailability
from animagine_prompt.lint._rule import Finding, Rule
from animagine_prompt.syntax import parse


class TrailingSeparator(Rule):
    """Trailing separator: the prompt ends with a comma.

    ## What it does
    Reports a comma followed only by whitespace up to the end of the prompt.

    ## Why it matters
    The trailing comma is a token that describes nothing. It often comes from joining prompt
    pieces, and shows where a preset or a template left a gap.

    ## Example
    ```text
    1girl, green hair, smile,
    ```
    Reports:

    - `,`: the prompt ends with a comma: remove it

    Use instead:
    ```text
    1girl, green hair, smile
    ```

    ## Fix safety
    The fix removes the comma and the whitespace around it. It is safe, except after a final
    `:N` (`1girl, smile:0.5,`): without the comma A1111 reads `:0.5` as the weight of the whole
    prompt (its `AND` part weight), so there the fix is unsafe.
    """

    code = "S102"
    name = "trailing-separator"
    severity = Severity.INFO
    fix_availability = FixAvailability.ALWAYS

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report the last comma when only whitespace follows it."""
        text = ctx.text
        found = ctx.commas
        last = (found[-1], found[-1] + 1) if found else None
        if last is None or text[last[1] :].strip() or not text[: last[0]].strip():
            return
        start = len(text[: last[0]].rstrip())
        edit = Edit.delete(start, len(text.rstrip()))
        if _weights_change(ctx, text[: edit.start] + text[edit.end :]):
            title = "remove the trailing comma (the final ':N' becomes the prompt's weight)"
            fix = Fix(title, (edit,), Applicability.UNSAFE)
        else:
            fix = Fix("remove the trailing comma", (edit,))
        yield self.finding(ctx, "the prompt ends with a comma: remove it", last, fix)


def _weights_change(ctx: LintContext, fixed: str) -> bool:
    """Whether removing the comma changes the AND parts' weights (a final ``:N`` it was hiding)."""
    prompt = ctx.prompt
    after = parse(fixed, prompt.dialect, comments=prompt.comments)
    return [s.weight for s in after.subprompts()] != [s.weight for s in prompt.subprompts()]
