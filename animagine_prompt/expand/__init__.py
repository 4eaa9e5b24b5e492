"""Prompt expansion: tags added to a prompt by a tag-generation model (the app's ``refine_prompt``).

>>> from animagine_prompt.expand import merge_tags
>>> merge_tags("1girl, solo", ["long hair", "2girls", "not a tag at all"]).prompt
'1girl, solo, long hair'

:class:`LMExpander` runs a TIPO or DanTagGen model with transformers (the ``generate`` extra),
imported on first use; everything else here is plain Python. See ``docs/expand.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from animagine_prompt._lazy import lazy_exports

# public name -> private module defining it
_EXPORTS: dict[str, str] = {
    "DEFAULT_EXPAND_MODEL": "._lm",
    "LENGTHS": "._request",
    "LMExpander": "._lm",
    "DroppedTag": "._result",
    "Expander": "._result",
    "Expansion": "._result",
    "TagGroups": "._request",
    "build_request": "._request",
    "group_tags": "._merge",
    "merge_tags": "._merge",
    "read_answer": "._request",
}

if not TYPE_CHECKING:  # type checkers read the imports below instead
    __all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(globals(), _EXPORTS)


if TYPE_CHECKING:  # pragma: no cover
    from ._lm import DEFAULT_EXPAND_MODEL, LMExpander
    from ._merge import group_tags, merge_tags
    from ._request import LENGTHS, TagGroups, build_request, read_answer
    from ._result import DroppedTag, Expander, Expansion
