"""A tidy rendering of a prompt tree: same meaning, one spelling.

Whitespace runs become one space, commas are followed by one space, weights lose their padding
and trailing zeros, stray closers are escaped, and brackets left open are closed where closing
them keeps the meaning: ``(red hair:1.2`` stays open, because ``(red hair:1.2)`` would turn its
text into a weight (and ``[cat|dog`` would become an alternation).

The rendering is one pass that writes into a flat list (no string per group), so it takes linear
time at any nesting depth.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from animagine_prompt.syntax.nodes import Alternate, ExtraNetwork, Group, Leaf, Node, PromptTree, Schedule

__all__ = ["canonical", "format_weight"]

_SPACES = re.compile(r"[ \t\r\f\v]+")
_COMMA = re.compile(r" ?, ?")
_CLOSERS = {"round": ")", "square": "]", "brace": "}"}
# Text that a closing bracket would turn into a weight ":1.2)" or a schedule step ":5]" (the
# grammar's WEIGHT and WHEN tokens without their bracket).
_WOULD_WEIGH = re.compile(r":\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)\s*$")
_WOULD_SCHEDULE = re.compile(r":[ \t\f\r\n]*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[ \t\f\r\n]*$")
_NUMBER_CHARS = re.compile(r"[^\s\d.+\-eE]")
# what a backslash escapes (the grammar's ESCAPE token)
_ESCAPABLE = frozenset("()[]{}\\")


def format_weight(weight: float) -> str:
    """A weight as people write it: at most four decimals, no trailing zeros.

    >>> format_weight(1.5), format_weight(1.1025), format_weight(1.2100000000000002), format_weight(2.0)
    ('1.5', '1.1025', '1.21', '2')
    """
    text = f"{round(weight, 4):.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _written_number(text: str) -> str:
    """A number as written, without padding, ``+``, leading or trailing zeros: the same value.

    >>> _written_number(" +01.50 "), _written_number("-.5"), _written_number("2."), _written_number("10")
    ('1.5', '-0.5', '2', '10')
    """
    text = text.strip()
    sign = "-" if text.startswith("-") else ""
    text = text.lstrip("+-")
    whole, dot, frac = text.partition(".")
    whole = whole.lstrip("0") or "0"
    frac = frac.rstrip("0")
    return f"{sign}{whole}.{frac}" if dot and frac else f"{sign}{whole}"


def _leaf(leaf: Leaf | ExtraNetwork) -> str:
    if isinstance(leaf, ExtraNetwork):
        return leaf.raw
    if leaf.kind == "stray":
        if leaf.raw.startswith(":"):
            # ":2)" closing no group is text, but escaping its ")" would free the ":" to split a
            # schedule: "[a:2):2]" would become "[a:2\\):2]", whose first half is "a"
            return leaf.raw.replace(" ", "")
        return leaf.raw[:-1].replace(" ", "") + "\\" + leaf.raw[-1]
    if leaf.kind == "comment":
        return leaf.raw + "\n"  # whatever follows must not fall into the comment
    if leaf.kind == "break":
        return f" {leaf.raw} "  # a word of its own: "a\\BREAK" loses its backslash, not its BREAK
    if leaf.kind in ("text", "colon", "pipe"):
        return _SPACES.sub(" ", leaf.raw)
    return leaf.raw


def _tidy(text: str) -> str:
    lines = [_COMMA.sub(", ", _SPACES.sub(" ", line)).strip() for line in text.split("\n")]
    lines = [line[:-1] if line.endswith(", ") else line for line in lines]
    return "\n".join(line for line in lines if line).strip()


class _Writer:
    """Output pieces; an opener or separator drops the spaces after it, a closer those before it.

    A lone backslash means nothing to A1111, but it keeps the text on its two sides apart:
    dropping it would join ``BRE\\AK`` into a BREAK, ``(a:1\\.2)`` into a weight and ``<a\\:b>``
    into a LoRA. It is written again only before a character it cannot escape; before a space,
    a bracket or the end it goes, since there it would escape what a tidy rendering puts next.
    """

    __slots__ = ("backslash", "out", "strip_next")

    def __init__(self) -> None:
        self.out: list[str] = []
        self.strip_next = False
        self.backslash = False

    def text(self, piece: str) -> None:
        if self.strip_next:
            piece = piece.lstrip(" ")
        if piece:
            if self.backslash:
                self.backslash = False
                if not piece[0].isspace() and piece[0] not in _ESCAPABLE:
                    piece = "\\" + piece
            self.out.append(piece)
            self.strip_next = False

    def opener(self, piece: str) -> None:
        self.backslash = False
        self.out.append(piece)
        self.strip_next = True

    def closer(self, piece: str, separator: bool = False) -> None:
        self.backslash = False
        out = self.out
        while out and out[-1].endswith(" "):
            kept = out[-1].rstrip(" ")
            if kept:
                out[-1] = kept
                break
            out.pop()
        out.append(piece)
        self.strip_next = separator

    def tail(self) -> str:
        """The written text back to the last character that cannot be part of a number."""
        pieces = []
        for piece in reversed(self.out):
            pieces.append(piece)
            if _NUMBER_CHARS.search(piece):
                break
        return "".join(reversed(pieces))


_END = object()  # marks where a group's children end


def canonical(tree: PromptTree | tuple[Node, ...]) -> str:
    """The canonical text of a tree (iterative, linear time: any nesting depth).

    >>> from animagine_prompt.syntax import parse
    >>> canonical(parse("( a  :1.50 ),[b] ,[c: d :0.5] , e)").tree)
    '(a:1.5), [b], [c:d:0.5], e\\\\)'
    >>> canonical(parse("((x").tree), canonical(parse("(red hair:1.2").tree)
    ('((x))', '(red hair:1.2')
    """
    nodes = tree.children if isinstance(tree, PromptTree) else tree
    writer = _Writer()
    left_open = False  # an unclosed group stayed open: every group around it stays open too
    # each frame: (iterator over items, the node whose end it writes, or None)
    stack: list[tuple[Iterator[object], object]] = [(iter(nodes), None)]
    while stack:
        items, owner = stack[-1]
        item = next(items, _END)
        if item is _END:
            stack.pop()
            if owner is None:
                continue
            if isinstance(owner, Group):
                left_open = _close_group(writer, owner, left_open)
            elif isinstance(owner, Schedule):
                writer.closer(f":{owner.when_text}]")
            elif isinstance(owner, Alternate):
                writer.closer("]")
            continue
        if type(item) is Leaf and item.kind == "backslash":
            writer.backslash = True
        elif isinstance(item, (Leaf, ExtraNetwork)):
            writer.text(_leaf(item))
        elif isinstance(item, Group):
            writer.opener(item.open)
            stack.append((iter(item.children), item))
        elif isinstance(item, Schedule):
            writer.opener("[")
            parts: list[object] = []
            if item.before is not None:
                parts.extend(item.before)
                parts.append(_SEPARATOR_COLON)
            parts.extend(item.after)
            stack.append((iter(parts), item))
        elif isinstance(item, Alternate):
            writer.opener("[")
            parts = []
            for i, option in enumerate(item.options):
                if i:
                    parts.append(_SEPARATOR_PIPE)
                parts.extend(option)
            stack.append((iter(parts), item))
        elif item is _SEPARATOR_COLON:
            writer.closer(":", separator=True)
        elif item is _SEPARATOR_PIPE:
            writer.closer("|", separator=True)
    return _tidy("".join(writer.out))


_SEPARATOR_COLON = object()
_SEPARATOR_PIPE = object()


def _close_group(writer: _Writer, group: Group, left_open: bool) -> bool:
    """Write the end of ``group``; returns whether it (and so every group around it) stays open."""
    if group.weight is not None:
        writer.closer(f":{_written_number(group.close[1:-1])})")
        return False
    if group.close:
        close = group.close
        if len(close) > 1:  # a schedule that did not parse: keep its text, tidy its number
            close = ":" + close[1:-1].strip() + close[-1]
        writer.closer(close)
        return False
    # Left open by the user: close it only where that keeps the meaning.
    if left_open or _closing_changes_meaning(writer, group):
        return True
    writer.closer(_CLOSERS[group.kind])
    return False


def _closing_changes_meaning(writer: _Writer, group: Group) -> bool:
    if group.kind == "round":
        return _WOULD_WEIGH.search(writer.tail()) is not None
    if group.kind == "square":
        if any(type(c) is Leaf and c.kind == "pipe" for c in group.children):
            return True  # "[cat|dog" is text, "[cat|dog]" an alternation
        return _WOULD_SCHEDULE.search(writer.tail()) is not None
    return False
