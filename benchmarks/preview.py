"""Preview and analysis speed, measured against baselines taken in the same run.

    python benchmarks/preview.py [--prompts 500] [--runs 5] [--against CHECKOUT]

1. Cold start of ``animagine-prompt preview PROMPT`` against ``python -c pass`` and against
   ``animagine-prompt lint PROMPT`` (the preview lints too, then draws): the preview should cost
   little more than the lint it runs. Targets: <= 0.5 s more than ``python -c pass``.
2. Throughput on generated prompts: linting alone (the baseline), analysing (``analyze``, which
   lints once and reads everything else off that parse), analysing and serialising to JSON (what
   the web editor's endpoint does), and analysing and drawing the preview (80 columns, no colour).
3. Latency of ``analyze(...).to_json()`` on the real prompts of ``../shared`` (p50 and p95, the
   web editor's server-side budget is 50 ms at p95).

``--against CHECKOUT`` runs parts 1 and 2 with ``CHECKOUT/.venv/bin/python`` (a checkout of
another commit, e.g. today's main) alternately with this one, and prints each figure's ratio:
best of ``--runs`` rounds each, so a busy machine disturbs both sides alike.

Parts 1 and 2 count CPU seconds (user + system, of the child process for a cold start): on a
machine other work shares, wall time mostly measures the other work.
"""

from __future__ import annotations

import argparse
import json
import resource
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
REAL = ROOT.parent / "shared" / "data" / "real-prompts.jsonl"


def _analyze():  # noqa: ANN202 - the analyze function of whichever checkout runs this file
    try:
        from animagine_prompt.analysis import analyze
    except ImportError:  # a checkout from before the analysis layer: the preview's own model
        from animagine_prompt.cli.preview import analyze  # type: ignore[attr-defined,no-redef]
    return analyze


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _best_of(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = _children_cpu()
        subprocess.run(command, check=True, capture_output=True, env={"NO_COLOR": "1", "COLUMNS": "80", "PATH": ""})
        times.append(_children_cpu() - start)
    return min(times)


def cold_start(runs: int) -> dict[str, float]:
    """Best-of-``runs`` CPU seconds of starting Python, the lint command and the preview command."""
    python = [sys.executable]
    cli = [*python, "-m", "animagine_prompt"]
    return {
        "python -c pass": _best_of([*python, "-c", "pass"], runs),
        "lint": _best_of([*cli, "lint", CARD_PROMPT], runs),
        "preview": _best_of([*cli, "preview", CARD_PROMPT], runs),
    }


def throughput(count: int) -> dict[str, float]:
    """CPU seconds per prompt for linting, analysing, analysing + JSON, and analysing + drawing."""
    from _corpus import corpus
    from rich.console import Console

    from animagine_prompt.cli.preview import PreviewView, preview_theme
    from animagine_prompt.lint import Linter

    analyze = _analyze()
    prompts = corpus(count)
    linter = Linter()
    linter.lint(prompts[0])  # tag database and tokenizer loaded before any clock starts
    theme = preview_theme()

    def draw(prompt: str) -> None:
        console = Console(file=StringIO(), width=80, color_system=None, theme=theme)
        console.print(PreviewView(analyze(prompt, linter=linter)))

    def to_json(prompt: str) -> None:
        result = analyze(prompt, linter=linter)
        if hasattr(result, "to_json"):
            result.to_json()

    out = {}
    for label, fn in (
        ("lint", linter.lint),
        ("analyze", lambda p: analyze(p, linter=linter)),
        ("analyze + json", to_json),
        ("analyze + draw", draw),
    ):
        start = time.process_time()
        for prompt in prompts:
            fn(prompt)
        out[label] = (time.process_time() - start) / count
    return out


def latency() -> None:
    """p50/p95 of ``analyze(prompt, negative).to_json()`` over the real prompts."""
    from animagine_prompt.analysis import analyze
    from animagine_prompt.lint import Linter

    if not REAL.is_file():
        print(f"real-prompt latency: skipped ({REAL} not found)")
        return
    records = [json.loads(line) for line in REAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    linter = Linter()
    linter.lint("1girl")
    timings = []
    for record in records:
        start = time.perf_counter()
        analyze(record.get("prompt") or "", record.get("negative"), linter=linter).to_json(units="utf-16")
        timings.append(time.perf_counter() - start)
    timings.sort()
    p50, p95 = statistics.median(timings), timings[int(0.95 * (len(timings) - 1))]
    print(
        f"real prompts ({len(records)}, prompt + negative): analyze + to_json p50 {p50 * 1e3:.1f} ms, "
        f"p95 {p95 * 1e3:.1f} ms (web editor budget: p95 <= 50 ms)"
    )


def _report(cold: dict[str, float], rates: dict[str, float], count: int) -> None:
    base, lint, preview = cold["python -c pass"], cold["lint"], cold["preview"]
    print(f"cold start (CPU): python -c pass {base:.3f} s, lint {lint:.3f} s, preview {preview:.3f} s")
    print(f"  preview - python: {preview - base:+.3f} s (target <= 0.5 s); preview / lint: {preview / lint:.2f}x")
    print(f"{count} generated prompts, CPU per prompt (ratio to linting alone):")
    for label, seconds in rates.items():
        print(f"  {label:<15} {seconds * 1e3:7.2f} ms  {seconds / rates['lint']:5.2f}x")


def _measure_in(python: str, count: int, runs: int) -> dict[str, dict[str, float]]:
    done = subprocess.run(
        [python, __file__, "--json", "--prompts", str(count), "--runs", str(runs)],
        check=True,
        capture_output=True,
        text=True,
    )
    data: dict[str, dict[str, float]] = json.loads(done.stdout)
    return data


def against(checkout: Path, count: int, runs: int) -> None:
    """Both checkouts, alternately, ``runs`` rounds: the best figure of each side and their ratio."""
    other = checkout / ".venv" / "bin" / "python"
    if not other.exists():
        raise SystemExit(f"{other} not found: --against wants a checkout with its own .venv")
    best: dict[str, dict[str, float]] = {"this": {}, "other": {}}
    for _ in range(runs):
        for side, python in (("this", sys.executable), ("other", str(other))):
            data = _measure_in(python, count, 1)
            for part in ("cold", "rates"):
                for label, value in data[part].items():
                    key = f"{part}: {label}"
                    best[side][key] = min(value, best[side].get(key, value))
    print(f"this checkout against {checkout} (best of {runs} alternate rounds; ratio < 1: this one is faster)")
    for key, value in best["this"].items():
        base = best["other"][key]
        unit = "s" if key.startswith("cold") else "ms"
        scale = 1 if unit == "s" else 1e3
        print(f"  {key:<24} {value * scale:8.3f} {unit} vs {base * scale:8.3f} {unit}   {value / base:5.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prompts", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--against", type=Path, metavar="CHECKOUT", help="compare with another checkout's .venv")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # one side of --against
    args = parser.parse_args()
    if args.against is not None:
        against(args.against, args.prompts, args.runs)
        return
    cold, rates = cold_start(args.runs), throughput(args.prompts)
    if args.json:
        print(json.dumps({"cold": cold, "rates": rates}))
        return
    _report(cold, rates, args.prompts)
    latency()


if __name__ == "__main__":
    main()
