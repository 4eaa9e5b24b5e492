"""Long fuzz runs: the properties of ``tests/fuzz`` on as many generated inputs as you ask for.

    python benchmarks/fuzz.py --examples 1000000          # a million examples over every core
    python benchmarks/fuzz.py --seconds 600 --properties parse,canonical
    python benchmarks/fuzz.py --examples 20000 --workers 1 --seed 7   # the same run again

The examples are shared out over the properties and the worker processes, in batches of
hypothesis runs with their own seeds. A failure is shrunk by hypothesis, its text cut down further
by delta debugging, and printed with a line that reproduces it; failures of the open bugs listed in
``tests/fuzz/fuzz_known.py`` are counted, not printed. Each property's line gives its rate and the
share of the time spent in the code under test (the rest is generating inputs): a ratio measured
in the same run. Exit code 1 when a failure is not a known one.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "fuzz"))


@dataclass
class Tally:
    """What one worker (or all of them) checked, and the new failures found."""

    examples: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    checking: dict[str, float] = field(default_factory=dict)
    known: dict[str, int] = field(default_factory=dict)
    failures: dict[tuple[str, str], tuple[Any, str, str]] = field(default_factory=dict)

    def add(self, other: Tally) -> None:
        for mine, theirs in (
            (self.examples, other.examples),
            (self.seconds, other.seconds),
            (self.checking, other.checking),
            (self.known, other.known),
        ):
            for key, value in theirs.items():
                mine[key] = mine.get(key, 0) + value
        for key, value in other.failures.items():
            self.failures.setdefault(key, value)


def _signature(error: BaseException) -> str:
    """The failure without its details: type and the message up to its first colon or quote."""
    message = str(error).split("\n")[0]
    for stop in (":", "'", '"', "("):
        message = message.split(stop)[0]
    return f"{type(error).__name__}: {message.strip()}"


def _reduce(prop: Any, value: Any, signature: str) -> Any:
    """Cut the text parts of a failing input down while the failure keeps its signature."""
    from fuzz_checks import run_check
    from fuzz_reduce import reduce_text

    def fails(candidate: Any) -> bool:
        try:
            run_check(prop, candidate)
        except Exception as error:
            return _signature(error) == signature
        return False

    if isinstance(value, str):
        return reduce_text(value, fails)
    if isinstance(value, tuple):
        parts = list(value)
        for i, part in enumerate(parts):
            if isinstance(part, str):
                parts[i] = reduce_text(part, lambda t, i=i: fails(tuple([*parts[:i], t, *parts[i + 1 :]])))
        return tuple(parts)
    return value


def _batch(prop: Any, size: int, seed: int) -> dict[str, Any]:
    """One hypothesis run of ``size`` examples of ``prop``: calls, seconds in the check, known bugs
    hit, and the failure (shrunk) if one was found."""
    from fuzz_checks import run_check
    from hypothesis import HealthCheck, Verbosity, given, settings
    from hypothesis import seed as hypothesis_seed

    state: dict[str, Any] = {"calls": 0, "checking": 0.0, "known": 0, "failed": None, "value": None}

    @hypothesis_seed(seed)
    @settings(
        max_examples=size,
        deadline=None,
        database=None,
        verbosity=Verbosity.quiet,
        suppress_health_check=list(HealthCheck),
    )
    @given(prop.strategy)
    def run(value: Any) -> None:
        if state["failed"] is None:
            state["calls"] += 1
        start = time.perf_counter()
        try:
            if run_check(prop, value) is not None:
                state["known"] += 1
        except Exception as error:
            state["failed"], state["value"] = error, value  # the last one is the shrunk one
            raise
        finally:
            state["checking"] += time.perf_counter() - start

    try:
        run()
    except Exception as error:
        if state["failed"] is None:  # an error outside the check: in generating, or hypothesis's own
            state["failed"], state["value"] = error, None
    return state


def _work(job: tuple[int, list[str], int, float, int, int]) -> Tally:
    """One worker: batches of hypothesis runs, property after property, until its share or the time is used."""
    worker, names, quota, deadline, seed, batch = job
    from fuzz_checks import PROPERTIES

    tally = Tally()
    done, round_ = 0, 0
    while done < quota and time.time() < deadline:
        prop = PROPERTIES[names[round_ % len(names)]]
        start = time.perf_counter()
        state = _batch(prop, min(batch, quota - done), seed * 1_000_003 + worker * 10_007 + round_)
        seconds = time.perf_counter() - start
        error = state["failed"]
        if error is not None:
            signature = _signature(error)
            key = (prop.name, signature)
            if key not in tally.failures:
                small = None if state["value"] is None else _reduce(prop, state["value"], signature)
                frame = traceback.extract_tb(error.__traceback__)[-1]
                where = f"{frame.filename}:{frame.lineno} in {frame.name}"
                tally.failures[key] = (small, f"{type(error).__name__}: {str(error)[:300]}", where)
        name = prop.name
        tally.examples[name] = tally.examples.get(name, 0) + state["calls"]
        tally.seconds[name] = tally.seconds.get(name, 0.0) + seconds
        tally.checking[name] = tally.checking.get(name, 0.0) + state["checking"]
        tally.known[name] = tally.known.get(name, 0) + state["known"]
        done += state["calls"]
        round_ += 1
    return tally


def _cores() -> int:
    """The cores this process may run on (fewer than ``os.cpu_count()`` in a container or under taskset)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=10_000, help="examples in all (default 10000)")
    parser.add_argument("--seconds", type=float, help="stop after this long, whatever is left")
    parser.add_argument("--workers", type=int, default=_cores(), help="processes (default: one per core)")
    parser.add_argument("--properties", help="comma-separated names (default: all)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the whole run (default 0)")
    parser.add_argument("--batch", type=int, default=100, help="examples per hypothesis run (default 100)")
    args = parser.parse_args(argv)

    from fuzz_checks import PROPERTIES

    names = args.properties.split(",") if args.properties else list(PROPERTIES)
    unknown = sorted(set(names) - set(PROPERTIES))
    if unknown:
        parser.error(f"unknown properties {', '.join(unknown)}: choose from {', '.join(PROPERTIES)}")
    deadline = time.time() + (args.seconds if args.seconds else 1e9)
    shares = [args.examples // args.workers + (i < args.examples % args.workers) for i in range(args.workers)]
    # each worker starts on another property, so a short run still covers them all
    jobs = [(i, names[i:] + names[:i], share, deadline, args.seed, args.batch) for i, share in enumerate(shares)]

    start = time.perf_counter()
    total = Tally()
    if args.workers == 1:
        total.add(_work(jobs[0]))
    else:
        with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
            for tally in pool.imap_unordered(_work, jobs):
                total.add(tally)
    wall = time.perf_counter() - start

    count = sum(total.examples.values())
    print(f"{count:,} examples in {wall:.1f} s over {args.workers} worker(s): {count / wall:,.0f} examples/s")
    print(f"{'property':<12} {'examples':>10} {'per s':>8} {'in code':>8} {'known':>7}")
    for name in names:
        n, secs = total.examples.get(name, 0), total.seconds.get(name, 0.0)
        share = total.checking.get(name, 0.0) / secs if secs else 0.0
        rate = n / secs if secs else 0.0
        print(f"{name:<12} {n:>10,} {rate:>8,.0f} {share:>8.0%} {total.known.get(name, 0):>7,}")
    if not total.failures:
        print("no new failures")
        return 0
    print(f"\n{len(total.failures)} new failure(s):")
    for (name, _), (value, error, where) in sorted(total.failures.items(), key=lambda kv: kv[0]):
        print(f"- {name}: {error}\n    at {where}\n    reproduce: PROPERTIES[{name!r}].check({value!r})")
    return 1


if __name__ == "__main__":
    sys.exit(main())
