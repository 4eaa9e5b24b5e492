"""When the page asks for an analysis: typing waits for a pause, a paste, a drop or a fix does not,
and an answer that an edit has made stale is dropped, never shown.

The page's clock is Playwright's fake one, stopped: a timer (the debounce) fires only when a test
runs the clock, so "sent without waiting" is a fact about the page, not a race against a timeout.
"""

from __future__ import annotations

from datetime import datetime

from playwright.sync_api import expect

from animagine_prompt.analysis import analyze

# three findings between them: an unclosed bracket, an unescaped qualifier, a typo
PASTED = "1girl, (smile, hu tao (genshin impact), gren hair"
TYPED = "1girl, smile"


def _stop_the_clock(page) -> None:
    page.clock.install()
    page.clock.pause_at(datetime(2030, 1, 1))


def _state(page, field: str = "prompt"):
    return page.locator(f"#{field}")


def _shown(page, text: str, field: str = "prompt") -> None:
    """The analysis of ``text`` is shown in ``field``: its text, its findings, ready."""
    findings = len(analyze(text, "").prompt.findings)
    expect(page.locator(f"#{field} .cm-content")).to_have_text(text)
    expect(_state(page, field)).to_have_attribute("data-findings", str(findings))
    expect(_state(page, field)).to_have_attribute("data-state", "ready")


def _paste(page, text: str, field: str = "prompt") -> None:
    page.locator(f"#{field} .cm-content").focus()
    page.evaluate("(text) => navigator.clipboard.writeText(text)", text)
    page.keyboard.press("Control+a")
    page.keyboard.press("Control+v")


def test_typing_waits_for_a_pause_and_a_paste_is_analysed_at_once(page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    _stop_the_clock(page)
    page.locator("#prompt .cm-content").focus()
    page.keyboard.type(TYPED)
    # every key is an edit not yet analysed: nothing is sent until the pause the debounce waits for
    expect(_state(page)).to_have_attribute("data-state", "pending")
    page.clock.run_for(200)
    _shown(page, TYPED)
    # the clock stands still: only an analysis sent without a timer can be shown
    _paste(page, PASTED)
    _shown(page, PASTED)
    assert len(analyze(PASTED, "").prompt.findings) >= 3


def test_a_dropped_text_is_analysed_at_once(page):
    _stop_the_clock(page)
    box = page.locator("#prompt .cm-content").bounding_box()
    assert box is not None
    transfer = page.evaluate_handle(
        "(text) => { const t = new DataTransfer(); t.setData('text/plain', text); return t; }", PASTED
    )
    where = {"clientX": box["x"] + 5, "clientY": box["y"] + 5}
    page.dispatch_event("#prompt .cm-content", "drop", {"dataTransfer": transfer, **where})
    _shown(page, PASTED)


def test_a_quick_fix_is_analysed_at_once(page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    _stop_the_clock(page)
    _paste(page, PASTED)
    _shown(page, PASTED)
    view = analyze(PASTED, "").prompt
    finding = next(f for f in view.findings if f.fix is not None and "genshin" in PASTED[f.span[0] : f.span[1]])
    page.locator("#prompt .cm-lintRange", has_text="genshin").first.hover()
    page.clock.run_for(1000)  # the tooltip opens after a hover delay; nothing else is waiting
    page.locator(".cm-tooltip-lint .cm-diagnosticAction", has_text=finding.fix.title).click()
    _shown(page, finding.fix.apply(PASTED))


def test_an_answer_made_stale_by_an_edit_is_cancelled_and_never_shown(page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    held = []

    def hold_the_paste(route) -> None:  # the paste's answer waits; any other goes through
        if route.request.post_data_json["prompt"] == PASTED:
            held.append(route)
        else:
            route.continue_()

    page.route("**/api/analyze", hold_the_paste)
    _stop_the_clock(page)
    with page.expect_request("**/api/analyze") as sent:
        _paste(page, PASTED)
    assert sent.value.post_data_json["prompt"] == PASTED
    # a key typed while that answer is out: the request is cancelled, its answer could only show an old text
    with page.expect_event("requestfailed") as cancelled:
        page.keyboard.press("End")
        page.keyboard.type("x")
    assert cancelled.value.post_data_json["prompt"] == PASTED
    expect(_state(page)).to_have_attribute("data-state", "pending")
    page.clock.run_for(200)
    _shown(page, PASTED + "x")
    assert len(held) == 1
