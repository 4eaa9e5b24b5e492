"""A small on-disk cache for derived data that start-up would otherwise recompute.

Entries are JSON (never pickle), named by a fingerprint of everything they were derived from,
and written atomically; a missing, unreadable or foreign entry is simply recomputed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from animagine_prompt._files import write_atomic

__all__ = ["cache_dir", "cached_json", "fingerprint"]


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/animagine-prompt`` (default ``~/.cache/animagine-prompt``), or the
    temporary folder when the home folder cannot be written.

    >>> cache_dir().name in ("animagine-prompt", tempfile.gettempdir().rsplit("/", 1)[-1])
    True
    """
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "animagine-prompt"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return Path(tempfile.gettempdir())
    return folder


def fingerprint(paths: Iterable[str | Path], *extra: str) -> str:
    """A digest of the files under ``paths`` (name, size, modification time) and ``extra`` strings.

    Folders count with every file below them; a path that does not exist counts as absent.

    >>> a = fingerprint([], "v1"); a == fingerprint([], "v1"), a == fingerprint([], "v2")
    (True, False)
    """
    digest = hashlib.sha256()
    for part in extra:
        digest.update(part.encode() + b"\0")
    for path in paths:
        root = Path(path)
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for file in files:
            try:
                stat = file.stat()
                digest.update(f"{file}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
            except OSError:
                digest.update(f"{file}\0absent\0".encode())
    return digest.hexdigest()[:24]


def cached_json(name: str, key: str, build: Callable[[], Any], folder: Path | None = None) -> Any:
    """``build()``'s JSON-able result, read from the cache entry ``name``-``key`` when there is one.

    >>> folder = Path(tempfile.mkdtemp())
    >>> cached_json("demo", "k", lambda: {"a": 1}, folder), cached_json("demo", "k", lambda: {"a": 2}, folder)
    ({'a': 1}, {'a': 1})
    """
    path = (cache_dir() if folder is None else folder) / f"{name}-{key}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    value = build()
    try:
        write_atomic(path, json.dumps(value))
    except OSError:
        pass  # a read-only cache folder only costs the recomputation
    return value
