"""The properties the fuzz harness checks, as plain functions of one generated input.

Each check raises (an ``AssertionError`` or whatever the code under test raised) when the property
does not hold; :data:`PROPERTIES` pairs every check with the strategy that feeds it, so the test
suite (``tests/fuzz/test_fuzz.py``) and the long runs (``benchmarks/fuzz.py``) check the same things.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import fuzz_strategies as fs
from fuzz_known import Known, known_failure
from hypothesis import strategies as st

from animagine_prompt.errors import AnimaginePromptError, InputError

# --- prompts -------------------------------------------------------------------------------------


def _spans_inside(spans: list[tuple[int, int]], length: int, what: str) -> None:
    for start, end in spans:
        assert 0 <= start <= end <= length, f"{what} span {(start, end)} outside the text (length {length})"


def check_parse(args: tuple[str, str]) -> None:
    """``parse`` never raises, renders back byte for byte, and every span lies inside the text, in order."""
    from animagine_prompt.syntax import parse

    text, dialect = args
    p = parse(text, dialect)
    assert p.render() == text, "render() is not the input"
    tags = p.tags()
    _spans_inside([t.span for t in tags], len(text), "tag")
    _spans_inside([t.text_span for t in tags], len(text), "tag text")
    starts = [t.span[0] for t in tags]
    assert starts == sorted(starts), f"tag spans out of order: {starts}"
    _spans_inside([d.span for d in p.diagnostics], len(text), "diagnostic")
    for f in p.fragments():
        if f.kind == "text" and f.text:
            span = f.source_span(0, len(f.text))
            assert span is not None, f"fragment {f.text!r} has no source"
            _spans_inside([span], len(text), "fragment")
    _spans_inside([n.span for n in p.extra_networks() if n.span], len(text), "extra network")
    p.subprompts()
    p.schedules(7)
    p.fragments(step=3, steps=7)


_AROUND_MARK = re.compile(r"\s*([^\w\s])\s*")


def _tidy(text: str) -> str:
    return _AROUND_MARK.sub(r"\1", " ".join(text.split()))


def _meaning(text: str, step: int | None) -> list[tuple[str, float]]:
    """The weighted fragments the encoder reads at ``step`` (of 10; ``None``: the final text).

    Each fragment is tokenized on its own, so whitespace at its edges does not count, nor does
    whitespace around punctuation (tidying ``a ,b`` into ``a, b`` keeps the meaning); fragments
    left empty are dropped and equal-weight neighbours joined, as A1111 joins them.
    """
    from animagine_prompt.syntax import parse

    out: list[tuple[str, str, float]] = []  # (kind, text, weight)
    for f in parse(text).fragments(step=step, steps=None if step is None else 10):
        if f.kind != "text":
            out.append((f.kind, f.kind.upper(), f.weight))
        elif _tidy(f.text):
            if out and out[-1][0] == "text" and _same_weight(out[-1][2], f.weight):
                out[-1] = ("text", f"{out[-1][1]} {f.text}", out[-1][2])
            else:
                out.append(("text", f.text, f.weight))
    return [(_tidy(text) if kind == "text" else text, weight) for kind, text, weight in out]


def _same_weight(a: float, b: float) -> bool:
    # canonical writes weights with four decimals: allow that rounding, compounded over nesting
    return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-3, abs_tol=1e-4)


def check_canonical(text: str) -> None:
    """``canonical`` is idempotent and keeps the meaning: the same fragments with the same weights,
    at the first step and at the last."""
    from animagine_prompt.syntax import parse

    once = parse(text).canonical()
    twice = parse(once).canonical()
    assert twice == once, f"canonical is not idempotent: {once!r} -> {twice!r}"
    for step in (None, 1):
        before, after = _meaning(text, step), _meaning(once, step)
        assert [t for t, _ in before] == [t for t, _ in after], f"canonical changed the text: {before} -> {after}"
        for (part, w1), (_, w2) in zip(before, after, strict=True):
            assert _same_weight(w1, w2), f"canonical changed the weight of {part!r}: {w1} -> {w2} ({once!r})"


def check_convert(args: tuple[str, str, str]) -> None:
    """``convert`` between any two dialects never raises, and its notes point inside the input."""
    from animagine_prompt.syntax import convert, parse

    text, src, dst = args
    result = convert(text, src, dst)
    _spans_inside([n.span for n in result.notes], len(text), "conversion note")
    parse(result.text, dst).fragments()


def check_plan(text: str) -> None:
    """The chunk planner takes any prompt; its token spans lie inside the text."""
    from animagine_prompt.tokens import plan

    result = plan(text)
    assert result.token_count >= 0
    for chunk in result.chunks:
        _spans_inside([s for s in chunk.spans if s], len(text), "token")


def _linter() -> Any:
    from animagine_prompt.lint import Linter, LintSettings

    if not _LINTERS:
        _LINTERS.append(Linter(LintSettings(select=("ALL",), preview=True), user_presets=False))
    return _LINTERS[0]


_LINTERS: list[Any] = []


def check_lint(args: tuple[str, str | None]) -> None:
    """Every rule (preview ones too) lints and fixes any prompt; fixing is a fixed point."""
    prompt, negative = args
    linter = _linter()
    findings = linter.lint(prompt, negative)
    for f in findings:
        text = prompt if f.field == "prompt" else (negative or "")
        _spans_inside([f.span], len(text), f"{f.code} finding")
    for unsafe in (False, True):
        fixed = linter.fix(prompt, negative, unsafe=unsafe)
        again = linter.fix(fixed.prompt, fixed.negative, unsafe=unsafe)
        assert (again.prompt, again.negative) == (fixed.prompt, fixed.negative), (
            f"fix is not a fixed point (unsafe={unsafe}): {fixed.prompt!r} -> {again.prompt!r}"
        )


def check_analyze(args: tuple[str, str | None]) -> None:
    """``analysis.analyze`` takes any prompt pair and its JSON form serialises, in both offset units."""
    from animagine_prompt.analysis import analyze

    prompt, negative = args
    result = analyze(prompt, negative, linter=_linter())
    json.dumps(result.to_dict())
    json.dumps(result.to_dict(units="utf-16"))


# --- files ---------------------------------------------------------------------------------------

_TMP: list[tempfile.TemporaryDirectory[str]] = []


def _scratch(name: str) -> str:
    """A path in this process's scratch folder (removed when the process ends)."""
    if not _TMP:
        _TMP.append(tempfile.TemporaryDirectory(prefix="animagine-fuzz-"))
    return os.path.join(_TMP[0].name, f"{os.getpid()}-{name}")


