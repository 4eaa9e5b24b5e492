"""What a rule sees: the parsed prompt, which field it is, the other field, and shared lazy resources."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from animagine_prompt.lint._settings import LintSettings
    from animagine_prompt.syntax import Prompt

__all__ = ["PER_TEXT", "LintContext", "Resources", "TextFacts", "regions_of"]

#: Entries kept by the per-run memos before they are cleared (bulk lint of many prompts).
_MEMO_SIZE = 1 << 16

#: The :class:`LintContext` facts that depend on the prompt's text alone (not on the field, the
#: counterpart or the tag data): a text linted again (the same negative prompt beside every
#: prompt of a batch) reuses them instead of walking, splitting and tokenizing it again.
PER_TEXT = (
    "tags",
    "keys",
    "plain",
    "regions",
    "visits",
    "leaves",
    "networks",
    "commas",
    "fragments",
    "short_segments",
    "plan",
)


@dataclass
class Resources:
    """Things loaded at most once per lint run, and only when a selected rule needs them.

    >>> from animagine_prompt.lint._settings import LintSettings
    >>> Resources(LintSettings()).lora_names() is None
    True
    """

    settings: LintSettings
    #: Tag files given on the command line (``--tags``); they take precedence over the config's.
    tag_paths: tuple[str, ...] = ()
    #: Preset files or folders given on the command line (``--presets``), read last.
    preset_paths: tuple[str, ...] = ()
    #: Whether the user's preset folder is read (off for runs that must not depend on the machine).
    user_presets: bool = True
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def database(self) -> Any:
        """The tag database: the bundled vocabulary plus the tag files of ``--tags``,
        ``$ANIMAGINE_PROMPT_TAGS`` or the config, the first of them that names any."""
        if "db" not in self._cache:
            from animagine_prompt import tags

            # resolve_tag_paths reads only `.tags` of the config, which the settings carry over.
            paths = tags.resolve_tag_paths(self.tag_paths, self.settings)
            self._cache["db"] = tags.load_database(paths)
        return self._cache["db"]

    def preset_sources(self) -> list[str | Path]:
        """The preset files and folders read after the bundled ones: the user's folder, the
        config's ``presets`` and ``--presets``, in that order (later ones override)."""
        from animagine_prompt.presets import user_preset_dir

        # load_presets(user=True) would read the config of the current folder; the linter's
        # settings may come from another file (--config), so the same list is built here
        # from those settings.
        paths: list[str | Path] = []
        if self.user_presets and user_preset_dir().is_dir():
            paths.append(user_preset_dir())
        paths.extend(self.settings.presets)
        paths.extend(self.preset_paths)
        return paths

    def presets(self) -> Any:
        """The preset library: the bundled presets, then :meth:`preset_sources` (``presets.load_presets``)."""
        if "presets" not in self._cache:
            from animagine_prompt.presets import load_presets

            self._cache["presets"] = load_presets(self.preset_sources(), user=False)
        return self._cache["presets"]

    def tag_sources(self) -> list[Path]:
        """The tag files merged over the bundled vocabulary (see :meth:`database`)."""
        from animagine_prompt import tags

        return [Path(p) for p in tags.resolve_tag_paths(self.tag_paths, self.settings)]

    def memo(self, key: str, build: Callable[[], Any]) -> Any:
        """``build()``, computed once per lint run and shared by every prompt (rules' derived data).

        >>> from animagine_prompt.lint._settings import LintSettings
        >>> res = Resources(LintSettings())
        >>> res.memo("n", lambda: [1]) is res.memo("n", lambda: [2])
        True
        """
        slot = f"memo:{key}"
        if slot not in self._cache:
            self._cache[slot] = build()
        return self._cache[slot]

    def lora_names(self) -> frozenset[str] | None:
        """Lower-cased stems of the files in the LoRA folder, or ``None`` when none is configured."""
        if self.settings.lora_dir is None:
            return None
        if "loras" not in self._cache:
            from animagine_prompt.errors import InputError

            folder = Path(self.settings.lora_dir).expanduser()
            if not folder.is_dir():
                raise InputError("the LoRA folder does not exist; fix lora-dir or --lora-dir", path=folder)
            suffixes = {".safetensors", ".pt", ".ckpt", ".bin"}
            self._cache["loras"] = frozenset(p.stem.lower() for p in folder.rglob("*") if p.suffix.lower() in suffixes)
        names: frozenset[str] = self._cache["loras"]
        return names


