"""The parser's recoveries, reported as diagnostics with source spans.

Codes (the linter shows them under the same codes):

- ``S001`` unclosed ``(``/``[``/``{``: it weights everything up to the end, as in A1111;
- ``S002`` a closing bracket that closes nothing: literal text;
- ``S003`` malformed or non-finite weight such as ``(a:1.2.3)`` (A1111 crashes): literal text;
- ``S004`` a schedule that does not parse, such as ``[a:b:c:5]`` or ``[a|b:5]``: literal text;
- ``S005`` ``AND`` inside brackets: the word AND, not a split into sub-prompts.
"""

from __future__ import annotations

import math
import re

from animagine_prompt.diagnostics import Diagnostic, Severity
from animagine_prompt.syntax._walk import walk_with_depth
from animagine_prompt.syntax.dialects import Dialect
from animagine_prompt.syntax.nodes import Group, Leaf, PromptTree

_A1111_WEIGHT = re.compile(r":\s*[+-]?[.\d]+\s*$")
_CLOSERS = {"round": ")", "square": "]", "brace": "}"}


def _malformed_weight(group: Group) -> str | None:
    if group.kind != "round" or not group.closed:
        return None
    if group.weight is not None:
        return None if math.isfinite(group.weight) else group.close[:-1]
    last = group.children[-1] if group.children else None
    if isinstance(last, Leaf) and last.kind == "text":
        # A1111's weight pattern is ":[+-]?[.\d]+" before ")"; float() then fails on "1.2.3"
        match = _A1111_WEIGHT.search(last.raw)
        if match:
            return match.group()
    return None


def diagnose(tree: PromptTree, dialect: Dialect) -> tuple[Diagnostic, ...]:
    """Every recovery the parser made in ``tree``, in source order.

    >>> from animagine_prompt.syntax import parse
    >>> [(d.code, d.span) for d in parse("(a:1.2.3), b), [c").diagnostics]
    [('S003', (0, 9)), ('S002', (12, 13)), ('S001', (15, 16))]
    """
    out: list[Diagnostic] = []
    for node, depth in walk_with_depth(tree):
        if isinstance(node, Group):
            span = node.span or (0, 0)
            meaningful = _brackets_meaningful(node, dialect)
            if not node.closed and meaningful:
                out.append(
                    Diagnostic(
                        "S001",
                        f"unclosed {node.open!r} weights everything after it: add "
                        f"{_CLOSERS[node.kind]!r} where the group ends, or escape it as '\\{node.open}'",
                        (span[0], span[0] + 1),
                    )
                )
            bad = _malformed_weight(node) if dialect.explicit_weights else None
            if bad is not None:
                out.append(
                    Diagnostic(
                        "S003",
                        f"malformed weight {bad!r} is read as text: write one number, e.g. ':1.2'",
                        span,
                        Severity.ERROR,
                    )
                )
            if node.kind == "square" and node.close not in ("]", "") and dialect.schedules:
                out.append(
                    Diagnostic(
                        "S004",
                        "this schedule does not parse and is read as text: write [to:when], "
                        "[from:to:when] or [from::when], with no '|' and at most two ':' before the number",
                        span,
                    )
                )
        elif isinstance(node, Leaf):
            if node.kind == "stray" and _stray_matters(node, dialect):
                span = node.span or (0, 0)
                out.append(
                    Diagnostic(
                        "S002",
                        f"{node.raw!r} closes no bracket and is read as text: remove it, "
                        f"or escape it as '\\{node.raw[-1]}'",
                        (span[1] - 1, span[1]),
                    )
                )
            elif node.kind == "and" and depth > 0 and dialect.ands:
                out.append(
                    Diagnostic(
                        "S005",
                        "AND inside brackets is read as the word 'AND', not as a sub-prompt split: "
                        "move it outside the brackets",
                        node.span or (0, 0),
                    )
                )
    out.sort(key=lambda d: d.span)
    return tuple(out)


def _brackets_meaningful(group: Group, dialect: Dialect) -> bool:
    if group.kind == "round":
        return dialect.round is not None
    if group.kind == "square":
        return dialect.square is not None
    return dialect.brace is not None


def _stray_matters(leaf: Leaf, dialect: Dialect) -> bool:
    closer = leaf.raw[-1]
    if closer == ")":
        return dialect.round is not None
    if closer == "]":
        return dialect.square is not None
    return dialect.brace is not None
