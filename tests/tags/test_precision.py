"""What the full vocabulary and the English dictionary change: aliases users type, the model
card's meta tags, short typos, and no "corrections" of ordinary English or common words."""

from __future__ import annotations

from pathlib import Path

import pytest

from animagine_prompt.tags import Category, TagDatabase, is_english_word, is_prose, load_database


@pytest.mark.parametrize(
    ("typed", "tag"),
    [("outdoor", "outdoors"), ("earring", "earrings"), ("glove", "gloves"), ("Outdoor", "outdoors")],
)
def test_aliases_users_type_resolve(bundled: TagDatabase, typed: str, tag: str) -> None:
    match = bundled.lookup(typed)
    assert match is not None and match.tag == tag and match.how == "alias" and match.confident


@pytest.mark.parametrize("tag", ["username", "text", "error", "missing fingers", "lowres", "jpeg artifacts"])
def test_model_card_negative_prompt_tags_are_known(bundled: TagDatabase, tag: str) -> None:
    match = bundled.lookup(tag)
    assert match is not None and match.how == "exact", tag
    assert match.category == Category.META


@pytest.mark.parametrize(
    ("typo", "tag"),
    [("upper bdy", "upper_body"), ("closed eys", "closed_eyes"), ("long har", "long_hair")],
)
def test_short_word_typos_are_corrected_beside_an_intact_word(bundled: TagDatabase, typo: str, tag: str) -> None:
    match = bundled.lookup(typo)
    assert match is not None and match.tag == tag and match.how == "fuzzy" and match.confident


def test_two_short_typos_rank_the_tag_first_without_a_confident_fix(bundled: TagDatabase) -> None:
    assert [m.tag for m in bundled.suggest("gren har", 3)][0] == "green_hair"
    assert bundled.lookup("gren har") is None  # no intact word pins the tag down


