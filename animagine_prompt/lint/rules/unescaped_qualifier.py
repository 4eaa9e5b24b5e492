"""T001: a Danbooru qualifier written with bare parentheses."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeGuard

from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._fix import Applicability, Edit, Fix, FixAvailability
from animagine_prompt.lint._message import quoted, quoted_list
from animagine_prompt.lint._rule import Finding, Rule
from animagine_prompt.syntax import Group, Leaf, Node, render

if TYPE_CHECKING:
    from animagine_prompt.tags import TagDatabase


@dataclass(frozen=True)
class _Found:
    """A name and the bracket groups after it that together spell a qualified tag."""

    start: int
    end: int
    groups: tuple[Group, ...]
    #: The tag in prompt form, escaped: what the fix writes.
    written: str
    #: The brackets were "escaped" with slashes (`d.va /(overwatch 1/)`).
    slashed: bool = False


class UnescapedQualifier(Rule):
    """Unescaped qualifier: `hu tao (genshin impact)` weights the series name instead of naming the character.

    ## What it does
    Reports a name followed by one or more bare `(qualifier)` groups when together they are a
    known tag, or when the last qualifier is a known series (copyright tag). Danbooru's own
    form counts too, with underscores and colons (`kafka_(honkai:_star_rail)`), and so do
    several qualifiers (`artoria pendragon (lancer alter) (fate)`): one finding per tag, which
    says the weight A1111 gives each group (1.1, or the number after a colon). General tags with
    a qualifier count as well (`crane (machine)`), and so do brackets "escaped" with forward
    slashes (`d.va /(overwatch 1/)`) or tags after a full-width comma (`，`).

    ## Why it matters
    In A1111 syntax `(genshin impact)` is emphasis: the model reads "hu tao" and, separately,
    "genshin impact" at weight 1.1, not the Danbooru tag `hu_tao_(genshin_impact)` it was
    trained on. Escaped brackets keep the parentheses as text.

    ## Example
    ```text
    1girl, hu tao (genshin impact), smile
    ```
    Reports:

    - `hu tao (genshin impact)`: 'hu tao (genshin impact)' is not read as the tag: A1111 takes '(genshin impact)'
      as emphasis at weight 1.1; write 'hu tao \\(genshin impact\\)' with escaped brackets

    Use instead:
    ```text
    1girl, hu tao \\(genshin impact\\), smile
    ```

    ## Fix safety
    The fix writes the tag in prompt form: spaces for underscores, brackets escaped. It is
    unsafe because it changes what the model reads (that is its purpose, but the weight the
    brackets gave is gone).
    """

    code = "T001"
    name = "unescaped-qualifier"
    needs = frozenset({"tags"})
    fix_availability = FixAvailability.ALWAYS

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report names followed by round groups that complete a known qualified tag."""
        factor = ctx.prompt.dialect.round
        if factor is None:
            return
        db = ctx.database
        stack: list[tuple[Node, ...]] = [ctx.prompt.tree.children]
        found: list[_Found] = []
        while stack:
            children = stack.pop()
            # A hit only overlaps an earlier hit of the same sequence (its qualifiers hold no
            # brackets, so none lies inside another's groups), and those come in source order:
            # comparing with the last one is enough, and keeps a prompt of many hits linear.
            last_end = -1
            for i, node in enumerate(children):
                if isinstance(node, Group):
                    stack.append(node.children)
                    if i and _is_qualifier(node):
                        hit = _qualified(children, i, db)
                        if hit is not None and hit.start >= last_end:
                            found.append(hit)
                            last_end = hit.end
        for hit in sorted(found, key=lambda f: f.start):
            yield self._report(ctx, hit, factor)

    def _report(self, ctx: LintContext, hit: _Found, factor: float) -> Finding:
        written = ctx.text[hit.start : hit.end]
        weights = sorted({round(factor if g.weight is None else g.weight, 3) for g in hit.groups})
        shown = quoted_list([ctx.text[g.span[0] : g.span[1]] for g in hit.groups if g.span])
        weight = " and ".join(f"{w:g}" for w in weights)
        fix = Fix(f"write {quoted(hit.written)}", (Edit(hit.start, hit.end, hit.written),), Applicability.UNSAFE)
        how = "escaped brackets (a backslash escapes, not '/')" if hit.slashed else "escaped brackets"
        return self.finding(
            ctx,
            f"{quoted(written)} is not read as the tag: A1111 takes {shown} as emphasis at weight {weight}; "
            f"write {quoted(hit.written)} with {how}",
            (hit.start, hit.end),
            fix,
        )


def _is_qualifier(node: Node) -> TypeGuard[Group]:
    return isinstance(node, Group) and node.kind == "round" and node.closed and node.span is not None


def _qualified(children: tuple[Node, ...], i: int, db: TagDatabase) -> _Found | None:
    """The qualified tag that the name before ``children[i]`` and the groups from ``i`` on spell."""
    from animagine_prompt.tags import canonical, to_prompt_form

    before = children[i - 1]
    if not isinstance(before, Leaf) or before.kind != "text" or before.span is None:
        return None
    raw = before.raw
    # Full-width commas separate tags typed with a Chinese or Japanese keyboard.
    cut = max(raw.rfind(","), raw.rfind("\n"), raw.rfind("\uff0c"), raw.rfind("\u3001")) + 1
    name = raw[cut:].strip()
    # `d.va /(overwatch 1/)`: slashes typed where backslashes were meant.
    slashed = name.endswith("/")
    name = name.removesuffix("/").rstrip()
    # Underscores alone name nothing: they are the gap between two groups (`(smile)_(genshin impact)`).
    if not name.strip("_") or name.endswith(("(", "[", ":")):
        return None
    start = before.span[0] + cut + len(raw[cut:]) - len(raw[cut:].lstrip())
    groups: list[Group] = []
    j = i
    while j < len(children):
        node = children[j]
        if not _is_qualifier(node):
            break
        groups.append(node)
        gap = children[j + 1] if j + 1 < len(children) else None
        if isinstance(gap, Leaf) and gap.kind == "text" and not gap.raw.strip(" _") and j + 2 < len(children):
            j += 2
        else:
            break
    qualifiers = [render(g.children).strip() for g in groups]
    if slashed:
        qualifiers = [q.removesuffix("/").rstrip() for q in qualifiers]
    if any(not q or any(ch in q for ch in "()[]\\,") for q in qualifiers):
        return None
    # The longest run of qualifiers that names a tag wins. The key of n qualifiers keeps their
    # 2n brackets: past the database's longest name it is no tag, and building it for every n
    # of a long run of bracketed words would be quadratic.
    longest = db.longest_key
    for n in range(len(groups), 0, -1):
        named = 2 * n <= longest
        if not named and db.category_of(qualifiers[n - 1]) != 3:
            continue
        full = canonical(name + "".join(f" ({q})" for q in qualifiers[:n]))
        match = db.lookup(full) if named else None
        if match is not None and match.how in ("exact", "alias", "character") and "_(" in match.tag:
            written = match.prompt_form
        elif db.category_of(qualifiers[n - 1]) == 3:
            written = to_prompt_form(full)
        else:
            continue
        span = groups[n - 1].span
        assert span is not None  # _is_qualifier took only groups with a span
        end = span[1]
        return _Found(start, end, tuple(groups[:n]), written, slashed)
    return None
