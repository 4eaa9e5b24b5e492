"""``analyze(prompt, negative)``: lint once, then read everything the faces show off that one parse."""

from __future__ import annotations

from typing import TYPE_CHECKING

from animagine_prompt.analysis._analysis import Analysis, BuiltAnalysis, Field, PromptAnalysis
from animagine_prompt.analysis._chunks import chunk_finder, chunk_views
from animagine_prompt.analysis._findings import FindingView, finding_views
from animagine_prompt.analysis._presets import PresetChoice
from animagine_prompt.analysis._spans import syntax_spans
from animagine_prompt.analysis._tags import network_views, tag_views

if TYPE_CHECKING:  # pragma: no cover
    from animagine_prompt.lint import Linter, LintRun
    from animagine_prompt.syntax import Prompt
    from animagine_prompt.tags import TagDatabase

__all__ = ["analyze"]

_SPANNING = ("schedule", "alternation")


def analyze(
    prompt: str,
    negative: str | None = None,
    *,
    presets: PresetChoice | None = None,
    linter: Linter | None = None,
) -> Analysis:
    """Everything the preview and the web editor show about ``prompt`` and ``negative``.

    ``linter`` (an ``animagine_prompt.lint.Linter``; default rules when omitted) decides the
    rules, the dialect, the tag files and the preset files; ``presets`` builds the prompts the
    model will read, analysed in ``Analysis.built``. Each text is parsed and planned once: the
    linter hands out its parse and chunk plan.

    >>> a = analyze("hu tao \\\\(genshin impact\\\\), [cat:dog:10], <lora:detail:0.6>, gren hair")
    >>> [(t.text, t.category, t.scheduled) for t in a.prompt.tags]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('hu tao (genshin impact)', 'character', False), ('cat', 'general', True),
     ('dog', 'general', True), ('gren hair', 'unknown', False)]
    >>> [(m.role, m.label) for m in a.prompt.marks], a.prompt.networks[0].name
    ([('open', ''), ('mid', ''), ('close', '10')], 'detail')
    >>> [(f.number, f.code, f.fix.applicability.value) for f in a.findings]
    [(1, 'T003', 'unsafe')]
    """
    if linter is None:
        from animagine_prompt.lint import Linter

        linter = Linter()
    written, written_negative = _pair(linter, prompt, negative)
    built = None
    if presets is not None and presets.chosen:
        result, shown_negative = presets.build(prompt, negative, linter.resources.presets())
        # The builder's parses serve the linter when they are in the linter's dialect.
        source: Prompt | str = result.prompt
        source_negative: Prompt | str | None = shown_negative
        if linter.settings.dialect == "a1111":
            source = result.parsed_prompt
            source_negative = None if shown_negative is None else result.parsed_negative
        built_prompt, built_negative = _pair(linter, source, source_negative)
        description = presets.describe(result.quality_title, result.style_title, result.negative_preset)
        built = BuiltAnalysis(built_prompt, built_negative, description, result.merged)
    return Analysis(written, written_negative, built)


def _pair(
    linter: Linter, prompt: Prompt | str, negative: Prompt | str | None
) -> tuple[PromptAnalysis, PromptAnalysis | None]:
    run = linter.run(prompt, negative)
    numbered = finding_views(run.findings)
    database = linter.resources.database()
    views = [_view(run, "prompt", numbered, database)]
    if negative is not None:
        views.append(_view(run, "negative_prompt", numbered, database))
    return views[0], views[1] if len(views) > 1 else None


def _view(run: LintRun, field: Field, numbered: tuple[FindingView, ...], database: TagDatabase) -> PromptAnalysis:
    parsed = run.parsed(field)
    chunks = chunk_views(run.plan(field))
    chunk_of = chunk_finder(chunks)
    spans, marks, networks = syntax_spans(parsed, chunk_of)
    cut = [c.cut for c in chunks if c.cut is not None]
    scheduled = [s.span for s in spans if s.kind in _SPANNING]
    tags = tag_views(run.context(field).tags, database, chunk_of, cut, scheduled)
    findings = tuple(f for f in numbered if f.field == field)
    return PromptAnalysis(field, parsed.text, spans, tags, network_views(networks, chunk_of), chunks, findings, marks)
