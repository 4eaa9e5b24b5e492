"""The linter: rules with stable codes, fixes with a safety level, and reporters.

>>> from animagine_prompt.lint import fix, lint
>>> [(f.code, f.span) for f in lint("1girl, , green hair")]
[('S101', (5, 8))]
>>> fix("1girl, , green_hair").prompt
'1girl, green hair'

Rules live one per module in ``lint/rules`` and are imported only when selected; the code table
is ``animagine_prompt.lint.rules.CODES``.
"""

from __future__ import annotations

from animagine_prompt.lint._engine import FixResult, Linter, fix, lint
from animagine_prompt.lint._fix import Applicability, Edit, Fix, FixAvailability
from animagine_prompt.lint._rule import Finding, Option, Rule
from animagine_prompt.lint._settings import LintSettings, load_settings
from animagine_prompt.lint.reporters import OutputFormat

__all__ = [
    "Applicability",
    "Edit",
    "Finding",
    "Fix",
    "FixAvailability",
    "FixResult",
    "LintSettings",
    "Linter",
    "Option",
    "OutputFormat",
    "Rule",
    "fix",
    "lint",
    "load_settings",
]

for _name in __all__:
    _obj = globals()[_name]
    if hasattr(_obj, "__module__") and not callable(getattr(_obj, "__self__", None)):
        try:
            _obj.__module__ = __name__
        except (AttributeError, TypeError):
            pass
del _name, _obj
