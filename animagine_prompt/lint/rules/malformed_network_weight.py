"""S104: an extra network (``<lora:...>``) with a weight that is not a number."""

from __future__ import annotations

import math
from collections.abc import Iterator

from animagine_prompt.diagnostics import Severity
from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._message import quoted
from animagine_prompt.lint._rule import Finding, Rule
from animagine_prompt.lint.rules._items import BLOCK_WEIGHTS


class MalformedNetworkWeight(Rule):
    """Malformed network weight: `<lora:name:w>` whose weight is not a finite number, or has no name.

    ## What it does
    Reports an extra network (`<lora:…>`, `<lyco:…>`, `<hypernet:…>`) with an empty name, or
    whose first field after the name (the weight) is not a number. Later fields may also be
    the LoRA Block Weight extension's block list (`1,0,0,…`) or preset name (`MIDD`), and
    `key=value` options (`lbw=…`, `unet=…`) are left alone: S014 notes what they do.

    ## Why it matters
    A1111 fails to load the network or falls back to weight 1 without saying so, so the LoRA is
    applied at a strength nobody chose.

    ## Example
    ```text
    1girl, <lora:style-enhancer-xl:0,8>
    ```
    Reports:

    - `<lora:style-enhancer-xl:0,8>`: lora weight '0,8' is not a number: write a decimal such as 0.8

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
        for network in ctx.networks:
            if network.span is None:
                continue
            if not network.name.strip():
                yield self.finding(
                    ctx, f"<{network.kind}:...> has no name: write <{network.kind}:name:weight>", network.span
                )
                continue
            for position, field in enumerate(network.positional):
                if position and BLOCK_WEIGHTS.fullmatch(field.strip()):
                    continue  # block weights or a block-weight preset (LoRA Block Weight)
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
