"""A morph: the frames of a blend from picture a to picture b, t from 0 to 1 (bot/art/explore.py).

Each frame is a replayable blend recipe; the frames share one architecture, so a batch of them
runs as one stacked forward pass. The same interface as a Loop, for bot/motion/animate.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from bot.art.explore import morph_frames
from bot.art.recipe import Recipe
from bot.art.render import Renderer
from bot.motion.loop import BATCH_PIXELS, MAX_BATCH


@dataclass(frozen=True)
class Morph:
    recipe: Recipe  # a, at the animation's size: the first frame, and the framing of all
    steps: tuple[Recipe, ...]  # every frame's recipe, a to the blend at t = 1

    @classmethod
    def of(cls, a: Recipe, b: Recipe, frames: int) -> Morph:
        return cls(a, tuple(morph_frames(a, b, frames)))

    @property
    def frames(self) -> int:
        return len(self.steps)

    def batch_size(self) -> int:
        return max(1, min(MAX_BATCH, BATCH_PIXELS // (self.recipe.w * self.recipe.h)))

    def render(self, renderer: Renderer, indices: list[int]) -> list[np.ndarray]:
        return renderer.render_batch([self.steps[i] for i in indices])

    def stream(
        self,
        renderer: Renderer,
        batch: int | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> Iterator[np.ndarray]:
        step = batch or self.batch_size()
        for start in range(0, self.frames, step):
            yield from self.render(renderer, list(range(start, min(self.frames, start + step))))
            if progress:
                progress(min(self.frames, start + step), self.frames)
