"""S001: an opening bracket that is never closed."""

from __future__ import annotations

from animagine_prompt.diagnostics import Severity
from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint.rules._brackets import a1111_unpaired
from animagine_prompt.lint.rules._parser_rule import ParserRule


class UnclosedBracket(ParserRule):
    """Unclosed bracket: a `(` or `[` that no bracket closes weights everything after it.

    ## What it does
    Reports an opening `(`, `[` (or `{` in the NovelAI dialect) that is still open when the prompt ends.
    As in A1111, `(` and `[` are closed on separate stacks: in `[artist:ask(askzy]` the `]`
    closes the `[`, and only the `(` is open.

    ## Why it matters
    A1111 applies an unclosed group to the rest of the prompt, so one missing `)` quietly raises
    the weight of every tag after it. Usually a `)` was forgotten, or a literal bracket (a Danbooru
    qualifier) was meant and should have been escaped.

    ## Example
    ```text
    1girl, (green hair, looking at viewer, night
    ```
    Reports:

    - `(`: unclosed '(' weights everything after it: add ')' where the group ends, or escape it as '\\('

    Use instead:
    ```text
    1girl, (green hair), looking at viewer, night
    ```

    ## Fix safety
    No automatic fix: only the author knows where the group was meant to end.
    """

    code = "S001"
    name = "unclosed-bracket"
    severity = Severity.WARNING

    def keeps(self, ctx: LintContext, span: tuple[int, int]) -> bool:
        """Leave out a `[` or `(` that A1111 closes across the other kind of bracket."""
        if ctx.prompt.dialect.name != "a1111":
            return True
        return span[0] in a1111_unpaired(ctx.text)[0]
