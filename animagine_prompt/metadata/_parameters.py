"""The A1111 ``parameters`` text ("infotext"): write it and read it back, field for field.

The format, as the web UI writes it and PNG Info, Civitai and sd-prompt-reader read it::

    <prompt, any number of lines>
    Negative prompt: <negative prompt, any number of lines>
    Steps: 50, Sampler: Euler a, CFG scale: 12, Seed: 1, Size: 832x1216, Model: animagine-xl-2.0

The last line holds ``key: value`` pairs joined by ``", "``; a value containing a comma, a colon
or a line break is written as a JSON string. The ``Negative prompt:`` line is left out when
there is no negative prompt. A reader takes the last line for the settings only when at least
three pairs can be read from it (otherwise it is part of the prompt), as the web UI does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from animagine_prompt.errors import InputError

__all__ = ["Parameters", "format_value", "parse_parameters"]

_NEGATIVE = "Negative prompt:"
_KEY = re.compile(r"\w[\w \-/.()+]*")
#: Fewest ``key: value`` pairs that make the last line the settings line (the web UI's threshold).
_MIN_PAIRS = 3


@dataclass(frozen=True)
class Parameters:
    """A parsed or to-be-written ``parameters`` text: prompt, negative prompt and the settings in order.

    >>> p = Parameters("1girl", "lowres", (("Steps", "28"), ("Sampler", "Euler a"), ("CFG scale", "7")))
    >>> print(p.text())
    1girl
    Negative prompt: lowres
    Steps: 28, Sampler: Euler a, CFG scale: 7
    >>> parse_parameters(p.text()) == p
    True
    """

    prompt: str
    negative_prompt: str = ""
    fields: tuple[tuple[str, str], ...] = ()

    def get(self, key: str, default: str | None = None) -> str | None:
        """The value of the setting ``key`` (the first, if repeated), or ``default``.

        >>> Parameters("a", fields=(("Seed", "5"),)).get("Seed")
        '5'
        """
        for k, v in self.fields:
            if k == key:
                return v
        return default

    def text(self) -> str:
        """The ``parameters`` text: prompt, ``Negative prompt:`` line when there is one, settings line.

        >>> Parameters("1girl", "", (("Template", "a, b"), ("Seed", "1"))).text()
        '1girl\\nTemplate: "a, b", Seed: 1'
        """
        settings = ", ".join(f"{k}: {format_value(v)}" for k, v in self.fields)
        negative = f"\n{_NEGATIVE} {self.negative_prompt}" if self.negative_prompt else ""
        return f"{self.prompt}{negative}\n{settings}".strip()

    @classmethod
    def build(cls, prompt: str, negative_prompt: str, fields: Iterable[tuple[str, object]]) -> Parameters:
        """Parameters from settings of any type; ``None`` values are left out, numbers written as
        the web UI writes them (``12``, not ``12.0``).

        >>> Parameters.build("a", "", [("CFG scale", 12.0), ("Clip skip", None), ("Denoising strength", 0.55)]).fields
        (('CFG scale', '12'), ('Denoising strength', '0.55'))
        """
        kept = tuple((k, _plain(v)) for k, v in fields if v is not None)
        for key, _ in kept:
            if not _KEY.fullmatch(key) or key.endswith(" "):
                raise ValueError(f"not a valid parameters key: {key!r}")
        return cls(prompt.strip(), negative_prompt.strip(), kept)


def format_value(value: str) -> str:
    """A settings value as written on the settings line: JSON-quoted when it holds ``,`` ``:`` or a line
    break (the web UI's rule) or starts with a quote or bracket.

    >>> format_value("Euler a"), format_value("Latent (nearest-exact)"), format_value('x: "y"')
    ('Euler a', 'Latent (nearest-exact)', '"x: \\\\"y\\\\""')
    """
    # A leading quote or bracket is quoted too, so the reader cannot mistake it for JSON.
    if any(c in value for c in ",:\n") or value[:1] in ('"', "[", "{"):
        return json.dumps(value, ensure_ascii=False)
    return value


def parse_parameters(text: str, *, path: object = None) -> Parameters:
    """Read a ``parameters`` text (from any tool that writes the web UI's format).

    >>> p = parse_parameters('masterpiece, 1girl\\nsmile\\nNegative prompt: lowres\\n'
    ...                      'Steps: 20, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 42, Size: 832x1216, '
    ...                      'Lora hashes: "style: 1a2b, detail: 3c4d", Version: v1.7.0')
    >>> p.prompt, p.negative_prompt, p.get("Size"), p.get("Lora hashes")
    ('masterpiece, 1girl\\nsmile', 'lowres', '832x1216', 'style: 1a2b, detail: 3c4d')
    >>> parse_parameters("just a prompt, no settings").fields
    ()
    """
    if len(text) > 1_000_000:
        raise InputError(f"parameters text of {len(text)} characters is too long to be a prompt", path=path)
    lines = text.strip().replace("\r\n", "\n").split("\n")
    fields: tuple[tuple[str, str], ...] = ()
    if len(lines) > 0:
        pairs = _settings(lines[-1])
        if pairs is not None and len(pairs) >= _MIN_PAIRS:
            fields = tuple(pairs)
            lines = lines[:-1]
    prompt_lines: list[str] = []
    negative_lines: list[str] = []
    target = prompt_lines
    for line in lines:
        if target is prompt_lines and line.lstrip().startswith(_NEGATIVE):
            target = negative_lines
            line = line.lstrip()[len(_NEGATIVE) :]
        target.append(line)
    return Parameters("\n".join(prompt_lines).strip(), "\n".join(negative_lines).strip(), fields)


def _settings(line: str) -> list[tuple[str, str]] | None:
    """The ``key: value`` pairs of a settings line, or ``None`` when the line is not one."""
    pairs: list[tuple[str, str]] = []
    pos, end = 0, len(line)
    while pos < end:
        while pos < end and line[pos] == " ":
            pos += 1
        colon = line.find(":", pos)
        if colon < 0:
            return None
        key = line[pos:colon].strip()
        if not _KEY.fullmatch(key):
            return None
        pos = colon + 1
        while pos < end and line[pos] == " ":
            pos += 1
        value_end = _value_end(line, pos)
        if value_end is None:
            return None
        raw = line[pos:value_end].strip()
        if raw.startswith('"'):
            try:
                raw = json.loads(raw)
            except ValueError:
                return None
            if not isinstance(raw, str):
                return None
        pairs.append((key, raw))
        pos = value_end
        if pos < end:
            if line[pos] != ",":
                return None
            pos += 1
    return pairs


def _value_end(line: str, pos: int) -> int | None:
    """Where the value starting at ``pos`` ends: a JSON string, a bracketed JSON value (Civitai
    writes its resource lists unquoted), or plain text up to the next comma."""
    end = len(line)
    if pos < end and line[pos] in '"[{':
        depth, in_string, i = 0, False, pos
        while i < end:
            c = line[i]
            if in_string:
                if c == "\\":
                    i += 1
                elif c == '"':
                    in_string = False
                    if depth == 0:
                        return i + 1
            elif c == '"':
                in_string = True
            elif c in "[{":
                depth += 1
            elif c in "]}":
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        return None
    comma = line.find(",", pos)
    return end if comma < 0 else comma


def _plain(value: object) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)
