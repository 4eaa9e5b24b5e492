"""Shared test helpers: where the team's shared data lives (beside the repository)."""

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def shared_file(*parts: str) -> Path:
    """A file of ../shared, or skip the test when this checkout has none."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared absent: the team's shared data ({'/'.join(parts[:1])}/) is not beside this checkout")
    return path


def sdxl_factory_module():
    """``tests/encode/_factory.py`` (tiny random SDXL parts), loaded once by path.

    The tests are imported with ``--import-mode=importlib``, so helper modules are not packages.
    """
    import importlib.util
    import sys

    name = "animagine_prompt_tests_sdxl_factory"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "tests" / "encode" / "_factory.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def tiny_sdxl_dir(tmp_path_factory) -> Path:
    """One tiny random SDXL pipeline folder (``save_pretrained`` output) for every torch test of the run.

    Built once per run instead of once per test package. Tests only read it: a test that changes a
    pipeline loads one of its own from here.
    """
    for module in ("torch", "transformers", "diffusers"):
        pytest.importorskip(module)
    return sdxl_factory_module().save_tiny_sdxl_pipeline(tmp_path_factory.mktemp("tiny-sdxl"))


@pytest.fixture(scope="session")
def real_prompts() -> list[dict]:
    """The 231 prompts people wrote (../shared/data/real-prompts.jsonl)."""
    path = shared_file("data", "real-prompts.jsonl")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _hypothesis_profiles() -> None:
    import os

    from hypothesis import settings

    # CI runs the same examples every time: a red build is then reproducible
    settings.register_profile("ci", derandomize=True, print_blob=True)
    if os.environ.get("CI"):
        settings.load_profile("ci")


_hypothesis_profiles()
