"""Text -> ``PromptTree`` with lark's LALR parser (contextual lexer) and an inline transformer.

The grammar (``grammars/prompt.lark``) accepts every token sequence except end-of-input inside
open brackets; ``_close_open_groups`` then feeds zero-width closers, so parsing never raises on
user text. The inline transformer builds nodes during reductions (no intermediate lark tree).
"""

from __future__ import annotations

import math
import os
import re
import tempfile
from functools import cache
from pathlib import Path

from animagine_prompt._resources import data_dir
from animagine_prompt.syntax.nodes import Alternate, ExtraNetwork, Group, Leaf, Node, PromptTree, Schedule

_LEAF_KINDS = {
    "TEXT": "text",
    "ESCAPE": "escape",
    "BACKSLASH": "backslash",
    "COMMA": "comma",
    "NEWLINE": "newline",
    "COLON": "colon",
    "PIPE": "pipe",
    "HASH": "hash",
    "BREAK": "break",
    "AND": "and",
    "EMBEDDING": "embedding",
    "COMMENT": "comment",
    # closers that close nothing: literal text
    "RPAR": "stray",
    "WEIGHT": "stray",
    "RSQB": "stray",
    "WHEN": "stray",
    "RBRACE": "stray",
}
_CLOSER_OF = {"LPAR": "RPAR", "LSQB": "RSQB", "LBRACE": "RBRACE"}
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def _node(tok) -> Node:
    if not isinstance(tok, str):  # already a node
        return tok
    span = (tok.start_pos, tok.end_pos)
    kind = tok.type
    if kind == "EXTRA":
        return ExtraNetwork(str(tok), span)
    return Leaf(_LEAF_KINDS[kind], str(tok), span)


def _nodes(items) -> tuple[Node, ...]:
    return tuple([_node(t) for t in items])


def _split(children: list, separator: str) -> list[list]:
    parts: list[list] = [[]]
    for child in children:
        if isinstance(child, str) and child.type == separator:
            parts.append([])
        else:
            parts[-1].append(child)
    return parts


def _has(children: list, token_type: str) -> bool:
    return any(isinstance(c, str) and c.type == token_type for c in children)


class _Builder:
    """Inline transformer callbacks: lark calls them with the children of each reduced rule."""

    def start(self, children: list) -> PromptTree:
        return PromptTree(_nodes(children))

    def round(self, children: list) -> Group:
        open_tok, *body, close = children
        weight = None
        if close.type == "WEIGHT":
            weight = float(_NUMBER.search(close).group())
        return Group("round", _nodes(body), str(open_tok), str(close), weight, (open_tok.start_pos, close.end_pos))

    def brace(self, children: list) -> Group:
        open_tok, *body, close = children
        return Group("brace", _nodes(body), str(open_tok), str(close), None, (open_tok.start_pos, close.end_pos))

    def square(self, children: list) -> Node:
        open_tok, *body, close = children
        span = (open_tok.start_pos, close.end_pos)
        if close.type == "WHEN" and not _has(body, "PIPE"):
            parts = _split(body, "COLON")
            if len(parts) <= 2:
                when_text = _NUMBER.search(close).group()
                when = float(when_text)
                if math.isfinite(when):
                    before = _nodes(parts[0]) if len(parts) == 2 else None
                    return Schedule(before, _nodes(parts[-1]), when, when_text, str(close), span)
        elif close.type == "RSQB" and close and _has(body, "PIPE"):  # a "]" really written
            return Alternate(tuple(_nodes(option) for option in _split(body, "PIPE")), span)
        # Plain emphasis, or a schedule that does not parse (its ":when" is literal text).
        return Group("square", _nodes(body), str(open_tok), str(close), None, span)


def _close_open_groups(error) -> bool:
    """lark ``on_error`` hook: at end of input, close every bracket still open, innermost first."""
    from lark import Token
    from lark.exceptions import UnexpectedToken

    if not isinstance(error, UnexpectedToken) or error.token.type != "$END":
        return False
    parser = error.interactive_parser
    openers = [v for v in parser.parser_state.value_stack if isinstance(v, Token) and v.type in _CLOSER_OF]
    if not openers:
        return False
    end = error.token.end_pos if error.token.end_pos is not None else openers[-1].end_pos
    for opener in reversed(openers):
        closer = Token(_CLOSER_OF[opener.type], "", start_pos=end, end_pos=end)
        parser.feed_token(closer)
    return True


def _cache_path(comments: bool) -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "animagine-prompt"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        folder = Path(tempfile.gettempdir())
    return str(folder / f"lark-prompt-{'c' if comments else 'nc'}.cache")


@cache
def get_parser(comments: bool = True):
    """The LALR parser for the prompt grammar, built once per process (grammar analysis cached on disk).

    >>> get_parser() is get_parser()
    True
    """
    from lark import Lark

    grammar = (data_dir("grammars") / "prompt.lark").read_text(encoding="utf-8")
    if not comments:
        # "#" becomes an ordinary character: the HASH token (literal text) takes over.
        grammar += "\n%override COMMENT: /#(?!)/\n"
    options = dict(parser="lalr", lexer="contextual", transformer=_Builder(), maybe_placeholders=False)
    try:
        # lark keys its cache on the grammar and options, so a stale file is never used.
        return Lark(grammar, cache=_cache_path(comments), **options)
    except OSError:
        return Lark(grammar, **options)


def parse_tree(text: str, *, comments: bool = True) -> PromptTree:
    """Parse ``text`` into a lossless tree; never raises on user text.

    >>> parse_tree("(a:1.2) [b").children[2].closed
    False
    """
    if not text:
        return PromptTree((), (0, 0))
    tree = get_parser(comments).parse(text, on_error=_close_open_groups)
    return PromptTree(tree.children, (0, len(text)))
