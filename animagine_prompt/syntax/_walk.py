"""One walk over a prompt tree in a dialect: the literal text pieces with their weights.

Both the fragment builder and the tag splitter read this event stream, so weights are computed
in one place. Events are named tuples whose first field ``kind`` says which:

- :class:`TextEvent` ``("text", leaf, value, weight, start, end, run)``: literal text; ``leaf``
  is None for text the walk makes (a literal bracket); ``run`` is True when the piece belongs to
  an A1111 plain-text run (BREAK strips whitespace across such runs);
- :class:`BreakEvent` ``("break", leaf, weight)``: a BREAK marker (dialects with BREAK only);
- :data:`EDGE` ``("edge",)``: a group boundary or an escape, which ends a plain-text run;
- :class:`SepEvent` ``("sep", node)``: an item boundary that emits no text (extra network,
  comment, schedule edge).

:func:`walk_with_depth` is the plain structural walk (every node with its nesting depth) that
the diagnostics and the analysis layer share. Neither walk recurses.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Literal, NamedTuple

from animagine_prompt.syntax.dialects import Dialect
from animagine_prompt.syntax.nodes import Alternate, ExtraNetwork, Group, Leaf, Node, PromptTree, Schedule

__all__ = ["EDGE", "BreakEvent", "EdgeEvent", "Event", "SepEvent", "TextEvent", "walk", "walk_with_depth"]


class TextEvent(NamedTuple):
    """Literal text with its weight and source offsets."""

    kind: Literal["text"]
    leaf: Leaf | ExtraNetwork | None
    value: str
    weight: float
    start: int
    end: int
    run: bool


class BreakEvent(NamedTuple):
    """A BREAK marker."""

    kind: Literal["break"]
    leaf: Leaf
    weight: float


class EdgeEvent(NamedTuple):
    """The end of a plain-text run."""

    kind: Literal["edge"]


class SepEvent(NamedTuple):
    """An item boundary that emits no text; ``node`` is None at a schedule or option edge."""

    kind: Literal["sep"]
    node: Node | None


Event = TextEvent | BreakEvent | EdgeEvent | SepEvent
EDGE = EdgeEvent("edge")
# tuple.__new__ builds a named tuple without the Python-level __new__ (the walk makes many)
_new = tuple.__new__


def walk_with_depth(tree: PromptTree | tuple[Node, ...]) -> Iterator[tuple[Node, int]]:
    """Every node in source order with the number of brackets around it (schedule and
    alternation branches included).

    >>> from animagine_prompt.syntax import parse
    >>> [(type(n).__name__, d) for n, d in walk_with_depth(parse("a (b [c|d])").tree)]
    [('Leaf', 0), ('Group', 0), ('Leaf', 1), ('Alternate', 1), ('Leaf', 2), ('Leaf', 2)]
    """
    children = tree.children if isinstance(tree, PromptTree) else tree
    stack: list[tuple[Iterator[Node], int]] = [(iter(children), 0)]
    while stack:
        node = next(stack[-1][0], None)
        if node is None:
            stack.pop()
            continue
        depth = stack[-1][1]
        yield node, depth
        if isinstance(node, Group):
            stack.append((iter(node.children), depth + 1))
        elif isinstance(node, Schedule):
            stack.append((iter((*(node.before or ()), *node.after)), depth + 1))
        elif isinstance(node, Alternate):
            stack.append((iter([n for option in node.options for n in option]), depth + 1))


#: How schedules and alternations are read: None = literal text; "final" = the text after the last
#: switch (schedules) and the first option (alternations); "all" = every branch in turn (tags);
#: an ``int`` = the sampling step (``steps`` is then also given).
Choice = int | str | None


#: Up to this many brackets the weight is multiplied in exactly A1111's order; deeper, running
#: products keep the walk linear (the weight then differs from A1111's in the last bits at most).
EXACT_DEPTH = 32


class _Chain:
    """The enclosing multipliers, and the weight they give, computed in A1111's order."""

    __slots__ = ("dialect", "frames", "running", "open_prefix", "unclosed", "_weight")

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        # (multiplier, closed, kind, explicit)
        self.frames: list[tuple[float, bool, str, bool]] = []
        # per frame, running products over the frames up to it: (ComfyUI weight, closed frames
        # since the last unclosed one, unclosed round, unclosed square, unclosed brace)
        self.running: list[tuple[float, float, float, float, float]] = [(1.0, 1.0, 1.0, 1.0, 1.0)]
        self.open_prefix = 0  # leading frames still open at the end of the input
        self.unclosed = 0  # all such frames (equal to open_prefix in any parsed tree)
        self._weight: float | None = 1.0

    def push(self, frame: tuple[float, bool, str, bool]) -> None:
        frames = self.frames
        if not frame[1]:
            self.unclosed += 1
            if self.open_prefix == len(frames):
                self.open_prefix += 1
        frames.append(frame)
        self._weight = None

    def pop(self) -> None:
        frames = self.frames
        if not frames.pop()[1]:
            self.unclosed -= 1
        n = len(frames)
        if self.open_prefix > n:
            self.open_prefix = n
        if len(self.running) > n + 1:  # the products past this depth were for frames now gone
            del self.running[n + 1 :]
        self._weight = None

    def _running(self) -> list[tuple[float, float, float, float, float]]:
        """The running products for every frame, extended from the last one known: only deep
        nesting and ComfyUI need them, so shallow A1111 prompts never pay for them."""
        running, frames = self.running, self.frames
        for i in range(len(running) - 1, len(frames)):
            mult, closed, kind, explicit = frames[i]
            comfy, closed_run, r, s, b = running[-1]
            comfy = mult if explicit else comfy * mult
            if closed:
                closed_run *= mult
            else:
                closed_run = 1.0
                if kind == "round":
                    r *= mult
                elif kind == "square":
                    s *= mult
                else:
                    b *= mult
            running.append((comfy, closed_run, r, s, b))
        return running

    @property
    def weight(self) -> float:
        if self._weight is None:
            self._weight = self._compute()
        return self._weight

    def _compute(self) -> float:
        if self.dialect.explicit_replaces:
            # ComfyUI: the weight flows down; an explicit weight replaces it.
            return self._running()[-1][0]
        frames, prefix = self.frames, self.open_prefix
        if self.unclosed != prefix:  # an edited tree: an open group inside a closed one
            return self._compute_slow()
        # A1111 multiplies when a bracket closes (innermost first) and applies brackets still
        # open at the end afterwards: all round ones, then all square ones, outermost first.
        w = 1.0
        if len(frames) - prefix <= EXACT_DEPTH:
            for i in range(len(frames) - 1, prefix - 1, -1):
                w *= frames[i][0]
        else:
            w = self._running()[-1][1]
        if prefix <= EXACT_DEPTH:
            for kind in ("round", "square", "brace"):
                for i in range(prefix):
                    if frames[i][2] == kind:
                        w *= frames[i][0]
        else:
            _, _, r, s, b = self._running()[prefix]
            w = w * r * s * b
        return w

    def _compute_slow(self) -> float:
        w = 1.0
        closed = [f for f in self.frames if f[1]]
        for mult, *_ in reversed(closed):
            w *= mult
        for kind in ("round", "square", "brace"):
            for mult, is_closed, frame_kind, _ in self.frames:
                if not is_closed and frame_kind == kind:
                    w *= mult
        return w


