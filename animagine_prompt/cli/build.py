"""``animagine-prompt build PROMPT``: merge a prompt with quality, style and negative presets."""

from __future__ import annotations

import argparse
import json

from animagine_prompt.cli._io import read_prompt_arg

HELP = "build a prompt from presets the way the Animagine app does (quality, style, negative, size, sampler)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("prompt", help="your prompt ('-' reads standard input)")
    parser.add_argument(
        "-q", "--quality", metavar="NAME", help="quality preset (heavy, standard, light, none, ...)"
    )
    parser.add_argument(
        "--no-quality-tags",
        action="store_true",
        help="leave the quality preset's tags out of the prompt; its negative is still used (as in the app)",
    )
    parser.add_argument(
        "-s", "--style", metavar="NAME", help="style preset (photographic, anime, sai-origami, ...)"
    )
    parser.add_argument("-n", "--negative", default="", metavar="TEXT", help="your negative prompt")
    parser.add_argument("--negative-preset", metavar="NAME", help="negative preset, put before --negative")
    parser.add_argument(
        "--size", metavar="SPEC", help="resolution name, WxH (832x1216) or aspect ratio (3:4)"
    )
    parser.add_argument("--sampler", metavar="NAME", help="sampler ('Euler a', 'DPM++ 2M Karras', ...)")
    parser.add_argument("--seed", type=int, help="seed (default: none; the generator picks one)")
    parser.add_argument("--steps", type=int, help="inference steps (default 50)")
    parser.add_argument("--guidance", type=float, help="guidance scale (default 12)")
    parser.add_argument("--hires", action="store_true", help="add the app's upscaled second pass")
    parser.add_argument("--hires-upscale", type=float, metavar="X", help="hires upscale factor (default 1.5)")
    parser.add_argument(
        "--hires-strength", type=float, metavar="X", help="hires denoising strength (default 0.55)"
    )
    parser.add_argument(
        "--hires-method", metavar="MODE", help="latent interpolation mode (default nearest-exact)"
    )
    parser.add_argument("--keep-duplicates", action="store_true", help="do not merge repeated tags")
    parser.add_argument(
        "--order",
        action="store_true",
        help="sort tags: 1girl/1boy, character, series, the rest, quality tags",
    )
    parser.add_argument(
        "--presets",
        action="append",
        default=[],
        metavar="PATH",
        help="extra preset file or folder, read after the user and config presets (repeatable)",
    )
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the whole build as JSON")
    out.add_argument("--metadata", action="store_true", help="print the Animagine app's metadata JSON")


def run(args: argparse.Namespace) -> int:
    from animagine_prompt.presets import PromptBuilder, load_presets

    builder = PromptBuilder(presets=load_presets(args.presets)).tags(read_prompt_arg(args.prompt))
    if args.quality or args.no_quality_tags:
        builder = builder.quality(args.quality, tags=not args.no_quality_tags)
    if args.style:
        builder = builder.style(args.style)
    if args.negative or args.negative_preset:
        builder = builder.negative(args.negative, preset=args.negative_preset)
    if args.size:
        builder = builder.size(args.size)
    if args.sampler:
        builder = builder.sampler(args.sampler)
    if args.seed is not None:
        builder = builder.seed(args.seed)
    if args.steps is not None:
        builder = builder.steps(args.steps)
    if args.guidance is not None:
        builder = builder.guidance(args.guidance)
    hires_given = (args.hires_upscale, args.hires_strength, args.hires_method)
    if args.hires or any(v is not None for v in hires_given):
        builder = builder.hires(
            upscale_by=args.hires_upscale, strength=args.hires_strength, method=args.hires_method
        )
    builder = builder.dedupe(not args.keep_duplicates).order(args.order)
    built = builder.build()

    if args.json:
        print(built.to_json())
        return 0
    if args.metadata:
        print(json.dumps(built.to_metadata(), indent=2, ensure_ascii=False))
        return 0
    print(f"prompt: {built.prompt}")
    print(f"negative: {built.negative_prompt}")
    seed = "random" if built.seed is None else str(built.seed)
    guidance = f"{built.guidance:g}"
    print(
        f"size: {built.size.label}  sampler: {built.sampler}  steps: {built.steps}  "
        f"guidance: {guidance}  seed: {seed}"
    )
    if built.hires is not None:
        h = built.hires
        print(
            f"hires: x{h.upscale_by:g} to {h.size(built.width, built.height).label}, "
            f"strength {h.strength:g}, {h.method}"
        )
    print(
        f"presets: quality {built.quality_title}, style {built.style_title}"
        + (f", negative {built.negative_preset}" if built.negative_preset else "")
    )
    for merge in built.merged:
        print(f"merged {merge.describe()}")
    return 0
