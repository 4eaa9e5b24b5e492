"""T001: a Danbooru qualifier written with bare parentheses."""

from __future__ import annotations

import re
from collections.abc import Iterator

from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._fix import Applicability, Edit, Fix, FixAvailability
from animagine_prompt.lint._message import quoted
from animagine_prompt.lint._rule import Finding, Rule
from animagine_prompt.syntax import Group, Leaf, Node, render

_WEIGHT_LIKE = re.compile(r":\s*[-+]?[\d.]+\s*$")


class UnescapedQualifier(Rule):
    """Unescaped qualifier: `hu tao (genshin impact)` weights the series name instead of naming the character.

    ## What it does
    Reports `name (qualifier)` written with bare parentheses when `name_(qualifier)` is a known
    tag, or when the qualifier is a known series (copyright tag).

    ## Why it matters
    In A1111 syntax `(genshin impact)` is emphasis: the model reads "hu tao" and, separately,
    "genshin impact" at weight 1.1, not the Danbooru tag `hu_tao_(genshin_impact)` it was
    trained on. Escaped brackets keep the parentheses as text.

    ## Example
    ```text
    1girl, hu tao (genshin impact), smile
    ```
    Use instead:
    ```text
    1girl, hu tao \\(genshin impact\\), smile
    ```

    ## Fix safety
    The fix escapes the brackets. It is unsafe because it changes what the model reads
    (that is its purpose, but the weight the brackets gave is gone).
    """

    code = "T001"
    name = "unescaped-qualifier"
    needs = frozenset({"tags"})
    fix_availability = FixAvailability.ALWAYS

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report round groups that follow a name and complete a known qualified tag."""
        if ctx.prompt.dialect.round is None:
            return
        db = ctx.database
        stack: list[tuple[Node, ...]] = [ctx.prompt.tree.children]
        while stack:
            children = stack.pop()
            for i, node in enumerate(children):
                if isinstance(node, Group):
                    stack.append(node.children)
                    if i and node.kind == "round" and node.weight is None and node.closed and node.span:
                        found = self._qualified(children[i - 1], node, db)
                        if found is not None:
                            yield self._report(ctx, node, found)

    def _qualified(self, before: Node, group: Group, db: object) -> str | None:
        if not isinstance(before, Leaf) or before.kind != "text":
            return None
        name = before.raw.rsplit(",", 1)[-1].strip()
        qualifier = render(group.children).strip()
        if not name or not qualifier or not before.raw.endswith(" ") or _WEIGHT_LIKE.search(qualifier):
            return None
        if any(ch in qualifier for ch in "()[]\\,"):
            return None
        full = f"{name} ({qualifier})"
        if db.category_of(full) is not None or db.category_of(qualifier) == 3:  # type: ignore[attr-defined]
            return full
        return None

    def _report(self, ctx: LintContext, group: Group, full: str) -> Finding:
        start, end = group.span or (0, 0)
        fix = Fix(
            "escape the brackets",
            (Edit(start, start + 1, "\\("), Edit(end - 1, end, "\\)")),
            Applicability.UNSAFE,
        )
        return self.finding(
            ctx,
            f"'{full}' is read as emphasis on {quoted(ctx.text[start:end])}: escape the brackets as \\( \\) "
            "to write the qualified tag",
            (start, end),
            fix,
        )
