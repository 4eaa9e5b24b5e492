"""The preset library: the bundled presets, overridden by the user's files, looked up by name.

Files are read in this order, later ones overriding earlier ones preset by preset (same kind and
name) and ``defaults`` key by key:

1. the bundled files (``animagine_prompt/presets/data/*.yaml``);
2. the user's folder, ``$XDG_CONFIG_HOME/animagine-prompt/presets/`` (``~/.config/...`` when unset);
3. the ``presets`` paths of the configuration file;
4. paths given by the caller (``--presets PATH`` on the command line).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from animagine_prompt.errors import PresetError

from ._loader import preset_files, read_preset_file
from ._models import (
    Defaults,
    NegativePreset,
    Preset,
    PresetKind,
    QualityPreset,
    SamplerPreset,
    StylePreset,
    preset_key,
)
from ._paths import BUNDLED_DIR as _DATA
from ._paths import user_preset_dir
from ._resolution import Size, parse_size

__all__ = ["PresetLibrary", "bundled_presets", "load_presets"]

_P = TypeVar("_P", bound=Preset)


@dataclass(frozen=True)
class PresetLibrary:
    """Presets by kind and key, the generation defaults, and the files they came from.

    >>> lib = bundled_presets()
    >>> lib.style("Photographic").prefix
    'cinematic photo '
    >>> lib.quality("(None)").key, lib.size("13:19").label
    ('none', '832 x 1216')
    """

    presets: Mapping[PresetKind, Mapping[str, Preset]]
    defaults: Defaults = field(default_factory=Defaults)
    files: tuple[str, ...] = ()

    def with_files(self, paths: Iterable[str | Path]) -> PresetLibrary:
        """A new library with the preset files (or folders of them) at ``paths`` read over this one.

        >>> import tempfile, pathlib
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (d / "q.yaml").write_text("quality:\\n  - name: heavy\\n    prompt: '{prompt}, mine'\\n")
        >>> bundled_presets().with_files([d]).quality("heavy").apply("1girl")
        '1girl, mine'
        """
        table = {kind: dict(self.presets.get(kind, {})) for kind in PresetKind}
        defaults = self.defaults
        files = list(self.files)
        for path in paths:
            for file in preset_files(path):
                parsed = read_preset_file(file)
                for preset in parsed.presets():
                    table[preset.kind][preset.key] = preset
                if parsed.defaults is not None:
                    defaults = parsed.defaults.over(defaults)
                files.append(str(file))
        return PresetLibrary(
            presets=MappingProxyType({kind: MappingProxyType(v) for kind, v in table.items()}),
            defaults=defaults,
            files=tuple(files),
        )

    def all(self, kind: PresetKind | str | None = None) -> list[Any]:
        """Every preset of ``kind`` (every kind when ``None``), in file order.

        >>> len(bundled_presets().all("resolution"))
        9
        """
        kinds = list(PresetKind) if kind is None else [_kind(kind)]
        return [preset for k in kinds for preset in self.presets.get(k, {}).values()]

    def find(self, kind: PresetKind | str, name: str) -> Preset | None:
        """The preset of ``kind`` called ``name`` (or with it as an alias or title), or ``None``.

        >>> bundled_presets().find("sampler", "k_euler_a").name
        'Euler a'
        """
        table = self.presets.get(_kind(kind), {})
        key = preset_key(name)
        if key in table:
            return table[key]
        for preset in table.values():
            if key in {preset_key(a) for a in preset.aliases} or (
                preset.title is not None and key == preset_key(preset.title)
            ):
                return preset
        return None

    def get(self, kind: PresetKind | str, name: str) -> Preset:
        """The preset of ``kind`` called ``name``; a :class:`PresetError` with suggestions if there is none.

        >>> bundled_presets().get("style", "photografic")
        Traceback (most recent call last):
        ...
        animagine_prompt.errors.PresetError: unknown style preset 'photografic'; did you mean \
'photographic' or 'sai-photographic' or 'photographic-v3.1'? (animagine-prompt presets list --kind style lists them)
        """
        k = _kind(kind)
        preset = self.find(k, name)
        if preset is not None:
            return preset
        keys = list(self.presets.get(k, {}))
        close = difflib.get_close_matches(preset_key(name), keys, n=3, cutoff=0.6)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise PresetError(
            f"unknown {k.value} preset {name!r}{hint} (animagine-prompt presets list --kind {k.value} lists them)"
        )

    def quality(self, name: str) -> QualityPreset:
        """The quality preset called ``name``.

        >>> bundled_presets().quality("Heavy").negative_prompt.split(", ")[0]
        'longbody'
        """
        return _typed(self.get(PresetKind.QUALITY, name), QualityPreset)

    def style(self, name: str) -> StylePreset:
        """The style preset called ``name``.

        >>> bundled_presets().style("sai-analog film").key
        'sai-analog-film'
        """
        return _typed(self.get(PresetKind.STYLE, name), StylePreset)

    def negative(self, name: str) -> NegativePreset:
        """The negative preset called ``name``.

        >>> bundled_presets().negative("standard").negative_prompt.split(", ")[-1]
        'blurry'
        """
        return _typed(self.get(PresetKind.NEGATIVE, name), NegativePreset)

    def sampler(self, name: str) -> SamplerPreset:
        """The sampler preset called ``name``.

        >>> bundled_presets().sampler("euler a").scheduler
        'EulerAncestralDiscreteScheduler'
        """
        return _typed(self.get(PresetKind.SAMPLER, name), SamplerPreset)

    def size(self, spec: str | tuple[int, int]) -> Size:
        """A size from a resolution name, ``WxH``, a ``(w, h)`` pair, or an aspect ratio ``W:H``.

        >>> bundled_presets().size("16:9").label
        '1344 x 768'
        """
        return parse_size(spec, self.all(PresetKind.RESOLUTION))


def _kind(kind: PresetKind | str) -> PresetKind:
    try:
        return PresetKind(kind)
    except ValueError:
        kinds = ", ".join(k.value for k in PresetKind)
        raise PresetError(f"unknown preset kind {kind!r}; use one of {kinds}") from None


def _typed(preset: Preset, cls: type[_P]) -> _P:
    assert isinstance(preset, cls)
    return preset


@cache
def bundled_presets() -> PresetLibrary:
    """The presets shipped with the package, without any user file.

    >>> [p.key for p in bundled_presets().all("quality")][:4]
    ['none', 'standard', 'light', 'heavy']
    """
    empty = PresetLibrary(presets=MappingProxyType({}))
    files = [_DATA / f"{kind}.yaml" for kind in ("defaults", *(k.value for k in PresetKind))]
    library = empty.with_files(files)
    for preset in library.all():
        preset._origin = "bundled"
    return PresetLibrary(presets=library.presets, defaults=library.defaults)


def load_presets(paths: Iterable[str | Path] = (), *, user: bool = True) -> PresetLibrary:
    """The bundled presets, then (when ``user``) the user folder and the config file's paths, then ``paths``.

    A user folder that does not exist is skipped; any other path that does not exist is an error.

    >>> load_presets(user=False).quality("heavy").title
    'Heavy'
    """
    extra: list[str | Path] = []
    if user:
        folder = user_preset_dir()
        if folder.is_dir():
            extra.append(folder)
        extra.extend(_config_paths())
    extra.extend(paths)
    return bundled_presets().with_files(extra)


def _config_paths() -> list[Path]:
    from animagine_prompt.config import load_config

    return [Path(p) for p in load_config().presets]
