"""User tag files merged over the bundled vocabulary, and the merge kept on disk between runs."""

from __future__ import annotations

import os
from pathlib import Path

from animagine_prompt.tags._bundled import bundled_vocabulary
from animagine_prompt.tags._merge import merged_vocabulary


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_the_merge_is_kept_and_read_back(tmp_path: Path) -> None:
    mine = _write(tmp_path / "mine.csv", 'my_oc_(original),4,7,"my_oc"\nsolo,0,1,\n')
    cache = tmp_path / "cache"
    cache.mkdir()
    first = merged_vocabulary([mine], folder=cache)
    (kept,) = cache.glob("tags-*.bin")
    second = merged_vocabulary([mine], folder=cache)
    assert second is not first and list(second.names) == list(first.names)
    i = second.find("my_oc_(original)")
    assert i is not None and second.categories[i] == 4 and second.alias_targets("my_oc") == (i,)
    assert second.counts[second.find("solo")] == 1  # the user's count wins
    assert list(second.by_first) == list(first.by_first)  # the typo index is read back, not rebuilt
    # a changed file is merged again, under another name
    _write(mine, "my_oc_(original),4,8,\n")
    os.utime(mine, ns=(1, 1))
    third = merged_vocabulary([mine], folder=cache)
    assert third.counts[third.find("my_oc_(original)")] == 8
    assert len(list(cache.glob("tags-*.bin"))) == 2 and kept.exists()


def test_a_file_that_changes_nothing_gives_the_bundled_vocabulary(tmp_path: Path) -> None:
    same = _write(tmp_path / "same.csv", '1girl,0,6008644,"1girls"\n')
    cache = tmp_path / "cache"
    cache.mkdir()
    assert merged_vocabulary([same], folder=cache) is bundled_vocabulary()
    assert not list(cache.iterdir())


def test_only_a_few_merges_are_kept(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    for n in range(5):
        merged_vocabulary([_write(tmp_path / f"m{n}.txt", f"tag_number_{n}\n")], folder=cache)
    assert len(list(cache.glob("tags-*.bin"))) == 4


def test_a_damaged_cache_entry_is_merged_again(tmp_path: Path) -> None:
    mine = _write(tmp_path / "mine.txt", "my_own_tag\n")
    cache = tmp_path / "cache"
    cache.mkdir()
    merged_vocabulary([mine], folder=cache)
    (kept,) = cache.glob("tags-*.bin")
    kept.write_bytes(b"garbage")
    assert merged_vocabulary([mine], folder=cache).find("my_own_tag") is not None
    assert kept.read_bytes().startswith(b"animagine-tags")
