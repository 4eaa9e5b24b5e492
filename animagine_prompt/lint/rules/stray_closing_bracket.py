"""S002: a closing bracket that closes nothing."""

from __future__ import annotations

from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._fix import Applicability, Edit, Fix, FixAvailability
from animagine_prompt.lint.rules._brackets import a1111_unpaired, is_emoticon
from animagine_prompt.lint.rules._parser_rule import ParserRule


class StrayClosingBracket(ParserRule):
    """Stray closing bracket: a `)` or `]` with no matching opener is literal text.

    ## What it does
    Reports a closing bracket that does not close any group. As in A1111, `(` and `[` are
    closed on separate stacks, so the `]` of `[artist:ask(askzy]` closes the `[`. An emoticon
    whose mouth is the bracket (`;)`, `>:)`) is a tag, not a stray.

    ## Why it matters
    A1111 reads it as a literal character, so the model sees a stray `)` token; it often means an
    opening bracket is missing, so the weight the author wanted is not applied either.

    ## Example
    ```text
    1girl, green hair), smile
    ```
    Reports:

    - `)`: ')' closes no bracket and is read as text: remove it, or escape it as '\\)'

    Use instead:
    ```text
    1girl, (green hair), smile
    ```

    ## Fix safety
    The fix removes the bracket. It is unsafe: it changes the text the model sees, and the
    intended fix may be a missing opener instead.
    """

    code = "S002"
    name = "stray-closing-bracket"
    fix_availability = FixAvailability.ALWAYS

    def keeps(self, ctx: LintContext, span: tuple[int, int]) -> bool:
        """Leave out the mouth of an emoticon, and a bracket that A1111 pairs across the other kind."""
        at = span[0]
        if any(item.span[0] <= at < item.span[1] and is_emoticon(item.text) for item in ctx.tags):
            return False
        return ctx.prompt.dialect.name != "a1111" or at in a1111_unpaired(ctx.text)[1]

    def fix_for(self, ctx: LintContext, span: tuple[int, int]) -> Fix:
        """Remove the stray bracket."""
        return Fix("remove the stray bracket", (Edit.delete(*span),), Applicability.UNSAFE)
