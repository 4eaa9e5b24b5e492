"""User tag files merged over the bundled vocabulary, the result kept on disk between runs.

Merging re-sorts 140,000 names and rebuilds the typo index, which costs far more than a lint run
should spend starting up; the merged vocabulary is therefore written to the cache folder in the
bundled file's own format, named by a fingerprint of every input (paths, sizes, modification
times, the package version), and read back as quickly as the bundled one on the next run.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from animagine_prompt.errors import TagDataError
from animagine_prompt.tags._bundled import BUNDLED_FILE, bundled_vocabulary, data_dir, finish_vocabulary
from animagine_prompt.tags._vocabulary import Vocabulary, VocabularyBuilder

__all__ = ["merged_vocabulary"]

# Merged vocabularies kept on disk (about 6 MB each); the least recently used go first.
_KEEP = 4


def merged_vocabulary(files: Sequence[Path], *, bundled: bool = True, folder: Path | None = None) -> Vocabulary:
    """The bundled vocabulary (unless ``bundled`` is false) with ``files`` merged over it in order.

    ``folder`` is where merged vocabularies are kept (default: the cache folder). Files that
    change nothing (tagcomplete's CSV, which the bundled data already holds) give the bundled
    vocabulary itself.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     mine = Path(tmp, "mine.csv")
    ...     _ = mine.write_text("my_oc_(original),4,7,\\n", encoding="utf-8")
    ...     first = merged_vocabulary([mine], folder=Path(tmp))
    ...     again = merged_vocabulary([mine], folder=Path(tmp))
    ...     first.find("my_oc_(original)") == again.find("my_oc_(original)"), len(again) - len(bundled_vocabulary())
    (True, 1)
    """
    from animagine_prompt._cache import cache_dir, fingerprint
    from animagine_prompt._version import __version__

    folder = cache_dir() if folder is None else folder
    inputs = [data_dir() / BUNDLED_FILE, *files] if bundled else list(files)
    path = folder / f"tags-{fingerprint(inputs, __version__, f'bundled={bundled}')}.bin"
    try:
        vocabulary = Vocabulary.from_bytes(path.read_bytes())
        path.touch()  # recently used
        return vocabulary
    except (OSError, TagDataError):
        pass
    from animagine_prompt.tags._loaders import read_rows

    builder = VocabularyBuilder.starting_from(bundled_vocabulary()) if bundled else VocabularyBuilder()
    for file in files:
        builder.add_rows(read_rows(file))
    if bundled and not builder.changes:
        return bundled_vocabulary()
    vocabulary = finish_vocabulary(builder)
    try:
        data = vocabulary.to_bytes()  # builds the typo index too: the next run reads it
    except ValueError:
        return vocabulary  # a category the file form cannot store (over 255): not kept
    _store(path, data)
    return vocabulary


def _store(path: Path, data: bytes) -> None:
    from animagine_prompt._files import write_atomic

    try:
        write_atomic(path, data)
        kept = sorted(path.parent.glob("tags-*.bin"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[_KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only cache folder only costs the merge next time
