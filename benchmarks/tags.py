"""Tag database benchmark on the bundled 140k-tag vocabulary (run by hand).

    python benchmarks/tags.py [--processes 11] [--typos 300]

Prints, each against a baseline measured in the same process:
- load: reading the bundled vocabulary, and the resident memory it adds, against ``csv.reader`` on
  tagcomplete's CSV (../shared/data, when present: the file the vocabulary is built from);
- the first fuzzy lookup of a fresh process, typo index included (target <= 0.5x), against one
  brute-force ``rapidfuzz.process.extractOne`` over the same keys with the same scorer; measured in
  ``--processes`` fresh processes, each on its own typo, the best of each side reported;
- later fuzzy lookups, median over ``--typos`` typos (target <= 0.1x) against the same brute force,
  and how often both find a key of the same score (target >= 95%);
- exact and alias lookups per second against a bare ``dict.get`` on the same items.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CSV = ROOT / ".." / "shared" / "data" / "tagcomplete-danbooru.csv"


def _rss_mb() -> float:
    # Current resident set size (Linux); ru_maxrss would be the peak, not the current size.
    import resource

    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * resource.getpagesize() / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def typos(names: list[str], count: int, seed: int) -> list[str]:
    """``count`` one-edit misspellings of popular-looking names (6+ ASCII letters, no qualifier)."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    out: list[str] = []
    while len(out) < count:
        name = rng.choice(names)
        if len(name) < 6 or not name.isascii() or "(" in name:
            continue
        i = rng.randrange(len(name))
        kind = rng.choice(("delete", "insert", "replace", "swap"))
        if kind == "delete":
            typo = name[:i] + name[i + 1 :]
        elif kind == "insert":
            typo = name[:i] + rng.choice(letters) + name[i:]
        elif kind == "replace":
            typo = name[:i] + rng.choice(letters) + name[i + 1 :]
        else:
            i = min(i, len(name) - 2)
            typo = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
        out.append(typo)
    return out


def child(seed: int, count: int) -> None:
    """One fresh process: load, then the first and later fuzzy lookups against brute force (JSON out)."""
    from animagine_prompt.tags import canonical, load_database

    rss_before = _rss_mb()
    start = time.perf_counter()
    db = load_database()
    load_s = time.perf_counter() - start
    rss_after = _rss_mb()
    from rapidfuzz import fuzz, process

    vocabulary = db._vocabulary
    keys = [vocabulary.key(i) for i in vocabulary.by_first]  # the keys the typo index searches
    # Typos of names the database does not know under that spelling.
    names = str(vocabulary.names.blob, "utf-8").split("\n")  # a copy: the column itself stays unsplit
    candidates = [t for t in typos(names, 4 * count + 20, seed) if t not in db and db.category_of(t) is None]
    first, rest = candidates[0], candidates[1 : count + 1]

    start = time.perf_counter()
    db.lookup(first)
    first_s = time.perf_counter() - start
    start = time.perf_counter()
    process.extractOne(canonical(first), keys, scorer=fuzz.ratio)
    first_brute_s = time.perf_counter() - start

    ours, brute, agree = [], [], 0
    index = db._fuzzy_index()
    for typo in rest:
        key = canonical(typo)
        start = time.perf_counter()
        db.suggest(typo, 5)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        best = process.extractOne(key, keys, scorer=fuzz.ratio)
        brute.append(time.perf_counter() - start)
        top = index.search(key, 1)
        # The same key, or one of the same score (a tie the brute force broke by order).
        agree += bool(top and best and (top[0][0] == best[0] or top[0][2] == best[1]))
    print(
        json.dumps(
            {
                "load_s": load_s,
                "rss_mb": rss_after - rss_before,
                "tags": len(db),
                "keys": len(keys),
                "first_s": first_s,
                "first_brute_s": first_brute_s,
                "later_s": statistics.median(ours) if ours else 0.0,
                "later_brute_s": statistics.median(brute) if brute else 0.0,
                "agree": agree,
                "typos": len(rest),
            }
        )
    )


def exact_lookups() -> None:
    from animagine_prompt.tags import load_database, to_prompt_form

    db = load_database()
    vocabulary = db._vocabulary
    rng = random.Random(4)
    counts = [max(1, c) for c in vocabulary.counts]
    aliases = [a for a in vocabulary.aliases if not a.startswith("/")]
    # Prompts use popular tags far more often than rare ones: items drawn in proportion to their
    # post count, in prompt form, one in five an alias.
    sample = [to_prompt_form(n) for n in rng.choices(list(vocabulary.names), weights=counts, k=400_000)]
    sample += rng.choices(aliases, k=100_000)
    rng.shuffle(sample)
    db._memo.clear()
    start = time.perf_counter()
    for text in sample:
        db.lookup(text)
    lookup_s = time.perf_counter() - start
    index = dict.fromkeys(vocabulary.names)
    start = time.perf_counter()
    for text in sample:
        index.get(text)
    dict_s = time.perf_counter() - start
    print(
        f"exact lookups   {len(sample) / lookup_s / 1e6:.2f} M/s on {len(sample):,} prompt-like items "
        f"(bare dict.get {len(sample) / dict_s / 1e6:.2f} M/s; lookup x{lookup_s / dict_s:.1f} its time)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=11)
    parser.add_argument("--typos", type=int, default=300)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child, args.typos)
        return 0

    runs = []
    for seed in range(args.processes):
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(seed), "--typos", str(args.typos if seed == 0 else 0)],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(out.stdout))
    load_s = statistics.median(r["load_s"] for r in runs)
    rss = statistics.median(r["rss_mb"] for r in runs)
    line = f"load            {load_s * 1e3:.1f} ms for {runs[0]['tags']:,} tags, +{rss:.1f} MB resident"
    if CSV.is_file():
        start = time.perf_counter()
        with CSV.open(encoding="utf-8", newline="") as handle:
            rows = sum(1 for _ in csv.reader(handle))
        csv_s = time.perf_counter() - start
        line += f" (csv.reader alone on the {rows:,}-row source CSV: {csv_s * 1e3:.1f} ms, x{load_s / csv_s:.2f})"
    print(line)
    ratios = [r["first_s"] / r["first_brute_s"] for r in runs]
    # Best of the fresh processes for each side: the runs least disturbed by a busy machine.
    first_ms = min(r["first_s"] for r in runs) * 1e3
    brute_ms = min(r["first_brute_s"] for r in runs) * 1e3
    print(
        f"first fuzzy     {first_ms:.2f} ms, index included (brute-force extractOne over {runs[0]['keys']:,} keys "
        f"{brute_ms:.2f} ms), best of {len(runs)} fresh processes: {first_ms / brute_ms:.2f}x (target <= 0.5x; "
        f"median of the per-process ratios {statistics.median(ratios):.2f}x)"
    )
    main_run = runs[0]
    later, brute = main_run["later_s"] * 1e3, main_run["later_brute_s"] * 1e3
    agree = 100 * main_run["agree"] / main_run["typos"]
    print(
        f"later fuzzy     median {later:.2f} ms over {main_run['typos']} typos (brute force {brute:.2f} ms): "
        f"{later / brute:.3f}x (target <= 0.1x); same top score as brute force on {agree:.1f}% (target >= 95%)"
    )
    exact_lookups()
    return 0


if __name__ == "__main__":
    sys.exit(main())
