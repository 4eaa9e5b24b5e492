"""Cold start of ``animagine-prompt lint`` on the model-card prompt, against another checkout (run by hand).

    python benchmarks/startup.py [--baseline PATH] [--runs 15]

``PATH`` is another checkout or installation of the project (a folder with ``.venv/bin/animagine-prompt``,
or that script itself); without it only this checkout is measured. Runs alternate between the two, each
command as a fresh process, and the best of ``--runs`` counts (the run least disturbed by a busy machine).

Prints, for each side, the lint run minus ``python -c pass`` of the same interpreter (the start-up the
project adds), as wall time and as CPU time (user plus system, which a busy machine disturbs less), and
its peak resident memory, then the ratios. Targets: start-up <= 0.7x the baseline's, peak memory
<= +60 MB over it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CARD_PROMPT = (
    "face focus, cute, masterpiece, best quality, 1girl, green hair, sweater, looking at viewer, "
    "upper body, beanie, outdoors, night, turtleneck"
)


def _script(path: Path) -> Path:
    for candidate in (path, path / ".venv" / "bin" / "animagine-prompt", path / "bin" / "animagine-prompt"):
        if candidate.is_file():
            return candidate
    raise SystemExit(f"no animagine-prompt script at or under {path}")


def _run(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user and system) and peak resident MB of one run of ``command``."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def _measure(sides: dict[str, Path], prompt: str, runs: int, env: dict[str, str]) -> dict[str, list[float]]:
    """Best of each side, runs interleaved: python -c pass wall and CPU seconds, lint wall and CPU
    seconds, lint peak MB."""
    commands = {}
    for side, script in sides.items():
        python = script.with_name("python")
        commands[side] = ([str(python), "-c", "pass"], [str(script), "lint", prompt])
        for command in commands[side]:
            _run(command, env)  # warm the byte-code, file and on-disk caches of each side
    best: dict[str, list[float]] = {side: [float("inf")] * 5 for side in sides}
    for _ in range(runs):
        for side, (bare, lint) in commands.items():
            sample = [*_run(bare, env)[:2], *_run(lint, env)]
            best[side] = [min(low, new) for low, new in zip(best[side], sample, strict=True)]
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--prompt", default=CARD_PROMPT)
    args = parser.parse_args()

    sides = {"ours": _script(ROOT)}
    if args.baseline is not None:
        sides["baseline"] = _script(args.baseline)
    # Byte code is cached as for any installed package (outside the checkouts, which stay untouched),
    # even where the environment turns the cache off: compiling every module is not start-up users see.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = cache = tempfile.mkdtemp(prefix="startup-pycache-")
    try:
        best = _measure(sides, args.prompt, args.runs, env)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    for side, (bare_s, bare_cpu, lint_s, lint_cpu, lint_mb) in best.items():
        print(
            f"{side:<9} python -c pass {bare_s * 1e3:5.0f} ms   lint {lint_s * 1e3:5.0f} ms   "
            f"added {(lint_s - bare_s) * 1e3:5.0f} ms wall, {(lint_cpu - bare_cpu) * 1e3:5.0f} ms CPU   "
            f"peak {lint_mb:5.1f} MB   ({sides[side]})"
        )
    if "baseline" in best:
        ours, base = best["ours"], best["baseline"]
        wall = (ours[2] - ours[0]) / (base[2] - base[0])
        cpu = (ours[3] - ours[1]) / (base[3] - base[1])
        print(f"start-up added by lint: {wall:.2f}x the baseline's wall time, {cpu:.2f}x its CPU time (target <= 0.7x)")
        print(f"peak memory: {ours[4] - base[4]:+.1f} MB over the baseline (target <= +60 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
