"""Lint quality on the labelled corpus: per-rule and per-severity precision and recall.

    python benchmarks/lint_quality.py [--details]

The corpus is ``tests/lint/corpus`` (its README says how labels are decided): prompts written
there, and the labels of ``../shared/data/real-prompts.jsonl`` when that file is present.
Targets: precision >= 97% for warnings and errors, >= 90% for info; recall >= 90% for the
syntax (S) and tag (T) rules. ``--details`` lists every misfire and miss by rule.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_scorecard():  # noqa: ANN201 - a module loaded from its path
    """The corpus's scoring module (it lives beside the labels, outside the package)."""
    path = ROOT / "tests" / "lint" / "corpus" / "scorecard.py"
    spec = importlib.util.spec_from_file_location("lint_corpus_scorecard", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true", help="list every misfire and miss by rule")
    args = parser.parse_args()
    sc = load_scorecard()
    cases = sc.load_written()
    if sc.REAL_PROMPTS.exists():
        cases += sc.load_real()
    else:
        print(f"({sc.REAL_PROMPTS} is absent: written prompts only)")
    card = sc.score(cases)
    print(f"{len(cases)} labelled prompts\n")
    print(sc.table(card))
    failures = card.failures()
    print(
        "\nbelow target: " + (", ".join(f"{c} {kind} {why}" for (c, kind), why in sorted(failures.items())) or "none")
    )
    if args.details:
        for title, outcomes in (("misfires", card.misfires), ("misses", card.misses)):
            print(f"\n{title}:")
            for o in sorted(outcomes, key=lambda o: (o.code, o.case)):
                print(f"  {o.code} {o.case} {o.field}: {o.text!r} {o.message}")


if __name__ == "__main__":
    main()
