"""Tile-parallel rendering: the same bytes whatever the number of cores, one busy thread per slot,
a progress hook that stops the remaining tiles."""

import threading
from contextlib import contextmanager
from dataclasses import replace

import numpy as np
import pytest
import torch

from bot.art import Recipe, Renderer
from bot.art.network import Scratch, build_network, forward, tanh_as_sigmoid
from bot.art.render import coordinates
from bot.cpus import CpuBudget

# Every activation and colour mode, odd sizes and widths (vector tails), latents and r input.
RECIPES = [
    Recipe(seed=1, w=80, h=50, width=24, layers=6),
    Recipe(seed=2, w=77, h=51, width=7, layers=5, activation="sin", color="hsv"),
    Recipe(seed=3, w=33, h=65, width=3, layers=4, activation="softplus", color="bw", zdim=2,
           inputs="xyr"),
    Recipe(seed=4, w=101, h=37, width=16, layers=9, activation="mix", zdim=1),
    Recipe(seed=5, w=63, h=63, width=5, layers=7, activation="gaussian", color="hsv",
           inputs="xyr"),
    Recipe(seed=6, w=45, h=31, width=1, layers=3, activation="relu", hidden_bias=True),
    Recipe(seed=7, w=129, h=17, width=17, layers=8, activation="sigmoid", zdim=3),
]  # fmt: skip


def _renderer(cores: int, rows: int | None = None, w: int = 1) -> Renderer:
    tile = None if rows is None else rows * w
    return Renderer.create("cpu", tile_pixels=tile, budget=CpuBudget(cores))


@pytest.mark.parametrize("r", RECIPES, ids=lambda r: f"{r.activation}-{r.w}x{r.h}")
def test_the_picture_does_not_depend_on_the_number_of_cores(r):
    """Tiles are fixed by the recipe; each tile's kernels run on one thread: identical bytes."""
    one = _renderer(1, 3, r.w).render(r)
    for cores in (2, 3, 5):
        assert np.array_equal(_renderer(cores, 3, r.w).render(r), one), cores


def test_batched_renders_do_not_depend_on_the_number_of_cores():
    base = Recipe(w=41, h=29, layers=5, width=20, zdim=2, inputs="xyr")
    recipes = [replace(base, seed=s) for s in range(4)]
    one = _renderer(1, 2, base.w).render_batch(recipes)
    three = _renderer(3, 2, base.w).render_batch(recipes)
    assert all(np.array_equal(a, b) for a, b in zip(one, three, strict=True))
    assert not np.array_equal(three[0], three[1])  # four pictures, not one four times


@pytest.mark.parametrize("r", RECIPES, ids=lambda r: f"{r.activation}-{r.w}x{r.h}")
def test_tiled_and_untiled_renders_agree(r):
    """Bit-identical where the activation's kernel treats every element alike (sigmoid, so
    tanh; relu; softplus). sin and exp go through MKL's vector maths, whose last partial vector
    can round differently, so a pixel may move by one level there."""
    whole = _renderer(1, 10_000, r.w).render(r)
    for rows, cores in ((1, 2), (2, 1), (5, 3)):
        tiled = _renderer(cores, rows, r.w).render(r)
        diff = np.abs(tiled.astype(np.int16) - whole.astype(np.int16))
        if r.activation in ("sin", "gaussian", "mix"):
            assert diff.max() <= 1
        else:
            assert diff.max() == 0, (rows, cores)


def test_forward_with_scratch_buffers_is_exact_and_reusable():
    r = Recipe(seed=9, w=40, h=30, width=12, layers=5)
    net = tanh_as_sigmoid(build_network(r))
    x = coordinates(r, torch.empty(0), 0, r.h)
    plain = forward(net, x).clone()
    scratch = Scratch()
    first = forward(net, x, scratch).clone()
    forward(net, x[: len(x) // 2], scratch)  # a smaller pass in the same buffers
    again = forward(net, x, scratch)
    assert torch.equal(first, plain) and torch.equal(again, plain)


class CountingBudget(CpuBudget):
    """A real budget that records how many slots were ever held at once."""

    def __init__(self, cores: int) -> None:
        super().__init__(cores)
        self.busy = self.most = self.taken = 0
        self._lock = threading.Lock()

    @contextmanager
    def slot(self):
        with super().slot():
            with self._lock:
                self.busy += 1
                self.taken += 1
                self.most = max(self.most, self.busy)
            try:
                yield
            finally:
                with self._lock:
                    self.busy -= 1


def test_each_tile_holds_a_slot_and_never_more_than_the_cores():
    budget = CountingBudget(2)
    r = Recipe(seed=3, w=64, h=40, width=8, layers=4)
    Renderer.create("cpu", tile_pixels=64 * 2, budget=budget).render(r)
    assert budget.taken == 20 and 1 <= budget.most <= 2


def test_a_raising_progress_hook_stops_the_tiles_not_yet_started():
    """The executor stops a timed-out or cancelled job from its progress hook."""
    renderer = Renderer.create("cpu", tile_pixels=64, budget=CpuBudget(2))
    painted = []
    tile = renderer._tile

    def counting(*args):
        painted.append(args[3])
        return tile(*args)

    renderer._tile = counting
    calls = []

    def progress(done: int, total: int) -> None:
        calls.append(done)
        raise TimeoutError("stop")

    with pytest.raises(TimeoutError):
        renderer.render(Recipe(seed=1, w=64, h=200, width=8, layers=3), progress)
    assert calls == [1]
    assert len(painted) < 200
    # the pool is still usable afterwards
    px = renderer.render(Recipe(seed=1, w=64, h=20, width=8, layers=3))
    assert px.shape == (20, 64, 3)


def test_the_pipeline_shares_the_renderers_budget_for_quote_compose_and_encode():
    from bot.compose import Compositor
    from bot.pipeline import PaintSpec, Pipeline

    budget = CountingBudget(2)
    renderer = Renderer.create("cpu", tile_pixels=64 * 8, budget=budget)
    pipeline = Pipeline(renderer, Compositor(), None)
    assert pipeline.budget is budget
    done = pipeline.run(PaintSpec(Recipe(seed=2, w=64, h=32), custom_quote="Mine."))
    assert done.quote == "Mine."
    assert budget.taken == 4 + 1 and budget.most <= 2  # four tiles, then one finishing slot
