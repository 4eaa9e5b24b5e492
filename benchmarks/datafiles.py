"""Data-file reader benchmark (run by hand).

    python benchmarks/datafiles.py [--max-mb 1]

For texts of about 1 KB to ``--max-mb`` MB, prints the time of ``load_data`` per MB of text:

- ordinary data (a batch-style list of prompt records; a TOML table of them) against the plain
  parser on the same text in the same run (``json.loads``, ``yaml.load`` with the C safe loader,
  ``tomllib.loads``), and with ``located=True`` (what lint reads prompt files with);
- hostile text of the same size (deep nesting, YAML aliases, dotted TOML keys), which must be
  refused in time linear in its size (target: within 2x of linear from 10 KB up).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import best_of  # noqa: E402


def records(size: int) -> list[dict[str, object]]:
    """Prompt records, about ``size`` characters once written as JSON."""
    one = {"prompt": "1girl, (green hair:1.2), looking at viewer, [smile|grin]", "steps": 28, "guidance": 7.5}
    count = max(1, size // len(json.dumps(one)))
    return [{**one, "seed": i} for i in range(count)]


def texts(size: int) -> dict[str, str]:
    import yaml

    data = records(size)
    toml = "".join(
        f'[r{i}]\nprompt = "{r["prompt"]}"\nsteps = {r["steps"]}\nseed = {r["seed"]}\n' for i, r in enumerate(data)
    )
    return {"json": json.dumps(data), "yaml": yaml.dump(data, Dumper=yaml.CSafeDumper), "toml": toml}


def hostile(size: int) -> dict[str, str]:
    # "billion laughs": each line an anchor naming the one before nine times
    lines = ["- &a0 [" + ", ".join(["lol"] * 9) + "]"]
    while sum(len(line) + 1 for line in lines) < size:
        n = len(lines)
        lines.append(f"- &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]")
    aliases = "\n".join(lines) + "\n"
    return {
        "json [": "[" * size,
        "yaml [": "- " + "[" * size,
        "yaml aliases": aliases,
        "toml [": "a = " + "[" * size,
        "toml dotted": "a" + ".b" * (size // 2) + " = 1",
    }


def plain(fmt: str) -> Callable[[str], object]:
    import tomllib
    import yaml

    if fmt == "json":
        return json.loads
    if fmt == "yaml":
        return lambda text: yaml.load(text, Loader=yaml.CSafeLoader)  # noqa: S506 - a safe loader
    return tomllib.loads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-mb", type=float, default=1.0)
    args = parser.parse_args()

    from animagine_prompt._datafiles import load_data
    from animagine_prompt.errors import InputError

    sizes = [s for s in (1_000, 10_000, 100_000, 1_000_000, 10_000_000) if s <= args.max_mb * 1_000_000]
    print("ordinary data: ms per MB of text (load_data / the plain parser, same run)")
    for size in sizes:
        for fmt, text in texts(size).items():
            print(f"  {fmt:5} {len(text):>10,} chars: {ordinary(load_data, fmt, text)}")

    print("hostile text: ms per MB until refused (flat = linear)")
    for size in sizes:
        for name, text in hostile(size).items():
            seconds = best_of(partial(refuse, load_data, InputError, name, text), repeat=3)
            print(f"  {name:12} {len(text):>10,} chars: {seconds / (len(text) / 1e6) * 1e3:8.1f} ms/MB")


def ordinary(load_data: Callable[..., object], fmt: str, text: str) -> str:
    mb = len(text) / 1e6
    ours = best_of(partial(load_data, text, fmt), repeat=3) / mb
    base = best_of(partial(plain(fmt), text), repeat=3) / mb
    line = f"{ours * 1e3:8.1f} ms/MB = {ours / base:4.2f}x plain"
    if fmt != "toml":
        located = best_of(partial(load_data, text, fmt, located=True), repeat=3) / mb
        line += f", located {located * 1e3:8.1f} ms/MB = {located / base:4.2f}x plain"
    return line


def refuse(load_data: Callable[..., object], error: type[Exception], name: str, text: str) -> None:
    try:
        load_data(text, name.split()[0])
    except error:
        return
    raise AssertionError(f"{name} of {len(text)} characters was accepted")


if __name__ == "__main__":
    main()