def check_png(data: bytes) -> None:
    """Reading generation settings from PNG bytes (in memory and from a file) gives a record or the
    package's own error (an ``InputError``; a ``UsageError`` for a setting out of range when no
    path is known), nothing else."""
    from animagine_prompt.metadata import read_generation, read_png_text, record_from_texts

    path = _scratch("read.png")
    with open(path, "wb") as out:
        out.write(data)
    for read in (lambda: record_from_texts(read_png_text(data)), lambda: read_generation(path)):
        try:
            record = read()
        except AnimaginePromptError:
            continue
        record.parameters_text()


def check_datafile(args: tuple[str, str]) -> None:
    """The YAML/JSON/TOML reader, ``key_line``, the preset reader and the configuration readers
    give data or the package's own error."""
    from animagine_prompt._datafiles import key_line, load_data
    from animagine_prompt.presets import read_preset_file

    fmt, text = args
    for located in (False, True):
        try:
            load_data(text, fmt, located=located)
        except InputError:
            pass
    key_line(text, fmt, ("style", 0, "prompt"))
    if fmt == "toml":
        from animagine_prompt.config import read_config
        from animagine_prompt.lint import load_settings

        path = _scratch("animagine-prompt.toml")
        with open(path, "w", encoding="utf-8", errors="surrogatepass") as out:
            out.write(text)
        for read in (read_config, load_settings):
            try:
                read(path)
            except AnimaginePromptError:
                pass
    else:
        path = _scratch(f"preset.{fmt}")
        with open(path, "w", encoding="utf-8", errors="surrogatepass") as out:
            out.write(text)
        try:
            read_preset_file(path)
        except AnimaginePromptError:
            pass


# --- the command line ----------------------------------------------------------------------------


