"""S007: an explicit weight outside the usual range."""

from __future__ import annotations

from collections.abc import Iterator

from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._rule import Finding, Option, Rule
from animagine_prompt.syntax import Group


class WeightOutOfRange(Rule):
    """Weight out of range: a `(tag:w)` weight below `min` or above `max` (default 0 and 2).

    ## What it does
    Reports an explicit weight outside the configured range.

    ## Why it matters
    SDXL models such as Animagine XL 2.0 distort or burn the image well before weight 2, and a
    negative weight inverts the tag in ways that are hard to predict. A weight like `12` is
    usually a typo for `1.2`.

    ## Example
    ```text
    1girl, (green hair:12)
    ```
    Reports:

    - `:12)`: weight 12 is outside 0..2: use a weight in that range (or change this rule's min/max)

    Use instead:
    ```text
    1girl, (green hair:1.2)
    ```

    ## Fix safety
    No automatic fix.
    """

    code = "S007"
    name = "weight-out-of-range"
    options = {
        "min": Option(0.0, "smallest weight that is not reported"),
        "max": Option(2.0, "largest weight that is not reported"),
    }

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report explicit weights below ``min`` or above ``max``."""
        low, high = self.config["min"], self.config["max"]
        if not ctx.prompt.dialect.explicit_weights:
            return
        for v in ctx.visits:
            node = v.node
            if isinstance(node, Group) and node.weight is not None and node.span is not None:
                if not low <= node.weight <= high:
                    start = node.span[1] - len(node.close)
                    yield self.finding(
                        ctx,
                        f"weight {node.weight:g} is outside {low:g}..{high:g}: use a weight in that range "
                        "(or change this rule's min/max)",
                        (start, node.span[1]),
                    )
