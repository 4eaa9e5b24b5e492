"""Running a planned batch into an output folder: resume, skip, split across processes, record.

The image making itself is the caller's (a function from a :class:`Job` to PNG bytes), so this
module needs neither torch nor a model.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from animagine_prompt._files import remove_temp_files, write_atomic
from animagine_prompt.errors import InputError

from ._manifest import MANIFEST_NAME, Manifest
from ._plan import Job
from ._processes import Processes, shard

__all__ = ["BatchRun", "Share"]

#: Random seeds are drawn below 2**32, the range the web UIs use, so they are easy to type again.
_RANDOM_SEEDS = 2**32


@dataclass(frozen=True)
class Share:
    """What this process has to do: ``jobs`` (its share of the pending images), out of ``planned``
    images in the batch of which ``finished`` were already done before this run."""

    jobs: tuple[Job, ...]
    planned: int
    finished: int
    pending: int


class BatchRun:
    """A batch of ``jobs`` written into ``folder`` by one of ``processes``.

    Call :meth:`prepare` once (every process, at the same point), then :meth:`record` for each
    image made; both are safe to call from several processes at once.

    >>> import tempfile
    >>> from animagine_prompt.batch import plan_jobs
    >>> from animagine_prompt.metadata._png import _minimal_png
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     run = BatchRun(tmp, plan_jobs(["1girl"], seeds=[1, 2]))
    ...     share = run.prepare()
    ...     _ = run.record(share.jobs[0], _minimal_png({}))
    ...     again = BatchRun(tmp, plan_jobs(["1girl"], seeds=[1, 2])).prepare()
    ...     len(share.jobs), again.finished, [j.seed for j in again.jobs]
    (2, 1, [2])
    """

    def __init__(self, folder: str | Path, jobs: Sequence[Job], processes: Processes | None = None) -> None:
        self.folder = Path(folder)
        self.jobs = tuple(jobs)
        self.processes = processes or Processes()
        self.manifest = Manifest(self.folder / MANIFEST_NAME)

    def check_folder(self) -> None:
        """Refuse, before any work, an output path that is a file and a manifest that cannot be
        read or holds a record that is not valid (reading it writes nothing)."""
        if self.folder.exists() and not self.folder.is_dir():
            raise InputError("the output path is a file; give a folder", path=self.folder)
        self.manifest.records()

    def prepare(self, *, rng: random.Random | None = None) -> Share:
        """Plan into the manifest, recover what a kill left behind, and return this process's share.

        The first process repairs the manifest, removes temporary files, draws the random seeds
        and records the plan; every process then reads the same manifest and takes its share
        of the images not yet made.
        """
        procs = self.processes
        if procs.is_main:
            self.check_folder()
            self.folder.mkdir(parents=True, exist_ok=True)
            self.manifest.repair()
            remove_temp_files(self.folder)
            self._plan(rng or random.Random())
        procs.wait()
        jobs = self._seeded(self.manifest.planned())
        done = self.manifest.done()
        pending = [job for job in jobs if not self._finished(job, done)]
        # nobody may start writing before everyone has computed the same pending list
        procs.wait()
        return Share(tuple(shard(pending, procs)), len(jobs), len(jobs) - len(pending), len(pending))

    def record(self, job: Job, png: bytes, *, seconds: float | None = None) -> Path:
        """Write the image of ``job`` atomically, then add its ``done`` record; returns the file's path."""
        path = write_atomic(self.folder / job.file_name, png)
        self.manifest.append([self._done_record(job, png, seconds)])
        return path

    def finished_files(self) -> list[Path]:
        """The image files of this batch's finished jobs, in plan order."""
        done = self.manifest.done()
        return [self.folder / done[job.key]["file"] for job in self.jobs if job.key in done]

    def _plan(self, rng: random.Random) -> None:
        planned = self.manifest.planned()
        new = []
        for job in self.jobs:
            if job.key in planned:
                continue
            seed = job.seed if job.seed is not None else rng.randrange(_RANDOM_SEEDS)
            seeded = job.with_seed(seed)
            new.append({"event": "planned", "key": job.key, "file": seeded.file_name, **seeded.describe()})
        self.manifest.append(new)
        # A kill between an image's rename and its record leaves a finished image with no record.
        done = self.manifest.done()
        recovered = []
        for job in self._seeded(self.manifest.planned()):
            path = self.folder / job.file_name
            if job.key in done or not path.exists():
                continue
            data = path.read_bytes()
            from animagine_prompt.metadata import verify_png

            try:
                verify_png(data, path=path)
            except InputError:
                path.unlink()  # not written by us whole: make it again
                continue
            recovered.append({**self._done_record(job, data, None), "recovered": True})
        self.manifest.append(recovered)

    def _seeded(self, planned: dict[str, dict]) -> list[Job]:
        jobs = []
        for job in self.jobs:
            record = planned.get(job.key)
            if record is None:
                raise InputError(f"job {job.index + 1} is missing from the manifest", path=self.manifest.path)
            jobs.append(job if job.seed is not None else job.with_seed(int(record["seed"])))
        return jobs

    def _finished(self, job: Job, done: dict[str, dict]) -> bool:
        record = done.get(job.key)
        if record is None:
            return False
        path = self.folder / str(record.get("file", ""))
        try:
            return path.is_file() and path.stat().st_size == record.get("bytes")
        except OSError:
            return False

    def _done_record(self, job: Job, png: bytes, seconds: float | None) -> dict[str, object]:
        return {
            "event": "done",
            "key": job.key,
            "file": job.file_name,
            "seed": job.seed,
            "bytes": len(png),
            "sha256": hashlib.sha256(png).hexdigest(),
            "process": self.processes.index,
            "seconds": None if seconds is None else round(seconds, 3),
            "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
