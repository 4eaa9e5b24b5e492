"""``/api/info``, ``/api/analyze`` and ``/api/complete``: what the editor needs while someone types."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from animagine_prompt._version import __version__
from animagine_prompt.webui._schemas import AnalyzeBody, CompleteResponse, InfoResponse
from animagine_prompt.webui._state import ServerState, State

__all__ = ["check_text", "router"]

router = APIRouter(prefix="/api")

#: Most completions one request returns.
MAX_COMPLETIONS = 50
#: Prompt and negative together up to this many characters are analysed on the event loop (about
#: 10 ms on a 2-core machine; the longest real prompt is 3,247 characters).
INLINE_CHARS = 4000
#: Longest text ``/api/complete`` takes: one prompt item.
MAX_ITEM_CHARS = 200


def check_text(name: str, text: str | None, limit: int) -> None:
    """422 when ``text`` is longer than ``limit`` characters."""
    if text is not None and len(text) > limit:
        raise HTTPException(422, f"{name} is {len(text):,} characters long, over the limit of {limit:,}: shorten it")


@router.get("/info", response_model=InfoResponse)
def info(state: State) -> dict[str, Any]:
    """Version, mode, the preset and sampler names, sizes, defaults, LoRAs and the request limits."""
    library = state.presets
    defaults = library.defaults
    config = state.config
    names = {kind: [p.key for p in library.all(kind)] for kind in ("quality", "style", "negative")}
    generating = state.generate_reason is None
    return {
        "version": __version__,
        "generate": generating,
        "generate_reason": state.generate_reason,
        "model": config.model_label if generating else None,
        "presets": names,
        "sizes": [{"name": p.key, "width": p.width, "height": p.height} for p in library.all("resolution")],
        "samplers": [p.name for p in library.all("sampler")],
        "defaults": {
            "quality": defaults.quality,
            "style": defaults.style,
            "size": defaults.resolution,
            "sampler": defaults.sampler,
            "steps": defaults.steps,
            "guidance": defaults.guidance,
            "hires": False,
        },
        "loras": list(state.lora_names),
        "limits": {"prompt_chars": config.prompt_chars, "body_bytes": config.body_bytes, "png_bytes": config.png_bytes},
    }


@router.post(
    "/analyze",
    responses={200: {"description": '`Analysis.to_dict(units="utf-16")`: see docs/analysis.md'}},
)
async def analyze(body: AnalyzeBody, state: State) -> Response:
    """``Analysis.to_dict(units="utf-16")`` of the two texts (offsets as CodeMirror counts them)."""
    limit = state.config.prompt_chars
    check_text("prompt", body.prompt, limit)
    check_text("negative", body.negative, limit)
    # Prompts of everyday length take milliseconds: analysed on the event loop when the linter is
    # free (on a busy machine, handing work to a thread and back costs more than the analysis).
    # Long ones, and any that would wait for the linter, go to a worker thread.
    short = len(body.prompt) + len(body.negative or "") <= INLINE_CHARS
    if short and state.lock.acquire(blocking=False):
        try:
            text = _analysis_json(body, state)
        finally:
            state.lock.release()
    else:
        text = await run_in_threadpool(_analyze_locked, body, state)
    return Response(text, media_type="application/json")


def _analysis_json(body: AnalyzeBody, state: ServerState) -> str:
    from animagine_prompt.analysis import PresetChoice
    from animagine_prompt.analysis import analyze as analyze_prompts

    choice = PresetChoice(**body.presets.model_dump())
    result = analyze_prompts(body.prompt, body.negative, presets=choice, linter=state.linter)
    # the analysis writes its own JSON: FastAPI's encoder would walk every value of it again
    return result.to_json(units="utf-16")


def _analyze_locked(body: AnalyzeBody, state: ServerState) -> str:
    with state.lock:
        return _analysis_json(body, state)


@router.get("/complete", response_model=CompleteResponse)
async def complete(
    state: State,
    q: Annotated[str, Query(max_length=MAX_ITEM_CHARS)] = "",
    limit: Annotated[int, Query(ge=1, le=MAX_COMPLETIONS)] = 10,
) -> JSONResponse:
    """Tags for the item being typed: prefix matches by post count, then near matches."""
    # the item as the editor has it: an opening bracket or weight group is not part of the tag
    text = q.lstrip(" \t([{").rstrip()
    # A completion takes well under a millisecond: answered on the event loop when the database is
    # free, and only while an analysis holds it from a worker thread (never blocking the loop).
    if state.lock.acquire(blocking=False):
        try:
            found = state.database().complete(text, limit)
        finally:
            state.lock.release()
    else:
        found = await run_in_threadpool(_complete_locked, state, text, limit)
    items = [
        {
            "label": c.label,
            "insert": c.insert,
            "category": c.category_name,
            "category_id": c.category,
            "count": c.post_count,
            "alias": c.alias_label,
        }
        for c in found
    ]
    return JSONResponse({"items": items})


def _complete_locked(state: ServerState, text: str, limit: int) -> list[Any]:
    with state.lock:
        found: list[Any] = state.database().complete(text, limit)
    return found
