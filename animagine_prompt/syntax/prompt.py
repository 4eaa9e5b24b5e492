"""``parse(text) -> Prompt``: the tree, its recoveries and its meaning in a dialect."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from animagine_prompt.diagnostics import Diagnostic, Span
from animagine_prompt.syntax._diagnose import diagnose
from animagine_prompt.syntax._parser import parse_tree
from animagine_prompt.syntax._tags import TagItem, split_items
from animagine_prompt.syntax._walk import schedule_step, walk
from animagine_prompt.syntax.dialects import Dialect, get_dialect
from animagine_prompt.syntax.fragments import Fragment, build_fragments
from animagine_prompt.syntax.nodes import (
    Alternate,
    ExtraNetwork,
    Group,
    Leaf,
    Node,
    PromptTree,
    Schedule,
    iter_leaves,
    render,
)

__all__ = ["Prompt", "SubPrompt", "parse"]

# A1111's sub-prompt weight: a trailing ":number" (re_weight in its prompt parser).
_SUB_WEIGHT = re.compile(r"\s*:\s*([-+]?(?:\d+\.?|\d*\.\d+))\s*$")


@dataclass(frozen=True)
class SubPrompt:
    """One ``AND`` part of a prompt: its nodes, its weight and its source span.

    >>> [(s.text, s.weight) for s in parse("a cat AND a dog :0.5").subprompts()]
    [('a cat', 1.0), (' a dog', 0.5)]
    """

    nodes: tuple[Node, ...]
    weight: float
    span: Span
    dialect: Dialect = field(repr=False, default_factory=lambda: get_dialect("a1111"))

    @property
    def text(self) -> str:
        """The sub-prompt's source text (without its ``:weight``), trailing whitespace removed as A1111 does."""
        return render(self.nodes).rstrip()

    def fragments(self, step: int | None = None, steps: int | None = None) -> list[Fragment]:
        """Weighted fragments of this part alone (see ``Prompt.fragments``)."""
        frags = build_fragments(walk(self.nodes, self.dialect, _choice(step), steps))
        # A1111 strips the sub-prompt's trailing whitespace before reading its brackets.
        while frags[-1].kind == "text" and frags[-1].text != frags[-1].text.rstrip():
            last = frags[-1]
            keep = len(last.text.rstrip())
            if keep == 0 and len(frags) > 1:
                frags.pop()
                continue
            segs = tuple((o, s, min(e, s + keep - o)) for o, s, e in last.segments if o < keep)
            frags[-1] = Fragment(last.text[:keep], last.weight, "text", segs)
        return frags

    def schedules(self, steps: int, hires_steps: int | None = None) -> list[tuple[int, str]]:
        """``[(end_step, text), ...]`` for this part (see ``Prompt.schedules``)."""
        return _schedules(self.nodes, self.dialect, steps, hires_steps)


def _choice(step: int | None) -> object:
    return "final" if step is None else int(step)


