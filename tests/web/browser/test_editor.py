"""Writing a prompt in the page: squiggles, quick fixes, chunk counter, completion, presets.

Every expectation is the server's own analysis of the same text (``analyze``), so the tests check
that the page shows what the analysis says, not a copy of it.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import expect

from animagine_prompt.analysis import PresetChoice, analyze
from animagine_prompt.lint import Applicability
from animagine_prompt.lint._fix import apply_fixes


def type_into(page, field: str, text: str) -> None:
    """Focus the editor ``field`` (``prompt`` or ``negative``) and type ``text`` key by key.

    Focus, not a click: the other editor's completion list may lie over this one, as it would for a
    user, who would press Tab or Escape first."""
    page.locator(f"#{field} .cm-content").focus()
    page.keyboard.type(text)


def editor_text(page, field: str):
    return page.locator(f"#{field} .cm-content")


def settled(page, field: str, findings: int) -> None:
    """Wait until the analysis of the editor's current text is shown, with ``findings`` findings."""
    editor = page.locator(f"#{field}")
    expect(editor).to_have_attribute("data-findings", str(findings))
    expect(editor).to_have_attribute("data-state", "ready")


def test_findings_show_as_squiggles_with_their_code_and_message(page):
    prompt = "1girl, (night:1.2.3), (smile, hu tao (genshin impact), gren hair"
    findings = analyze(prompt, "").to_dict(units="utf-16")["prompt"]["findings"]
    assert {"error", "warning"} <= {f["severity"] for f in findings}, "the example should show both kinds"
    type_into(page, "prompt", prompt)
    settled(page, "prompt", len(findings))
    for severity in {f["severity"] for f in findings}:
        expect(page.locator(f"#prompt .cm-lintRange-{severity}").first).to_be_visible()
    listed = page.locator("#findings li")
    expect(listed).to_have_count(len(findings))
    for item, finding in zip(listed.all(), findings, strict=True):
        expect(item).to_contain_text(f"{finding['code']} {finding['message']}")
    # the typo's squiggle explains itself on hover
    typo = next(f for f in findings if prompt[f["start"] : f["end"]] == "gren hair")
    page.locator("#prompt .cm-lintRange", has_text="gren").last.hover()
    expect(page.locator(".cm-tooltip-lint")).to_contain_text(f"{typo['code']}: {typo['message']}")


def test_a_quick_fix_from_the_squiggle_edits_the_text(page):
    prompt = "1girl, hu tao (genshin impact), smile"
    view = analyze(prompt, "").prompt
    finding = next(f for f in view.findings if f.fix is not None and "genshin" in prompt[f.span[0] : f.span[1]])
    fixed = finding.fix.apply(prompt)
    type_into(page, "prompt", prompt)
    settled(page, "prompt", len(view.findings))
    page.locator("#prompt .cm-lintRange", has_text="genshin").first.hover()
    page.locator(".cm-tooltip-lint .cm-diagnosticAction", has_text=finding.fix.title).click()
    expect(editor_text(page, "prompt")).to_have_text(fixed)
    settled(page, "prompt", len(analyze(fixed, "").prompt.findings))


def test_apply_all_safe_fixes_fixes_both_editors_like_lint_fix(page):
    prompt, negative = "1girl,, solo,, smile", "lowres,,  blurry,"
    analysis = analyze(prompt, negative)
    type_into(page, "prompt", prompt)
    type_into(page, "negative", negative)
    settled(page, "negative", len(analysis.negative.findings))
    settled(page, "prompt", len(analysis.prompt.findings))
    page.get_by_role("button", name="Apply all safe fixes").click()
    for field, view in (("prompt", analysis.prompt), ("negative", analysis.negative)):
        safe = [f.fix for f in view.findings if f.fix and f.fix.applicability is Applicability.SAFE]
        assert safe, f"the {field} example should have safe fixes"
        expected, _ = apply_fixes(view.text, safe)
        expect(editor_text(page, field)).to_have_text(expected)


def _tags_filling_one_chunk() -> tuple[str, str]:
    """The longest run of these tags that fits one 75-token chunk, and the next tag."""
    tags = (
        "1girl, solo, long hair, looking at viewer, smile, blush, open mouth, blue eyes, brown hair, shirt, "
        "long sleeves, dress, holding, jewelry, standing, flower, outdoors, sky, day, cloud, hair ornament, "
        "white dress, bare shoulders, hat, sunlight, tree, blue sky, grass, petals, wind, light particles, "
        "cherry blossoms, depth of field, upper body, from side, hand up, closed mouth, bangs"
    ).split(", ")
    for n in range(1, len(tags)):
        if len(analyze(", ".join(tags[: n + 1])).prompt.chunks) > 1:
            return ", ".join(tags[:n]), tags[n]
    raise AssertionError("the tags fit one chunk")


