"""Text -> ``PromptTree``: lark compiles the grammar into LALR tables and contextual-lexer
regexes; a small driver here runs them.

lark's own driver builds a ``Token`` object per token and calls a wrapper per reduction; on a
prompt of 50 tags that costs more than the tables themselves. This driver uses the same tables
and the same per-state lexer regexes with plain tuples for tokens. Where lark's parser accepts a
text, the driver builds the same tree; it also accepts two kinds of text that lark rejects
(tests/syntax/test_lark_differential.py, docs/syntax.md):

- end of input inside open brackets: the driver closes them with zero-width closers;
- text after a closing bracket that lark's contextual lexer reads in the wrong context
  (``[]|``): the driver makes a state's only possible reduction before lexing the next token.

Every token sequence the driver builds is one lark's parser accepts, so parsing never fails
on user text. The tables are read through lark attributes that are not public API: the
supported lark versions are pinned in pyproject.toml, and an unsupported one fails loudly.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from animagine_prompt._cache import cache_dir
from animagine_prompt._resources import data_dir
from animagine_prompt.syntax.nodes import Alternate, ExtraNetwork, Group, Leaf, Node, PromptTree, Schedule

if TYPE_CHECKING:
    from lark import Lark

# a lexed token: (terminal name, start, end)
_Token = tuple[str, int, int]

_LEAF_KINDS = {
    "TEXT": "text",
    "SQTEXT": "text",
    "ESCAPE": "escape",
    "BACKSLASH": "backslash",
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


class _Inline(list[Any]):
    """Children of an inlined rule (``_item``, ``x*``), spliced into the parent rule's children."""

    __slots__ = ()


# How a rule's reduction is carried out (see _Tables).
_PASS, _FIRST, _APPEND, _BUILD = range(4)


class _Tables:
    """lark's LALR tables and contextual-lexer regexes for one grammar variant, in a compact form.

    ``actions[state][terminal]`` is ``(True, next_state)`` for a shift or ``(False, rule_id)`` for a
    reduction; ``rules[rule_id]`` is ``(how, size, origin, name)`` where ``how`` says what the
    reduction builds: ``_PASS`` hands its single child up (``_item: TEXT``), ``_FIRST`` starts the
    list of an ``x*`` rule and ``_APPEND`` extends it in place (linear time), ``_BUILD`` makes a node.
    """

    def __init__(self, lark: Lark) -> None:
        try:
            self._read(lark)
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            import lark as lark_module

            raise RuntimeError(
                f"lark {lark_module.__version__} is not supported by the prompt parser "
                f"({type(error).__name__}: {error}): install the lark version pinned in pyproject.toml"
            ) from error

    def _read(self, lark: Any) -> None:  # lark's tables are internals its type hints leave out
        frontend = lark.parser
        table = frontend.parser.parser.parse_table
        self.start_state = table.start_states["start"]
        rule_ids: dict[object, int] = {}
        self.rules: list[tuple[int, int, str, str | None]] = []
        self.actions: dict[int, dict[str, tuple[bool, int]]] = {}
        self.goto: dict[int, dict[str, int]] = {}
        for state, entries in table.states.items():
            actions: dict[str, tuple[bool, int]] = {}
            goto: dict[str, int] = {}
            for token_symbol, (action, arg) in entries.items():
                # plain str keys: lark's Token compares in Python, a str in C (see _describe)
                symbol = str.__str__(token_symbol)
                if action.name == "Shift":
                    if symbol.isupper() or symbol == "$END":
                        actions[symbol] = (True, arg)
                    else:
                        goto[symbol] = arg
                    continue
                if arg not in rule_ids:
                    rule_ids[arg] = len(self.rules)
                    self.rules.append(_describe(arg))
                actions[symbol] = (False, rule_ids[arg])
            self.actions[state] = actions
            self.goto[state] = goto
        # States that reduce one rule whatever comes next (after a closing bracket, say) are
        # shared by every context in LALR; reducing before lexing moves the lexer to the
        # context's own state, where TEXT and SQTEXT are never both possible.
        self.default_reduce: dict[int, int] = {}
        for state, actions in self.actions.items():
            kinds = set(actions.values())
            if len(kinds) == 1:
                ((is_shift, rule_id),) = kinds
                if not is_shift and self.rules[rule_id][3] != "start":
                    self.default_reduce[state] = rule_id
        self.matchers: dict[int, Callable[[str, int], re.Match[str] | None]] = {}
        for state, basic in frontend.lexer.lexers.items():
            if state in self.default_reduce:
                continue
            scanner = basic.scanner
            if not scanner._mres:  # a state that only accepts the end of input
                continue
            if len(scanner._mres) != 1 or basic.callback:  # pragma: no cover - grammar invariant
                raise RuntimeError(f"prompt grammar: lexer state {state} is ambiguous ({basic.callback})")
            self.matchers[state] = scanner._mres[0].match


