"""``animagine-prompt lint`` on big inputs, against a baseline taken in the same run.

    python benchmarks/lint_cli.py [--sizes 10000,100000,1000000] [--png-kb 900] [--text-mb 50]

1. One prompt of each size (characters, cut from generated prompts joined by commas) in a .txt
   file, linted with the full report. Target: the time per character at the largest size within
   2x of the time per character at the smallest (linear, give or take).
2. A prompt of ``--png-kb`` KB in a PNG's ``parameters`` chunk. Target: <= 1 s per MB.
3. A .txt file of ``--text-mb`` MB, one generated prompt per line. Target: <= 1 s per MB.

Each lint runs in this process (after one warm-up run), its report written to a counting sink.
The baseline is the floor under any lint: parsing the same text with ``animagine_prompt.parse``.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import corpus  # noqa: E402


class _Sink:
    """Counts what the report writes, keeps none of it."""

    def __init__(self) -> None:
        self.chars = 0

    def write(self, text: str) -> int:
        self.chars += len(text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def _lint(path: Path) -> tuple[float, int, int]:
    """Seconds, exit code and report characters of ``animagine-prompt lint PATH``."""
    from animagine_prompt.cli import main

    sink = _Sink()
    start = time.perf_counter()
    with contextlib.redirect_stdout(sink):  # type: ignore[type-var]
        code = main(["lint", str(path)])
    return time.perf_counter() - start, code, sink.chars


def _parse(text: str) -> float:
    from animagine_prompt import parse

    start = time.perf_counter()
    parse(text).tags()
    return time.perf_counter() - start


def _one_prompt(chars: int) -> str:
    text = ""
    seed = 0
    while len(text) < chars:
        text += ", ".join(corpus(200, seed=seed)) + ", "
        seed += 1
    return text[:chars].rsplit(",", 1)[0]


def scaling(sizes: list[int], folder: Path) -> None:
    per_char = []
    for size in sizes:
        text = _one_prompt(size)
        path = folder / f"prompt-{size}.txt"
        path.write_text(text + "\n", encoding="utf-8")
        seconds, _, report = _lint(path)
        base = _parse(text)
        per_char.append(seconds / len(text))
        print(
            f"one prompt of {len(text):>9,} chars: lint {seconds:8.2f} s ({seconds / len(text) * 1e6:7.1f} us/char, "
            f"{seconds / base:5.1f}x parse), report {report / 1e6:7.1f} MB"
        )
    # the smallest size carries the fixed cost of a run (reading the tag data, the report's
    # header): each smaller size is shown, so the growth between the large ones is visible too
    for size, time_per_char in zip(sizes[:-1], per_char[:-1], strict=True):
        ratio = per_char[-1] / time_per_char
        print(f"time per char, {sizes[-1]:,} vs {size:,} chars: {ratio:.2f}x (target <= 2x)")


def png(kb: int, folder: Path) -> None:
    from animagine_prompt.metadata import set_png_text
    from animagine_prompt.metadata._png import _minimal_png

    text = _one_prompt(kb * 1000)
    path = folder / "big.png"
    path.write_bytes(set_png_text(_minimal_png({}), {"parameters": text + "\nSteps: 28, Sampler: Euler a"}))
    seconds, _, report = _lint(path)
    base = _parse(text)
    mb = path.stat().st_size / 1e6
    print(
        f"PNG with a {mb:.2f} MB prompt: lint {seconds:7.2f} s = {seconds / mb:6.2f} s/MB "
        f"({seconds / base:5.1f}x parse; target <= 1 s/MB), report {report / 1e6:.1f} MB"
    )


def text_file(mb: float, folder: Path) -> None:
    prompts = corpus(2000, seed=7)
    path = folder / "prompts.txt"
    with path.open("w", encoding="utf-8") as handle:
        written = 0
        i = 0
        while written < mb * 1e6:
            line = prompts[i % len(prompts)] + "\n"
            handle.write(line)
            written += len(line.encode("utf-8"))
            i += 1
    size = path.stat().st_size / 1e6
    seconds, _, report = _lint(path)
    base = sum(_parse(p) for p in prompts) * (i / len(prompts))
    print(
        f"text file of {size:.1f} MB ({i:,} prompts): lint {seconds:7.2f} s = {seconds / size:6.2f} s/MB "
        f"({seconds / base:5.1f}x parse; target <= 1 s/MB), report {report / 1e6:.1f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="prompt lengths in characters")
    parser.add_argument("--png-kb", type=int, default=900, help="size of the prompt in the PNG, in KB")
    parser.add_argument("--text-mb", type=float, default=50, help="size of the text file, in MB")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        warm = folder / "warm.txt"
        warm.write_text("1girl, smile\n", encoding="utf-8")
        _lint(warm)  # imports and tag data loaded once, outside the timings
        scaling([int(s) for s in args.sizes.split(",")], folder)
        png(args.png_kb, folder)
        text_file(args.text_mb, folder)


if __name__ == "__main__":
    main()
