"""Prompts decoded from bytes: the constructs of ``grammars/prompt.lark``, and mutations of real prompts.

Hypothesis draws one byte string and these functions read their choices from it, one byte per
choice (zero when the bytes run out). That is fast (one draw per example instead of hundreds) and
shrinks well: fewer bytes make shorter prompts, and a zero byte picks the first, plainest option.
"""

from __future__ import annotations

from collections.abc import Sequence

WORDS = (
    "1girl solo long hair smile blue eyes masterpiece best quality night sky cat ears hu tao BREAKING "
    "ANDROID band and break lora embedding Ω 桜 café 🌙 ^_^ >_< o_o x"
).split()
NUMBERS = (
    "1.2",
    "0.8",
    "1",
    "0",
    "-1",
    ".5",
    "1.",
    "+1.5",
    "1e3",
    "1.2.3",
    "00.10",
    "999999",
    "nan",
    "inf",
    "-0",
    "1e-9",
)
SPACES = ("", " ", "  ", "\t", "\n", " \n ")
SEPARATORS = (", ", ",", " ,", ",,", " , ", "\n", ", \n", " ", "", ";", "|", ":")
SPECIALS = ("BREAK", "AND", "\\", "\\\\", "\\(", "\\]", "#", ")", "]", "}", "(", "[", "{", "<", ">", ":", "|", "\x00")
OPENERS = ("(", "[", "{", "((", "[(")
INSERTS = (*"()[]{}<>:|,\\#\n .", "BREAK", "AND", ":1.2)", ":0.5]", "<lora:x:1>", "embedding:e", "é", "\u200b")


class Choices:
    """Choices read from bytes, one byte each; zero once the bytes are used up."""

    __slots__ = ("data", "at")

    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def byte(self) -> int:
        value = self.data[self.at] if self.at < len(self.data) else 0
        self.at += 1
        return value

    def pick(self, options: Sequence[str]) -> str:
        return options[self.byte() % len(options)]

    def more(self) -> bool:
        return self.at < len(self.data)


def _word(c: Choices) -> str:
    kind = c.byte() % 8
    if kind == 6:  # any character: from the two next bytes, over the whole of Unicode's first planes
        return chr((c.byte() << 8 | c.byte()) * 3 % 0x30000)
    if kind == 7:
        return "".join(c.pick("abcdefghijklmnopqrstuvwxyz _-'.!?") for _ in range(c.byte() % 10 + 1))
    return c.pick(WORDS)


def _atom(c: Choices) -> str:
    kind = c.byte() % 12
    if kind == 0 or kind > 8:
        return _word(c)
    if kind == 1:
        return _word(c).replace("(", "\\(").replace(")", "\\)")
    if kind == 2:
        return f"{_word(c)} \\({_word(c)}\\)"
    if kind == 3:
        return c.pick(SPECIALS)
    if kind == 4:
        kind_name = c.pick(("lora", "lyco", "hypernet", "x"))
        return f"<{kind_name}:{_word(c)}:{c.pick(NUMBERS)}{c.pick(('', ':0.5', ':', ':a:b'))}>"
    if kind == 5:
        return f"embedding:{_word(c)}"
    if kind == 6:
        return f"# {_word(c)}\n"
    if kind == 7:
        return f"AND :{c.pick(NUMBERS)}"
    return c.pick(NUMBERS)


def _sequence(c: Choices, depth: int) -> str:
    out = []
    for _ in range(c.byte() % 3 + 1):
        item = _group(c, depth - 1) if depth > 0 and c.byte() % 3 == 2 else _atom(c)
        out.append(item + c.pick(SEPARATORS))
    return "".join(out)


def _group(c: Choices, depth: int) -> str:
    """One construct around sequences: weights, emphasis, schedules, alternations, an opener left
    open; or a plain sequence."""
    kind = c.byte() % 10
    if kind == 1:
        return f"({c.pick(SPACES)}{_sequence(c, depth)}{c.pick(SPACES)})"
    if kind == 2:
        return f"({_sequence(c, depth)}{c.pick(SPACES)}:{c.pick(SPACES)}{c.pick(NUMBERS)}{c.pick(SPACES)})"
    if kind == 3:
        return f"[{_sequence(c, depth)}]"
    if kind == 4:
        return f"{{{_sequence(c, depth)}}}"
    if kind == 5:
        return f"[{_sequence(c, depth)}:{_sequence(c, depth)}:{c.pick(NUMBERS)}]"
    if kind == 6:
        return f"[{_sequence(c, depth)}:{c.pick(NUMBERS)}]"
    if kind == 7:
        return f"[{_sequence(c, depth)}::{c.pick(NUMBERS)}]"
    if kind == 8:
        return "[" + "|".join(_sequence(c, depth) for _ in range(c.byte() % 4 + 1)) + "]"
    if kind == 9:
        return c.pick(OPENERS) + _sequence(c, depth)
    return _sequence(c, depth)


def grammar_prompt(data: bytes) -> str:
    """A prompt of nested constructs, as long as the bytes last.

    >>> grammar_prompt(b"")
    ''
    >>> grammar_prompt(bytes([2, 0, 0, 0, 0, 0, 0, 0]))
    '(1girl, :1.2), '
    """
    c = Choices(data)
    out = []
    while c.more():
        out.append(_group(c, 3) + c.pick(SEPARATORS))
    return "".join(out)


def mutate(seeds: Sequence[str], data: bytes) -> str:
    """A seed prompt (picked by the first two bytes) with insertions, deletions, duplications,
    splices and cuts at places the next bytes pick.

    >>> mutate(["1girl, solo"], bytes([0, 0, 0, 0, 6, 0]))
    '1girl,( solo'
    """
    c = Choices(data)
    text = seeds[(c.byte() << 8 | c.byte()) % len(seeds)]
    while c.more():
        op = c.byte() % 5
        i = (c.byte() << 8 | c.byte()) % (len(text) + 1)
        j = min(len(text), i + c.byte() % 40)
        if op == 0:
            text = text[:i] + c.pick(INSERTS) + text[i:]
        elif op == 1:
            text = text[:i] + text[j:]
        elif op == 2:
            text = text[:j] + text[i:j] + text[j:]
        elif op == 3:
            other = seeds[(c.byte() << 8 | c.byte()) % len(seeds)]
            text = text[:i] + other[(c.byte() << 8 | c.byte()) % (len(other) + 1) :]
        else:
            text = text[:i]
    return text


RAW = (*"()[]{}<>:|,\\#\n .", "BREAK", "AND", "embedding:", "<lora:x:", "1.2", ":0.5]", *"abcxyz019")


def raw_prompt(data: bytes) -> str:
    """Text over the grammar's special characters and any other character.

    >>> raw_prompt(bytes([0, 1, 12, 250, 0, 13]))
    '()#A'
    """
    c = Choices(data)
    out = []
    while c.more():
        b = c.byte()
        out.append(RAW[b % len(RAW)] if b < 240 else chr((c.byte() << 8 | c.byte()) * 5 % 0x110000))
    return "".join(out)
