"""``GenerationRecord``: the settings of one generated image, read from or written to any of the formats.

Formats read: the A1111 ``parameters`` text (A1111, Forge, SD.Next, Civitai downloads, and this
package), the Animagine app's ``metadata`` JSON, and NovelAI's ``Comment`` JSON.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from animagine_prompt._checks import shown
from animagine_prompt._datafiles import load_data
from animagine_prompt.errors import InputError
from animagine_prompt.limits import NumberSetting, WholeSetting, check_setting, check_size

from ._parameters import Parameters, parse_parameters
from ._png import read_png_text_file

__all__ = ["GenerationRecord", "read_generation", "record_from_texts"]

# diffusers / torch latent interpolation modes <-> the web UI's latent upscaler names
_LATENT_UPSCALERS = {
    "bilinear": "Latent",
    "bicubic": "Latent (bicubic)",
    "nearest": "Latent (nearest)",
    "nearest-exact": "Latent (nearest-exact)",
}
_UPSCALER_MODES = {v: k for k, v in _LATENT_UPSCALERS.items()}
_EMPHASIS_NAMES = {"no_norm": "No norm", "ignore": "None", "lerp_empty": "Lerp empty"}
_EMPHASIS_MODES = {v: k for k, v in _EMPHASIS_NAMES.items()} | {"Original": "original"}
# The web UI's "Clip skip: N" reads the output of the N-th layer from the end; SDXL uses the
# penultimate one (N = 2) by default, diffusers' ``clip_skip=k`` the (k + 2)-th from the end.
_CLIP_SKIP_OFFSET = 2


@dataclass(frozen=True)
class GenerationRecord:
    """How one image was made. Sizes are the first pass; ``hires_*`` describe the upscaled second pass.

    ``clip_skip`` follows diffusers (``None``: SDXL's penultimate layer), ``emphasis`` this
    package's mode names. ``lcm`` and ``refine_prompt`` are the Animagine app's ``enable_lcm`` and
    ``refine_prompt`` switches (LCM mode, prompt expansion); ``original_prompt`` is the prompt as it
    was before expansion, when the image recorded it. ``extra`` keeps every other setting as
    written. ``source`` says which format it came from: ``"parameters"``, ``"animagine"`` or ``"novelai"``.

    >>> r = GenerationRecord("1girl", "lowres", width=832, height=1216, steps=28, guidance=7, seed=1,
    ...                      sampler="Euler a", model="animagine-xl-2.0")
    >>> print(r.parameters_text())
    1girl
    Negative prompt: lowres
    Steps: 28, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 832x1216, Model: animagine-xl-2.0
    """

    prompt: str
    negative_prompt: str = ""
    width: int | None = None
    height: int | None = None
    steps: int | None = None
    guidance: float | None = None
    seed: int | None = None
    sampler: str | None = None
    model: str | None = None
    model_hash: str | None = None
    vae: str | None = None
    hires_upscale: float | None = None
    hires_strength: float | None = None
    hires_method: str | None = None
    clip_skip: int | None = None
    emphasis: str | None = None
    style: str | None = None
    quality: str | None = None
    lcm: bool = False
    refine_prompt: bool = False
    original_prompt: str | None = None
    source: str = "parameters"
    extra: tuple[tuple[str, str], ...] = ()

    @property
    def hires(self) -> bool:
        """Whether the image had a second, upscaled pass.

        >>> GenerationRecord("a", hires_upscale=1.5).hires
        True
        """
        return self.hires_upscale is not None

    def to_parameters(self) -> Parameters:
        """The A1111 ``parameters`` settings, in the web UI's field order.

        >>> GenerationRecord("a", steps=50, hires_upscale=1.5, hires_strength=0.55,
        ...                  hires_method="nearest-exact").to_parameters().fields
        ... # doctest: +NORMALIZE_WHITESPACE
        (('Steps', '50'), ('Denoising strength', '0.55'), ('Hires upscale', '1.5'),
         ('Hires upscaler', 'Latent (nearest-exact)'))
        """
        size = f"{self.width}x{self.height}" if self.width and self.height else None
        upscaler = None
        if self.hires_method is not None:
            upscaler = _LATENT_UPSCALERS.get(self.hires_method, self.hires_method)
        emphasis = None
        if self.emphasis not in (None, "original"):
            emphasis = _EMPHASIS_NAMES.get(self.emphasis, self.emphasis)
        clip_skip = None if not self.clip_skip else self.clip_skip + _CLIP_SKIP_OFFSET
        known = [
            ("Steps", self.steps),
            ("Sampler", self.sampler),
            ("CFG scale", self.guidance),
            ("Seed", self.seed),
            ("Size", size),
            ("Model hash", self.model_hash),
            ("Model", self.model),
            ("VAE", self.vae),
            ("Denoising strength", self.hires_strength if self.hires else None),
            ("Clip skip", clip_skip),
            ("Hires upscale", self.hires_upscale),
            ("Hires upscaler", upscaler if self.hires else None),
            ("Emphasis", emphasis),
        ]
        return Parameters.build(self.prompt, self.negative_prompt, [*known, *self.extra])

    def parameters_text(self) -> str:
        """:meth:`to_parameters` as text, ready for a PNG ``parameters`` chunk."""
        return self.to_parameters().text()

    def to_dict(self) -> dict[str, Any]:
        """Every field as JSON-ready data (``extra`` as an object).

        >>> GenerationRecord("a", seed=3, extra=(("Version", "v1.7.0"),)).to_dict()["extra"]
        {'Version': 'v1.7.0'}
        """
        data = asdict(self)
        data["extra"] = dict(self.extra)
        return data

    @classmethod
    def from_parameters(cls, params: Parameters, *, path: object = None) -> GenerationRecord:
        """A record from a parsed ``parameters`` text; unknown settings go to ``extra``.

        >>> from animagine_prompt.metadata import parse_parameters
        >>> r = GenerationRecord.from_parameters(parse_parameters(
        ...     "1girl\\nSteps: 20, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7.5, Seed: 9, "
        ...     "Size: 1024x1024, Clip skip: 2, ADetailer model: face_yolov8n.pt"))
        >>> r.sampler, r.guidance, r.clip_skip, r.extra
        ('DPM++ 2M Karras', 7.5, None, (('ADetailer model', 'face_yolov8n.pt'),))
        """
        values = dict(reversed(params.fields))  # the first of a repeated key wins
        used: set[str] = set()

        def take(key: str) -> str | None:
            if key in values:
                used.add(key)
            return values.get(key)

        # read in the order the web UI writes them, so the first bad one is reported
        steps = _whole("steps", "Steps", take("Steps"), path)
        guidance = _number("guidance", "CFG scale", take("CFG scale"), path)
        seed = _whole("seed", "Seed", take("Seed"), path)
        width = height = None
        size = take("Size")
        if size is not None:
            w, sep, h = size.partition("x")
            if not sep:
                raise InputError(f"parameters: Size {size!r} is not WIDTHxHEIGHT", path=path)
            width, height = check_size(_int("Size", w, path), _int("Size", h, path), label="Size", path=path)
        sampler = take("Sampler")
        schedule = values.get("Schedule type")
        if sampler is not None and schedule not in (None, "Automatic"):
            if schedule in ("Karras", "Exponential") and not sampler.endswith(schedule):
                sampler = f"{sampler} {schedule}"
                used.add("Schedule type")
        elif schedule == "Automatic":
            used.add("Schedule type")
        upscaler = take("Hires upscaler")
        method = None
        if upscaler is not None:
            method = _UPSCALER_MODES.get(upscaler)
            if method is None:  # a pixel upscaler (R-ESRGAN, ...): kept as written
                used.discard("Hires upscaler")
        clip = take("Clip skip")
        clip_skip = None
        if clip is not None:
            skipped = max(0, _int("Clip skip", clip, path) - _CLIP_SKIP_OFFSET)
            clip_skip = check_setting("clip_skip", skipped, label="Clip skip", path=path) or None
        emphasis = take("Emphasis")
        upscale = take("Hires upscale")
        return cls(
            prompt=params.prompt,
            negative_prompt=params.negative_prompt,
            width=width,
            height=height,
            steps=steps,
            guidance=guidance,
            seed=seed,
            sampler=sampler,
            model=take("Model"),
            model_hash=take("Model hash"),
            vae=take("VAE"),
            hires_upscale=_number("upscale", "Hires upscale", upscale, path),
            hires_strength=_number("strength", "Denoising strength", take("Denoising strength"), path)
            if upscale is not None
            else None,
            hires_method=method,
            clip_skip=clip_skip,
            emphasis=None if emphasis is None else _EMPHASIS_MODES.get(emphasis, emphasis),
            source="parameters",
            extra=tuple((k, v) for k, v in params.fields if k not in used),
        )

    @classmethod
    def from_app_metadata(cls, data: Mapping[str, Any], *, path: object = None) -> GenerationRecord:
        """A record from the Animagine app's ``metadata`` JSON object.

        >>> r = GenerationRecord.from_app_metadata({"prompt": "1girl", "negative_prompt": "lowres",
        ...     "resolution": "832 x 1216", "guidance_scale": 12, "num_inference_steps": 50, "seed": 7,
        ...     "sampler": "Euler a", "sdxl_style": "Photographic", "quality_tags": "Heavy",
        ...     "use_upscaler": {"upscale_method": "nearest-exact", "upscaler_strength": 0.55,
        ...                      "upscale_by": 1.5, "new_resolution": "1248 x 1824"},
        ...     "datetime": "2023-11-25 06:42:21.342459"})
        >>> r.width, r.height, r.hires_upscale, r.style, r.extra
        (832, 1216, 1.5, 'Photographic', (('datetime', '2023-11-25 06:42:21.342459'),))
        >>> r = GenerationRecord.from_app_metadata({"prompt": "1girl, solo", "enable_lcm": True,
        ...     "refine_prompt": True, "original_prompt": "1girl"})
        >>> r.lcm, r.refine_prompt, r.original_prompt
        (True, True, '1girl')
        """
        if not isinstance(data.get("prompt"), str):
            raise InputError("Animagine metadata has no \"prompt\" text", path=path)
        known = {
            "prompt", "negative_prompt", "resolution", "guidance_scale", "num_inference_steps", "seed",
            "sampler", "sdxl_style", "quality_tags", "use_upscaler", "Model",
            "enable_lcm", "refine_prompt", "original_prompt",
        }
        width = height = None
        resolution = data.get("resolution")
        if resolution is not None:
            w, sep, h = str(resolution).partition(" x ")
            if not sep:
                raise InputError(f"Animagine metadata: resolution {resolution!r} is not 'W x H'", path=path)
            width, height = check_size(
                _int("resolution", w, path), _int("resolution", h, path), label="resolution", path=path
            )
        upscaler = data.get("use_upscaler")
        hires: dict[str, Any] = {}
        if upscaler:
            if not isinstance(upscaler, Mapping):
                raise InputError("Animagine metadata: use_upscaler is neither null nor an object", path=path)
            hires = {
                "hires_upscale": _number("upscale", "upscale_by", upscaler.get("upscale_by"), path),
                "hires_strength": _number("strength", "upscaler_strength", upscaler.get("upscaler_strength"), path),
                "hires_method": _opt_str(upscaler.get("upscale_method")),
            }
        model = data.get("Model")
        model_name = model_hash = None
        if isinstance(model, Mapping):
            model_name, model_hash = _opt_str(model.get("Model")), _opt_str(model.get("Model hash"))
        elif model is not None:
            model_name = str(model)
        extra = tuple(
            (k, v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
            for k, v in data.items()
            if k not in known
        )
        return cls(
            prompt=data["prompt"],
            negative_prompt=_opt_str(data.get("negative_prompt")) or "",
            width=width,
            height=height,
            steps=_whole("steps", "num_inference_steps", data.get("num_inference_steps"), path),
            guidance=_number("guidance", "guidance_scale", data.get("guidance_scale"), path),
            seed=_whole("seed", "seed", data.get("seed"), path),
            sampler=_opt_str(data.get("sampler")),
            model=model_name,
            model_hash=model_hash,
            style=_opt_str(data.get("sdxl_style")),
            quality=_opt_str(data.get("quality_tags")),
            lcm=_flag("enable_lcm", data.get("enable_lcm"), path),
            refine_prompt=_flag("refine_prompt", data.get("refine_prompt"), path),
            original_prompt=_opt_str(data.get("original_prompt")),
            source="animagine",
            extra=extra,
            **hires,
        )

    @classmethod
    def from_novelai(cls, comment: Mapping[str, Any], *, path: object = None) -> GenerationRecord:
        """A record from NovelAI's ``Comment`` JSON (``prompt``, ``uc``, ``steps``, ``scale``, ...).

        >>> GenerationRecord.from_novelai({"prompt": "1girl", "uc": "lowres", "steps": 28, "scale": 5,
        ...     "seed": 3, "sampler": "k_euler_ancestral", "width": 832, "height": 1216}).sampler
        'k_euler_ancestral'
        """
        if not isinstance(comment.get("prompt"), str):
            raise InputError("NovelAI Comment has no \"prompt\" text", path=path)
        known = {"prompt", "uc", "steps", "scale", "seed", "sampler", "width", "height"}
        return cls(
            prompt=comment["prompt"],
            negative_prompt=_opt_str(comment.get("uc")) or "",
            width=_whole("width", "width", comment.get("width"), path),
            height=_whole("height", "height", comment.get("height"), path),
            steps=_whole("steps", "steps", comment.get("steps"), path),
            guidance=_number("guidance", "scale", comment.get("scale"), path),
            seed=_whole("seed", "seed", comment.get("seed"), path),
            sampler=_opt_str(comment.get("sampler")),
            model="NovelAI",
            source="novelai",
            extra=tuple(
                (k, v if isinstance(v, str) else json.dumps(v)) for k, v in comment.items() if k not in known
            ),
        )


def record_from_texts(texts: Mapping[str, str], *, path: object = None) -> GenerationRecord:
    """The generation settings in a PNG's text chunks, whichever tool wrote them.

    With both a ``parameters`` text and the app's ``metadata`` (as this package writes), the
    ``parameters`` settings are read and the app's style and quality names, its LCM and expansion
    switches and the prompt before expansion added.

    >>> record_from_texts({"parameters": "1girl\\nSteps: 20, Sampler: Euler a, CFG scale: 7"}).steps
    20
    >>> record_from_texts({"Software": "GIMP"})
    Traceback (most recent call last):
    ...
    animagine_prompt.errors.InputError: no generation settings in this PNG (text chunks: Software); \
it needs a 'parameters' (A1111, Forge), 'metadata' (Animagine app) or 'Comment' (NovelAI) chunk
    """
    app = None
    if "metadata" in texts:
        app = GenerationRecord.from_app_metadata(_json_object(texts["metadata"], "metadata", path), path=path)
    if "parameters" in texts:
        text = texts["parameters"]
        if text.lstrip().startswith("{"):  # some forks of the app store their JSON under this key
            try:
                data = load_data(text, "json")
            except InputError:
                data = None  # a prompt that starts with a brace
            if isinstance(data, dict):
                return GenerationRecord.from_app_metadata(data, path=path)
        record = GenerationRecord.from_parameters(parse_parameters(text, path=path), path=path)
        if app is not None:
            record = replace(
                record,
                style=app.style,
                quality=app.quality,
                lcm=app.lcm,
                refine_prompt=app.refine_prompt,
                original_prompt=app.original_prompt,
            )
        return record
    if app is not None:
        return app
    if "Comment" in texts and texts["Comment"].lstrip().startswith("{"):
        return GenerationRecord.from_novelai(_json_object(texts["Comment"], "Comment", path), path=path)
    names = ", ".join(texts) or "none"
    raise InputError(
        f"no generation settings in this PNG (text chunks: {names}); it needs a 'parameters' (A1111, Forge), "
        "'metadata' (Animagine app) or 'Comment' (NovelAI) chunk",
        path=path,
    )


def read_generation(path: str | Path) -> GenerationRecord:
    """The generation settings stored in the PNG file at ``path``.

    >>> import tempfile
    >>> from animagine_prompt.metadata._png import _minimal_png
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = Path(tmp, "a.png").write_bytes(_minimal_png({"parameters": "1girl\\nSteps: 5, Seed: 2, CFG scale: 3"}))
    ...     read_generation(Path(tmp, "a.png")).seed
    2
    """
    return record_from_texts(read_png_text_file(path), path=path)


def _json_object(text: str, keyword: str, path: object) -> dict[str, Any]:
    try:
        data = load_data(text, "json")
    except InputError as exc:
        raise InputError(f"the PNG's {keyword!r} chunk is not valid JSON ({exc.reason})", path=path) from None
    if not isinstance(data, dict):
        raise InputError(f"the PNG's {keyword!r} chunk is JSON but not an object", path=path)
    return data


def _int(name: str, value: Any, path: object) -> int:
    if isinstance(value, bool):
        raise InputError(f"{name} is {value!r}, not a whole number", path=path)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip()
    if text.lstrip("-").isdigit() and len(text) <= 40:
        return int(text)
    raise InputError(f"{name} is {str(value)[:40]!r}, not a whole number", path=path)


def _float(name: str, value: Any, path: object) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value) if not isinstance(value, int) or value.bit_length() <= 1024 else float("inf")
    else:
        try:
            number = float(str(value).strip()[:40])
        except ValueError:
            raise InputError(f"{name} is {str(value)[:40]!r}, not a number", path=path) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise InputError(f"{name} is {shown(value)}, not a finite number", path=path)
    return number


def _flag(name: str, value: Any, path: object) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "false"):
        return text == "true"
    raise InputError(f"{name} is {str(value)[:40]!r}, not true or false", path=path)


def _whole(setting: WholeSetting, label: str, value: Any, path: object) -> int | None:
    """An optional whole-number setting, read (from text too) and checked against its range."""
    return None if value is None else check_setting(setting, _int(label, value, path), label=label, path=path)


def _number(setting: NumberSetting, label: str, value: Any, path: object) -> float | None:
    return None if value is None else check_setting(setting, _float(label, value, path), label=label, path=path)


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)
