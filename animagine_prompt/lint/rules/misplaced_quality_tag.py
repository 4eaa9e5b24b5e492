"""P001: a quality tag on the wrong side."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from typing import Any

from animagine_prompt.diagnostics import Severity
from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._message import quoted
from animagine_prompt.lint._rule import Finding, Option, Rule

#: Danbooru categories of content tags (general, artist, copyright, character): a preset that
#: names one (`earrings`, `pubic hair`) describes the picture, not its quality.
_CONTENT_CATEGORIES = frozenset({0, 1, 3, 4})


@dataclass(frozen=True)
class PresetQualityTags:
    """Quality tags taught by the loaded quality presets: canonical tag -> the preset that uses it,
    for the prompt side (``high``) and the negative side (``low``).

    >>> tags = PresetQualityTags({"very_aesthetic": "Standard v3.1"}, {})
    >>> tags.side("very_aesthetic"), tags.side("1girl")
    ('prompt', None)
    """

    high: dict[str, str]
    low: dict[str, str]

    def side(self, key: str) -> str | None:
        """``"prompt"`` or ``"negative_prompt"``: where the presets put the tag ``key``; ``None`` when they do not.

        >>> PresetQualityTags({}, {"displeasing": "Standard v3.1"}).side("displeasing")
        'negative_prompt'
        """
        if key in self.high:
            return "prompt"
        if key in self.low:
            return "negative_prompt"
        return None


def quality_tags_of(library: Any, database: Any) -> PresetQualityTags:
    """The quality tags of ``library``'s quality presets, as the tag ``database`` sees them.

    A tag counts when the presets put it on one side only, and the database knows it neither
    as a content tag (``earrings``) nor as a special tag (``masterpiece`` and ``nsfw`` are the
    database's to judge).

    >>> from animagine_prompt.presets import QualityPreset, bundled_presets
    >>> from animagine_prompt.tags import load_database
    >>> mine = QualityPreset(name="mine", prompt="very aesthetic, {prompt}, earrings", negative_prompt="displeasing")
    >>> tags = quality_tags_of([mine], load_database())
    >>> tags.high, tags.low
    ({'very_aesthetic': 'mine'}, {'displeasing': 'mine'})
    """
    from animagine_prompt.syntax import parse
    from animagine_prompt.tags import canonical

    presets = library.all("quality") if hasattr(library, "all") else list(library)
    sides: dict[str, dict[str, str]] = {"prompt": {}, "negative_prompt": {}}
    for preset in presets:
        template = preset.prefix + ", " + preset.suffix
        for side, text in (("prompt", template), ("negative_prompt", preset.negative_prompt)):
            for item in parse(text).tags():
                key = canonical(item.text)
                if key:
                    sides[side].setdefault(key, preset.display_name)
    specials = {special.tag for special in database.special_tags()}
    high: dict[str, str] = {}
    low: dict[str, str] = {}
    for found, other, out in (
        (sides["prompt"], sides["negative_prompt"], high),
        (sides["negative_prompt"], sides["prompt"], low),
    ):
        for key, preset_name in found.items():
            if key in other:
                continue  # the presets disagree: not a sign of a misplaced tag
            # Exact, alias and character lookups only: a typo guess says nothing about the tag.
            if key in specials or database.category_of(key) in _CONTENT_CATEGORIES:
                continue
            out[key] = preset_name
    return PresetQualityTags(high, low)


def _preset_quality_tags(resources: Any, database: Any) -> PresetQualityTags:
    """``quality_tags_of`` the loaded presets, kept on disk between runs.

    Loading the presets (pydantic, YAML) costs about a third of the linter's start-up; the answer
    changes only with the preset files, the tag files or the package, which name the entry.
    """
    from animagine_prompt._cache import cached_json, fingerprint
    from animagine_prompt._resources import data_dir
    from animagine_prompt._version import __version__
    from animagine_prompt.presets import BUNDLED_DIR

    sources = [BUNDLED_DIR, *resources.preset_sources(), data_dir("tag_data"), *resources.tag_sources()]
    key = fingerprint(sources, __version__, "P001")
    data = cached_json("quality-tags", key, lambda: asdict(quality_tags_of(resources.presets(), database)))
    return PresetQualityTags(data["high"], data["low"])


def _needs_presets(match: Any) -> bool:
    # The preset-derived tags are all unknown to the database or meta tags without a special
    # meaning, so only such an item makes the presets worth loading.
    return (
        match is None
        or match.how not in ("exact", "alias")
        or (match.special is None and match.category not in _CONTENT_CATEGORIES)
    )


class MisplacedQualityTag(Rule):
    """Misplaced quality tag: `worst quality` in the prompt, or `masterpiece` in the negative prompt.

    ## What it does
    Reports Animagine XL 2.0's quality modifiers on the wrong side: the low ones (`normal
    quality`, `low quality`, `worst quality`) in the prompt, and the high ones (`masterpiece`,
    `best quality`, `high quality`) in the negative prompt.

    It also knows the quality tags of the loaded quality presets (the bundled ones, the user's
    preset folder, the config's `presets` and `--presets`): a tag that the presets put only
    around the prompt (`very aesthetic`) is reported in the negative prompt, and one they put
    only in the negative (`displeasing`) is reported in the prompt. Tags the tag database knows
    as content tags (`earrings`, `bad hands`) are left alone, wherever a preset puts them, and
    these findings are only `info`: a preset's word (`text`, `3d`) may be wanted on purpose.
    A preset's tag that is one ordinary English word (`text`, `illustration`) is reported only
    when another misplaced quality tag in the same prompt shows that a preset was pasted there:
    alone, `(text:1.2)` in a newspaper picture is content. Set the option `presets = false` to
    check the model card's modifiers only.

    A tag at weight 0 or below (`(masterpiece:0)`) is switched off or turned around on purpose
    and is never reported.

    ## Why it matters
    The model card trained these tags on aesthetic scores: `worst quality` in the prompt asks
    for the lowest-scored images, and `masterpiece` in the negative steers away from the best.
    Usually a preset or a copied prompt was pasted into the wrong box.

    ## Example
    ```text
    masterpiece, worst quality, 1girl
    Negative prompt: masterpiece, lowres
    ```
    Reports:

    - `worst quality`: quality tag 'worst quality' is in the prompt; it belongs in the negative prompt
    - negative `masterpiece`: quality tag 'masterpiece' is in the negative prompt; it belongs in the prompt

    Use instead:
    ```text
    masterpiece, 1girl
    Negative prompt: worst quality, lowres
    ```

    ## Fix safety
    No automatic fix: moving the tag to the other prompt is left to the author.
    """

    code = "P001"
    name = "misplaced-quality-tag"
    needs = frozenset({"tags", "presets"})
    options = {
        "presets": Option(True, "also check the quality tags of the loaded quality presets"),
    }

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report quality modifiers whose rank, or whose side in the quality presets, is the other prompt's."""
        from animagine_prompt.tags import is_english_word

        db = ctx.database
        here = "negative_prompt" if ctx.negative else "prompt"
        # Preset findings on one ordinary word wait for another misplaced tag to back them up.
        found: list[tuple[Finding, bool]] = []
        for item, key in zip(ctx.tags, ctx.keys, strict=True):
            if item.weight <= 0:
                continue  # `(masterpiece:0)` switches the tag off (or, below 0, turns it around) on purpose
            match = db.lookup(item.text)
            special = None if match is None or match.how not in ("exact", "alias") else match.special
            if special is not None:
                if special.kind != "quality":
                    continue
                if ctx.negative and special.rank <= 2:
                    where = "the negative prompt; it belongs in the prompt"
                elif not ctx.negative and special.is_negative:
                    where = "the prompt; it belongs in the negative prompt"
                else:
                    continue
                found.append((self.finding(ctx, f"quality tag {quoted(item.text)} is in {where}", item.span), False))
            elif self.config["presets"] and _needs_presets(match):
                tags = ctx.resources.memo("preset-quality-tags", lambda: _preset_quality_tags(ctx.resources, db))
                side = tags.side(key)
                if side is None or side == here:
                    continue
                preset = (tags.high if side == "prompt" else tags.low)[key]
                place = "prompt" if side == "prompt" else "negative prompt"
                finding = self.finding(
                    ctx,
                    f"quality tag {quoted(item.text)} is in the {'negative prompt' if ctx.negative else 'prompt'}; "
                    f"the {quoted(preset)} quality preset puts it in the {place}",
                    item.span,
                )
                # A preset's word is weaker evidence than the model card's own modifiers: `text`
                # or `illustration` may be wanted on purpose.
                found.append((replace(finding, severity=Severity.INFO), "_" not in key and is_english_word(key)))
        backed = len(found) > 1
        for finding, ordinary in found:
            if backed or not ordinary:
                yield finding
