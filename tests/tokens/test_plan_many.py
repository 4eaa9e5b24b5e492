"""plan_many() gives the plans plan() gives, one prompt at a time, from one batched tokenizer call."""

from animagine_prompt.tokens import load_tokenizer, plan, plan_many


def _same(a, b):
    assert [(c.ids, c.weights, c.spans) for c in a.chunks] == [(c.ids, c.weights, c.spans) for c in b.chunks]
    assert a.reasons == b.reasons and a.subprompt_weights == b.subprompt_weights


def test_plan_many_matches_plan_on_real_prompts(real_prompts):
    texts = [*real_prompts, ""]  # prompts and negatives (this folder's fixture), and an empty one
    for kind in ("clip_l", "clip_g"):
        tokenizer = load_tokenizer(kind)
        for many, text in zip(plan_many(texts, tokenizer), texts, strict=True):
            _same(many, plan(text, tokenizer))


def test_plan_many_handles_empty_and_mixed_sources():
    from animagine_prompt.syntax import parse

    sources = ["", parse("a BREAK b"), parse("x AND y:0.5").fragments(), "!!, wow!"]
    plans = plan_many(sources, load_tokenizer("clip_g"))
    assert [p.token_count for p in plans] == [plan(s, load_tokenizer("clip_g")).token_count for s in sources]
    assert len(plans[0].chunks) == 1 and plans[0].token_count == 0
