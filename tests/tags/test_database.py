"""Lookups, suggestions and filters, on the bundled data and on tagcomplete's full CSV."""

from __future__ import annotations

import re

import pytest
import yaml

from animagine_prompt.syntax import parse
from animagine_prompt.tags import CONFIDENT, Category, TagDatabase, load_database

from .conftest import MODEL_CARD

# (item as typed, tag it should resolve to, how)
VARIANTS = [
    ("green hair", "green_hair", "exact"),
    ("Green_Hair", "green_hair", "exact"),
    ("ＧＲＥＥＮ　ＨＡＩＲ", "green_hair", "exact"),
    (r"hu tao \(genshin impact\)", "hu_tao_(genshin_impact)", "exact"),
    ("hu tao (genshin impact)", "hu_tao_(genshin_impact)", "exact"),
    ("blond hair", "blonde_hair", "alias"),
    ("twin tails", "twintails", "alias"),
    ("1 girl", "1girl", "alias"),
    ("hair clip", "hairclip", "alias"),
    ("eyes closed.", "closed_eyes", "alias"),
    ("hu tao", "hu_tao_(genshin_impact)", "character"),
    ("kafka", "kafka_(honkai:_star_rail)", "character"),
    ("Stelle", "stelle_(honkai:_star_rail)", "character"),
    ("caelus", "caelus_(honkai:_star_rail)", "character"),
    ("^_^", "^_^", "exact"),
    ("masterpiece", "masterpiece", "exact"),
    ("highres", "highres", "exact"),
]

TYPOS = [
    ("gren hair", "green_hair"),
    ("greenhair", "green_hair"),
    ("blsuh", "blush"),
    ("smlie", "smile"),
    ("lookng at viewer", "looking_at_viewer"),
    ("looking at veiwer", "looking_at_viewer"),
    ("long hiar", "long_hair"),
    ("blue eyse", "blue_eyes"),
    ("thighighs", "thighhighs"),
    ("hu tao genshin impact", "hu_tao_(genshin_impact)"),
    ("kafka honkai star rail", "kafka_(honkai:_star_rail)"),
    ("ponytial", "ponytail"),
    ("school unifrom", "school_uniform"),
]

PROSE = [
    "a girl standing in the rain",
    "highly detailed",
    "cute",
    "tranquil night",
    "tranquil night.",
    "sitting on a rock",
    "lighting",
    "impressionist",
    "food stalls",
    "ultra-detailed",
    "uglylongbody",
    "perfect composition",
    "enjoying a street food festival",
    "detailed eyes",
    "soft",
    "noisy",
]


@pytest.mark.parametrize(("text", "tag", "how"), VARIANTS)
def test_variants(any_db: TagDatabase, text: str, tag: str, how: str) -> None:
    match = any_db.lookup(text)
    assert match is not None, text
    assert match.tag == tag
    # tagcomplete lists some unqualified names as aliases ("hu_tao"), which is just as good.
    assert match.how == how or (how == "character" and match.how == "alias")
    assert match.confident


@pytest.mark.parametrize(("text", "tag"), TYPOS)
def test_typos_are_confidently_corrected(any_db: TagDatabase, text: str, tag: str) -> None:
    match = any_db.lookup(text)
    assert match is not None, text
    assert match.tag == tag
    # Danbooru also lists some misspellings as aliases ("thighighs", "greenhair").
    assert match.how in ("fuzzy", "alias")
    assert CONFIDENT <= match.confidence <= 1.0
    assert any_db.suggest(text)[0].tag == tag


@pytest.mark.parametrize("text", PROSE)
def test_prose_is_never_corrected(any_db: TagDatabase, text: str) -> None:
    match = any_db.lookup(text)
    assert match is None or match.how != "fuzzy", (text, match)
    assert all(not s.confident for s in any_db.suggest(text) if s.how == "fuzzy")


