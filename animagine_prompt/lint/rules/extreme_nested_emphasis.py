"""S008: nested brackets that multiply to an extreme weight."""

from __future__ import annotations

from collections.abc import Iterator

from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._rule import Finding, Option, Rule
from animagine_prompt.lint.rules._tree import multiplier
from animagine_prompt.syntax import Group


class ExtremeNestedEmphasis(Rule):
    """Extreme nested emphasis: nested brackets whose weights multiply past `max` or below `min`.

    ## What it does
    Reports a group nested in at least one other whose combined weight is above `max`
    (default 2.0) or below `min` (default 0.4).

    ## Why it matters
    Weights multiply: `((((((((tag))))))))` is 2.14 and `((tag:1.5):1.5)` is 2.25. Stacked
    brackets copied from old prompts quietly push a tag far past what the model handles.

    ## Example
    ```text
    1girl, (((((((((green hair)))))))))
    ```
    Reports:

    - `(((((((((green hair)))))))))`: nested brackets multiply to weight 2.14: write one weight instead, such as
      (tag:1.4)

    Use instead:
    ```text
    1girl, (green hair:1.4)
    ```

    ## Fix safety
    No automatic fix.
    """

    code = "S008"
    name = "extreme-nested-emphasis"
    options = {
        "min": Option(0.4, "smallest combined weight that is not reported"),
        "max": Option(2.0, "largest combined weight that is not reported"),
    }

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report each outermost nest of groups in which the combined weight leaves the range."""
        low, high = self.config["min"], self.config["max"]
        reported: set[int] = set()
        for v in ctx.visits:
            node = v.node
            # Only outermost groups are reported, so checking a nest's outermost one is enough.
            if not isinstance(node, Group) or v.outer is None or id(v.outer) in reported:
                continue
            factor = multiplier(node, ctx.prompt.dialect)
            if factor is None:
                continue
            weight = v.weight * factor
            if not low <= weight <= high:
                outer = v.outer
                reported.add(id(outer))
                yield self.finding(
                    ctx,
                    f"nested brackets multiply to weight {weight:.2f}: write one weight instead, such as (tag:1.4)",
                    outer.span or (0, 0),
                )
