"""Output formats: one module per format, each with ``render(report) -> str``, chosen through one enum.

>>> OutputFormat("json").is_human_readable
False
>>> sorted(f.value for f in OutputFormat)
['concise', 'full', 'github', 'json', 'sarif']
"""

from __future__ import annotations

import importlib
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from animagine_prompt.lint._report import Report

__all__ = ["OutputFormat"]


class OutputFormat(str, Enum):
    """How lint results are printed; each value names the module under ``lint/reporters``."""

    FULL = "full"
    CONCISE = "concise"
    JSON = "json"
    GITHUB = "github"
    SARIF = "sarif"

    @property
    def is_human_readable(self) -> bool:
        """Whether the output is meant for people (colour, headers and a summary line)."""
        return self in (OutputFormat.FULL, OutputFormat.CONCISE)

    def render(self, report: Report) -> str:
        """The report in this format, as plain text.

        >>> from animagine_prompt.lint._report import Report
        >>> OutputFormat.JSON.render(Report(()))
        '[]'
        """
        module = importlib.import_module(f"{__name__}.{self.value}")
        text: str = module.render(report)
        return text
