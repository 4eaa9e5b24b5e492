"""The chunk planner: A1111's cut, BREAK, AND, comma back-tracking, weights and spans."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from animagine_prompt.errors import UsageError
from animagine_prompt.syntax import Fragment, parse
from animagine_prompt.tokens import ChunkPlan, load_tokenizer, plan

CAT = "cat "  # one token: cat</w>


def words(n: int, word: str = "cat") -> str:
    return " ".join([word] * n)


def test_one_token_words_are_one_token():
    assert len(load_tokenizer().encode(words(10))) == 10
    assert len(load_tokenizer().encode(words(10, "dog"))) == 10


@pytest.mark.parametrize(
    ("n", "used"),
    [(0, [0]), (1, [1]), (75, [75]), (76, [75, 1]), (150, [75, 75]), (151, [75, 75, 1])],
)
def test_chunk_sizes_at_the_edges(n, used):
    p = plan(words(n))
    assert [c.used for c in p.chunks] == used
    assert p.token_count == n
    assert p.capacity == 75 * len(used)
    assert [b.reason for b in p.boundaries] == ["full"] * (len(used) - 1)


def test_a_full_boundary_inside_a_tag_reports_the_cut():
    text = "1girl, " + words(76)
    p = plan(text)
    (boundary,) = p.boundaries
    assert boundary.reason == "full" and boundary.moved == 0
    assert boundary.cut is not None and boundary.cut.text == words(76)
    assert p.cut_tags == (boundary.cut,)
    # The next chunk starts at the 74th "cat" (3 tokens went to "1girl,").
    assert boundary.offset == len("1girl, ") + 72 * len(CAT)
    assert p.pushed_tags == ()


def test_back_tracking_moves_the_tag_after_a_comma_in_the_window():
    # comma at index 60; the chunk fills at 75; 75 - 60 = 15 <= 20: tokens 61.. move on.
    text = words(60) + ", " + words(30, "dog")
    p = plan(text)
    assert [c.used for c in p.chunks] == [61, 30]
    (boundary,) = p.boundaries
    assert (boundary.reason, boundary.moved, boundary.cut) == ("comma", 14, None)
    assert [t.text for t in boundary.pushed] == [words(30, "dog")]
    assert p.chunks[0].ids[-1] == load_tokenizer().comma_id
    assert boundary.offset == text.index("dog")


def test_back_tracking_needs_the_comma_inside_the_window():
    # comma at index 50: 75 - 50 = 25 > 20, so the cut stays at 75 and splits the second tag.
    text = words(50) + ", " + words(40, "dog")
    p = plan(text)
    assert [c.used for c in p.chunks] == [75, 16]
    (boundary,) = p.boundaries
    assert boundary.reason == "full" and boundary.cut.text == words(40, "dog")
    # A wider window reaches it; zero turns back-tracking off.
    assert [c.used for c in plan(text, comma_window=25).chunks] == [51, 40]
    assert [c.used for c in plan(words(60) + ", " + words(30), comma_window=0).chunks] == [75, 16]


def test_back_tracking_with_the_comma_last_moves_nothing():
    text = words(74) + ", " + words(5, "dog")
    p = plan(text)
    assert [c.used for c in p.chunks] == [75, 5]
    assert p.boundaries[0].reason == "full" and p.boundaries[0].cut is None


def test_a_comma_that_opens_a_chunk_does_not_count_for_back_tracking():
    # A1111 records the comma, then flushes the full chunk, which forgets it.
    text = words(75) + ", " + words(74, "dog") + ", " + words(5)
    assert [c.used for c in plan(text).chunks] == [75, 75, 6]


def test_break_pads_the_chunk_and_starts_a_new_one():
    p = plan("1girl, smile BREAK green hair")
    assert [c.used for c in p.chunks] == [4, 2]
    assert p.boundaries[0].reason == "break" and p.boundaries[0].cut is None
    assert p.chunks[0].padded_ids(pad_id=49407)[5:] == (49407,) * 72


def test_break_at_a_chunk_edge_adds_no_empty_chunk():
    assert [c.used for c in plan(words(75) + " BREAK dog").chunks] == [75, 1]
    assert [c.used for c in plan(words(75) + " BREAK").chunks] == [75]
    assert [c.used for c in plan(words(76) + " BREAK dog").chunks] == [75, 1, 1]


def test_consecutive_leading_and_trailing_breaks_follow_a1111():
    assert [c.used for c in plan("cat BREAK BREAK dog").chunks] == [1, 0, 1]
    assert [c.used for c in plan("BREAK dog").chunks] == [0, 1]
    assert [c.used for c in plan("cat BREAK").chunks] == [1]
    assert [c.used for c in plan("BREAK").chunks] == [0]
    assert [b.reason for b in plan("cat BREAK BREAK dog").boundaries] == ["break", "break"]


def test_empty_prompt_is_one_chunk_of_padding():
    for source in ("", "   ", "<lora:detail:0.5>", []):
        p = plan(source)
        assert len(p.chunks) == 1 and p.chunks[0].used == 0 and p.boundaries == ()
        assert p.chunks[0].padded_ids(pad_id=0) == (49406, 49407) + (0,) * 75
        assert p.token_count == 0 and p.capacity == 75


def test_and_splits_sub_prompts_with_their_weights():
    p = plan("1girl:1.2 AND cat AND")
    assert [(c.used, c.subprompt) for c in p.chunks] == [(2, 0), (1, 1), (0, 2)]
    assert [b.reason for b in p.boundaries] == ["and", "and"]
    assert p.subprompt_weights == (1.2, 1.0, 1.0)
    # A BREAK just before AND leaves no empty chunk: each sub-prompt is cut on its own.
    assert [(c.used, c.subprompt) for c in plan("cat BREAK AND dog").chunks] == [(1, 0), (1, 1)]


def test_weights_are_carried_per_token_also_when_moved():
    p = plan("(cat:1.3) dog [bird], ((fish))")
    assert p.chunks[0].weights == pytest.approx((1.3, 1.0, 1 / 1.1, 1.0, 1.21))
    moved = plan(words(60) + ", (" + words(30, "dog") + ":0.7)")
    assert set(moved.chunks[1].weights) == {0.7}
    assert moved.chunks[0].padded_weights() == (1.0,) * 77


def test_spans_point_at_the_source_of_each_token():
    text = "hu tao \\(genshin impact\\), (Smile:1.2), [blurry] <lora:x:1>, cat"
    chunk = plan(text).chunks[0]
    pieces = [text[a:b] for a, b in chunk.spans]
    assert pieces == ["hu", "tao", "\\(", "gen", "shin", "impact", "\\),", "Smile", ",", "blurry", ",", "cat"]


def test_padded_ids_and_weights_have_encoder_length():
    chunk = plan("(1girl:1.5), solo").chunks[0]
    for pad in (49407, 0):
        ids = chunk.padded_ids(pad_id=pad)
        assert len(ids) == 77 and ids[0] == 49406 and ids[chunk.used + 1] == 49407
        assert set(ids[chunk.used + 2 :]) == {pad}
    weights = chunk.padded_weights()
    assert len(weights) == 77 and weights[1:3] == (1.5, 1.5) and weights[0] == weights[-1] == 1.0
    short = plan("cat", chunk_length=5).chunks[0]
    assert short.padded_ids(pad_id=0) == (49406, 2368, 49407, 0, 0, 0, 0)


def test_sources_prompt_text_and_fragments_agree():
    text = "1girl, " + words(80) + " BREAK (dog:1.2), " + words(30)
    from_text = plan(text)
    from_prompt = plan(parse(text))
    from_fragments = plan(parse(text).fragments())
    assert from_text == from_prompt
    assert from_fragments.chunks == from_text.chunks
    assert [b.reason for b in from_fragments.boundaries] == [b.reason for b in from_text.boundaries]
    assert from_fragments.cut_tags == () and from_text.cut_tags != ()


def test_schedules_take_step_and_steps():
    p = parse("[cat:dog cat:5]")
    assert plan(p, step=2, steps=10).token_count == 1
    assert plan(p, step=8, steps=10).token_count == 2


def test_tokenizer_2_plans_its_own_ids():
    text = "wow!! " * 40
    assert plan(text).token_count == 80
    assert plan(text, load_tokenizer("clip_g")).token_count == 120


def test_bad_arguments_say_what_to_change():
    with pytest.raises(UsageError, match="chunk_length"):
        plan("cat", chunk_length=0)
    with pytest.raises(UsageError, match="comma_window"):
        plan("cat", comma_window=-1)
    with pytest.raises(UsageError, match="from_transformers"):
        plan("cat", tokenizer=object())  # type: ignore[arg-type]


# --- against an independent A1111-style reference ----------------------------------------------------


def a1111_chunks(fragments, tokenizer, chunk_length=75, backtrack=20):
    """A1111's tokenize_line, run per AND sub-prompt as A1111 encodes them, on padded lists."""
    subprompts = [[]]
    for f in fragments:
        if f.kind == "and":
            subprompts.append([])
        else:
            subprompts[-1].append(f)
    return [chunk for parts in subprompts for chunk in a1111_line(parts, tokenizer, chunk_length, backtrack)]


