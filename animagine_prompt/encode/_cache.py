"""A least-recently-used cache of encoder outputs, one entry per 77-token chunk.

Entries hold the *raw* hidden states of one layer (and the projected pooled vector where the
encoder has one), before any weighting: a weight-only edit of a prompt is answered from the cache
without running an encoder, and a one-tag edit re-encodes only the chunk that changed.
"""

from __future__ import annotations

import itertools
import threading
import weakref
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

import torch

__all__ = ["CachedChunk", "ChunkCache", "encoder_key"]

_serials = itertools.count(1)
_module_serials: weakref.WeakKeyDictionary[torch.nn.Module, int] = weakref.WeakKeyDictionary()


def encoder_key(module: torch.nn.Module) -> tuple[int, int, int]:
    """Identity of an encoder's current weights, for cache keys.

    A serial number per module object (``id()`` can be reused after garbage collection), plus
    the parameter count and the sum of the parameters' in-place version counters, so that
    fusing a LoRA into the weights or adding adapter layers makes old entries unreachable.
    Changes that leave the parameters untouched (an adapter's scale) are not seen: call
    ``ChunkCache.clear()`` after those.

    >>> layer = torch.nn.Linear(2, 2)
    >>> before = encoder_key(layer)
    >>> with torch.no_grad():
    ...     _ = layer.weight.mul_(2)
    >>> encoder_key(layer) == before, encoder_key(layer)[0] == before[0]
    (False, True)
    """
    serial = _module_serials.get(module)
    if serial is None:
        serial = _module_serials.setdefault(module, next(_serials))
    count = 0
    versions = 0
    # a plain walk over the module tree: several times faster than ``parameters()``, which
    # matters on a GPU where this runs on every encode and the forward itself takes ~20 ms
    stack = [module]
    while stack:
        node = stack.pop()
        for parameter in node._parameters.values():
            if parameter is None:
                continue
            count += 1
            try:
                versions += parameter._version
            except RuntimeError:  # tensors made under inference_mode keep no version counter
                pass
        stack.extend(child for child in node._modules.values() if child is not None)
    return serial, count, versions


@dataclass(frozen=True, eq=False)
class CachedChunk:
    """Raw outputs of one encoder for one chunk: ``hidden`` (tokens, hidden) and ``pooled`` or None."""

    hidden: torch.Tensor
    pooled: torch.Tensor | None


class ChunkCache:
    """Thread-safe LRU map from chunk keys to ``CachedChunk``; ``max_chunks=0`` disables it.

    Keys are built by the encoder from the encoder's identity (``encoder_key``), dtype, device,
    hidden-state layer and the chunk's padded token ids.

    >>> cache = ChunkCache(max_chunks=2)
    >>> for name in "abc":
    ...     cache.put(name, CachedChunk(torch.zeros(1), None))
    >>> cache.get("a") is None, cache.get("c") is not None, len(cache)
    (True, True, 2)
    >>> cache.hits, cache.misses
    (1, 1)
    """

    def __init__(self, max_chunks: int = 128) -> None:
        if max_chunks < 0:
            raise ValueError(f"max_chunks must be 0 or more, not {max_chunks}")
        self.max_chunks = max_chunks
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[Hashable, CachedChunk] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        counts = f"size={len(self)}, hits={self.hits}, misses={self.misses}"
        return f"ChunkCache(max_chunks={self.max_chunks}, {counts})"

    def get(self, key: Hashable) -> CachedChunk | None:
        """The entry for ``key`` (marked most recently used), or None.

        >>> ChunkCache().get(("x",)) is None
        True
        """
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key: Hashable, entry: CachedChunk) -> None:
        """Store ``entry`` under ``key``, evicting the least recently used beyond ``max_chunks``.

        >>> cache = ChunkCache(max_chunks=0)
        >>> cache.put("a", CachedChunk(torch.zeros(1), None)); len(cache)
        0
        """
        if self.max_chunks == 0:
            return
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_chunks:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        """Drop every entry and reset the hit counters.

        >>> cache = ChunkCache()
        >>> cache.put("a", CachedChunk(torch.zeros(1), None)); cache.clear(); len(cache)
        0
        """
        with self._lock:
            self._entries.clear()
            self.hits = 0
            self.misses = 0
