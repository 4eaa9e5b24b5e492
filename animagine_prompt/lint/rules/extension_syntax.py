"""S014: syntax of A1111 extensions, recognised and left alone, with a note on what it does."""

from __future__ import annotations

import re
from collections.abc import Iterator

from animagine_prompt.diagnostics import Severity
from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._message import quoted
from animagine_prompt.lint._rule import Finding, Rule
from animagine_prompt.lint.rules._items import BLOCK_WEIGHTS, brace_groups
from animagine_prompt.syntax import Leaf

_WILDCARD = re.compile(r"(?<![\w])__[\w\-/*.]+?__(?![\w])")

_NETWORKS = {
    "lyco": "a LyCORIS network: A1111 1.5 and later load it like <lora:…>, older versions need the LyCORIS "
    "extension; its text is removed before the prompt is read",
    "hypernet": "a hypernetwork: A1111 applies it at the given strength and removes it from the text",
}


class ExtensionSyntax(Rule):
    """Extension syntax: LoRA block weights, `<lyco:…>`, `<hypernet:…>`, dynamic-prompts `{a|b}` and `__wildcard__`.

    ## What it does
    Notes, as information, syntax that popular A1111 extensions read and plain A1111 does not:
    LoRA Block Weight's per-block weights (`<lora:name:0.5:lbw=…>`, `<lora:name:0.5:1,0,0,…>`,
    `<lora:name:0.5:MIDD>`), LyCORIS networks (`<lyco:…>`), hypernetworks (`<hypernet:…>`),
    and the Dynamic Prompts extension's variants (`{red|blue} hair`) and wildcards
    (`__season__`). No other rule reports them as mistakes.

    ## Why it matters
    The prompt does what the author wants only where the extension is installed; elsewhere
    (another UI, this tool's own generation) the text is read literally or the weights ignored.

    ## Example
    ```text
    1girl, {red|blue} hair, __season__, <lora:style:0.6:lbw=1,0,0,0,1,1,1,1,0,0,0,1>
    ```

    Reports:

    - `{red|blue}`: '{red|blue}' is a Dynamic Prompts variant: the extension picks one option per image; without
      it the braces and '|' are read as text
    - `__season__`: '__season__' is a Dynamic Prompts wildcard: the extension replaces it with a line of
      wildcards/season.txt; without it it is read as text
    - `<lora:style:0.6:lbw=1,0,0,0,1,1,1,1,0,0,0,1>`: per-block LoRA weights are read by the LoRA Block Weight
      extension; without it A1111 does not apply them

    ## Fix safety
    No fix: the syntax is deliberate.
    """

    code = "S014"
    name = "extension-syntax"
    severity = Severity.INFO

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Note block weights, LyCORIS and hypernetworks, dynamic-prompts variants and wildcards."""
        found: list[tuple[tuple[int, int], str]] = []
        for network in ctx.networks:
            if network.span is None:
                continue
            if network.kind in _NETWORKS:
                found.append((network.span, f"<{network.kind}:…> is {_NETWORKS[network.kind]}"))
            elif network.kind == "lora" and (
                "lbw" in network.options or any(BLOCK_WEIGHTS.fullmatch(f.strip()) for f in network.positional[1:])
            ):
                found.append(
                    (
                        network.span,
                        "per-block LoRA weights are read by the LoRA Block Weight extension; without it "
                        "A1111 does not apply them",
                    )
                )
        if ctx.prompt.dialect.brace is None and ("{" in ctx.text or "__" in ctx.text):
            found += self._dynamic(ctx)
        for span, message in sorted(found):
            yield self.finding(ctx, message, span)

    def _dynamic(self, ctx: LintContext) -> Iterator[tuple[tuple[int, int], str]]:
        variants = [(a, b) for a, b in brace_groups(ctx.text) if "|" in ctx.text[a:b]]
        for a, b in variants:
            yield (
                (a, b),
                f"{quoted(ctx.text[a:b])} is a Dynamic Prompts variant: the extension picks one option per "
                "image; without it the braces and '|' are read as text",
            )
        for leaf in ctx.leaves:
            if not isinstance(leaf, Leaf) or leaf.kind != "text" or leaf.span is None or "__" not in leaf.raw:
                continue
            for m in _WILDCARD.finditer(leaf.raw):
                start = leaf.span[0] + m.start()
                if any(a <= start < b for a, b in variants):
                    continue  # part of a variant, noted with it
                yield (
                    (start, start + len(m.group())),
                    f"{quoted(m.group())} is a Dynamic Prompts wildcard: the extension replaces it with a "
                    f"line of wildcards/{m.group()[2:-2]}.txt; without it it is read as text",
                )