class Prompt:
    """A parsed prompt: lossless tree, recoveries as diagnostics, and its meaning in a dialect.

    >>> p = parse("masterpiece, (hu tao \\\\(genshin impact\\\\):1.2), [blurry")
    >>> p.render() == p.text
    True
    >>> [(t.text, round(t.weight, 3)) for t in p.tags()]
    [('masterpiece', 1.0), ('hu tao (genshin impact)', 1.2), ('blurry', 0.909)]
    >>> [d.code for d in p.diagnostics]
    ['S001']
    """

    __slots__ = ("text", "tree", "dialect", "comments", "__dict__")

    def __init__(self, text: str, tree: PromptTree, dialect: Dialect, comments: bool = True) -> None:
        self.text = text
        self.tree = tree
        self.dialect = dialect
        self.comments = comments

    def __repr__(self) -> str:
        return f"Prompt({self.text!r}, dialect={self.dialect.name!r})"

    def render(self) -> str:
        """The prompt as written (the tree rendered back, byte for byte)."""
        return render(self.tree)

    def canonical(self) -> str:
        """A tidy rendering with the same meaning: see ``animagine_prompt.syntax.canonical``.

        >>> parse("a ,b,,  ( c : 1.50 )").canonical()
        'a, b, , (c:1.5)'
        """
        from animagine_prompt.syntax.canonical import canonical

        return canonical(self.tree)

    @cached_property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """What the parser recovered from (unclosed or stray brackets, malformed weights, ...)."""
        return diagnose(self.tree, self.dialect)

    def subprompts(self) -> list[SubPrompt]:
        """The ``AND`` parts with their weights (one part when there is no top-level ``AND``)."""
        return self._subprompts

    @cached_property
    def _subprompts(self) -> list[SubPrompt]:
        parts: list[list[Node]] = [[]]
        starts = [0]
        if self.dialect.ands:
            for node in self.tree.children:
                if isinstance(node, Leaf) and node.kind == "and":
                    parts.append([])
                    starts.append((node.span or (0, 0))[1])
                else:
                    parts[-1].append(node)
        else:
            parts[0] = list(self.tree.children)
        ends = [*[s - 3 for s in starts[1:]], len(self.text)]
        out = []
        for nodes, start, end in zip(parts, starts, ends, strict=True):
            weight = 1.0
            if self.dialect.ands:
                nodes, weight = _split_sub_weight(nodes)
            out.append(SubPrompt(tuple(nodes), weight, (start, end), self.dialect))
        return out

    def fragments(self, step: int | None = None, steps: int | None = None) -> list[Fragment]:
        """Weighted text fragments in A1111's format, for one sampling step.

        Equal-weight neighbours are merged, escapes resolved, extra networks and comments removed;
        ``BREAK`` gives a ``break`` fragment. With ``step`` (1-based) and ``steps``, schedules and
        alternations show their text at that step; without, schedules show their final text and
        alternations their first option. Several ``AND`` parts are joined by ``and`` fragments
        carrying the next part's weight.

        >>> [(f.text, f.kind) for f in parse("a BREAK [b:c:5]").fragments()]
        [('a', 'text'), ('BREAK', 'break'), ('c', 'text')]
        >>> [f.text for f in parse("a BREAK [b:c:5]").fragments(step=3, steps=10)]
        ['a', 'BREAK', 'b']
        """
        if self._single_part:
            return build_fragments(walk(self.tree.children, self.dialect, _choice(step), steps))
        out: list[Fragment] = []
        for i, sub in enumerate(self._subprompts):
            if i:
                out.append(Fragment("AND", sub.weight, "and"))
            out.extend(sub.fragments(step, steps))
        return out

    @cached_property
    def _single_part(self) -> bool:
        """No AND and no sub-prompt weight: the whole tree is read as it is."""
        if not self.dialect.ands:
            return True
        children = self.tree.children
        if any(type(n) is Leaf and n.kind == "and" for n in children):
            return False
        return _split_sub_weight(list(children))[1] == 1.0

    def schedules(self, steps: int, hires_steps: int | None = None) -> list[tuple[int, str]]:
        """``[(end_step, text), ...]``: the prompt text in force up to each step, as A1111's
        ``get_learned_conditioning_prompt_schedules`` gives it for one prompt.

        >>> parse("a [b:3]").schedules(10)
        [(3, 'a '), (10, 'a b')]
        >>> parse("[fe|]male").schedules(4)
        [(1, 'female'), (2, 'male'), (3, 'female'), (4, 'male')]
        """
        return _schedules(self.tree.children, self.dialect, steps, hires_steps)

    def extra_networks(self) -> list[ExtraNetwork]:
        """``<lora:name:w>``, ``<lyco:…>``, ``<hypernet:…>`` … in source order, with their spans.

        >>> [(n.kind, n.name, n.weights) for n in parse("a <lora:detail:0.8> b").extra_networks()]
        [('lora', 'detail', (0.8,))]
        """
        if not self.dialect.extra_networks:
            return []
        return [n for n in iter_leaves(self.tree) if isinstance(n, ExtraNetwork)]

    def embeddings(self) -> list[Leaf]:
        """``embedding:name`` references in source order."""
        return [n for n in iter_leaves(self.tree) if isinstance(n, Leaf) and n.kind == "embedding"]

    def tags(self) -> list[TagItem]:
        """The comma-separated items (also split at newlines, BREAK and AND) with weights and spans.

        Every branch of a schedule and every option of an alternation is an item of its own.
        """
        return self._tags

    @cached_property
    def _tags(self) -> list[TagItem]:
        if self._single_part:
            return split_items(walk(self.tree.children, self.dialect, "all"), self.text)
        # each AND part without its ":weight", which is not part of any tag
        items: list[TagItem] = []
        for sub in self._subprompts:
            end = sub.nodes[-1].span[1] if sub.nodes and sub.nodes[-1].span else sub.span[0]
            items.extend(split_items(walk(sub.nodes, self.dialect, "all"), self.text, sub.span[0], end))
        return items


