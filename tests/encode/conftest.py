"""Fixtures for the torch tests: tiny random SDXL parts built from configs (see ``_factory.py``)."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from tests.conftest import sdxl_factory_module

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("diffusers")


_factory = sdxl_factory_module()


@pytest.fixture(scope="session")
def sdxl_factory():
    """The ``_factory`` module: random SDXL components from configs."""
    return _factory


@pytest.fixture(scope="session")
def tiny_pipe(tiny_sdxl_dir):
    """A tiny random ``StableDiffusionXLPipeline`` loaded through ``from_pretrained`` (shared: do not modify)."""
    from diffusers import StableDiffusionXLPipeline

    return StableDiffusionXLPipeline.from_pretrained(tiny_sdxl_dir)


@pytest.fixture
def encoder(tiny_pipe):
    """A ``PromptEncoder`` over ``tiny_pipe`` with a cache of its own."""
    from animagine_prompt.encode import ChunkCache, PromptEncoder

    return PromptEncoder.from_pipeline(tiny_pipe, cache=ChunkCache())


class ForwardLog:
    """Records every forward call of the watched modules: ``calls[name]`` is a list of input shapes."""

    def __init__(self) -> None:
        self.calls: dict[str, list[tuple[int, ...]]] = {}

    def count(self, name: str) -> int:
        return len(self.calls.get(name, []))


@contextmanager
def watch_forwards(**modules):
    """Count forward calls of ``modules`` (name=module) while the block runs."""
    log = ForwardLog()
    handles = []
    for name, module in modules.items():
        log.calls[name] = []

        def hook(_module, args, kwargs, name=name):
            ids = kwargs.get("input_ids", args[0] if args else None)
            log.calls[name].append(tuple(ids.shape))

        handles.append(module.register_forward_pre_hook(hook, with_kwargs=True))
    try:
        yield log
    finally:
        for handle in handles:
            handle.remove()


@pytest.fixture
def forward_watch():
    """``watch_forwards`` as a fixture: ``with forward_watch(te=pipe.text_encoder) as log: ...``."""
    return watch_forwards
