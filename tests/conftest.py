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
