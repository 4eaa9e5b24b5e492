"""S010: ``break`` written in lower case as an item of its own."""

from __future__ import annotations

from collections.abc import Iterator

from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._fix import Applicability, Edit, Fix, FixAvailability
from animagine_prompt.lint._message import quoted
from animagine_prompt.lint._rule import Finding, Rule


class LowercaseBreak(Rule):
    """Lowercase break: `break` (or `Break`) between separators is the word, not a chunk break.

    ## What it does
    Reports an item that is exactly `break` in any case other than `BREAK`.

    ## Why it matters
    Only uppercase `BREAK` starts a new 75-token chunk. An item that is just the word "break" is
    almost always a BREAK typed in the wrong case, and the model reads it as a tag.

    ## Example
    ```text
    1girl, green hair, break, city, night
    ```
    Use instead:
    ```text
    1girl, green hair, BREAK, city, night
    ```

    ## Fix safety
    The fix writes `BREAK`. It is unsafe because it changes how the prompt is split into chunks.
    """

    code = "S010"
    name = "lowercase-break"
    fix_availability = FixAvailability.ALWAYS

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report items whose whole text is a non-uppercase ``break``."""
        if not ctx.prompt.dialect.breaks:
            return
        for item in ctx.tags:
            start, end = item.text_span
            if item.text.lower() == "break" and ctx.text[start:end] != "BREAK" and end - start == 5:
                fix = Fix("write BREAK", (Edit(start, end, "BREAK"),), Applicability.UNSAFE)
                yield self.finding(
                    ctx,
                    f"{quoted(item.text)} is read as a word: write BREAK in capitals to start a new chunk",
                    (start, end),
                    fix,
                )