def _split_sub_weight(nodes: list[Node]) -> tuple[list[Node], float]:
    """Remove a trailing ``:number`` from a sub-prompt's nodes (A1111's AND weight)."""
    end = len(nodes)
    while end and isinstance(nodes[end - 1], Leaf) and nodes[end - 1].kind in ("comment", "text"):
        if nodes[end - 1].kind == "text" and nodes[end - 1].raw.strip():
            break
        end -= 1
    if end:
        last = nodes[end - 1]
        if isinstance(last, Leaf) and last.kind == "text":
            match = _SUB_WEIGHT.search(last.raw)
            if match:
                kept = last.raw[: match.start()]
                start = (last.span or (0, 0))[0]
                head = [Leaf("text", kept, (start, start + len(kept)))] if kept else []
                return [*nodes[: end - 1], *head], float(match.group(1))
    return nodes, 1.0


def _schedule_points(nodes: tuple[Node, ...], steps: int, hires_steps: int | None) -> list[int]:
    total = steps if hires_steps is None else hires_steps
    points = {total}
    stack: list = list(nodes)
    while stack:
        node = stack.pop()
        if isinstance(node, Schedule):
            when = schedule_step(node.when, node.when_text, steps, hires_steps)
            if when >= 1:
                points.add(when)
            stack.extend((*(node.before or ()), *node.after))
        elif isinstance(node, Alternate):
            points.update(range(1, total + 1))
            stack.extend(n for option in node.options for n in option)
        elif isinstance(node, Group):
            stack.extend(node.children)
    return sorted(points)


def _schedules(nodes: tuple[Node, ...], dialect: Dialect, steps: int, hires_steps: int | None):
    if not dialect.schedules:
        return [(steps if hires_steps is None else hires_steps, render(nodes))]
    return [
        (point, _text_at(nodes, point, steps, hires_steps)) for point in _schedule_points(nodes, steps, hires_steps)
    ]


def _text_at(nodes: tuple[Node, ...], step: int, steps: int, hires_steps: int | None) -> str:
    """The source text with every schedule and alternation resolved for ``step``."""
    out: list[str] = []
    stack: list = [iter(nodes)]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
        elif isinstance(node, str):
            out.append(node)
        elif isinstance(node, Schedule):
            when = schedule_step(node.when, node.when_text, steps, hires_steps)
            stack.append(iter((node.before or ()) if step <= when else node.after))
        elif isinstance(node, Alternate):
            stack.append(iter(node.options[(step - 1) % len(node.options)]))
        elif isinstance(node, Group):
            stack.append(iter((node.open, *node.children, node.close)))
        else:
            out.append(node.raw)
    return "".join(out)


def parse(text: str, dialect: str | Dialect = "a1111", *, comments: bool = True) -> Prompt:
    """Parse a prompt. Never raises on user text: recoveries become ``Prompt.diagnostics``.

    ``dialect`` is ``a1111`` (default), ``comfy`` or ``novelai``; ``comments=False`` makes ``#``
    ordinary text (A1111 strips ``#`` comments to the end of the line by default).

    >>> parse("1girl, (green hair:1.2)").fragments()[1].weight
    1.2
    """
    if not isinstance(text, str):
        raise TypeError(f"prompt must be str, not {type(text).__name__}")
    chosen = get_dialect(dialect)
    tree = parse_tree(text, comments=comments, braces=chosen.brace is not None)
    return Prompt(text, tree, chosen, comments)
