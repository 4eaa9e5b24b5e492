"""Atomic file writes: a file appears whole under its final name, or not at all.

One writer for every file the package writes: images of a batch, prompt files rewritten by
``lint --fix``, cache entries.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["TEMP_SUFFIX", "remove_temp_files", "write_atomic"]

TEMP_SUFFIX = ".partial"


def write_atomic(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """Write ``data`` (text is UTF-8, newlines as given) to ``path`` through a temporary file in
    the same folder, synced, then renamed; a file that existed keeps its permission bits.

    A kill at any moment leaves either the old file or the whole new one under ``path`` (plus,
    at worst, a hidden ``.partial`` file that :func:`remove_temp_files` cleans up).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     written = write_atomic(Path(tmp, "a.png"), b"data")
    ...     written.read_bytes(), sorted(p.name for p in Path(tmp).iterdir())
    (b'data', ['a.png'])
    """
    path = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    # one temporary name per process, so two processes never write the same temporary file
    temp = path.with_name(f".{path.name}.{os.getpid()}{TEMP_SUFFIX}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        if path.exists():
            os.chmod(temp, path.stat().st_mode & 0o7777)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)
    return path


def remove_temp_files(folder: str | Path) -> int:
    """Delete the temporary files an interrupted :func:`write_atomic` left in ``folder``; returns how many.

    Call it only while no process is writing into ``folder``.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = Path(tmp, ".a.png.123.partial").write_bytes(b"half")
    ...     remove_temp_files(tmp), list(Path(tmp).iterdir())
    (1, [])
    """
    removed = 0
    for entry in Path(folder).glob(f".*{TEMP_SUFFIX}"):
        try:
            entry.unlink()
            removed += 1
        except FileNotFoundError:
            pass
    return removed


def _sync_folder(folder: Path) -> None:
    # the rename is durable only once the folder entry is on disk (POSIX; Windows cannot open folders)
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
