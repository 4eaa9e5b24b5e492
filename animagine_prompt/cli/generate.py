"""``animagine-prompt generate``: one prompt, a batch file, or an image made again, into PNGs with metadata.

Every run is a batch (of one image, at least): the plan goes into ``manifest.jsonl`` in the
output folder, each image is written atomically, and running the same command again makes only
what is missing. Under ``accelerate launch`` each process makes its share of the batch.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from animagine_prompt.cli._io import read_prompt_arg
from animagine_prompt.errors import UsageError
from animagine_prompt.limits import check_setting, check_size, parse_wxh

if TYPE_CHECKING:  # pragma: no cover
    from animagine_prompt.metadata import GenerationRecord

HELP = "generate images (one prompt, a batch file x seeds x styles, or --from-image) into PNGs with metadata"

_DEFAULT_MODEL = "Linaqruf/animagine-xl-2.0"
_DEFAULT_VAE = "madebyollin/sdxl-vae-fp16-fix"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("prompt", nargs="?", help="the prompt ('-' reads standard input); or use --batch/--from-image")
    what = parser.add_argument_group("what to make")
    what.add_argument("--batch", metavar="FILE", help="prompts file: .txt (one per line), .yaml or .jsonl")
    what.add_argument("--from-image", metavar="PNG", help="make an image again from the settings stored in it")
    what.add_argument("--seed", type=int, help="seed of the first image (the next ones count up from it)")
    what.add_argument("--seeds", metavar="LIST", help="seeds for every prompt: 1-8 or 3,5,9")
    what.add_argument("-n", "--count", type=int, metavar="N", help="images per prompt (default 1)")
    what.add_argument("--styles", metavar="A,B", help="make every prompt in each of these styles")
    settings = parser.add_argument_group("settings (default: the Animagine XL 2.0 card's)")
    settings.add_argument("--negative", metavar="TEXT", help="negative prompt")
    settings.add_argument("-q", "--quality", metavar="NAME", help="quality preset (heavy, standard, light, none, ...)")
    settings.add_argument("-s", "--style", metavar="NAME", help="style preset (anime, photographic, ...)")
    settings.add_argument("--size", metavar="SPEC", help="resolution name, WxH (832x1216) or aspect ratio (3:4)")
    settings.add_argument("--steps", type=int, help="inference steps (default 50)")
    settings.add_argument("--guidance", type=float, help="guidance (CFG) scale (default 12)")
    settings.add_argument("--sampler", metavar="NAME", help="sampler ('Euler a', 'DPM++ 2M Karras', ...)")
    settings.add_argument("--hires", action="store_true", default=None, help="add the upscaled second pass")
    settings.add_argument("--hires-upscale", type=float, metavar="X", help="hires upscale factor (default 1.5)")
    settings.add_argument("--hires-strength", type=float, metavar="X", help="hires denoising strength (default 0.55)")
    settings.add_argument("--emphasis", metavar="MODE", help="weight emphasis: original, no_norm, lerp_empty, ignore")
    settings.add_argument("--clip-skip", type=int, metavar="K", help="skip K more text encoder layers")
    _add_lcm_expand_arguments(parser)
    model = parser.add_argument_group("model")
    model.add_argument("--model", help=f"hub id, diffusers folder or .safetensors file (default {_DEFAULT_MODEL})")
    model.add_argument(
        "--vae",
        help=f"VAE hub id or folder; 'none': the model's own (default: {_DEFAULT_VAE} for a hub model, "
        "the model's own for a local folder or file)",
    )
    model.add_argument("--lora-dir", metavar="DIR", help="folder where <lora:name:w> finds name.safetensors")
    model.add_argument("--device", default="auto", help="cuda, mps, cpu or auto (default)")
    model.add_argument("--dtype", default="auto", help="float16, bfloat16, float32 or auto (default)")
    model.add_argument(
        "--fast", action="store_true", help="compile and fuse what speeds sampling up on this device (docs/fast.md)"
    )
    output = parser.add_argument_group("output")
    output.add_argument("-o", "--out", default="outputs", metavar="DIR", help="output folder (default ./outputs)")
    output.add_argument("--dry-run", action="store_true", help="print the plan and exit; load no model")
    output.add_argument("--no-progress", action="store_true", help="no progress display")
    output.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="also show the model libraries' own loading bars, notices and warnings",
    )


def _add_lcm_expand_arguments(parser: argparse.ArgumentParser) -> None:
    fast = parser.add_argument_group("LCM mode and prompt expansion")
    fast.add_argument(
        "--lcm",
        action="store_true",
        default=None,
        help="LCM mode: the LCM-LoRA and LCM sampler, 8 steps and guidance 1.5 unless set (docs/lcm.md)",
    )
    fast.add_argument(
        "--expand",
        action="store_true",
        default=None,
        help="add tags to each prompt with a tag-generation model first (docs/expand.md)",
    )
    fast.add_argument("--expand-model", metavar="NAME", help="expansion model: hub id or local folder")
    fast.add_argument(
        "--unexpanded",
        action="store_true",
        help="with --from-image: start from the prompt as it was before expansion",
    )


def run(args: argparse.Namespace) -> int:
    jobs = plan_from_args(args)
    if args.dry_run:
        _print_plan(jobs, Path(args.out))
        return 0
    from animagine_prompt.batch import BatchRun, detect_processes

    processes = detect_processes()
    batch = BatchRun(args.out, jobs, processes)
    batch.check_folder()
    # the model is loaded before the manifest is written: a model that cannot be loaded leaves no plan behind
    maker = _ImageMaker(args, processes.device)
    share = batch.prepare()
    show = processes.is_main and not args.no_progress
    if share.jobs:
        _make_all(batch, share, maker, show=show)
    processes.wait()
    if processes.is_main:
        made = share.pending
        print(
            f"{share.planned} images in {args.out} ({made} made now, {share.finished} already there)",
            file=sys.stderr,
        )
    return 0


def plan_from_args(args: argparse.Namespace):
    """The batch's jobs from the command line (a prompt, ``--batch`` or ``--from-image``)."""
    from animagine_prompt.batch import Settings, parse_seeds, plan_jobs, read_batch_file

    sources = [s for s in (args.prompt is not None, args.batch, args.from_image) if s]
    if len(sources) != 1:
        raise UsageError("give one of: a PROMPT, --batch FILE or --from-image PNG")
    if args.count is not None and args.count < 1:
        raise UsageError(f"-n must be at least 1, not {args.count}")
    _check_flags(args)
    if args.seeds and args.seed is not None:
        raise UsageError("give --seed (with -n) or --seeds, not both")
    if args.styles and args.style:
        raise UsageError("give --style or --styles, not both")
    settings = Settings(
        negative=args.negative or "",
        quality=args.quality,
        style=args.style,
        size=args.size,
        steps=args.steps,
        guidance=args.guidance,
        sampler=args.sampler,
        hires=bool(args.hires or args.hires_upscale is not None or args.hires_strength is not None),
        hires_upscale=args.hires_upscale,
        hires_strength=args.hires_strength,
        emphasis=args.emphasis or "original",
        clip_skip=args.clip_skip,
        model=args.model or _DEFAULT_MODEL,
        vae=_vae(args),
        lcm=bool(args.lcm),
        expand=bool(args.expand),
        expand_model=args.expand_model,
    )
    if args.unexpanded and not args.from_image:
        raise UsageError("--unexpanded goes with --from-image")
    count = args.count or 1
    seeds: tuple[int, ...] | None = None
    if args.seeds:
        seeds = parse_seeds(args.seeds)
    elif args.seed is not None:
        if args.seed < 0:
            raise UsageError(f"the seed must not be negative, not {args.seed}")
        seeds = tuple(args.seed + i for i in range(count))
        check_setting("seed", seeds[-1], label="the last seed (--seed plus -n)")
    styles = [s.strip() for s in args.styles.split(",") if s.strip()] if args.styles else None

    if args.batch:
        items = read_batch_file(args.batch)
        if not items:
            raise UsageError(f"the batch file {args.batch} has no prompts")
    elif args.from_image:
        items = [_from_image(args, seeds)]
    else:
        items = [(read_prompt_arg(args.prompt), {})]
    jobs = plan_jobs(items, settings=settings, seeds=seeds, styles=styles, count=count)
    _check_names(jobs)
    return jobs