def _multiplier(group: Group, dialect: Dialect) -> tuple[float, bool] | None:
    """(multiplier, explicit) of a group in the dialect, or None when its brackets are literal."""
    if group.kind == "round":
        if group.weight is not None:
            if not dialect.explicit_weights:
                return None
            return group.weight, True
        return None if dialect.round is None else (dialect.round, False)
    if group.kind == "square":
        return None if dialect.square is None else (dialect.square, False)
    return None if dialect.brace is None else (dialect.brace, False)


def _literal_children(node: Schedule | Alternate) -> tuple[Node, ...]:
    """A schedule or alternation read as plain bracket text: its separators become text leaves."""
    start, end = node.span or (0, 0)
    pos = start + 1  # where the next separator sits, when the tree has spans
    if isinstance(node, Alternate):
        out: list[Node] = []
        for i, option in enumerate(node.options):
            if i:
                out.append(Leaf("pipe", "|", (pos, pos + 1) if node.span else None))
                pos += 1
            out.extend(option)
            pos = _end_of(option, pos)
        return tuple(out)
    before: tuple[Node, ...] = ()
    if node.before is not None:
        pos = _end_of(node.before, pos)
        before = (*node.before, Leaf("colon", ":", (pos, pos + 1) if node.span else None))
    close = node.close[:-1]
    return (*before, *node.after, Leaf("colon", close, (end - 1 - len(close), end - 1) if node.span else None))


def _end_of(nodes: tuple[Node, ...], default: int) -> int:
    span = nodes[-1].span if nodes else None
    return span[1] if span else default


