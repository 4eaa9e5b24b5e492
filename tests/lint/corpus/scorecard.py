"""Scoring the linter against the labelled corpus: per-rule precision and recall.

A label says what the linter must and must not report on one prompt (see README.md here).
Each finding is a hit when a ``must`` label accepts it, a misfire when a ``must_not`` label
covers it, and is not counted otherwise ("don't care"). Recall is the share of ``must``
labels that some finding met.

>>> case = Case("demo", "1girl, , green_hair", None, {"prompt": parse_labels(["S101 , ,"], ["T"])})
>>> card = score([case])
>>> card.rules["S101"].precision, card.rules["S101"].recall, card.rules["T002"].misfires
(1.0, 1.0, 1)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
#: The prompts people wrote, kept beside the repository (labels here are keyed by their line).
REAL_PROMPTS = HERE.parents[2].parent / "shared" / "data" / "real-prompts.jsonl"

#: Targets of the issue: precision per severity, recall for the syntax and tag rules.
PRECISION_TARGET = {"error": 0.97, "warning": 0.97, "info": 0.90}
RECALL_TARGET = 0.90
RECALL_FAMILIES = ("S", "T")

_CODE = re.compile(r"^(?:\*|[A-Z]\d{0,3})$")
#: The rules the labels were written against. A family (`S`, `T0`, `*`) stands for these only:
#: a rule added later is "don't care" until labels name it.
LABELLED_CODES = frozenset(
    "K001 K002 P001 S001 S002 S003 S004 S005 S006 S007 S008 S009 S010 S011 S012 S013 "
    "S101 S102 S103 S104 S105 T001 T002 T003 T004 T005 T006 T007".split()
)
FIELD_KEYS = {
    "prompt": ("must", "must_not", "maybe"),
    "negative_prompt": ("neg_must", "neg_must_not", "neg_maybe"),
}


@dataclass(frozen=True)
class Label:
    """One entry: a rule code (or, in ``must_not``, a prefix or ``*``) and optional span text."""

    code: str
    span: str | None = None

    @property
    def exact(self) -> bool:
        """Whether the label names one rule (``T002``) rather than a family (``T``, ``S1``, ``*``)."""
        return len(self.code) == 4


@dataclass(frozen=True)
class FieldLabels:
    """What one field (the prompt or the negative) must, must not and may produce."""

    must: tuple[Label, ...] = ()
    must_not: tuple[Label, ...] = ()
    #: Exceptions to ``must_not``: findings they meet are not counted (an item that is arguable).
    maybe: tuple[Label, ...] = ()


def _label(entry: str, allow_prefix: bool) -> Label:
    code, _, span = str(entry).partition(" ")
    if not _CODE.match(code) or (not allow_prefix and len(code) != 4):
        raise ValueError(f"bad label {entry!r}: expected a rule code{' or prefix' if allow_prefix else ''}")
    return Label(code, span or None)


def parse_labels(
    must: Iterable[str] | None = (), must_not: Iterable[str] | None = (), maybe: Iterable[str] | None = ()
) -> FieldLabels:
    """Labels from their YAML form: ``"T002"``, ``"T002 green_hair"`` (code, space, span text).

    >>> parse_labels(["T002 green_hair"], ["S1"]).must[0]
    Label(code='T002', span='green_hair')
    """
    return FieldLabels(
        tuple(_label(e, allow_prefix=False) for e in must or ()),
        tuple(_label(e, allow_prefix=True) for e in must_not or ()),
        tuple(_label(e, allow_prefix=False) for e in maybe or ()),
    )


@dataclass(frozen=True)
class Case:
    """A prompt, its negative and the labels of each field."""

    id: str
    prompt: str
    negative: str | None
    labels: dict[str, FieldLabels]
    note: str = ""

    def text(self, field_name: str) -> str | None:
        """The text of ``prompt`` or ``negative_prompt``."""
        return self.prompt if field_name == "prompt" else self.negative


def _case(cid: str, prompt: str, negative: str | None, entry: dict) -> Case:
    labels = {}
    for field_name, keys in FIELD_KEYS.items():
        labels[field_name] = parse_labels(*(entry.get(key) for key in keys))
    unknown = set(entry) - {"line", "prompt", "negative", "note", *sum(FIELD_KEYS.values(), ())}
    if unknown:
        raise ValueError(f"{cid}: unknown keys {sorted(unknown)}")
    return Case(cid, prompt, negative, labels, entry.get("note", ""))


def label_files() -> list[Path]:
    """The corpus's label files."""
    return sorted(HERE.glob("*.yml"))


def load_written() -> list[Case]:
    """The cases whose prompts are written in the label files themselves."""
    cases = []
    for path in label_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("source") != "written":
            continue
        for i, entry in enumerate(data["labels"], 1):
            cases.append(_case(f"{path.stem}:{i}", entry["prompt"], entry.get("negative"), entry))
    return cases


