"""The one PNG writer: the A1111 ``parameters`` text and the app's ``metadata`` JSON, read back by every reader."""

from __future__ import annotations

import io
import json

import pytest

from animagine_prompt.metadata import GenerationRecord, generation_png, read_png_text, record_from_texts
from animagine_prompt.metadata._png import _minimal_png


class FakeImage:
    """Anything with a Pillow-style save() is an image to the writer."""

    def save(self, fp: io.BytesIO, format: str) -> None:  # noqa: A002
        assert format == "PNG"
        fp.write(_minimal_png({"Software": "test"}))


RECORD = GenerationRecord(
    "1girl, green hair",
    "lowres",
    width=832,
    height=1216,
    steps=28,
    guidance=7,
    seed=3,
    sampler="Euler a",
    model="animagine-xl-2.0",
    hires_upscale=1.5,
    hires_strength=0.55,
    hires_method="nearest-exact",
)


def test_both_chunks_are_written_and_read_back() -> None:
    app = {"prompt": "1girl, green hair", "seed": 3, "sdxl_style": "Anime", "quality_tags": "Heavy"}
    texts = read_png_text(generation_png(_minimal_png({}), RECORD, app))
    assert list(texts) == ["parameters", "metadata"]
    assert json.loads(texts["metadata"]) == app
    record = record_from_texts(texts)
    assert (record.prompt, record.seed, record.hires_upscale, record.style) == ("1girl, green hair", 3, 1.5, "Anime")


def test_an_image_object_is_encoded_and_its_own_chunks_kept() -> None:
    texts = read_png_text(generation_png(FakeImage(), RECORD))
    assert texts.keys() == {"parameters", "Software"}


def test_writing_again_replaces_the_old_chunks() -> None:
    once = generation_png(_minimal_png({}), RECORD, {"prompt": "a"})
    twice = generation_png(once, GenerationRecord("b"), {"prompt": "b"})
    assert read_png_text(twice) == {"parameters": "b", "metadata": '{"prompt": "b"}'}


def test_pillow_reads_what_it_writes() -> None:
    Image = pytest.importorskip("PIL.Image")
    image = Image.new("RGB", (8, 8), "green")
    opened = Image.open(io.BytesIO(generation_png(image, RECORD, {"prompt": "1girl, green hair"})))
    assert opened.text["parameters"] == RECORD.parameters_text()
    assert opened.size == (8, 8)
