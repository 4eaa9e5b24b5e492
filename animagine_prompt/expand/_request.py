"""The request texts TIPO and DanTagGen models were trained on, and reading the tags out of their answers.

Both are small LLaMA-architecture models by KBlueLeaf that continue a block of ``key: value``
lines. The facts below come from their model cards and the ``tipo-kgen`` package (0.3.1):

- DanTagGen: ``quality:`` (delta models only), ``rating:``, ``artist:``, ``characters:``,
  ``copyrights:``, ``aspect ratio:`` and ``target:`` lines (``<|empty|>`` for an empty value),
  then ``general: <tags><|input_end|>``; the model continues with ``, more, tags``.
- TIPO: the non-empty lines of ``meta:``, ``rating:``, ``artist:``, ``characters:``,
  ``copyrights:``, ``quality:`` and ``aspect_ratio:``, then ``target: <|long|>`` and
  ``tag: <tags>``, which the model continues; a new ``key:`` line ends the tag list.

Tags are written the Danbooru way with spaces (``long hair``, ``hu tao (genshin impact)``), count
tags such as ``1girl`` first. This module is plain text handling: no torch, no transformers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["LENGTHS", "RequestFormat", "TagGroups", "build_request", "format_for", "read_answer"]

RequestFormat = Literal["tipo", "dantaggen"]

#: The length targets both model families know, shortest first.
LENGTHS: tuple[str, ...] = ("very_short", "short", "long", "very_long")

# subject-count tags the models expect at the front of the general tags
_COUNTS = frozenset(
    f"{n}{who}" for who in ("girl", "girls", "boy", "boys", "other", "others") for n in ("1", "2", "3", "4", "5", "6+")
) | {"multiple_girls", "multiple_boys", "multiple_others", "male_focus"}
_EMPTY = "<|empty|>"
_SPECIAL_TOKEN = re.compile(r"<\|[^|<>]*\|>")
_LINE = re.compile(r"^([A-Za-z_ ]{1,20}):(.*)$")


@dataclass(frozen=True)
class TagGroups:
    """A prompt's tags sorted into the fields of a request, each in request form.

    >>> TagGroups(general=("1girl", "long hair"), characters=("hu tao (genshin impact)",)).count
    3
    """

    general: tuple[str, ...] = ()
    characters: tuple[str, ...] = ()
    copyrights: tuple[str, ...] = ()
    artist: tuple[str, ...] = ()
    meta: tuple[str, ...] = ()
    quality: tuple[str, ...] = ()
    rating: tuple[str, ...] = field(default=())

    @property
    def count(self) -> int:
        """How many tags the prompt already has."""
        return sum(
            len(v)
            for v in (self.general, self.characters, self.copyrights, self.artist, self.meta, self.quality, self.rating)
        )


def format_for(model: str) -> RequestFormat:
    """The request format a model's name implies: DanTagGen models say so, anything else is TIPO.

    >>> format_for("KBlueLeaf/DanTagGen-delta-rev2"), format_for("KBlueLeaf/TIPO-500M-ft")
    ('dantaggen', 'tipo')
    """
    return "dantaggen" if "dantaggen" in model.lower().replace("-", "").replace("_", "") else "tipo"


def _join(tags: Iterable[str]) -> str:
    return ", ".join(tags)


def _general(groups: TagGroups) -> str:
    counts = [t for t in groups.general if t.replace(" ", "_") in _COUNTS]
    return _join([*counts, *(t for t in groups.general if t not in counts)])


def build_request(
    groups: TagGroups,
    *,
    request_format: RequestFormat = "tipo",
    length: str = "long",
    aspect_ratio: float = 1.0,
    quality_line: bool = False,
) -> str:
    """The text the model continues. ``quality_line`` adds DanTagGen delta's ``quality:`` line.

    >>> print(build_request(TagGroups(general=("solo", "1girl"), rating=("general",)), length="short"))
    rating: general
    aspect_ratio: 1.0
    target: <|short|>
    tag: 1girl, solo
    >>> print(build_request(TagGroups(general=("1girl",)), request_format="dantaggen", quality_line=True))
    quality: masterpiece
    rating: <|empty|>
    artist: <|empty|>
    characters: <|empty|>
    copyrights: <|empty|>
    aspect ratio: 1.0
    target: <|long|>
    general: 1girl<|input_end|>
    """
    if length not in LENGTHS:
        raise ValueError(f"unknown length {length!r}: use one of {', '.join(LENGTHS)}")
    general = _general(groups)
    if request_format == "dantaggen":
        lines = [
            f"rating: {_join(groups.rating) or _EMPTY}",
            f"artist: {_join(groups.artist) or _EMPTY}",
            f"characters: {_join(groups.characters) or _EMPTY}",
            f"copyrights: {_join(groups.copyrights) or _EMPTY}",
            f"aspect ratio: {aspect_ratio:.1f}",
            f"target: <|{length}|>",
            f"general: {general}<|input_end|>",
        ]
        if quality_line:
            lines.insert(0, f"quality: {_join(groups.quality) or 'masterpiece'}")
        return "\n".join(lines)
    meta = [
        ("meta", groups.meta),
        ("rating", groups.rating),
        ("artist", groups.artist),
        ("characters", groups.characters),
        ("copyrights", groups.copyrights),
        ("quality", groups.quality),
    ]
    lines = [f"{key}: {_join(values)}" for key, values in meta if values]
    lines += [f"aspect_ratio: {aspect_ratio:.1f}", f"target: <|{length}|>", f"tag: {general}".rstrip()]
    return "\n".join(lines)


def read_answer(answer: str, *, request_format: RequestFormat = "tipo") -> list[str]:
    """The tags of the model's ``answer`` (the text it added after the request), in its order.

    Special tokens are removed; for TIPO only the ``tag:`` list counts (later ``key:`` lines,
    such as a natural-language caption, are ignored).

    >>> read_answer(", solo, long hair\\nlong: A girl.")
    ['solo', 'long hair']
    >>> read_answer(", smile, <|empty|>open mouth", request_format="dantaggen")
    ['smile', 'open mouth']
    """
    text = answer
    if request_format == "tipo":
        # the request ends inside the tag line; the answer carries it on until another key starts
        first, *rest = answer.split("\n")
        kept = [first]
        for line in rest:
            if _LINE.match(line):
                break
            kept.append(line)
        text = "\n".join(kept)
    tags = []
    for piece in re.split(r"[,\n]", _SPECIAL_TOKEN.sub(",", text)):
        piece = piece.strip()
        if piece:
            tags.append(piece)
    return tags
