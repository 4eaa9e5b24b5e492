"""The renderables, drawn into a string console (animagine_prompt/cli/preview/_*.py)."""

import re
from io import StringIO

import pytest
from rich.cells import cell_len
from rich.console import Console

from animagine_prompt.analysis import analyze
from animagine_prompt.cli.preview import (
    STYLES,
    ChunkBar,
    DiagnosticList,
    PreviewView,
    TagFlow,
    TagTable,
    WeightLegend,
    preview_theme,
)
from animagine_prompt.cli.preview._demo import SAMPLE_NEGATIVE, SAMPLE_PROMPT


class AsciiFile(StringIO):
    """A file whose encoding cannot show Unicode: rich then asks renderables for ASCII."""

    encoding = "ascii"


def render(renderable, width=80, file=None, **kw):
    console = Console(
        file=file or StringIO(), width=width, color_system=None, force_terminal=False, theme=preview_theme(), **kw
    )
    console.print(renderable)
    return console.file.getvalue()


@pytest.fixture(scope="module")
def sample():
    return analyze(SAMPLE_PROMPT, SAMPLE_NEGATIVE)


def test_flow_at_80_columns():
    preview = analyze("masterpiece, 1girl, ((smile)), [blurry], <lora:x:0.5>, [cat:dog:5], gren hair BREAK sky")
    assert render(TagFlow(preview.prompt)) == (
        "chunk 1 ███████████▎░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ 14/75 BREAK\n"
        "  masterpiece, 1girl, smile ×1.21, blurry ×0.91, <lora:x ×0.5>, ⟦cat → dog @5⟧,\n"
        "  gren hair[1]\n"
        "chunk 2 ▊░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░  1/75\n"
        "  sky\n"
    )


def test_whole_preview_at_80_columns():
    out = render(PreviewView(analyze("1girl, (smile:1.2), gren hair", "lowres")))
    assert out == (
        "prompt: 7/75 tokens in 1 chunk, 3 tags\n"
        "chunk 1 ██████▎░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ 7/75\n"
        "  1girl, smile ×1.2, gren hair[1]\n"
        "\n"
        "negative: 2/75 tokens in 1 chunk, 1 tag\n"
        "chunk 1 █▊░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ 2/75\n"
        "  lowres\n"
        "\n"
        "diagnostics: 1\n"
        "[1] T003 warning: unknown tag 'gren hair': did you mean 'green hair'?\n"
        "    1girl, (smile:1.2), gren hair\n"
        "                        ^^^^^^^^^\n"
        "\n"
        "tags: general  artist  copyright  character  meta  unknown\n"
        "×1.2 bold: stronger  [1] diagnostic\n"
    )


@pytest.mark.parametrize("width", [20, 40, 80, 200])
def test_no_line_is_wider_than_the_console(sample, width):
    for table in (False, True):
        out = render(PreviewView(sample, table=table), width=width)
        assert "1girl" in out
        assert max(cell_len(line) for line in out.splitlines()) <= width
        if not table:  # rich pads table cells; the rest is drawn without trailing spaces
            assert not [line for line in out.splitlines() if line != line.rstrip()], "trailing spaces"


def test_forty_columns_keeps_tags_whole(sample):
    out = render(TagFlow(sample.prompt), width=40)
    lines = [line for line in out.splitlines() if not line.startswith("chunk")]
    assert all(line.startswith("  ") for line in lines)
    for tag in sample.prompt.tags:
        assert any(tag.text in line for line in lines), tag.text
    assert "  ⟦hair flower | hair ornament⟧," in lines


def test_colour_render_uses_the_theme_styles():
    preview = analyze("hu tao \\(genshin impact\\), (smile:1.3)")
    console = Console(file=StringIO(), width=80, color_system="truecolor", force_terminal=True, theme=preview_theme())
    console.print(TagFlow(preview.prompt))
    out = console.file.getvalue()
    assert "\x1b[38;2;144;238;144mhu tao (genshin impact)" in out  # character: tagcomplete's lightgreen
    assert "\x1b[1;38;2;173;216;230msmile" in out  # general lightblue, bold for weight > 1
    custom = Console(
        file=StringIO(),
        width=80,
        color_system="truecolor",
        force_terminal=True,
        theme=preview_theme({"animagine.tag.character": "underline #ff0000"}),
    )
    custom.print(TagFlow(preview.prompt))
    assert "\x1b[4;38;2;255;0;0mhu tao" in custom.file.getvalue()


