"""Lint throughput and cold start, measured against baselines taken in the same run.

    python benchmarks/lint.py [--prompts 10000]

1. Throughput on a generated corpus of realistic prompts (tags from the bundled vocabulary,
   weights, BREAK, LoRAs, typos and stray separators), with the bundled tag data and with the
   140k-row tagcomplete CSV from ../shared/data when present. Target: >= 1,000 prompts/s.
   Baseline: parsing the same prompts alone.
2. Cold start of ``animagine-prompt lint PROMPT`` against ``python -c pass``.
   Target: <= 0.3 s more.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CARD_PROMPT = (
    "face focus, cute, masterpiece, best quality, 1girl, green hair, sweater, looking at viewer, "
    "upper body, beanie, outdoors, night, turtleneck"
)
CSV = ROOT / ".." / "shared" / "data" / "tagcomplete-danbooru.csv"


def corpus(n: int, seed: int = 0) -> list[tuple[str, str]]:
    """``n`` prompt/negative pairs shaped like the ones people write."""
    from animagine_prompt._resources import data_dir
    from animagine_prompt.tags import read_tag_file, to_prompt_form

    rows = read_tag_file(data_dir("tag_data") / "selected_tags.csv")
    vocabulary = [to_prompt_form(row.name) for row in rows[:3000]]
    rng = random.Random(seed)
    quality = ["masterpiece", "best quality", "high quality", "absurdres"]
    negative = "lowres, bad anatomy, bad hands, text, error, missing fingers, worst quality, low quality, blurry"
    out = []
    for _ in range(n):
        tags = rng.sample(vocabulary, rng.randint(8, 35))
        items = []
        for tag in tags:
            roll = rng.random()
            if roll < 0.1:
                tag = f"({tag}:{rng.choice(['0.8', '1.1', '1.2', '1.4'])})"
            elif roll < 0.15:
                tag = f"(({tag}))"
            elif roll < 0.18 and len(tag) > 5:
                i = rng.randrange(1, len(tag) - 1)
                tag = tag[:i] + tag[i + 1 :]  # a typo
            elif roll < 0.2:
                tag = tag.replace(" ", "_")
            items.append(tag)
        if rng.random() < 0.2:
            items.insert(rng.randrange(len(items)), "BREAK")
        if rng.random() < 0.2:
            items.append(f"<lora:style-{rng.randint(1, 9)}:0.{rng.randint(3, 9)}>")
        if rng.random() < 0.1:
            items.insert(rng.randrange(len(items)), "")
        out.append((", ".join(rng.sample(quality, 2) + items), negative))
    return out


# Prompts per block: the baseline and the linter take turns on each block, so that a change in
# the machine's load during the run falls on both.
_BLOCK = 250


def _rates(fns: list, prompts: list[tuple[str, str]]) -> list[float]:
    """Prompts per second of CPU time for each of ``fns`` over ``prompts``, in alternating blocks.

    CPU time of this process, not wall time: on a shared machine other processes' load would
    otherwise count against whichever function happened to run beside it. Each function still
    sees every prompt once, in order (a linter's memos fill as they would in one pass).
    """
    spent = [0.0] * len(fns)
    for at in range(0, len(prompts), _BLOCK):
        block = prompts[at : at + _BLOCK]
        for i, fn in enumerate(fns):
            start = time.process_time()
            for prompt, negative in block:
                fn(prompt, negative)
            spent[i] += time.process_time() - start
    return [len(prompts) / max(s, 1e-9) for s in spent]


def throughput(n: int) -> None:
    from animagine_prompt.lint import Linter
    from animagine_prompt.syntax import parse

    prompts = corpus(n)

    def parse_only(prompt: str, negative: str) -> None:
        parse(prompt).tags()
        parse(negative).tags()

    linter = Linter()
    linter.lint(*prompts[0])  # load the tag database and tokenizer outside the timing
    linters = [linter]
    load = 0.0
    if CSV.is_file():
        linters.append(Linter(tag_paths=(str(CSV),)))
        started = time.perf_counter()
        linters[1].lint(*prompts[0])
        load = time.perf_counter() - started
    base, *rates = _rates([parse_only, *(one.lint for one in linters)], prompts)
    print(f"baseline: parse + tags only      {base:9.0f} prompts/s  (CPU time)")
    rate = rates[0]
    print(f"lint, bundled tags               {rate:9.0f} prompts/s  ({rate / base:.2f}x parse; target >= 1000)")
    if len(rates) > 1:
        rate = rates[1]
        print(
            f"lint, + 140k-row CSV             {rate:9.0f} prompts/s  ({rate / base:.2f}x parse; CSV load {load:.2f} s)"
        )
    else:
        print(f"lint, + 140k-row CSV             skipped ({CSV} not found)")


def cold_start(runs: int = 7) -> None:
    script = Path(sys.executable).with_name("animagine-prompt")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "animagine_prompt"]

    def timed(args: list[str]) -> float:
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(args, capture_output=True, check=False)
            samples.append(time.perf_counter() - start)
        return statistics.median(samples)

    base = timed([sys.executable, "-c", "pass"])
    short = timed([*command, "lint", "1girl, green hair, (smile:1.2), BREAK, outdoors"])
    card = timed([*command, "lint", CARD_PROMPT])
    print(f"cold start: python -c pass       {base:6.3f} s")
    for label, value in (("short prompt", short), ("model-card prompt", card)):
        print(f"cold start: lint, {label:<17} {value:6.3f} s  (+{value - base:.3f} s; target <= +0.300 s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=int, default=10_000)
    args = parser.parse_args()
    throughput(args.prompts)
    cold_start()


if __name__ == "__main__":
    main()