def _check_flags(args: argparse.Namespace) -> None:
    """Each number flag within its setting's range, before anything is planned or loaded."""
    for flag, setting, value in (
        ("--steps", "steps", args.steps),
        ("--guidance", "guidance", args.guidance),
        ("--hires-upscale", "upscale", args.hires_upscale),
        ("--hires-strength", "strength", args.hires_strength),
        ("--clip-skip", "clip_skip", args.clip_skip),
        ("--seed", "seed", args.seed),
        ("-n", "count", args.count),
    ):
        if value is not None:
            check_setting(setting, value, label=flag)
    if args.size is not None:
        size = parse_wxh(args.size, label="--size")
        if size is not None:
            check_size(*size, label="--size", spec=args.size)


def _check_names(jobs) -> None:
    """The sampler, size and preset names of every job, looked up as a real run would (no torch needed)."""
    from animagine_prompt.presets import load_presets

    library = load_presets()
    for settings in {job.settings for job in jobs}:
        if settings.sampler is not None:
            library.sampler(settings.sampler)
        if settings.size is not None:
            library.size(settings.size)
        if settings.quality is not None:
            library.quality(settings.quality)
        if settings.style is not None:
            library.style(settings.style)


def _vae(args: argparse.Namespace) -> str:
    """The VAE to load: the one given, else the fp16-safe SDXL VAE for a hub model; a local
    model folder or file keeps its own (offline, nothing is fetched)."""
    if args.vae:
        return args.vae
    model = args.model or _DEFAULT_MODEL
    return "none" if Path(model).expanduser().exists() else _DEFAULT_VAE


