"""Lint's per-item helpers do work bounded by the item, not by the whole prompt (checked by
counting characters read, not by timing)."""

from __future__ import annotations

from animagine_prompt.lint.rules._items import removal
from animagine_prompt.syntax import parse


class _CountingText(str):
    """A prompt text that counts the characters its indexing and slicing hand out."""

    read = 0

    def __getitem__(self, key):  # type: ignore[no-untyped-def, override]
        out = super().__getitem__(key)
        _CountingText.read += len(out)
        return out


def _read_by_removals(text: str) -> int:
    counting = _CountingText(text)
    _CountingText.read = 0
    for item in parse(text).tags():
        removal(counting, item)
    return _CountingText.read


def test_removal_reads_only_around_the_item() -> None:
    small = _read_by_removals("green hair, smile, " * 50 + "smile")
    large = _read_by_removals("green hair, smile, " * 500 + "smile")
    # ten times the items: about ten times the reads, not a hundred
    assert large <= 11 * small


def test_removal_cuts_the_same_separator() -> None:
    cases = {
        "a, b, a": ["b, a", "a, a", "a, b"],
        "a ,  b,c": ["b,c", "a ,  c", "a ,  b"],
        "a\t, b": ["b", "a\t"],
        "a b": [None],
    }
    for text, expected in cases.items():
        got = []
        for item in parse(text).tags():
            edit = removal(text, item)
            got.append(None if edit is None else edit.apply(text))
        assert got == expected, text


def _hit_reads(monkeypatch, repeats: int) -> int:  # type: ignore[no-untyped-def]
    """How often T001 reads the bounds of the hits it found, over a prompt of ``repeats`` hits."""
    from animagine_prompt.lint import Linter
    from animagine_prompt.lint._settings import LintSettings
    from animagine_prompt.lint.rules import unescaped_qualifier

    reads = [0]

    class CountingFound(unescaped_qualifier._Found):
        def __getattribute__(self, name: str):  # type: ignore[no-untyped-def]
            if name in ("start", "end"):
                reads[0] += 1
            return super().__getattribute__(name)

    monkeypatch.setattr(unescaped_qualifier, "_Found", CountingFound)
    text = ", ".join(["hu tao (genshin impact)", "smile"] * repeats)
    findings = Linter(LintSettings(select=("T001",))).lint(text)
    assert len(findings) == repeats
    return reads[0]


def test_unescaped_qualifier_compares_each_hit_with_few_others(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    small = _hit_reads(monkeypatch, 40)
    large = _hit_reads(monkeypatch, 400)
    assert large <= 11 * small


def _keys_built(monkeypatch, groups: int) -> int:  # type: ignore[no-untyped-def]
    """Characters T001 turns into lookup keys for a name followed by ``groups`` bracketed words."""
    import animagine_prompt.tags
    from animagine_prompt.lint import Linter
    from animagine_prompt.lint._settings import LintSettings

    built = [0]
    real = animagine_prompt.tags.canonical

    def counting(text: str) -> str:
        built[0] += len(text)
        return real(text)

    linter = Linter(LintSettings(select=("T001",)))
    linter.lint("hu tao (genshin impact)")  # the database is loaded outside the count
    monkeypatch.setattr(animagine_prompt.tags, "canonical", counting)
    text = "hu tao " + " ".join(["(blue eyes)", "(smile)"] * (groups // 2))
    assert linter.lint(text) == ()
    monkeypatch.undo()
    return built[0]


def test_unescaped_qualifier_builds_no_key_longer_than_a_tag(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # a run of bracketed words: the keys of its long prefixes cannot be tags and are not built
    assert _keys_built(monkeypatch, 2000) <= 1.2 * _keys_built(monkeypatch, 1000)


def test_unescaped_qualifier_takes_no_underscore_for_a_name(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from animagine_prompt.lint import Linter
    from animagine_prompt.lint._settings import LintSettings

    linter = Linter(LintSettings(select=("T001",)))
    assert linter.lint("(smile)_(genshin impact)") == ()
    assert [f.span for f in linter.lint("a, kafka_(honkai:_star_rail)_(cosplay)")] == [(3, 38)]

    # each group of an underscore-joined run started a new candidate tag: quadratic in the run
    built = [0]
    import animagine_prompt.tags

    real = animagine_prompt.tags.canonical

    def counting(text: str) -> str:
        built[0] += len(text)
        return real(text)

    monkeypatch.setattr(animagine_prompt.tags, "canonical", counting)
    counts = []
    for groups in (200, 400):
        built[0] = 0
        linter.lint("hu_tao" + "_(smile)" * groups)
        counts.append(built[0])
    assert counts[1] <= 1.2 * counts[0]
