"""The JSON form of an analysis: stable keys, offsets a JavaScript editor can use, valid JSON
(animagine_prompt/analysis/_analysis.py, _json.py and each value's to_dict)."""

import json

import pytest

from animagine_prompt.analysis import SCHEMA_VERSION, SPAN_KINDS, PresetChoice, analyze
from animagine_prompt.lint import Linter, fix

# The documented shape (docs/analysis.md): a key is added only with the schema version kept, and
# changes meaning or goes away only with a new one.
KEYS = {
    "analysis": {"version", "units", "prompt", "negative", "built"},
    "prompt": {"field", "text", "token_count", "capacity", "spans", "tags", "networks", "chunks", "findings"},
    "span": {"kind", "start", "end", "depth", "weight", "factor", "detail"},
    "tag": {
        "text",
        "start",
        "end",
        "text_start",
        "text_end",
        "weight",
        "emphasis",
        "category",
        "category_id",
        "chunk",
        "cut",
        "scheduled",
    },
    "network": {"kind", "name", "weights", "start", "end", "chunk"},
    "chunk": {
        "index",
        "used",
        "length",
        "start",
        "ends",
        "moved",
        "subprompt",
        "subprompt_weight",
        "starts_part",
        "cut",
        "pushed",
    },
    "finding": {"number", "code", "name", "severity", "message", "field", "start", "end", "fix"},
    "fix": {"title", "applicability", "safe", "edits"},
    "built": {"presets", "prompt", "negative", "merged"},
}

EVERYTHING = (
    "masterpiece, ((smile)), [blurry], (red eyes:1.3), hu tao \\(genshin impact\\), [cat:dog:10], [a|b|], "
    "<lora:x:0.6>, embedding:easyneg, # a comment\nsky) BREAK moon AND star :0.5, gren hair,, " + "very " * 70
)


def check_prompt(data):
    assert set(data) == KEYS["prompt"]
    assert {s["kind"] for s in data["spans"]} <= set(SPAN_KINDS)
    for key, items in (("span", "spans"), ("tag", "tags"), ("network", "networks"), ("chunk", "chunks")):
        assert all(set(item) == KEYS[key] for item in data[items]), key
    for finding in data["findings"]:
        assert set(finding) == KEYS["finding"]
        assert finding["fix"] is None or set(finding["fix"]) == KEYS["fix"]


def test_every_object_has_the_documented_keys():
    data = json.loads(analyze(EVERYTHING, "lowres,, blurry", presets=PresetChoice(quality="standard")).to_json())
    assert set(data) == KEYS["analysis"] and data["version"] == SCHEMA_VERSION
    assert set(data["built"]) == KEYS["built"]
    for prompt in (data["prompt"], data["negative"], data["built"]["prompt"], data["built"]["negative"]):
        check_prompt(prompt)
    kinds = {s["kind"] for s in data["prompt"]["spans"]}
    assert kinds == set(SPAN_KINDS), set(SPAN_KINDS) - kinds
    assert any(f["fix"] for f in data["prompt"]["findings"])
    assert any(c["cut"] for c in data["prompt"]["chunks"]) or any(c["pushed"] for c in data["prompt"]["chunks"])


def test_without_negative_or_presets_those_keys_are_null():
    data = analyze("1girl").to_dict()
    assert data["negative"] is None and data["built"] is None and data["units"] == "codepoints"


def _utf16_slice(text, start, end):
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


@pytest.mark.parametrize("text", ["🌸 1girl, (smile:1.2), 🐱 ears, gren hair,, 🌙", "a, 𝒜 (b:1.1) BREAK [c|🌸]"])
def test_utf16_offsets_point_at_the_same_text_in_javascript(text):
    analysis = analyze(text)
    plain, js = analysis.prompt.to_dict(), analysis.prompt.to_dict(units="utf-16")
    assert js != plain  # the astral characters move every offset after them
    pairs = [(plain["spans"], js["spans"]), (plain["tags"], js["tags"]), (plain["findings"], js["findings"])]
    for python_items, js_items in pairs:
        for p, j in zip(python_items, js_items, strict=True):
            assert text[p["start"] : p["end"]] == _utf16_slice(text, j["start"], j["end"])
    for p, j in zip(plain["tags"], js["tags"], strict=True):
        assert text[p["text_start"] : p["text_end"]] == _utf16_slice(text, j["text_start"], j["text_end"])


def test_fix_edits_from_json_are_the_linters_fixes():
    text = "1girl,, smile, green_hair, masterpiece ,"
    findings = analyze(text).to_dict()["prompt"]["findings"]
    safe = [f["fix"] for f in findings if f["fix"] and f["fix"]["safe"]]
    assert safe
    # apply the first safe fix the way an editor would: its edits from the end backwards
    edits = sorted(safe[0]["edits"], key=lambda e: e["start"], reverse=True)
    fixed = text
    for edit in edits:
        fixed = fixed[: edit["start"]] + edit["content"] + fixed[edit["end"] :]
    assert fixed != text
    assert len(analyze(fixed).prompt.findings) < len(findings)
    assert fix(text).prompt != text


def test_overflowing_weights_are_null_and_the_json_is_valid():
    analysis = analyze("(a:" + "9" * 400 + "), ((b:1e3))")
    assert analysis.prompt.tags[0].weight == float("inf")
    data = json.loads(analysis.to_json())  # would raise on Infinity with allow_nan=False
    assert data["prompt"]["tags"][0]["weight"] is None
    assert [s["factor"] for s in data["prompt"]["spans"] if s["kind"] == "group"][0] is None


def test_built_part_carries_the_presets_and_the_merges():
    analysis = analyze("1girl, masterpiece", presets=PresetChoice(quality="standard", style="anime"))
    data = analysis.to_dict()["built"]
    assert data["presets"] == "quality Standard, style Anime"
    assert data["prompt"]["text"].startswith("anime artwork masterpiece, best quality, 1girl")
    assert [(m["tag"], m["removed_from"], m["kept_from"]) for m in data["merged"]] == [
        ("masterpiece", "user", "quality")
    ]
    assert analysis.read is analysis.built and analyze("1girl").read.prompt.text == "1girl"


def test_real_prompts_give_valid_json_within_their_text(real_prompts):
    linter = Linter()
    for record in real_prompts:
        prompt, negative = record.get("prompt") or "", record.get("negative")
        data = json.loads(analyze(prompt, negative, linter=linter).to_json(units="utf-16"))
        for view in (data["prompt"], data["negative"]):
            if view is None:
                continue
            check_prompt(view)
            size = len(view["text"].encode("utf-16-le")) // 2
            places = [(s["start"], s["end"]) for s in view["spans"] + view["tags"] + view["findings"]]
            assert all(0 <= start <= end <= size for start, end in places)
            assert view["token_count"] <= view["capacity"]
