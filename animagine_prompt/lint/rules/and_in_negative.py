"""S013: AND in a negative prompt."""

from __future__ import annotations

from collections.abc import Iterator

from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._fix import Applicability, Edit, Fix, FixAvailability
from animagine_prompt.lint._rule import Finding, Rule
from animagine_prompt.syntax import Leaf


class AndInNegative(Rule):
    """AND in a negative prompt: negatives are not split into sub-prompts.

    ## What it does
    Reports `AND` at the top level of a negative prompt.

    ## Why it matters
    Composable diffusion applies to the positive prompt only. In the negative prompt A1111 keeps
    `AND` as a word, so it is a wasted token and the parts are not weighted separately.

    ## Example
    ```text
    Negative prompt: lowres AND bad anatomy
    ```
    Reports:

    - negative `AND`: AND has no effect in a negative prompt: separate the parts with commas

    Use instead:
    ```text
    Negative prompt: lowres, bad anatomy
    ```

    ## Fix safety
    The fix replaces `AND` with a comma. It is unsafe because it changes the text.
    """

    code = "S013"
    name = "and-in-negative"
    fields = ("negative_prompt",)
    fix_availability = FixAvailability.ALWAYS

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report top-level AND tokens of the negative prompt."""
        if not ctx.prompt.dialect.ands:
            return
        text = ctx.text
        for node in ctx.prompt.tree.children:
            if isinstance(node, Leaf) and node.kind == "and" and node.span is not None:
                start, end = node.span
                # Take the space before AND along, so "a AND b" becomes "a, b".
                lead = start - 1 if start > 0 and text[start - 1] == " " else start
                fix = Fix("replace AND with a comma", (Edit(lead, end, ","),), Applicability.UNSAFE)
                yield self.finding(
                    ctx,
                    "AND has no effect in a negative prompt: separate the parts with commas",
                    node.span,
                    fix,
                )
