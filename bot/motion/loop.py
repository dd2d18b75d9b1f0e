"""The loop: a circle in a seeded 2-D plane of z space through the code's own z, and its frames.

z(theta) = z0 + R((cos theta - 1) u + sin theta v), u and v orthonormal, drawn from the seed: at
theta = 0 (and 2 pi) z is the code's own, so frame 0 is the code's picture and the frame after the
last is frame 0 again. A recipe with fewer than two latent inputs gets more for the animation
(network.with_latent_inputs: new first-layer weights from the seed, the new entries of z start at
0), so its frame 0 is still its own picture.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import numpy as np
import torch

from bot.art.network import Network, build_network, with_latent_inputs
from bot.art.recipe import Recipe
from bot.art.render import Renderer
from bot.forms import loop_recipe

RADIUS = 0.75  # of the circle, in z units (a code's own z is drawn N(0, 1) per entry)
BATCH_PIXELS = 1 << 22  # frames per batched pass: up to ~4 Mpixels (12 MB of uint8 out)
MAX_BATCH = 16
_PLANE_STREAM = 0x6D6F  # "mo": the plane's generator, apart from the network's streams


@dataclass(frozen=True)
class Loop:
    """One animation's frames: the recipe they share and each frame's z."""

    recipe: Recipe  # the code's recipe at the animation's size, with at least LOOP_ZDIM latents
    network: Network  # its network (frame 0's z)
    frames: int

    @classmethod
    def of(cls, recipe: Recipe, frames: int) -> Loop:
        looped = loop_recipe(recipe)
        net = with_latent_inputs(recipe, build_network(recipe), looped.zdim)
        return cls(looped, net, frames)

    def plane(self) -> tuple[torch.Tensor, torch.Tensor]:
        """Two orthonormal directions in z space, drawn from the seed (float64)."""
        g = torch.Generator(device="cpu").manual_seed(self.recipe.seed * 65536 + _PLANE_STREAM)
        a, b = torch.randn((2, self.recipe.zdim), generator=g, dtype=torch.float64)
        u = a / a.norm()
        v = b - (b @ u) * u
        return u, v / v.norm()

    def latent(self, index: int) -> torch.Tensor:
        """z of frame `index` (index == frames is frame 0 again, a full turn later)."""
        u, v = self.plane()
        theta = 2 * math.pi * index / self.frames
        z0 = self.network.latent.to(torch.float64)
        z = z0 + RADIUS * ((math.cos(theta) - 1) * u + math.sin(theta) * v)
        return z.to(torch.float32)

    def batch_size(self) -> int:
        return max(1, min(MAX_BATCH, BATCH_PIXELS // (self.recipe.w * self.recipe.h)))

    def render(self, renderer: Renderer, indices: list[int]) -> list[np.ndarray]:
        """These frames, in one batched pass."""
        nets = [replace(self.network, latent=self.latent(i)) for i in indices]
        return renderer.render_batch([self.recipe] * len(indices), networks=nets)

    def stream(
        self,
        renderer: Renderer,
        batch: int | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> Iterator[np.ndarray]:
        """Every frame in order, rendered `batch` at a time (default batch_size())."""
        step = batch or self.batch_size()
        for start in range(0, self.frames, step):
            yield from self.render(renderer, list(range(start, min(self.frames, start + step))))
            if progress:
                progress(min(self.frames, start + step), self.frames)

    def cost(self) -> int:
        """Work of every frame (Recipe.cost per frame)."""
        return self.frames * self.recipe.cost()
