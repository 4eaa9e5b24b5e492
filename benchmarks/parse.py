"""Parser speed against the floor of any Python tokenizer: one ``re.finditer`` pass over the same texts.

Run: ``python benchmarks/parse.py``. Prints, measured in the same run:
- full parse (tree + fragments) per prompt on first sight of each text, as a ratio to the floor;
- ``(a:1.1), `` x 80 (A1111's Earley grammar takes seconds on such input);
- time at 1x, 10x and 100x prompt length (linear growth);
- grammar load (cold, from lark's disk cache) and ``import animagine_prompt``.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import corpus  # noqa: E402
from _timing import best_of  # noqa: E402

from animagine_prompt.syntax import parse  # noqa: E402

# A tokenizing regex as cheap as a prompt tokenizer can be: one alternation, one pass.
FLOOR = re.compile(r"\\.|[()\[\]{}<>:|,\n]|[^\\()\[\]{}<>:|,\n]+")


def main() -> None:
    n = 2000
    texts = corpus(n)
    parse("warm up")

    def floor() -> None:
        for t in texts:
            for _ in FLOOR.finditer(t):
                pass

    rounds = iter(range(10**9))

    def ours() -> None:
        # a different suffix each round: no cache can have seen the text
        k = next(rounds)
        for t in texts:
            parse(f"{t}, v{k}").fragments()

    t_floor = best_of(floor)
    t_ours = best_of(ours)
    print(f"corpus: {n} prompts, mean {statistics.mean(map(len, texts)):.0f} chars")
    print(f"floor (re.finditer):          {t_floor / n * 1e6:8.1f} us/prompt")
    ratio = t_ours / t_floor
    print(f"parse + fragments:            {t_ours / n * 1e6:8.1f} us/prompt   ratio {ratio:5.1f}x (target <= 20x)")

    heavy = "(a:1.1), " * 80
    t_heavy = best_of(lambda: parse(heavy + " ").fragments(), 20)
    print(f"'(a:1.1), ' x 80:             {t_heavy * 1e3:8.2f} ms (target <= 10 ms)")

    base = texts[0]
    print("length scaling (parse + fragments):")
    t1 = best_of(lambda: parse(base).fragments(), 20)
    for factor in (1, 10, 100):
        text = ", ".join([base] * factor)
        t = best_of(lambda text=text: parse(text).fragments(), 5 if factor < 100 else 3)
        print(f"  {factor:3d}x ({len(text):6d} chars): {t * 1e3:8.2f} ms   per-1x {t / factor / t1:5.2f}")

    cold = subprocess.run(
        [sys.executable, "-c", "import time; t=time.perf_counter(); from animagine_prompt.syntax._parser import "
         "get_parser; get_parser(); print(time.perf_counter()-t)"],
        capture_output=True, text=True, check=True,
    )
    print(f"grammar load in a new process (disk cache): {float(cold.stdout) * 1e3:6.1f} ms")
    imp = [
        float(subprocess.run([sys.executable, "-X", "importtime", "-c", "import animagine_prompt"],
                             capture_output=True, text=True, check=True).stderr.strip().splitlines()[-1].split("|")[1])
        for _ in range(5)
    ]
    print(f"import animagine_prompt: {min(imp) / 1e3:6.1f} ms (target <= 150 ms)")


if __name__ == "__main__":
    main()
