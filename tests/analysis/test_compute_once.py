"""Each text is parsed and planned once: the linter hands its parse and plan to the analysis, and
the prompt builder's parse serves the linter (animagine_prompt/analysis/_analyze.py,
lint/_engine.py LintRun, presets/_builder.py)."""

from collections import Counter

import pytest

import animagine_prompt.syntax.prompt as prompt_module
import animagine_prompt.tokens._planner as planner_module
from animagine_prompt.analysis import PresetChoice, analyze
from animagine_prompt.lint import Linter, LintSettings
from animagine_prompt.presets import PromptBuilder, bundled_presets
from animagine_prompt.syntax import parse


@pytest.fixture
def counts(monkeypatch):
    """How many times each text was parsed (``parse``) and planned (``plan``)."""
    seen = {"parse": Counter(), "plan": Counter()}
    parse_tree, plan_prepared = prompt_module.parse_tree, planner_module._plan_prepared

    def counting_parse(text, **kw):
        seen["parse"][text] += 1
        return parse_tree(text, **kw)

    def counting_plan(prepared, *args, **kw):
        # every plan, from plan() or plan_many(), is made here from (parsed prompt, fragments)
        for source, _ in prepared:
            seen["plan"][getattr(source, "text", source)] += 1
        return plan_prepared(prepared, *args, **kw)

    monkeypatch.setattr(prompt_module, "parse_tree", counting_parse)
    monkeypatch.setattr(planner_module, "_plan_prepared", counting_plan)
    return seen


@pytest.fixture(scope="module")
def linter():
    linter = Linter()
    linter.lint("1girl")  # load the tag database and the tokenizer first
    return linter


@pytest.mark.parametrize(
    "prompt",
    [
        "1girl, (smile:1.2), gren hair",  # no chunk rule needs the plan: the analysis makes it
        "1girl, " + "very " * 80 + "long tag",  # the chunk rules plan it: the analysis takes that plan
    ],
)
def test_analysis_parses_and_plans_each_text_once(counts, linter, prompt):
    analysis = analyze(prompt, "lowres, blurry", linter=linter)
    assert analysis.prompt.text == prompt
    # at most once each: the linter may keep a text it has seen before (the negative, in the
    # second case); the new prompt exactly once
    for kind in ("parse", "plan"):
        assert counts[kind][prompt] == 1, kind
        assert set(counts[kind]) <= {prompt, "lowres, blurry"}, kind
        assert max(counts[kind].values()) == 1, kind


def test_presets_parse_each_built_text_once(counts, linter):
    choice = PresetChoice(quality="standard", style="anime")
    built = analyze("1girl, masterpiece", "bad hands", presets=choice, linter=linter).built
    assert built is not None
    # No text twice: the written ones once each, the builder's merge once per text (read with a
    # comma at the style template's joints), and the built texts once each.
    assert set(counts["parse"].values()) == {1}
    assert counts["parse"][built.prompt.text] == counts["parse"][built.negative.text] == 1
    assert set(counts["plan"].values()) == {1}


def test_built_texts_the_merge_left_alone_are_not_parsed_again(counts, linter):
    built = analyze("1girl, smile", presets=PresetChoice(quality="standard"), linter=linter).built
    assert built is not None and built.prompt.text == "masterpiece, best quality, 1girl, smile"
    assert counts["parse"] == {
        "1girl, smile": 1,  # as written
        built.prompt.text: 1,  # by the builder, then by nobody
        built.negative.text: 1,
    }


def test_lint_run_hands_out_what_the_rules_saw():
    run = Linter(LintSettings(select=("K",))).run("1girl, " + "very " * 80 + "long tag")
    ctx = run.context("prompt")
    assert run.parsed() is ctx.prompt
    assert run.plan() is ctx.plan  # the plan K001 made, not a second one
    assert [f.code for f in run.findings] == ["K001"]
    with pytest.raises(KeyError):
        run.context("negative_prompt")


def test_a_parsed_prompt_is_linted_as_it_is_in_its_dialect(counts):
    parsed = parse("1girl,, smile")
    assert Linter().run(parsed).parsed() is parsed
    comfy = Linter(LintSettings(dialect="comfy")).run(parsed).parsed()
    assert comfy is not parsed and comfy.dialect.name == "comfy"


def test_the_builder_parses_the_prompt_once(counts):
    library = bundled_presets()
    built = PromptBuilder(presets=library).tags("1girl, smile, masterpiece").quality("heavy").style("anime").build()
    positive = [text for text in counts["parse"] if "1girl" in text]
    assert len(positive) == 1 and counts["parse"][positive[0]] == 1
    assert [t.text for t in built.parsed_prompt.tags()] == [t.text for t in parse(built.prompt).tags()]


def test_the_builders_parse_is_handed_on_when_it_is_the_final_text(counts):
    built = PromptBuilder(presets=bundled_presets()).tags("1girl, smile").quality("standard").build()
    assert built.parsed_prompt.text == built.prompt == "masterpiece, best quality, 1girl, smile"
    assert counts["parse"][built.prompt] == 1  # the builder's, not a second one
    # a style template's joints are read as commas: that parse is not the final text's
    styled = PromptBuilder(presets=bundled_presets()).tags("1girl").style("anime").build()
    assert styled.parsed_prompt.text == styled.prompt
    assert counts["parse"][styled.prompt] == 1


def test_built_parses_match_a_fresh_parse_on_real_prompts(real_prompts):
    library = bundled_presets()
    styles = ["none", "anime", "photographic", "sai-line-art"]
    for i, record in enumerate(real_prompts):
        builder = PromptBuilder(presets=library).tags(record.get("prompt") or "").negative(record.get("negative") or "")
        built = builder.quality(["standard", "heavy", "none"][i % 3]).style(styles[i % 4]).build()
        for parsed, text in ((built.parsed_prompt, built.prompt), (built.parsed_negative, built.negative_prompt)):
            assert parsed.text == text
            fresh = parse(text)
            assert [(t.text, t.span, t.weight) for t in parsed.tags()] == [
                (t.text, t.span, t.weight) for t in fresh.tags()
            ]
