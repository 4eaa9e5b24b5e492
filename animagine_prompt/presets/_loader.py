"""Reading preset files: YAML (our shape) and JSON (ours, or the Fooocus / sdxl_prompt_styler list).

Two shapes are accepted:

- a mapping whose keys are preset kinds (``quality``, ``style``, ``negative``, ``resolution``,
  ``sampler``), each holding a list of presets, plus an optional ``defaults`` mapping;
- a list of ``{"name", "prompt", "negative_prompt"}`` objects: style templates as Fooocus and
  sdxl_prompt_styler ship them, loaded as they are.

Every problem is a :class:`~animagine_prompt.errors.PresetError` that names the file, the line and
the field. Files are read by the package's bounded data reader (``yaml.safe_load``'s data, with
nesting, aliases and numbers bounded); where each field sits is looked up only to report an error.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from animagine_prompt._datafiles import DataFormat, key_line, load_data
from animagine_prompt.errors import PresetError

if TYPE_CHECKING:  # pragma: no cover
    from pydantic import BaseModel

from ._models import (
    DefaultsPatch,
    HiresDefaults,
    NegativePreset,
    PresetFile,
    PresetKind,
    QualityPreset,
    ResolutionPreset,
    SamplerPreset,
    StylePreset,
)

__all__ = ["PRESET_SUFFIXES", "preset_files", "read_preset_file", "read_preset_text"]

#: File name endings read as preset files.
PRESET_SUFFIXES = (".yaml", ".yml", ".json")

_KIND_MODELS: dict[str, type[BaseModel]] = {
    PresetKind.QUALITY.value: QualityPreset,
    PresetKind.STYLE.value: StylePreset,
    PresetKind.NEGATIVE.value: NegativePreset,
    PresetKind.RESOLUTION.value: ResolutionPreset,
    PresetKind.SAMPLER.value: SamplerPreset,
}


def preset_files(path: str | Path) -> list[Path]:
    """The preset files at ``path``: the file itself, or a folder's ``*.yaml``/``*.yml``/``*.json`` by name.

    >>> preset_files("no/such/place")
    Traceback (most recent call last):
    ...
    animagine_prompt.errors.PresetError: no/such/place: no such preset file or folder
    """
    p = Path(path).expanduser()
    if p.is_dir():
        return sorted(f for f in p.iterdir() if f.suffix.lower() in PRESET_SUFFIXES and f.is_file())
    if p.is_file():
        if p.suffix.lower() not in PRESET_SUFFIXES:
            raise PresetError("a preset file must end in .yaml, .yml or .json", path=path)
        return [p]
    raise PresetError("no such preset file or folder", path=path)


def read_preset_file(path: str | Path) -> PresetFile:
    """Read and validate one preset file; its presets remember ``path`` as their origin.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "mine.yaml").write_text("style:\\n  - name: chibi\\n    prompt: '{prompt}, chibi'\\n")
    >>> f = read_preset_file(d / "mine.yaml")
    >>> f.style[0].apply("1girl"), f.style[0].origin == str(d / "mine.yaml")
    ('1girl, chibi', True)
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PresetError(f"the file is not UTF-8 text ({exc.reason})", path=path) from exc
    except OSError as exc:
        raise PresetError(f"cannot read the file: {exc.strerror}", path=path) from exc
    fmt = "json" if p.suffix.lower() == ".json" else "yaml"
    return read_preset_text(text, path=str(path), fmt=fmt)


