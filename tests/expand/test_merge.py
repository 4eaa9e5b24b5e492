"""merge_tags: what a model's proposals may add to a prompt, checked on written cases and real prompts."""

import subprocess
import sys

import pytest

from animagine_prompt.diagnostics import Severity
from animagine_prompt.expand import TagGroups, build_request, group_tags, merge_tags, read_answer
from animagine_prompt.lint import lint
from animagine_prompt.syntax import parse
from animagine_prompt.tags import Category, canonical, load_database


def items(text):
    return [(i.text, round(i.weight, 6)) for i in parse(text).tags()]


def warnings_of(text, negative=None):
    return [(f.code, f.span) for f in lint(text, negative) if f.severity.rank >= Severity.WARNING.rank]


def reasons(expansion):
    return {d.text: d.reason for d in expansion.dropped}


def test_user_tags_keep_text_weight_and_position():
    prompt = "masterpiece, 1girl, (green hair:1.2), [[sweater]], hu tao \\(genshin impact\\), BREAK, night"
    e = merge_tags(prompt, ["long hair", "smile"])
    assert e.prompt.startswith(prompt) and e.original == prompt
    assert items(e.prompt)[: len(items(prompt))] == items(prompt)
    assert items(e.prompt)[len(items(prompt)) :] == [("long hair", 1.0), ("smile", 1.0)]
    assert e.added == ("long hair", "smile")
    assert [e.prompt[a:b] for a, b in e.added_spans] == ["long hair", "smile"]


def test_only_known_general_tags_are_added_the_rest_is_reported():
    proposals = ["long_hair", "zzqx florp", "hu tao (genshin impact)", "genshin impact", "highres", "masterpiece"]
    e = merge_tags("1girl", [*proposals, "blond hair"])
    assert e.added == ("long hair", "blonde hair")  # underscores and aliases come out in prompt form
    assert reasons(e) == {
        "zzqx florp": "unknown",
        "hu tao (genshin impact)": "category",
        "genshin impact": "category",
        "highres": "category",
        "masterpiece": "category",
    }
    db = load_database()
    assert all(db.lookup(t).category == Category.GENERAL for t in e.added)


def test_negative_contradictions_duplicates_and_explicit_tags_are_never_added():
    e = merge_tags(
        "1girl, solo, blonde hair, (smile:1.1), outdoors",
        ["bad hands", "2girls", "indoors", "frown", "blond hair", "smile", "nude", "sky", "sky"],
        negative_prompt="lowres, (bad hands:1.2), worst quality",
    )
    assert e.added == ("sky",)
    assert reasons(e) == {
        "bad hands": "negative",
        "2girls": "contradiction",
        "indoors": "contradiction",
        "frown": "contradiction",
        "blond hair": "duplicate",
        "smile": "duplicate",
        "nude": "explicit",
        "sky": "duplicate",  # proposed twice: the second is a duplicate of the first
    }
    assert len(e.dropped) == len(reasons(e))  # each (tag, reason) reported once


def test_explicit_tags_only_for_an_explicit_prompt():
    assert merge_tags("1girl, nsfw", ["nude"]).added == ("nude",)
    assert merge_tags("1girl", ["nude"], allow_explicit=True).added == ("nude",)
    assert merge_tags("1girl, nsfw", ["nude"], allow_explicit=False).added == ()


def test_limit_and_categories():
    e = merge_tags("1girl", ["long hair", "smile", "sky"], limit=2)
    assert e.added == ("long hair", "smile") and reasons(e) == {"sky": "length"}
    e = merge_tags("1girl", ["hu tao (genshin impact)", "smile"], categories=(Category.GENERAL, Category.CHARACTER))
    assert e.added == (r"hu tao \(genshin impact\)", "smile")


def test_open_brackets_are_closed_before_the_new_tags_or_nothing_is_added():
    e = merge_tags("1girl, (smile, [blush", ["long hair"])
    assert e.prompt == "1girl, (smile, [blush]), long hair"
    assert items(e.prompt)[-1] == ("long hair", 1.0)
    # closing an open schedule would make it a schedule: the user's text would change meaning
    e = merge_tags("1girl, [a:b:5", ["long hair"])
    assert e.prompt == "1girl, [a:b:5" and reasons(e) == {"long hair": "brackets"}