@pytest.fixture
def small(tmp_path: Path) -> TagDatabase:
    # Tags that ordinary English words sit one edit away from; the words themselves are no tags.
    path = tmp_path / "mine.csv"
    rows = ["cannon,0,900,", "pillow,0,900,", "hunting,0,900,", "crushing,0,900,", "thinking,0,900,"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return load_database([path], bundled=False)


@pytest.mark.parametrize("word", ["canyon", "willow", "hurting", "crashing", "thanking"])
def test_english_words_are_never_corrected(small: TagDatabase, word: str) -> None:
    assert is_english_word(word)
    assert small.lookup(word) is None
    assert all(not m.confident for m in small.suggest(word))


@pytest.mark.parametrize("word", ["canyon", "willow", "meadow", "crashing", "hurting"])
def test_english_words_are_not_corrected_by_the_full_vocabulary(bundled: TagDatabase, word: str) -> None:
    match = bundled.lookup(word)
    assert match is None or match.how != "fuzzy", match


@pytest.mark.parametrize(
    ("item", "wrong"),
    [
        ("neon", "ne-on"),  # an English word split into an artist's name
        ("luxurious", "luxuriou_s"),
        ("rukako", "runako"),  # one unknown name is not a misspelt other name
        ("jabba", "cabba"),
        ("lightpink hair", "lightning_hair"),  # two edits in a nine-letter word
        ("-hair", "chair"),  # punctuation is no letter
    ],
)
def test_real_prompt_items_are_not_corrected_into_other_tags(bundled: TagDatabase, item: str, wrong: str) -> None:
    match = bundled.lookup(item)
    assert match is None or match.tag != wrong, match


@pytest.mark.parametrize("word", ["misty", "amber", "ruby"])
def test_common_words_are_not_characters_without_their_series(bundled: TagDatabase, word: str) -> None:
    assert bundled.lookup(word) is None
    assert bundled.category_of(word) is None
    assert all(not (m.category == Category.CHARACTER and m.confident) for m in bundled.suggest(word))


@pytest.mark.parametrize(
    ("word", "series", "tag"),
    [
        ("misty", ["pokemon"], "misty_(pokemon)"),
        ("amber", ["genshin impact"], "amber_(genshin_impact)"),
        ("amber", [r"hu tao \(genshin impact\)"], "amber_(genshin_impact)"),  # a qualifier names it too
        ("Amber", ["genshin_impact", "original"], "amber_(genshin_impact)"),
    ],
)
def test_common_words_are_characters_when_the_prompt_names_the_series(
    bundled: TagDatabase, word: str, series: list[str], tag: str
) -> None:
    named = bundled.series_in(series)
    match = bundled.lookup(word, series=named)
    assert match is not None and match.tag == tag and match.how == "character" and match.confident
    assert bundled.lookup(word) is None  # the memo keeps the two questions apart


def test_series_picks_among_characters_of_one_name(bundled: TagDatabase) -> None:
    assert bundled.lookup("kafka").tag == "kafka_(honkai:_star_rail)"
    assert bundled.lookup("kafka", series=["arknights"]).tag == "kafka_(arknights)"
    assert bundled.lookup("kafka", series=["genshin impact"]).tag == "kafka_(honkai:_star_rail)"


def test_series_in_reads_copyrights_and_qualifiers(bundled: TagDatabase) -> None:
    items = ["1girl", "Genshin Impact", "fate/grand order", r"kafka \(honkai: star rail\)", "re:zero", "sky"]
    assert bundled.series_in(items) == {
        "genshin_impact",
        "fate/grand_order",
        "honkai:_star_rail",
        "re:zero_kara_hajimeru_isekai_seikatsu",
    }
    rem = bundled.lookup("ram", series=bundled.series_in(["re zero"]))
    assert rem is not None and rem.tag == "ram_(re:zero)"


def test_lookup_many_passes_the_series(bundled: TagDatabase) -> None:
    found = bundled.lookup_many(["amber", "1girl"], series=["genshin impact"])
    assert [m and m.tag for m in found] == ["amber_(genshin_impact)", "1girl"]


def test_prose() -> None:
    assert is_prose("a girl standing in the rain") and is_prose("ultra-detailed, 8k")
    assert not is_prose("upper bdy") and not is_prose("1girl") and not is_prose("")
    assert is_english_word("Willow") and not is_english_word("kafka")


def test_search_by_category_finds_characters(bundled: TagDatabase) -> None:
    found = bundled.search("kafka", limit=5, category=Category.CHARACTER)
    assert found[0].tag == "kafka_(honkai:_star_rail)" and "kafka_(arknights)" in [m.tag for m in found]
    assert all(m.category == Category.CHARACTER for m in found)


@pytest.mark.parametrize(
    ("item", "tag"),
    [
        ("fire flies", "fireflies"),
        ("twin-tails", "twintails"),
        ("straight on", "straight-on"),
        ("red eye shadow", "red_eyeshadow"),
        ("watercolor medium", "watercolor_(medium)"),
        ("(low quality", "low_quality"),
        ("smile}", "smile"),
    ],
)
def test_prose_spaced_unlike_a_tag_is_respaced(bundled: TagDatabase, item: str, tag: str) -> None:
    match = bundled.lookup(item)
    assert match is not None and match.tag == tag and match.how == "fuzzy" and match.confident


@pytest.mark.parametrize("item", ["__season__", "{crown}", "{{1girl}}", "__my_outfit__"])
def test_other_tools_syntax_is_left_alone(bundled: TagDatabase, item: str) -> None:
    assert bundled.lookup(item) is None


@pytest.mark.parametrize("name", ["ui", "fuze", "lian", "marin", "chika"])
def test_short_or_little_known_names_are_no_character_guess(bundled: TagDatabase, name: str) -> None:
    # `ui` is a user interface in a negative prompt; `marin` is more often Kitagawa Marin than
    # marin (zelda); a character with few posts is more likely another one of that name.
    assert bundled.lookup(name) is None
    assert any(m.how == "character" and not m.confident for m in bundled.suggest(name))


def test_little_known_names_are_characters_of_a_named_series(bundled: TagDatabase) -> None:
    assert bundled.lookup("ui", series=["blue archive"]).tag == "ui_(blue_archive)"
    assert bundled.lookup("fuze", series=["rainbow six siege"]).tag == "fuze_(rainbow_six_siege)"
