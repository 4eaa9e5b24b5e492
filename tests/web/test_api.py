"""The JSON API in prompt-only mode: info, analysis, completion, images, read-png, limits and errors."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from animagine_prompt.analysis import PresetChoice, analyze
from animagine_prompt.lint import Linter, LintSettings
from animagine_prompt.metadata import GenerationRecord, app_metadata_text
from animagine_prompt.metadata._png import _minimal_png
from animagine_prompt.webui import ServerConfig, create_app
from animagine_prompt.webui import _app as app_module

# -- /api/info ------------------------------------------------------------------------------------


def test_info_lists_presets_sizes_samplers_and_says_why_it_does_not_generate(prompt_only):
    info = prompt_only.get("/api/info").json()
    keys = "version generate generate_reason model presets sizes samplers defaults loras limits"
    assert set(info) == set(keys.split())
    assert info["generate"] is False and info["generate_reason"] == "started with --no-generate"
    assert info["model"] is None and info["loras"] == []
    assert {"none", "standard", "heavy"} <= set(info["presets"]["quality"])
    assert {"anime", "photographic"} <= set(info["presets"]["style"])
    assert "standard" in info["presets"]["negative"]
    assert {"name": "tall", "width": 832, "height": 1216} in info["sizes"]
    assert "Euler a" in info["samplers"] and "DPM++ 2M Karras" in info["samplers"]
    assert info["defaults"] == {
        "quality": "none", "style": "none", "size": "square", "sampler": "Euler a", "steps": 50, "guidance": 12.0,
        "hires": False,
    }  # fmt: skip
    assert info["limits"]["prompt_chars"] > 5000 and info["limits"]["body_bytes"] > 4 * info["limits"]["prompt_chars"]


def test_info_lists_the_lora_folder(loras):
    with TestClient(create_app(ServerConfig(generate=False, lora_dir=loras), warm_up=False)) as client:
        assert client.get("/api/info").json()["loras"] == ["detail", "styles/pastel"]


# -- /api/analyze ---------------------------------------------------------------------------------

_LINTER = Linter(LintSettings(), user_presets=False)


def _analyze(client, prompt, negative=None, **presets):
    body = {"prompt": prompt, "negative": negative, "presets": {"quality": None, "style": None, "negative": None}}
    body["presets"].update(presets)
    response = client.post("/api/analyze", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_analyze_is_the_analysis_layer_in_utf16_offsets(prompt_only):
    prompt, negative = "🌙, (smile:1.2), gren hair", "lowres,, blurry"
    got = _analyze(prompt_only, prompt, negative)
    assert got == json.loads(analyze(prompt, negative, linter=_LINTER).to_json(units="utf-16"))
    assert got["units"] == "utf-16" and got["built"] is None
    smile = got["prompt"]["tags"][1]
    assert (smile["text"], smile["text_start"], smile["weight"]) == ("smile", 5, 1.2)  # the moon is 2 UTF-16 units
    assert [f["code"] for f in got["prompt"]["findings"]] == ["T003"]
    assert got["negative"]["findings"][0]["fix"]["edits"] == [{"start": 6, "end": 7, "content": ""}]


def test_a_local_server_refuses_other_host_names():
    config = ServerConfig(generate=False, allowed_hosts=("127.0.0.1", "localhost", "::1"))
    with TestClient(create_app(config, warm_up=False), base_url="http://127.0.0.1:7860") as client:
        assert client.get("/api/info").status_code == 200
        for host in ("localhost:7860", "[::1]:7860", "LOCALHOST"):
            assert client.get("/api/info", headers={"host": host}).status_code == 200
        for host in ("evil.example:7860", "127.0.0.1.evil.example", "", "[::2]:7860"):
            refused = client.get("/api/info", headers={"host": host})
            assert refused.status_code == 400 and "this server answers to" in refused.json()["detail"]


def test_the_schema_documents_every_endpoint(prompt_only):
    schema = prompt_only.get("/openapi.json").json()
    assert set(schema["paths"]) == {
        "/api/info", "/api/analyze", "/api/complete", "/api/generate", "/api/jobs/{job_id}/events",
        "/api/jobs/{job_id}/stop", "/api/images/{name}", "/api/read-png",
    }  # fmt: skip
    assert "items" in schema["components"]["schemas"]["CompleteResponse"]["properties"]


def test_responses_say_how_long_the_server_took(prompt_only):
    timing = prompt_only.post("/api/analyze", json={"prompt": "1girl"}).headers["server-timing"]
    assert timing.startswith("app;dur=") and float(timing.split("=")[1]) >= 0


def test_analyze_builds_with_the_chosen_presets(prompt_only):
    got = _analyze(prompt_only, "1girl, masterpiece", "", quality="standard", style="anime")
    choice = PresetChoice(quality="standard", style="anime")
    expected = analyze("1girl, masterpiece", "", presets=choice, linter=_LINTER)
    assert got["built"]["prompt"]["text"] == expected.built.prompt.text
    assert got["built"]["presets"] == "quality Standard, style Anime"
    assert got["prompt"]["text"] == "1girl, masterpiece"  # offsets stay the editor's
    no_tags = _analyze(prompt_only, "1girl", "", quality="standard", quality_tags=False)
    assert no_tags["built"]["prompt"]["text"] == "1girl"


def test_analyze_every_tenth_real_prompt(prompt_only, real_prompts):
    for row in real_prompts[::10]:
        got = _analyze(prompt_only, row["prompt"], row.get("negative"))
        assert got["prompt"]["text"] == row["prompt"]
        assert sum(c["used"] for c in got["prompt"]["chunks"]) == got["prompt"]["token_count"]


def test_long_prompts_are_analysed_off_the_event_loop_alike(prompt_only, real_prompts):
    from animagine_prompt.webui._prompting import INLINE_CHARS

    text = ", ".join(row["prompt"] for row in real_prompts)[: INLINE_CHARS + 500]
    got = _analyze(prompt_only, text, "lowres")
    assert got == json.loads(analyze(text, "lowres", linter=_LINTER).to_json(units="utf-16"))


def test_analyze_refuses_unknown_presets_and_bad_bodies(prompt_only):
    response = prompt_only.post("/api/analyze", json={"prompt": "1girl", "presets": {"quality": "heavvy"}})
    assert response.status_code == 400 and "unknown quality preset 'heavvy'" in response.json()["detail"]
    for body, where in [
        ({}, "prompt: Field required"),
        ({"prompt": 5}, "prompt: Input should be a valid string"),
        ({"prompt": "a", "negativ": "b"}, "negativ: Extra inputs are not permitted"),
        ({"prompt": "a", "presets": {"quality_tags": "maybe"}}, "presets.quality_tags"),
    ]:
        response = prompt_only.post("/api/analyze", json=body)
        assert response.status_code == 422 and response.json()["detail"].startswith(where), response.text
        assert "\n" not in response.json()["detail"]
    broken = prompt_only.post("/api/analyze", content=b'{"prompt": ', headers={"content-type": "application/json"})
    assert broken.status_code == 422 and "JSON" in broken.json()["detail"]


def test_prompt_length_and_body_size_are_bounded(prompt_only):
    limits = prompt_only.get("/api/info").json()["limits"]
    long = "a" * (limits["prompt_chars"] + 1)
    for body in ({"prompt": long}, {"prompt": "1girl", "negative": long}):
        response = prompt_only.post("/api/analyze", json=body)
        assert response.status_code == 422 and "over the limit of 10,000" in response.json()["detail"]
    huge = prompt_only.post("/api/analyze", json={"prompt": "a" * limits["body_bytes"]})
    assert huge.status_code == 413 and "over the limit" in huge.json()["detail"]


def test_a_body_without_length_is_cut_off_at_the_limit(prompt_only):
    def chunks():
        yield b'{"prompt": "'
        for _ in range(1000):  # 1 MB, over the 256 KiB limit
            yield b"a" * 1000
        yield b'"}'

    response = prompt_only.post("/api/analyze", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413 and "over the limit" in response.json()["detail"]


# -- /api/complete --------------------------------------------------------------------------------


def test_complete_prefix_alias_category_count_and_prompt_form(prompt_only):
    items = prompt_only.get("/api/complete", params={"q": "hu tao", "limit": 3}).json()["items"]
    assert items[0] == {
        "label": "hu tao (genshin impact)",
        "insert": r"hu tao \(genshin impact\)",
        "category": "character",
        "category_id": 4,
        "count": items[0]["count"],
        "alias": None,
    }
    assert items[0]["count"] > 1000 and len(items) == 3
    blond = prompt_only.get("/api/complete", params={"q": "blond h"}).json()["items"]
    assert [(i["label"], i["alias"]) for i in blond] == [("blonde hair", "blond hair")]
    counts = [i["count"] for i in prompt_only.get("/api/complete", params={"q": "green"}).json()["items"]]
    assert counts == sorted(counts, reverse=True) and len(counts) == 10


def test_complete_falls_back_to_near_matches_and_ignores_an_opening_bracket(prompt_only):
    typo = prompt_only.get("/api/complete", params={"q": "gren hai"}).json()["items"]
    assert typo[0]["label"] == "green hair"
    weighted = prompt_only.get("/api/complete", params={"q": "((blonde h"}).json()["items"]
    assert weighted[0]["label"] == "blonde hair"
    assert prompt_only.get("/api/complete", params={"q": ""}).json() == {"items": []}


def test_complete_bounds(prompt_only):
    for params in ({"q": "a", "limit": 0}, {"q": "a", "limit": 51}, {"q": "a" * 201}, {"q": "a", "limit": "x"}):
        response = prompt_only.get("/api/complete", params=params)
        assert response.status_code == 422 and "\n" not in response.json()["detail"]


# -- generation endpoints without generation --------------------------------------------------------


def test_generation_endpoints_answer_503_in_prompt_only_mode(prompt_only):
    response = prompt_only.post("/api/generate", json={"prompt": "1girl"})
    assert response.status_code == 503
    assert response.json()["detail"] == "prompt-only mode: started with --no-generate"
    assert prompt_only.get("/api/jobs/abc/events").status_code == 503
    assert prompt_only.post("/api/jobs/abc/stop").status_code == 503


# -- /api/images -------------------------------------------------------------------------------------

_NAME = "20261202-101010-0123abcd-0-42.png"


@pytest.fixture
def with_images(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / _NAME).write_bytes(_minimal_png({"parameters": "1girl\nSteps: 5, Seed: 42"}))
    (tmp_path / "secret.png").write_bytes(b"TOP-SECRET-BYTES")
    (out / "20261202-101010-0123abcd-1-42.png").symlink_to(tmp_path / "secret.png")
    (out / "notes.txt").write_text("not an image")
    with TestClient(create_app(ServerConfig(generate=False, output=out), warm_up=False)) as client:
        yield client


def test_images_come_from_the_output_folder(with_images):
    response = with_images.get(f"/api/images/{_NAME}")
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    assert response.content.startswith(b"\x89PNG") and response.headers["content-disposition"].startswith("inline")
    download = with_images.get(f"/api/images/{_NAME}", params={"download": 1})
    assert download.headers["content-disposition"] == f'attachment; filename="{_NAME}"'


@pytest.mark.parametrize(
    "name",
    [
        "../secret.png",
        "..%2Fsecret.png",
        "%2e%2e%2fsecret.png",
        "..%5Csecret.png",
        "notes.txt",
        "20261202-101010-0123abcd-1-42.png",  # a link out of the folder
        "20261202-101010-0123abcd-9-42.png",  # no such file
        "%2Fetc%2Fpasswd",
    ],
)
def test_no_traversal_or_other_files(with_images, name):
    response = with_images.get(f"/api/images/{name}")
    assert response.status_code == 404 and b"TOP-SECRET" not in response.content


# -- /api/read-png -------------------------------------------------------------------------------------


def test_read_png_gives_the_prompt_and_settings(prompt_only):
    record = GenerationRecord(
        "1girl, smile", "lowres", width=832, height=1216, steps=28, guidance=7, seed=9, sampler="Euler a",
        hires_upscale=1.5, hires_strength=0.55, hires_method="nearest-exact",
    )  # fmt: skip
    png = _minimal_png({"parameters": record.parameters_text()})
    got = prompt_only.post("/api/read-png", content=png).json()
    assert got["prompt"] == "1girl, smile" and got["negative"] == "lowres"
    assert got["settings"] == {
        "prompt": "1girl, smile", "negative": "lowres",
        "presets": {"quality": "none", "style": "none", "negative": None, "quality_tags": True},
        "size": "832x1216", "sampler": "Euler a", "steps": 28, "guidance": 7.0, "seed": 9, "num_images": 1,
        "hires": True, "loras": [],
    }  # fmt: skip


def test_read_png_of_the_animagine_app(prompt_only):
    app = app_metadata_text({"prompt": "1girl", "negative_prompt": "", "resolution": "896 x 1152", "seed": 3})
    got = prompt_only.post("/api/read-png", content=_minimal_png({"metadata": app})).json()
    assert got["prompt"] == "1girl" and got["settings"]["size"] == "896x1152" and got["settings"]["seed"] == 3


def test_read_png_refuses_what_it_cannot_read(prompt_only):
    for body, words in [
        (b"GIF89a", "not a PNG file"),
        (_minimal_png({"Software": "GIMP"}), "no generation settings in this PNG"),
        (b"", "not a PNG file"),
    ]:
        response = prompt_only.post("/api/read-png", content=body)
        assert response.status_code == 400 and words in response.json()["detail"], response.text


def test_read_png_size_is_bounded():
    with TestClient(create_app(ServerConfig(generate=False, png_bytes=1000), warm_up=False)) as client:
        response = client.post("/api/read-png", content=b"\x89PNG" + b"0" * 2000)
        assert response.status_code == 413 and "PNG is over the limit of 1,000 bytes" in response.json()["detail"]


# -- the page and failures -------------------------------------------------------------------------------


def test_the_page_is_served_when_built_and_a_clear_404_when_not(tmp_path, monkeypatch):
    monkeypatch.setattr(app_module, "STATIC_DIR", tmp_path)
    with TestClient(create_app(ServerConfig(generate=False), warm_up=False)) as client:
        missing = client.get("/")
        assert missing.status_code == 404 and "the page is not built" in missing.json()["detail"]
        (tmp_path / "index.html").write_text("<!doctype html><title>t</title>")
        (tmp_path / "app.js").write_text("console.log(1)")
        assert client.get("/").text.startswith("<!doctype html>")
        assert client.get("/static/app.js").text == "console.log(1)"
        assert client.get("/static/../../etc/passwd").status_code == 404


def test_one_failing_request_does_not_take_the_server_down(monkeypatch):
    app = create_app(ServerConfig(generate=False), warm_up=False)
    with TestClient(app, raise_server_exceptions=False) as client:
        linter = app.state.server.linter
        real_run = linter.run

        def broken(*args, **kwargs):
            raise RuntimeError("boom\nwith a second line")

        monkeypatch.setattr(linter, "run", broken)
        response = client.post("/api/analyze", json={"prompt": "1girl"})
        assert response.status_code == 500
        detail = response.json()["detail"]
        assert "RuntimeError" in detail and "Traceback" not in detail and "\n" not in detail
        monkeypatch.setattr(linter, "run", real_run)
        assert client.post("/api/analyze", json={"prompt": "1girl"}).status_code == 200
