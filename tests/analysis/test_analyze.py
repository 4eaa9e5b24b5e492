"""What the faces show about a prompt, apart from how it is drawn (animagine_prompt/analysis/)."""

import pytest

from animagine_prompt.analysis import analyze


def tags_of(text, **kw):
    return [(t.text, round(t.weight, 3), t.category) for t in analyze(text, **kw).prompt.tags]


def test_categories_follow_the_tag_database():
    assert tags_of("masterpiece, 1girl, hu tao \\(genshin impact\\), genshin impact, a girl in the rain") == [
        ("masterpiece", 1.0, "meta"),
        ("1girl", 1.0, "general"),
        ("hu tao (genshin impact)", 1.0, "character"),
        ("genshin impact", 1.0, "copyright"),
        ("a girl in the rain", 1.0, "unknown"),
    ]


def test_a_typo_is_not_coloured_as_the_tag_it_resembles():
    # The linter suggests 'green hair'; the preview must not paint the guess's category on it.
    view = analyze("gren hair").prompt
    assert view.tags[0].category == "unknown"
    assert [n.code for n in view.findings] == ["T003"]


def test_effective_weights_multiply_out():
    assert tags_of("((smile)), [blurry], ((red eyes:1.5))") == [
        ("smile", 1.21, "general"),
        ("blurry", 0.909, "general"),
        ("red eyes", 1.65, "general"),
    ]
    emphasis = [t.emphasis for t in analyze("(a), [b], c").prompt.tags]
    assert emphasis == ["up", "down", "none"]


def test_items_go_to_the_chunk_their_text_starts_in():
    view = analyze("1girl, smile BREAK night sky BREAK BREAK moon").prompt
    assert [(t.text, t.chunk) for t in view.tags] == [("1girl", 0), ("smile", 0), ("night sky", 1), ("moon", 3)]
    assert [(c.used, c.ends) for c in view.chunks] == [(4, "break"), (2, "break"), (0, "break"), (1, "end")]


def test_a_tag_cut_by_a_full_chunk_is_marked():
    text = "1girl, " + "very " * 80 + "long tag"
    view = analyze(text).prompt
    cut = [t for t in view.tags if t.cut]
    assert len(cut) == 1 and cut[0].text.endswith("very long tag")
    assert view.chunks[0].ends == "full" and view.chunks[0].used == 75


def test_comma_back_tracking_is_reported_with_the_tokens_it_moved():
    view = analyze("tag, " * 37 + "last tag").prompt
    first = view.chunks[0]
    assert first.ends == "comma" and first.moved > 0
    assert view.tags[-1].chunk == 1


def test_extra_networks_and_schedule_marks():
    view = analyze("a, <lora:detail:0.6:0.3>, [cat:dog:10], [x|y|z]").prompt
    (network,) = view.networks
    assert (network.kind, network.name, network.weights, network.span) == ("lora", "detail", (0.6, 0.3), (3, 24))
    text = view.text
    assert [(m.role, m.kind, text[m.offset], m.label) for m in view.marks] == [
        ("open", "schedule", "[", ""),
        ("mid", "schedule", "d", ""),
        ("close", "schedule", "]", "10"),
        ("open", "alternate", "[", ""),
        ("mid", "alternate", "y", ""),
        ("mid", "alternate", "z", ""),
        ("close", "alternate", "]", ""),
    ]
    assert [t.text for t in view.tags if t.scheduled] == ["cat", "dog", "x", "y", "z"]
    assert not [t for t in view.tags if t.text == "a"][0].scheduled


def test_and_parts_keep_their_weight_off_the_last_tag():
    view = analyze("1girl, smile AND cat ears :0.5").prompt
    assert [t.text for t in view.tags] == ["1girl", "smile", "cat ears"]
    assert [(c.subprompt, c.subprompt_weight, c.starts_part) for c in view.chunks] == [(0, 1.0, False), (1, 0.5, True)]
    # A1111 reads a trailing ':number' as the weight of the only part too.
    assert analyze("ratio 16:9").prompt.tags[0].text == "ratio 16"
    assert analyze("ratio 16:9 and more").prompt.tags[0].text == "ratio 16:9 and more"


def test_findings_are_numbered_across_prompt_and_negative():
    preview = analyze("1girl,, smile", "lowres,, 1girl")
    assert [(n.number, n.code, n.field) for n in preview.findings] == [
        (1, "S101", "prompt"),
        (2, "S101", "negative_prompt"),
        (3, "T006", "negative_prompt"),
    ]
    assert preview.negative.label == "negative" and preview.prompt.label == "prompt"


def test_empty_prompt_has_one_empty_chunk():
    view = analyze("").prompt
    assert view.tags == () and [c.used for c in view.chunks] == [0] and view.capacity == 75


@pytest.mark.parametrize("dialect", ["comfy", "novelai"])
def test_the_linter_settings_choose_the_dialect(dialect):
    from animagine_prompt.lint import Linter, LintSettings

    linter = Linter(LintSettings(dialect=dialect))
    weights = [round(t.weight, 3) for t in analyze("{a}, [b]", linter=linter).prompt.tags]
    assert weights == ([1.0, 1.0] if dialect == "comfy" else [1.05, 0.952])


def test_real_prompts_analyse_without_error(real_prompts):
    for record in real_prompts:
        prompt = record.get("prompt") or ""
        preview = analyze(prompt, record.get("negative"))
        for view in preview.views:
            assert all(0 <= t.chunk < len(view.chunks) for t in view.tags)
            assert view.token_count <= view.capacity
