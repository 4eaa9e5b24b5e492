"""Token accounting speed: tokenizer load, tokenize and plan, against bare ``tokenizers`` in the same run.

Run by hand from the repository root::

    python benchmarks/tokens.py [--repeat 7]

Texts: the prompts and negatives of ``../shared/data/real-prompts.jsonl``. Every figure is the
best of ``--repeat`` rounds. The floor is the ``tokenizers.Tokenizer`` inside the bundled
tokenizer, called directly on each whole prompt: ``encode`` one prompt at a time and one
``encode_batch`` over all of them. Load times are measured in fresh interpreters.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROMPTS = ROOT / ".." / "shared" / "data" / "real-prompts.jsonl"


def fresh(code: str, repeat: int) -> float:
    """Best wall time of ``code`` in a new interpreter, as it reports it itself."""
    times = []
    for _ in range(repeat):
        command = [sys.executable, "-c", code]
        out = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
        times.append(float(out.stdout.strip()))
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    if not PROMPTS.is_file():
        print(f"{PROMPTS} is absent: nothing to measure", file=sys.stderr)
        return 2
    texts = []
    for line in PROMPTS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            texts += [record["prompt"]] + ([record["negative"]] if record.get("negative") else [])

    sys.path.insert(0, str(ROOT))
    from animagine_prompt.syntax import parse
    from animagine_prompt.tokens import load_tokenizer, plan, plan_many
    from animagine_prompt.tokens._tokenizer import _backend

    tok = load_tokenizer()
    backend = _backend("clip_l")[0]  # the bare tokenizers.Tokenizer
    n = len(texts)
    tokens = sum(len(e.ids) for e in backend.encode_batch(texts, add_special_tokens=False))
    r = args.repeat

    fragments = [parse(t).fragments() for t in texts]

    def plan_parsed() -> float:
        prompts = [parse(t) for t in texts]  # fresh objects: nothing cached from a previous round
        start = time.perf_counter()
        for p in prompts:
            plan(p)
        return time.perf_counter() - start

    contenders = {
        "floor: tokenizers encode, one at a time": lambda: [
            backend.encode(t, add_special_tokens=False) for t in texts
        ],
        "floor: tokenizers encode_batch": lambda: backend.encode_batch(texts, add_special_tokens=False),
        "ClipTokenizer.encode, one at a time": lambda: [tok.encode(t) for t in texts],
        "ClipTokenizer.encode_batch": lambda: tok.encode_batch(texts),
        "plan(fragments)  (tokenize + plan)": lambda: [plan(f) for f in fragments],
        "plan_many(fragments) (one batched call)": lambda: plan_many(fragments),
        "plan(Prompt)     (+ fragments, tags)": plan_parsed,
        "parse(text)      (syntax, reference)": lambda: [parse(t) for t in texts],
        "plan(text)       (parse + all above)": lambda: [plan(t) for t in texts],
    }
    # Round-robin rounds, best of each: a busy machine slows every contender of a round alike.
    results = dict.fromkeys(contenders, float("inf"))
    for _ in range(r):
        for name, fn in contenders.items():
            start = time.perf_counter()
            inner = fn()
            elapsed = inner if isinstance(inner, float) else time.perf_counter() - start
            results[name] = min(results[name], elapsed)
    floor_one = results["floor: tokenizers encode, one at a time"]
    floor_batch = results["floor: tokenizers encode_batch"]

    with tempfile.TemporaryDirectory() as tmp:
        json_path = Path(tmp) / "tokenizer.json"
        backend.save(str(json_path))
        load_json = fresh(
            "import time; t = time.perf_counter(); from tokenizers import Tokenizer;"
            f"Tokenizer.from_file({str(json_path)!r}); print(time.perf_counter() - t)",
            r,
        )
    load_ours = fresh(
        "import time; t = time.perf_counter(); from animagine_prompt.tokens import load_tokenizer;"
        "load_tokenizer(); print(time.perf_counter() - t)",
        r,
    )
    import_ours = fresh(
        "import time; t = time.perf_counter(); import animagine_prompt.tokens;"
        "print(time.perf_counter() - t)",
        r,
    )

    def ms(seconds: float, per: int = 1) -> str:
        return f"{seconds / per * 1e3:8.3f} ms"

    print(f"{n} texts, {tokens} tokens, best of {r}\n")
    print(f"{'per prompt':40} {'time':>11}   x floor(one)  x floor(batch)")
    rows = list(results.items())
    for name, seconds in rows:
        print(f"{name:40} {ms(seconds, n)}   {seconds / floor_one:6.2f}x      {seconds / floor_batch:6.2f}x")
    print(f"\n{'load (fresh interpreter)':40} {'time':>11}   x tokenizer.json")
    for name, seconds in [
        ("Tokenizer.from_file(tokenizer.json)", load_json),
        ("import animagine_prompt.tokens", import_ours),
        ("import + load_tokenizer()", load_ours),
    ]:
        print(f"{name:40} {ms(seconds)}   {seconds / load_json:6.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