class _Kept:
    """What is kept of one text: its parse, its :data:`PER_TEXT` facts, and the findings of the
    rules that did not look at the counterpart prompt, by field and rule."""

    __slots__ = ("facts", "findings", "prompt")

    def __init__(self, prompt: Prompt) -> None:
        self.prompt = prompt
        self.facts: dict[str, Any] = {}
        self.findings: dict[tuple[str, int], tuple[Any, ...]] = {}


class TextFacts:
    """The parsed prompts of the texts a linter saw last, with the :data:`PER_TEXT` facts its
    contexts worked out and the findings that depend on the text alone, kept for a few texts of
    bounded size.

    One belongs to one :class:`~animagine_prompt.lint.Linter`: its dialect parsed every text in
    it, and its rules (with their options) and tag data made the findings, so nothing kept here
    is ever read under other settings.

    >>> from animagine_prompt.lint._settings import LintSettings
    >>> from animagine_prompt.syntax import parse
    >>> facts, res = TextFacts(), Resources(LintSettings())
    >>> first = LintContext(parse("1girl, smile"), "prompt", None, res)
    >>> [t.text for t in first.tags]
    ['1girl', 'smile']
    >>> facts.keep(first)
    >>> again = facts.context(facts.prompt("1girl, smile"), "negative_prompt", None, res)
    >>> again.prompt is first.prompt, again.tags is first.tags
    (True, True)
    """

    #: Texts remembered; the oldest is dropped past this.
    SIZE = 16
    #: Longer texts are not kept: a huge prompt is rarely linted twice, and its facts are large.
    LONGEST = 20_000

    def __init__(self) -> None:
        # an OrderedDict drops its oldest entry in constant time; a dict's first key is found by
        # skipping the slots of every entry deleted before it
        self._entries: OrderedDict[str, _Kept] = OrderedDict()

    def prompt(self, text: str) -> Prompt | None:
        """The parsed prompt of ``text`` when it was kept, else ``None``."""
        entry = self._entries.get(text)
        return None if entry is None else entry.prompt

    def context(self, prompt: Prompt, field: str, other: Prompt | None, resources: Resources) -> LintContext:
        """A context for ``prompt`` that starts with the facts kept for that very parse."""
        ctx = LintContext(prompt, field, other, resources)
        entry = self._entries.get(prompt.text)
        if entry is not None and entry.prompt is prompt:
            ctx.__dict__.update(entry.facts)  # cached_property reads its value from the instance dict
        return ctx

    def findings(self, ctx: LintContext) -> dict[int, tuple[Any, ...]]:
        """Rule number -> what that rule found in ``ctx``'s text and field before, for the rules
        whose findings did not depend on the counterpart prompt (see :attr:`LintContext.read_other`)."""
        entry = self._entries.get(ctx.prompt.text)
        if entry is None or entry.prompt is not ctx.prompt:
            return {}
        return {rule: found for (field, rule), found in entry.findings.items() if field == ctx.field}

    def keep(self, ctx: LintContext, findings: dict[int, tuple[Any, ...]] | None = None) -> None:
        """Remember ``ctx``'s parse, the facts its rules worked out and ``findings``: rule number
        -> what the rule found without reading the counterpart prompt."""
        text = ctx.prompt.text
        if len(text) > self.LONGEST:
            return
        entries = self._entries
        # pop and insert again (the most recent last): neither raises if another thread got here first
        entry = entries.pop(text, None)
        if entry is None or entry.prompt is not ctx.prompt:
            entry = _Kept(ctx.prompt)
        entries[text] = entry
        known, facts = ctx.__dict__, entry.facts
        if len(facts) < len(PER_TEXT):
            for name in PER_TEXT:
                if name in known:
                    facts[name] = known[name]
        if findings:
            entry.findings.update(((ctx.field, rule), found) for rule, found in findings.items())
        while len(entries) > self.SIZE:
            try:
                entries.popitem(last=False)
            except KeyError:  # emptied meanwhile by another thread
                break


def regions_of(prompt: Prompt, items: list[Any]) -> list[int]:
    """For each of ``prompt``'s items, how many ``BREAK``/``AND`` come before it."""
    from animagine_prompt.syntax import iter_leaves

    if "BREAK" not in prompt.text and "AND" not in prompt.text:
        return [0] * len(items)
    return _regions(iter_leaves(prompt.tree), items)


