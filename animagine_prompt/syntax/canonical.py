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
# text ending like an AND part's weight, ":" and a number still being written
_PART_WEIGHT_TAIL = re.compile(r":\s*[+-]?(?:\d+\.?\d*|\.\d*)?\s*$")
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
            # schedule: "[a:2):2]" would become "[a:2\\):2]", whose first half is "a". Its spaces
            # stay too: "embedding: 2)" without them would become an embedding's name.
            return _SPACES.sub(" ", leaf.raw)
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

    A dropped space may have kept two words apart: ``2( N`` is ``2 N`` once the weights cancel.
    Where the bracket is a group, whose text is always there, the space moves outside it
    (``2 (N)``). A schedule's or alternation's text comes and goes by step, so its spaces stay
    inside, one each, where the text next to it would otherwise join: ``[1 :5]g`` stays as it is,
    ``x, [a :5], y`` becomes ``x, [a:5], y``.

    A lone backslash means nothing to A1111, but it keeps the text on its two sides apart:
    dropping it would join ``BRE\\AK`` into a BREAK, ``(a:1\\.2)`` into a weight and ``<a\\:b>``
    into a LoRA. It is written again only before a character it cannot escape; before a space,
    a bracket or the end it goes, since there it would escape what a tidy rendering puts next.
    """

    __slots__ = ("backslash", "branches", "dropped", "keep_lead", "opened_at", "out", "spaced", "strip_next", "trail")

    def __init__(self) -> None:
        self.out: list[str] = []
        self.strip_next = False
        self.backslash = False
        self.dropped = False  # spaces were dropped after the last opener or separator
        self.opened_at: int | None = None  # the first group opener of the run the next text follows
        self.keep_lead = False  # the dropped spaces belong to a schedule whose left side joins
        self.spaced = False  # spaces were dropped before the group closers just written
        self.trail: list[int] = []  # schedule pieces to put a space before if the next text joins
        # per open schedule or alternation: (whether the text before it joins, its trail)
        self.branches: list[tuple[bool, list[int]]] = []

    def _joins(self) -> bool:
        """Whether text written next would join the last character written into one word."""
        return bool(self.out) and self.out[-1][-1:] not in (" ", "\n", ",")

    def _settle(self, first: str) -> None:
        """Put back the spaces dropped at brackets' inner edges where the words around would join,
        now that the next character written, ``first``, is known."""
        moved = False  # a space now stands before the openers just written
        if self.strip_next and self.dropped and first != ",":
            at = self.opened_at
            if self.keep_lead:
                self.out.append(" ")
            elif at and self.out[at - 1][-1:] not in (" ", "\n", ","):
                self.out[at] = " " + self.out[at]
                moved = True
        if (self.trail or self.spaced) and not moved and first not in " \n,":
            for at in self.trail:
                self.out[at] = " " + self.out[at]
            if self.spaced:
                at = self.opened_at if self.strip_next else None
                if at is None:
                    self.out.append(" ")
                else:
                    self.out[at] = " " + self.out[at]
        self.trail = []
        self.spaced = False

    def _reset_lead(self) -> None:
        self.strip_next = self.dropped = self.keep_lead = False
        self.opened_at = None

    def text(self, piece: str) -> None:
        if self.strip_next:
            stripped = piece.lstrip(" ")
            self.dropped = self.dropped or len(stripped) < len(piece)
            piece = stripped
        if not piece:
            return
        if self.backslash:
            self.backslash = False
            if piece[0] not in _ESCAPABLE and (not piece[0].isspace() or self.part_weight_before()):
                piece = "\\" + piece
        self._settle(piece[0])
        self.out.append(piece)
        self._reset_lead()

    def part_weight_before(self) -> bool:
        """Whether the text so far ends like an AND part's weight (``:``, ``:0``), which a lone
        backslash after it keeps from being one: ``a:0\\`` is text, ``a:0`` weighs the part 0."""
        return _PART_WEIGHT_TAIL.search("".join(self.out[-3:])) is not None

    def opener(self, piece: str) -> None:
        """A group's opening bracket."""
        self.backslash = False
        if self.strip_next and self.keep_lead:
            self._settle("(")
            self._reset_lead()
        if self.opened_at is None:
            self.opened_at = len(self.out)
        self.out.append(piece)
        self.strip_next = True

    def open_branches(self, piece: str) -> None:
        """The ``[`` of a schedule or an alternation."""
        self.backslash = False
        self._settle("[")
        self._reset_lead()
        joins = self._joins()
        self.branches.append((joins, []))
        self.out.append(piece)
        self.strip_next = True
        self.keep_lead = joins

    def _strip_trailing(self) -> bool:
        out = self.out
        dropped = False
        while out and out[-1].endswith(" "):
            dropped = True
            kept = out[-1].rstrip(" ")
            if kept:
                out[-1] = kept
                break
            out.pop()
        if out and (len(out[-1]) - len(out[-1].rstrip("\\"))) % 2:
            out[-1] = out[-1][:-1]  # a lone backslash kept before a dropped space would escape the closer
        if self.dropped and self.strip_next:
            # nothing but spaces inside ("a( )b", "2[ :5]g"): one stays, or the words around would join
            out.append(" ")
        return dropped and bool(out) and not out[-1].endswith((",", "\n"))

    def separator(self, piece: str) -> None:
        """The ``:`` or ``|`` between a schedule's or alternation's branches."""
        self.backslash = False
        dropped = self._strip_trailing() or self.spaced
        joins, trail = self.branches[-1]
        # the branch's right neighbour is whatever follows the whole schedule
        trail.extend(self.trail)
        if dropped:
            trail.append(len(self.out))
        self.trail = []
        self.spaced = False
        self.out.append(piece)
        self._reset_lead()
        self.strip_next = True
        self.keep_lead = joins

    def close_branches(self, piece: str) -> None:
        """The ``]`` (or ``:when]``) of a schedule or an alternation."""
        self.backslash = False
        dropped = self._strip_trailing() or self.spaced
        _, trail = self.branches.pop()
        trail.extend(self.trail)
        if dropped:
            trail.append(len(self.out))
        self.trail = trail
        self.spaced = False
        self.out.append(piece)
        self._reset_lead()

    def closer(self, piece: str) -> None:
        """A group's closing bracket."""
        self.backslash = False
        if piece in (")", "]"):
            # "(a:0\\ )" is text at 1.1: stripped, "(a:0)" would weigh it 0
            tail = "".join(self.out[-6:]).rstrip(" ").rstrip("\\")
            if (_WOULD_WEIGH if piece == ")" else _WOULD_SCHEDULE).search(tail) and tail != "".join(self.out[-6:]):
                self.out.append(piece)
                self._reset_lead()
                return
        dropped = self._strip_trailing()
        self.out.append(piece)
        self._reset_lead()
        self.spaced = self.spaced or dropped

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
                writer.close_branches(f":{owner.when_text}]")
            elif isinstance(owner, Alternate):
                writer.close_branches("]")
            continue
        if type(item) is Leaf and item.kind == "backslash":
            writer.backslash = True
        elif isinstance(item, (Leaf, ExtraNetwork)):
            writer.text(_leaf(item))
        elif isinstance(item, Group):
            writer.opener(item.open)
            stack.append((iter(item.children), item))
        elif isinstance(item, Schedule):
            writer.open_branches("[")
            parts: list[object] = []
            if item.before is not None:
                parts.extend(item.before)
                parts.append(_SEPARATOR_COLON)
            parts.extend(item.after)
            stack.append((iter(parts), item))
        elif isinstance(item, Alternate):
            writer.open_branches("[")
            parts = []
            for i, option in enumerate(item.options):
                if i:
                    parts.append(_SEPARATOR_PIPE)
                parts.extend(option)
            stack.append((iter(parts), item))
        elif item is _SEPARATOR_COLON:
            writer.separator(":")
        elif item is _SEPARATOR_PIPE:
            writer.separator("|")
    if writer.backslash and writer.part_weight_before():
        writer.out.append("\\")
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
