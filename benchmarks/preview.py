"""Preview speed, measured against baselines taken in the same run.

    python benchmarks/preview.py [--prompts 500] [--runs 5]

1. Cold start of ``animagine-prompt preview PROMPT`` against ``python -c pass`` and against
   ``animagine-prompt lint PROMPT`` (the preview lints too, then draws): the preview should cost
   little more than the lint it runs. Targets: <= 0.5 s more than ``python -c pass``.
2. Throughput of analysing and drawing the preview of generated prompts (80 columns, no colour)
   against linting the same prompts alone; the ratio is what drawing adds.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

CARD_PROMPT = (
    "face focus, cute, masterpiece, best quality, 1girl, green hair, sweater, looking at viewer, "
    "upper body, beanie, outdoors, night, turtleneck"
)


def _best_of(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env={"NO_COLOR": "1", "COLUMNS": "80", "PATH": ""})
        times.append(time.perf_counter() - start)
    return min(times)


def cold_start(runs: int) -> None:
    python = [sys.executable]
    cli = [*python, "-m", "animagine_prompt"]
    base = _best_of([*python, "-c", "pass"], runs)
    lint = _best_of([*cli, "lint", CARD_PROMPT], runs)
    preview = _best_of([*cli, "preview", CARD_PROMPT], runs)
    print(f"cold start (best of {runs}): python -c pass {base:.3f} s, lint {lint:.3f} s, preview {preview:.3f} s")
    print(f"  preview - python: {preview - base:+.3f} s (target <= 0.5 s); preview / lint: {preview / lint:.2f}x")


def throughput(count: int) -> None:
    from _corpus import corpus
    from rich.console import Console

    from animagine_prompt.cli.preview import PreviewView, analyze, preview_theme
    from animagine_prompt.lint import Linter

    prompts = corpus(count)
    linter = Linter()
    linter.lint(prompts[0])  # tag database and tokenizer loaded before either clock starts
    start = time.perf_counter()
    for prompt in prompts:
        linter.lint(prompt)
    lint_s = time.perf_counter() - start

    theme = preview_theme()
    timings = []
    start = time.perf_counter()
    for prompt in prompts:
        t0 = time.perf_counter()
        console = Console(file=StringIO(), width=80, color_system=None, theme=theme)
        console.print(PreviewView(analyze(prompt, linter=linter)))
        timings.append(time.perf_counter() - t0)
    preview_s = time.perf_counter() - start
    print(
        f"{count} generated prompts: lint {count / lint_s:,.0f} prompts/s, "
        f"analyse + draw {count / preview_s:,.0f} prompts/s ({preview_s / lint_s:.2f}x the lint time); "
        f"median preview {statistics.median(timings) * 1000:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prompts", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    cold_start(args.runs)
    throughput(args.prompts)


if __name__ == "__main__":
    main()
