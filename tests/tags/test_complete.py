"""Completion of an item being typed: prefix matches by name, then by alias, then near matches."""

from __future__ import annotations

import pytest

from animagine_prompt.tags import Completion, load_database
from animagine_prompt.tags._complete import prefix_ranked
from animagine_prompt.tags._vocabulary import VocabularyBuilder


def _vocabulary():
    b = VocabularyBuilder()
    b.add_rows(
        [
            ("blonde_hair", 0, 900, ("blond_hair",)),
            ("blue_hair", 0, 500, ()),
            ("blush", 0, 950, ()),
            ("solo", 0, 5000, ("bl", "/bl")),
            ("twintails", 0, 800, ("twin_tail", "twin_tails", "twintail")),
        ]
    )
    return b.build()


def test_names_before_aliases_each_by_post_count():
    v = _vocabulary()
    assert [(v.names[i], a) for i, a in prefix_ranked(v, "bl", 10)] == [
        ("blush", None),
        ("blonde_hair", None),
        ("blue_hair", None),
        ("solo", "bl"),
    ]


def test_limit_and_filter():
    v = _vocabulary()
    assert [v.names[i] for i, _ in prefix_ranked(v, "bl", 2)] == ["blush", "blonde_hair"]
    keep = lambda i: v.names[i] != "blush"  # noqa: E731
    assert [v.names[i] for i, _ in prefix_ranked(v, "bl", 2, keep)] == ["blonde_hair", "blue_hair"]
    assert prefix_ranked(v, "", 5) == [] and prefix_ranked(v, "bl", 0) == []


def test_a_tag_reached_by_several_aliases_comes_once():
    v = _vocabulary()
    assert [(v.names[i], a) for i, a in prefix_ranked(v, "twin", 5)] == [("twintails", None)]
    assert [(v.names[i], a) for i, a in prefix_ranked(v, "twin_t", 5)] == [("twintails", "twin_tail")]


def test_shortcut_aliases_are_not_offered():
    v = _vocabulary()
    assert all(a != "/bl" for _, a in prefix_ranked(v, "/", 5))


def test_bundled_prompt_form_and_alias():
    db = load_database()
    first = db.complete("hu tao", 1)[0]
    assert (first.tag, first.insert, first.label, first.category_name) == (
        "hu_tao_(genshin_impact)",
        r"hu tao \(genshin impact\)",
        "hu tao (genshin impact)",
        "character",
    )
    blond = db.complete("blond h", 5)
    assert [(c.tag, c.alias, c.fuzzy) for c in blond] == [("blonde_hair", "blond_hair", False)]
    assert blond[0].post_count > 100_000


def test_prefix_matches_ranked_by_posts():
    items = load_database().complete("s", 5)
    counts = [c.post_count for c in items]
    assert counts == sorted(counts, reverse=True) and items[0].tag == "solo"
    assert all(c.tag.startswith("s") and c.alias is None for c in items)


@pytest.mark.parametrize(("typed", "tag"), [("gren hai", "green_hair"), ("smlie", "smile")])
def test_near_matches_when_no_prefix_matches(typed, tag):
    items = load_database().complete(typed, 5)
    assert items[0].tag == tag and all(c.fuzzy for c in items)


def test_special_tags_complete():
    assert load_database().complete("masterp", 1)[0].tag == "masterpiece"
    assert load_database().complete("best q", 1)[0].tag == "best_quality"


def test_explicit_hidden_when_asked():
    db = load_database()
    assert any(db.is_explicit(c.tag) for c in db.complete("sex", 10))
    assert not any(db.is_explicit(c.tag) for c in db.without_explicit().complete("sex", 10))


def test_nothing_for_blank_or_unknown():
    db = load_database()
    assert db.complete("   ", 5) == [] and db.complete("xyzzyq", 5) == [] and db.complete("hair", 0) == []


def test_completion_value():
    c = Completion("blonde_hair", 0, 5, alias="blond_hair")
    assert (c.insert, c.label, c.category_name) == ("blonde hair", "blonde hair", "general")
