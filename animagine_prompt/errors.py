"""Errors a user can cause, each with a message that says what to change.

::

    AnimaginePromptError            base of every error raised on purpose
    ├── UsageError(ValueError)      bad arguments or options
    ├── InputError(ValueError)      a file or text that cannot be read (carries path, line)
    │   ├── TagDataError            a malformed tag file
    │   ├── PresetError             a malformed preset file, an unknown preset name
    │   └── ConfigError             a malformed config file
    ├── MissingDependencyError(ImportError)
    │                               an optional extra (torch, diffusers) is not installed
    └── ModelNotFoundError(FileNotFoundError)
                                    a model, VAE or LoRA that cannot be found

Lint findings and parser recoveries are not exceptions: they are ``Diagnostic`` values.
The CLI prints any ``AnimaginePromptError`` as ``error: <message>`` and exits 2.
"""

from __future__ import annotations

__all__ = [
    "AnimaginePromptError",
    "ConfigError",
    "InputError",
    "MissingDependencyError",
    "ModelNotFoundError",
    "PresetError",
    "TagDataError",
    "UsageError",
]


class AnimaginePromptError(Exception):
    """Base class of the errors this package raises on purpose."""


class UsageError(AnimaginePromptError, ValueError):
    """Bad arguments: an unknown option value, an impossible combination."""


class InputError(AnimaginePromptError, ValueError):
    """Input that cannot be read; ``path`` and ``line`` say where, when known.

    >>> str(InputError("expected 4 columns", path="tags.csv", line=3))
    'tags.csv:3: expected 4 columns'
    """

    def __init__(self, message: str, *, path: object = None, line: int | None = None) -> None:
        self.path = None if path is None else str(path)
        self.line = line
        self.reason = message
        where = ""
        if self.path is not None:
            where = self.path if line is None else f"{self.path}:{line}"
        super().__init__(f"{where}: {message}" if where else message)


class TagDataError(InputError):
    """A tag file (CSV or word list) that is malformed."""


class PresetError(InputError):
    """A preset file that is malformed, or a preset name that does not exist."""


class ConfigError(InputError):
    """A configuration file that is malformed or has unknown keys."""


class MissingDependencyError(AnimaginePromptError, ImportError):
    """An optional dependency is missing; the message says which extra to install."""

    def __init__(self, feature: str, extra: str = "generate") -> None:
        super().__init__(
            f"{feature} needs the optional dependencies: pip install 'animagine-prompt[{extra}]'"
        )


class ModelNotFoundError(AnimaginePromptError, FileNotFoundError):
    """A model, VAE or LoRA that is neither on disk nor in the local hub cache."""
