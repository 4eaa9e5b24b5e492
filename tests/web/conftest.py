"""Fixtures for the web app's API tests: an app in prompt-only mode, and one that generates with a
tiny random SDXL pipeline (built from configs, saved and loaded back through ``load``)."""

from __future__ import annotations

import importlib.util
import json
import threading
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from animagine_prompt.webui import ServerConfig, create_app  # noqa: E402

HAS_TORCH = all(importlib.util.find_spec(m) is not None for m in ("torch", "diffusers", "transformers"))


@pytest.fixture(scope="session")
def prompt_only():
    """A client of an app in prompt-only mode (as with ``--no-generate``)."""
    app = create_app(ServerConfig(generate=False, generate_reason="started with --no-generate"), warm_up=False)
    with TestClient(app) as client:
        yield client


@pytest.fixture(scope="session")
def tiny_model(request) -> Path:
    """A tiny random SDXL pipeline folder (``save_pretrained`` output, the run's shared one)."""
    if not HAS_TORCH:
        pytest.skip("generation needs the generate extra (torch, diffusers)")
    return request.getfixturevalue("tiny_sdxl_dir")


@pytest.fixture(scope="session")
def loras(tmp_path_factory) -> Path:
    """A LoRA folder with two (empty) files: enough to be listed and named."""
    folder = tmp_path_factory.mktemp("web-loras")
    (folder / "detail.safetensors").write_bytes(b"")
    (folder / "styles").mkdir()
    (folder / "styles" / "pastel.safetensors").write_bytes(b"")
    return folder


class GatedPipeline:
    """A pipeline whose first sampling step waits until the test says go: the test can act while
    a generation is certainly running (stop it, queue more, send analyses) without sleeping."""

    def __init__(self, pipe) -> None:
        self.pipe = pipe
        self.gate = True
        self.reached = threading.Event()
        self.release = threading.Event()

    def generate(self, *args, callback=None, **kwargs):
        def gated(info):
            if self.gate and info.step == 1 and info.stage == "base":
                self.reached.set()
                assert self.release.wait(60), "the test never released the generation"
            return callback(info)

        return self.pipe.generate(*args, callback=gated, **kwargs)


@pytest.fixture(scope="session")
def tiny_pipe(tiny_model):
    """The tiny model loaded once through ``load`` (generation tests share it; none changes it)."""
    from animagine_prompt.pipeline import load

    pipe = load(str(tiny_model), vae=None, device="cpu", dtype="fp32")
    pipe.pipe.set_progress_bar_config(disable=True)
    return pipe


@pytest.fixture
def generating(tiny_pipe, loras, tmp_path):
    """``(client, gated, loads)``: an app generating with the tiny model into ``tmp_path/out``; its
    pipeline factory counts its calls in ``loads`` and returns ``gated`` (ungated until a test gates it)."""
    loads: list[int] = []
    gated = GatedPipeline(tiny_pipe)
    gated.gate = False

    def factory():
        loads.append(1)
        return gated

    config = ServerConfig(output=tmp_path / "out", lora_dir=loras, pipeline_factory=factory, model="tiny-sdxl")
    with TestClient(create_app(config, warm_up=False)) as client:
        yield client, gated, loads


def events(client, job: str) -> list[tuple[str, dict]]:
    """The job's server-sent events, read to the end of the stream, as ``(event, data)``."""
    out = []
    with client.stream("GET", f"/api/jobs/{job}/events") as response:
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
        name = None
        for line in response.iter_lines():
            if line.startswith("event: "):
                name = line[len("event: ") :]
            elif line.startswith("data: "):
                out.append((name, json.loads(line[len("data: ") :])))
    return out
