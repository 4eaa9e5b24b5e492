"""The code table: every lint rule's stable code and where it lives, imported only when used.

Prefixes follow the layer a rule looks at: ``S0`` syntax, ``S1`` structure of the tag list,
``T`` tags (needs the tag database), ``K`` tokens and chunks, ``P`` presets. Codes are never
reused; a renamed rule keeps its old code in ``aliases``.

>>> load_rule("S101").name
'empty-item'
>>> select_codes(["S1"], ["S105"])[:2]
['S101', 'S102']
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

from animagine_prompt.errors import UsageError

if TYPE_CHECKING:  # pragma: no cover
    from animagine_prompt.lint._rule import Rule

__all__ = ["CODES", "all_rules", "load_rule", "resolve_code", "select_codes"]

#: Code -> ``module:Class`` under ``animagine_prompt.lint.rules``.
CODES: dict[str, str] = {
    # S001-S005 are the parser's own recovery codes (Prompt.diagnostics), shown under the same codes.
    "S001": "unclosed_bracket:UnclosedBracket",
    "S002": "stray_closing_bracket:StrayClosingBracket",
    "S003": "malformed_weight:MalformedWeight",
    "S004": "malformed_schedule:MalformedSchedule",
    "S005": "and_inside_brackets:AndInsideBrackets",
    "S006": "empty_group:EmptyGroup",
    "S007": "weight_out_of_range:WeightOutOfRange",
    "S008": "extreme_nested_emphasis:ExtremeNestedEmphasis",
    "S009": "break_inside_brackets:BreakInsideBrackets",
    "S010": "lowercase_break:LowercaseBreak",
    "S011": "schedule_written_as_weight:ScheduleWrittenAsWeight",
    "S012": "colon_tag_in_square_brackets:ColonTagInSquareBrackets",
    "S013": "and_in_negative:AndInNegative",
    "S014": "extension_syntax:ExtensionSyntax",
    "S015": "novelai_syntax:NovelaiSyntax",
    "S016": "network_without_brackets:NetworkWithoutBrackets",
    "S101": "empty_item:EmptyItem",
    "S102": "trailing_separator:TrailingSeparator",
    "S103": "missing_separator:MissingSeparator",
    "S104": "malformed_network_weight:MalformedNetworkWeight",
    "S105": "unknown_lora:UnknownLora",
    "T001": "unescaped_qualifier:UnescapedQualifier",
    "T002": "underscore_in_tag:UnderscoreInTag",
    "T003": "misspelled_tag:MisspelledTag",
    "T004": "unqualified_character:UnqualifiedCharacter",
    "T005": "duplicate_tag:DuplicateTag",
    "T006": "tag_in_both_prompts:TagInBothPrompts",
    "T007": "contradictory_tags:ContradictoryTags",
    "K001": "tag_split_across_chunks:TagSplitAcrossChunks",
    "K002": "too_many_chunks:TooManyChunks",
    "P001": "misplaced_quality_tag:MisplacedQualityTag",
}

#: Retired codes -> the code that replaced them.
ALIASES: dict[str, str] = {}


def resolve_code(code: str) -> str:
    """The current code for ``code`` (case-insensitive, aliases followed), or a UsageError.

    >>> resolve_code("s101")
    'S101'
    >>> resolve_code("X999")
    Traceback (most recent call last):
    ...
    animagine_prompt.errors.UsageError: unknown rule code 'X999'; `animagine-prompt rules` lists them
    """
    upper = code.strip().upper()
    upper = ALIASES.get(upper, upper)
    if upper not in CODES:
        raise UsageError(f"unknown rule code {code!r}; `animagine-prompt rules` lists them")
    return upper


@cache
def load_rule(code: str) -> type[Rule]:
    """The rule class for ``code``, importing its module on first use.

    >>> load_rule("S102").code
    'S102'
    """
    code = resolve_code(code)
    module_name, class_name = CODES[code].split(":")
    module = importlib.import_module(f"{__name__}.{module_name}")
    rule: type[Rule] = getattr(module, class_name)
    return rule


def all_rules() -> list[type[Rule]]:
    """Every rule class, in code order.

    >>> len(all_rules()) == len(CODES)
    True
    """
    return [load_rule(code) for code in sorted(CODES)]


def _matches(selector: str, code: str) -> bool:
    return selector == "ALL" or code.startswith(selector)


def select_codes(
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    extend_select: Iterable[str] = (),
    preview: bool = False,
) -> list[str]:
    """The codes enabled by ``select`` (default: every stable rule), plus ``extend_select``, less ``ignore``.

    Each selector is a full code, a prefix (``T``, ``S1``) or ``ALL``. A preview rule runs only
    when selected by its full code or when ``preview`` is set.

    >>> select_codes(["T00"], ignore=["T003", "T004"])
    ['T001', 'T002', 'T005', 'T006', 'T007']
    >>> select_codes(["Q"])
    Traceback (most recent call last):
    ...
    animagine_prompt.errors.UsageError: selector 'Q' matches no rule code; use a code, a prefix (T, S1) or ALL
    """
    chosen = ["ALL"] if select is None else [_selector(s) for s in select]
    chosen += [_selector(s) for s in extend_select]
    dropped = [_selector(s) for s in ignore]
    codes = []
    for code in sorted(CODES):
        picked = [s for s in chosen if _matches(s, code)]
        if not picked or any(_matches(s, code) for s in dropped):
            continue
        if not preview and load_rule(code).status == "preview" and code not in picked:
            continue
        codes.append(code)
    return codes


def _selector(text: str) -> str:
    upper = text.strip().upper()
    upper = ALIASES.get(upper, upper)
    if upper != "ALL" and not any(code.startswith(upper) for code in CODES):
        raise UsageError(f"selector {text!r} matches no rule code; use a code, a prefix (T, S1) or ALL")
    return upper
