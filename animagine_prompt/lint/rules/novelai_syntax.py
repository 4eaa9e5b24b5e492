"""S015: NovelAI emphasis in an A1111 prompt, where it is literal text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._message import quoted
from animagine_prompt.lint._rule import Finding, Rule
from animagine_prompt.lint.rules._items import brace_groups
from animagine_prompt.syntax import Leaf

# NovelAI's numeric emphasis: "1.5::tag::" (or "-1::tag::", which removes the tag).
_NUMERIC = re.compile(r"(?<![\w:])([-+]?\d+(?:\.\d+)?)::([^:]+?)::")


class NovelaiSyntax(Rule):
    """NovelAI syntax: `{{tag}}` and `-1::tag::` are NovelAI emphasis; A1111 reads them as text.

    ## What it does
    Reports, in an A1111 or Comfy prompt, NovelAI's emphasis braces (`{tag}`, `{{tag}}`; a
    brace group with `|` is a Dynamic Prompts variant instead, see S014) once per prompt, at
    the first group, and each numeric emphasis (`1.5::tag::`, `-1::tag::`) with how to write it.

    ## Why it matters
    The braces and colons become tokens of their own; the tag gets no extra weight, and a
    negative NovelAI weight does not remove anything.

    ## Example
    ```text
    1girl, {{smile}}, 1.3::red eyes::
    ```
    Reports:

    - `{{smile}}`: '{{smile}}': NovelAI emphasis, read here as text; rewrite the prompt with `animagine-prompt
      convert --from novelai --to a1111`
    - `1.3::red eyes::`: '1.3::red eyes::' is NovelAI's weight syntax, read here as text: write (red eyes:1.3)

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
        if ctx.prompt.dialect.brace is not None or ("{" not in ctx.text and "::" not in ctx.text):
            return
        text = ctx.text
        groups = [(a, b) for a, b in brace_groups(text) if "|" not in text[a:b] and text[a:b].strip(" {}")]
        if "::" in text:
            for leaf in ctx.leaves:
                if not isinstance(leaf, Leaf) or leaf.kind != "text" or leaf.span is None:
                    continue
                for m in _NUMERIC.finditer(leaf.raw):
                    start = leaf.span[0] + m.start()
                    weight, tag = m.group(1), m.group(2).strip()
                    advice = (
                        f"write ({tag}:{weight})" if float(weight) > 0 else f"move {quoted(tag)} to the negative prompt"
                    )
                    yield self.finding(
                        ctx,
                        f"{quoted(m.group())} is NovelAI's weight syntax, read here as text: {advice}",
                        (start, start + len(m.group())),
                    )
        if groups:
            # One finding for the prompt: it was written for NovelAI, and one command converts it all.
            first = ctx.text[groups[0][0] : groups[0][1]]
            more = f" and {len(groups) - 1} more brace group{'s' if len(groups) > 2 else ''}" if len(groups) > 1 else ""
            yield self.finding(
                ctx,
                f"{quoted(first)}{more}: NovelAI emphasis, read here as text; rewrite the prompt with "
                "`animagine-prompt convert --from novelai --to a1111`",
                groups[0],
            )
