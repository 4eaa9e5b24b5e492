"""Walking the prompt tree for rules: every group with its nesting depth and cumulative weight."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from animagine_prompt.syntax import Alternate, Group, Leaf, Node, Schedule
from animagine_prompt.syntax.dialects import Dialect

__all__ = ["Enclosing", "Visit", "multiplier", "visit"]


def multiplier(group: Group, dialect: Dialect) -> float | None:
    """The factor a group applies in the dialect, or ``None`` when its brackets are literal text.

    >>> from animagine_prompt.syntax import parse
    >>> p = parse("(a:1.5) [b]")
    >>> [round(multiplier(g, p.dialect), 3) for g in p.tree.children if isinstance(g, Group)]
    [1.5, 0.909]
    """
    if group.kind == "round":
        if group.weight is not None:
            return group.weight if dialect.explicit_weights else None
        return dialect.round
    if group.kind == "square":
        return dialect.square
    return dialect.brace


@dataclass(frozen=True, slots=True)
class Enclosing:
    """The innermost group around a node, linked to the ones around it (shared between visits)."""

    group: Group
    parent: Enclosing | None
    #: How many groups this link stands for, and the outermost of them.
    depth: int
    outer: Group


@dataclass(frozen=True)
class Visit:
    """A node met in a walk: its enclosing bracket groups and the weight they give.

    The groups are a chain shared by every node inside them, so a walk stays linear in time and
    memory however deep the nesting; :attr:`groups` lays the chain out when a rule asks for it.
    """

    node: Node
    enclosing: Enclosing | None
    weight: float
    #: Inside a schedule or alternation branch.
    in_schedule: bool

    @property
    def depth(self) -> int:
        """How many weighting groups enclose the node."""
        return 0 if self.enclosing is None else self.enclosing.depth

    @property
    def outer(self) -> Group | None:
        """The outermost weighting group around the node."""
        return None if self.enclosing is None else self.enclosing.outer

    @property
    def groups(self) -> tuple[Group, ...]:
        """The enclosing weighting groups, outermost first (O(depth): prefer :attr:`depth` and :attr:`outer`)."""
        out: list[Group] = []
        link = self.enclosing
        while link is not None:
            out.append(link.group)
            link = link.parent
        return tuple(reversed(out))


def visit(children: tuple[Node, ...], dialect: Dialect) -> Iterator[Visit]:
    """Every node in source order with its context (iterative: deep nesting is fine).

    >>> from animagine_prompt.syntax import parse
    >>> p = parse("((a:1.5))")
    >>> visits = visit(p.tree.children, p.dialect)
    >>> [(type(v.node).__name__, len(v.groups), v.depth, round(v.weight, 3)) for v in visits]
    [('Group', 0, 0, 1.0), ('Group', 1, 1, 1.1), ('Leaf', 2, 2, 1.65)]
    """
    stack: list[tuple[Iterator[Node], Enclosing | None, float, bool]] = [(iter(children), None, 1.0, False)]
    while stack:
        it, enclosing, weight, in_schedule = stack[-1]
        node = next(it, None)
        if node is None:
            stack.pop()
            continue
        yield Visit(node, enclosing, weight, in_schedule)
        if isinstance(node, Group):
            factor = multiplier(node, dialect)
            if factor is None:
                stack.append((iter(node.children), enclosing, weight, in_schedule))
            else:
                depth, outer = (1, node) if enclosing is None else (enclosing.depth + 1, enclosing.outer)
                inner = Enclosing(node, enclosing, depth, outer)
                stack.append((iter(node.children), inner, weight * factor, in_schedule))
        elif isinstance(node, Schedule):
            stack.append((iter((*(node.before or ()), *node.after)), enclosing, weight, True))
        elif isinstance(node, Alternate):
            stack.append((iter([n for option in node.options for n in option]), enclosing, weight, True))


def is_blank(nodes: tuple[Node, ...]) -> bool:
    """Whether the nodes hold nothing but whitespace.

    >>> from animagine_prompt.syntax import parse
    >>> is_blank(parse(" \\n").tree.children), is_blank(parse("a").tree.children)
    (True, False)
    """
    return all(isinstance(n, Leaf) and n.kind in ("text", "newline") and not n.raw.strip() for n in nodes)


def commas(leaves: Iterable[object]) -> list[int]:
    """Source offsets of the separating commas (those in text, not in escapes or extra networks),
    given the tree's leaves in source order.

    >>> from animagine_prompt.syntax import iter_leaves, parse
    >>> commas(iter_leaves(parse("a, (b,c), <lora:x:1>").tree))
    [1, 5, 8]
    """
    out: list[int] = []
    for leaf in leaves:
        if isinstance(leaf, Leaf) and leaf.kind in ("text", "comma") and leaf.span is not None:
            # found with str.find: a text leaf may be a long run of tags, read once per prompt
            raw, start = leaf.raw, leaf.span[0]
            at = raw.find(",")
            while at >= 0:
                out.append(start + at)
                at = raw.find(",", at + 1)
    return out
