"""Which tag files to load: the one rule shared by every command."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Protocol

__all__ = ["TAGS_ENV", "resolve_tag_paths"]

#: Environment variable naming tag files, separated by ``os.pathsep``.
TAGS_ENV = "ANIMAGINE_PROMPT_TAGS"


class _TagsSetting(Protocol):
    """What is read of a configuration: its tag files (a ``Config``, or lint settings made from one)."""

    @property
    def tags(self) -> Iterable[Path]: ...


def resolve_tag_paths(
    cli_paths: Iterable[str | Path] | None,
    config: _TagsSetting | None = None,
    env: Mapping[str, str] | None = None,
) -> tuple[Path, ...]:
    """The user tag files to merge over the bundled set.

    The first source that names any file wins: ``--tags PATH`` options, then the environment
    variable ``ANIMAGINE_PROMPT_TAGS`` (paths separated by ``os.pathsep``), then the ``tags`` key
    of the configuration file (already resolved against the file's folder). ``env`` defaults to
    ``os.environ``.

    >>> import os
    >>> resolve_tag_paths(["a.csv"], env={TAGS_ENV: "b.csv"})
    (PosixPath('a.csv'),)
    >>> resolve_tag_paths([], env={TAGS_ENV: os.pathsep.join(["b.csv", "", "c.txt"])})
    (PosixPath('b.csv'), PosixPath('c.txt'))
    >>> resolve_tag_paths(None, env={})
    ()
    """
    cli = tuple(Path(p).expanduser() for p in cli_paths or ())
    if cli:
        return cli
    environ = os.environ if env is None else env
    from_env = tuple(Path(p).expanduser() for p in environ.get(TAGS_ENV, "").split(os.pathsep) if p.strip())
    if from_env:
        return from_env
    if config is not None:
        return tuple(config.tags)
    return ()
