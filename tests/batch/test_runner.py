"""Running a batch: manifest, resume, recovery after kills, and shares for several processes (no model)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from animagine_prompt.batch import BatchRun, Manifest, Processes, plan_jobs, shard, write_atomic
from animagine_prompt.errors import InputError
from animagine_prompt.metadata import read_png_text, set_png_text, verify_png
from animagine_prompt.metadata._png import _minimal_png

REPO = Path(__file__).resolve().parents[2]


def fake_png(job) -> bytes:
    return set_png_text(_minimal_png({}), {"parameters": f"{job.prompt}\nSteps: 1, Seed: {job.seed}, CFG scale: 1"})


def run_all(folder, jobs, processes=None):
    batch = BatchRun(folder, jobs, processes)
    share = batch.prepare()
    for job in share.jobs:
        batch.record(job, fake_png(job))
    return batch, share


def test_batch_writes_every_image_and_a_manifest(tmp_path):
    jobs = plan_jobs(["1girl", "1boy"], seeds=[1, 2, 3])
    batch, share = run_all(tmp_path, jobs)
    assert (share.planned, share.finished, share.pending) == (6, 0, 6)
    files = sorted(p.name for p in tmp_path.glob("*.png"))
    assert files == sorted(j.file_name for j in jobs)
    records = Manifest(tmp_path / "manifest.jsonl").records()
    assert [r["event"] for r in records] == ["planned"] * 6 + ["done"] * 6
    assert batch.finished_files() == [tmp_path / j.file_name for j in jobs]
    for job in jobs:
        assert read_png_text((tmp_path / job.file_name).read_bytes())["parameters"].startswith(job.prompt)


def test_rerun_skips_everything_and_writes_nothing(tmp_path):
    jobs = plan_jobs(["a"], seeds=[1, 2])
    run_all(tmp_path, jobs)
    before = (tmp_path / "manifest.jsonl").read_bytes()
    _, share = run_all(tmp_path, jobs)
    assert (share.jobs, share.finished) == ((), 2)
    assert (tmp_path / "manifest.jsonl").read_bytes() == before


def test_random_seeds_are_drawn_once_and_kept_on_resume(tmp_path):
    jobs = plan_jobs(["a"], count=3)
    batch = BatchRun(tmp_path, jobs)
    share = batch.prepare(rng=random.Random(1))
    seeds = [j.seed for j in share.jobs]
    assert None not in seeds
    batch.record(share.jobs[0], fake_png(share.jobs[0]))
    again = BatchRun(tmp_path, jobs).prepare(rng=random.Random(2))
    assert [j.seed for j in again.jobs] == seeds[1:]


def test_deleted_image_is_made_again_and_a_changed_one_too(tmp_path):
    jobs = plan_jobs(["a"], seeds=[1, 2, 3])
    run_all(tmp_path, jobs)
    (tmp_path / jobs[0].file_name).unlink()
    (tmp_path / jobs[1].file_name).write_bytes(b"not the image we wrote")
    _, share = run_all(tmp_path, jobs)
    assert [j.seed for j in share.jobs] == [1, 2]
    for job in jobs:
        verify_png((tmp_path / job.file_name).read_bytes())


def test_kill_between_rename_and_record_is_recovered(tmp_path):
    jobs = plan_jobs(["a"], seeds=[1, 2])
    batch = BatchRun(tmp_path, jobs)
    share = batch.prepare()
    write_atomic(tmp_path / share.jobs[0].file_name, fake_png(share.jobs[0]))  # no record: killed right here
    again = BatchRun(tmp_path, jobs).prepare()
    assert [j.seed for j in again.jobs] == [2]
    done = Manifest(tmp_path / "manifest.jsonl").done()
    assert done[jobs[0].key]["recovered"] is True


def test_cut_off_manifest_line_and_temp_files_are_cleaned(tmp_path):
    jobs = plan_jobs(["a"], seeds=[1, 2])
    run_all(tmp_path, jobs[:1])
    with open(tmp_path / "manifest.jsonl", "ab") as handle:
        handle.write(b'{"event": "done", "key": "')
    (tmp_path / f".{jobs[1].file_name}.999.partial").write_bytes(b"half an image")
    _, share = run_all(tmp_path, jobs)
    assert [j.seed for j in share.jobs] == [2]
    assert not list(tmp_path.glob(".*.partial"))
    assert all(json.loads(line) for line in (tmp_path / "manifest.jsonl").read_text().splitlines())


def test_corrupt_manifest_line_in_the_middle_is_an_input_error(tmp_path):
    (tmp_path / "manifest.jsonl").write_text('{"key": "a", "event": "done"}\nnot json\n{"key": "b"}\n')
    with pytest.raises(InputError, match=r"manifest.jsonl:2: .*not JSON"):
        BatchRun(tmp_path, plan_jobs(["a"], seeds=[1])).prepare()


def test_output_path_that_is_a_file(tmp_path):
    (tmp_path / "out").write_text("x")
    with pytest.raises(InputError, match="is a file"):
        BatchRun(tmp_path / "out", plan_jobs(["a"], seeds=[1])).prepare()


def test_failed_write_leaves_no_image(tmp_path, monkeypatch):
    def fail(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_atomic(tmp_path / "a.png", b"data")
    assert not (tmp_path / "a.png").exists()


def test_shards_cover_the_pending_jobs_once():
    items = list(range(11))
    shares = [shard(items, Processes(index=i, count=3)) for i in range(3)]
    assert sorted(x for s in shares for x in s) == items
    assert [len(s) for s in shares] == [4, 4, 3]


def test_two_processes_split_four_images_two_and_two(tmp_path):
    jobs = plan_jobs(["a", "b"], seeds=[1, 2])
    barrier = threading.Barrier(2)
    shares: dict[int, object] = {}

    def process(index: int) -> None:
        procs = Processes(index=index, count=2, wait=barrier.wait)
        batch = BatchRun(tmp_path, jobs, procs)
        share = batch.prepare(rng=random.Random(index))
        shares[index] = share
        for job in share.jobs:
            batch.record(job, fake_png(job))
        barrier.wait()

    threads = [threading.Thread(target=process, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert [len(shares[i].jobs) for i in range(2)] == [2, 2]
    done = Manifest(tmp_path / "manifest.jsonl").done()
    assert sorted(r["process"] for r in done.values()) == [0, 0, 1, 1]
    assert len(done) == 4 and len(list(tmp_path.glob("*.png"))) == 4
    planned = [r for r in Manifest(tmp_path / "manifest.jsonl").records() if r["event"] == "planned"]
    assert len(planned) == 4  # planned once, by the first process only


WORKER = textwrap.dedent(
    """
    import sys, time
    from animagine_prompt.batch import BatchRun, plan_jobs
    from animagine_prompt.metadata import set_png_text
    from animagine_prompt.metadata._png import _minimal_png

    jobs = plan_jobs([f"prompt {i}" for i in range(4)], seeds=[1, 2, 3])
    batch = BatchRun(sys.argv[1], jobs)
    for job in batch.prepare().jobs:
        time.sleep(0.03)
        # a big image, so that kills land in the middle of writes too
        png = set_png_text(_minimal_png({}), {"parameters": job.prompt + "\\n" + "x" * 400_000, "seed": str(job.seed)})
        batch.record(job, png)
        print(job.file_name, flush=True)
    """
)


def test_sigkill_at_random_moments_never_loses_or_duplicates_an_image(tmp_path):
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    out = tmp_path / "out"
    rng = random.Random(5)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    finished_after_kill = []
    for _ in range(6):
        proc = subprocess.Popen([sys.executable, str(script), str(out)], stdout=subprocess.PIPE, env=env)
        # kill once the worker has started making images (on a busy machine its start alone can take
        # longer than any fixed delay), at a random moment after that
        proc.stdout.readline()
        time.sleep(rng.uniform(0.0, 0.3))
        proc.send_signal(signal.SIGKILL)
        proc.stdout.close()
        proc.wait()
        finished_after_kill.append(len(Manifest(out / "manifest.jsonl").done()))
    # the kills did land in the middle of the batch
    assert finished_after_kill[0] < 12 and any(0 < n < 12 for n in finished_after_kill), finished_after_kill
    subprocess.run([sys.executable, str(script), str(out)], check=True, stdout=subprocess.DEVNULL, env=env, timeout=60)
    jobs = plan_jobs([f"prompt {i}" for i in range(4)], seeds=[1, 2, 3])
    images = sorted(p.name for p in out.glob("*.png"))
    assert images == sorted(j.file_name for j in jobs)
    for name in images:
        verify_png((out / name).read_bytes())
    assert not list(out.glob(".*.partial"))
    done = Manifest(out / "manifest.jsonl").done()
    assert set(done) == {j.key for j in jobs}
    for job in jobs:
        assert done[job.key]["bytes"] == (out / job.file_name).stat().st_size
