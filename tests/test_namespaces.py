"""Each public namespace lists its names once.

A lazy namespace (PEP 562, ``animagine_prompt._lazy``) keeps one table, ``_EXPORTS``; its
``__all__`` is derived from it, and the ``TYPE_CHECKING`` imports that type checkers read must name
exactly the same things. An eager namespace's ``__all__`` must be exactly what it imports from its
own modules. Either way a name added in one place and forgotten in another fails here.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "animagine_prompt"
INITS = sorted(PACKAGE.rglob("__init__.py"))


def _module_name(init: Path) -> str:
    return ".".join(init.relative_to(PACKAGE.parent).parent.parts)


def _dict_keys(tree: ast.Module, name: str) -> set[str] | None:
    for node in tree.body:
        target = node.target if isinstance(node, ast.AnnAssign) else None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        if isinstance(target, ast.Name) and target.id == name and isinstance(node.value, ast.Dict):
            return {key.value for key in node.value.keys if isinstance(key, ast.Constant)}
    return None


def _imported_names(nodes: list[ast.stmt], package: str) -> set[str]:
    """Names bound by ``from <this package's module> import ...`` among ``nodes``."""
    names = set()
    for node in nodes:
        if not isinstance(node, ast.ImportFrom):
            continue
        own = node.level > 0 or (node.module or "").startswith(package + ".")
        if own:
            names.update(alias.asname or alias.name for alias in node.names)
    return names


def _type_checking_body(tree: ast.Module) -> list[ast.stmt]:
    for node in tree.body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            return node.body
    return []


def _type_checking_names(tree: ast.Module) -> set[str]:
    return {
        alias.asname or alias.name
        for node in _type_checking_body(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


@pytest.mark.parametrize("init", INITS, ids=_module_name)
def test_one_export_list(init: Path) -> None:
    tree = ast.parse(init.read_text(encoding="utf-8"))
    name = _module_name(init)
    module = importlib.import_module(name)
    exported = set(getattr(module, "__all__", ()))
    lazy = _dict_keys(tree, "_EXPORTS")
    if lazy is not None:
        lazy |= _dict_keys(tree, "_TORCH_EXPORTS") or set()
        assert module.__all__ == sorted(lazy), f"{name}.__all__ is not derived from its _EXPORTS table"
        assert _type_checking_names(tree) == lazy, f"{name}: TYPE_CHECKING imports differ from _EXPORTS"
    else:
        imported = _imported_names(tree.body, name)
        assert imported <= exported or not exported, f"{name} imports {sorted(imported - exported)} without exporting"
        own = {n for n in exported if n not in imported}
        assert all(n in vars(module) for n in own), f"{name}.__all__ names what it does not define"
    assert len(exported) == len(getattr(module, "__all__", ())), f"{name}.__all__ repeats a name"


def test_every_lazy_name_resolves() -> None:
    from animagine_prompt.errors import MissingDependencyError

    for init in INITS:
        module = importlib.import_module(_module_name(init))
        for public in getattr(module, "__all__", ()):
            try:
                getattr(module, public)
            except MissingDependencyError:
                pass


def test_a_drifted_table_is_caught(tmp_path: Path) -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "_EXPORTS = {'a': '._x', 'b': '._y'}\n"
        "if TYPE_CHECKING:\n"
        "    from ._x import a\n"
    )
    tree = ast.parse(source)
    assert _dict_keys(tree, "_EXPORTS") == {"a", "b"}
    assert _type_checking_names(tree) == {"a"}
