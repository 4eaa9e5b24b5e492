"""T003: an unknown tag that is a likely typo of a known one."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from animagine_prompt.diagnostics import Severity
from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._fix import Applicability, Edit, Fix, FixAvailability
from animagine_prompt.lint._message import quoted, quoted_list
from animagine_prompt.lint._rule import Finding, Rule

if TYPE_CHECKING:
    from animagine_prompt.tags import TagDatabase

# Danbooru's subject counts: 1girl, 2girls, 6+boys, ...
_COUNT = re.compile(r"\d\+?(?:girl|boy|other)s?")
# Near matches looked at for a short typo, and offered at most.
_CANDIDATES, _OFFERED = 12, 3


class MisspelledTag(Rule):
    """Misspelled tag: an unknown item with a confident correction (`gren hair` → `green hair`).

    ## What it does
    Looks every item up in the tag database (the bundled vocabulary plus `--tags` files) and
    reports the unknown ones for which the database has a confident typo correction, and
    subject counts in the wrong number (`2boy`, `1girls`), and aliases that are a tag with its
    spaces dropped (`jpegartifacts`). An item of several words, each a tag's word or one slip
    away from it (`blu eyes`), is reported too; when several tags fit (`gren har`), as
    information listing the likeliest, a dropped letter first. Ordinary English and other
    unknown words are not reported: natural language is fine, save a one-letter slip in the
    model card's quality tags (`wort quality`). A word from the name of a LoRA the prompt
    loads is its trigger word, never a typo.

    ## Why it matters
    A misspelled tag is read as a few unrelated tokens; the model never sees the tag it was
    trained on.

    ## Example
    ```text
    1girl, gren hair, lokking at viewer
    ```
    Reports:

    - `gren hair`: unknown tag 'gren hair': did you mean 'green hair'?
    - `lokking at viewer`: unknown tag 'lokking at viewer': did you mean 'looking at viewer'?

    Use instead:
    ```text
    1girl, green hair, looking at viewer
    ```

    ## Fix safety
    The fix replaces the item with the (first) suggestion. It is unsafe: the word may be deliberate.
    """

    code = "T003"
    name = "misspelled-tag"
    needs = frozenset({"tags"})
    fix_availability = FixAvailability.ALWAYS

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report items whose lookup is a confident fuzzy match, a miscounted subject, or a short typo."""
        from animagine_prompt.tags import canonical, is_prose

        db = ctx.database
        # A word from a loaded LoRA's name is its trigger word (`leveraction` beside
        # `<lora:leveractionrifle-AOM2:0.75>`), not a typo.
        networks = "\n".join(_squeezed(n.name) for n in ctx.networks)
        for item, plain in zip(ctx.tags, ctx.plain, strict=True):
            if not plain:
                continue
            start, end = item.text_span
            if networks:
                squeezed = _squeezed(item.text)
                if len(squeezed) >= 4 and squeezed in networks:
                    continue
            match = db.lookup(item.text)
            if match is not None and match.how == "fuzzy" and match.confident:
                offered = [match.prompt_form]
                message = f"unknown tag {quoted(item.text)}: did you mean {quoted(offered[0])}?"
                severity = None
            elif match is not None and match.how == "alias" and _COUNT.fullmatch(canonical(item.text)):
                if not _COUNT.fullmatch(match.tag):
                    continue
                offered = [match.prompt_form]
                message = f"{quoted(item.text)} is not a Danbooru count tag: write {quoted(offered[0])}"
                severity = None
            elif match is not None and match.how == "alias" and item.text.isalnum() and "_" in match.tag:
                # An alias that is the tag with its spaces dropped (`jpegartifacts`): the model
                # was trained on the tag, and reads the run as word pieces.
                if item.text.lower() != match.tag.replace("_", ""):
                    continue
                offered = [match.prompt_form]
                message = f"{quoted(item.text)} is {quoted(offered[0])} run together: write {quoted(offered[0])}"
                severity = None
            elif match is None:
                # Prose is never corrected, save a slip in one of the model card's quality tags
                # (`wort quality`): those are what a prompt's list of modifiers is made of.
                offered = _quality_typo(item.text, db) if is_prose(item.text) else _short_typos(item.text, db)
                if not offered:
                    continue
                if len(offered) == 1:
                    message, severity = f"unknown tag {quoted(item.text)}: did you mean {quoted(offered[0])}?", None
                else:
                    message = f"unknown tag {quoted(item.text)}: perhaps {_either(offered)}?"
                    severity = Severity.INFO
            else:
                continue
            fix = None
            if ctx.text[start:end] == item.text:  # only plain text can be replaced in place
                fix = Fix(f"replace with {quoted(offered[0])}", (Edit(start, end, offered[0]),), Applicability.UNSAFE)
            yield self.finding(ctx, message, (start, end), fix, severity=severity)


