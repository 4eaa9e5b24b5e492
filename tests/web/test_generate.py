"""Generation through the API on a tiny random SDXL pipeline: events, images, stop, queue, failures."""

from __future__ import annotations

import io
import threading

import numpy as np
import pytest

from animagine_prompt.metadata import read_png_text, record_from_texts

from .conftest import events

SMALL = {"size": "64x64", "steps": 3}


def _generate(client, **body):
    response = client.post("/api/generate", json={"prompt": "1girl, smile", **SMALL, **body})
    assert response.status_code == 202, response.text
    return response.json()


def _pixels(png: bytes):
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def test_progress_previews_and_images_as_a_plain_generate_makes_them(generating, tiny_pipe, tmp_path):
    client, _, loads = generating
    started = _generate(client, seed=5, num_images=2, negative="lowres", presets={"quality": "standard"})
    assert started["seed"] == 5
    got = events(client, started["job"])
    names = [name for name, _ in got]
    assert names[0] == "queued" and got[0][1] == {"position": 0}
    assert names[-3:] == ["image", "image", "done"]
    steps = [data for name, data in got if name == "progress" and data["stage"] == "base"]
    assert [(p["step"], p["steps"]) for p in steps] == [(1, 3), (2, 3), (3, 3)]
    assert steps[0]["preview"].startswith("data:image/jpeg;base64,")
    images = [data for name, data in got if name == "image"]
    assert [(i["index"], i["seed"]) for i in images] == [(0, 5), (1, 6)]
    assert images[1]["settings"]["seed"] == 6 and images[1]["settings"]["size"] == "64x64"

    plain = tiny_pipe.generate(
        "1girl, smile", "lowres", quality="standard", size=(64, 64), steps=3, seed=5, num_images=2
    )
    for image, expected in zip(images, plain.images, strict=True):
        png = client.get(image["url"]).content
        assert np.array_equal(_pixels(png), np.asarray(expected))
        record = record_from_texts(read_png_text(png))
        assert (record.prompt, record.seed, record.steps, record.model) == (
            plain.prompt.prompt,
            image["seed"],
            3,
            "tiny-sdxl",
        )
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(i["url"].rsplit("/", 1)[1] for i in images)
    assert loads == [1]


def test_hires_reports_both_passes_with_a_preview_each(generating):
    client, _, _ = generating
    got = events(client, _generate(client, hires=True, seed=2)["job"])
    stages = [d["stage"] for n, d in got if n == "progress"]
    assert stages[:4] == ["loading", "base", "base", "base"] and "hires" in stages
    first_hires = next(d for n, d in got if n == "progress" and d["stage"] == "hires")
    assert first_hires["preview"].startswith("data:image/jpeg")
    image = next(d for n, d in got if n == "image")
    assert _pixels(client.get(image["url"]).content).shape == (96, 96, 3) and image["settings"]["hires"] is True


def test_the_model_is_loaded_by_the_first_job_only(generating):
    client, _, loads = generating
    client.post("/api/analyze", json={"prompt": "1girl"})
    assert loads == []
    for _ in range(2):
        assert events(client, _generate(client)["job"])[-1][0] == "done"
    assert loads == [1]


def test_a_random_seed_is_chosen_returned_and_used(generating):
    client, _, _ = generating
    started = _generate(client, seed=None, negative=None)
    image = next(data for name, data in events(client, started["job"]) if name == "image")
    assert image["seed"] == started["seed"] == image["settings"]["seed"] and image["settings"]["negative"] == ""


def test_an_image_sent_back_makes_the_same_image(generating):
    client, _, _ = generating
    first = _generate(client, seed=11, presets={"quality": "light", "style": "anime"}, negative="blurry")
    image = next(data for name, data in events(client, first["job"]) if name == "image")
    png = client.get(image["url"]).content
    # the settings of the image event, and those the PNG carries, each make it again
    again = _generate(client, **{**image["settings"], "num_images": 1})
    dropped = client.post("/api/read-png", content=png).json()["settings"]
    remade = _generate(client, **dropped)
    for job in (again["job"], remade["job"]):
        url = next(data for name, data in events(client, job) if name == "image")["url"]
        assert np.array_equal(_pixels(client.get(url).content), _pixels(png))


def test_stop_ends_a_running_job_and_saves_nothing(generating, tmp_path):
    client, gated, _ = generating
    gated.gate = True
    job = _generate(client, steps=20)["job"]
    assert gated.reached.wait(120)
    assert client.post(f"/api/jobs/{job}/stop").json() == {"stopping": True}
    gated.release.set()
    got = events(client, job)
    assert got[-1] == ("stopped", {})
    assert max(d["step"] for n, d in got if n == "progress") < 20
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
    assert events(client, _generate(client)["job"])[-1][0] == "done"  # the worker goes on


