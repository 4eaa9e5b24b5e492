"""The batch manifest read back: a folder, bad JSON and bad seeds are InputErrors naming the line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from animagine_prompt.batch import BatchRun, Manifest, plan_jobs
from animagine_prompt.errors import InputError


def test_a_manifest_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "manifest.jsonl").mkdir()
    with pytest.raises(InputError, match="the batch manifest is a folder"):
        Manifest(tmp_path / "manifest.jsonl").records()
    with pytest.raises(InputError, match="the batch manifest is a folder"):
        BatchRun(tmp_path, plan_jobs(["1girl"], seeds=[1])).prepare()


@pytest.mark.parametrize("seed", [1.5, "7", -1, 2**64, None, True, [1]])
def test_a_planned_record_needs_a_seed(tmp_path: Path, seed: object) -> None:
    path = tmp_path / "manifest.jsonl"
    records = [{"event": "planned", "key": "a", "seed": 1}, {"event": "planned", "key": "b", "seed": seed}]
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    with pytest.raises(InputError) as info:
        Manifest(path).planned()
    assert info.value.line == 2 and "seed: expected a whole number from 0 to" in info.value.reason


def test_a_resumed_batch_refuses_a_bad_seed_before_making_anything(tmp_path: Path) -> None:
    jobs = plan_jobs(["1girl"], count=1)
    BatchRun(tmp_path, jobs).prepare()
    path = tmp_path / "manifest.jsonl"
    record = json.loads(path.read_text())
    path.write_text(json.dumps({**record, "seed": "12x"}) + "\n")
    with pytest.raises(InputError, match="manifest.jsonl:1: the record's seed"):
        BatchRun(tmp_path, jobs).prepare()


def test_deep_or_huge_lines(tmp_path: Path) -> None:
    path = tmp_path / "manifest.jsonl"
    path.write_text('{"key": "a"}\n' + "[" * 100_000 + "\n")
    with pytest.raises(InputError, match=r"manifest.jsonl:2: .*levels deep"):
        Manifest(path).records()
    path.write_bytes(b'{"key": "a"}\n{"key": "\xff"}\n')
    with pytest.raises(InputError, match=r"manifest.jsonl:2: .*not UTF-8"):
        Manifest(path).records()
