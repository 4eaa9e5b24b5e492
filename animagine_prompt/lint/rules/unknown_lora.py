"""S105: a LoRA name that is not in the configured LoRA folder."""

from __future__ import annotations

from collections.abc import Iterator

from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._message import quoted
from animagine_prompt.lint._rule import Finding, Rule


class UnknownLora(Rule):
    """Unknown LoRA: `<lora:name>` names no file in the configured LoRA folder.

    ## What it does
    When a LoRA folder is configured (`lora-dir` in the config, or `--lora-dir`), reports
    `<lora:…>` and `<lyco:…>` names that match no `.safetensors`, `.pt`, `.ckpt` or `.bin` file
    in it (compared by file name without extension, case-insensitively, in any subfolder).

    ## Why it matters
    A1111 skips a LoRA it cannot find with only a console message, so the image silently
    lacks the style or character the prompt relies on.

    ## Example
    ```text
    1girl, <lora:style-enhancr-xl:0.8>
    ```
    Reports:

    - `<lora:style-enhancr-xl:0.8>`: no LoRA file named 'style-enhancr-xl' in LORA_DIR: check the name

    Use instead:
    ```text
    1girl, <lora:style-enhancer-xl:0.8>
    ```

    ## Fix safety
    No automatic fix.
    """

    code = "S105"
    name = "unknown-lora"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report LoRA names missing from the folder; nothing when no folder is configured."""
        networks = [n for n in ctx.networks if n.kind.lower() in ("lora", "lyco")]
        if not networks:
            return
        names = ctx.resources.lora_names()
        if names is None:
            return
        for network in networks:
            name = network.name.strip()
            if name and name.lower() not in names and network.span is not None:
                yield self.finding(
                    ctx,
                    f"no LoRA file named {quoted(name)} in {ctx.resources.settings.lora_dir}: check the name",
                    network.span,
                )
