"""A tidy rendering of a prompt tree: same meaning, one spelling.

Whitespace runs become one space, commas are followed by one space, weights lose their padding
and trailing zeros, brackets left open are closed and stray closers are escaped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from animagine_prompt.syntax.nodes import Alternate, ExtraNetwork, Group, Leaf, Node, PromptTree, Schedule

__all__ = ["canonical", "format_weight"]

_SPACES = re.compile(r"[ \t\r\f\v]+")
_COMMA = re.compile(r" ?, ?")
_CLOSERS = {"round": ")", "square": "]", "brace": "}"}


def format_weight(weight: float) -> str:
    """A weight as people write it: at most four decimals, no trailing zeros.

    >>> format_weight(1.5), format_weight(1.1025), format_weight(1.2100000000000002), format_weight(2.0)
    ('1.5', '1.1025', '1.21', '2')
    """
    text = f"{round(weight, 4):.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _leaf(leaf: Leaf | ExtraNetwork) -> str:
    if isinstance(leaf, ExtraNetwork):
        return leaf.raw
    if leaf.kind == "stray":
        return leaf.raw[:-1].replace(" ", "") + "\\" + leaf.raw[-1]
    if leaf.kind == "comment":
        return leaf.raw + "\n"  # whatever follows must not fall into the comment
    if leaf.kind == "backslash":
        return ""  # a lone backslash means nothing, and before a bracket it would become an escape
    if leaf.kind in ("text", "colon", "pipe"):
        return _SPACES.sub(" ", leaf.raw)
    return leaf.raw


def _tidy(text: str) -> str:
    lines = [_COMMA.sub(", ", _SPACES.sub(" ", line)).strip() for line in text.split("\n")]
    lines = [line[:-1] if line.endswith(", ") else line for line in lines]
    return "\n".join(line for line in lines if line).strip()


def canonical(tree: PromptTree | tuple[Node, ...]) -> str:
    """The canonical text of a tree (iterative: any nesting depth).

    >>> from animagine_prompt.syntax import parse
    >>> canonical(parse("( a  :1.50 ),[b] ,[c: d :0.5] , e)").tree)
    '(a:1.5), [b], [c:d:0.5], e\\\\)'
    >>> canonical(parse("((x").tree)
    '((x))'
    """
    nodes = tree.children if isinstance(tree, PromptTree) else tree
    # frame: (iterator, collected parts, finish(parts) -> str)
    frames: list[tuple[Iterator, list[str], Callable[[list[str]], str] | None]] = [(iter(nodes), [], None)]
    while True:
        it, parts, finish = frames[-1]
        node = next(it, None)
        if node is None:
            frames.pop()
            text = "".join(parts)
            if finish is None:
                return _tidy(text)
            frames[-1][1].append(finish(parts))
            continue
        if isinstance(node, (Leaf, ExtraNetwork)):
            parts.append(_leaf(node))
        elif isinstance(node, Group):
            frames.append((iter(node.children), [], _group_finisher(node)))
        elif isinstance(node, Schedule):
            branches = [node.after] if node.before is None else [node.before, node.after]
            frames.append(
                (iter([_Branch(b) for b in branches]), [], lambda p, n=node: f"[{':'.join(p)}:{n.when_text}]")
            )
        elif isinstance(node, Alternate):
            frames.append((iter([_Branch(o) for o in node.options]), [], lambda p: f"[{'|'.join(p)}]"))
        elif isinstance(node, _Branch):
            frames.append((iter(node.nodes), [], lambda p: _SPACES.sub(" ", "".join(p)).strip(" ")))


class _Branch:
    """One option of an alternation, or one side of a schedule: tidied on its own, then joined."""

    __slots__ = ("nodes",)

    def __init__(self, nodes: tuple[Node, ...]) -> None:
        self.nodes = nodes


def _group_finisher(group: Group) -> Callable[[list[str]], str]:
    def finish(parts: list[str]) -> str:
        inner = _SPACES.sub(" ", "".join(parts)).strip(" ")  # keep a newline that ends a comment
        if group.weight is not None:
            return f"{group.open}{inner}:{format_weight(group.weight)})"
        close = group.close or _CLOSERS[group.kind]
        if len(close) > 1:  # a schedule that did not parse: keep its text, tidy its number
            close = ":" + close[1:-1].strip() + close[-1]
        return f"{group.open}{inner}{close}"

    return finish