def run_cli(argv: list[str], stdin: str = "") -> tuple[int, str]:
    """``main(argv)`` in this process: its exit code and everything it printed. An error the
    command line would report as an internal one (a bug) propagates with its traceback."""
    import sys

    from animagine_prompt.cli import TRACEBACK_VARIABLE, main

    out = io.StringIO()
    saved, saved_variable = sys.stdin, os.environ.get(TRACEBACK_VARIABLE)
    sys.stdin = io.StringIO(stdin)
    os.environ[TRACEBACK_VARIABLE] = "1"
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse's own errors
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        sys.stdin = saved
        if saved_variable is None:
            del os.environ[TRACEBACK_VARIABLE]
        else:
            os.environ[TRACEBACK_VARIABLE] = saved_variable
    return code, out.getvalue()


def _check_exit(argv: list[str], stdin: str = "") -> None:
    code, output = run_cli(argv, stdin)
    assert code in (0, 1, 2), f"exit code {code} from {argv!r}"
    assert "Traceback" not in output, f"a traceback from {argv!r}: {output[-300:]}"


def check_cli_prompt(args: tuple[str, str]) -> None:
    """Each prompt command exits 0, 1 or 2 with no traceback, on the prompt as an argument and on stdin."""
    command, text = args
    extra = {"preview": ["--width", "80"], "tokens": ["--check"], "lint": ["--format", "json"]}.get(command, [])
    _check_exit([command, *extra, "--", text])
    _check_exit([command, *extra, "-"], stdin=text)


def check_cli_files(args: tuple[str, str, bytes]) -> None:
    """``lint`` on a data file, ``inspect`` on a PNG, ``lint --config`` on a TOML: exit 0, 1 or 2, no traceback."""
    fmt, text, png = args
    base = _scratch("cli")
    with open(f"{base}.{fmt}", "w", encoding="utf-8", errors="surrogatepass") as out:
        out.write(text)
    with open(f"{base}.png", "wb") as binary:
        binary.write(png)
    if fmt == "toml":
        _check_exit(["lint", "--config", f"{base}.toml", "--", "1girl"])
    else:
        _check_exit(["lint", "--format", "json", f"{base}.{fmt}"])
        _check_exit(["build", "--presets", f"{base}.{fmt}", "--", "1girl"])
    _check_exit(["inspect", f"{base}.png"])
    _check_exit(["inspect", "--json", f"{base}.png"])
    _check_exit(["lint", f"{base}.png"])


# --- the table -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Property:
    """A check, the strategy that feeds it, and how many examples the test suite gives it (a few
    seconds' worth)."""

    name: str
    check: Callable[[Any], None]
    strategy: st.SearchStrategy[Any]
    examples: int


def run_check(prop: Property, value: Any) -> Known | None:
    """Check ``value``; ``None`` when the property holds, the :data:`KNOWN` entry when it fails the
    way an open bug does. Any other failure propagates.

    >>> run_check(PROPERTIES["parse"], ("1girl, (green hair:1.2), [blurry", "a1111")) is None
    True
    """
    try:
        prop.check(value)
    except Exception as error:
        known = known_failure(prop.name, value, error)
        if known is None:
            raise
        return known
    return None


_DIALECT = st.sampled_from(fs.DIALECTS)
_PAIR = st.tuples(fs.prompts, st.one_of(st.none(), fs.prompts))
_CLI_COMMANDS = st.sampled_from(["parse", "convert", "lint", "tokens", "preview", "build"])

PROPERTIES: dict[str, Property] = {
    p.name: p
    for p in (
        Property("parse", check_parse, st.tuples(fs.prompts, _DIALECT), 150),
        Property("canonical", check_canonical, fs.prompts, 150),
        Property("convert", check_convert, st.tuples(fs.prompts, _DIALECT, _DIALECT), 150),
        Property("plan", check_plan, fs.prompts, 100),
        Property("lint", check_lint, _PAIR, 30),
        Property("analyze", check_analyze, _PAIR, 40),
        Property("png", check_png, fs.png_files(), 100),
        Property("datafile", check_datafile, fs.data_files(), 100),
        Property("cli-prompt", check_cli_prompt, st.tuples(_CLI_COMMANDS, fs.prompts), 20),
        Property(
            "cli-files",
            check_cli_files,
            fs.data_files().flatmap(lambda ft: st.tuples(st.just(ft[0]), st.just(ft[1]), fs.png_files())),
            15,
        ),
    )
}
