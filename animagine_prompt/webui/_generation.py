"""``/api/generate``, the job's event stream and stop, ``/api/images/*`` and ``/api/read-png``."""

from __future__ import annotations

import json
import random
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse

from animagine_prompt.webui._config import MAX_IMAGES
from animagine_prompt.webui._jobs import Job, JobRequest
from animagine_prompt.webui._prompting import check_text
from animagine_prompt.webui._schemas import GenerateBody, JobStarted, PngSettings
from animagine_prompt.webui._state import ServerState, State

__all__ = ["job_request", "router"]

router = APIRouter(prefix="/api")


def job_request(body: GenerateBody, state: ServerState) -> JobRequest:
    """Check a generate request and build its prompts, before it waits in the queue: a bad size,
    sampler, preset, setting or LoRA is a 400 now, not an error event later."""
    from animagine_prompt.analysis import PresetChoice
    from animagine_prompt.limits import check_setting, parse_wxh

    limit = state.config.prompt_chars
    check_text("prompt", body.prompt, limit)
    check_text("negative", body.negative, limit)
    if not 1 <= body.num_images <= MAX_IMAGES:
        raise HTTPException(422, f"num_images must be 1 to {MAX_IMAGES}, not {body.num_images}")
    known = set(state.lora_names)
    for lora in body.loras:
        if lora.name not in known:
            listed = ", ".join(sorted(known)) or "none: start the server with --lora-dir"
            raise HTTPException(400, f"unknown LoRA {lora.name!r}: use one of the listed LoRAs ({listed})")
    prompt = body.prompt
    if body.loras:
        tags = ", ".join(f"<lora:{lora.name}:{lora.weight:g}>" for lora in body.loras)
        prompt = f"{prompt}, {tags}" if prompt.strip() else tags
    library = state.presets
    defaults = library.defaults
    built, _ = PresetChoice(**body.presets.model_dump()).build(prompt, body.negative or "", library)
    spec = body.size or defaults.resolution
    pair = parse_wxh(spec)
    if pair is not None and (pair[0] % 8 or pair[1] % 8):
        # as generate() does: the SDXL VAE works in 8 x 8 pixel cells, and the size is not changed quietly
        w, h = pair
        raise HTTPException(
            400,
            f"size {w}x{h} is not a multiple of 8 pixels per side: use {w // 8 * 8 or 8}x{h // 8 * 8 or 8} "
            f"or {-(-w // 8) * 8}x{-(-h // 8) * 8}",
        )
    size = library.size(spec)
    sampler = library.sampler(body.sampler or defaults.sampler).name
    steps = check_setting("steps", defaults.steps if body.steps is None else body.steps, label="steps")
    guidance = check_setting(
        "guidance", defaults.guidance if body.guidance is None else body.guidance, label="guidance"
    )
    seed = random.SystemRandom().randrange(2**32) if body.seed is None else check_setting("seed", body.seed)
    # What the page sent, resolved: each image event carries it with the image's own seed.
    settings = {
        **body.model_dump(),
        "negative": body.negative or "",
        "size": f"{size.width}x{size.height}",
        "sampler": sampler,
        "steps": steps,
        "guidance": guidance,
        "seed": seed,
    }
    return JobRequest(
        prompt=built.prompt,
        negative=built.negative_prompt,
        width=size.width,
        height=size.height,
        sampler=sampler,
        steps=steps,
        guidance=guidance,
        seed=seed,
        num_images=body.num_images,
        hires=body.hires,
        settings=settings,
    )


@router.post("/generate", status_code=202, response_model=JobStarted)
def generate(body: GenerateBody, state: State) -> dict[str, Any]:
    """Queue a generation; the job's events say when it starts, how far it got and where the images are."""
    jobs = state.jobs()  # 503 in prompt-only mode, before anything else
    job = jobs.submit(job_request(body, state))
    return {"job": job.id, "seed": job.request.seed}


def _job(state: ServerState, job_id: str) -> Job:
    job = state.jobs().get(job_id)
    if job is None:
        raise HTTPException(404, f"no job {job_id!r}: it finished long ago or never existed")
    return job


@router.get("/jobs/{job_id}/events", response_model=None)
async def job_events(job_id: str, state: State, request: Request) -> Response:
    """Server-sent events of one job, from its first; the stream ends after ``done``, ``stopped`` or ``error``.

    Each event carries its number as ``id``: a browser's ``EventSource`` that reconnects sends the
    last one back (``Last-Event-ID``) and gets only what followed; once the job has ended and
    everything was sent, the answer is 204, which tells it to stop reconnecting.
    """
    job = _job(state, job_id)
    last = request.headers.get("last-event-id", "")
    start = int(last) + 1 if last.isdigit() else 0
    if job.finished and start >= len(job.events):
        return Response(status_code=204)

    async def lines() -> AsyncIterator[str]:
        async for number, event, data in job.stream(start):
            yield f"id: {number}\nevent: {event}\ndata: {json.dumps(data)}\n\n"

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(lines(), media_type="text/event-stream", headers=headers)


@router.post("/jobs/{job_id}/stop")
def stop(job_id: str, state: State) -> dict[str, bool]:
    """Stop a job: a waiting one at once, a running one after the step it is on."""
    job = _job(state, job_id)
    state.jobs().stop(job)
    return {"stopping": True}


@router.get("/images/{name}")
def image(name: str, state: State, download: bool = False) -> FileResponse:
    """A PNG the server wrote into the output folder; nothing else is served from here."""
    from animagine_prompt.webui._images import image_path

    path = image_path(state.config.output, name)
    if path is None:
        raise HTTPException(404, f"no image {name!r} in the output folder")
    disposition = "attachment" if download else "inline"
    return FileResponse(path, media_type="image/png", filename=name, content_disposition_type=disposition)


@router.post("/read-png", response_model=PngSettings)
async def read_png(request: Request) -> JSONResponse:
    """The prompt and settings stored in a dropped PNG (the raw file is the body)."""
    from animagine_prompt.webui._images import settings_from_png

    data = await request.body()
    return JSONResponse(settings_from_png(data))