def test_short_and_empty_items(bundled: TagDatabase) -> None:
    assert bundled.lookup("") is None
    assert bundled.lookup("   ") is None
    assert bundled.lookup("qzx") is None
    assert bundled.suggest("") == []


def test_match_fields(bundled: TagDatabase) -> None:
    match = bundled.lookup("kafka")
    assert match.category == Category.CHARACTER and match.category_name == "character"
    assert match.prompt_form == r"kafka \(honkai: star rail\)"
    assert match.post_count > 1000
    data = match.to_dict()
    assert data["tag"] == "kafka_(honkai:_star_rail)" and data["how"] == "character"
    assert set(data) == {
        "tag",
        "prompt_form",
        "category",
        "category_name",
        "post_count",
        "how",
        "confidence",
        "special",
        "explicit",
    }


def test_special_tags(bundled: TagDatabase) -> None:
    quality = [s.tag for s in bundled.special_tags() if s.kind == "quality"]
    assert quality == [
        "masterpiece",
        "best_quality",
        "high_quality",
        "medium_quality",
        "normal_quality",
        "low_quality",
        "worst_quality",
    ]
    worst = bundled.lookup("worst quality")
    assert worst.special is not None and worst.special.is_negative and worst.special.criterion == "<-5"
    assert not bundled.lookup("best quality").special.is_negative
    assert bundled.lookup("nsfw").special.kind == "rating"
    assert bundled.lookup("green hair").special is None


def test_meta_tags_and_categories(bundled: TagDatabase) -> None:
    for tag in ["highres", "absurdres", "lowres", "jpeg artifacts", "official art"]:
        assert bundled.category_of(tag) == Category.META, tag
    for tag in ["signature", "watermark", "artist name", "blurry"]:
        assert bundled.category_of(tag) == Category.GENERAL, tag
    assert bundled.category_of("honkai: star rail") == Category.COPYRIGHT
    assert bundled.category_of("kafka") == Category.CHARACTER
    assert bundled.category_of("gren hair") is None  # a guess is not the item's category


def test_character_guess_prefers_the_popular_series(danbooru: TagDatabase) -> None:
    # kafka_(arknights) also exists; the Honkai: Star Rail one has far more posts.
    match = danbooru.lookup("kafka")
    assert match.tag == "kafka_(honkai:_star_rail)" and match.confident
    alternatives = [m.tag for m in danbooru.suggest("kafka", 10)]
    assert "kafka_(honkai:_star_rail)" == alternatives[0]


def test_bundled_vocabulary_is_the_full_danbooru_list(any_db: TagDatabase) -> None:
    assert len(any_db) > 140_000
    assert any_db.lookup("fu xuan").tag == "fu_xuan_(honkai:_star_rail)"
    assert any_db.lookup("/lh").tag == "long_hair"
    assert any_db.lookup("extra digit").tag == "extra_digits"
    assert any_db.category_of("genshin impact") == Category.COPYRIGHT
    assert any_db.category_of("wlop") == Category.ARTIST


def test_loading_the_csv_again_changes_nothing(danbooru: TagDatabase, bundled: TagDatabase) -> None:
    assert len(danbooru) == len(bundled)
    assert danbooru._vocabulary is bundled._vocabulary  # nothing to merge: the bundled data is reused
    assert danbooru.sources[1:] and danbooru.sources[0] == "bundled"
    for text in ("1girl", "outdoor", "kafka", "gren hair", "username"):
        assert danbooru.lookup(text) == bundled.lookup(text), text


def test_suggestions_rank_similarity_then_popularity(any_db: TagDatabase) -> None:
    found = any_db.suggest("gren hair", 5)
    assert [m.tag for m in found][:2] == ["green_hair", "grey_hair"]
    assert len({m.tag for m in found}) == len(found)
    assert found[0].confidence > found[1].confidence


def test_lookup_many_matches_lookup(bundled: TagDatabase) -> None:
    items = ["1girl", "gren hair", "1girl", "a girl standing in the rain", "hu tao"]
    assert bundled.lookup_many(items) == [bundled.lookup(i) for i in items]


