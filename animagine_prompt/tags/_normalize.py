"""Conversion between the two spellings of a tag.

Danbooru form (the canonical key every lookup uses) is lowercase with underscores:
``fu_xuan_(honkai:_star_rail)``. Prompt form is what A1111-family front ends need: spaces, and
brackets escaped so they are not read as weights: ``fu xuan \\(honkai: star rail\\)``.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["canonical", "is_kaomoji", "to_prompt_form"]

# A run of blanks, possibly mixed with underscores ("green_ hair"), is one word break.
_BLANK_RUN = re.compile(r"[_\s]*\s[_\s]*")
# Only these are escapes in A1111's prompt syntax; any other backslash is a literal character
# (Danbooru has tags such as "\m/").
_ESCAPE = re.compile(r"\\([()\[\]\\])")
_NEEDS_ESCAPE = re.compile(r"([()\[\]])|\\(?=[()\[\]\\]|$)")
_TWO_ALNUM = re.compile(r"[^\W_]{2}")
_SYMBOL = re.compile(r"[^\w]")
# Characters whose presence sends an ASCII string down the slow path of canonical().
_SLOW = frozenset("\\\t\n\r\f\v")


def is_kaomoji(tag: str) -> bool:
    """Whether the underscores of ``tag`` belong to a face (``^_^``, ``o_o``) and must stay.

    A tag is a face when no two letters or digits touch and either a symbol is part of it or
    its pieces are the same character (``o_o``, ``u_u``); spelled-out names such as ``m_k``
    are not faces.

    >>> [is_kaomoji(t) for t in ("^_^", ">_<", "o_o", "<o>_<o>", "m_k", "no_bra", ":d")]
    [True, True, True, True, False, False, False]
    """
    if "_" not in tag or _TWO_ALNUM.search(tag):
        return False
    parts = tag.split("_")
    return bool(_SYMBOL.search(tag.replace("_", ""))) or len(set(parts)) == 1


_SURROGATE = re.compile("[\ud800-\udfff]")


# Keys already worked out: a bulk lint asks for the same items (and the same negative prompt's
# items) once per rule and prompt. Cleared when full, and long texts (prose, whole prompts) are
# not kept, so that a long run stays bounded.
_KEYS: dict[str, str] = {}
_KEYS_SIZE = 1 << 16
_KEYS_LONGEST = 64


def canonical(text: str) -> str:
    """The Danbooru key of a tag written in any form.

    Applies NFKC (full-width letters and punctuation become ASCII), resolves the prompt escapes
    ``\\( \\) \\[ \\] \\\\``, strips the ends, lowercases and turns every run of blanks (mixed with
    underscores or not) into one underscore. Underscores already there are kept, so faces such as
    ``^_^`` survive.

    >>> canonical(r"Hu Tao \\(Genshin Impact\\)")
    'hu_tao_(genshin_impact)'
    >>> canonical("fu_xuan_(honkai:_star_rail)")
    'fu_xuan_(honkai:_star_rail)'
    >>> canonical("  green_ hair "), canonical("ＧＲＥＥＮ　ＨＡＩＲ"), canonical("^_^")
    ('green_hair', 'green_hair', '^_^')
    """
    key = _KEYS.get(text)
    if key is None:
        key = _canonical(text)
        if len(text) <= _KEYS_LONGEST:
            if len(_KEYS) >= _KEYS_SIZE:
                _KEYS.clear()
            _KEYS[text] = key
    return key


def _canonical(text: str) -> str:
    if text.isascii():
        stripped = text.strip()
        if not _SLOW.intersection(stripped) and "  " not in stripped and "_ " not in stripped and " _" not in stripped:
            # Fast path: plain ASCII words separated by single spaces or by underscores.
            return stripped.lower().replace(" ", "_")
    else:
        # a lone surrogate (broken paste) cannot be encoded: it becomes U+FFFD, which no tag has
        text = unicodedata.normalize("NFKC", _SURROGATE.sub("\ufffd", text))
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    text = text.strip().lower()
    if not text:
        return text
    return _BLANK_RUN.sub("_", text)


def to_prompt_form(tag: str) -> str:
    """The prompt spelling of a canonical tag: spaces for underscores, brackets escaped.

    Faces keep their underscores (see :func:`is_kaomoji`); a backslash is doubled only where
    A1111 would otherwise read it as an escape.

    >>> print(to_prompt_form("fu_xuan_(honkai:_star_rail)"))
    fu xuan \\(honkai: star rail\\)
    >>> to_prompt_form(">_<"), to_prompt_form("green_hair")
    ('>_<', 'green hair')
    >>> canonical(to_prompt_form(r"\\(^o^)/")) == r"\\(^o^)/"
    True
    """
    text = tag if is_kaomoji(tag) else tag.replace("_", " ")
    if "(" in text or ")" in text or "[" in text or "]" in text or "\\" in text:
        text = _NEEDS_ESCAPE.sub(lambda m: "\\" + m.group(0), text)
    return text
