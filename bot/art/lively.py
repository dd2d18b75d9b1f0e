"""No dull pictures when nobody asked for one: a cheap measure of a painting, and a seed re-draw.

The measure looks at the finished painting (palette and symmetry applied) rendered small: the
recipe's own framing with its long side PREVIEW_SIDE pixels (a recipe's framing does not depend
on its size, so the preview is the picture, coarser). Three numbers, in 8-bit levels:

- contrast: over the three channels, the widest spread between the 5th and 95th percentile of
  the pixels' values. Grey goo (the article's PyTorch default init) has 0 or 1; a picture has
  64 to 255. Under FLAT_CONTRAST (24) the picture is flat.
- dominant: the share of pixels within DOMINANT_LEVELS (12) levels, in every channel, of the
  median colour. One colour over nearly all the frame (a flat red with a speck, the ±100 raw
  picture of one primary) is flat at DOMINANT_SHARE (0.85) or more, whatever its contrast.
- grain: the energy of the differences between neighbouring pixels over twice the variance
  (1 for white noise, near 0 for smooth shapes). At NOISE_GRAIN (0.85) or more the picture is
  noise (what 16+ layers of sin or a gaussian net of width 128 give); the article's densest
  pictures (29 layers, the 128-neuron "Pollock") measure 0.64 to 0.78.

The thresholds were set from 60 random /paint option sets and the article's series over three
seeds (docs/lively.jpg, `cppn-bot experiments --lively`, shows accepted and rejected samples
with their numbers).

`lively` is the one function the adapters call: a recipe whose seed nobody chose gets the first
seed in a fixed sequence (seed -> next_seed(seed) -> ...) whose painting is neither flat nor
noise, at most MAX_TRIES candidates. The recipe it returns carries that seed, so its replay code
paints the same picture with no check. A chosen seed, or a chosen dull recipe (init default), is
returned as it is; when no candidate passes (the options, not the seed, make it dull: a spread of
0.01, one neuron a layer), so is the recipe: painted as asked.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

import numpy as np
import torch

from bot.art.network import build_network, forward
from bot.art.recipe import MAX_SEED, MIN_SIDE, Recipe

PREVIEW_SIDE = 64
FLAT_CONTRAST = 24.0
DOMINANT_LEVELS = 12
DOMINANT_SHARE = 0.85
NOISE_GRAIN = 0.85
MAX_TRIES = 16  # the recipe's own seed and up to fifteen re-draws (16 previews: ~0.1 s typical)
# The weight spread per activation that gives the most lively pictures (std for init normal,
# range for uniform), measured over 30 seeds x depths 2-16 x widths 8-64 x (x, y | x, y, r):
# share of lively / flat / noise at the chosen value, and at the old /paint preset in brackets.
LIVELY_STD = {
    "tanh": 1.0,  # 100 % lively (the article's N(0, 1))
    "sin": 0.5,  # 87 / 0 / 13
    "relu": 0.5,  # at /paint's depth 9, width 16: 75 % lively (1.0: 45 %, 0.6 close to 0.5)
    "sigmoid": 4.0,  # 77 / 23 / 0
    "softplus": 3.0,  # 73 / 27 / 0 (0.6: 37 / 63)
    "gaussian": 0.6,  # 80 / 13 / 7 (0.9: 70 / 3 / 27)
    "mix": 0.8,  # 87 / 7 / 7 (1.0: 73 / 10 / 17)
}  # fmt: skip
LIVELY_RANGE = {
    "tanh": 3.0,  # 100 % (the article's +-3)
    "sin": 0.75,  # between 0.5 (73 / 27 / 0) and 1 (73 / 0 / 27); at 3: 30 / 0 / 70
    "relu": 1.0,  # at depth 9, width 16: 60 % lively (4.0: 40 %; over depths 2-16: 77 %)
    "sigmoid": 8.0,  # 80 / 20 / 0 (3: 50 / 50)
    "softplus": 8.0,  # 73 / 27 / 0
    "gaussian": 1.5,  # 77 / 0 / 23; 1: 83 / 10 / 7 but flat at width 8 (3: 47 / 0 / 53)
    "mix": 1.0,  # 80 / 20 / 0 (3: 53 / 17 / 30)
}  # fmt: skip


@dataclass(frozen=True)
class Liveliness:
    """What the measure saw in a painting (see the module's docstring)."""

    contrast: float  # 8-bit levels, 0..255
    dominant: float  # share of the frame, 0..1
    grain: float  # 0 (smooth) .. ~1 (white noise)

    @property
    def flat(self) -> bool:
        return self.contrast < FLAT_CONTRAST or self.dominant >= DOMINANT_SHARE

    @property
    def noise(self) -> bool:
        return not self.flat and self.grain >= NOISE_GRAIN

    @property
    def dull(self) -> bool:
        return self.flat or self.noise

    @property
    def verdict(self) -> str:
        return "flat" if self.flat else "noise" if self.noise else "lively"


def measure(pixels: np.ndarray) -> Liveliness:
    """The measure of an H x W x 3 uint8 painting."""
    f = pixels.astype(np.float64)
    lo, hi = np.percentile(f, [5, 95], axis=(0, 1))
    contrast = float((hi - lo).max())
    median = np.median(f.reshape(-1, 3), axis=0)
    dominant = float((np.abs(f - median).max(axis=-1) <= DOMINANT_LEVELS).mean())
    var = f.var(axis=(0, 1)).sum()
    dx = np.diff(f, axis=1) ** 2
    dy = np.diff(f, axis=0) ** 2
    energy = dx.sum(axis=-1).mean() + dy.sum(axis=-1).mean()
    grain = float(energy / (4 * var)) if var > 0 else 0.0
    return Liveliness(round(contrast, 1), round(dominant, 3), round(grain, 3))


def preview_size(r: Recipe) -> tuple[int, int]:
    """The recipe's shape with its long side PREVIEW_SIDE (each side at least MIN_SIDE)."""
    long = max(r.w, r.h)
    return tuple(max(MIN_SIDE, round(side * PREVIEW_SIDE / long)) for side in (r.w, r.h))  # type: ignore[return-value]


def preview(r: Recipe) -> np.ndarray:
    """The painting at preview size, on this thread's CPU (no renderer, no pool: the adapters
    call this beside the queue, in a worker thread)."""
    from bot.art.render import colours, coordinates  # render imports this module's neighbours

    small = r.with_size(*preview_size(r))
    net = build_network(small)
    with torch.inference_mode():
        out = forward(net, coordinates(small, net.latent, 0, small.h))
        return colours(out, [small]).reshape(small.h, small.w, 3).numpy()


def assess(r: Recipe) -> Liveliness:
    return measure(preview(r))


def next_seed(seed: int) -> int:
    """The candidate after `seed`: a fixed hash, so every machine tries the same seeds."""
    digest = hashlib.blake2b(f"cppn lively {seed}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") % (MAX_SEED + 1)


def candidates(r: Recipe, tries: int = MAX_TRIES) -> list[Recipe]:
    """The recipe and its re-draws, in the order lively tries them."""
    out = [r]
    while len(out) < tries:
        out.append(replace(out[-1], seed=next_seed(out[-1].seed)))
    return out


def asked_as_is(r: Recipe, fixed: frozenset[str]) -> bool:
    """True when the person chose what makes the picture: its seed, or the article's grey goo."""
    return "seed" in fixed or (r.init == "default" and "init" in fixed)


def lively(recipe: Recipe, fixed: frozenset[str] = frozenset(), tries: int = MAX_TRIES) -> Recipe:
    """The recipe with the first seed of its candidates whose painting is neither flat nor
    noise; `fixed` names the Recipe fields the person set (see asked_as_is). Deterministic:
    the same recipe and `fixed` give the same result."""
    if asked_as_is(recipe, fixed):
        return recipe
    for candidate in candidates(recipe, tries):
        if not assess(candidate).dull:
            return candidate
    return recipe
