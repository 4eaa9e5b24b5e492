"""Shared fixtures: the bundled database and, when present, tagcomplete's 140k-row CSV."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from animagine_prompt.tags import TagDatabase, load_database

# <repo>/../shared/data: real-scale data for tests, never copied into the repository.
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
DANBOORU_CSV = SHARED / "data" / "tagcomplete-danbooru.csv"
MODEL_CARD = SHARED / "model-card" / "animagine-xl-2.0-README.md"


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    # Merged vocabularies of the tests' tag files go to a folder of their own, not the user's cache.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(scope="session")
def bundled() -> TagDatabase:
    return load_database()


@pytest.fixture(scope="session")
def danbooru() -> TagDatabase:
    if not DANBOORU_CSV.is_file():
        pytest.skip(f"{DANBOORU_CSV} is absent")
    return load_database([DANBOORU_CSV])


@pytest.fixture(params=["bundled", "danbooru"])
def any_db(request: pytest.FixtureRequest) -> TagDatabase:
    return request.getfixturevalue(request.param)