def a1111_line(parts, tokenizer, chunk_length, backtrack):
    chunks, tokens, mults, last_comma = [], [], [], -1

    def next_chunk():
        nonlocal tokens, mults, last_comma
        pad = chunk_length - len(tokens)
        chunks.append(([49406, *tokens, 49407] + [49407] * pad, [1.0, *mults, 1.0] + [1.0] * pad))
        tokens, mults, last_comma = [], [], -1

    for f in parts:
        if f.kind == "break":
            next_chunk()
            continue
        for token in tokenizer.encode(f.text).ids:
            if token == tokenizer.comma_id:
                last_comma = len(tokens)
            elif (
                backtrack
                and len(tokens) == chunk_length
                and last_comma != -1
                and len(tokens) - last_comma <= backtrack
            ):
                keep = last_comma + 1
                rest_t, rest_m = tokens[keep:], mults[keep:]
                tokens, mults = tokens[:keep], mults[:keep]
                next_chunk()
                tokens, mults = rest_t, rest_m
            if len(tokens) == chunk_length:
                next_chunk()
            tokens.append(token)
            mults.append(f.weight)
    if tokens or not chunks:
        next_chunk()
    return chunks


def as_padded(p: ChunkPlan):
    return [(list(c.padded_ids(pad_id=49407)), list(c.padded_weights())) for c in p.chunks]


