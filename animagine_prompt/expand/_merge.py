"""From a model's proposals to an expanded prompt that keeps the user's text and lints clean.

The user's prompt is kept as written and the new tags go after its last item, so every user tag
keeps its weight and position. A proposal is added only when the tag database knows it (exact or
alias) as a general tag, it is new (not in the prompt, not proposed twice), the negative prompt does
not name it, it contradicts nothing in the prompt (the linter's T007 pairs), it is not explicit
unless the prompt is, and the linter finds nothing wrong with it in place. Everything left out is
reported with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from animagine_prompt.diagnostics import Severity
from animagine_prompt.expand._request import TagGroups
from animagine_prompt.expand._result import DroppedTag, Expansion
from animagine_prompt.tags import Category, Match, TagDatabase, canonical, is_kaomoji, load_database

__all__ = ["group_tags", "merge_tags"]

_RATINGS = frozenset({"general", "safe", "sensitive", "questionable", "explicit", "nsfw"})
_EXPLICIT_RATINGS = frozenset({"questionable", "explicit", "nsfw", "rating:questionable", "rating:explicit"})
_OPENERS = {"(": ")", "[": "]", "{": "}"}
_UNCLOSED = "S001"


def _known(db: TagDatabase, text: str) -> Match | None:
    match = db.lookup(text)
    return match if match is not None and match.how in ("exact", "alias") else None


def _key(db: TagDatabase, text: str) -> str:
    match = _known(db, text)
    return match.tag if match is not None else canonical(text)


def _request_form(tag: str) -> str:
    # Danbooru's spelling with spaces, as the models were trained; kaomoji keep their underscores
    return tag if is_kaomoji(tag) else tag.replace("_", " ")


def group_tags(prompt: str, database: TagDatabase | None = None) -> TagGroups:
    """The prompt's items sorted into request fields by the tag database (unknown text is general).

    >>> g = group_tags(r"masterpiece, 1girl, hu tao \\(genshin impact\\), (red eyes:1.2), highres")
    >>> g.quality, g.characters, g.general, g.meta
    (('masterpiece',), ('hu tao (genshin impact)',), ('1girl', 'red eyes'), ('highres',))
    """
    from animagine_prompt.syntax import parse

    db = database if database is not None else load_database()
    fields: dict[str, list[str]] = {
        "general": [],
        "characters": [],
        "copyrights": [],
        "artist": [],
        "meta": [],
        "quality": [],
        "rating": [],
    }
    by_category: dict[int, str] = {
        Category.CHARACTER: "characters",
        Category.COPYRIGHT: "copyrights",
        Category.ARTIST: "artist",
        Category.META: "meta",
    }
    for item in parse(prompt).tags():
        match = _known(db, item.text)
        key = match.tag if match is not None else canonical(item.text)
        if key in _RATINGS or key.startswith("rating:"):
            name = "rating"
        elif match is not None and match.special is not None:
            name = "quality" if match.special.kind == "quality" else "rating"
        elif match is not None:
            name = by_category.get(match.category, "general")
        else:
            name = "general"
        form = _request_form(key) if match is not None else item.text
        if name == "rating":
            form = _request_form(key.removeprefix("rating:").strip("_"))  # the models' values: general, nsfw, ...
        if form not in fields[name]:
            fields[name].append(form)
    return TagGroups(**{k: tuple(v) for k, v in fields.items()})


@dataclass
class _Context:
    db: TagDatabase
    keys: set[str]
    negative: set[str]
    explicit_ok: bool
    partners: dict[str, set[str]]


def _partners() -> dict[str, set[str]]:
    from animagine_prompt.lint.rules.contradictory_tags import CONTRADICTIONS

    partners: dict[str, set[str]] = {}
    for pair in CONTRADICTIONS:
        a, b = sorted(pair)
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    return partners


def _prompt_keys(db: TagDatabase, text: str | None) -> list[str]:
    from animagine_prompt.syntax import parse

    if not text or not text.strip():
        return []
    return [_key(db, item.text) for item in parse(text).tags()]


def _screen(ctx: _Context, text: str, categories: frozenset[int]) -> tuple[str | None, DroppedTag | None]:
    """The tag to add for the proposal ``text``, or why it is dropped."""
    match = _known(ctx.db, text)
    if match is None:
        return None, DroppedTag(text, "unknown")
    tag = match.tag
    if match.category not in categories or match.special is not None:
        return None, DroppedTag(text, "category", f"({match.category_name})")
    if tag in ctx.keys:
        return None, DroppedTag(text, "duplicate")
    if tag in ctx.negative:
        return None, DroppedTag(text, "negative")
    against = ctx.partners.get(tag, set()) & ctx.keys
    if against:
        return None, DroppedTag(text, "contradiction", ", ".join(sorted(against)))
    if (match.explicit or ctx.db.is_explicit(tag)) and not ctx.explicit_ok:
        return None, DroppedTag(text, "explicit")
    return tag, None


def _base(prompt: str) -> str:
    """The user's text up to its last item: trailing separators and blanks go, nothing else."""
    return prompt.rstrip(" \t\r\n,")


