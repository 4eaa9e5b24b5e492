"""Rewrite a prompt from one dialect to another, keeping its meaning where the target can say it.

>>> convert("{{a}}, [b]", "novelai", "a1111").text
'(a:1.1025), (b:0.9524)'
>>> convert("(a:1.21), [x:y:5]", "a1111", "novelai").text
'{{{{a}}}}, y'
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain

from animagine_prompt.diagnostics import Diagnostic, Severity
from animagine_prompt.syntax._walk import _multiplier
from animagine_prompt.syntax.canonical import format_weight
from animagine_prompt.syntax.dialects import Dialect, get_dialect
from animagine_prompt.syntax.nodes import Alternate, ExtraNetwork, Group, Leaf, Node, Schedule

__all__ = ["Conversion", "convert"]

_ESCAPED = {
    "a1111": set("()[]\\"),
    "comfy": set("()\\"),
    "novelai": set(),
}
_NAI_SPECIAL = set("{}[]")


@dataclass(frozen=True)
class Conversion:
    """The converted text, and a note for each construct the target dialect cannot express."""

    text: str
    notes: tuple[Diagnostic, ...] = ()

    def __str__(self) -> str:
        return self.text


# children still to convert: (nodes, weight in the source, weight written so far, at top level)
_Task = tuple[tuple[Node, ...], float, float, bool]


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


class _Converter:
    def __init__(self, src: Dialect, dst: Dialect) -> None:
        self.src, self.dst = src, dst
        self.notes: list[Diagnostic] = []

    def note(self, node: object, message: str, severity: Severity = Severity.WARNING) -> None:
        span = getattr(node, "span", None) or (0, 0)
        code = "C002" if severity is Severity.INFO else "C001"
        self.notes.append(Diagnostic(code, message, span, severity))

    def text(self, value: str, node: object = None) -> str:
        escaped = _ESCAPED[self.dst.name]
        if self.dst.name == "novelai" and any(ch in _NAI_SPECIAL for ch in value):
            self.note(node, f"novelai cannot escape brackets: {value!r} will be read as emphasis")
        return "".join("\\" + ch if ch in escaped else ch for ch in value)

    def weighted(self, inner: str, ratio: float, absolute: float, node: Node) -> tuple[str, str]:
        """Opening and closing text that scales ``inner`` by ``ratio`` in the target dialect."""
        dst = self.dst
        if _close(ratio, 1.0):
            return "", ""
        if not math.isfinite(ratio) or not math.isfinite(absolute):
            self.note(node, f"weight {absolute} cannot be written in {dst.name}: left out")
            return "", ""
        if dst.round is not None and _close(ratio, dst.round):
            return "(", ")"
        if dst.square is not None and dst.name == "a1111" and _close(ratio, dst.square):
            return "[", "]"
        if dst.explicit_weights:
            shown = absolute if dst.explicit_replaces else ratio
            return "(", f":{format_weight(shown)})"
        # novelai: repeated braces or brackets, 1.05 each
        count = round(math.log(ratio) / math.log(1.05)) if ratio > 0 else 0
        got = 1.05**count
        if not _close(got, ratio):
            self.note(
                node,
                f"weight {format_weight(ratio)} has no exact novelai form: written as {format_weight(got)}",
                Severity.INFO,
            )
        if count >= 0:
            return "{" * count, "}" * count
        return "[" * -count, "]" * -count

    def nodes(self, nodes: tuple[Node, ...], src_abs: float, dst_abs: float, top: bool) -> Iterator[str]:
        """The converted text of ``nodes``, piece by piece (iterative: any nesting depth)."""
        stack: list[Iterator[str | _Task]] = [iter(((nodes, src_abs, dst_abs, top),))]
        while stack:
            item = next(stack[-1], None)
            if item is None:
                stack.pop()
            elif isinstance(item, str):
                yield item
            else:
                stack.append(self._children(*item))

    def _children(self, nodes: tuple[Node, ...], src_abs: float, dst_abs: float, top: bool) -> Iterator[str | _Task]:
        return chain.from_iterable(self.node(n, src_abs, dst_abs, top) for n in nodes)

    def node(self, node: Node, src_abs: float, dst_abs: float, top: bool) -> Iterator[str | _Task]:
        """Text pieces of one node, and tasks ``(nodes, src_abs, dst_abs, top)`` for its children."""
        src, dst = self.src, self.dst
        if isinstance(node, ExtraNetwork):
            if not src.extra_networks:
                yield self.text(node.raw, node)
            elif dst.extra_networks:
                yield node.raw
            else:
                self.note(node, f"{node.raw} has no equivalent in {dst.name} prompt text: dropped")
        elif isinstance(node, Leaf):
            yield from self.leaf(node, top)
        elif isinstance(node, Group):
            mult = _multiplier(node, src)
            if mult is None:
                yield self.text(node.open, node)
                yield (node.children, src_abs, dst_abs, False)
                if node.close:
                    yield self.text(node.close, node)
                return
            value, explicit = mult
            child_abs = value if (explicit and src.explicit_replaces) else src_abs * value
            meaningful = [
                c for c in node.children if not (isinstance(c, Leaf) and c.kind == "text" and not c.raw.strip())
            ]
            if len(meaningful) == 1 and isinstance(meaningful[0], Group) and _multiplier(meaningful[0], src):
                # fold nested brackets into one weight: {{a}} -> (a:1.1025)
                yield (node.children, child_abs, dst_abs, False)
                return
            if dst_abs == 0:
                # inside a zero weight every multiplier gives zero: only an explicit weight
                # that replaces (ComfyUI) can say something else
                ratio = 1.0 if child_abs == 0 or not dst.explicit_replaces else math.inf
                if child_abs != 0 and not dst.explicit_replaces:
                    self.note(node, f"weight {format_weight(child_abs)} inside a zero weight: {dst.name} reads it as 0")
            else:
                ratio = child_abs / dst_abs
            opening, closing = self.weighted("", ratio, child_abs, node)
            new_dst = (child_abs if dst_abs == 0 else dst_abs * ratio) if (opening or closing) else dst_abs
            if dst.name == "novelai" and opening:
                new_dst = dst_abs * 1.05 ** (len(opening) if opening[0] == "{" else -len(opening))
            yield opening
            yield (node.children, child_abs, new_dst, False)
            yield closing
        elif isinstance(node, (Schedule, Alternate)):
            if dst.schedules:
                yield "["
                if isinstance(node, Alternate):
                    for i, option in enumerate(node.options):
                        if i:
                            yield "|"
                        yield (option, src_abs, dst_abs, False)
                else:
                    if node.before is not None:
                        yield (node.before, src_abs, dst_abs, False)
                        yield ":"
                    yield (node.after, src_abs, dst_abs, False)
                    yield ":" + node.when_text
                yield "]"
            else:
                kept = node.options[0] if isinstance(node, Alternate) else node.after
                what = "alternation" if isinstance(node, Alternate) else "prompt editing"
                kept_what = "the first option" if isinstance(node, Alternate) else "the final text"
                self.note(node, f"{what} has no equivalent in {dst.name}: kept {kept_what}")
                yield (kept, src_abs, dst_abs, False)

    def leaf(self, leaf: Leaf, top: bool) -> Iterator[str]:
        src, dst = self.src, self.dst
        kind = leaf.kind
        if kind == "break" and src.breaks:
            if dst.breaks:
                yield "BREAK"
            else:
                self.note(leaf, f"BREAK has no equivalent in {dst.name}: dropped")
        elif kind == "and" and src.ands and top:
            if dst.ands:
                yield "AND"
            else:
                self.note(leaf, f"AND has no equivalent in {dst.name}: dropped")
        elif kind == "comment":
            if dst.name == "a1111":
                yield leaf.raw
            else:
                self.note(leaf, f"comments have no equivalent in {dst.name}: dropped", Severity.INFO)
        elif kind == "embedding":
            if dst.name == "comfy":
                yield leaf.raw
            else:
                name = leaf.raw.split(":", 1)[1]
                self.note(leaf, f"{leaf.raw}: {dst.name} calls an embedding by its bare name {name!r}", Severity.INFO)
                yield self.text(name, leaf)
        else:
            yield self.text(leaf.value, leaf)


def convert(text: str, src: str | Dialect = "a1111", dst: str | Dialect = "a1111") -> Conversion:
    """Rewrite ``text`` from dialect ``src`` to ``dst`` with the same weights where ``dst`` can say them.

    Constructs the target has no way to express (schedules, BREAK, AND, LoRA tags, ...) are
    dropped or simplified, each with a note.

    >>> result = convert("a BREAK b", "a1111", "comfy")
    >>> result.text, [n.message for n in result.notes]
    ('a  b', ['BREAK has no equivalent in comfy: dropped'])
    """
    from animagine_prompt.syntax.prompt import parse

    source, target = get_dialect(src), get_dialect(dst)
    prompt = parse(text, source)
    converter = _Converter(source, target)
    out = "".join(converter.nodes(prompt.tree.children, 1.0, 1.0, True))
    return Conversion(out, tuple(converter.notes))
