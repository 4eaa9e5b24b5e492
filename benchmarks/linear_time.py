"""Linear time on hostile input: each pathological form at growing sizes, per operation.

Run: ``python benchmarks/linear_time.py [--max 1000000] [--ops parse,fragments,...]``.
For every form and operation it prints CPU seconds at each size (best of 3-5 runs below 1M) and
the growth from 10k characters to the largest size as a ratio to linear growth (1.0 = linear;
target <= 2.0), plus seconds per MB at the largest size (target <= 1 s). Each form is a short unit repeated to the size:
- ``(a:`` + digits: a weight that never closes (regex backtracking took 55 s at 10k);
- ``<a:`` x N: extra-network openers without ``>``;
- ``(a:1.`` x N: N nested groups left open, each with text (weights recomputed per level);
- ``[`` x N and ``(`` x N ... ``)`` x N: deep nesting (recursion, per-level copies);
- qualified x N: ``hu tao (genshin impact)`` repeated, a qualified tag with bare brackets (a finding each);
- ``(word) `` x N: one name followed by a run of bracketed words (qualifier candidates);
- tags: an ordinary prompt, for comparison.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from animagine_prompt.syntax import convert, parse  # noqa: E402


def _forms(size: int) -> dict[str, str]:
    half = size // 2
    return {
        "(a: + digits": "(a:" + "1" * (size - 3),
        "<a: x N": "<a:" * (size // 3),
        "(a:1. x N": "(a:1." * (size // 5),
        "[ x N": "[" * size,
        "( x N x )": "(" * half + "x" + ")" * half,
        "qualified x N": "hu tao (genshin impact), " * (size // 25),
        "(word) x N": "hu tao " + "(smile) " * (size // 8),
        "tags": "1girl, (green hair:1.2), " * (size // 25),
    }


def _ops() -> dict[str, Callable[[str], object]]:
    def plan(text: str) -> object:
        from animagine_prompt.tokens import plan

        return plan(text)

    def lint(text: str) -> object:
        from animagine_prompt.lint import lint

        return lint(text)

    return {
        "parse": parse,
        "fragments": lambda t: parse(t).fragments(),
        "tags": lambda t: parse(t).tags(),
        "canonical": lambda t: parse(t).canonical(),
        "convert": lambda t: convert(t, "a1111", "comfy"),
        "diagnostics": lambda t: parse(t).diagnostics,
        "plan": plan,
        "lint": lint,
    }


def _time(fn: Callable[[str], object], text: str) -> float:
    """CPU seconds of one call; the best of several below 1M characters, where one stall of a
    busy machine would otherwise dominate the 10k figure every growth ratio divides by."""
    best = float("inf")
    for _ in range(1 if len(text) >= 1_000_000 else 3 if len(text) >= 100_000 else 5):
        start = time.process_time()
        fn(text)
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max", type=int, default=1_000_000, help="largest size in characters")
    ap.add_argument("--ops", default=",".join(_ops()), help="comma-separated operations")
    ap.add_argument("--forms", default="", help="comma-separated form names (default: all)")
    args = ap.parse_args()
    sizes = [s for s in (1_000, 10_000, 100_000, 1_000_000) if s <= args.max]
    ops = {name: fn for name, fn in _ops().items() if name in args.ops.split(",")}
    for fn in ops.values():
        fn("warm up (a:1.2)")  # imports and caches outside the timings
    wanted = set(filter(None, args.forms.split(",")))
    worst = 0.0
    print(f"{'form':<14} {'op':<12} " + " ".join(f"{s:>9}" for s in sizes) + "   growth/linear   s/MB")
    for form in _forms(1000):
        if wanted and form not in wanted:
            continue
        for name, fn in ops.items():
            times = [_time(fn, _forms(size)[form]) for size in sizes]
            row = f"{form:<14} {name:<12} " + " ".join(f"{t:9.4f}" for t in times)
            if len(sizes) >= 3:
                ratio = (times[-1] / max(times[1], 1e-9)) / (sizes[-1] / sizes[1])
                worst = max(worst, ratio)
                row += f"   {ratio:13.2f}   {times[-1] / sizes[-1] * 1e6:5.2f}"
            print(row, flush=True)
    if worst:
        print(f"worst growth from 10k to {sizes[-1]:,} as a ratio to linear: {worst:.2f} (target <= 2.0)")


if __name__ == "__main__":
    main()
