"""The batch plan: prompts x styles x seeds, each image a :class:`Job` with a stable key.

A job's key is a hash of everything that decides its image (prompt, settings, seed), so the same
command planned again gives the same keys, and a finished image is recognised on resume.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields, replace

from animagine_prompt.errors import UsageError
from animagine_prompt.limits import check_setting, check_size, parse_wxh

__all__ = ["Job", "Settings", "job_key", "plan_jobs"]


#: Number settings and the generation setting whose range each has (see ``animagine_prompt.limits``).
_RANGES = {
    "steps": "steps",
    "guidance": "guidance",
    "hires_upscale": "upscale",
    "hires_strength": "strength",
    "clip_skip": "clip_skip",
}


@dataclass(frozen=True)
class Settings:
    """Generation settings shared by the images of a batch (``None``: the preset library's default).

    ``hires_*`` values apply when ``hires`` is on; ``model``/``vae`` name what the images are made
    with, so a batch run again with another model plans new images instead of skipping. ``lcm`` is
    LCM mode; ``expand`` expands each prompt first, with ``expand_model`` (None: the default model).

    >>> Settings(style="anime").merged({"steps": 28}).steps
    28
    >>> Settings(steps=10**12)
    Traceback (most recent call last):
    ...
    animagine_prompt.errors.UsageError: steps: expected a whole number from 1 to 1000, got 1000000000000
    """

    negative: str = ""
    quality: str | None = None
    style: str | None = None
    size: str | None = None
    steps: int | None = None
    guidance: float | None = None
    sampler: str | None = None
    hires: bool = False
    hires_upscale: float | None = None
    hires_strength: float | None = None
    hires_method: str | None = None
    emphasis: str = "original"
    clip_skip: int | None = None
    model: str | None = None
    vae: str | None = None
    lcm: bool = False
    expand: bool = False
    expand_model: str | None = None

    def __post_init__(self) -> None:
        # every door into a batch checks its numbers: flags, batch files, manifests and this class
        for name, setting in _RANGES.items():
            value = getattr(self, name)
            if value is not None:
                check_setting(setting, value, label=name)
        if self.size is not None:
            size = parse_wxh(self.size)
            if size is not None:
                check_size(*size, spec=self.size)

    def merged(self, overrides: dict[str, object]) -> Settings:
        """These settings with ``overrides`` (a batch item's own settings) applied.

        >>> Settings().merged({"colour": 1})
        Traceback (most recent call last):
        ...
        animagine_prompt.errors.UsageError: unknown setting 'colour'
        """
        names = {f.name for f in fields(self)}
        for key in overrides:
            if key not in names:
                raise UsageError(f"unknown setting {key!r}")
        return replace(self, **overrides)  # type: ignore[arg-type]  # keys checked against the fields above; values by Settings' own checks


@dataclass(frozen=True)
class Job:
    """One planned image: the ``index``-th of its batch.

    ``seed`` is ``None`` until a random seed is drawn for it (the ``repeat``-th random image of
    the same prompt and settings); ``key`` identifies the job across runs.

    >>> job = plan_jobs(["1girl"], seeds=[7])[0]
    >>> job.seed, job.file_name == f"0001-7-{job.key[:8]}.png"
    (7, True)
    """

    index: int
    prompt: str
    settings: Settings
    seed: int | None
    repeat: int
    key: str

    @property
    def file_name(self) -> str:
        """The image's file name: plan position, seed and key, so names sort in plan order and never clash."""
        if self.seed is None:
            raise ValueError("the job has no seed yet; draw one before naming its file")
        return f"{self.index + 1:04d}-{self.seed}-{self.key[:8]}.png"

    def with_seed(self, seed: int) -> Job:
        """This job with its random seed drawn (the key stays the same).

        >>> plan_jobs(["a"], count=1)[0].with_seed(42).seed
        42
        """
        return replace(self, seed=seed)

    def describe(self) -> dict[str, object]:
        """The job as JSON-ready data (for the manifest).

        >>> plan_jobs(["a"], seeds=[1])[0].describe()["settings"]["emphasis"]
        'original'
        """
        return {"index": self.index, "prompt": self.prompt, "seed": self.seed, "settings": asdict(self.settings)}


# settings added after the first manifests were written, with their defaults
_LATER_SETTINGS: dict[str, object] = {"lcm": False, "expand": False, "expand_model": None}


def job_key(prompt: str, settings: Settings, seed: int | None, repeat: int) -> str:
    """The stable key of an image: a hash of its prompt, settings and seed (or random repeat number).

    >>> job_key("a", Settings(), 1, 0) == job_key("a", Settings(), 1, 0) != job_key("a", Settings(), 2, 0)
    True
    """
    seed_part: object = seed if seed is not None else f"random#{repeat}"
    described = asdict(settings)
    for name, default in _LATER_SETTINGS.items():
        if described[name] == default:
            del described[name]  # keys of manifests written before the setting existed stay valid
    text = json.dumps([prompt, described, seed_part], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def plan_jobs(
    prompts: Iterable[str | tuple[str, dict[str, object]]],
    *,
    settings: Settings = Settings(),
    seeds: Sequence[int] | None = None,
    styles: Sequence[str] | None = None,
    count: int = 1,
) -> tuple[Job, ...]:
    """Every image of the batch, in order: each prompt, each style, each seed.

    ``prompts`` are texts or ``(text, overrides)`` pairs. An item's own ``seeds``/``seed``/``n``
    and ``style`` replace the batch's; without seeds, ``count`` images get random seeds.

    >>> jobs = plan_jobs(["1girl", ("1boy", {"steps": 20})], seeds=[1, 2], styles=["anime", "none"])
    >>> [(j.prompt, j.settings.style, j.seed, j.settings.steps) for j in jobs][:3]
    [('1girl', 'anime', 1, None), ('1girl', 'anime', 2, None), ('1girl', 'none', 1, None)]
    >>> len(jobs), jobs[-1].settings.steps
    (8, 20)
    """
    if count < 1:
        raise UsageError(f"the number of images per prompt must be at least 1, not {count}")
    jobs: list[Job] = []
    for entry in prompts:
        text, overrides = (entry, {}) if isinstance(entry, str) else entry
        overrides = dict(overrides)
        item_seeds = overrides.pop("seeds", None)
        item_seed = overrides.pop("seed", None)
        item_count = overrides.pop("n", None)
        base = settings.merged(overrides)
        n = count if item_count is None else int(item_count)  # type: ignore[call-overload]  # a batch item's values, already checked by read_batch_file
        if item_seeds is not None:
            seed_list: list[int | None] = list(item_seeds)  # type: ignore[call-overload]  # a batch item's values, already checked by read_batch_file
        elif item_seed is not None:
            seed_list = [int(item_seed) + i for i in range(n)]  # type: ignore[call-overload]  # a batch item's values, already checked by read_batch_file
        elif seeds is not None:
            seed_list = list(seeds)
        else:
            seed_list = [None] * n
        style_list: list[str | None] = [base.style]
        if "style" not in overrides and styles:
            style_list = list(styles)
        for style in style_list:
            job_settings = replace(base, style=style)
            for repeat, seed in enumerate(seed_list):
                key = job_key(text, job_settings, seed, repeat)
                jobs.append(Job(len(jobs), text, job_settings, seed, repeat, key))
    keys = [j.key for j in jobs]
    if len(set(keys)) != len(keys):
        # the same prompt, settings and seed twice would be one image written twice
        seen: set[str] = set()
        jobs = [j for j in jobs if not (j.key in seen or seen.add(j.key))]  # type: ignore[func-returns-value]  # set.add returns None: the idiom keeps the first of each key
        jobs = [replace(j, index=i) for i, j in enumerate(jobs)]
    return tuple(jobs)