def _describe(rule: Any) -> tuple[int, int, str, str | None]:
    origin = rule.origin.name
    origin = origin if isinstance(origin, str) else origin.value
    # lark may name rules with Token, a str subclass whose __eq__ runs in Python: every table
    # lookup would pay for it
    origin = str.__str__(origin)
    size = len(rule.expansion)
    if not origin.startswith("_"):
        return _BUILD, size, origin, origin
    if origin.startswith("__"):  # lark's helper for x*: "__start_star_0: _item | __start_star_0 _item"
        return (_FIRST if size == 1 else _APPEND), size, origin, None
    if size != 1:  # pragma: no cover - grammar invariant: item rules have one symbol
        raise RuntimeError(f"prompt grammar: inlined rule {origin} must have one symbol")
    return _PASS, size, origin, None


def _flatten(tokens: list[Any]) -> list[Any]:
    """Splice inlined children into the list."""
    out: list[Any] = []
    for t in tokens:
        if type(t) is _Inline:
            out.extend(t)
        else:
            out.append(t)
    return out


def _leaf(tok: _Token, text: str) -> Node:
    kind, start, end = tok
    if kind == "EXTRA":
        return ExtraNetwork(text[start:end], (start, end))
    return Leaf(_LEAF_KINDS[kind], text[start:end], (start, end))


def _nodes(items: list[Any], text: str) -> tuple[Node, ...]:
    return tuple([t if type(t) is not tuple else _leaf(t, text) for t in items])


def _split(children: list[Any], separator: str) -> list[list[Any]]:
    parts: list[list[Any]] = [[]]
    for child in children:
        if type(child) is tuple and child[0] == separator:
            parts.append([])
        else:
            parts[-1].append(child)
    return parts


def _has(children: list[Any], token_type: str) -> bool:
    return any(type(c) is tuple and c[0] == token_type for c in children)


def _number(close_text: str) -> str:
    match = _NUMBER.search(close_text)
    if match is None:  # pragma: no cover - grammar invariant: WEIGHT and WHEN hold a number
        raise RuntimeError(f"prompt grammar: no number in {close_text!r}")
    return match.group()


def _reduce(name: str, children: list[Any], text: str) -> Node:
    (_, open_start, open_end), body, close = children[0], children[1:-1], children[-1]
    close_type, close_start, close_end = close
    close_text = text[close_start:close_end]
    open_text = text[open_start:open_end]
    span = (open_start, close_end)
    if name == "round":
        weight = float(_number(close_text)) if close_type == "WEIGHT" else None
        return Group("round", _nodes(body, text), open_text, close_text, weight, span)
    if name == "brace":
        return Group("brace", _nodes(body, text), open_text, close_text, None, span)
    if close_type == "WHEN" and not _has(body, "PIPE"):
        parts = _split(body, "COLON")
        if len(parts) <= 2:
            when_text = _number(close_text)
            when = float(when_text)
            if math.isfinite(when):
                before = _nodes(parts[0], text) if len(parts) == 2 else None
                return Schedule(before, _nodes(parts[-1], text), when, when_text, close_text, span)
    elif close_type == "RSQB" and close_text and _has(body, "PIPE"):  # a "]" really written
        return Alternate(tuple(_nodes(option, text) for option in _split(body, "PIPE")), span)
    # Plain emphasis, or a schedule that does not parse (its ":when" is literal text).
    return Group("square", _nodes(body, text), open_text, close_text, None, span)