def test_trailing_separators_go_and_an_empty_prompt_gets_the_tags_alone():
    assert merge_tags("1girl, smile , \n", ["sky"]).prompt == "1girl, smile, sky"
    assert merge_tags("", ["sky", "cloud"]).prompt == "sky, cloud"
    assert merge_tags("1girl,", []).prompt == "1girl,"  # nothing added: the text is untouched


def test_tags_the_linter_flags_in_place_are_dropped():
    db = load_database()
    general = [m.prompt_form for m in db.search("hair", limit=300) if m.category == Category.GENERAL]
    # a prompt just under three 75-token chunks: what no longer fits makes it four (K002)
    prompt = "1girl, solo, " + ", ".join(general[:60])
    assert warnings_of(prompt) == [] or all(code != "K002" for code, _ in warnings_of(prompt))
    e = merge_tags(prompt, general[60:120])
    assert any(d.reason == "lint" and d.detail == "(K002)" for d in e.dropped)
    assert not [w for w in warnings_of(e.prompt) if w[0] == "K002"]


def test_a_clean_prompt_stays_lint_clean():
    prompt = "1girl, solo, green hair, sweater, looking at viewer"
    negative = "lowres, bad anatomy, bad hands, worst quality"
    assert warnings_of(prompt, negative) == []
    e = merge_tags(
        prompt,
        ["long hair", "green hair", "bad anatomy", "masterpiece", "upper body", "full body", "smile", "sweater"],
        negative_prompt=negative,
    )
    assert e.added == ("long hair", "upper body", "smile")
    assert warnings_of(e.prompt, negative) == []


def test_real_prompts_keep_their_tags_and_gain_no_findings(real_prompts):
    db = load_database()
    proposals = [
        *(m.prompt_form for m in db.search("eyes", limit=40) if m.category == Category.GENERAL),
        "2girls", "solo", "day", "night", "indoors", "outdoors", "lowres", "worst quality", "bad hands",
        "zzqx", "a sentence that is not a tag", "nude", "masterpiece", "highres",
    ]  # fmt: skip
    for row in real_prompts:
        prompt, negative = row["prompt"], row.get("negative")
        e = merge_tags(prompt, proposals, negative_prompt=negative, limit=10)
        assert items(e.prompt)[: len(items(prompt))] == items(prompt), prompt
        negative_keys = {canonical(i.text) for i in parse(negative).tags()} if negative else set()
        for tag in e.added:
            match = db.lookup(tag)
            assert match.how == "exact" and match.category == Category.GENERAL, (prompt, tag)
            assert match.tag not in negative_keys, (prompt, tag)
        before = set(warnings_of(prompt, negative))
        after = set(warnings_of(e.prompt, negative))
        for code, (start, end) in after - before:
            # whatever the linter reports anew lies in the user's text (a finding whose span
            # ran to the old end of the prompt), never on an added tag
            assert all(not (a < end and start < b) for a, b in e.added_spans), (prompt, code)


def test_group_tags_and_requests():
    groups = group_tags("rating: general, 1girl, hu tao \\(genshin impact\\), genshin impact, highres, smile")
    assert groups == TagGroups(
        general=("1girl", "smile"),
        characters=("hu tao (genshin impact)",),
        copyrights=("genshin impact",),
        meta=("highres",),
        rating=("general",),
    )
    request = build_request(groups, length="very_short", aspect_ratio=0.75)
    assert request.endswith("aspect_ratio: 0.8\ntarget: <|very_short|>\ntag: 1girl, smile")
    assert build_request(TagGroups()).endswith("tag:")
    with pytest.raises(ValueError, match="unknown length"):
        build_request(groups, length="huge")
    assert read_answer(" solo, smile\n long hair\nlong: a girl smiling.") == ["solo", "smile", "long hair"]


def test_expansion_without_a_model_stays_torch_free():
    code = (
        "import sys\nfrom animagine_prompt.expand import merge_tags, LMExpander\n"
        "merge_tags('1girl', ['smile']); LMExpander('x').request('1girl')\n"
        "print(sorted(m for m in ('torch', 'transformers', 'diffusers') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
