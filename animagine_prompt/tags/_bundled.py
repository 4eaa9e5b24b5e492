"""The data shipped in ``tag_data/``: the prebuilt vocabulary, Animagine's special tags and the
explicit-word list, each read once per process."""

from __future__ import annotations

import functools
import mmap
from pathlib import Path

from animagine_prompt.errors import TagDataError
from animagine_prompt.tags._model import Category, SpecialTag
from animagine_prompt.tags._vocabulary import Vocabulary, VocabularyBuilder

__all__ = ["BUNDLED_FILE", "bundled_vocabulary", "data_dir", "explicit_words", "finish_vocabulary", "special_tags"]

#: The prebuilt bundled vocabulary (built by scripts/build_tag_data.py from the CSVs in tag_data/).
BUNDLED_FILE = "vocabulary.bin"


def data_dir() -> Path:
    """The ``tag_data`` folder of this installation.

    >>> (data_dir() / BUNDLED_FILE).is_file()
    True
    """
    from animagine_prompt._resources import data_dir as package_data

    return package_data("tag_data")


@functools.cache
def special_tags() -> dict[str, SpecialTag]:
    """Animagine XL 2.0's quality and rating tags by canonical name (``animagine.csv``).

    >>> special_tags()["worst_quality"].rank
    6
    """
    lines = (data_dir() / "animagine.csv").read_text(encoding="utf-8").splitlines()
    tags = {}
    for line in lines[1:]:  # tag,kind,rank,criterion; no field is quoted
        if line.strip():
            tag, kind, rank, criterion = line.split(",", 3)
            tags[tag] = SpecialTag(tag, kind, int(rank), criterion)  # type: ignore[arg-type]  # kind is 'quality' or 'rating' in the bundled file (tested)
    return tags


@functools.cache
def explicit_words() -> frozenset[str]:
    """The words that make a tag explicit (``explicit-words.txt``).

    >>> "nude" in explicit_words(), "hair" in explicit_words()
    (True, False)
    """
    lines = (data_dir() / "explicit-words.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(s for s in (line.strip() for line in lines) if s and not s.startswith("#"))


def finish_vocabulary(builder: VocabularyBuilder) -> Vocabulary:
    """Build the merged vocabulary; Animagine's special tags are always in it (as meta tags).

    >>> v = finish_vocabulary(VocabularyBuilder())
    >>> v.names[v.find("masterpiece")], v.categories[v.find("masterpiece")]
    ('masterpiece', 5)
    """
    builder.add_rows((tag, int(Category.META), None, ()) for tag in special_tags() if tag not in builder)
    return builder.build()


@functools.cache
def bundled_vocabulary() -> Vocabulary:
    """The bundled vocabulary, read once per process.

    >>> len(bundled_vocabulary()) > 140_000
    True
    """
    path = data_dir() / BUNDLED_FILE
    try:
        with path.open("rb") as handle:
            # Mapped, not read: a lint run touches a few pages of the 5.9 MB.
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "empty file"
        message = f"cannot read the bundled tags ({reason}): reinstall animagine-prompt"
        raise TagDataError(message, path=path) from None
    return Vocabulary.from_bytes(data)
