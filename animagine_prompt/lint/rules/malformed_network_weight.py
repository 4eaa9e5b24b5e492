"""S104: an extra network (``<lora:...>``) with a weight that is not a number."""

from __future__ import annotations

import math
from collections.abc import Iterator

from animagine_prompt.diagnostics import Severity
from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._message import quoted
from animagine_prompt.lint._rule import Finding, Rule


class MalformedNetworkWeight(Rule):
    """Malformed network weight: `<lora:name:w>` whose weight is not a finite number, or has no name.

    ## What it does
    Reports an extra network (`<lora:…>`, `<lyco:…>`, `<hypernet:…>`) with an empty name, or
    whose positional fields after the name (text-encoder and UNet weights) are not numbers.

    ## Why it matters
    A1111 fails to load the network or falls back to weight 1 without saying so, so the LoRA is
    applied at a strength nobody chose.

    ## Example
    ```text
    1girl, <lora:style-enhancer-xl:0,8>
    ```
    Use instead:
    ```text
    1girl, <lora:style-enhancer-xl:0.8>
    ```

    ## Fix safety
    No automatic fix.
    """

    code = "S104"
    name = "malformed-network-weight"
    severity = Severity.ERROR

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report networks with an empty name or a non-numeric weight field."""
        for network in ctx.prompt.extra_networks():
            if network.span is None:
                continue
            if not network.name.strip():
                yield self.finding(
                    ctx, f"<{network.kind}:...> has no name: write <{network.kind}:name:weight>", network.span
                )
                continue
            for field in network.positional:
                try:
                    value = float(field)
                except ValueError:
                    value = math.nan
                if not math.isfinite(value):
                    yield self.finding(
                        ctx,
                        f"{network.kind} weight {quoted(field)} is not a number: write a decimal such as 0.8",
                        network.span,
                    )
                    break
