"""Fixtures for the expansion tests: a tiny random Llama model and tokenizer saved to a folder."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest


def load_tiny_lm_factory():
    """``tests/expand/_tiny_lm.py``, loaded by path (tests use --import-mode=importlib)."""
    name = "animagine_prompt_tests_tiny_lm"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("_tiny_lm.py"))
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="session")
def tiny_lm_dir(tmp_path_factory) -> Path:
    """A folder with a tiny random ``LlamaForCausalLM`` and its word-level tokenizer."""
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    return load_tiny_lm_factory().tiny_lm(tmp_path_factory.mktemp("tiny-lm"))


@pytest.fixture(scope="session")
def tiny_expander(tiny_lm_dir):
    """An ``LMExpander`` on the tiny model (CPU, short answers), loaded once."""
    from animagine_prompt.expand import LMExpander

    return LMExpander(str(tiny_lm_dir), device="cpu", max_new_tokens=24).load()
