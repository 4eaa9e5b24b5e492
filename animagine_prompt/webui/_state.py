"""What the endpoints share: the linter (with its tag database and presets), loaded once, and the job queue."""

from __future__ import annotations

import threading
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, HTTPException, Request

from animagine_prompt.webui._config import ServerConfig, generate_unavailable

if TYPE_CHECKING:  # pragma: no cover
    from animagine_prompt.lint import Linter
    from animagine_prompt.presets import PresetLibrary
    from animagine_prompt.webui._jobs import JobQueue

__all__ = ["State", "ServerState", "state_of"]


class ServerState:
    """One per app. The linter and its tag database are not made for use from several threads at
    once, so analysis and completion take ``lock`` (each takes milliseconds; generation does not)."""

    def __init__(self, config: ServerConfig) -> None:
        from animagine_prompt.lint import Linter, LintSettings

        self.config = config
        settings = config.lint_settings or LintSettings()
        if config.lora_dir is not None:
            settings = settings.merged(lora_dir=config.lora_dir)
        self.linter: Linter = Linter(settings, tag_paths=config.tags, user_presets=config.lint_settings is not None)
        self.lock = threading.Lock()
        if not config.generate:
            reason: str | None = config.generate_reason or "generation is switched off"
        elif config.pipeline_factory is None:
            reason = generate_unavailable()
        else:
            reason = None
        #: Why generation is off, or ``None`` when it is on.
        self.generate_reason: str | None = reason
        self._jobs: JobQueue | None = None
        self._jobs_lock = threading.Lock()

    @property
    def presets(self) -> PresetLibrary:
        """The preset library the analysis builds with (bundled, user folder, config files)."""
        with self.lock:
            library: PresetLibrary = self.linter.resources.presets()
        return library

    def database(self) -> Any:
        """The tag database (bundled plus ``--tags`` files); call with ``lock`` held."""
        return self.linter.resources.database()

    @cached_property
    def lora_names(self) -> tuple[str, ...]:
        """LoRA names in ``lora_dir`` as a prompt writes them (file names without ``.safetensors``)."""
        folder = self.config.lora_dir
        if folder is None or not Path(folder).is_dir():
            return ()
        root = Path(folder)
        names = {p.relative_to(root).with_suffix("").as_posix() for p in root.rglob("*.safetensors") if p.is_file()}
        return tuple(sorted(names, key=str.lower))

    def warm_up(self) -> None:
        """Load the tag database and presets and analyse once, so the first request does not wait."""
        from animagine_prompt.analysis import analyze

        with self.lock:
            analyze("1girl, smile", "lowres", linter=self.linter)
            self.database().complete("bl", 1)

    def jobs(self) -> JobQueue:
        """The generation queue (its worker starts with the first job); 503 in prompt-only mode."""
        if self.generate_reason is not None:
            raise HTTPException(503, f"prompt-only mode: {self.generate_reason}")
        if self._jobs is None:
            from animagine_prompt.webui._jobs import JobQueue

            with self._jobs_lock:
                if self._jobs is None:
                    self._jobs = JobQueue(self.config, self._load_pipeline)
        return self._jobs

    def _load_pipeline(self) -> Any:
        if self.config.pipeline_factory is not None:
            return self.config.pipeline_factory()
        from animagine_prompt.pipeline import DEFAULT_MODEL, DEFAULT_VAE, load

        config = self.config
        pipe = load(
            config.model or DEFAULT_MODEL,
            vae=DEFAULT_VAE if config.vae is None else (None if config.vae.lower() == "none" else config.vae),
            device=config.device,
            dtype=config.dtype,
            lora_dir=config.lora_dir,
        )
        pipe.pipe.set_progress_bar_config(disable=True)
        return pipe

    def close(self) -> None:
        """Stop the worker: the running job stops at its next step, queued ones are dropped."""
        if self._jobs is not None:
            self._jobs.close()


async def state_of(request: Request) -> ServerState:
    """The app's :class:`ServerState` (a FastAPI dependency; async, so it costs no thread hop)."""
    state: ServerState = request.app.state.server
    return state


#: An endpoint parameter that receives the app's :class:`ServerState`.
State = Annotated[ServerState, Depends(state_of)]
