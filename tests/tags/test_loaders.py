"""Tag file readers and their errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from animagine_prompt.errors import InputError, TagDataError
from animagine_prompt.tags import TagRow, load_database, read_tag_file


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_tagcomplete_rows(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "danbooru.csv",
        '1girl,0,6008644,"1girls,sole_female"\n'
        'long_hair,0,4350743,"/lh,longhair"\n'
        "hu_tao_(genshin_impact),4,11823,hu_tao\n"
        "official_art,5,307221,\n"
        "\n"
        "Some Artist,1,12\n",
    )
    assert read_tag_file(path) == [
        TagRow("1girl", 0, 6008644, ("1girls", "sole_female")),
        TagRow("long_hair", 0, 4350743, ("/lh", "longhair")),
        TagRow("hu_tao_(genshin_impact)", 4, 11823, ("hu_tao",)),
        TagRow("official_art", 5, 307221, ()),
        TagRow("some_artist", 1, 12, ()),
    ]


def test_tagcomplete_extra_file_with_text_column(tmp_path: Path) -> None:
    path = write(tmp_path, "extra-quality-tags.csv", 'masterpiece,5,Quality tag\nbest_quality,5,"Quality, high"\n')
    assert read_tag_file(path) == [TagRow("masterpiece", 5, None), TagRow("best_quality", 5, None)]


def test_bom_is_ignored(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.csv", "\ufeff1girl,0,5\n".encode())
    assert read_tag_file(path) == [TagRow("1girl", 0, 5)]


def test_selected_tags_format(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "selected_tags.csv",
        "tag_id,name,category,count\n9999999,general,9,1589178\n470575,1girl,0,4225150\n"
        "1306,Hu_Tao_(genshin_impact),4,10238\n",
    )
    # The tagger's rating classes (category 9) are not tags.
    assert read_tag_file(path) == [TagRow("1girl", 0, 4225150), TagRow("hu_tao_(genshin_impact)", 4, 10238)]


def test_word_list(tmp_path: Path) -> None:
    path = write(tmp_path, "mine.txt", "# my tags\nGreen Hair\n\n  hu tao \\(genshin impact\\)  \n^_^\n")
    assert read_tag_file(path) == [TagRow("green_hair"), TagRow("hu_tao_(genshin_impact)"), TagRow("^_^")]


@pytest.mark.parametrize(
    ("name", "content", "line", "says"),
    [
        ("bad.csv", "1girl,0,5\nsolo,general,10\n", 2, "category"),
        ("bad.csv", "1girl,0,5\n\nsolo,0,-3\n", 3, "post count"),
        ("bad.csv", "a,0,1,x,y,z\n", 1, "at most 4 columns"),
        ("bad.csv", ",0,1\n", 1, "empty tag name"),
        ("bad.txt", "green hair\nred hair, blue eyes\n", 2, "no commas"),
        ("selected_tags.csv", "tag_id,name,category,count\n1,a,0\n", 2, "expected 4 columns"),
        ("selected_tags.csv", "tag_id,name,category,count\n1,a,x,3\n", 2, "category"),
    ],
)
def test_malformed_files_name_file_and_line(tmp_path: Path, name: str, content: str, line: int, says: str) -> None:
    path = write(tmp_path, name, content)
    with pytest.raises(TagDataError) as info:
        read_tag_file(path)
    error = info.value
    assert isinstance(error, InputError)
    assert error.path == str(path) and error.line == line
    assert says in str(error) and str(error).startswith(f"{path}:{line}: ")


def test_not_utf8_gives_line(tmp_path: Path) -> None:
    path = write(tmp_path, "latin1.csv", "1girl,0,5\ncaf\xe9,0,3\n".encode("latin-1"))
    with pytest.raises(TagDataError) as info:
        read_tag_file(path)
    assert info.value.line == 2 and "UTF-8" in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TagDataError, match="not found"):
        load_database([tmp_path / "nope.csv"])


def test_user_file_merges_over_bundled(tmp_path: Path, bundled) -> None:
    path = write(
        tmp_path,
        "mine.csv",
        "green_hair,0,42\n"  # overrides the bundled count
        'my_oc_(original),4,7,"my_oc"\n'
        'thighhighs,0,,"stockings_alias"\n'  # no count: keeps the bundled one
        'tail,0,100,"tails"\n'
        'multiple_tails,0,10,"tails"\n',  # an alias shared by two tags
    )
    db = load_database([path])
    assert db.lookup("green hair").post_count == 42
    assert db.lookup("thighhighs").post_count == bundled.lookup("thighhighs").post_count
    assert db.lookup("stockings alias").tag == "thighhighs"
    assert db.lookup("my oc").tag == "my_oc_(original)"
    shared = db.lookup("tails")
    assert shared.tag == "tail" and shared.how == "alias" and shared.confidence < 1.0
    assert db.sources == ("bundled", str(path))
    assert "my_oc_(original)" in db and "my_oc_(original)" not in bundled
    assert len(db) == len(bundled) + 1


def test_later_files_win_and_bundled_can_be_left_out(tmp_path: Path) -> None:
    first = write(tmp_path, "a.csv", "foo_tag,0,1\n")
    second = write(tmp_path, "b.csv", "foo_tag,3,9\n")
    db = load_database([first, second], bundled=False)
    match = db.lookup("foo tag")
    assert (match.category, match.post_count) == (3, 9)
    assert db.lookup("green hair") is None
    # Animagine's special tags are model facts, present whatever the data.
    assert db.lookup("best quality").special is not None


def test_shortcuts_resolve_but_are_not_typo_targets(tmp_path: Path) -> None:
    path = write(tmp_path, "s.csv", 'long_hair,0,100,"/lh,longhair"\n')
    db = load_database([path], bundled=False)
    assert db.lookup("/lh").tag == "long_hair"
    assert db.aliases_of("long_hair") == ("longhair",)
    assert all(s.tag == "long_hair" for s in db.suggest("/lx"))


def test_cache_is_invalidated_when_the_file_changes(tmp_path: Path) -> None:
    path = write(tmp_path, "c.csv", "foo_tag,0,1\n")
    first = load_database([path], bundled=False)
    assert load_database([path], bundled=False) is first
    write(tmp_path, "c.csv", "foo_tag,0,123456\n")
    second = load_database([path], bundled=False)
    assert second is not first and second.lookup("foo_tag").post_count == 123456