def _squeezed(text: str) -> str:
    """Lowercase letters and digits only: `leveraction-AOM2` -> `leveractionaom2`."""
    return _NOT_ALNUM.sub("", text.lower())


_NOT_ALNUM = re.compile(r"[\W_]+")


def _quality_typo(text: str, db: TagDatabase) -> list[str]:
    """The model card's quality tag that ``text`` is one slip in one word away from, if any.

    >>> from animagine_prompt.tags import load_database
    >>> [_quality_typo(t, load_database()) for t in ("wort quality", "beat quality", "good quality", "fast")]
    [['worst quality'], ['best quality'], [], []]
    """
    from animagine_prompt.tags import to_prompt_form

    words = text.lower().replace("_", " ").split()
    for special in db.special_tags():
        tag_words = special.tag.split("_")
        if special.kind != "quality" or len(tag_words) != len(words) or len(words) < 2:
            continue
        slips = [_slip(mine, theirs) for mine, theirs in zip(words, tag_words, strict=True) if mine != theirs]
        if len(slips) == 1 and slips[0] is not None:
            return [to_prompt_form(special.tag)]
    return []


def _either(texts: list[str]) -> str:
    return quoted_list(texts).replace(f" and {quoted(texts[-1])}", f" or {quoted(texts[-1])}")


def _short_typos(text: str, db: TagDatabase) -> list[str]:
    """Tags (prompt form) whose words each equal the item's or are one slip away from a word
    that is not English, cheapest first (a dropped letter costs least), then by posts."""
    from animagine_prompt.tags import is_english_word, to_prompt_form

    words = text.lower().replace("_", " ").split()
    # One word is the fuzzy lookup's to judge: a lone unknown word is as often a name (`lian`,
    # `fuze`) or an acronym (`lut`) as a slip.
    if not 2 <= len(words) <= 4:
        return []
    ranked = []
    for match in db.suggest(text, _CANDIDATES):
        if match.category not in (0, 5) or match.explicit:
            continue
        tag_words = match.tag.split("_")
        if len(tag_words) != len(words):
            continue
        cost = 0.0
        for mine, theirs in zip(words, tag_words, strict=True):
            if mine == theirs:
                continue
            slip = _slip(mine, theirs)
            if slip is None or is_english_word(mine) or len(mine) < 3 or not mine.isalpha():
                break
            cost += slip
        else:
            if cost:
                ranked.append((cost, -match.post_count, to_prompt_form(match.tag)))
    ranked.sort()
    return [form for _, _, form in ranked[:_OFFERED]]


def _slip(typed: str, meant: str) -> float | None:
    """The cost of one typing slip turning ``meant`` into ``typed``, or ``None`` when it takes more.

    >>> _slip("gren", "green"), _slip("eys", "eyes"), _slip("gerrn", "green"), _slip("grey", "gren")
    (0.5, 0.5, None, 1.0)
    >>> _slip("eyess", "eyes"), _slip("hoody", "hood"), _slip("hiar", "hair")
    (0.75, None, 0.75)
    """
    if len(typed) + 1 == len(meant):  # a letter dropped: the commonest slip
        return 0.5 if any(meant[:i] + meant[i + 1 :] == typed for i in range(len(meant))) else None
    if len(typed) == len(meant) + 1:  # a letter doubled (`eyess`); another added letter may be a word (`hoody`)
        doubled = any(typed[i] == typed[i - 1] and typed[:i] + typed[i + 1 :] == meant for i in range(1, len(typed)))
        return 0.75 if doubled else None
    if len(typed) != len(meant):
        return None
    diff = [i for i, (a, b) in enumerate(zip(typed, meant, strict=True)) if a != b]
    if len(diff) == 1:
        return 1.0
    if (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and typed[diff[0]] == meant[diff[1]]
        and typed[diff[1]] == meant[diff[0]]
    ):
        return 0.75  # two letters swapped
    return None
