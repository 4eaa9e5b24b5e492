"""Atomic file writes: a file appears whole under its final name, or not at all.

One writer for every file the package writes: images of a batch, prompt files rewritten by
``lint --fix``, cache entries.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from animagine_prompt.errors import InputError

__all__ = ["TEMP_SUFFIX", "check_writable", "remove_temp_files", "write_atomic"]

TEMP_SUFFIX = ".partial"


def write_atomic(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """Write ``data`` (text is UTF-8, newlines as given) to ``path`` through a temporary file in
    the same folder, synced, then renamed; a file that existed keeps its permission bits (and its
    owner, where the system lets us), and a symbolic link keeps pointing at the file it names,
    which is the one rewritten.

    A kill at any moment leaves either the old file or the whole new one under ``path`` (plus,
    at worst, a hidden ``.partial`` file that :func:`remove_temp_files` cleans up).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     written = write_atomic(Path(tmp, "a.png"), b"data")
    ...     written.read_bytes(), sorted(p.name for p in Path(tmp).iterdir())
    (b'data', ['a.png'])
    """
    given = Path(path)
    # renaming over a link would replace the link: write the file it points at
    path = Path(os.path.realpath(given)) if given.is_symlink() else given
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
            _copy_mode_and_owner(path, temp)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)
    return given


def check_writable(path: str | os.PathLike[str]) -> Path:
    """The file that :func:`write_atomic` would change for ``path`` (links followed), after
    checking it may be rewritten: an existing regular file, not read-only, that this user may
    write, in a folder this user may write (the new file is made beside it, then renamed).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = Path(tmp, "p.txt")
    ...     _ = p.write_text("x")
    ...     p.chmod(0o444)
    ...     check_writable(p)
    Traceback (most recent call last):
    ...
    animagine_prompt.errors.InputError: ...p.txt: the file is read-only (mode 444); make it writable \
(chmod u+w) to let --fix change it
    """
    target = Path(os.path.realpath(path))
    try:
        info = target.stat()
    except OSError as exc:
        raise InputError(f"cannot rewrite the file ({exc.strerror or exc})", path=path) from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError("not a regular file; only files can be rewritten", path=path)
    if not info.st_mode & 0o222:
        mode = f"{info.st_mode & 0o777:o}"
        raise InputError(
            f"the file is read-only (mode {mode}); make it writable (chmod u+w) to let --fix change it", path=path
        )
    if not os.access(target, os.W_OK):
        raise InputError("you may not write this file (it belongs to another user or group)", path=path)
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise InputError(
            f"the folder {str(target.parent)!r} is read-only: a fixed file is written beside the old one, then renamed",
            path=path,
        )
    return target


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


def _copy_mode_and_owner(old: Path, new: Path) -> None:
    info = old.stat()
    os.chmod(new, info.st_mode & 0o7777)
    if hasattr(os, "chown") and (info.st_uid, info.st_gid) != _owner(new):
        try:
            os.chown(new, info.st_uid, info.st_gid)
        except OSError:
            pass  # only the superuser may give a file away; the file still gets its mode
        else:
            os.chmod(new, info.st_mode & 0o7777)  # chown clears set-id bits


def _owner(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_uid, info.st_gid


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
