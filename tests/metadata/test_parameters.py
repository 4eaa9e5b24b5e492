"""The A1111 ``parameters`` text: the web UI's layout field for field, quoting, and reading other tools' texts."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from animagine_prompt.metadata import GenerationRecord, Parameters, format_value, parse_parameters

# Texts in the layout the web UI writes (field names, order, separators as in its output).
A1111_HIRES = (
    "masterpiece, best quality, 1girl, green hair, sweater, looking at viewer\n"
    "Negative prompt: lowres, bad anatomy, bad hands\n"
    "Steps: 28, Sampler: Euler a, Schedule type: Automatic, CFG scale: 7, Seed: 1082676886, Size: 832x1216, "
    "Model hash: 1449e5b0b9, Model: animagineXLV3_v30, Denoising strength: 0.55, Clip skip: 2, "
    "Hires upscale: 1.5, Hires steps: 20, Hires upscaler: Latent (nearest-exact), "
    'Lora hashes: "pastel: 9d1e6c3a3e3f, detail: 0f1e2d3c4b5a", Version: v1.7.0'
)


def test_web_ui_text_is_read_field_for_field():
    p = parse_parameters(A1111_HIRES)
    assert p.prompt == "masterpiece, best quality, 1girl, green hair, sweater, looking at viewer"
    assert p.negative_prompt == "lowres, bad anatomy, bad hands"
    assert [k for k, _ in p.fields] == [
        "Steps", "Sampler", "Schedule type", "CFG scale", "Seed", "Size", "Model hash", "Model",
        "Denoising strength", "Clip skip", "Hires upscale", "Hires steps", "Hires upscaler", "Lora hashes", "Version",
    ]  # fmt: skip
    assert p.get("Lora hashes") == "pastel: 9d1e6c3a3e3f, detail: 0f1e2d3c4b5a"
    assert p.get("Hires upscaler") == "Latent (nearest-exact)"
    # written back identically
    assert p.text() == A1111_HIRES


def test_record_from_web_ui_text():
    r = GenerationRecord.from_parameters(parse_parameters(A1111_HIRES))
    assert (r.width, r.height, r.steps, r.guidance, r.seed, r.sampler) == (832, 1216, 28, 7.0, 1082676886, "Euler a")
    assert (r.model, r.model_hash) == ("animagineXLV3_v30", "1449e5b0b9")
    assert (r.hires_upscale, r.hires_strength, r.hires_method) == (1.5, 0.55, "nearest-exact")
    assert r.clip_skip is None  # Clip skip 2 is SDXL's default penultimate layer
    assert dict(r.extra) == {
        "Hires steps": "20",
        "Lora hashes": "pastel: 9d1e6c3a3e3f, detail: 0f1e2d3c4b5a",
        "Version": "v1.7.0",
    }


def test_written_text_matches_the_web_ui_layout():
    record = GenerationRecord(
        "face focus, cute, masterpiece, best quality, 1girl, green hair",
        "lowres, bad anatomy",
        width=832,
        height=1216,
        steps=50,
        guidance=12.0,
        seed=1082676886,
        sampler="Euler a",
        model="animagine-xl-2.0",
        hires_upscale=1.5,
        hires_strength=0.55,
        hires_method="nearest-exact",
        extra=(("Version", "animagine-prompt 0.1.0"),),
    )
    assert record.parameters_text() == (
        "face focus, cute, masterpiece, best quality, 1girl, green hair\n"
        "Negative prompt: lowres, bad anatomy\n"
        "Steps: 50, Sampler: Euler a, CFG scale: 12, Seed: 1082676886, Size: 832x1216, Model: animagine-xl-2.0, "
        "Denoising strength: 0.55, Hires upscale: 1.5, Hires upscaler: Latent (nearest-exact), "
        "Version: animagine-prompt 0.1.0"
    )


def test_no_negative_line_when_negative_is_empty():
    text = GenerationRecord("1girl", steps=20, guidance=7, seed=1).parameters_text()
    assert text == "1girl\nSteps: 20, CFG scale: 7, Seed: 1"


def test_quoting_follows_the_web_ui_rule():
    assert format_value("Euler a") == "Euler a"
    assert format_value("a, b") == '"a, b"'
    assert format_value("a: b") == '"a: b"'
    assert format_value("line\nbreak") == '"line\\nbreak"'
    assert format_value('say "hi"') == 'say "hi"'  # quotes alone are not quoted, as in the web UI


def test_multiline_prompt_and_negative():
    text = "1girl\n(smile:1.2)\nBREAK\noutdoors\nNegative prompt: lowres\nbad hands\nSteps: 5, Seed: 9, CFG scale: 4"
    p = parse_parameters(text)
    assert p.prompt == "1girl\n(smile:1.2)\nBREAK\noutdoors"
    assert p.negative_prompt == "lowres\nbad hands"
    assert p.text() == text


def test_last_line_with_fewer_than_three_settings_is_prompt():
    p = parse_parameters("1girl\nscore: 9, rating: safe")
    assert p.fields == ()
    assert p.prompt == "1girl\nscore: 9, rating: safe"


def test_civitai_unquoted_json_values():
    text = (
        "1girl\nSteps: 30, Sampler: Euler a, CFG scale: 5, Seed: 3, "
        'Civitai resources: [{"type":"checkpoint","modelVersionId":1, "name": "a, b"}], Civitai metadata: {"x": {}}'
    )
    p = parse_parameters(text)
    assert json.loads(p.get("Civitai resources")) == [{"type": "checkpoint", "modelVersionId": 1, "name": "a, b"}]
    assert p.get("Civitai metadata") == '{"x": {}}'


def test_new_web_ui_schedule_type_joins_the_sampler_name():
    r = GenerationRecord.from_parameters(
        parse_parameters("a\nSteps: 20, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, Seed: 1")
    )
    assert r.sampler == "DPM++ 2M Karras"
    assert "Schedule type" not in dict(r.extra)


def test_crlf_and_windows_text():
    p = parse_parameters("1girl\r\nNegative prompt: x\r\nSteps: 1, Seed: 2, CFG scale: 3\r\n")
    assert (p.prompt, p.negative_prompt, p.get("Seed")) == ("1girl", "x", "2")


_breaks = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_line = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=_breaks))
_prompt = st.lists(_line, min_size=1, max_size=4).map("\n".join).map(str.strip).filter(
    lambda t: not any(line.lstrip().startswith("Negative prompt:") for line in t.split("\n"))
)


@settings(max_examples=200, deadline=None)
@given(
    prompt=_prompt,
    negative=_prompt,
    values=st.lists(
        st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30), min_size=3, max_size=6
    ),
)
def test_round_trip(prompt, negative, values):
    keys = ["Steps", "Sampler", "CFG scale", "Seed", "Size", "Model"]
    fields = tuple((k, v.strip() or "x") for k, v in zip(keys, values, strict=False))
    written = Parameters(prompt, negative, fields)
    read = parse_parameters(written.text())
    if prompt:
        assert read == written
    else:
        assert (read.negative_prompt, read.fields) == (negative, fields)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_without_crashing(text):
    p = parse_parameters(text)
    assert isinstance(p.prompt, str)