_WORDS = ["cat", "dog cat", "1girl", "green hair", ",", ", ", "hu tao \\(genshin impact\\)", "!", "😀"]


@st.composite
def fragment_lists(draw):
    fragments = []
    for _ in range(draw(st.integers(0, 14))):
        kind = draw(st.sampled_from(["text"] * 8 + ["break", "and"]))
        if kind == "text":
            text = " ".join(draw(st.lists(st.sampled_from(_WORDS), min_size=0, max_size=30)))
            fragments.append(Fragment(text, draw(st.sampled_from([1.0, 1.1, 0.5, 1.5])), "text"))
        elif kind == "break":
            fragments.append(Fragment("BREAK", -1.0, "break"))
        else:
            fragments.append(Fragment("AND", 1.0, "and"))
    return fragments


@settings(max_examples=300, deadline=None)
@given(fragment_lists(), st.sampled_from([75, 10, 3]), st.sampled_from([20, 0, 5, 80]))
def test_matches_a1111_reference(fragments, chunk_length, window):
    tok = load_tokenizer()
    p = plan(fragments, chunk_length=chunk_length, comma_window=window)
    assert as_padded(p) == a1111_chunks(fragments, tok, chunk_length, window)
    assert all(c.used <= chunk_length for c in p.chunks)
    assert len(p.boundaries) == len(p.chunks) - 1


