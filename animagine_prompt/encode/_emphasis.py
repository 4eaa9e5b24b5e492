"""Token weights applied to encoder hidden states, after the encoder and in float32.

Each function takes the raw hidden states of one encoder for a stack of chunks, ``z`` of shape
``(chunks, tokens, hidden)``, and the per-token weights ``w`` of shape ``(chunks, tokens)``
(1.0 at BOS, EOS and padding). The weighting never runs inside the encoder, so the cached raw
hidden states serve every weight edit.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

__all__ = ["EMPHASIS_MODES", "EmphasisResult", "apply_emphasis"]

#: The emphasis modes, in the order the documentation lists them.
EMPHASIS_MODES: tuple[str, ...] = ("original", "no_norm", "lerp_empty", "ignore")

# ``original`` rescales each chunk back to its unweighted mean. When the weighted mean is near
# zero or of the other sign, that factor explodes or flips every feature, so outside this band the
# chunk keeps the plain product instead (A1111 has no such guard).
_RATIO_BAND = (0.5, 2.0)


@dataclass(frozen=True, eq=False)
class EmphasisResult:
    """Weighted hidden states (float32) and where ``original`` fell back to ``no_norm``.

    ``refused`` (one flag per chunk) and ``ratio`` (unweighted mean over weighted mean) stay on
    the tensors' device, so that applying emphasis never waits for the accelerator; reading
    ``fallbacks`` does.

    >>> r = apply_emphasis(torch.ones(1, 2, 1), torch.tensor([[1.0, 9.0]]), "original")
    >>> [(i, round(x, 3)) for i, x in r.fallbacks]
    [(0, 0.2)]
    """

    z: torch.Tensor
    refused: torch.Tensor | None = None
    ratio: torch.Tensor | None = None

    @property
    def fallbacks(self) -> tuple[tuple[int, float], ...]:
        """``(chunk_index, ratio)`` for each chunk that kept the plain product.

        >>> apply_emphasis(torch.ones(1, 2, 1), torch.tensor([[1.0, 1.5]]), "original").fallbacks
        ()
        """
        if self.refused is None or self.ratio is None:
            return ()
        flags, ratios = self.refused.tolist(), self.ratio.tolist()
        return tuple((i, float(ratios[i])) for i, flag in enumerate(flags) if flag)


def apply_emphasis(
    z: torch.Tensor,
    weights: torch.Tensor,
    mode: str = "original",
    *,
    empty: torch.Tensor | None = None,
) -> EmphasisResult:
    """Apply per-token ``weights`` to hidden states ``z`` with one emphasis ``mode``.

    ``original``
        ``z' = z * w``, then each chunk is scaled by ``mean(z) / mean(z * w)`` (A1111). When that
        factor is not positive or leaves [0.5, 2], the chunk keeps ``z * w`` and is listed in
        ``fallbacks``.
    ``no_norm``
        ``z' = z * w``.
    ``lerp_empty``
        ``z' = E + (z - E) * w`` where ``E`` (``empty``, shape ``(tokens, hidden)``) holds the
        hidden states of the empty prompt at the same positions.
    ``ignore``
        ``z' = z``.

    Tokens of weight 1 keep their exact value in every mode but ``original`` (whose rescaling
    moves the whole chunk). The result is float32 whatever the dtype of ``z``.

    >>> z = torch.tensor([[[1.0, 3.0], [2.0, 2.0]]])
    >>> apply_emphasis(z, torch.tensor([[1.0, 2.0]]), "no_norm").z.tolist()
    [[[1.0, 3.0], [4.0, 4.0]]]
    >>> r = apply_emphasis(z, torch.tensor([[1.0, 2.0]]), "original")
    >>> round(float(r.z.mean()), 6) == round(float(z.mean()), 6), r.fallbacks
    (True, ())
    >>> e = torch.zeros(2, 2)
    >>> apply_emphasis(z, torch.tensor([[1.0, 0.5]]), "lerp_empty", empty=e).z.tolist()
    [[[1.0, 3.0], [1.0, 1.0]]]
    """
    if mode not in EMPHASIS_MODES:
        # the public entry points validate with a UsageError; this guards direct calls
        raise ValueError(f"unknown emphasis mode {mode!r}: use one of {', '.join(EMPHASIS_MODES)}")
    z = z.float()
    if mode == "ignore":
        return EmphasisResult(z)
    if weights.shape != z.shape[:2]:
        raise ValueError(f"weights of shape {tuple(weights.shape)} do not match hidden states {tuple(z.shape)}")
    w = weights.to(device=z.device, dtype=torch.float32)
    weighted_rows = (w != 1.0).any(dim=1)
    # a shortcut only where it costs no wait for an accelerator
    if w.device.type == "cpu" and not bool(weighted_rows.any()):
        return EmphasisResult(z)
    w3 = w.unsqueeze(-1)
    if mode == "lerp_empty":
        if empty is None:
            raise ValueError("lerp_empty needs the hidden states of the empty prompt")
        e = empty.to(device=z.device, dtype=torch.float32).unsqueeze(0)
        # weight-1 tokens are taken as they are: E + (z - E) * 1 is not z in floating point
        return EmphasisResult(torch.where(w3 != 1.0, e + (z - e) * w3, z))
    scaled = z * w3
    if mode == "no_norm":
        return EmphasisResult(scaled)
    before = z.mean(dim=(1, 2))
    after = scaled.mean(dim=(1, 2))
    ratio = before / after
    low, high = _RATIO_BAND
    keep = torch.isfinite(ratio) & (ratio >= low) & (ratio <= high)
    # unweighted chunks are left bit-identical rather than multiplied by a ratio of exactly 1
    factor = torch.where(keep & weighted_rows, ratio, torch.ones_like(ratio))
    out = torch.where(weighted_rows[:, None, None], scaled * factor[:, None, None], z)
    return EmphasisResult(out, weighted_rows & ~keep, ratio)
