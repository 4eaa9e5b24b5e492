"""lark's on-disk analysis is kept per grammar text, so two versions of the package never share a file."""

from __future__ import annotations

from animagine_prompt.syntax import _parser


def test_cache_file_is_named_by_the_grammar_text(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    grammar = (_parser.data_dir("grammars") / "prompt.lark").read_text(encoding="utf-8")
    older = grammar.replace("%ignore", "%ignore ", 1) if "%ignore" in grammar else grammar + "\n"
    assert _parser._cache_path(grammar) != _parser._cache_path(older)
    assert _parser._cache_path(grammar) == _parser._cache_path(grammar)
    assert _parser._cache_path(grammar).startswith(str(tmp_path))