def read_preset_text(text: str, *, path: str = "<string>", fmt: str = "yaml") -> PresetFile:
    """Validate preset text in ``fmt`` ``"yaml"`` or ``"json"``; ``path`` is used in messages and origins.

    >>> fooocus = '[{"name": "sai-enhance", "prompt": "breathtaking {prompt}"}]'
    >>> read_preset_text(fooocus, fmt="json").style[0].key
    'sai-enhance'
    >>> read_preset_text("style:\\n  - name: x\\n    prompt: no placeholder\\n", path="my.yaml")
    Traceback (most recent call last):
    ...
    animagine_prompt.errors.PresetError: my.yaml:3: style[0] 'x', field 'prompt': the template does not \
contain {prompt}; write {prompt} once, where the user's prompt goes
    """
    data = load_data(text, _format(fmt), path=path, error=PresetError)
    if data is None:
        data = {}
    list_root = isinstance(data, list)
    if list_root:
        # The Fooocus / sdxl_prompt_styler shape: a bare list of style templates.
        data = {PresetKind.STYLE.value: data}
    if not isinstance(data, dict):
        raise PresetError(
            "expected a mapping of preset kinds (quality, style, negative, resolution, sampler, defaults) "
            f"or a list of styles, not {_type_name(data)}",
            path=path,
            line=1,
        )
    from pydantic import ValidationError

    try:
        parsed = PresetFile.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        loc = tuple(first["loc"])
        message = f"{_describe_loc(loc, data)}: {_describe_error(first, loc)}"
        if len(errors) > 1:
            message += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
        line = key_line(text, _format(fmt), loc[1:] if list_root else loc)
        raise PresetError(message, path=path, line=line) from None
    _check_unique(parsed, text, _format(fmt), path, list_root)
    for preset in parsed.presets():
        preset._origin = path
    return parsed


def _type_name(value: object) -> str:
    names = {
        dict: "a mapping",
        list: "a list",
        str: "a string",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "nothing",
    }
    return names.get(type(value), type(value).__name__)


def _describe_loc(loc: tuple[Any, ...], data: dict[str, Any]) -> str:
    """``style[2] 'name', field 'prompt'`` for ``("style", 2, "prompt")``."""
    if not loc:
        return "file"
    head = str(loc[0])
    if len(loc) >= 2 and isinstance(loc[1], int) and head in _KIND_MODELS:
        where = f"{head}[{loc[1]}]"
        items = data.get(head)
        if isinstance(items, list) and loc[1] < len(items) and isinstance(items[loc[1]], dict):
            name = items[loc[1]].get("name")
            if isinstance(name, str):
                where += f" {name!r}"
        rest = loc[2:]
    else:
        where, rest = "", loc
    if rest:
        field = ".".join(str(part) for part in rest)
        return f"{where}, field {field!r}" if where else f"field {field!r}"
    return where or f"field {head!r}"


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model whose fields an error at ``loc`` is about (for listing the allowed keys)."""
    parent = loc[:-1]
    if not parent:
        return PresetFile
    if parent[0] in _KIND_MODELS and len(parent) == 2:
        return _KIND_MODELS[parent[0]]
    if parent == ("defaults",):
        return DefaultsPatch
    if parent == ("defaults", "hires"):
        return HiresDefaults
    return None


def _describe_error(error: Any, loc: tuple[Any, ...]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        model = _model_at(loc)
        allowed = "" if model is None else f"; allowed keys: {', '.join(model.model_fields)}"
        return f"unknown key {loc[-1]!r}{allowed}"
    if kind == "missing":
        return f"required key {loc[-1]!r} is missing"
    message = str(error["msg"])
    if message.startswith("Value error, "):
        return message[len("Value error, ") :]
    got = error.get("input")
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return f"{message[0].lower()}{message[1:]}, got {_type_name(got)} {got!r}"
    return f"{message[0].lower()}{message[1:]}"


def _format(fmt: str) -> DataFormat:
    if fmt not in ("yaml", "json"):
        raise ValueError(f"preset files are YAML or JSON, not {fmt!r}")
    return "json" if fmt == "json" else "yaml"


def _check_unique(parsed: PresetFile, text: str, fmt: DataFormat, path: str, list_root: bool) -> None:
    for kind in _KIND_MODELS:
        seen: dict[str, int] = {}
        for index, preset in enumerate(getattr(parsed, kind)):
            key = preset.key
            if key in seen:
                loc: tuple[Any, ...] = (kind, index, "name")
                line = key_line(text, fmt, loc[1:] if list_root else loc)
                raise PresetError(
                    f"{kind}[{index}] {preset.name!r}: the name is already used by {kind}[{seen[key]}] "
                    f"{getattr(parsed, kind)[seen[key]].name!r} in this file; rename one of them",
                    path=path,
                    line=line,
                )
            seen[key] = index