def walk(
    nodes: tuple[Node, ...],
    dialect: Dialect,
    choice: Choice = "final",
    steps: int | None = None,
    hires_steps: int | None = None,
    extra_networks_as_text: bool = False,
) -> Iterator[Event]:
    """Events for ``nodes`` (see the module docstring)."""
    chain = _Chain(dialect)
    breaks = dialect.breaks
    remove_networks = dialect.extra_networks and not extra_networks_as_text
    weight: float | None = 1.0
    # Each frame: (iterator over nodes and _SEP markers, action on exit)
    stack: list[tuple[Iterator[object], tuple[str, Group] | None]] = [(iter(nodes), None)]
    while stack:
        node = next(stack[-1][0], None)
        if node is None:
            _, on_exit = stack.pop()
            if on_exit is not None:
                action, group = on_exit
                if action == "pop":
                    chain.pop()
                    weight = None
                    yield EDGE
                elif group.close:  # literal closing bracket
                    end = (group.span or (0, 0))[1]
                    if weight is None:
                        weight = chain.weight
                    yield _new(TextEvent, ("text", None, group.close, weight, end - len(group.close), end, True))
            continue
        # ``type(node) is`` rather than isinstance: the tree's classes are final, and mypy narrows on it
        if weight is None and type(node) is not Group:
            # computed when text needs it, not at every bracket: deep nesting stays linear
            weight = chain.weight
        if type(node) is Leaf:
            kind = node.kind
            start, end = node.span or (0, 0)
            if kind == "text":
                yield _new(TextEvent, ("text", node, node.raw, weight, start, end, True))
            elif kind in ("escape", "backslash"):
                yield EDGE
                yield _new(TextEvent, ("text", node, node.value, weight, start, end, False))
                yield EDGE
            elif kind == "break" and breaks:
                yield _new(BreakEvent, ("break", node, weight))
            elif kind == "comment":
                yield SepEvent("sep", node)
            else:
                yield _new(TextEvent, ("text", node, node.raw, weight, start, end, True))
        elif type(node) is Group:
            mult = _multiplier(node, dialect)
            start = (node.span or (0, 0))[0]
            if mult is None:
                # Literal brackets: ordinary text (A1111 reads "{" as plain text).
                if weight is None:
                    weight = chain.weight
                yield _new(TextEvent, ("text", None, node.open, weight, start, start + len(node.open), True))
                stack.append((iter(node.children), ("literal-close", node)))
            else:
                yield EDGE
                chain.push((mult[0], node.closed, node.kind, mult[1]))
                weight = None
                children = node.children
                if node.kind == "square" and node.close not in ("]", ""):
                    # a schedule that did not parse: its ":when" is literal text inside the brackets
                    end = (node.span or (1, 1))[1] - 1
                    close = node.close[:-1]
                    children = (*children, Leaf("colon", close, (end - len(close), end) if node.span else None))
                stack.append((iter(children), ("pop", node)))
        elif type(node) is ExtraNetwork:
            if remove_networks:
                yield SepEvent("sep", node)
            else:
                start, end = node.span or (0, 0)
                yield _new(TextEvent, ("text", node, node.raw, weight, start, end, True))
        elif type(node) is Schedule or type(node) is Alternate:
            if choice is None or not dialect.schedules:
                literal = Group("square", _literal_children(node), "[", "]", None, node.span)
                stack.append((iter((literal,)), None))
            elif choice == "all":
                branches = node.options if isinstance(node, Alternate) else (node.before or (), node.after)
                seq: list[object] = []
                for branch in branches:
                    seq.append(_SEP)
                    seq.extend(branch)
                seq.append(_SEP)
                stack.append((iter(seq), None))
            else:
                stack.append((iter(_choose(node, choice, steps, hires_steps)), None))
        elif node is _SEP:
            yield SepEvent("sep", None)
        else:  # pragma: no cover - the tree holds nothing else
            raise TypeError(f"not a prompt node: {node!r}")


_SEP = object()


def schedule_step(when: float, when_text: str, steps: int, hires_steps: int | None = None) -> int:
    """The last step on which a schedule still shows its first text (A1111 >= 1.6 rules).

    A number with ``.`` is a fraction of the steps, one without is an absolute step; with a hires
    pass, both count into the hires steps after the base ones.

    >>> schedule_step(0.5, ".5", 10), schedule_step(3, "3", 10), schedule_step(1.5, "1.5", 10, 10)
    (5, 3, 5)
    """
    if hires_steps is None:
        int_offset, flt_offset, total = 0, 0.0, steps
    else:
        int_offset, flt_offset, total = steps, 1.0, hires_steps
    if "." in when_text:
        value = (when - flt_offset) * total
    else:
        value = when - int_offset
    if not math.isfinite(value):
        return total if value > 0 else 0
    return min(total, int(value))


def _choose(
    node: Schedule | Alternate, step: int | str, steps: int | None, hires_steps: int | None
) -> tuple[Node, ...]:
    if isinstance(node, Alternate):
        index = 0 if step == "final" else (int(step) - 1) % len(node.options)
        return node.options[index]
    if step == "final":
        return node.after
    when = schedule_step(node.when, node.when_text, steps or 0, hires_steps)
    return (node.before or ()) if int(step) <= when else node.after