def test_no_color_keeps_the_text_and_drops_colours(sample, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    console = Console(file=StringIO(), width=80, force_terminal=True, color_system="truecolor", theme=preview_theme())
    console.print(PreviewView(sample))
    out = console.file.getvalue()
    assert "38;2;" not in out and "38;5;" not in out
    assert "\x1b[1m" in out  # bold and dim still say which weights are up and down
    assert "smile ×1.21" in re.sub(r"\x1b\[[0-9;]*m", "", out)


def test_ascii_console_gets_ascii_marks(sample):
    out = render(PreviewView(sample), file=AsciiFile())
    assert out.isascii()
    assert "smile x1.21" in out and "[[cat ears -> fox ears @10]]" in out and "###" in out


def test_renderables_work_without_the_theme(sample):
    console = Console(file=StringIO(), width=60, color_system="256", force_terminal=True)
    for renderable in (
        TagFlow(sample.prompt),
        TagTable(sample.prompt),
        ChunkBar(sample.prompt.chunks),
        DiagnosticList(sample.views),
        WeightLegend(sample),
        PreviewView(sample),
    ):
        console.print(renderable)
        assert repr(renderable)
    assert "hu tao" in console.file.getvalue()


def test_chunk_bar_lines_up_and_says_why_chunks_end():
    view = analyze("a BREAK b AND c :0.5").prompt
    out = render(ChunkBar(view.chunks), width=50)
    assert out.splitlines() == [
        "chunk 1          ▎░░░░░░░░░░░░░░░░░░░░░ 1/75 BREAK",
        "chunk 2          ▎░░░░░░░░░░░░░░░░░░░░░ 1/75 AND",
        "AND ×0.5 chunk 3 ▎░░░░░░░░░░░░░░░░░░░░░ 1/75",
    ]


def test_cut_tags_are_marked_in_flow_and_table():
    view = analyze("1girl, " + "very " * 80 + "long tag").prompt
    assert "long tag✂" in render(TagFlow(view), width=1000)
    assert "✂" in render(TagTable(view), width=200)


def test_table_lists_tags_networks_and_notes():
    view = analyze("hu tao \\(genshin impact\\), [smile], <lora:x:0.5>, gren hair").prompt
    rows = [line.split() for line in render(TagTable(view)).splitlines()[2:]]
    assert rows == [
        ["1", "hu", "tao", "(genshin", "impact)", "character", "███░░░", "1", "1"],
        ["2", "smile", "general", "██▊░░░", "0.91", "1"],
        ["3", "<lora:x>", "network", "█▌░░░░", "0.5", "1"],
        ["4", "gren", "hair[1]", "unknown", "███░░░", "1", "1"],
    ]


def test_legend_explains_only_what_was_used():
    plain = render(WeightLegend(analyze("1girl, (smile:1.2)")))
    assert "bold: stronger" in plain and "schedule" not in plain and "dim: weaker" not in plain
    full = render(WeightLegend())
    for words in ("schedule", "alternation", "extra network", "cut by a chunk boundary", "diagnostic"):
        assert words in full


def test_style_names_in_the_code_are_the_theme_table():
    import re
    from pathlib import Path

    import animagine_prompt.cli.preview as package

    folder = Path(package.__file__).parent
    code = "".join(p.read_text(encoding="utf-8") for p in folder.glob("*.py") if p.name != "_theme.py")
    used = set(re.findall(r"animagine\.[a-z.]+", code))
    exact = {name for name in used if not name.endswith(".")}
    prefixes = {name for name in used if name.endswith(".")}  # f"animagine.tag.{category}"
    assert exact <= set(STYLES), exact - set(STYLES)
    assert all(any(style.startswith(p) for style in STYLES) for p in prefixes)
    unused = [s for s in STYLES if s not in exact and not any(s.startswith(p) for p in prefixes)]
    assert unused == []