def _from_image(args: argparse.Namespace, seeds: tuple[int, ...] | None) -> tuple[str, dict[str, object]]:
    """The stored prompt and settings, with any given on the command line taking their place."""
    from animagine_prompt.metadata import read_generation

    record = read_generation(args.from_image)
    # The stored prompts are final (presets already applied): use them as they are.
    overrides: dict[str, object] = {"quality": "none", "style": "none", "negative": record.negative_prompt}
    if record.width and record.height:
        overrides["size"] = f"{record.width}x{record.height}"
    for key, value in (
        ("steps", record.steps),
        ("guidance", record.guidance),
        ("sampler", record.sampler),
        ("clip_skip", record.clip_skip),
        ("emphasis", record.emphasis),
    ):
        if value is not None:
            overrides[key] = value
    if record.hires:
        overrides.update(hires=True, hires_upscale=record.hires_upscale, hires_strength=record.hires_strength)
        if record.hires_method:
            overrides["hires_method"] = record.hires_method
    given = {
        "negative": args.negative,
        "quality": args.quality,
        "style": args.style,
        "size": args.size,
        "steps": args.steps,
        "guidance": args.guidance,
        "sampler": args.sampler,
        "clip_skip": args.clip_skip,
        "emphasis": args.emphasis,
        "hires_upscale": args.hires_upscale,
        "hires_strength": args.hires_strength,
    }
    overrides.update({k: v for k, v in given.items() if v is not None})
    if args.hires:
        overrides["hires"] = True
    if seeds is None and record.seed is not None:
        overrides["seed"] = record.seed
    return _from_image_prompt(args, record, overrides), overrides


def _from_image_prompt(args: argparse.Namespace, record: GenerationRecord, overrides: dict[str, object]) -> str:
    """The prompt to remake: as stored (expanded, if it was), or as it was before expansion."""
    if record.lcm and args.sampler is None:
        overrides["lcm"] = True  # the stored sampler is LCM too; a sampler given instead leaves LCM mode
    if not args.unexpanded:
        return str(record.prompt)
    if record.original_prompt is None:
        raise UsageError(f"{args.from_image} records no prompt before expansion: leave out --unexpanded")
    return str(record.original_prompt)


