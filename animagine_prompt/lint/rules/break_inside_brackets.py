"""S009: BREAK written inside brackets."""

from __future__ import annotations

from collections.abc import Iterator

from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._rule import Finding, Rule
from animagine_prompt.syntax import Leaf


class BreakInsideBrackets(Rule):
    """BREAK inside brackets: A1111 mishandles a chunk break inside a weighted group.

    ## What it does
    Reports `BREAK` inside `(...)`, `[...]` or a schedule.

    ## Why it matters
    A1111 splits the prompt at BREAK only between top-level text runs; inside a group it leaves
    the word in the text or breaks at an unexpected place, and other tools differ again. A prompt
    that puts BREAK at the top level means the same thing everywhere.

    ## Example
    ```text
    1girl, (green hair BREAK blue eyes:1.2)
    ```
    Reports:

    - `BREAK`: BREAK inside brackets: close the group before BREAK and reopen it after

    Use instead:
    ```text
    1girl, (green hair:1.2) BREAK (blue eyes:1.2)
    ```

    ## Fix safety
    No automatic fix.
    """

    code = "S009"
    name = "break-inside-brackets"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report BREAK tokens that sit inside a group or a schedule."""
        if not ctx.prompt.dialect.breaks:
            return
        for v in ctx.visits:
            node = v.node
            if isinstance(node, Leaf) and node.kind == "break" and (v.groups or v.in_schedule) and node.span:
                yield self.finding(
                    ctx, "BREAK inside brackets: close the group before BREAK and reopen it after", node.span
                )