def test_the_chunk_counter_changes_at_75_tokens(page):
    one, extra = _tags_filling_one_chunk()
    counter = page.locator("#prompt-chunks")
    before = analyze(one).prompt
    page.locator("#prompt .cm-content").click()
    page.keyboard.insert_text(one)
    expect(counter).to_have_text(" · ".join(f"{c.used}/{c.length}" for c in before.chunks))
    expect(counter).to_have_attribute("data-chunks", "1")
    page.keyboard.type(f", {extra}")
    after = analyze(f"{one}, {extra}").prompt
    expect(counter).to_have_attribute("data-chunks", "2")
    expect(counter).to_have_text(" · ".join(f"{c.used}/{c.length}" for c in after.chunks))
    # the second chunk's start is marked in the text
    expect(page.locator("#prompt .cm-ap-chunk-boundary")).to_have_count(1)


def test_a_boundary_that_cuts_a_tag_is_marked_and_explained(page):
    prompt = "1girl, " + " ".join(["long flowing silver hair"] * 20)
    view = analyze(prompt).prompt
    (cut,) = [c for c in view.chunks if c.cut]
    page.locator("#prompt .cm-content").focus()
    page.keyboard.insert_text(prompt)
    settled(page, "prompt", len(view.findings))
    note = page.locator("#prompt-cut")
    expect(note).to_be_visible()
    expect(note).to_contain_text(f"chunk {cut.index + 1} ends inside “long flowing silver hair")
    expect(page.locator("#prompt .cm-ap-cut").first).to_be_visible()
    assert any(f.code.startswith("K") for f in view.findings), "the linter reports the cut too"


def test_completion_inserts_the_tag_in_prompt_form(page):
    url = page.url.rstrip("/") + "/api/complete?" + urllib.parse.urlencode({"q": "blond", "limit": 20})
    with urllib.request.urlopen(url) as response:
        items = json.load(response)["items"]
    item = next(i for i in items if i["insert"] == "blonde hair")
    label = f"{item['alias']} → {item['label']}" if item["alias"] else item["label"]
    type_into(page, "prompt", "blond")
    option = page.locator(".cm-tooltip-autocomplete li", has_text=label).first
    expect(option).to_be_visible()
    expect(option).to_have_class(f"cm-ap-cat-{item['category']}")
    option.click()
    expect(editor_text(page, "prompt")).to_have_text("blonde hair")


def test_presets_show_the_built_prompt(page):
    prompt, negative = "1girl, green hair, night", "lowres"
    type_into(page, "prompt", prompt)
    type_into(page, "negative", negative)
    quality = page.locator("#quality")
    names = [v for v in quality.locator("option").evaluate_all("os => os.map(o => o.value)") if v]
    assert names, "the server lists quality presets"
    for name in names[:2]:
        quality.select_option(name)
        style = page.locator("#style").input_value() or None
        negative_preset = page.locator("#negative-preset").input_value() or None
        choice = PresetChoice(quality=name, style=style, negative=negative_preset)
        built = analyze(prompt, negative, presets=choice).built
        assert built is not None
        expect(page.locator("#built-prompt")).to_have_text(built.prompt.text)
        expect(page.locator("#built-negative")).to_have_text(built.negative.text)


@pytest.mark.parametrize("field", ["prompt", "negative"])
def test_highlighting_colours_tags_by_category_and_shows_weights(page, field):
    text = "(1girl:1.3), hatsune miku, ((smile)), <lora:detail:0.5> BREAK night"
    both = analyze(text, "") if field == "prompt" else analyze("", text)
    view = both.prompt if field == "prompt" else both.negative
    type_into(page, field, text)
    settled(page, field, len(view.findings))
    for tag in view.tags:
        expect(page.locator(f"#{field} .cm-ap-cat-{tag.category}", has_text=tag.text).first).to_be_visible()
    expect(page.locator(f"#{field} .cm-ap-weight[data-weight='×1.3']")).to_be_visible()
    expect(page.locator(f"#{field} .cm-ap-weight[data-weight='×1.21']")).to_be_visible()
    # the badges are drawn beside the text, not into it
    expect(page.locator(f"#{field} .cm-content")).to_have_text(text)
    expect(page.locator(f"#{field} .cm-ap-network")).to_have_text("<lora:detail:0.5>")
    expect(page.locator(f"#{field} .cm-ap-break")).to_have_text("BREAK")
