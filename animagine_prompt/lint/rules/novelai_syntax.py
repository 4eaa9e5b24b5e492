"""S015: NovelAI emphasis in an A1111 prompt, where it is literal text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._message import quoted
from animagine_prompt.lint._rule import Finding, Rule
from animagine_prompt.syntax import Group, Leaf, render

# NovelAI's numeric emphasis: "1.5::tag::" (or "-1::tag::", which removes the tag).
_NUMERIC = re.compile(r"(?<![\w:])([-+]?\d+(?:\.\d+)?)::([^:]+?)::")


class NovelaiSyntax(Rule):
    """NovelAI syntax: `{{tag}}` and `-1::tag::` are NovelAI emphasis; A1111 reads them as text.

    ## What it does
    Reports, in an A1111 or Comfy prompt, NovelAI's emphasis braces (`{tag}`, `{{tag}}`; a
    brace group with `|` is a Dynamic Prompts variant instead, see S014) and its numeric
    emphasis (`1.5::tag::`, `-1::tag::`), and says how to write them.

    ## Why it matters
    The braces and colons become tokens of their own; the tag gets no extra weight, and a
    negative NovelAI weight does not remove anything.

    ## Example
    ```text
    1girl, {{smile}}, 1.3::red eyes::
    ```
    Use instead:
    ```text
    1girl, (smile:1.1025), (red eyes:1.3)
    ```

    ## Fix safety
    No automatic fix: `animagine-prompt convert --from novelai --to a1111` rewrites braces.
    """

    code = "S015"
    name = "novelai-syntax"

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report brace groups and ``w::text::`` where the dialect reads them as text."""
        if ctx.prompt.dialect.brace is not None:
            return
        inside = 0  # end of the last reported group: nested braces are part of it
        for v in ctx.visits:
            node = v.node
            if not node.span or node.span[0] < inside:
                continue
            if isinstance(node, Group) and node.kind == "brace" and node.closed:
                body = render(node.children)
                if "|" in body or not body.strip(" {}"):
                    continue
                inside = node.span[1]
                yield self.finding(
                    ctx,
                    f"{quoted(ctx.text[node.span[0] : node.span[1]])} is NovelAI emphasis, read here as text: "
                    "rewrite it with `animagine-prompt convert --from novelai --to a1111`",
                    node.span,
                )
            elif isinstance(node, Leaf) and node.kind == "text":
                for m in _NUMERIC.finditer(node.raw):
                    start = node.span[0] + m.start()
                    weight, text = m.group(1), m.group(2).strip()
                    advice = (
                        f"write ({text}:{weight})"
                        if float(weight) > 0
                        else f"move {quoted(text)} to the negative prompt"
                    )
                    yield self.finding(
                        ctx,
                        f"{quoted(m.group())} is NovelAI's weight syntax, read here as text: {advice}",
                        (start, start + len(m.group())),
                    )
