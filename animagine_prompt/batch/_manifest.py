"""The batch manifest: ``manifest.jsonl`` in the output folder, one JSON record per line, append-only.

Records:

- ``{"event": "planned", "key", "index", "file", "seed", "prompt", "settings"}``: written once per
  job, before any image; it fixes the random seeds, so a resumed batch draws no new ones.
- ``{"event": "done", "key", "file", "seed", "bytes", "sha256", "process", "seconds", "time"}``:
  written after the image file is in place (``"recovered": true`` when a resumed run found the
  image of a job whose record was lost to a kill).

Each record is one ``write`` on a file opened for appending, under an exclusive lock where the
system has one, so processes writing side by side never interleave their lines. A kill during a
write leaves at most a cut-off last line, which :meth:`Manifest.repair` removes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from animagine_prompt._datafiles import load_data
from animagine_prompt.errors import InputError
from animagine_prompt.limits import check_setting

__all__ = ["MANIFEST_NAME", "Manifest"]

MANIFEST_NAME = "manifest.jsonl"


class Manifest:
    """The manifest file at ``path`` (which need not exist yet).

    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     m = Manifest(Path(tmp, "manifest.jsonl"))
    ...     m.append([{"event": "planned", "key": "k1", "seed": 3}, {"event": "done", "key": "k1", "file": "a.png"}])
    ...     m.planned()["k1"]["seed"], m.done()["k1"]["file"]
    (3, 'a.png')
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"Manifest({str(self.path)!r})"

    def records(self) -> list[dict[str, Any]]:
        """Every complete record, in file order (a cut-off last line is ignored).

        >>> Manifest("/nonexistent/manifest.jsonl").records()
        []
        """
        data = self._read()
        if data is None:
            return []
        lines = data.split(b"\n")
        # the last element is b"" when the file ends with a newline, else a cut-off record
        records = []
        for number, line in enumerate(lines[:-1], 1):
            if not line.strip():
                continue
            try:
                record = load_data(line.decode("utf-8"), "json")
            except (InputError, UnicodeDecodeError) as exc:
                reason = exc.reason if isinstance(exc, InputError) else "not UTF-8"
                message = f"the batch manifest has a line that is not JSON ({reason}); fix or delete that line"
                raise InputError(message, path=self.path, line=number) from None
            if not isinstance(record, dict) or not isinstance(record.get("key"), str):
                raise InputError("the batch manifest has a record without a 'key'", path=self.path, line=number)
            if record.get("event") == "planned" or record.get("seed") is not None:
                # a resumed batch makes its images from these seeds: refuse one that is not a seed
                check_setting("seed", record.get("seed"), label="the record's seed", path=self.path, line=number)
            records.append(record)
        return records

    def _read(self) -> bytes | None:
        """The manifest's bytes, ``None`` when there is none yet."""
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            return None
        except IsADirectoryError:
            raise InputError(
                "the batch manifest is a folder; move it away or use another output folder", path=self.path
            ) from None
        except OSError as exc:
            raise InputError(f"cannot read the batch manifest ({exc.strerror or exc})", path=self.path) from None

    def planned(self) -> dict[str, dict[str, Any]]:
        """``{key: planned record}`` (the first record of a key wins)."""
        found: dict[str, dict[str, Any]] = {}
        for record in self.records():
            if record.get("event") == "planned":
                found.setdefault(record["key"], record)
        return found

    def done(self) -> dict[str, dict[str, Any]]:
        """``{key: done record}`` (the last record of a key wins: an image made again replaces the first)."""
        return {r["key"]: r for r in self.records() if r.get("event") == "done"}

    def repair(self) -> bool:
        """Cut a partial last line left by a kill; returns whether there was one. Call it while no one appends.

        >>> import tempfile
        >>> from pathlib import Path
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     p = Path(tmp, "manifest.jsonl")
        ...     _ = p.write_text('{"key": "a"}\\n{"key": "b", "ev')
        ...     Manifest(p).repair(), p.read_text()
        (True, '{"key": "a"}\\n')
        """
        data = self._read()
        if not data or data.endswith(b"\n"):
            return False
        with open(self.path, "r+b") as handle:
            handle.truncate(data.rfind(b"\n") + 1)
            handle.flush()
            os.fsync(handle.fileno())
        return True

    def append(self, records: Iterable[Mapping[str, Any]]) -> None:
        """Append ``records``, one line each, in a single locked write, synced to disk."""
        payload = "".join(json.dumps(dict(r), ensure_ascii=False, sort_keys=True) + "\n" for r in records)
        if not payload:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            _lock(fd)
            data = memoryview(payload.encode("utf-8"))
            while data:
                written = os.write(fd, data)
                data = data[written:]
            os.fsync(fd)
        finally:
            os.close(fd)  # closing releases the lock


def _lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # Windows: appends are still single writes
        return
    fcntl.flock(fd, fcntl.LOCK_EX)
