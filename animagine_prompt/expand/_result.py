"""What an expansion returns, and the interface every expander implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

__all__ = ["DroppedTag", "Expander", "Expansion"]

#: Why a tag the model proposed was not added, with the words used to report it.
REASONS: dict[str, str] = {
    "unknown": "not a known tag",
    "category": "not a general tag",
    "explicit": "explicit, and the prompt is not",
    "duplicate": "already in the prompt",
    "negative": "in the negative prompt",
    "contradiction": "contradicts",
    "length": "past the length target",
    "lint": "the linter flags it",
    "brackets": "the prompt ends inside brackets",
}


@dataclass(frozen=True)
class DroppedTag:
    """A proposed tag that was left out: its ``text`` as the model wrote it, a ``reason`` key of
    :data:`REASONS` and a ``detail`` (the tag it contradicts, the lint code, ...).

    >>> print(DroppedTag("2girls", "contradiction", "solo").describe())
    2girls: contradicts solo
    """

    text: str
    reason: str
    detail: str = ""

    def describe(self) -> str:
        """One line for people: the tag and why it was dropped."""
        why = REASONS.get(self.reason, self.reason)
        return f"{self.text}: {why}" + (f" {self.detail}" if self.detail else "")


@dataclass(frozen=True)
class Expansion:
    """A prompt with tags added: ``prompt`` is ``original`` with ``added`` appended after the user's
    last tag (the user's text is kept as written, its weights and order unchanged).

    ``added`` are the new tags in prompt form, in order, and ``added_spans`` where each is in
    ``prompt``; ``dropped`` lists what the model proposed but was left out, and why. ``seed`` and
    ``model`` say how it was made.

    >>> e = Expansion("1girl", "1girl, smile", ("smile",), ((7, 12),), ())
    >>> e.changed, [e.prompt[a:b] for a, b in e.added_spans]
    (True, ['smile'])
    """

    original: str
    prompt: str
    added: tuple[str, ...]
    added_spans: tuple[tuple[int, int], ...]
    dropped: tuple[DroppedTag, ...]
    seed: int | None = None
    model: str | None = None

    @property
    def changed(self) -> bool:
        """Whether any tag was added."""
        return bool(self.added)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready data (the ``expand --json`` output).

        >>> sorted(Expansion("a", "a", (), (), ()).to_dict())
        ['added', 'dropped', 'model', 'original', 'prompt', 'seed']
        """
        return {
            "original": self.original,
            "prompt": self.prompt,
            "added": list(self.added),
            "dropped": [{"text": d.text, "reason": d.reason, "detail": d.detail} for d in self.dropped],
            "seed": self.seed,
            "model": self.model,
        }


@runtime_checkable
class Expander(Protocol):
    """Anything that expands prompts: ``generate(expand=...)`` and the CLI accept any such object.

    ``expand`` returns the new prompt and exactly which tags were added; the same ``seed`` gives
    the same result. ``length`` is ``"very_short"``, ``"short"``, ``"long"`` or ``"very_long"``;
    the negative prompt and the image's aspect ratio guide the choice. A backend that proposes
    tags can leave the checks to :func:`animagine_prompt.expand.merge_tags`.

    >>> from animagine_prompt.expand import LMExpander
    >>> isinstance(LMExpander("path/to/model"), Expander)
    True
    """

    def expand(
        self,
        prompt: str,
        *,
        seed: int,
        length: str = "long",
        negative_prompt: str | None = None,
        aspect_ratio: float = 1.0,
    ) -> Expansion:
        """``prompt`` with tags added."""
        ...
