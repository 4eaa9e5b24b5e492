"""Rule documentation built from the registry: one page per rule and the table of all rules.

``docs/gen_rules.py``, ``animagine-prompt rules CODE`` and ``animagine-prompt lint --explain CODE``
all print these same texts, so the reference cannot drift from the code.
"""

from __future__ import annotations

from animagine_prompt.lint._fix import FixAvailability
from animagine_prompt.lint._rule import Rule

__all__ = ["rule_page", "rules_table"]

_FIX = {
    FixAvailability.NONE: "none",
    FixAvailability.SOMETIMES: "sometimes",
    FixAvailability.ALWAYS: "always",
}


def rule_page(rule: type[Rule]) -> str:
    """The Markdown page of one rule: title, facts, options, then its explanation.

    >>> from animagine_prompt.lint.rules import load_rule
    >>> print(rule_page(load_rule("S101")).splitlines()[0])
    # S101 empty-item
    """
    lines = [
        f"# {rule.code} {rule.name}",
        "",
        rule.summary(),
        "",
        f"- Default severity: {rule.severity.value}",
        f"- Fix: {_FIX[rule.fix_availability]}",
        f"- Status: {rule.status}",
        f"- Applies to: {', '.join(f.replace('_', ' ') for f in rule.fields)}",
    ]
    if rule.needs:
        lines.append(f"- Needs: {', '.join(sorted(rule.needs))}")
    if rule.aliases:
        lines.append(f"- Former codes: {', '.join(rule.aliases)}")
    if rule.options:
        lines += ["", "## Options", ""]
        for key, option in rule.options.items():
            lines.append(f"- `{key}` (default `{option.default!r}`): {option.help}")
        lines += [
            "",
            "Set them in the config file:",
            "",
            "```toml",
            f"[tool.animagine-prompt.lint.rules.{rule.code}]",
            *(f"{key} = {_toml(option.default)}" for key, option in rule.options.items()),
            "```",
        ]
    lines += ["", rule.explanation(), ""]
    return "\n".join(lines)


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(f'"{v}"' for v in value) + "]"
    return repr(value)


def rules_table(rules: list[type[Rule]], link: str | None = "rules/{code}.md") -> str:
    """A Markdown table of the rules: code, name, severity, fix, summary.

    >>> from animagine_prompt.lint.rules import load_rule
    >>> print(rules_table([load_rule("S102")], link=None).splitlines()[2])
    | S102 | trailing-separator | info | always | Trailing separator: the prompt ends with a comma. |
    """
    lines = ["| Code | Name | Severity | Fix | Summary |", "| --- | --- | --- | --- | --- |"]
    for rule in rules:
        code = rule.code if link is None else f"[{rule.code}]({link.format(code=rule.code)})"
        summary = rule.summary().replace("|", "\\|")
        lines.append(f"| {code} | {rule.name} | {rule.severity.value} | {_FIX[rule.fix_availability]} | {summary} |")
    return "\n".join(lines)
