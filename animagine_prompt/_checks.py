"""Value checks shared by every reader of settings: the configuration file, lint settings, rule
options and generation settings (sizes, steps, seeds...).

A check is a small callable: it returns the value in its checked form (a tuple for a list, a
float for a number) or raises :class:`CheckError`, whose ``problem`` says what was expected and
what was given. Each reader wraps that problem in its own error with the file, key and line.

A hand-written checker rather than pydantic: ``animagine-prompt lint`` reads its settings on
every start, and importing pydantic and building a model costs more than linting a prompt. The
checks are plain classes with slots, not dataclasses, for the same reason (a dataclass costs
about half a millisecond to create).

>>> Whole(1, 1000)(28), Number(0, 100)(7)
(28, 7.0)
>>> Whole(1, 1000)(10**12)
Traceback (most recent call last):
...
animagine_prompt._checks.CheckError: expected a whole number from 1 to 1000, got 1000000000000
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

__all__ = [
    "Check",
    "CheckError",
    "Flag",
    "Maybe",
    "Number",
    "OneOf",
    "OnePath",
    "Paths",
    "Strings",
    "Table",
    "Whole",
    "Words",
    "check_fields",
    "for_default",
    "shown",
]

T_co = TypeVar("T_co", covariant=True)
T = TypeVar("T")


class CheckError(ValueError):
    """A value that does not fit; ``problem`` says what was expected, ``key`` which setting it was.

    >>> str(CheckError("expected true or false, got 3", key="preview"))
    'preview: expected true or false, got 3'
    """

    def __init__(self, problem: str, *, key: str | None = None) -> None:
        self.problem = problem
        self.key = key
        super().__init__(f"{key}: {problem}" if key else problem)


class Check(Protocol[T_co]):
    """What every check has: a phrase for what it accepts, and a call that checks one value."""

    @property
    def expected(self) -> str: ...

    def __call__(self, value: object) -> T_co: ...


def shown(value: object) -> str:
    """A short ``repr`` of a value for a message: long text cut, deep lists elided, huge integers
    described (Python refuses to write an integer of more than 4300 digits).

    >>> shown("x" * 100)
    "'xxxxxxxxxxxxxxxxx...xxxxxxxxxxxxxxxxxx'"
    >>> shown(10**5000)
    'a number of about 5000 digits'
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 256:
        return f"a number of about {round(value.bit_length() * math.log10(2))} digits"
    import reprlib  # on the error path only

    short = reprlib.Repr()
    short.maxstring = short.maxother = 40
    short.maxlevel = 2
    return short.repr(value)


def _fail(check: Check[object], value: object) -> CheckError:
    return CheckError(f"expected {check.expected}, got {shown(value)}")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _range(low: float | None, high: float | None, above: bool = False) -> str:
    def number(x: float) -> str:
        return str(int(x)) if float(x).is_integer() else str(x)

    if low is not None and high is not None:
        return f" above {number(low)} and at most {number(high)}" if above else f" from {number(low)} to {number(high)}"
    if low is not None:
        return f" above {number(low)}" if above else f" of at least {number(low)}"
    if high is not None:
        return f" of at most {number(high)}"
    return ""


class Whole:
    """A whole number (``True`` is not one), optionally within ``low``..``high``.

    >>> Whole(0)(-1)
    Traceback (most recent call last):
    ...
    animagine_prompt._checks.CheckError: expected a whole number of at least 0, got -1
    """

    __slots__ = ("high", "low")

    def __init__(self, low: int | None = None, high: int | None = None) -> None:
        self.low, self.high = low, high

    @property
    def expected(self) -> str:
        return "a whole number" + _range(self.low, self.high)

    def __call__(self, value: object) -> int:
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and (self.low is None or value >= self.low)
            and (self.high is None or value <= self.high)
        ):
            return value
        raise _fail(self, value)


class Number:
    """A finite number, returned as a float, optionally within ``low``..``high`` (``above``: strictly
    more than ``low``).

    >>> Number(1, 4, above=True)(1)
    Traceback (most recent call last):
    ...
    animagine_prompt._checks.CheckError: expected a number above 1 and at most 4, got 1
    """

    __slots__ = ("above", "high", "low")

    def __init__(self, low: float | None = None, high: float | None = None, *, above: bool = False) -> None:
        self.low, self.high, self.above = low, high, above

    @property
    def expected(self) -> str:
        return "a number" + _range(self.low, self.high, self.above)

    def __call__(self, value: object) -> float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                number = float(value)
            except OverflowError:  # an integer too large for a float
                raise _fail(self, value) from None
            low_ok = self.low is None or (number > self.low if self.above else number >= self.low)
            if math.isfinite(number) and low_ok and (self.high is None or number <= self.high):
                return number
        raise _fail(self, value)


class Flag:
    """``true`` or ``false`` (not 0 or 1).

    >>> Flag()(True)
    True
    """

    @property
    def expected(self) -> str:
        return "true or false"

    def __call__(self, value: object) -> bool:
        if isinstance(value, bool):
            return value
        raise _fail(self, value)


class OneOf:
    """One of the given names.

    >>> OneOf(("nearest", "bilinear", "bicubic"))("lanczos")
    Traceback (most recent call last):
    ...
    animagine_prompt._checks.CheckError: expected nearest, bilinear or bicubic, got 'lanczos'
    """

    __slots__ = ("names",)

    def __init__(self, names: Iterable[str]) -> None:
        self.names = tuple(names)

    @property
    def expected(self) -> str:
        return _alternatives(self.names)

    def __call__(self, value: object) -> str:
        if isinstance(value, str) and value in self.names:
            return value
        raise _fail(self, value)


