"""Generating from the page on the tiny random SDXL pipeline: progress, gallery, download, stop, drops."""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path

from playwright.sync_api import expect

from animagine_prompt.metadata import GenerationRecord, read_generation, set_png_text

# the first job loads the pipeline; on a busy 2-core machine a job can take a while
GENERATION_MS = 180_000
ENDED = re.compile("done|stopped|error")


def ended(page, state: str = "done") -> None:
    """Wait until the job has ended, then check it ended as ``state`` (showing why when not)."""
    progress = page.locator("#progress")
    expect(progress).to_have_attribute("data-state", ENDED, timeout=GENERATION_MS)
    assert progress.get_attribute("data-state") == state, page.locator("#progress-text").inner_text()


def _settle_form(page, *, steps: int, seed: int | None = None, prompt: str = "1girl, smile") -> None:
    page.locator("#prompt .cm-content").click()
    page.keyboard.type(prompt)
    page.keyboard.press("Escape")  # close the completion list the last tag opened
    page.locator("#quality").select_option(label="none")
    page.locator("#style").select_option(label="none")
    # a size of one's own (the listed ones are suggestions): the tiny model's time goes with the pixels
    page.locator("#size").fill("64x64")
    page.locator("#steps").fill(str(steps))
    page.locator("#seed").fill("" if seed is None else str(seed))
    page.locator("#num-images").fill("1")
    expect(page.locator("#prompt")).to_have_attribute("data-state", "ready")


def test_generate_shows_progress_and_the_image_which_downloads_with_its_metadata(gen_page, tmp_path):
    page = gen_page
    _settle_form(page, steps=3, seed=123)
    page.get_by_role("button", name="Generate").click()
    ended(page)
    progress = page.locator("#progress")
    expect(progress).to_have_attribute("data-steps", "3")
    expect(progress).to_have_attribute("data-step", "3")
    item = page.locator("#gallery .gallery-item").first
    image = item.locator("img")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    expect(page.locator("#last-seed")).to_have_text("123")
    with page.expect_download() as info:
        item.locator("a.download").click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    record = read_generation(saved)
    assert (record.prompt, record.seed, record.steps) == ("1girl, smile", 123, 3)


def test_a_random_seed_is_shown_and_can_be_reused(gen_page):
    page = gen_page
    _settle_form(page, steps=1)
    page.get_by_role("button", name="Generate").click()
    ended(page)
    seed = page.locator("#last-seed").inner_text()
    assert seed.isdigit()
    expect(page.locator("#gallery .gallery-item figcaption").first).to_contain_text(f"seed {seed}")
    page.locator("#seed-reuse").click()
    expect(page.locator("#seed")).to_have_value(seed)


def test_send_to_prompt_fills_the_form_from_an_image(gen_page):
    page = gen_page
    _settle_form(page, steps=1, seed=77, prompt="1girl, green hair")
    page.get_by_role("button", name="Generate").click()
    ended(page)
    page.locator("#prompt .cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.type("something else")
    page.locator("#steps").fill("9")
    page.locator("#seed").fill("")
    page.locator("#gallery .gallery-item button.send-to-prompt").first.click()
    expect(page.locator("#prompt .cm-content")).to_have_text("1girl, green hair")
    expect(page.locator("#steps")).to_have_value("1")
    expect(page.locator("#seed")).to_have_value("77")


def test_stop_ends_a_generation_between_steps(gen_page):
    page = gen_page
    _settle_form(page, steps=200, seed=1)
    page.get_by_role("button", name="Generate").click()
    progress = page.locator("#progress")
    expect(progress).to_have_attribute("data-state", "running", timeout=GENERATION_MS)
    page.get_by_role("button", name="Stop").click()
    ended(page, "stopped")
    assert int(progress.get_attribute("data-step") or 0) < 200
    expect(page.get_by_role("button", name="Generate")).to_be_enabled()


def _drop_png(page, png: bytes, name: str = "dropped.png") -> None:
    """Drop a PNG file on the page the way a file manager does (a DataTransfer holding a File)."""
    data = base64.b64encode(png).decode()
    transfer = page.evaluate_handle(
        """([data, name]) => {
            const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, { type: "image/png" }));
            return transfer;
        }""",
        [data, name],
    )
    page.dispatch_event("main", "dragover", {"dataTransfer": transfer})
    page.dispatch_event("main", "drop", {"dataTransfer": transfer})


def _tiny_png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, format="PNG")
    return out.getvalue()