def _drive(tables: _Tables, text: str) -> PromptTree:
    actions, goto, rules = tables.actions, tables.goto, tables.rules
    matchers, default_reduce = tables.matchers, tables.default_reduce
    state_stack = [tables.start_state]
    value_stack: list[Any] = []  # tokens, nodes and _Inline lists
    n = len(text)
    pos = 0
    pending: list[_Token] = []  # zero-width closers fed at the end of input
    while True:
        state = state_stack[-1]
        if state in default_reduce:
            tok: _Token | None = None
            kind = ""  # unused: a default reduction reads no token
            rule_id = default_reduce[state]
        else:
            if pending:
                tok = pending.pop()
            elif pos < n:
                matcher = matchers.get(state)
                match = matcher(text, pos) if matcher is not None else None
                if match is None:  # pragma: no cover - TEXT matches any character in every state
                    tok = ("TEXT", pos, pos + 1)
                else:
                    tok = (match.lastgroup or "", pos, match.end())  # every terminal is a named group
                pos = tok[2]
            else:
                tok = ("$END", n, n)
            kind = tok[0]
            rule_id = -1
        # feed the token: reduce as often as needed, then shift it
        while True:
            if rule_id < 0:
                entry = actions[state_stack[-1]].get(kind)
                if entry is None:
                    # End of input inside brackets: close them, innermost first.
                    openers = [v for v in value_stack if type(v) is tuple and v[0] in _CLOSER_OF]
                    pending = [(_CLOSER_OF[o[0]], n, n) for o in openers]
                    break
                is_shift, arg = entry
                if is_shift:
                    state_stack.append(arg)
                    value_stack.append(tok)
                    break
                rule_id = arg
            how, size, origin, name = rules[rule_id]
            rule_id = -1
            if how == _PASS:
                state_stack.pop()
            elif how == _FIRST:
                state_stack.pop()
                child = value_stack[-1]
                value_stack[-1] = child if type(child) is _Inline else _Inline((child,))
            elif how == _APPEND:
                child = value_stack.pop()
                del state_stack[-2:]
                if type(child) is _Inline:
                    value_stack[-1].extend(child)
                else:
                    value_stack[-1].append(child)
            else:
                if size:
                    children = value_stack[-size:]
                    del value_stack[-size:]
                    del state_stack[-size:]
                else:
                    children = []
                if any(type(c) is _Inline for c in children):
                    children = _flatten(children)
                if origin == "start":
                    return PromptTree(_nodes(children, text))
                value_stack.append(_reduce(origin, children, text))
            state_stack.append(goto[state_stack[-1]][origin])
            if tok is None:  # a default reduction: lex in the state it led to
                break


def _cache_path(grammar: str) -> str:
    # One file per grammar text: lark would reject another grammar's file anyway, but two
    # installed versions sharing one name would keep overwriting each other's analysis (and
    # lark writes its cache in place, so one process could read another's half-written file).
    digest = hashlib.sha256(grammar.encode("utf-8")).hexdigest()[:16]
    return str(cache_dir() / f"lark-prompt-{digest}.cache")


@cache
def get_parser(comments: bool = True, braces: bool = True) -> Lark:
    """The lark LALR parser for the prompt grammar, built once per process (analysis cached on disk).

    >>> get_parser() is get_parser()
    True
    """
    from lark import Lark

    grammar = (data_dir("grammars") / "prompt.lark").read_text(encoding="utf-8")
    if not comments:
        # "#" becomes an ordinary character: the HASH token (literal text) takes over.
        grammar += "\n%override COMMENT: /#(?!)/\n"
    if not braces:
        # A1111 and ComfyUI have no braces: "{" and "}" are text, and "(a {b) c}" closes at ")".
        grammar = grammar.replace("{}<#:", "<#:")
        grammar += "\n%override LBRACE: /\\{(?!)/\n%override RBRACE: /\\}(?!)/\n"
    options: dict[str, Any] = dict(parser="lalr", lexer="contextual", maybe_placeholders=False)
    try:
        # lark keys its cache on the grammar and options, so a stale file is never used.
        return Lark(grammar, cache=_cache_path(grammar), **options)
    except OSError:
        return Lark(grammar, **options)


@cache
def _tables(comments: bool, braces: bool) -> _Tables:
    return _Tables(get_parser(comments, braces))


def parse_tree(text: str, *, comments: bool = True, braces: bool = True) -> PromptTree:
    """Parse ``text`` into a lossless tree; never raises on user text. ``braces=False`` reads
    ``{`` and ``}`` as text (dialects without brace emphasis).

    >>> parse_tree("(a:1.2) [b").children[2].closed
    False
    """
    if not text:
        return PromptTree((), (0, 0))
    tree = _drive(_tables(comments, braces), text)
    return PromptTree(tree.children, (0, len(text)))
