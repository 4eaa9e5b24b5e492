"""Batches that survive crashes: the plan (prompts x styles x seeds), the JSONL manifest, resume and
skip, atomic image writes, and the split of the work across processes.

>>> from animagine_prompt.batch import parse_seeds, plan_jobs
>>> jobs = plan_jobs(["1girl", "1boy"], seeds=parse_seeds("1-3"))
>>> len(jobs), jobs[3].prompt, jobs[3].seed
(6, '1boy', 1)

No torch here: the images are made by a function the caller passes (see ``cli/generate.py``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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
    "remove_temp_files": "._files",
    "shard": "._processes",
    "write_atomic": "._files",
}

__all__ = [
    "BatchRun",
    "Job",
    "MANIFEST_NAME",
    "Manifest",
    "Processes",
    "Settings",
    "Share",
    "detect_processes",
    "job_key",
    "parse_seeds",
    "plan_jobs",
    "read_batch_file",
    "read_batch_text",
    "remove_temp_files",
    "shard",
    "write_atomic",
]


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module_name, __name__), name)
    if isinstance(value, type):
        value.__module__ = __name__
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])


if TYPE_CHECKING:  # pragma: no cover
    from ._files import remove_temp_files, write_atomic
    from ._items import read_batch_file, read_batch_text
    from ._manifest import MANIFEST_NAME, Manifest
    from ._plan import Job, Settings, job_key, plan_jobs
    from ._processes import Processes, detect_processes, shard
    from ._runner import BatchRun, Share
    from ._seeds import parse_seeds
