"""Merging: template order, literal {prompt}, negatives, dedupe with weights, empty prompts, tag order."""

from __future__ import annotations

import json

import pytest

from animagine_prompt.errors import PresetError, UsageError
from animagine_prompt.presets import BuiltPrompt, PromptBuilder, bundled_presets
from animagine_prompt.presets._merge import dedupe


@pytest.fixture
def b() -> PromptBuilder:
    return PromptBuilder(presets=bundled_presets())


# --- templates ----------------------------------------------------------------------------------


def test_quality_first_then_style_wraps(b: PromptBuilder) -> None:
    built = b.tags("1girl").quality("standard").style("anime").build()
    assert built.prompt == (
        "anime artwork masterpiece, best quality, 1girl . anime style, key visual, vibrant, studio anime,  "
        "highly detailed"
    )


@pytest.mark.parametrize("text", ["{prompt}", "{0}", "{", "}", "{{x}}", "a {prompt} b {style}", "%s {}"])
def test_braces_in_the_prompt_are_literal(b: PromptBuilder, text: str) -> None:
    built = b.tags(text).quality("standard").style("photographic").dedupe(False).build()
    assert built.prompt == (
        f"cinematic photo masterpiece, best quality, {text} . 35mm photograph, film, bokeh, professional, "
        "4k, highly detailed"
    )


def test_braces_in_the_negative_are_literal(b: PromptBuilder) -> None:
    assert b.tags("x").negative("{prompt}").build().negative_prompt == "{prompt}"


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_prompt_gets_no_template(b: PromptBuilder, text: str) -> None:
    built = b.tags(text).quality("heavy").style("photographic").build()
    assert built.prompt == text
    # As in the app, the negatives are still joined.
    assert built.negative_prompt.startswith("drawing, painting") and "longbody" in built.negative_prompt


def test_quality_tags_off_keeps_the_quality_negative(b: PromptBuilder) -> None:
    built = b.tags("1girl").quality("heavy", tags=False).build()
    assert built.prompt == "1girl"
    assert built.negative_prompt.startswith("longbody, lowres")
    assert built.to_metadata()["add_quality_tags"] is False


def test_several_pieces_are_joined_with_commas(b: PromptBuilder) -> None:
    built = b.tags("1girl").character("kafka_(honkai:_star_rail)").tags("", "(green hair:1.2)").build()
    assert built.user_prompt == r"1girl, kafka \(honkai: star rail\), (green hair:1.2)"
    assert built.prompt == built.user_prompt


def test_character_already_escaped_is_kept(b: PromptBuilder) -> None:
    assert b.character(r"hu tao \(genshin impact\)").build().prompt == r"hu tao \(genshin impact\)"


# --- negatives ----------------------------------------------------------------------------------


def test_negative_order_style_quality_preset_user(b: PromptBuilder) -> None:
    built = b.tags("1girl").style("digital art").quality("light").negative("my neg", preset="quality-only").build()
    assert built.negative_prompt == (
        "photo, photorealistic, realism, ugly, (low quality, worst quality:1.2), 3d, watermark, signature, "
        "poorly drawn, normal quality, my neg"
    )
    # "ugly" (style, quality) and "low quality"/"worst quality" (quality, preset) were merged.
    removed = sorted(m.tag for m in built.merged)
    assert removed == ["low_quality", "ugly", "worst_quality"]
    ugly = next(m for m in built.merged if m.tag == "ugly")
    assert (ugly.kept_from, ugly.removed_from, ugly.prompt) == ("style", "quality", "negative")


def test_user_negative_trailing_separators_are_trimmed(b: PromptBuilder) -> None:
    assert b.tags("x").style("3d model").negative(" text,, ").build().negative_prompt == (
        "ugly, deformed, noisy, low poly, blurry, painting, text"
    )


# --- dedupe -------------------------------------------------------------------------------------


def test_user_tags_repeating_the_quality_tags(b: PromptBuilder) -> None:
    built = b.tags("masterpiece, 1girl, best quality").quality("standard").style("photographic").build()
    assert built.prompt.startswith("cinematic photo masterpiece, best quality, 1girl . 35mm")
    assert [(m.tag, m.kept_from, m.removed_from) for m in built.merged if m.prompt == "positive"] == [
        ("masterpiece", "quality", "user"),
        ("best_quality", "quality", "user"),
    ]


