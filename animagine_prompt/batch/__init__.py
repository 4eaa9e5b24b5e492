"""Batches that survive crashes: the plan (prompts x styles x seeds), the JSONL manifest, resume and
skip, atomic image writes, and the split of the work across processes.

>>> from animagine_prompt.batch import parse_seeds, plan_jobs
>>> jobs = plan_jobs(["1girl", "1boy"], seeds=parse_seeds("1-3"))
>>> len(jobs), jobs[3].prompt, jobs[3].seed
(6, '1boy', 1)

No torch here: the images are made by a function the caller passes (see ``cli/generate.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from animagine_prompt._lazy import lazy_exports

# public name -> private module defining it
_EXPORTS: dict[str, str] = {
    "BatchRun": "._runner",
    "Job": "._plan",
    "MANIFEST_NAME": "._manifest",
    "Manifest": "._manifest",
    "Processes": "._processes",
    "Settings": "._plan",
    "Share": "._runner",
    "detect_processes": "._processes",
    "job_key": "._plan",
    "parse_seeds": "._seeds",
    "plan_jobs": "._plan",
    "read_batch_file": "._items",
    "read_batch_text": "._items",
    "remove_temp_files": "animagine_prompt._files",
    "shard": "._processes",
    "write_atomic": "animagine_prompt._files",
}

if not TYPE_CHECKING:  # type checkers read the imports below instead
    __all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(globals(), _EXPORTS)


if TYPE_CHECKING:  # pragma: no cover
    from animagine_prompt._files import remove_temp_files, write_atomic

    from ._items import read_batch_file, read_batch_text
    from ._manifest import MANIFEST_NAME, Manifest
    from ._plan import Job, Settings, job_key, plan_jobs
    from ._processes import Processes, detect_processes, shard
    from ._runner import BatchRun, Share
    from ._seeds import parse_seeds
