"""The prompt tree: immutable nodes that keep every character of the source.

``render(node)`` concatenates the raw text of a tree, so rendering an unmodified parse gives back
the input byte for byte and an edit that replaces one node keeps the user's formatting elsewhere.
Parsed nodes carry ``span`` (source offsets); nodes made by an edit (``dataclasses.replace``)
may set ``span=None``: spans of an edited tree come from rendering it again.

Walks are iterative: a prompt nested 5,000 brackets deep must not hit Python's recursion limit.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from animagine_prompt.diagnostics import Span

__all__ = [
    "Alternate",
    "ExtraNetwork",
    "Group",
    "Leaf",
    "Node",
    "PromptTree",
    "Schedule",
    "iter_leaves",
    "render",
]


@dataclass(frozen=True, slots=True, eq=False, init=False)
class Leaf:
    """A token: ``kind`` is one of ``text`` (commas, spaces and newlines included), ``escape``,
    ``backslash``, ``colon`` and ``pipe`` (inside ``[...]`` only), ``hash``, ``break``, ``and``,
    ``embedding``, ``comment`` or ``stray`` (a closer that closes nothing, kept as literal text).

    >>> Leaf("escape", "\\\\(").value
    '('
    """

    kind: str
    raw: str
    span: Span | None = None

    # The parser makes one of these per token: setting the slots directly costs half of what
    # a frozen dataclass's generated __init__ does. Later assignment still raises.
    def __init__(self, kind: str, raw: str, span: Span | None = None) -> None:
        _SET_LEAF_KIND(self, kind)
        _SET_LEAF_RAW(self, raw)
        _SET_LEAF_SPAN(self, span)

    @property
    def value(self) -> str:
        """The literal text this token stands for (escapes resolved; a lone ``\\`` is nothing, as in A1111)."""
        if self.kind == "escape":
            return self.raw[1:]
        if self.kind == "backslash":
            return ""
        return self.raw


@dataclass(frozen=True, slots=True, eq=False)
class ExtraNetwork:
    """``<lora:name:0.8>`` and friends: ``kind`` is ``lora``, ``lyco``, ``hypernet``, ...

    ``args`` are the colon-separated fields after the kind, as A1111 splits them.

    >>> n = ExtraNetwork("<lora:add detail:0.5:unet=0.3>")
    >>> n.kind, n.name, n.weights, n.options
    ('lora', 'add detail', (0.5,), {'unet': '0.3'})
    """

    raw: str
    span: Span | None = None

    @property
    def kind(self) -> str:
        """The network type before the first colon (``lora``)."""
        return self.raw[1:].split(":", 1)[0]

    @property
    def args(self) -> tuple[str, ...]:
        """Every field after the kind, split at colons (A1111's ``ExtraNetworkParams.items``)."""
        return tuple(self.raw[1:-1].split(":")[1:])

    @property
    def name(self) -> str:
        """The network name: the first field."""
        return self.args[0] if self.args else ""

    @property
    def positional(self) -> tuple[str, ...]:
        """Fields after the name that are not ``key=value``."""
        return tuple(a for a in self.args[1:] if "=" not in a)

    @property
    def weights(self) -> tuple[float, ...]:
        """The numeric positional fields (text-encoder weight, then UNet weight)."""
        out = []
        for field in self.positional:
            try:
                out.append(float(field))
            except ValueError:
                break
        return tuple(out)

    @property
    def options(self) -> dict[str, str]:
        """``key=value`` fields (``te=``, ``unet=``, ``dyn=``)."""
        return dict(a.split("=", 1) for a in self.args[1:] if "=" in a)


@dataclass(frozen=True, slots=True, eq=False, init=False)
class Group:
    """A bracketed group: ``kind`` is ``round`` ``(x)``, ``square`` ``[x]`` or ``brace`` ``{x}``.

    ``close`` is the raw closing text: ``)``, ``:1.2)`` (then ``weight`` holds 1.2), ``]``, a
    ``:5]`` that ends a schedule which did not parse (literal), or ``""`` when the input ended first.
    """

    kind: str
    children: tuple[Node, ...]
    open: str = "("
    close: str = ")"
    weight: float | None = None
    span: Span | None = None

    def __init__(
        self,
        kind: str,
        children: tuple[Node, ...],
        open: str = "(",
        close: str = ")",
        weight: float | None = None,
        span: Span | None = None,
    ) -> None:
        set_kind, set_children, set_open, set_close, set_weight, set_span = _GROUP_SETTERS
        set_kind(self, kind)
        set_children(self, children)
        set_open(self, open)
        set_close(self, close)
        set_weight(self, weight)
        set_span(self, span)

    @property
    def closed(self) -> bool:
        """False when the input ended inside this group."""
        return self.close != ""


_SET_LEAF_KIND = Leaf.kind.__set__  # type: ignore[attr-defined]
_SET_LEAF_RAW = Leaf.raw.__set__  # type: ignore[attr-defined]
_SET_LEAF_SPAN = Leaf.span.__set__  # type: ignore[attr-defined]
_GROUP_SETTERS = tuple(getattr(Group, name).__set__ for name in ("kind", "children", "open", "close", "weight", "span"))


@dataclass(frozen=True, slots=True, eq=False)
class Schedule:
    """Prompt editing: ``[before:after:when]``, ``[after:when]`` (``before`` is None) or
    ``[before::when]``. ``when`` is the number as written; ``close`` the raw ``:when]`` token."""

    before: tuple[Node, ...] | None
    after: tuple[Node, ...]
    when: float
    when_text: str
    close: str
    span: Span | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Alternate:
    """Alternation ``[a|b|c]``: one option per sampling step in turn; options may be empty."""

    options: tuple[tuple[Node, ...], ...]
    span: Span | None = None


@dataclass(frozen=True, slots=True, eq=False)
class PromptTree:
    """The root: the top-level nodes in source order."""

    children: tuple[Node, ...]
    span: Span | None = None


Node = Leaf | ExtraNetwork | Group | Schedule | Alternate


def _render_parts(node: object) -> Iterator[object]:
    """One level of a node: strings to emit and child nodes to expand, in order."""
    if isinstance(node, (Leaf, ExtraNetwork)):
        yield node.raw
    elif isinstance(node, Group):
        yield node.open
        yield from node.children
        yield node.close
    elif isinstance(node, Schedule):
        yield "["
        if node.before is not None:
            yield from node.before
            yield ":"
        yield from node.after
        yield node.close
    elif isinstance(node, Alternate):
        yield "["
        for i, option in enumerate(node.options):
            if i:
                yield "|"
            yield from option
        yield "]"
    elif isinstance(node, PromptTree):
        yield from node.children
    else:
        raise TypeError(f"not a prompt node: {node!r}")


def render(node: PromptTree | Node | tuple[Node, ...]) -> str:
    """The source text of a tree, a node or a sequence of nodes, exactly as written.

    >>> from animagine_prompt.syntax import parse
    >>> render(parse("a, ( b :1.5 ), [c").tree)
    'a, ( b :1.5 ), [c'
    """
    out: list[str] = []
    stack: list[object] = [iter(node)] if isinstance(node, tuple) else [iter((node,))]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
        elif isinstance(item, str):
            out.append(item)
        else:
            stack.append(_render_parts(item))
    return "".join(out)


def iter_leaves(node: PromptTree | Node) -> Iterator[Leaf | ExtraNetwork]:
    """Every token of a tree in source order (schedule branches and options included).

    >>> from animagine_prompt.syntax import parse
    >>> [leaf.raw for leaf in iter_leaves(parse("a, (b:1.2), [c|d]").tree)]
    ['a, ', 'b', ', ', 'c', 'd']
    """
    stack: list[Iterator[object]] = [iter((node,))]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
        elif isinstance(item, (Leaf, ExtraNetwork)):
            yield item
        elif not isinstance(item, str):
            stack.append(_render_parts(item))
