"""The preview's named styles, in one table a user can override.

Tag colours follow a1111-sd-webui-tagcomplete's palette (general light blue, artist indian red,
copyright violet, character light green, meta orange), so the preview reads like the tag list
people already know; unknown items are grey. Renderables refer to styles only by these names.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from animagine_prompt.errors import InputError

__all__ = ["STYLES", "preview_theme", "read_theme_file"]

#: Style name -> rich style definition. Override any of them with ``preview_theme({...})`` or
#: ``animagine-prompt preview --theme FILE``.
STYLES: Mapping[str, str] = {
    "animagine.tag.general": "#add8e6",
    "animagine.tag.artist": "#cd5c5c",
    "animagine.tag.copyright": "#ee82ee",
    "animagine.tag.character": "#90ee90",
    "animagine.tag.meta": "#ffa500",
    "animagine.tag.unknown": "#808080",
    "animagine.weight.up": "bold",
    "animagine.weight.down": "dim",
    "animagine.weight.number": "italic",
    "animagine.weight.bar": "#d7af5f",
    "animagine.network": "bold magenta",
    "animagine.schedule": "bold cyan",
    "animagine.cut": "bold red",
    "animagine.separator": "dim",
    "animagine.chunk.label": "bold",
    "animagine.chunk.bar": "green",
    "animagine.chunk.full": "yellow",
    "animagine.chunk.empty": "dim",
    "animagine.chunk.count": "bold",
    "animagine.chunk.reason": "dim",
    "animagine.and": "bold cyan",
    "animagine.title": "bold underline",
    "animagine.dim": "dim",
    "animagine.diagnostic.error": "bold red",
    "animagine.diagnostic.warning": "yellow",
    "animagine.diagnostic.info": "blue",
    "animagine.diagnostic.code": "bold",
    "animagine.diagnostic.caret": "bold red",
    "animagine.final": "none",
}


def preview_theme(overrides: Mapping[str, str] | None = None) -> Any:
    """A ``rich.theme.Theme`` with :data:`STYLES`, where ``overrides`` replaces named styles.

    Names must be ones the preview uses, and values rich style definitions; anything else is an
    ``InputError`` that says what to change.

    >>> theme = preview_theme({"animagine.tag.general": "bold blue"})
    >>> str(theme.styles["animagine.tag.general"]), str(theme.styles["animagine.tag.meta"])
    ('bold blue', '#ffa500')
    >>> preview_theme({"animagine.tag.generl": "blue"})
    Traceback (most recent call last):
    ...
    animagine_prompt.errors.InputError: no preview style named 'animagine.tag.generl'; did you mean \
'animagine.tag.general'? (see `animagine-prompt preview --help` and docs/preview.md)
    """
    from rich.errors import StyleSyntaxError
    from rich.style import Style
    from rich.theme import Theme

    styles = dict(STYLES)
    for name, value in (overrides or {}).items():
        if name not in STYLES:
            import difflib

            close = difflib.get_close_matches(name, list(STYLES), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise InputError(
                f"no preview style named {name!r}{hint} (see `animagine-prompt preview --help` and docs/preview.md)"
            )
        try:
            Style.parse(value)
        except StyleSyntaxError as exc:
            raise InputError(f"style {name} = {value!r} is not a rich style ({exc}); use e.g. 'bold blue'") from None
        styles[name] = value
    return Theme(styles, inherit=True)


def read_theme_file(path: str | Path) -> dict[str, str]:
    """Style overrides from an INI file with a ``[styles]`` section (rich's theme file format).

    >>> import tempfile, pathlib
    >>> file = pathlib.Path(tempfile.mkdtemp()) / "theme.ini"
    >>> _ = file.write_text("[styles]\\nanimagine.tag.character = bold green\\n")
    >>> read_theme_file(file)
    {'animagine.tag.character': 'bold green'}
    """
    import configparser

    file = Path(path)
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # style names are case-sensitive
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read the theme file ({exc.strerror}); check the --theme path", path=file) from None
    try:
        parser.read_string(text, source=str(file))
    except configparser.Error as exc:
        line = getattr(exc, "lineno", None)
        raise InputError(
            "not an INI theme file: write a [styles] section of 'name = style' lines", path=file, line=line
        ) from None
    if not parser.has_section("styles"):
        raise InputError("the theme file has no [styles] section; put 'name = style' lines under one", path=file)
    return dict(parser.items("styles"))
