"""The linter: rules with stable codes, fixes with a safety level, and reporters.

>>> from animagine_prompt.lint import fix, lint
>>> [(f.code, f.span) for f in lint("1girl, , green hair")]
[('S101', (5, 8))]
>>> fix("1girl, , green_hair").prompt
'1girl, green hair'

Rules live one per module in ``lint/rules`` and are imported only when selected; the code table
is ``animagine_prompt.lint.rules.CODES``. Names here are loaded on first use, so importing a
submodule (a reporter, the code table) does not load the engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from animagine_prompt._lazy import lazy_exports

# public name -> private module defining it
_EXPORTS: dict[str, str] = {
    "Applicability": "._fix",
    "Edit": "._fix",
    "Finding": "._rule",
    "Fix": "._fix",
    "FixAvailability": "._fix",
    "FixResult": "._engine",
    "LintRun": "._engine",
    "LintSettings": "._settings",
    "Linter": "._engine",
    "Option": "._rule",
    "OutputFormat": ".reporters",
    "Rule": "._rule",
    "fix": "._engine",
    "lint": "._engine",
    "load_settings": "._settings",
}

if not TYPE_CHECKING:  # type checkers read the imports below instead
    __all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(globals(), _EXPORTS)


if TYPE_CHECKING:  # pragma: no cover
    from animagine_prompt.lint._engine import FixResult, Linter, LintRun, fix, lint
    from animagine_prompt.lint._fix import Applicability, Edit, Fix, FixAvailability
    from animagine_prompt.lint._rule import Finding, Option, Rule
    from animagine_prompt.lint._settings import LintSettings, load_settings
    from animagine_prompt.lint.reporters import OutputFormat
