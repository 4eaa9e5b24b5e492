"""Walking the prompt tree for rules: every group with its nesting depth and cumulative weight."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from animagine_prompt.syntax import Alternate, Group, Leaf, Node, Schedule
from animagine_prompt.syntax.dialects import Dialect

__all__ = ["Visit", "multiplier", "visit"]


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


@dataclass(frozen=True)
class Visit:
    """A node met in a walk: its enclosing bracket groups (outermost first) and the weight they give."""

    node: Node
    groups: tuple[Group, ...]
    weight: float
    #: Inside a schedule or alternation branch.
    in_schedule: bool


def visit(children: tuple[Node, ...], dialect: Dialect) -> Iterator[Visit]:
    """Every node in source order with its context (iterative: deep nesting is fine).

    >>> from animagine_prompt.syntax import parse
    >>> p = parse("((a:1.5))")
    >>> visits = visit(p.tree.children, p.dialect)
    >>> [(type(v.node).__name__, len(v.groups), round(v.weight, 3)) for v in visits]
    [('Group', 0, 1.0), ('Group', 1, 1.1), ('Leaf', 2, 1.65)]
    """
    stack: list[tuple[Iterator[Node], tuple[Group, ...], float, bool]] = [(iter(children), (), 1.0, False)]
    while stack:
        it, groups, weight, in_schedule = stack[-1]
        node = next(it, None)
        if node is None:
            stack.pop()
            continue
        yield Visit(node, groups, weight, in_schedule)
        if isinstance(node, Group):
            factor = multiplier(node, dialect)
            inner = weight * factor if factor is not None else weight
            stack.append((iter(node.children), (*groups, node) if factor is not None else groups, inner, in_schedule))
        elif isinstance(node, Schedule):
            stack.append((iter((*(node.before or ()), *node.after)), groups, weight, True))
        elif isinstance(node, Alternate):
            stack.append((iter([n for option in node.options for n in option]), groups, weight, True))


def is_blank(nodes: tuple[Node, ...]) -> bool:
    """Whether the nodes hold nothing but whitespace.

    >>> from animagine_prompt.syntax import parse
    >>> is_blank(parse(" \\n").tree.children), is_blank(parse("a").tree.children)
    (True, False)
    """
    return all(isinstance(n, Leaf) and n.kind in ("text", "newline") and not n.raw.strip() for n in nodes)


def commas(tree: object) -> list[int]:
    """Source offsets of the separating commas (those in text, not in escapes or extra networks).

    >>> from animagine_prompt.syntax import parse
    >>> commas(parse("a, (b,c), <lora:x:1>").tree)
    [1, 5, 8]
    """
    from animagine_prompt.syntax import iter_leaves

    out: list[int] = []
    for leaf in iter_leaves(tree):  # type: ignore[arg-type]
        if isinstance(leaf, Leaf) and leaf.kind in ("text", "comma") and leaf.span is not None:
            out.extend(leaf.span[0] + i for i, ch in enumerate(leaf.raw) if ch == ",")
    return out
