"""Danbooru tags: the bundled vocabulary, user tag files, normalisation and fuzzy lookup.

>>> from animagine_prompt.tags import canonical, is_prose, load_database, to_prompt_form
>>> canonical(r"Hu Tao \\(Genshin Impact\\)")
'hu_tao_(genshin_impact)'
>>> print(to_prompt_form("fu_xuan_(honkai:_star_rail)"))
fu xuan \\(honkai: star rail\\)
>>> match = load_database().lookup("kafka")
>>> match.tag, match.how, match.category_name
('kafka_(honkai:_star_rail)', 'character', 'character')
>>> is_prose("tranquil night"), load_database().lookup("tranquil night") is None
(True, True)
"""

from __future__ import annotations

from animagine_prompt.tags._complete import Completion
from animagine_prompt.tags._database import TagDatabase, load_database
from animagine_prompt.tags._english import is_english_word, is_prose
from animagine_prompt.tags._loaders import TagRow, read_tag_file
from animagine_prompt.tags._model import CONFIDENT, Category, Match, SpecialTag, category_name
from animagine_prompt.tags._normalize import canonical, is_kaomoji, to_prompt_form
from animagine_prompt.tags._sources import TAGS_ENV, resolve_tag_paths

__all__ = [
    "CONFIDENT",
    "Category",
    "Completion",
    "Match",
    "SpecialTag",
    "TAGS_ENV",
    "TagDatabase",
    "TagRow",
    "canonical",
    "category_name",
    "is_english_word",
    "is_kaomoji",
    "is_prose",
    "load_database",
    "read_tag_file",
    "resolve_tag_paths",
    "to_prompt_form",
]
