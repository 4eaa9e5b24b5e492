import torch

from animagine_prompt.encode import ChunkCache
from animagine_prompt.encode._cache import CachedChunk, encoder_key


def _entry(value: float) -> CachedChunk:
    return CachedChunk(torch.full((2,), value), None)


def test_least_recently_used_is_evicted():
    cache = ChunkCache(max_chunks=2)
    cache.put("a", _entry(1))
    cache.put("b", _entry(2))
    assert cache.get("a") is not None  # "b" is now the oldest
    cache.put("c", _entry(3))
    assert cache.get("b") is None
    assert float(cache.get("a").hidden[0]) == 1.0
    assert len(cache) == 2


def test_zero_size_disables():
    cache = ChunkCache(max_chunks=0)
    cache.put("a", _entry(1))
    assert cache.get("a") is None and len(cache) == 0


def test_encoder_key_tracks_identity_and_weights():
    first, second = torch.nn.Linear(2, 2), torch.nn.Linear(2, 2)
    assert encoder_key(first)[0] != encoder_key(second)[0]
    assert encoder_key(first) == encoder_key(first)
    before = encoder_key(first)
    with torch.no_grad():
        first.bias.add_(1.0)  # what fusing a LoRA does to the weights
    assert encoder_key(first) != before
    first.extra = torch.nn.Linear(2, 2)  # what adding adapter layers does
    assert encoder_key(first)[1] == before[1] + 2
