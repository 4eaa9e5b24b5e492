"""The generation queue: one worker thread makes one job at a time; each job keeps the events its
SSE stream sends (``queued``, ``progress``, ``image``, then ``done``, ``stopped`` or ``error``).

The worker owns the pipeline (loaded on the first job) and is the only thread that touches it, so
the event loop never waits on torch. Events go to listeners through their loop's
``call_soon_threadsafe``: a listener sleeps until there is something to send.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from animagine_prompt.errors import AnimaginePromptError
from animagine_prompt.webui._config import ServerConfig

__all__ = ["TERMINAL", "Job", "JobQueue", "JobRequest"]

log = logging.getLogger("animagine_prompt.webui")

#: Events after which a job sends nothing more.
TERMINAL = frozenset({"done", "stopped", "error"})
#: Seconds between two step previews (the first step of a pass always has one).
PREVIEW_EVERY = 0.25
#: Seconds ``close`` waits for the running job to reach its next step and stop.
CLOSE_WAIT = 60.0
#: Finished jobs remembered (their events can still be read), oldest forgotten first.
KEEP_JOBS = 200


@dataclass(frozen=True)
class JobRequest:
    """A checked generate request: the prompts as the presets built them, and the settings.

    ``settings`` is what the page sent, with the size, sampler, steps and guidance resolved; each
    image event carries it with that image's seed, so "send to prompt" fills the form again.
    """

    prompt: str
    negative: str
    width: int
    height: int
    sampler: str
    steps: int
    guidance: float
    seed: int
    num_images: int
    hires: bool
    settings: dict[str, Any] = field(default_factory=dict)


class Job:
    """One generate request and the events it has produced so far."""

    def __init__(self, request: JobRequest) -> None:
        self.id = secrets.token_hex(8)
        self.request = request
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.stop_requested = threading.Event()
        self._lock = threading.Lock()
        self._listeners: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []

    @property
    def finished(self) -> bool:
        """Whether a terminal event was sent."""
        with self._lock:
            return bool(self.events) and self.events[-1][0] in TERMINAL

    def publish(self, event: str, data: dict[str, Any]) -> None:
        """Add an event and wake every listener (any thread)."""
        with self._lock:
            if self.events and self.events[-1][0] in TERMINAL:
                return  # nothing follows the end
            self.events.append((event, data))
            listeners = list(self._listeners)
        for loop, wake in listeners:
            try:
                loop.call_soon_threadsafe(wake.set)
            except RuntimeError:  # that listener's loop has closed
                pass

    async def stream(self, start: int = 0) -> AsyncIterator[tuple[int, str, dict[str, Any]]]:
        """``(number, event, data)`` of every event from number ``start``, then of each new one as
        it comes, until a terminal one."""
        wake = asyncio.Event()
        entry = (asyncio.get_running_loop(), wake)
        with self._lock:
            self._listeners.append(entry)
        try:
            sent = start
            while True:
                wake.clear()
                with self._lock:
                    new = self.events[sent:]
                for event, data in new:
                    sent += 1
                    yield sent - 1, event, data
                    if event in TERMINAL:
                        return
                if not new:
                    await wake.wait()
        finally:
            with self._lock:
                self._listeners.remove(entry)


class _Previews:
    """Decides which steps get a preview: the first of each pass, then one every PREVIEW_EVERY seconds."""

    def __init__(self) -> None:
        self.last = 0.0
        self.stage = ""

    def due(self, stage: str) -> bool:
        now = time.monotonic()
        if stage != self.stage or now - self.last >= PREVIEW_EVERY:
            self.stage, self.last = stage, now
            return True
        return False


class JobQueue:
    """Jobs waiting and running, and the worker thread that makes them (started by the first job)."""

    def __init__(self, config: ServerConfig, load_pipeline: Callable[[], Any]) -> None:
        self.config = config
        self._load_pipeline = load_pipeline
        self._pipe: Any = None
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._waiting: deque[Job] = deque()
        self._running: Job | None = None
        self._cond = threading.Condition()
        self._closed = False
        self._worker: threading.Thread | None = None

    # -- the request side ---------------------------------------------------------------------

    def submit(self, request: JobRequest) -> Job:
        """Queue a job; its first event says how many jobs are ahead of it."""
        job = Job(request)
        with self._cond:
            if self._closed:
                raise AnimaginePromptError("the server is shutting down")
            self._remember(job)
            ahead = len(self._waiting) + (self._running is not None)
            self._waiting.append(job)
            job.publish("queued", {"position": ahead})
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, name="animagine-generate", daemon=True)
                self._worker.start()
            self._cond.notify()
        return job

    def get(self, job_id: str) -> Job | None:
        """The job with that id, or ``None`` (unknown, or forgotten long ago)."""
        with self._cond:
            return self._jobs.get(job_id)

    def stop(self, job: Job) -> None:
        """Stop a job: a waiting one leaves the queue now, a running one after its current step."""
        job.stop_requested.set()
        with self._cond:
            if job in self._waiting:
                self._waiting.remove(job)
                job.publish("stopped", {})
                self._announce_positions()

    def close(self) -> None:
        """Stop everything: the running job at its next step; waiting jobs are stopped now."""
        with self._cond:
            self._closed = True
            for job in self._waiting:
                job.stop_requested.set()
                job.publish("stopped", {})
            self._waiting.clear()
            if self._running is not None:
                self._running.stop_requested.set()
            self._cond.notify_all()
            worker = self._worker
        if worker is not None:
            # the running job stops at its next step; torch must not be inside a step when the
            # interpreter exits under it
            worker.join(CLOSE_WAIT)

    def _remember(self, job: Job) -> None:
        self._jobs[job.id] = job
        while len(self._jobs) > KEEP_JOBS:
            oldest = next(iter(self._jobs.values()))
            if not oldest.finished:
                break
            self._jobs.popitem(last=False)

    def _announce_positions(self) -> None:
        # called with the lock held
        for position, job in enumerate(self._waiting):
            job.publish("queued", {"position": position + (self._running is not None)})

    # -- the worker side ------------------------------------------------------------------------

    def _work(self) -> None:
        while True:
            with self._cond:
                while not self._waiting and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return
                job = self._running = self._waiting.popleft()
                self._announce_positions()
            try:
                self._make(job)
            except AnimaginePromptError as exc:
                job.publish("error", {"message": str(exc)})
            except Exception as exc:  # one failing job must not end the worker
                log.exception("generation failed")
                job.publish("error", {"message": f"generation failed: {type(exc).__name__}: {exc}"})
            finally:
                with self._cond:
                    self._running = None

    def _pipeline(self, job: Job) -> Any:
        if self._pipe is None:
            r = job.request
            job.publish("progress", {"step": 0, "steps": r.steps, "stage": "loading", "preview": None})
            self._pipe = self._load_pipeline()
        return self._pipe

    def _make(self, job: Job) -> None:
        from animagine_prompt.webui._images import save_image
        from animagine_prompt.webui._preview import latent_preview

        r = job.request
        if job.stop_requested.is_set():
            job.publish("stopped", {})
            return
        pipe = self._pipeline(job)
        previews = _Previews()

        def on_step(info: Any) -> bool | None:
            if job.stop_requested.is_set():
                return False
            preview = latent_preview(info.latents) if previews.due(info.stage) else None
            job.publish("progress", {"step": info.step, "steps": info.steps, "stage": info.stage, "preview": preview})
            return None

        result = pipe.generate(
            r.prompt,
            r.negative or None,
            quality="none",  # the prompts come built with the presets the page chose
            style="none",
            size=(r.width, r.height),
            steps=r.steps,
            guidance=r.guidance,
            seed=r.seed,
            num_images=r.num_images,
            sampler=r.sampler,
            hires=r.hires or None,
            callback=on_step,
        )
        if result.interrupted or job.stop_requested.is_set():
            job.publish("stopped", {})
            return
        for index, seed in enumerate(result.seeds):
            name = save_image(self.config.output, result.png(index, model=self.config.model_label), seed, index)
            settings = {**r.settings, "seed": seed, "num_images": 1}
            job.publish("image", {"url": f"/api/images/{name}", "seed": seed, "index": index, "settings": settings})
        job.publish("done", {})