def test_real_prompts_match_the_reference(real_prompts):
    tok = load_tokenizer()
    for text in real_prompts:
        prompt = parse(text)
        p = plan(prompt)
        assert as_padded(p) == a1111_chunks(prompt.fragments(), tok), text
        for chunk in p.chunks:
            assert len(chunk.ids) == len(chunk.weights) == len(chunk.spans) <= 75
            for span in chunk.spans:
                assert span is None or 0 <= span[0] <= span[1] <= len(text)
        for b in p.boundaries:
            assert b.cut is None or b.reason == "full"
            assert not b.pushed or b.reason == "comma"


def test_spans_agree_with_fragment_source_span(real_prompts):
    from animagine_prompt.tokens._planner import _spans

    tok = load_tokenizer()
    texts = real_prompts + ["a, (b \\(c\\):1.2) [d:e:3], \\\\x <lora:q:1> BREAK f", "((a)), [[b]]"]
    checked = 0
    for text in texts:
        for fragment in parse(text).fragments(steps=20):
            if fragment.kind != "text":
                continue
            offsets = list(tok.encode(fragment.text).offsets)
            expected = [fragment.source_span(a, b) for a, b in offsets]
            assert _spans(fragment, offsets) == expected, text
            # the same offsets counted from a base, as the planner hands them over
            assert _spans(fragment, [(a + 7, b + 7) for a, b in offsets], 7) == expected, text
            whole = (0, len(fragment.text))  # a range across every segment
            assert _spans(fragment, [whole]) == [fragment.source_span(*whole)], text
            checked += len(offsets)
    assert checked > 10_000


@pytest.mark.parametrize("kind", ["clip_l", "clip_g"])
def test_a_pipelines_own_tokenizer_plans_the_same(kind, hf_tokenizers, real_prompts):
    from animagine_prompt.tokens import ClipTokenizer

    wrapped = ClipTokenizer.from_transformers(hf_tokenizers[kind])
    ours = load_tokenizer(kind)
    for text in real_prompts:
        assert plan(text, wrapped) == plan(text, ours)


_SYNTAX = ["cat", "(cat:1.2)", "hu tao \\(genshin impact\\)", "[blurry]", "<lora:x:1>", "BREAK", "AND", "\\\\",
           "[a:b:3]", "[a|b]", "((x))", "!", "wow!!", "😀", "，", ",", "  ", "\\)", "(a:1.1)b", "a<lora:y:1>b", ""]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_SYNTAX), max_size=40), st.sampled_from([" ", ", ", "", "\n"]),
       st.sampled_from(["clip_l", "clip_g"]))
def test_tokens_weights_and_spans_are_those_of_each_fragment_alone(parts, separator, kind):
    # The planner tokenizes a prompt's fragments in one text, laid out at their source offsets;
    # this checks that against encoding each fragment on its own.
    text = separator.join(parts)
    tok = load_tokenizer(kind)
    expected_ids, expected_weights, expected_spans = [], [], []
    for fragment in parse(text).fragments():
        if fragment.kind == "text":
            encoded = tok.encode(fragment.text)
            expected_ids += encoded.ids
            expected_weights += [fragment.weight] * len(encoded)
            expected_spans += [fragment.source_span(a, b) for a, b in encoded.offsets]
    chunks = plan(text, tok).chunks
    assert [i for c in chunks for i in c.ids] == expected_ids
    assert [w for c in chunks for w in c.weights] == expected_weights
    assert [s for c in chunks for s in c.spans] == expected_spans


def test_hand_made_fragments_keep_the_source_span_rule():
    # One segment that starts inside the text: not a plain copy of its source, so no shortcut.
    fragment = Fragment("xx cat", 1.0, "text", ((3, 10, 16),))
    tok = load_tokenizer()
    spans = [s for c in plan([fragment]).chunks for s in c.spans]
    assert spans == [fragment.source_span(a, b) for a, b in tok.encode(fragment.text).offsets]


def test_a_plan_from_the_prompts_own_fragments_is_the_plan() -> None:
    for text in ["1girl, (smile:1.2) BREAK green hair", "a AND (b:1.3) AND c:0.5", "tag, " * 40 + "[a:b:3]", ""]:
        prompt = parse(text)
        given = plan(prompt, fragments=prompt.fragments())
        made = plan(prompt)
        assert given == made
        assert given.boundaries == made.boundaries