def test_dropping_an_a1111_png_fills_the_form(page):
    record = GenerationRecord(
        "1girl, (green hair:1.2), night",
        "lowres, blurry",
        width=832,
        height=1216,
        steps=31,
        guidance=6.5,
        seed=4242,
        sampler="Euler a",
    )
    png = set_png_text(_tiny_png(), {"parameters": record.parameters_text()})
    _drop_png(page, png)
    expect(page.locator("#drop-status")).to_have_attribute("data-state", "loaded")
    expect(page.locator("#prompt .cm-content")).to_have_text(record.prompt)
    expect(page.locator("#negative .cm-content")).to_have_text(record.negative_prompt)
    expect(page.locator("#steps")).to_have_value("31")
    expect(page.locator("#guidance")).to_have_value("6.5")
    expect(page.locator("#seed")).to_have_value("4242")
    expect(page.locator("#size")).to_have_value("832x1216")
    expect(page.locator("#prompt")).to_have_attribute("data-state", "ready")


def test_dropping_a_png_without_settings_says_so(page):
    _drop_png(page, _tiny_png(), "plain.png")
    status = page.locator("#drop-status")
    expect(status).to_have_attribute("data-state", "error")
    expect(status).to_contain_text("plain.png")


def test_prompt_only_mode_says_how_to_generate(page):
    note = page.locator("#mode-note")
    expect(note).to_be_visible()
    expect(note).to_have_text("Prompt-only mode: install animagine-prompt[generate] to generate")
    expect(page.get_by_role("button", name="Generate")).to_be_disabled()


def test_the_lora_list_inserts_a_network_into_the_prompt(gen_page):
    page = gen_page
    page.locator("#prompt .cm-content").click()
    page.keyboard.type("1girl")
    page.locator("#lora-weight").fill("0.6")
    page.locator("#loras").get_by_role("button", name="detail").click()
    expect(page.locator("#prompt .cm-content")).to_have_text("1girl, <lora:detail:0.6>")
    expect(page.locator("#prompt .cm-ap-network")).to_have_text("<lora:detail:0.6>")


DOCS_IMAGE = Path(__file__).resolve().parents[3] / "docs" / "img" / "webui.png"


def test_screenshot_for_the_docs(gen_page, tmp_path):
    """The page with findings, a quick-fix tooltip and a generated image: written to docs/img/webui.png
    when that is missing or ``ANIMAGINE_PROMPT_SCREENSHOT=1`` asks for a new one (every run draws a
    slightly different picture, and the committed one should change only on purpose)."""
    page = gen_page
    prompt = (
        "masterpiece, best quality, 1girl, hatsune miku, (green hair:1.2), gren eyes, hu tao (genshin impact), "
        "((smile)), [from side:looking at viewer:0.4], night sky BREAK city lights, cityscape"
    )
    _settle_form(page, steps=2, seed=2026, prompt=prompt)
    page.locator("#negative .cm-content").focus()
    page.keyboard.type("lowres,, bad anatomy, bad hands, blurry")
    page.locator("#quality").select_option(label="standard")
    expect(page.locator("#negative")).to_have_attribute("data-state", "ready")
    page.get_by_role("button", name="Generate").click()
    ended(page)
    page.locator("#prompt .cm-lintRange", has_text="gren").last.hover()
    expect(page.locator(".cm-tooltip-lint")).to_be_visible()
    shot = page.screenshot(path=str(tmp_path / "webui.png"))
    assert shot[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("ANIMAGINE_PROMPT_SCREENSHOT") == "1" or not DOCS_IMAGE.exists():
        DOCS_IMAGE.parent.mkdir(exist_ok=True)
        DOCS_IMAGE.write_bytes(shot)
