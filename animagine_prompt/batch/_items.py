"""Batch files: prompts, one per item, with optional per-item settings.

- ``.txt``: one prompt per line; blank lines and lines starting with ``#`` are skipped.
- ``.yaml``/``.yml``: a list whose items are prompts or mappings (``prompt:`` plus settings).
- ``.jsonl``: one JSON string or object per line.

Settings an item may carry: ``negative``, ``quality``, ``style``, ``size``, ``steps``,
``guidance``, ``sampler``, ``hires``, ``lcm`` and ``expand`` (true/false), ``hires_upscale``,
``hires_strength``, ``clip_skip``, ``emphasis``, and for its seeds ``seed`` (with ``n`` images from it), ``seeds``
(a list or a string such as ``"1-4"``) or ``n`` alone (random seeds).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from animagine_prompt._checks import shown
from animagine_prompt._datafiles import LocatedDict, LocatedList, load_data
from animagine_prompt.errors import InputError, UsageError
from animagine_prompt.limits import check_setting, check_size, parse_wxh

from ._seeds import parse_seeds

__all__ = ["BatchItem", "read_batch_file", "read_batch_text"]

BatchItem = tuple[str, dict[str, object]]

_TEXT = {"negative", "quality", "style", "size", "sampler", "emphasis"}
#: Number settings, each with the generation setting whose range it has (see ``animagine_prompt.limits``).
_NUMBERS = {
    "steps": "steps",
    "clip_skip": "clip_skip",
    "n": "count",
    "seed": "seed",
    "guidance": "guidance",
    "hires_upscale": "upscale",
    "hires_strength": "strength",
}
_FLAGS = {"hires", "lcm", "expand"}
_KEYS = _TEXT | _NUMBERS.keys() | _FLAGS | {"prompt", "seeds"}
#: Most items one batch file may hold (a safeguard against pointing ``--batch`` at the wrong file).
_MAX_ITEMS = 100_000


def read_batch_file(path: str | Path) -> list[BatchItem]:
    """The items of the batch file at ``path`` (format chosen by its extension).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = Path(tmp, "b.jsonl")
    ...     _ = p.write_text('"1girl"\\n{"prompt": "1boy", "seeds": "1-2", "steps": 20}\\n')
    ...     read_batch_file(p)
    [('1girl', {}), ('1boy', {'seeds': (1, 2), 'steps': 20})]
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such batch file", path=path) from None
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text ({exc.reason} at byte {exc.start}); save the file as UTF-8", path=path
        ) from None
    except IsADirectoryError:
        raise InputError("is a folder; give a .txt, .yaml or .jsonl batch file", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read the batch file ({exc.strerror or exc})", path=path) from None
    return read_batch_text(text, path.suffix.lower().lstrip(".") or "txt", path=path)


def read_batch_text(text: str, kind: str, *, path: object = None) -> list[BatchItem]:
    """The items of a batch file's ``text``; ``kind`` is ``"txt"``, ``"yaml"``/``"yml"`` or ``"jsonl"``.

    >>> read_batch_text("# portraits\\n1girl, smile\\n\\n1boy\\n", "txt")
    [('1girl, smile', {}), ('1boy', {})]
    >>> read_batch_text('- 1girl\\n- {prompt: 1boy, stepz: 3}\\n', "yaml", path="b.yaml")
    Traceback (most recent call last):
    ...
    animagine_prompt.errors.InputError: b.yaml:2: unknown setting 'stepz'; use one of clip_skip, ..., style
    """
    if kind == "txt":
        entries = [
            (number, line.strip())
            for number, line in enumerate(text.splitlines(), 1)
            if line.strip() and not line.lstrip().startswith("#")
        ]
    elif kind == "jsonl":
        entries = []
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                entries.append((number, load_data(line, "json")))
            except InputError as exc:  # the reader counts lines within the one it was given
                raise InputError(exc.reason, path=path, line=number) from None
    elif kind in ("yaml", "yml"):
        entries = _yaml_entries(text, path)
    else:
        raise InputError(f"unknown batch file type {kind!r}; use .txt, .yaml or .jsonl", path=path)
    if len(entries) > _MAX_ITEMS:
        raise InputError(f"more than {_MAX_ITEMS} items in one batch; split the file", path=path)
    return [_item(value, path, number) for number, value in entries]


def _yaml_entries(text: str, path: object) -> list[tuple[int, Any]]:
    data = load_data(text, "yaml", path=path, located=True)
    if data is None:
        return []
    if not isinstance(data, LocatedList):
        raise InputError("a YAML batch file is a list of prompts", path=path, line=getattr(data, "line", 1))
    return list(zip(data.lines, data, strict=True))


def _item(value: Any, path: object, line: int) -> BatchItem:
    if isinstance(value, str):
        if not value.strip():
            raise InputError("empty prompt", path=path, line=line)
        return str(value), {}
    if not isinstance(value, dict):
        raise InputError("an item is a prompt or a mapping with a 'prompt'", path=path, line=line)
    unknown = [k for k in value if k not in _KEYS]
    if unknown:
        raise InputError(f"unknown setting {unknown[0]!r}; use one of {', '.join(sorted(_KEYS))}", path=path, line=line)
    prompt = value.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        raise InputError("the item has no 'prompt' text", path=path, line=line)
    settings: dict[str, object] = {}
    for key, raw in value.items():
        if key == "prompt" or raw is None:
            continue
        at = value.lines.get(key, line) if isinstance(value, LocatedDict) else line
        settings[str(key)] = _setting(str(key), raw, path, at)
    return str(prompt), settings


def _setting(key: str, raw: Any, path: object, line: int) -> object:
    if key in _TEXT:
        if not isinstance(raw, (str, int, float)) or isinstance(raw, bool):
            raise InputError(f"{key} must be text, not {shown(raw)}", path=path, line=line)
        if key == "size" and isinstance(raw, str):
            size = parse_wxh(raw, path=path, line=line)
            if size is not None:  # a name or a ratio is looked up among the presets later
                check_size(*size, path=path, line=line)
        return str(raw)
    if key in _NUMBERS:
        return check_setting(_NUMBERS[key], raw, label=key, path=path, line=line)
    if key in _FLAGS:
        if not isinstance(raw, bool):
            raise InputError(f"{key} must be true or false, not {shown(raw)}", path=path, line=line)
        return raw
    # seeds: "1-4,9" or a list of seeds
    try:
        if isinstance(raw, str):
            return parse_seeds(raw)
        if isinstance(raw, list) and raw:
            return parse_seeds(",".join(str(s) for s in raw if not isinstance(s, bool)))
    except UsageError as exc:
        raise InputError(str(exc), path=path, line=line) from None
    raise InputError(f"seeds must be a list of seeds or a string such as '1-8', not {shown(raw)}", path=path, line=line)
