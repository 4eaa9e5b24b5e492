"""T004: a character name without its series qualifier."""

from __future__ import annotations

from collections.abc import Iterator

from animagine_prompt.diagnostics import Severity
from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._fix import Applicability, Edit, Fix, FixAvailability
from animagine_prompt.lint._message import quoted
from animagine_prompt.lint._rule import Finding, Rule


class UnqualifiedCharacter(Rule):
    """Unqualified character: `kafka` is the Danbooru tag `kafka (honkai: star rail)`.

    ## What it does
    Reports an item that is a character's name without the series qualifier of its Danbooru
    tag (a bare name, or a Danbooru alias of the tag such as `hu tao`), and suggests the
    qualified tag. A name that is also an ordinary word (`misty`, `amber`) is taken for a
    character only when the prompt or its negative names the series (`pokemon`,
    `genshin impact`, or another character of that series).

    ## Why it matters
    The model learned characters under their full tag. A bare name also matches other meanings
    (`kafka` the writer) and other characters of the same name. Writing the series as a separate
    tag, as the Animagine XL 2.0 model card does (`stelle, honkai: star rail`), also works, so
    this is information, not a warning.

    ## Example
    ```text
    1girl, kafka, city
    ```
    Reports:

    - `kafka`: 'kafka' is the character tag 'kafka \\(honkai: star rail\\)': write the qualified tag

    Use instead:
    ```text
    1girl, kafka \\(honkai: star rail\\), city
    ```

    ## Fix safety
    The fix writes the qualified tag. It is unsafe: another character of that name may be meant.
    """

    code = "T004"
    name = "unqualified-character"
    severity = Severity.INFO
    needs = frozenset({"tags"})
    fix_availability = FixAvailability.SOMETIMES

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report items that the database resolves as a character without qualifier."""
        from animagine_prompt.tags import Category, canonical, is_prose

        db = ctx.database
        for index, (item, plain) in enumerate(zip(ctx.tags, ctx.plain, strict=True)):
            if not plain:
                continue
            match = db.lookup(item.text)
            # The series the prompt names can pick another character of that name, or make an
            # ordinary word (`amber`) a name; it cannot turn a typo or another tag into one, so
            # the lookup is not repeated (and its typo search with it) for those.
            if (match is None and is_prose(item.text)) or (match is not None and match.how in ("character", "alias")):
                match = db.lookup(item.text, series=ctx.series_besides(index))
            if match is None or match.how not in ("character", "alias") or match.category != Category.CHARACTER:
                continue
            if match.how == "alias" and ("_(" not in match.tag or "(" in canonical(item.text)):
                continue  # an alias of an unqualified tag, or one written with its own qualifier
            start, end = item.text_span
            fix = None
            if ctx.text[start:end] == item.text:
                fix = Fix(
                    f"write {quoted(match.prompt_form)}",
                    (Edit(start, end, match.prompt_form),),
                    Applicability.UNSAFE,
                )
            yield self.finding(
                ctx,
                f"{quoted(item.text)} is the character tag {quoted(match.prompt_form)}: write the qualified tag",
                (start, end),
                fix,
            )