def _regions(leaves: Any, items: list[Any]) -> list[int]:
    from bisect import bisect

    from animagine_prompt.syntax import Leaf

    cuts = [
        leaf.span[0]
        for leaf in leaves
        if isinstance(leaf, Leaf) and leaf.kind in ("break", "and") and leaf.span is not None
    ]
    return [bisect(cuts, item.span[0]) for item in items]


class LintContext:
    """One prompt under lint: ``field`` is ``prompt`` or ``negative_prompt``; ``other`` is the counterpart.

    Every read of the counterpart (:attr:`other` and what is derived from it) is noted in
    :attr:`read_other`, so that the linter knows which findings the text alone decided.

    >>> from animagine_prompt.lint._settings import LintSettings
    >>> from animagine_prompt.syntax import parse
    >>> ctx = LintContext(parse("1girl, , solo"), "prompt", parse("lowres"), Resources(LintSettings()))
    >>> [t.text for t in ctx.tags], ctx.read_other
    (['1girl', 'solo'], False)
    >>> [t.text for t in ctx.other_tags], ctx.read_other
    (['lowres'], True)
    """

    def __init__(self, prompt: Prompt, field: str, other: Prompt | None, resources: Resources) -> None:
        self.prompt = prompt
        self.field = field
        self._other = other
        self.resources = resources
        #: Whether the counterpart prompt was read since this was last set to False.
        self.read_other = False

    def __repr__(self) -> str:
        return f"<LintContext {self.field} {self.prompt.text[:40]!r}>"

    @property
    def other(self) -> Prompt | None:
        """The counterpart prompt (the negative of a prompt, and the other way round), or ``None``."""
        self.read_other = True
        return self._other

    @property
    def text(self) -> str:
        """The prompt's source text."""
        return self.prompt.text

    @property
    def negative(self) -> bool:
        """Whether this is the negative prompt."""
        return self.field == "negative_prompt"

    @cached_property
    def tags(self) -> list[Any]:
        """The prompt's comma-separated items (``Prompt.tags()``)."""
        return list(self.prompt.tags())

    @cached_property
    def keys(self) -> list[str]:
        """Each item's comparison key (Danbooru canonical form), in the order of :attr:`tags`."""
        from animagine_prompt.tags import canonical

        return [canonical(item.text) for item in self.tags]

    @cached_property
    def plain(self) -> list[bool]:
        """For each item, whether its text is one piece (no unescaped brackets inside it)."""
        from animagine_prompt.lint.rules._items import has_inner_brackets

        return [not has_inner_brackets(self.text, item) for item in self.tags]

    @cached_property
    def regions(self) -> list[int]:
        """For each item, which part of the prompt it is in: parts are separated by ``BREAK`` and
        ``AND`` (regions of Regional Prompter and of composable diffusion), counted from 0.

        >>> from animagine_prompt.lint._settings import LintSettings
        >>> from animagine_prompt.syntax import parse
        >>> LintContext(parse("a, b BREAK c AND d"), "prompt", None, Resources(LintSettings())).regions
        [0, 0, 1, 2]
        """
        if "BREAK" not in self.text and "AND" not in self.text:
            return [0] * len(self.tags)
        return _regions(self.leaves, self.tags)

    @property
    def other_regions(self) -> list[int]:
        """:attr:`regions` of the counterpart prompt's items."""
        self.read_other = True
        return self._other_regions

    @cached_property
    def _other_regions(self) -> list[int]:
        return [] if self._other is None else regions_of(self._other, self._other_tags)

    @cached_property
    def _series_named(self) -> tuple[list[frozenset[str]], dict[str, int], frozenset[str]]:
        db = self.database
        # Items repeat across prompts: each text's series are found once per lint run.
        known: dict[str, frozenset[str]] = self.resources.memo("series_of_item", dict)
        own: list[frozenset[str]] = []
        other: set[str] = set()
        for items, out in ((self.tags, own), (self._other_tags, None)):
            for text in [item.text for item in items]:
                names = known.get(text)
                if names is None:
                    names = known[text] = frozenset(db.series_in([text]))
                if out is None:
                    other.update(names)
                else:
                    out.append(names)
        counts: dict[str, int] = {}
        for series in [*own, other]:
            for name in series:
                counts[name] = counts.get(name, 0) + 1
        return own, counts, frozenset(counts)

    def series_besides(self, index: int) -> frozenset[str]:
        """The series (copyright tags, qualifiers of character tags) that the prompt and its
        counterpart name in items other than item ``index``: ``misty`` alone names Pokemon
        through its own alias, which must not count as the prompt naming it."""
        self.read_other = True
        own, counts, every = self._series_named
        if not own[index]:
            return every
        return frozenset(name for name, n in counts.items() if n > (name in own[index]))

    @cached_property
    def visits(self) -> list[Any]:
        """Every node of the tree with its enclosing groups and weight (``rules._tree.visit``)."""
        from animagine_prompt.lint.rules._tree import visit

        return list(visit(self.prompt.tree.children, self.prompt.dialect))

    @cached_property
    def leaves(self) -> list[Any]:
        """Every leaf and extra network of the tree in source order, taken from :attr:`visits`
        (one walk of the tree serves every rule).

        >>> from animagine_prompt.lint._settings import LintSettings
        >>> from animagine_prompt.syntax import iter_leaves, parse
        >>> p = parse("a, (b:1.2), [c|d], [e:f:3] <lora:x:1>")
        >>> ctx = LintContext(p, "prompt", None, Resources(LintSettings()))
        >>> ctx.leaves == list(iter_leaves(p.tree))
        True
        """
        from animagine_prompt.syntax import ExtraNetwork, Leaf

        return [v.node for v in self.visits if isinstance(v.node, (Leaf, ExtraNetwork))]

    @cached_property
    def networks(self) -> list[Any]:
        """The extra networks (``<lora:…>``) in source order (``Prompt.extra_networks()``)."""
        from animagine_prompt.syntax import ExtraNetwork

        return [leaf for leaf in self.leaves if isinstance(leaf, ExtraNetwork)]

    @cached_property
    def commas(self) -> list[int]:
        """Source offsets of the separating commas (``rules._tree.commas``)."""
        from animagine_prompt.lint.rules._tree import commas

        return commas(self.leaves)

    @property
    def other_tags(self) -> list[Any]:
        """The counterpart prompt's items, empty when there is none."""
        self.read_other = True
        return self._other_tags

    @cached_property
    def _other_tags(self) -> list[Any]:
        return [] if self._other is None else list(self._other.tags())

    @cached_property
    def short_segments(self) -> int | None:
        """How many BREAK/AND-separated parts the prompt has when each surely fits in one
        75-token chunk, else ``None``; lets the chunk rules skip loading the tokenizer.

        A CLIP token covers at least one byte of non-space text, so a part with at most 75
        such bytes cannot fill a chunk.

        >>> from animagine_prompt.lint._settings import LintSettings
        >>> from animagine_prompt.syntax import parse
        >>> res = Resources(LintSettings())
        >>> LintContext(parse("a BREAK b"), "prompt", None, res).short_segments
        2
        >>> LintContext(parse("word " * 80), "prompt", None, res).short_segments is None
        True
        """
        count, size = 1, 0
        for fragment in self.fragments:
            if fragment.kind in ("break", "and"):
                count, size = count + 1, 0
                continue
            size += len("".join(fragment.text.split()).encode("utf-8", "surrogatepass"))
            if size > 75:
                return None
        return count

    @cached_property
    def fragments(self) -> list[Any]:
        """The prompt's weighted text fragments (``Prompt.fragments()``), built once for the
        chunk rules and the plan."""
        return list(self.prompt.fragments())

    @cached_property
    def plan(self) -> Any:
        """The 75-token chunk plan of the prompt."""
        from animagine_prompt import tokens

        return tokens.plan(self.prompt, fragments=self.fragments)

    @property
    def database(self) -> Any:
        """The tag database (loaded on first use)."""
        return self.resources.database()

    def category_of(self, text: str) -> int | None:
        """``database.category_of(text)``, remembered for the lint run: prompts repeat their items.

        >>> from animagine_prompt.lint._settings import LintSettings
        >>> from animagine_prompt.syntax import parse
        >>> ctx = LintContext(parse("1girl"), "prompt", None, Resources(LintSettings()))
        >>> ctx.category_of("1girl"), ctx.category_of("zzzz qqqq")
        (0, None)
        """
        known: dict[str, int | None] = self.resources.memo("category_of", dict)
        if text not in known:
            if len(known) >= _MEMO_SIZE:
                known.clear()
            known[text] = self.database.category_of(text)
        return known[text]
