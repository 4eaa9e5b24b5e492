"""The analysis of one prompt, of a prompt and its negative, and of the prompts presets built.

Plain frozen dataclasses with a ``to_dict()`` that is their JSON form: the terminal preview draws
these values and the web editor receives them as JSON. (pydantic models were measured: importing
pydantic adds about 0.15 s to start-up on a 2-core machine, more than the preview may cost.)
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal

from animagine_prompt.analysis._chunks import ChunkView
from animagine_prompt.analysis._findings import FindingView
from animagine_prompt.analysis._json import Offsets, Units, finite
from animagine_prompt.analysis._spans import Mark, SyntaxSpan
from animagine_prompt.analysis._tags import NetworkView, TagView

if TYPE_CHECKING:  # pragma: no cover
    from animagine_prompt.presets import MergedTag

__all__ = ["SCHEMA_VERSION", "Analysis", "BuiltAnalysis", "PromptAnalysis", "PromptPair"]

#: The version of the JSON form; it changes only when a key changes meaning or goes away.
SCHEMA_VERSION = 1

Field = Literal["prompt", "negative_prompt"]


@dataclass(frozen=True)
class PromptAnalysis:
    """Everything the faces show about one prompt (the positive or the negative).

    ``marks`` are the schedule marks the terminal preview draws; the JSON form leaves them out
    (the ``switch`` spans say the same for a client that has the text).

    >>> from animagine_prompt.analysis import analyze
    >>> view = analyze("1girl, (smile:1.2)").prompt
    >>> [(t.text, t.weight, t.category) for t in view.tags], view.token_count
    ([('1girl', 1.0, 'general'), ('smile', 1.2, 'general')], 4)
    """

    field: Field
    text: str
    spans: tuple[SyntaxSpan, ...]
    tags: tuple[TagView, ...]
    networks: tuple[NetworkView, ...]
    chunks: tuple[ChunkView, ...]
    findings: tuple[FindingView, ...]
    marks: tuple[Mark, ...] = ()

    @property
    def token_count(self) -> int:
        """Tokens in all chunks (BOS, EOS and padding not counted).

        >>> from animagine_prompt.analysis import analyze
        >>> analyze("masterpiece, best quality").prompt.token_count
        4
        """
        return sum(c.used for c in self.chunks)

    @property
    def capacity(self) -> int:
        """Chunk length times the number of chunks.

        >>> from animagine_prompt.analysis import analyze
        >>> analyze("a BREAK b").prompt.capacity
        150
        """
        return sum(c.length for c in self.chunks)

    @property
    def label(self) -> str:
        """``prompt`` or ``negative``.

        >>> from animagine_prompt.analysis import analyze
        >>> analyze("a", "b").negative.label
        'negative'
        """
        return "negative" if self.field == "negative_prompt" else "prompt"

    def to_dict(self, units: Units = "codepoints") -> dict[str, Any]:
        """The JSON form, offsets counted in ``units`` (``utf-16`` for a JavaScript client).

        >>> from animagine_prompt.analysis import analyze
        >>> data = analyze("🌸, (smile:1.2)").prompt.to_dict(units="utf-16")
        >>> [(t["text"], t["start"], t["text_start"]) for t in data["tags"]]
        [('🌸', 0, 0), ('smile', 4, 5)]
        """
        at = Offsets(self.text, units)
        return {
            "field": self.field,
            "text": self.text,
            "token_count": self.token_count,
            "capacity": self.capacity,
            "spans": [s.to_dict(at) for s in self.spans],
            "tags": [t.to_dict(at) for t in self.tags],
            "networks": [n.to_dict(at) for n in self.networks],
            "chunks": [c.to_dict(at) for c in self.chunks],
            "findings": [f.to_dict(at) for f in self.findings],
        }


@dataclass(frozen=True)
class PromptPair:
    """A prompt and its negative (``None`` when none was given), analysed."""

    prompt: PromptAnalysis
    negative: PromptAnalysis | None = None

    @property
    def views(self) -> tuple[PromptAnalysis, ...]:
        """The prompt, then the negative when there is one.

        >>> from animagine_prompt.analysis import analyze
        >>> len(analyze("a").views), len(analyze("a", "").views)
        (1, 2)
        """
        return (self.prompt,) if self.negative is None else (self.prompt, self.negative)

    @property
    def findings(self) -> tuple[FindingView, ...]:
        """Every finding, numbered in order: the prompt's first.

        >>> from animagine_prompt.analysis import analyze
        >>> [f.code for f in analyze("1girl,, solo", "lowres,,").findings]
        ['S101', 'S101', 'S102']
        """
        return tuple(f for v in self.views for f in v.findings)


@dataclass(frozen=True)
class BuiltAnalysis(PromptPair):
    """The prompt and negative that presets built, analysed as the model will read them.

    ``presets`` says which presets (``quality Standard, style Anime``); ``merged`` lists the
    repeated tags the builder merged into one.

    >>> from animagine_prompt.analysis import PresetChoice, analyze
    >>> built = analyze("1girl, masterpiece", presets=PresetChoice(quality="standard")).built
    >>> built.prompt.text, built.presets, [m.tag for m in built.merged]
    ('masterpiece, best quality, 1girl', 'quality Standard', ['masterpiece'])
    """

    presets: str = ""
    merged: tuple[MergedTag, ...] = ()

    def to_dict(self, units: Units = "codepoints") -> dict[str, Any]:
        """The JSON form: the built prompts' analyses, the presets and what was merged."""
        return {
            "presets": self.presets,
            "prompt": self.prompt.to_dict(units),
            "negative": None if self.negative is None else self.negative.to_dict(units),
            "merged": [{**asdict(m), "weight": finite(m.weight)} for m in self.merged],
        }


