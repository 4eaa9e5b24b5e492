"""Danbooru form <-> prompt form."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from animagine_prompt.syntax import parse
from animagine_prompt.tags import canonical, is_kaomoji, to_prompt_form


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("green hair", "green_hair"),
        ("Green Hair", "green_hair"),
        ("  green   hair  ", "green_hair"),
        ("green_ hair", "green_hair"),
        ("green _hair", "green_hair"),
        ("green\thair", "green_hair"),
        ("green_hair", "green_hair"),
        (r"Hu Tao \(Genshin Impact\)", "hu_tao_(genshin_impact)"),
        ("hu tao (genshin impact)", "hu_tao_(genshin_impact)"),
        (r"fu xuan \(honkai: star rail\)", "fu_xuan_(honkai:_star_rail)"),
        ("fu_xuan_(honkai:_star_rail)", "fu_xuan_(honkai:_star_rail)"),
        (r"\[ranked\]", "[ranked]"),
        ("ＧＲＥＥＮ　ＨＡＩＲ", "green_hair"),
        ("hu tao（genshin impact）", "hu_tao(genshin_impact)"),
        ("ｈｕ　ｔａｏ", "hu_tao"),
        ("^_^", "^_^"),
        (">_<", ">_<"),
        ("o_o", "o_o"),
        (r"\m/", r"\m/"),
        (r"a\\b", "a\\b"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_canonical(text: str, key: str) -> None:
    assert canonical(text) == key


@pytest.mark.parametrize(
    ("tag", "prompt"),
    [
        ("green_hair", "green hair"),
        ("fu_xuan_(honkai:_star_rail)", r"fu xuan \(honkai: star rail\)"),
        ("hu_tao_(genshin_impact)", r"hu tao \(genshin impact\)"),
        ("^_^", "^_^"),
        (">_<", ">_<"),
        ("o_o", "o_o"),
        ("<o>_<o>", "<o>_<o>"),
        ("m_k", "m k"),
        (r"\m/", r"\m/"),
        (r"\(^o^)/", r"\\\(^o^\)/"),
        ("[ranked]", r"\[ranked\]"),
    ],
)
def test_to_prompt_form(tag: str, prompt: str) -> None:
    assert to_prompt_form(tag) == prompt
    assert canonical(prompt) == tag


def test_kaomoji_detection() -> None:
    faces = ["^_^", ">_<", "o_o", "0_0", "u_u", "x_x", "@_@", "+_+", "=_=", "._.", "<|>_<|>", "|_|"]
    words = ["no_bra", "m_k", "t_k_g", "1girl", "long_hair", ":d", "x"]
    assert all(is_kaomoji(f) for f in faces)
    assert not any(is_kaomoji(w) for w in words)


def test_prompt_form_reads_back_as_one_literal_item() -> None:
    # The A1111 parser must see the escaped form as plain text with weight 1, not a weighted group.
    for tag in ["hu_tao_(genshin_impact)", "fu_xuan_(honkai:_star_rail)", "[ranked]", r"\(^o^)/", "^_^"]:
        items = parse(to_prompt_form(tag)).tags()
        expected = tag if is_kaomoji(tag) else tag.replace("_", " ")
        assert [(i.text, i.weight) for i in items] == [(expected, 1.0)]


_danbooru_char = st.sampled_from(list("abcxyz019_()[]:!'&.^<>-/\\"))


@given(st.lists(_danbooru_char, min_size=1, max_size=20).map("".join))
def test_round_trip_danbooru_to_prompt_and_back(raw: str) -> None:
    tag = raw.strip("_")
    if not tag or "__" in tag:
        return  # canonical keys never start or end with, or double, an underscore between words
    assert canonical(to_prompt_form(tag)) == tag


@given(st.text(max_size=30))
def test_canonical_is_idempotent_on_plain_text(text: str) -> None:
    key = canonical(text)
    if "\\" not in key:
        assert canonical(key) == key