def test_the_larger_weight_stays_at_the_first_place(b: PromptBuilder) -> None:
    built = b.tags("1girl, (masterpiece:1.4)").quality("heavy").build()
    assert built.prompt.startswith("(masterpiece:1.4), (best quality), (ultra-detailed), 1girl, illustration")
    merge = built.merged[0]
    assert (merge.tag, merge.weight, merge.kept, merge.removed) == (
        "masterpiece",
        1.4,
        "(masterpiece:1.4)",
        "(masterpiece:1.4)",
    )


def test_style_suffix_repeating_a_user_tag(b: PromptBuilder) -> None:
    built = b.tags("1girl, film, bokeh").style("photographic").build()
    assert built.prompt == "cinematic photo 1girl, film, bokeh . 35mm photograph, professional, 4k, highly detailed"
    assert {(m.tag, m.removed_from) for m in built.merged} == {("film", "style"), ("bokeh", "style")}
    # The first suffix tag goes with the comma after it; the " . " stays.
    built = b.tags("1girl, 35mm photograph").style("photographic").build()
    assert built.prompt == "cinematic photo 1girl, 35mm photograph . film, bokeh, professional, 4k, highly detailed"
    # The prefix counts as a tag of its own too.
    assert b.tags("concept art, 1girl").style("digital art").build().prompt.startswith("concept art 1girl . ")


def test_dedupe_can_be_switched_off(b: PromptBuilder) -> None:
    built = b.tags("masterpiece, 1girl").quality("standard").dedupe(False).build()
    assert built.prompt == "masterpiece, best quality, masterpiece, 1girl"
    assert built.merged == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a, b, a", "a, b"),
        ("a, B, b, A", "a, B"),
        ("green hair, green_hair, Green Hair", "green hair"),
        ("(a, b:1.2), x, a", "(a, b:1.2), x"),
        ("(a, b), x, (a:1.5)", "((a:1.36), b), x"),
        ("[masterpiece], masterpiece", "masterpiece"),
        ("x, (masterpiece), y, ((masterpiece:1.5))", "x, (masterpiece:1.65), y"),
        ("a,a,a,b", "a,b"),
        ("a\nb\na", "a\nb"),
        (r"hu tao \(genshin impact\), Hu Tao \(Genshin Impact\)", r"hu tao \(genshin impact\)"),
        # Not repeats: other chunks, other AND parts, scheduled text, different words.
        ("a, b BREAK a", "a, b BREAK a"),
        ("1girl AND 1girl", "1girl AND 1girl"),
        ("[cat:dog:10], cat", "[cat:dog:10], cat"),
        ("[cat|dog], cat", "[cat|dog], cat"),
        ("long hair, hair", "long hair, hair"),
    ],
)
def test_dedupe_cases(text: str, expected: str) -> None:
    assert dedupe(text)[0] == expected


def test_dedupe_keeps_everything_else_byte_for_byte() -> None:
    text = "  1girl ,  (solo:1.1),\n\nsmile  , 1girl,  <lora:x:0.5> "
    assert dedupe(text)[0] == "  1girl ,  (solo:1.1),\n\nsmile  ,  <lora:x:0.5> "


def test_dedupe_never_raises_on_messy_prompts(real_prompts: list[dict]) -> None:
    from animagine_prompt.syntax import parse

    for row in real_prompts:
        text = row.get("prompt") or row.get("text") or ""
        new, merged, _ = dedupe(text)
        assert len(new) <= len(text)
        keys = [m.tag for m in merged]
        before = parse(text).tags()
        after = parse(new).tags()
        assert len(after) == len(before) - len(keys), text


# --- tag order ----------------------------------------------------------------------------------


def test_animagine_order(b: PromptBuilder) -> None:
    built = (
        b.tags("green hair, masterpiece, looking at viewer")
        .character("kafka_(honkai:_star_rail)", "honkai: star rail")
        .tags("1girl")
        .quality("standard")
        .order()
        .build()
    )
    assert built.prompt == (
        r"1girl, kafka \(honkai: star rail\), honkai: star rail, green hair, looking at viewer, masterpiece, "
        "best quality"
    )


