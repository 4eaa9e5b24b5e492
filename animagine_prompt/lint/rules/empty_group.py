"""S006: brackets with nothing inside."""

from __future__ import annotations

from collections.abc import Iterator

from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._fix import Edit, Fix, FixAvailability
from animagine_prompt.lint._message import quoted
from animagine_prompt.lint._rule import Finding, Rule
from animagine_prompt.lint.rules._tree import is_blank, multiplier
from animagine_prompt.syntax import Group


class EmptyGroup(Rule):
    """Empty group: `()`, `[]` or `(:1.2)` weight nothing.

    ## What it does
    Reports a closed bracket group that holds only whitespace.

    ## Why it matters
    An empty group has no effect; it is usually left over from deleting a tag, or a weight was
    meant to wrap something.

    ## Example
    ```text
    1girl, (), smile
    ```
    Reports:

    - `()`: empty group '()' has no effect: remove it

    Use instead:
    ```text
    1girl, smile
    ```

    ## Fix safety
    The fix removes the group; it is safe, since an empty group contributes nothing. The comma
    left behind is then reported as an empty item (S101) and removed too.
    """

    code = "S006"
    name = "empty-group"
    fix_availability = FixAvailability.ALWAYS

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report every closed, meaningful group whose content is blank."""
        for v in ctx.visits:
            node = v.node
            if not isinstance(node, Group) or not node.closed or node.span is None:
                continue
            if multiplier(node, ctx.prompt.dialect) is None or not is_blank(node.children):
                continue
            fix = Fix("remove the empty group", (Edit.delete(*node.span),))
            yield self.finding(
                ctx, f"empty group {quoted(ctx.text[slice(*node.span)])} has no effect: remove it", node.span, fix
            )
