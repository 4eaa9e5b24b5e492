"""Tag database benchmark on tagcomplete's 140k-row Danbooru CSV (run by hand).

    python benchmarks/tags.py [path/to/danbooru.csv]

Prints, each against a baseline measured in the same run:
- load time of the CSV merged over the bundled tags (target <= 0.5 s), against reading the same
  file with the csv module alone;
- exact/alias lookups per second (target >= 1M/s), against a bare dict lookup;
- median fuzzy suggestion time for unknown items (target <= 2 ms), against a brute-force
  ``rapidfuzz.process.extractOne`` over every key with the same scorer, and how often both agree
  on the top key (target >= 95%);
- resident memory added by the loaded database (target <= 100 MB).
"""

from __future__ import annotations

import csv
import random
import resource
import statistics
import sys
import time
from pathlib import Path

DEFAULT_CSV = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "tagcomplete-danbooru.csv"


def _rss_mb() -> float:
    # Current resident set size from /proc (Linux); ru_maxrss is the peak, not the current size.
    try:
        with open("/proc/self/statm") as handle:
            pages = int(handle.read().split()[1])
        return pages * resource.getpagesize() / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _typos(names: list[str], count: int, rng: random.Random) -> list[tuple[str, str]]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = []
    while len(out) < count:
        name = rng.choice(names)
        if len(name) < 6 or not name.isascii():
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
        out.append((typo, name))
    return out


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_CSV
    if not path.is_file():
        print(f"no tag CSV at {path}: pass the path of tagcomplete's danbooru.csv")
        return 2
    from rapidfuzz import fuzz, process

    from animagine_prompt.tags import canonical, load_database, to_prompt_form
    from animagine_prompt.tags._database import _bundled_rows

    _bundled_rows()  # the bundled files are read once per process; time the user file
    rss_before = _rss_mb()

    start = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    csv_s = time.perf_counter() - start
    del rows

    start = time.perf_counter()
    db = load_database([path])
    load_s = time.perf_counter() - start
    rss_after = _rss_mb()
    baseline = f"csv.reader alone {csv_s:.3f} s, ×{load_s / csv_s:.2f}"
    print(f"load            {load_s:.3f} s for {len(db)} tags ({baseline})")
    print(f"memory          +{rss_after - rss_before:.1f} MB resident")

    rng = random.Random(4)
    names = list(db._names)
    aliases = [a for a in db._aliases if not a.startswith("/")]
    counts = [max(1, c) for c in db._counts]
    # Prompts use popular tags far more often than rare ones: draw items in proportion to their
    # post count, in prompt form, with one in five written as an alias.
    popular = [to_prompt_form(n) for n in rng.choices(names, weights=counts, k=800_000)]
    popular += rng.choices(aliases, k=200_000)
    rng.shuffle(popular)
    # Worst case: every tag equally likely, so almost every item is new to the memo.
    uniform = [to_prompt_form(n) for n in rng.choices(names, k=150_000)] + rng.choices(aliases, k=50_000)
    rng.shuffle(uniform)
    for label, sample in (("prompt-like", popular), ("uniform", uniform)):
        fresh = load_database([path], bundled=True)
        fresh._memo.clear()
        fresh._exact_cache.clear()
        lookup = fresh.lookup
        start = time.perf_counter()
        for text in sample:
            lookup(text)
        lookup_s = time.perf_counter() - start
        index = fresh._index
        start = time.perf_counter()
        for text in sample:
            index.get(text)
        dict_s = time.perf_counter() - start
        print(
            f"lookup          {len(sample) / lookup_s / 1e6:.2f} M/s exact+alias, {label} mix of "
            f"{len(sample)} items (bare dict.get on the same items {len(sample) / dict_s / 1e6:.2f} M/s, "
            f"lookup ×{lookup_s / dict_s:.1f} its time)"
        )

    db._fuzzy_index()
    db._words()
    keys = names + aliases  # the same keys the index holds
    typos = [
        (t, n) for t, n in _typos(names, 300, rng) if canonical(t) not in index and canonical(t) not in db._aliases
    ]
    ours, brute, agree, same_key = [], [], 0, 0
    for typo, _ in typos:
        key = canonical(typo)
        start = time.perf_counter()
        found = db.suggest(typo, 5)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        best = process.extractOne(key, keys, scorer=fuzz.ratio)
        brute.append(time.perf_counter() - start)
        top = db._fuzzy_index().search(key, 1)
        if top and best and (top[0][0] == best[0] or top[0][2] == best[1]):
            agree += 1  # same key, or a key with the same score (a tie the brute force broke by order)
        same_key += bool(top and best and top[0][0] == best[0])
        del found
    ours_ms, brute_ms = statistics.median(ours) * 1e3, statistics.median(brute) * 1e3
    print(
        f"fuzzy suggest   median {ours_ms:.2f} ms (brute-force extractOne {brute_ms:.2f} ms, "
        f"×{brute_ms / ours_ms:.1f} faster); same top score as brute force on {agree}/{len(typos)} "
        f"typos ({100 * agree / len(typos):.1f}%; the very same key on {100 * same_key / len(typos):.1f}%)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