def test_explicit_filter(bundled: TagDatabase) -> None:
    safe = bundled.without_explicit()
    assert bundled.is_explicit("after_sex") and not bundled.is_explicit("green_hair")
    # What the user wrote is still recognised...
    assert safe.lookup("after sex").tag == "after_sex" and safe.lookup("after sex").explicit
    # ...but never offered as a correction, suggestion or search result.
    typo = "aftr sex"
    assert bundled.lookup(typo).tag == "after_sex"
    assert safe.lookup(typo) is None
    assert all(not m.explicit for m in safe.suggest(typo, 10))
    assert all(not m.explicit for m in safe.search("cum", limit=100))
    assert any(m.explicit for m in bundled.search("cum", limit=100))


def test_search(bundled: TagDatabase) -> None:
    found = bundled.search("twintails", limit=5)
    assert found[0].tag == "twintails" and found[0].how == "exact"
    counts = [m.post_count for m in found[1:]]
    assert counts == sorted(counts, reverse=True)
    characters = bundled.search("genshin", limit=10, category=Category.CHARACTER)
    assert characters and all(m.category == Category.CHARACTER for m in characters)
    assert bundled.search("") == []


def test_bundled_database_is_cached() -> None:
    assert load_database() is load_database()


def test_bundled_aliases_point_at_known_tags(bundled: TagDatabase) -> None:
    vocabulary = bundled._vocabulary
    assert len(vocabulary.aliases) > 29_000
    for alias, target in zip(vocabulary.aliases, vocabulary.targets, strict=True):
        assert vocabulary.categories[target] in (0, 1, 3, 4, 5), alias
        assert vocabulary.find(alias) is None, alias  # a tag spelt like an alias wins


# -- the model card ------------------------------------------------------------------------


def _card() -> str:
    if not MODEL_CARD.is_file():
        pytest.skip(f"{MODEL_CARD} is absent")
    return MODEL_CARD.read_text(encoding="utf-8")


def card_example_prompts() -> list[str]:
    card = _card()
    front = yaml.safe_load(card.split("---")[1])
    prompts = []
    for widget in front["widget"]:
        prompts += [widget["text"], widget["parameter"]["negative_prompt"]]
    prompts += re.findall(r'"(?:negative_)?prompt": "([^"]*)"', card)
    prompts += re.findall(r'^(?:negative_)?prompt = "([^"]*)"', card, re.MULTILINE)
    guidelines = card[card.index("### Prompt Guidelines") : card.index("### Quality Tags Comparison")]
    prompts += re.findall(r"```\n([^`\n]+)\n```", guidelines)
    return prompts


def test_card_example_prompts_have_no_corrected_item(any_db: TagDatabase) -> None:
    prompts = card_example_prompts()
    assert len(prompts) >= 12
    items = sorted({item.text for prompt in prompts for item in parse(prompt).tags()})
    corrected = [(i, m.tag) for i, m in zip(items, any_db.lookup_many(items), strict=True) if m and m.how == "fuzzy"]
    assert corrected == []
    known = [i for i, m in zip(items, any_db.lookup_many(items), strict=True) if m is not None]
    assert {"masterpiece", "best quality", "1girl", "green hair", "lowres", "worst quality"} <= set(known)


def test_card_comparison_prompt_only_fixes_the_series_spacing(any_db: TagDatabase) -> None:
    card = _card()
    prompt = re.search(r'font-style: italic">"([^"]*)"', card).group(1)
    items = [item.text for item in parse(prompt).tags()]
    corrected = [(i, m.tag) for i, m in zip(items, any_db.lookup_many(items), strict=True) if m and m.how == "fuzzy"]
    # "honkai:star rail" is the copyright tag written without its space: a genuine form fix.
    assert corrected == [("honkai:star rail", "honkai:_star_rail")]
