"""``LMExpander``: a local causal language model (TIPO, DanTagGen) run with transformers.

The request format is spoken here rather than through the ``tipo-kgen`` package: that package keeps
the loaded model in module globals, creates a ``models`` folder inside its own install directory
on import, reseeds Python's and torch's global random generators on every call and loads weights
as fp16 ``LlamaForCausalLM`` only. A library must not change its caller's random state or write
into site-packages, so this module builds the same request text and reads the answer itself; the
sampling runs inside ``torch.random.fork_rng``, which gives the same tags for the same seed and
leaves the caller's generators as they were.

torch and transformers are imported on first use (the ``generate`` extra).
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from animagine_prompt.errors import MissingDependencyError, ModelNotFoundError, UsageError
from animagine_prompt.expand._merge import group_tags, merge_tags
from animagine_prompt.expand._request import LENGTHS, RequestFormat, build_request, format_for, read_answer
from animagine_prompt.expand._result import Expansion

__all__ = ["DEFAULT_EXPAND_MODEL", "LMExpander"]

#: The model ``expand=True`` uses when none is named: TIPO 500M, fine-tuned (LLaMA architecture).
DEFAULT_EXPAND_MODEL = "KBlueLeaf/TIPO-500M-ft"

# Most tags a prompt should end with for each length target (tipo-kgen's TARGET_TIPO_MAX).
_MOST_TAGS = {"very_short": 18, "short": 36, "long": 54, "very_long": 72}
# Sampling settings of each family's reference code (tipo-kgen 0.3.1 and its web UI extensions).
_SAMPLING: dict[str, dict[str, float | int]] = {
    "tipo": {"temperature": 0.5, "top_p": 0.95, "top_k": 80, "min_p": 0.1},
    "dantaggen": {"temperature": 0.5, "top_p": 0.95, "top_k": 100},
}


def _offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}


def _dtype_keyword() -> str:
    # transformers 4.56 renamed from_pretrained's ``torch_dtype`` to ``dtype`` and warns on the old name
    import transformers

    major, minor = (int(part) for part in transformers.__version__.split(".")[:2])
    return "dtype" if (major, minor) >= (4, 56) else "torch_dtype"


def _looks_like_path(name: str) -> bool:
    return name.startswith((".", "/", "~", "\\")) or os.sep in name and name.count("/") != 1


class LMExpander:
    """Expands prompts with a TIPO or DanTagGen model (or any causal LM trained on their format).

    ``model`` is a hub id or a local folder (``save_pretrained`` layout with its tokenizer); it
    is loaded on the first :meth:`expand`. ``request_format`` is ``"tipo"`` or ``"dantaggen"``
    (by default read from the model's name: DanTagGen names say so). ``device`` is ``"auto"``
    (cuda when there is one), ``"cpu"``, ``"cuda:1"`` ...; ``dtype`` defaults to fp16 on a GPU and
    fp32 on the CPU. ``sampling`` overrides ``temperature``, ``top_p``, ``top_k`` or ``min_p``;
    ``max_new_tokens`` caps the answer. ``load_options`` go to ``from_pretrained`` (``revision``,
    ``cache_dir``, ``token``, ...). With ``HF_HUB_OFFLINE=1`` only the local hub cache is read.

    >>> expander = LMExpander("KBlueLeaf/DanTagGen-delta-rev2")
    >>> expander.request_format, expander.loaded
    ('dantaggen', False)
    >>> print(expander.request("1girl, hu tao \\\\(genshin impact\\\\)", length="short"))
    quality: masterpiece
    rating: <|empty|>
    artist: <|empty|>
    characters: hu tao (genshin impact)
    copyrights: <|empty|>
    aspect ratio: 1.0
    target: <|short|>
    general: 1girl<|input_end|>
    """

    def __init__(
        self,
        model: str | Path = DEFAULT_EXPAND_MODEL,
        *,
        request_format: RequestFormat | None = None,
        device: str = "auto",
        dtype: Any = None,
        database: Any = None,
        max_new_tokens: int = 256,
        load_options: dict[str, Any] | None = None,
        **sampling: float,
    ) -> None:
        self.model_name = str(model)
        self.request_format: RequestFormat = request_format or format_for(self.model_name)
        if self.request_format not in _SAMPLING:
            raise UsageError(f"unknown request format {self.request_format!r}: use 'tipo' or 'dantaggen'")
        unknown = set(sampling) - {"temperature", "top_p", "top_k", "min_p"}
        if unknown:
            raise UsageError(f"unknown sampling setting {sorted(unknown)[0]!r}: use temperature, top_p, top_k or min_p")
        self.sampling = {**_SAMPLING[self.request_format], **sampling}
        self.device = device
        self.dtype = dtype
        self.database = database
        self.max_new_tokens = max_new_tokens
        self.load_options = dict(load_options or {})
        self._model: Any = None
        self._tokenizer: Any = None
        self._line_breaks: Any = None

    def __repr__(self) -> str:
        return f"LMExpander({self.model_name!r}, request_format={self.request_format!r}, loaded={self.loaded})"

    @property
    def loaded(self) -> bool:
        """Whether the model is in memory yet."""
        return self._model is not None

    # -- loading ----------------------------------------------------------------------------------

    def load(self) -> LMExpander:
        """Load the tokenizer and model now (otherwise the first :meth:`expand` does)."""
        if self._model is not None:
            return self
        try:
            import torch
            from transformers import AutoModelForCausalLM, AutoTokenizer
        except ImportError as exc:
            raise MissingDependencyError("prompt expansion") from exc

        device = self._device(torch)
        dtype = self.dtype if self.dtype is not None else (torch.float16 if device.type == "cuda" else torch.float32)
        where, options = self._source()
        options.update(self.load_options)
        try:
            tokenizer = AutoTokenizer.from_pretrained(where, **options)
            model = AutoModelForCausalLM.from_pretrained(where, **{_dtype_keyword(): dtype}, **options)
        except OSError as exc:
            raise self._missing(exc) from exc
        self._tokenizer = tokenizer
        self._model = model.to(device).eval()
        # the ids whose text holds a line break: a TIPO tag list ends at the first of them
        ids = [i for i in range(len(tokenizer)) if "\n" in tokenizer.decode([i])]
        self._line_breaks = torch.tensor(ids, dtype=torch.long, device=device)
        return self

    def _device(self, torch: Any) -> Any:
        if self.device == "auto":
            return torch.device("cuda" if torch.cuda.is_available() else "cpu")
        try:
            return torch.device(self.device)
        except (RuntimeError, TypeError) as exc:
            raise UsageError(f"unknown device {self.device!r}: use auto, cuda, cuda:1, mps or cpu") from exc

    def _source(self) -> tuple[str, dict[str, Any]]:
        path = Path(self.model_name).expanduser()
        if path.is_dir():
            if not (path / "config.json").exists():
                raise ModelNotFoundError(
                    f"expansion model folder {self.model_name} has no config.json: give a folder written by "
                    "save_pretrained (model and tokenizer) or a hub id"
                )
            return str(path), {}
        if path.exists() or _looks_like_path(self.model_name):
            raise ModelNotFoundError(
                f"expansion model {self.model_name} is not a folder: give a model folder (save_pretrained) or a hub id"
            )
        return self.model_name, {"local_files_only": _offline()}

    def _missing(self, exc: BaseException) -> ModelNotFoundError:
        command = f"`hf download {self.model_name}`"
        if _offline():
            how = f"HF_HUB_OFFLINE is set and it is not in the local hub cache: download it while online ({command})"
        else:
            how = f"check the name, or download it ({command}) and pass the local folder"
        name = self.model_name
        return ModelNotFoundError(f"expansion model {name!r} could not be loaded: {how} ({type(exc).__name__})")

    # -- expansion --------------------------------------------------------------------------------

    def request(self, prompt: str, *, length: str = "long", aspect_ratio: float = 1.0) -> str:
        """The request text the model continues for ``prompt`` (no model needed)."""
        groups = group_tags(prompt, self.database)
        quality_line = self.request_format == "dantaggen" and "delta" in self.model_name.lower()
        return build_request(
            groups,
            request_format=self.request_format,
            length=length,
            aspect_ratio=aspect_ratio,
            quality_line=quality_line,
        )

    def generate_args(self, request: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """The model inputs and ``generate`` options :meth:`complete` uses for ``request`` (loads
        the model); what a benchmark needs to time the model's own ``generate`` call alone."""
        self.load()
        tokenizer = self._tokenizer
        device = next(self._model.parameters()).device
        inputs = dict(tokenizer(request, return_tensors="pt").to(device))
        eos = tokenizer.eos_token_id
        options: dict[str, Any] = {
            "do_sample": True,
            "max_new_tokens": self.max_new_tokens,
            "pad_token_id": tokenizer.pad_token_id if tokenizer.pad_token_id is not None else eos,
            **self.sampling,
        }
        if self.request_format == "tipo" and len(self._line_breaks):
            # the tag list ends at the line break; what follows (a caption) is not used
            options["stopping_criteria"] = _stop_at(self._line_breaks)
        return inputs, options

    def sample(self, inputs: dict[str, Any], options: dict[str, Any], *, seed: int) -> Any:
        """``model.generate(**inputs, **options)`` seeded with ``seed``, leaving the caller's random
        generators as they were; returns the generated token ids."""
        import torch

        device = inputs["input_ids"].device
        devices = [device] if device.type == "cuda" else []
        with torch.random.fork_rng(devices=devices), torch.inference_mode():
            torch.manual_seed(seed % 2**63)
            return self._model.generate(**inputs, **options)

    def complete(self, request: str, *, seed: int) -> str:
        """The model's continuation of ``request``, sampled with ``seed``."""
        inputs, options = self.generate_args(request)
        output = self.sample(inputs, options, seed=seed)
        new = output[0, inputs["input_ids"].shape[1] :]
        return str(self._tokenizer.decode(new, skip_special_tokens=True))

    def expand(
        self,
        prompt: str,
        *,
        seed: int,
        length: str = "long",
        negative_prompt: str | None = None,
        aspect_ratio: float = 1.0,
    ) -> Expansion:
        """``prompt`` with the tags the model adds (see :func:`animagine_prompt.expand.merge_tags`
        for what is kept). Needs the model: not run here.

        >>> LMExpander().expand("1girl, hu tao \\\\(genshin impact\\\\)", seed=1).added  # doctest: +SKIP
        """
        if length not in LENGTHS:
            raise UsageError(f"unknown expansion length {length!r}: use one of {', '.join(LENGTHS)}")
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise UsageError(f"the expansion seed must be a whole number of at least 0, not {seed!r}")
        request = self.request(prompt, length=length, aspect_ratio=aspect_ratio)
        answer = self.complete(request, seed=seed)
        proposals = read_answer(answer, request_format=self.request_format)
        from animagine_prompt.syntax import parse

        room = max(0, _MOST_TAGS[length] - len(parse(prompt).tags()))
        merged = merge_tags(prompt, proposals, negative_prompt=negative_prompt, limit=room, database=self.database)
        return replace(merged, seed=seed, model=self.model_name)


def _stop_at(token_ids: Any) -> Any:
    """A stopping criterion for ``generate``: stop once the last token is one of ``token_ids``."""
    import torch
    from transformers import StoppingCriteria, StoppingCriteriaList

    class _LastTokenIn(StoppingCriteria):
        def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor, **kwargs: Any) -> torch.Tensor:
            return torch.isin(input_ids[:, -1], token_ids)

    return StoppingCriteriaList([_LastTokenIn()])
