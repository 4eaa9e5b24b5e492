"""S012: a tag with a colon inside a schedule, split at its colon."""

from __future__ import annotations

from collections.abc import Iterator

from animagine_prompt.diagnostics import Severity
from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._message import quoted
from animagine_prompt.lint._rule import Finding, Rule
from animagine_prompt.syntax import Group, Leaf, Node, Schedule, render


class ColonTagInSquareBrackets(Rule):
    """Colon tag in square brackets: `[honkai: star rail:5]` is a schedule from "honkai" to "star rail".

    ## What it does
    Reports a `[from:to:when]` schedule whose `from` and `to` read as one tag that contains a
    colon (`honkai: star rail`, `re:zero`): a single item with no comma, and `to` starting with
    a space, or the whole being a tag the database knows (`re:zero`; `[cat:dog:10]` is a
    schedule). A colon tag (a colon and a space, or a known tag) in plain square brackets
    (`[honkai: star rail]`, `[re:zero]`) is no schedule, as no step number follows: it is noted,
    as information, that the tag is de-emphasised.

    ## Why it matters
    The colon inside the tag becomes the schedule's separator, so the model sees "honkai" for the
    first steps and " star rail" afterwards, and never the tag.

    ## Example
    ```text
    1girl, stelle, [honkai: star rail:10]
    ```
    Reports:

    - `[honkai: star rail:10]`: 'honkai: star rail' is split at its colon into a schedule from 'honkai' to 'star
      rail': take the tag out of the square brackets

    Use instead:
    ```text
    1girl, stelle, honkai: star rail
    ```

    ## Fix safety
    No automatic fix.
    """

    code = "S012"
    name = "colon-tag-in-square-brackets"
    needs = frozenset({"tags"})

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report schedules whose two branches look like one colon-joined tag."""
        if not ctx.prompt.dialect.schedules:
            return
        for v in ctx.visits:
            node = v.node
            if isinstance(node, Group) and node.kind == "square" and node.closed and node.span is not None:
                note = self._plain(ctx, node)
                if note is not None:
                    yield note
                continue
            if not isinstance(node, Schedule) or node.before is None or node.span is None:
                continue
            if not _flat(node.before) or not _flat(node.after):
                continue  # a tag is plain text; rendering nested schedules would be quadratic
            before, after = render(node.before), render(node.after)
            if not before.strip() or not after.strip() or "," in before + after or "\n" in before + after:
                continue
            if before != before.rstrip() or before[-1].isspace():
                continue
            tag = f"{before}:{after}"
            # `[cat:dog:10]` is a schedule; `[re:zero:10]` splits a tag the database knows.
            if not after[0].isspace() and ctx.category_of(tag) is None:
                continue
            yield self.finding(
                ctx,
                f"'{tag}' is split at its colon into a schedule from {quoted(before)} to {quoted(after.strip())}: "
                "take the tag out of the square brackets",
                node.span,
            )

    def _plain(self, ctx: LintContext, group: Group) -> Finding | None:
        """A note on ``[a: b]``: square brackets around a colon tag, which weight it down."""
        factor = ctx.prompt.dialect.square
        if factor is None or not _flat(group.children):
            return None
        if not any(n.kind == "colon" for n in group.children):  # type: ignore[union-attr]  # _flat() above admitted only leaves
            return None
        tag = render(group.children)
        if not tag.strip() or "," in tag or "\n" in tag:
            return None
        if ": " not in tag and ctx.category_of(tag) is None:
            return None  # `[artist:name]` is NovelAI's de-emphasised artist, not a tag with a colon
        return self.finding(
            ctx,
            f"{quoted('[' + tag + ']')} is no schedule (no step number follows the colon): it weights "
            f"{quoted(tag.strip())} by {factor:.2g}; take it out of the brackets unless that is meant",
            group.span or (0, 0),
            severity=Severity.INFO,
        )


def _flat(nodes: tuple[Node, ...]) -> bool:
    """Whether the nodes are all leaves (no nested group, schedule or alternation)."""
    return all(isinstance(n, Leaf) for n in nodes)