@dataclass(frozen=True)
class Analysis(PromptPair):
    """A prompt and its negative as written, and, when presets were chosen, as they built them.

    The prompt and negative here are the texts given (an editor decorates them: its offsets are
    theirs); ``built`` is ``None`` when no preset was chosen.

    >>> from animagine_prompt.analysis import analyze
    >>> a = analyze("1girl", "lowres")
    >>> a.prompt.text, a.negative.text, a.built
    ('1girl', 'lowres', None)
    """

    built: BuiltAnalysis | None = None

    @property
    def read(self) -> PromptPair:
        """What the model reads: the built prompts when presets built them, else these.

        >>> from animagine_prompt.analysis import PresetChoice, analyze
        >>> analyze("1girl", presets=PresetChoice(quality="standard")).read.prompt.text
        'masterpiece, best quality, 1girl'
        """
        return self if self.built is None else self.built

    def to_dict(self, units: Units = "codepoints") -> dict[str, Any]:
        """The JSON form (documented in ``docs/analysis.md``); ``units`` is ``codepoints`` (Python
        string offsets) or ``utf-16`` (JavaScript's, which CodeMirror uses).

        >>> from animagine_prompt.analysis import analyze
        >>> sorted(analyze("1girl").to_dict())
        ['built', 'negative', 'prompt', 'units', 'version']
        """
        return {
            "version": SCHEMA_VERSION,
            "units": units,
            "prompt": self.prompt.to_dict(units),
            "negative": None if self.negative is None else self.negative.to_dict(units),
            "built": None if self.built is None else self.built.to_dict(units),
        }

    def to_json(self, units: Units = "codepoints", *, indent: int | None = None) -> str:
        """:meth:`to_dict` as JSON text.

        >>> from animagine_prompt.analysis import analyze
        >>> analyze("1girl").to_json()[:40]
        '{"version": 1, "units": "codepoints", "p'
        """
        return json.dumps(self.to_dict(units), indent=indent, ensure_ascii=False, allow_nan=False)
