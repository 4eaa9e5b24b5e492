"""num_images=N is one UNet batch per step, and image i is the image of seed + i made alone.

The starting noise of image i comes from its own generator, so it is the single run's to the bit.
The rest of the way, a batch of N goes through the same layers as a batch of one, and the CPU's
matrix kernels pick their blocking by the number of rows (a batch of 6 and one of 2 differ in the
last bit of ``add_embedding.linear_1``): the finished images agree to one level of 255.
"""

import numpy as np
import torch

SMALL = {"size": (64, 64), "steps": 3}


def _watch_samples(pipe):
    samples: list[torch.Tensor] = []

    def hook(_module, args, kwargs):
        sample = args[0] if args else kwargs["sample"]
        samples.append(sample.detach().clone())

    return samples, pipe.pipe.unet.register_forward_pre_hook(hook, with_kwargs=True)


def test_image_i_of_a_batch_is_seed_plus_i_alone(shared_pipe):
    sampler = "Euler a"  # ancestral: fresh noise every step, from each image's own generator
    samples, handle = _watch_samples(shared_pipe)
    try:
        batch = shared_pipe.generate("1girl, smile", "lowres", seed=5, num_images=3, sampler=sampler, **SMALL)
        batch_samples = list(samples)
        alone = []
        for i in range(3):
            samples.clear()
            alone.append((shared_pipe.generate("1girl, smile", "lowres", seed=5 + i, sampler=sampler, **SMALL),
                          list(samples)))
    finally:
        handle.remove()
    # one UNet call per step, all images and both guidance halves in it
    assert [s.shape[0] for s in batch_samples] == [6] * 3
    assert batch.seeds == (5, 6, 7)
    for i, (single, single_samples) in enumerate(alone):
        assert [s.shape[0] for s in single_samples] == [2] * 3
        # the first UNet input is the seeded noise (scaled): the same bits, negative and positive half
        first, own = batch_samples[0], single_samples[0]
        assert torch.equal(first[i], own[0]) and torch.equal(first[3 + i], own[1])
        ours, theirs = np.asarray(batch.images[i], dtype=float), np.asarray(single.image, dtype=float)
        assert np.abs(ours - theirs).max() <= 1
        assert np.abs(ours - theirs).mean() < 0.05
    assert not np.array_equal(np.asarray(batch.images[0]), np.asarray(batch.images[1]))