def _print_plan(jobs, out: Path) -> None:
    from rich.markup import escape
    from rich.table import Table

    from animagine_prompt.cli._io import console

    table = Table("#", "seed", "style", "size", "prompt", box=None, pad_edge=False)
    for job in jobs:
        s = job.settings
        seed = "random" if job.seed is None else str(job.seed)
        table.add_row(str(job.index + 1), seed, s.style or "-", s.size or "-", escape(job.prompt))
    out_console = console()
    out_console.print(table)
    out_console.print(f"{len(jobs)} images planned into {escape(str(out))}")


class _ImageMaker:
    """Loads the model once and turns a job into PNG bytes with its metadata."""

    def __init__(self, args: argparse.Namespace, device: str | None) -> None:
        import warnings

        self.verbose = bool(args.verbose)
        if not self.verbose:
            _quiet_libraries()
        vae_name = _vae(args)
        vae = None if vae_name.lower() == "none" else vae_name
        self.model = args.model or _DEFAULT_MODEL
        with warnings.catch_warnings():
            if not self.verbose:
                warnings.simplefilter("ignore")  # the libraries' notices while loading, not ours
            from animagine_prompt.pipeline import load

            self.pipe = load(
                self.model,
                vae=vae,
                device=device or args.device,
                dtype=args.dtype,
                lora_dir=args.lora_dir,
                fast=getattr(args, "fast", False),
            )
        # our progress display replaces diffusers' per-call bars
        self.pipe.pipe.set_progress_bar_config(disable=True)
        if args.expand_model:
            from animagine_prompt.expand import LMExpander

            self.pipe.expander = LMExpander(args.expand_model, device=str(self.pipe.device))

    def make(self, job, on_step) -> bytes:
        import warnings

        from animagine_prompt.pipeline import LcmSettingsWarning

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", LcmSettingsWarning)
            png = self._make(job, on_step)
        shown: set[str] = set()
        for w in caught:
            if not issubclass(w.category, LcmSettingsWarning):
                if self.verbose:
                    warnings.showwarning(w.message, w.category, w.filename, w.lineno, w.file, w.line)
            elif str(w.message) not in shown:
                shown.add(str(w.message))
                print(f"warning: {w.message}", file=sys.stderr)
        return png

    def _make(self, job, on_step) -> bytes:
        from animagine_prompt.presets import Hires

        s = job.settings
        hires = None
        if s.hires:
            options = {"upscale_by": s.hires_upscale, "strength": s.hires_strength, "method": s.hires_method}
            hires = Hires(**{k: v for k, v in options.items() if v is not None})
        generation = self.pipe.generate(
            job.prompt,
            s.negative or None,
            quality=s.quality,
            style=s.style,
            size=s.size,
            steps=s.steps,
            guidance=s.guidance,
            seed=job.seed,
            sampler=s.sampler,
            hires=hires,
            emphasis=s.emphasis,
            clip_skip=s.clip_skip,
            callback=on_step,
            lcm=s.lcm,
            expand=s.expand,
        )
        return generation.png(0, model=self.model)


def _quiet_libraries() -> None:
    """Keep the loading bars and notices of transformers, diffusers and the hub client out of the
    command's own display (``--verbose`` lets them through)."""
    from transformers.utils import logging as transformers_logging

    transformers_logging.set_verbosity_error()
    transformers_logging.disable_progress_bar()
    from diffusers.utils import logging as diffusers_logging

    diffusers_logging.set_verbosity_error()
    diffusers_logging.disable_progress_bar()
    from huggingface_hub.utils import disable_progress_bars

    disable_progress_bars()


def _make_all(batch, share, maker: _ImageMaker, *, show: bool) -> None:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from animagine_prompt.cli._io import console

    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console(stderr=True),
        disable=not show,
        transient=False,
    )
    with progress:
        images = progress.add_task("images", total=len(share.jobs))
        steps = progress.add_task("steps", total=None)

        def on_step(info) -> None:
            # info: the pipeline's StepInfo (stage "base" or "hires", step, steps)
            progress.update(steps, completed=info.step, total=info.steps, description=f"{label} {info.stage}")

        for job in share.jobs:
            label = f"image {job.index + 1}"
            progress.update(steps, completed=0, total=None, description=label)
            started = time.perf_counter()
            png = maker.make(job, on_step)
            path = batch.record(job, png, seconds=time.perf_counter() - started)
            progress.advance(images)
            print(path, flush=True)