def test_the_queue_waits_and_a_waiting_job_can_be_stopped(generating):
    client, gated, _ = generating
    gated.gate = True
    first = _generate(client)["job"]
    assert gated.reached.wait(120)
    second, third = _generate(client)["job"], _generate(client)["job"]
    client.post(f"/api/jobs/{second}/stop")
    assert events(client, second) == [("queued", {"position": 1}), ("stopped", {})]
    gated.release.set()
    assert events(client, first)[-1][0] == "done"
    third_events = events(client, third)
    assert third_events[0] == ("queued", {"position": 2}) and ("queued", {"position": 1}) in third_events
    assert third_events[-1][0] == "done"


def test_analysis_is_answered_while_an_image_is_being_made(generating, real_prompts):
    client, gated, _ = generating
    gated.gate = True
    job = _generate(client)["job"]
    assert gated.reached.wait(120)  # the worker is inside a sampling step, and stays there
    rows = real_prompts[:24]
    results: list = [None] * len(rows)

    def send(i: int) -> None:
        results[i] = client.post("/api/analyze", json={"prompt": rows[i]["prompt"], "negative": rows[i]["negative"]})

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(rows))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert [r.status_code for r in results] == [200] * len(rows)
    assert [r.json()["prompt"]["text"] for r in results] == [row["prompt"] for row in rows]
    assert not gated.release.is_set()  # all answered while the job was still running
    gated.release.set()
    assert events(client, job)[-1][0] == "done"


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"size": "65x64"}, 400, "65x64"),
        ({"size": "huge"}, 400, "huge"),
        ({"sampler": "Euler b"}, 400, "unknown sampler preset 'Euler b'"),
        ({"steps": 0}, 400, "steps: expected a whole number from 1 to 1000, got 0"),
        ({"guidance": 1000}, 400, "guidance"),
        ({"seed": -1}, 400, "seed"),
        ({"num_images": 9}, 422, "num_images must be 1 to 8"),
        ({"presets": {"style": "animu"}}, 400, "unknown style preset 'animu'"),
        ({"loras": [{"name": "../detail", "weight": 1}]}, 400, "unknown LoRA '../detail'"),
        ({"loras": [{"name": "detail", "weight": 100}]}, 422, "loras.0.weight"),
        ({"prompt": "a" * 10_001}, 422, "prompt is 10,001 characters long"),
    ],
)
def test_bad_requests_are_refused_before_anything_is_queued(generating, body, status, words):
    client, _, loads = generating
    response = client.post("/api/generate", json={"prompt": "1girl", **SMALL, **body})
    assert response.status_code == status and words in response.json()["detail"], response.text
    assert loads == []


def test_a_failing_job_ends_with_an_error_and_the_next_one_runs(generating):
    client, _, _ = generating
    escaping = _generate(client, prompt="1girl, <lora:../../outside:1>")
    last = events(client, escaping["job"])[-1]
    assert last[0] == "error" and "outside" in last[1]["message"] and "Traceback" not in last[1]["message"]
    assert events(client, _generate(client)["job"])[-1][0] == "done"


def test_a_model_that_fails_to_load_is_an_error_event_and_loading_is_tried_again(tiny_pipe, tmp_path):
    from fastapi.testclient import TestClient

    from animagine_prompt.errors import ModelNotFoundError
    from animagine_prompt.webui import ServerConfig, create_app

    tries: list[int] = []

    def factory():
        tries.append(1)
        if len(tries) == 1:
            raise ModelNotFoundError("model nowhere could not be loaded: check the name")
        return tiny_pipe

    config = ServerConfig(output=tmp_path, pipeline_factory=factory)
    with TestClient(create_app(config, warm_up=False)) as client:
        first = events(client, _generate(client)["job"])
        assert first[-1] == ("error", {"message": "model nowhere could not be loaded: check the name"})
        assert ("progress", {"step": 0, "steps": 3, "stage": "loading", "preview": None}) in first
        assert events(client, _generate(client)["job"])[-1][0] == "done"
    assert tries == [1, 1]


def test_a_reconnecting_event_source_gets_only_what_followed(generating):
    client, _, _ = generating
    job = _generate(client)["job"]
    everything = events(client, job)
    response = client.get(f"/api/jobs/{job}/events")
    ids = [int(line[4:]) for line in response.text.splitlines() if line.startswith("id: ")]
    assert ids == list(range(len(everything)))
    rest = client.get(f"/api/jobs/{job}/events", headers={"last-event-id": "1"})
    assert rest.text.startswith("id: 2\n") and rest.text.count("event: ") == len(everything) - 2
    # all sent and the job over: 204 tells EventSource to stop reconnecting
    ended = client.get(f"/api/jobs/{job}/events", headers={"last-event-id": str(len(everything) - 1)})
    assert ended.status_code == 204


def test_unknown_jobs_are_404(generating):
    client, _, _ = generating
    assert client.get("/api/jobs/nope/events").status_code == 404
    assert "no job 'nope'" in client.post("/api/jobs/nope/stop").json()["detail"]
