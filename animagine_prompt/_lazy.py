"""Package namespaces whose names load on first use (PEP 562), so importing a package stays cheap."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

_HEAVY = frozenset({"torch", "transformers", "diffusers", "accelerate", "safetensors", "peft"})


def lazy_exports(
    namespace: dict[str, Any], exports: Mapping[str, str], heavy: frozenset[str] = frozenset()
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for the module whose globals are ``namespace``.

    ``exports`` maps each public name to the module defining it (absolute, or relative to the
    package). For a name in ``heavy``, an ``ImportError`` from the torch stack becomes a
    ``MissingDependencyError`` that says which extra to install. Each object keeps the
    ``__module__`` it was defined in, so doctest finds its examples there.

    >>> ns = {"__name__": "animagine_prompt"}
    >>> getattr_, dir_ = lazy_exports(ns, {"Severity": "animagine_prompt.diagnostics"})
    >>> getattr_("Severity").WARNING.value, "Severity" in ns, "Severity" in dir_()
    ('warning', True, True)
    """
    package = namespace["__name__"]

    def __getattr__(name: str) -> Any:
        module_name = exports.get(name)
        if module_name is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        try:
            module = importlib.import_module(module_name, package)
        except ImportError as exc:
            if name not in heavy or (exc.name or "").split(".")[0] not in _HEAVY:
                raise
            from animagine_prompt.errors import MissingDependencyError

            raise MissingDependencyError(f"{package}.{name}") from exc
        value = getattr(module, name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *exports})

    return __getattr__, __dir__
