"""The bundled presets: every kind present, the facts from the model card and the apps, valid templates."""

from __future__ import annotations

import pytest

from animagine_prompt.presets import PresetKind, bundled_presets

APP_STYLES = [
    "(None)", "Cinematic", "Photographic", "Anime", "Manga", "Digital Art", "Pixel art", "Fantasy art",
    "Neonpunk", "3D Model",
]  # fmt: skip
SAI_STYLES = [
    "sai-3d-model", "sai-analog film", "sai-anime", "sai-cinematic", "sai-comic book", "sai-craft clay",
    "sai-digital art", "sai-enhance", "sai-fantasy art", "sai-isometric", "sai-line art", "sai-lowpoly",
    "sai-neonpunk", "sai-origami", "sai-photographic", "sai-pixel art", "sai-texture",
]  # fmt: skip
CARD_SIZES = [
    (1024, 1024), (1152, 896), (896, 1152), (1216, 832), (832, 1216), (1344, 768), (768, 1344), (1536, 640),
    (640, 1536),
]  # fmt: skip
CARD_NEGATIVE = (
    "lowres, bad anatomy, bad hands, text, error, missing fingers, extra digit, fewer digits, cropped, "
    "worst quality, low quality, normal quality, jpeg artifacts, signature, watermark, username, blurry"
)


@pytest.fixture(scope="module")
def lib():
    return bundled_presets()


def test_every_kind_is_bundled(lib) -> None:
    for kind in PresetKind:
        assert lib.all(kind), kind


@pytest.mark.parametrize("title", APP_STYLES)
def test_app_styles_by_title(lib, title: str) -> None:
    style = lib.style(title)
    assert style.display_name == title
    if title != "(None)":
        # The 2.0-era form: "<prefix> {prompt} . <suffix>".
        assert " {prompt} . " in style.prompt and style.negative_prompt


@pytest.mark.parametrize("name", SAI_STYLES)
def test_sai_styles_by_fooocus_name(lib, name: str) -> None:
    style = lib.style(name)
    assert style.display_name == name and style.key.startswith("sai-")


def test_style_counts(lib) -> None:
    keys = [s.key for s in lib.all("style")]
    assert sum(k.startswith("sai-") for k in keys) == 17
    assert sum(k.endswith("-v3.1") for k in keys) == 9
    assert len(keys) == len(set(keys)) == 10 + 9 + 17


def test_photographic_is_the_cards(lib) -> None:
    style = lib.style("photographic")
    assert style.prompt == "cinematic photo {prompt} . 35mm photograph, film, bokeh, professional, 4k, highly detailed"
    assert style.negative_prompt == (
        "drawing, painting, crayon, sketch, graphite, impressionist, noisy, blurry, soft, deformed, ugly"
    )


def test_original_double_spaces_are_kept(lib) -> None:
    assert "studio anime,  highly detailed" in lib.style("anime").prompt
    assert "studio anime, highly detailed" in lib.style("anime-v3.1").prompt
    assert lib.style("fantasy art").prompt.startswith("ethereal fantasy concept art of  {prompt}")


def test_quality_presets(lib) -> None:
    keys = [q.key for q in lib.all("quality")]
    assert keys[:4] == ["none", "standard", "light", "heavy"]
    for variant in ("standard-v3.0", "light-v3.0", "heavy-v3.0", "standard-v3.1", "light-v3.1", "heavy-v3.1"):
        assert variant in keys
    assert lib.quality("standard").apply("1girl") == "masterpiece, best quality, 1girl"
    assert lib.quality("standard").negative_prompt == CARD_NEGATIVE
    heavy = lib.quality("heavy")
    assert heavy.prompt == (
        "(masterpiece), (best quality), (ultra-detailed), {prompt}, illustration, disheveled hair, "
        "detailed eyes, perfect composition, moist skin, intricate details, earrings"
    )
    assert heavy.negative_prompt == (
        "longbody, lowres, bad anatomy, bad hands, missing fingers, pubic hair, extra digit, fewer digits, "
        "cropped, worst quality, low quality"
    )
    # The 3.x apps put quality tags after the prompt.
    assert lib.quality("Heavy v3.1").prompt.startswith("{prompt}, ")
    assert lib.quality("Standard v3.1").apply("1girl") == "1girl, masterpiece, best quality, very aesthetic, absurdres"


def test_negatives_have_no_dangling_separator(lib) -> None:
    for preset in [*lib.all("quality"), *lib.all("style"), *lib.all("negative")]:
        negative = preset.negative_prompt
        assert negative == negative.strip() and not negative.endswith(","), preset.key
        assert ", ," not in negative and ",," not in negative, preset.key


def test_card_negative_preset(lib) -> None:
    assert lib.negative("standard").negative_prompt == CARD_NEGATIVE


def test_card_sizes(lib) -> None:
    assert [(r.width, r.height) for r in lib.all("resolution")] == CARD_SIZES


def test_card_generation_defaults(lib) -> None:
    d = lib.defaults
    assert (d.guidance, d.steps, d.sampler) == (12.0, 50, "Euler a")
    assert (d.hires.upscale_by, d.hires.strength, d.hires.method) == (1.5, 0.55, "nearest-exact")


def test_app_samplers_map_to_the_apps_schedulers(lib) -> None:
    expected = {
        "Euler a": ("EulerAncestralDiscreteScheduler", {}),
        "Euler": ("EulerDiscreteScheduler", {}),
        "DPM++ 2M Karras": ("DPMSolverMultistepScheduler", {"use_karras_sigmas": True}),
        "DPM++ SDE Karras": ("DPMSolverSinglestepScheduler", {"use_karras_sigmas": True}),
        "DPM++ 2M SDE Karras": (
            "DPMSolverMultistepScheduler",
            {"use_karras_sigmas": True, "algorithm_type": "sde-dpmsolver++"},
        ),
        "DDIM": ("DDIMScheduler", {}),
    }
    for name, (scheduler, options) in expected.items():
        sampler = lib.sampler(name)
        assert (sampler.name, sampler.scheduler, sampler.options) == (name, scheduler, options)


def test_every_bundled_preset_says_where_it_came_from(lib) -> None:
    for preset in lib.all():
        assert preset.source, preset.key
        assert preset.origin == "bundled"


def test_unknown_name_suggests(lib) -> None:
    from animagine_prompt.errors import PresetError

    with pytest.raises(PresetError, match="did you mean 'heavy'"):
        lib.quality("haevy")
    with pytest.raises(PresetError, match="unknown preset kind"):
        lib.get("colour", "x")


def test_docs_list_every_bundled_preset(lib) -> None:
    from pathlib import Path

    doc = Path(__file__).resolve().parents[2] / "docs" / "presets.md"
    if not doc.exists():
        pytest.skip("docs/presets.md is not in this checkout")
    text = doc.read_text(encoding="utf-8")
    for preset in lib.all():
        assert f"`{preset.key}`" in text or preset.name in text, preset.key
        for field in ("prompt", "negative_prompt"):
            value = getattr(preset, field, "")
            assert not value or f"`{value}`" in text, (preset.key, field)