def load_real(prompts_path: Path = REAL_PROMPTS) -> list[Case]:
    """The cases of ``real-prompts.jsonl``, labelled by line in ``real-prompts.yml``."""
    rows = [json.loads(line) for line in prompts_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    data = yaml.safe_load((HERE / "real-prompts.yml").read_text(encoding="utf-8"))
    cases = []
    for entry in data["labels"]:
        row = rows[entry["line"] - 1]
        cases.append(_case(f"real:{entry['line']}", row["prompt"], row.get("negative"), entry))
    return cases


def _occurrences(text: str, span: str) -> Iterator[tuple[int, int]]:
    start = text.find(span)
    while start != -1:
        yield start, start + len(span)
        start = text.find(span, start + 1)


def _meets(label: Label, code: str, span: tuple[int, int], text: str) -> bool:
    if label.code != code:
        return False
    if label.span is None:
        return True
    a, b = span
    return any(
        (a < end and start < b) or (a == b and start <= a <= end) for start, end in _occurrences(text, label.span)
    )


def _covers(label: Label, code: str, span: tuple[int, int], text: str, must: Sequence[Label]) -> bool:
    if label.exact:
        return _meets(label, code, span, text)
    if code not in LABELLED_CODES or (label.code != "*" and not code.startswith(label.code)):
        return False
    # A family label leaves alone the codes the must list accepts anywhere in the field.
    return not any(m.code == code and m.span is None for m in must)


@dataclass
class RuleScore:
    """Counts for one rule over the corpus."""

    code: str
    severity: str
    hits: int = 0
    misfires: int = 0
    required: int = 0
    met: int = 0

    @property
    def precision(self) -> float | None:
        """Hits over the counted findings; ``None`` when no finding was counted."""
        counted = self.hits + self.misfires
        return self.hits / counted if counted else None

    @property
    def recall(self) -> float | None:
        """Met ``must`` labels over all of them; ``None`` when there are none."""
        return self.met / self.required if self.required else None


@dataclass(frozen=True)
class Outcome:
    """One misfire or miss, for the report."""

    case: str
    field: str
    code: str
    text: str
    message: str = ""


@dataclass
class Scorecard:
    """Per-rule scores, and the misfires and misses behind them."""

    rules: dict[str, RuleScore]
    misfires: list[Outcome] = field(default_factory=list)
    misses: list[Outcome] = field(default_factory=list)

    def by_severity(self) -> dict[str, RuleScore]:
        """The same counts summed per severity."""
        out: dict[str, RuleScore] = {}
        for rule in self.rules.values():
            total = out.setdefault(rule.severity, RuleScore(rule.severity, rule.severity))
            total.hits += rule.hits
            total.misfires += rule.misfires
            total.required += rule.required
            total.met += rule.met
        return out

    def failures(self) -> dict[tuple[str, str], str]:
        """``(code, "precision" | "recall")`` -> why the rule misses its target."""
        out = {}
        for code, rule in self.rules.items():
            p, r = rule.precision, rule.recall
            if p is not None and p < PRECISION_TARGET[rule.severity]:
                out[code, "precision"] = f"{p:.1%} < {PRECISION_TARGET[rule.severity]:.0%}"
            if r is not None and code.startswith(RECALL_FAMILIES) and r < RECALL_TARGET:
                out[code, "recall"] = f"{r:.1%} < {RECALL_TARGET:.0%}"
        return out


def _rule_scores() -> dict[str, RuleScore]:
    from animagine_prompt.lint.rules import CODES, load_rule

    return {code: RuleScore(code, load_rule(code).severity.value) for code in CODES}


def score(cases: Iterable[Case], linter: object | None = None) -> Scorecard:
    """Lint every case and count hits, misfires and met labels per rule."""
    from animagine_prompt.lint import Linter

    linter = linter or Linter()
    card = Scorecard(_rule_scores())
    for case in cases:
        findings = linter.lint(case.prompt, case.negative)  # type: ignore[attr-defined]
        for field_name, labels in case.labels.items():
            text = case.text(field_name)
            if text is None:
                continue
            mine = [f for f in findings if f.field == field_name]
            for f in mine:
                rule = card.rules[f.code]
                if any(_meets(m, f.code, f.span, text) for m in labels.must):
                    rule.hits += 1
                elif any(_meets(m, f.code, f.span, text) for m in labels.maybe):
                    continue
                elif any(_covers(n, f.code, f.span, text, labels.must) for n in labels.must_not):
                    rule.misfires += 1
                    card.misfires.append(Outcome(case.id, field_name, f.code, text[f.span[0] : f.span[1]], f.message))
            for m in labels.must:
                rule = card.rules[m.code]
                rule.required += 1
                if any(_meets(m, f.code, f.span, text) for f in mine):
                    rule.met += 1
                else:
                    card.misses.append(Outcome(case.id, field_name, m.code, m.span or ""))
    return card


def check_spans(cases: Iterable[Case]) -> list[str]:
    """Labels whose span text is not in their field (a typo in the label file)."""
    problems = []
    for case in cases:
        for field_name, labels in case.labels.items():
            text = case.text(field_name) or ""
            for label in (*labels.must, *labels.must_not, *labels.maybe):
                if label.span is not None and label.span not in text:
                    problems.append(f"{case.id} {field_name}: {label.code} {label.span!r} is not in the text")
    return problems


def _pct(value: float | None) -> str:
    return "   n/a" if value is None else f"{value:6.1%}"


def table(card: Scorecard) -> str:
    """The per-rule and per-severity table, as printed by ``benchmarks/lint_quality.py``."""
    lines = ["code  severity  hits misfires precision  met/must  recall"]
    for code in sorted(card.rules):
        r = card.rules[code]
        lines.append(
            f"{code}  {r.severity:8}  {r.hits:4} {r.misfires:8}    {_pct(r.precision)}  "
            f"{r.met:3}/{r.required:<4}  {_pct(r.recall)}"
        )
    lines.append("")
    for severity, r in sorted(card.by_severity().items()):
        counts = f"{r.hits:4} {r.misfires:8}    {_pct(r.precision)}  {r.met:3}/{r.required:<4}  {_pct(r.recall)}"
        lines.append(f"{severity:14}  {counts}")
    return "\n".join(lines)
