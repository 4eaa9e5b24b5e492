"""Fixtures for the web app's API tests: an app in prompt-only mode, and one that generates with a
tiny random SDXL pipeline (built from configs, saved and loaded back through ``load``)."""

from __future__ import annotations

import importlib.util
import sys
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


def _factory_module():
    name = "animagine_prompt_tests_sdxl_factory"
    if name in sys.modules:
        return sys.modules[name]
    path = Path(__file__).resolve().parents[1] / "encode" / "_factory.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    """A tiny random SDXL pipeline folder (``save_pretrained`` output)."""
    if not HAS_TORCH:
        pytest.skip("generation needs the generate extra (torch, diffusers)")
    folder = tmp_path_factory.mktemp("web-tiny-sdxl")
    _factory_module().tiny_sdxl_pipeline(folder)
    return folder / "pipeline"


@pytest.fixture(scope="session")
def loras(tmp_path_factory) -> Path:
    """A LoRA folder with two (empty) files: enough to be listed and named."""
    folder = tmp_path_factory.mktemp("web-loras")
    (folder / "detail.safetensors").write_bytes(b"")
    (folder / "styles").mkdir()
    (folder / "styles" / "pastel.safetensors").write_bytes(b"")
    return folder


def tiny_loader(model: Path, calls: list | None = None):
    """A pipeline factory for ``ServerConfig``: the tiny model through ``load``, counting calls."""

    def load_tiny():
        from animagine_prompt.pipeline import load

        if calls is not None:
            calls.append(1)
        pipe = load(str(model), vae=None, device="cpu", dtype="fp32")
        pipe.pipe.set_progress_bar_config(disable=True)
        return pipe

    return load_tiny


@pytest.fixture
def generating(tiny_model, loras, tmp_path):
    """``(client, config, load_calls)`` of an app that generates with the tiny model into ``tmp_path/out``."""
    calls: list = []
    config = ServerConfig(
        output=tmp_path / "out", lora_dir=loras, pipeline_factory=tiny_loader(tiny_model, calls), model="tiny-sdxl"
    )
    with TestClient(create_app(config, warm_up=False)) as client:
        yield client, config, calls