def test_order_moves_groups_whole(b: PromptBuilder) -> None:
    assert b.tags("(solo, smile:1.2), 1girl").order().build().prompt == "1girl, (solo, smile:1.2)"


# --- the result ---------------------------------------------------------------------------------


def test_defaults_are_the_cards(b: PromptBuilder) -> None:
    built = b.tags("1girl").build()
    assert (built.width, built.height, built.sampler, built.steps, built.guidance, built.seed) == (
        1024,
        1024,
        "Euler a",
        50,
        12.0,
        None,
    )
    assert built.hires is None and built.quality == "none" and built.style == "none"


def test_settings(b: PromptBuilder) -> None:
    built = (
        b.tags("1girl").size("portrait").sampler("dpm++ 2m karras").seed(42).steps(28).guidance(7.5)
        .hires(strength=0.4).build()
    )  # fmt: skip
    assert (built.width, built.height, built.resolution) == (896, 1152, "portrait")
    assert (built.sampler, built.scheduler, dict(built.scheduler_options)) == (
        "DPM++ 2M Karras",
        "DPMSolverMultistepScheduler",
        {"use_karras_sigmas": True},
    )
    assert (built.seed, built.steps, built.guidance) == (42, 28, 7.5)
    assert (built.hires.upscale_by, built.hires.strength, built.hires.method) == (1.5, 0.4, "nearest-exact")
    assert b.hires().hires(False).tags("x").build().hires is None


def test_builder_is_immutable(b: PromptBuilder) -> None:
    base = b.quality("heavy")
    one, two = base.tags("1girl"), base.tags("1boy")
    assert one.build().prompt != two.build().prompt
    assert base._pieces == ()
    with pytest.raises(AttributeError):
        one.build().prompt = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    "call",
    [
        lambda b: b.steps(0),
        lambda b: b.guidance(-1),
        lambda b: b.seed(-1),
        lambda b: b.seed(2**64),
        lambda b: b.hires(upscale_by=1.0),
        lambda b: b.hires(strength=1.5),
        lambda b: b.size(832),
    ],
)
def test_bad_settings(b: PromptBuilder, call) -> None:
    with pytest.raises(UsageError):
        call(b)


@pytest.mark.parametrize(
    "call",
    [
        lambda b: b.quality("ultra"),
        lambda b: b.style("vaporwave"),
        lambda b: b.negative(preset="nope"),
        lambda b: b.sampler("DPM++ 3M"),
        lambda b: b.size("huge"),
    ],
)
def test_unknown_presets_fail_at_build(b: PromptBuilder, call) -> None:
    with pytest.raises(PresetError):
        call(b.tags("x")).build()


def test_json_round_trip(b: PromptBuilder) -> None:
    built = b.tags("masterpiece, 1girl").quality("standard").seed(1).hires().build()
    data = json.loads(built.to_json())
    assert data["prompt"] == built.prompt and data["hires"]["upscale_by"] == 1.5
    assert data["merged"][0]["tag"] == "masterpiece"
    assert set(data) == {f for f in BuiltPrompt.__dataclass_fields__}


def test_metadata_shape(b: PromptBuilder) -> None:
    built = b.tags("1girl").quality("heavy").style("photographic").size("13:19").seed(5).hires().build()
    meta = built.to_metadata(datetime="2023-11-25 06:42:21")
    assert list(meta) == [
        "prompt",
        "negative_prompt",
        "resolution",
        "guidance_scale",
        "num_inference_steps",
        "seed",
        "sampler",
        "sdxl_style",
        "add_quality_tags",
        "quality_tags",
        "use_upscaler",
        "datetime",
    ]
    assert meta["guidance_scale"] == 12 and isinstance(meta["guidance_scale"], int)
    assert meta["use_upscaler"] == {
        "upscale_method": "nearest-exact",
        "upscaler_strength": 0.55,
        "upscale_by": 1.5,
        "new_resolution": "1248 x 1824",
    }
    assert b.tags("x").guidance(7.5).build().to_metadata()["guidance_scale"] == 7.5
    assert b.tags("x").build().to_metadata()["use_upscaler"] is None