def _alternatives(names: Iterable[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


class Strings:
    """A list of strings, returned as a tuple.

    >>> Strings()(["a", "b"])
    ('a', 'b')
    """

    @property
    def expected(self) -> str:
        return "a list of strings"

    def __call__(self, value: object) -> tuple[str, ...]:
        if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            return tuple(value)
        raise _fail(self, value)


class Words:
    """A list of words, or one string of them separated by commas (``"S,T004"``), stripped.

    >>> Words("rule codes")("S, T004")
    ('S', 'T004')
    """

    __slots__ = ("what",)

    def __init__(self, what: str = "words") -> None:
        self.what = what

    @property
    def expected(self) -> str:
        return f"a list of {self.what}"

    def __call__(self, value: object) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [v for v in value.split(",") if v.strip()]
        if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            return tuple(v.strip() for v in value)
        raise _fail(self, value)


class Paths:
    """A path or a list of paths (strings), returned as a tuple of paths.

    >>> Paths()("tags.csv")
    (PosixPath('tags.csv'),)
    """

    @property
    def expected(self) -> str:
        return "a path or a list of paths (strings)"

    def __call__(self, value: object) -> tuple[Path, ...]:
        if isinstance(value, (str, Path)):
            return (Path(value),)
        if isinstance(value, (list, tuple)) and all(isinstance(v, (str, Path)) for v in value):
            return tuple(Path(v) for v in value)
        raise _fail(self, value)


class OnePath:
    """A path (a string), returned as a :class:`~pathlib.Path`.

    >>> OnePath()("~/loras")
    PosixPath('~/loras')
    """

    @property
    def expected(self) -> str:
        return "a path (a string)"

    def __call__(self, value: object) -> Path:
        if isinstance(value, (str, Path)):
            return Path(value)
        raise _fail(self, value)


class Table(Generic[T]):
    """A table (mapping) with string keys; with ``values``, each value checked by it.

    >>> Table(Table())({"S007": {"max": 2}})
    {'S007': {'max': 2}}
    """

    __slots__ = ("values", "what")

    def __init__(self, values: Check[T] | None = None, *, what: str = "a table") -> None:
        self.values, self.what = values, what

    @property
    def expected(self) -> str:
        return self.what

    def __call__(self, value: object) -> dict[str, Any]:
        if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
            raise _fail(self, value)
        if self.values is None:
            return dict(value)
        out: dict[str, Any] = {}
        for key, item in value.items():
            try:
                out[key] = self.values(item)
            except CheckError:
                raise _fail(self, value) from None
        return out


class Maybe(Generic[T]):
    """``None``, or what ``check`` accepts.

    >>> Maybe(Paths())(None) is None
    True
    """

    __slots__ = ("check",)

    def __init__(self, check: Check[T]) -> None:
        self.check = check

    @property
    def expected(self) -> str:
        return self.check.expected

    def __call__(self, value: object) -> T | None:
        return None if value is None else self.check(value)


def for_default(default: object) -> Check[object]:
    """The check for a setting whose default is ``default``: a value of the same kind.

    >>> for_default(2.5)(3), for_default(("a",))(["b"])
    (3.0, ('b',))
    """
    if isinstance(default, bool):
        return Flag()
    if isinstance(default, int):
        return Whole()
    if isinstance(default, float):
        return Number()
    if isinstance(default, (list, tuple)):
        return Strings()
    if isinstance(default, str):
        return _Text()
    if isinstance(default, Mapping):
        return Table()
    return _Instance(type(default))


class _Text:
    @property
    def expected(self) -> str:
        return "a string"

    def __call__(self, value: object) -> str:
        if isinstance(value, str):
            return value
        raise _fail(self, value)


class _Instance:
    __slots__ = ("kind",)

    def __init__(self, kind: type) -> None:
        self.kind = kind

    @property
    def expected(self) -> str:
        return f"a {self.kind.__name__}"

    def __call__(self, value: object) -> object:
        if isinstance(value, self.kind):
            return value
        raise _fail(self, value)


def check_fields(
    raw: Mapping[str, object],
    checks: Mapping[str, Check[object]],
    *,
    name: Callable[[str], str] = lambda key: key.replace("-", "_"),
) -> dict[str, Any]:
    """Every entry of ``raw`` checked by the check its key names (after ``name``: ``fail-on`` is
    ``fail_on``); an unknown key or a wrong value raises :class:`CheckError` naming the key as written.

    >>> check_fields({"fail-on": "warning"}, {"fail_on": OneOf(("warning", "error"))})
    {'fail_on': 'warning'}
    >>> check_fields({"selct": []}, {"select": Words(), "ignore": Words()})
    Traceback (most recent call last):
    ...
    animagine_prompt._checks.CheckError: selct: unknown key; the known keys are select, ignore
    """
    out: dict[str, Any] = {}
    for key, value in raw.items():
        field = name(str(key))
        check = checks.get(field)
        if check is None:
            known = ", ".join(k.replace("_", "-") for k in checks)
            raise CheckError(f"unknown key; the known keys are {known}", key=str(key))
        try:
            out[field] = check(value)
        except CheckError as exc:
            raise CheckError(exc.problem, key=str(key)) from None
    return out
