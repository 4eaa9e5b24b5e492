"""Generation records from every supported source, and the app's metadata JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from animagine_prompt.errors import InputError
from animagine_prompt.metadata import (
    GenerationRecord,
    app_metadata_text,
    read_generation,
    record_from_texts,
    set_png_text,
)
from animagine_prompt.metadata._png import _minimal_png

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


def card_examples() -> list[dict]:
    card = SHARED / "model-card" / "animagine-xl-2.0-README.md"
    if not card.exists():
        pytest.skip(f"{card} is not available")
    blocks = re.findall(r"<pre>\s*(\{.*?\})\s*</pre>", card.read_text(encoding="utf-8"), re.S)
    return [json.loads(b) for b in blocks]


def test_the_model_cards_three_examples_read_as_app_metadata():
    examples = card_examples()
    assert len(examples) == 3
    for example in examples:
        record = record_from_texts({"metadata": json.dumps(example)})
        assert record.source == "animagine"
        assert record.prompt == example["prompt"]
        assert record.negative_prompt == example["negative_prompt"]
        assert f"{record.width} x {record.height}" == example["resolution"]
        assert (record.steps, record.guidance, record.seed) == (50, 12, example["seed"])
        assert (record.sampler, record.style, record.quality) == ("Euler a", "Photographic", "Heavy")
        assert (record.hires_upscale, record.hires_strength, record.hires_method) == (1.5, 0.55, "nearest-exact")
        assert (record.lcm, record.refine_prompt) == (example["enable_lcm"], example["refine_prompt"])
        assert {"datetime", "use_lora"} <= dict(record.extra).keys()


def test_built_prompt_metadata_round_trips_through_a_png():
    from animagine_prompt.presets import PromptBuilder, bundled_presets

    built = (
        PromptBuilder(presets=bundled_presets())
        .tags("stelle, honkai: star rail, 1girl")
        .quality("heavy")
        .style("photographic")
        .size("832x1216")
        .seed(1082676886)
        .hires()
        .build()
    )
    png = set_png_text(_minimal_png({}), {"metadata": app_metadata_text(built.to_metadata())})
    record = record_from_texts({"metadata": json.loads(json.dumps(app_metadata_text(built.to_metadata())))})
    assert record_from_texts({"metadata": app_metadata_text(built.to_metadata())}) == record
    assert (record.prompt, record.negative_prompt) == (built.prompt, built.negative_prompt)
    assert (record.width, record.height, record.seed) == (832, 1216, 1082676886)
    assert (record.style, record.quality) == (built.style_title, built.quality_title)
    from animagine_prompt.metadata import read_png_text

    assert json.loads(read_png_text(png)["metadata"])["sdxl_style"] == "Photographic"


def test_parameters_win_and_take_style_and_quality_from_the_app_metadata():
    texts = {
        "parameters": "1girl\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 3, Emphasis: No norm",
        "metadata": json.dumps({"prompt": "other", "sdxl_style": "Anime", "quality_tags": "Heavy"}),
    }
    record = record_from_texts(texts)
    assert (record.prompt, record.seed, record.emphasis) == ("1girl", 3, "no_norm")
    assert (record.style, record.quality, record.source) == ("Anime", "Heavy", "parameters")


def test_app_json_stored_under_parameters_by_forks():
    record = record_from_texts({"parameters": json.dumps({"prompt": "1girl", "seed": 5, "resolution": "896 x 1152"})})
    assert (record.source, record.seed, record.width) == ("animagine", 5, 896)


def test_animagine_31_model_field():
    record = record_from_texts(
        {"metadata": json.dumps({"prompt": "a", "Model": {"Model": "Animagine XL 3.1", "Model hash": "e3c47aedb0"}})}
    )
    assert (record.model, record.model_hash) == ("Animagine XL 3.1", "e3c47aedb0")


def test_novelai_comment():
    comment = {"prompt": "1girl", "uc": "lowres", "steps": 28, "scale": 5.0, "seed": 9, "sampler": "k_euler",
               "width": 832, "height": 1216, "strength": 0.7}  # fmt: skip
    record = record_from_texts({"Description": "1girl", "Software": "NovelAI", "Comment": json.dumps(comment)})
    assert (record.source, record.negative_prompt, record.guidance, record.width) == ("novelai", "lowres", 5.0, 832)
    assert dict(record.extra) == {"strength": "0.7"}


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        ({"metadata": "{not json"}, "not valid JSON"),
        ({"metadata": "[1, 2]"}, "not an object"),
        ({"metadata": '{"seed": 1}'}, 'no "prompt"'),
        ({"metadata": '{"prompt": "a", "resolution": "big"}'}, "not 'W x H'"),
        ({"metadata": '{"prompt": "a", "seed": "many"}'}, "not a whole number"),
        ({"metadata": '{"prompt": "a", "guidance_scale": true}'}, "not a number"),
        ({"metadata": '{"prompt": "a", "use_upscaler": 3}'}, "neither null nor an object"),
        ({"parameters": "a\nSteps: x, Seed: 1, CFG scale: 2"}, "Steps is 'x'"),
        ({"parameters": "a\nSteps: 1, Seed: 1, CFG scale: nan"}, "not a finite number"),
        ({"parameters": "a\nSteps: 1, Seed: 1, Size: 12"}, "WIDTHxHEIGHT"),
        ({"Comment": '{"uc": "x"}'}, 'no "prompt"'),
        ({"Software": "GIMP"}, "no generation settings"),
    ],
)
def test_malformed_settings_give_a_clear_error(texts, message):
    with pytest.raises(InputError, match=re.escape(message)):
        record_from_texts(texts, path="x.png")


def test_read_generation_from_a_file(tmp_path):
    path = tmp_path / "a.png"
    text = GenerationRecord("1girl", "lowres", width=64, height=64, steps=2, guidance=5, seed=11).parameters_text()
    path.write_bytes(set_png_text(_minimal_png({}), {"parameters": text}))
    assert read_generation(path) == GenerationRecord(
        "1girl", "lowres", width=64, height=64, steps=2, guidance=5.0, seed=11
    )


_names = st.sampled_from(["Euler a", "DPM++ 2M Karras", "DDIM", None])


@settings(max_examples=150, deadline=None)
@given(
    prompt=st.text(min_size=1, max_size=60).map(str.strip).filter(lambda t: t and "Negative prompt:" not in t),
    negative=st.text(max_size=40).map(str.strip).filter(lambda t: "Negative prompt:" not in t),
    steps=st.integers(1, 150),
    guidance=st.floats(0, 30, allow_nan=False).map(lambda g: round(g, 2)),
    seed=st.integers(0, 2**64 - 1),
    size=st.tuples(st.integers(64, 4096), st.integers(64, 4096)),
    sampler=_names,
    hires=st.booleans(),
    clip_skip=st.sampled_from([None, 1, 2]),
    emphasis=st.sampled_from([None, "no_norm", "ignore", "lerp_empty"]),
)
def test_record_round_trips_through_parameters(
    prompt, negative, steps, guidance, seed, size, sampler, hires, clip_skip, emphasis
):
    record = GenerationRecord(
        prompt,
        negative,
        width=size[0],
        height=size[1],
        steps=steps,
        guidance=guidance,
        seed=seed,
        sampler=sampler,
        model="animagine-xl-2.0",
        hires_upscale=1.5 if hires else None,
        hires_strength=0.55 if hires else None,
        hires_method="nearest-exact" if hires else None,
        clip_skip=clip_skip,
        emphasis=emphasis,
    )
    assert record_from_texts({"parameters": record.parameters_text()}) == record


# --- hostile JSON and settings out of range -----------------------------------------------------


@pytest.mark.parametrize(
    ("texts", "fragment"),
    [
        ({"metadata": '{"prompt": "a", "x": ' + "[" * 100_000}, "levels deep"),
        ({"Comment": '{"prompt": "a", "x": ' + '{"a": ' * 100_000}, "levels deep"),
        ({"metadata": '{"prompt": "a", "seed": ' + "7" * 5000 + "}"}, "digits"),
        ({"metadata": json.dumps({"prompt": "a", "num_inference_steps": 10**12})}, "num_inference_steps: expected"),
        ({"metadata": json.dumps({"prompt": "a", "resolution": "-64 x 0"})}, "resolution -64 x 0: each side"),
        ({"metadata": json.dumps({"prompt": "a", "guidance_scale": 1e308 * 10})}, "guidance_scale"),
        ({"metadata": json.dumps({"prompt": "a", "guidance_scale": 10**400})}, "guidance_scale"),  # OverflowError
        ({"metadata": json.dumps({"prompt": "a", "seed": -5})}, "seed: expected a whole number from 0"),
        ({"metadata": json.dumps({"prompt": "a", "use_upscaler": {"upscale_by": 40}})}, "upscale_by: expected"),
        ({"parameters": "1girl\nSteps: 1000000000000, Sampler: Euler a, CFG scale: 7"}, "Steps: expected"),
        ({"parameters": "1girl\nSteps: 20, Sampler: Euler a, Size: 0x64"}, "Size 0 x 64"),
        ({"parameters": "1girl\nSteps: 20, CFG scale: 7, Clip skip: 1000000"}, "Clip skip: expected"),
        ({"Comment": json.dumps({"prompt": "a", "width": 832, "height": 100000})}, "height: expected"),
    ],
)
def test_hostile_or_out_of_range_metadata_is_an_input_error(texts, fragment):
    with pytest.raises(InputError) as info:
        record_from_texts(texts, path="a.png")
    assert fragment in str(info.value) and str(info.value).startswith("a.png: ")


def test_a_deeply_nested_parameters_text_is_read_as_a_prompt():
    # some forks store the app's JSON under 'parameters'; JSON too deep to be that is prompt text
    text = "{" + "[" * 100_000 + "\nSteps: 20, Sampler: Euler a, CFG scale: 7"
    record = record_from_texts({"parameters": text})
    assert record.prompt.startswith("{[[[") and record.steps == 20


def test_settings_at_the_edges_of_their_ranges_read():
    record = record_from_texts(
        {
            "metadata": json.dumps(
                {"prompt": "a", "resolution": "64 x 8192", "num_inference_steps": 1000, "seed": 2**64 - 1}
            )
        }
    )
    assert (record.width, record.height, record.steps, record.seed) == (64, 8192, 1000, 2**64 - 1)