def _closers(text: str) -> str:
    from animagine_prompt.syntax import parse

    opened = [d.span for d in parse(text).diagnostics if d.code == _UNCLOSED and d.span is not None]
    return "".join(_OPENERS.get(text[start], "") for start, _ in sorted(opened, reverse=True))


def _compose(base: str, closers: str, added: Sequence[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
    text = base + closers
    spans = []
    for form in added:
        if text:
            text += ", "
        spans.append((len(text), len(text) + len(form)))
        text += form
    return text, tuple(spans)


def _items(text: str) -> list[tuple[str, float]]:
    from animagine_prompt.syntax import parse

    return [(item.text, round(item.weight, 6)) for item in parse(text).tags()]


def _placement(prompt: str, base: str) -> str | None:
    """What goes between the user's text and the new tags so that the user's items stay as they
    are and the new ones get weight 1: the brackets the user left open, closed, or else nothing
    (``None`` when neither works, as for a schedule left open)."""
    user = _items(prompt)
    probe = "zz"
    for closers in dict.fromkeys((_closers(base), "")):
        items = _items(_compose(base, closers, [probe])[0])
        if items[: len(user)] == user and items[len(user) :] == [(probe, 1.0)]:
            return closers
    return None


def merge_tags(
    prompt: str,
    proposals: Iterable[str],
    *,
    negative_prompt: str | None = None,
    limit: int | None = None,
    database: TagDatabase | None = None,
    categories: Iterable[int] = (Category.GENERAL,),
    allow_explicit: bool | None = None,
) -> Expansion:
    """Add the acceptable ``proposals`` (tag texts, in the model's order) after ``prompt``'s last item.

    At most ``limit`` tags are added. ``categories`` are the Danbooru categories a new tag may
    have (general only by default: a model should not change who or what series is drawn).
    Explicit tags are added when ``allow_explicit`` is true, or, when it is ``None``, if the prompt
    is explicit itself (an explicit tag, or ``nsfw``/``explicit``/``questionable``). A proposal
    dropped twice for the same reason is reported once.

    >>> e = merge_tags("1girl, solo, (smile:1.2)", ["long hair", "2girls", "zzqx", "smile", "lowres", "blue_eyes"],
    ...                negative_prompt="lowres")
    >>> e.prompt
    '1girl, solo, (smile:1.2), long hair, blue eyes'
    >>> [d.describe() for d in e.dropped]  # doctest: +NORMALIZE_WHITESPACE
    ['2girls: contradicts 1girl, solo', 'zzqx: not a known tag', 'smile: already in the prompt',
     'lowres: not a general tag (meta)']
    """
    db = database if database is not None else load_database()
    allowed = frozenset(int(c) for c in categories)
    keys = _prompt_keys(db, prompt)
    if allow_explicit is None:
        allow_explicit = any(k in _EXPLICIT_RATINGS or db.is_explicit(k) for k in keys)
    ctx = _Context(db, set(keys), set(_prompt_keys(db, negative_prompt)), allow_explicit, _partners())
    dropped: list[DroppedTag] = []
    chosen: list[tuple[str, str]] = []  # (tag, proposal text)
    for text in proposals:
        tag, why = _screen(ctx, text, allowed)
        if why is not None:
            dropped.append(why)
            continue
        assert tag is not None
        if limit is not None and len(chosen) >= limit:
            dropped.append(DroppedTag(text, "length"))
            continue
        chosen.append((tag, text))
        ctx.keys.add(tag)

    base = _base(prompt)
    closers = _placement(prompt, base) if chosen else ""
    if closers is None:
        dropped.extend(DroppedTag(text, "brackets") for _, text in chosen)
        chosen = []
        closers = ""
    chosen = _lint_clean(base, closers, chosen, negative_prompt, dropped)
    forms = [_prompt_form(tag) for tag, _ in chosen]
    text, spans = _compose(base, closers, forms) if forms else (prompt, ())
    return Expansion(prompt, text, tuple(forms), spans, tuple(dict.fromkeys(dropped)))


def _prompt_form(tag: str) -> str:
    from animagine_prompt.tags import to_prompt_form

    return to_prompt_form(tag)


def _lint_clean(
    base: str,
    closers: str,
    chosen: list[tuple[str, str]],
    negative_prompt: str | None,
    dropped: list[DroppedTag],
) -> list[tuple[str, str]]:
    """``chosen`` without the tags the linter flags where they would stand (a tag split across a
    chunk boundary, one too many chunks, ...); each round drops at least one, so it ends."""
    from animagine_prompt.lint import lint

    while chosen:
        text, spans = _compose(base, closers, [_prompt_form(tag) for tag, _ in chosen])
        flagged: dict[int, str] = {}
        for finding in lint(text, negative_prompt or None):
            if finding.field != "prompt" or finding.severity.rank < Severity.WARNING.rank or finding.span is None:
                continue
            start, end = finding.span
            for index, (a, b) in enumerate(spans):
                if a < end and start < b and index not in flagged:
                    flagged[index] = f"({finding.code})"
        if not flagged:
            break
        dropped.extend(DroppedTag(chosen[i][1], "lint", flagged[i]) for i in sorted(flagged))
        chosen = [c for i, c in enumerate(chosen) if i not in flagged]
    return chosen
