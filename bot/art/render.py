"""Pixels from recipes: coordinates, tiled forward passes, colour modes, batching.

Images are rendered in horizontal bands of rows ("tiles") so that peak memory depends on the tile
size and the network width, not on the picture size. On the CPU the tiles go to a small pool of
threads, each tile's kernels on one thread and each tile holding a slot of the process's
CpuBudget (bot/cpus.py): tiles are independent, so a core taken by another process delays one
tile, not every layer of every tile as OpenMP's per-operation barriers did. The tiling depends on
the recipe alone, never on the number of cores, so every machine computes the same tiles.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import torch

from bot.art.network import (
    Network,
    Scratch,
    build_network,
    forward,
    layer_activations,
    stack_networks,
    tanh_as_sigmoid,
)
from bot.art.palettes import apply_palette
from bot.art.recipe import Recipe
from bot.art.symmetry import fold_axes, fold_plane, folds
from bot.cpus import CpuBudget, one_thread_per_kernel
from bot.errors import UserError

Progress = Callable[[int, int], None]  # (rows done, rows in all)
RAW_SPAN = 128.0  # raw coordinates: the short side runs 0..128, the article's image size


def pick_device(device: str = "auto") -> torch.device:
    """`auto` is cuda when present, else cpu."""
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    try:
        dev = torch.device(device)
    except RuntimeError:
        raise UserError(f"device {device!r} is not one of auto, cpu, cuda, cuda:N") from None
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise UserError(f"device {device!r} was asked for, but this machine has no usable GPU")
    if dev.type not in ("cpu", "cuda"):
        raise UserError(f"device {device!r} is not one of auto, cpu, cuda, cuda:N")
    return dev


def disable_tf32() -> None:
    """Full float32 matmuls on GPUs, so that CPU and GPU renders agree to a few 8-bit levels."""
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.set_float32_matmul_precision("highest")


def architecture_key(r: Recipe) -> tuple:
    """Recipes with equal keys can be rendered together in one batched pass."""
    biases = (True, *([r.hidden_bias] * (r.layers - 1)))
    return (tuple(r.layer_dims()), layer_activations(r), biases, r.inputs, r.color, r.w, r.h)


def group_by_architecture(recipes: Iterable[Recipe]) -> list[list[int]]:
    """Indices of the recipes, grouped so that each group can go to `render_batch`."""
    groups: dict[tuple, list[int]] = {}
    for i, r in enumerate(recipes):
        groups.setdefault(architecture_key(r), []).append(i)
    return list(groups.values())


def _axis(n: int, short: int, raw: bool, start: int = 0, stop: int | None = None) -> torch.Tensor:
    """Coordinates of pixel centres along one axis, before zoom and pan."""
    idx = torch.arange(start, n if stop is None else stop, dtype=torch.float64) + 0.5
    if raw:
        return idx * (RAW_SPAN / short)
    return (idx - n / 2) / short  # centred; the short side spans -0.5..0.5


def _offsets(n: int, short: int, start: int = 0, stop: int | None = None) -> torch.Tensor:
    """Pixel centres' offsets from the image centre along one axis, in short sides (exact:
    pixel i and pixel n-1-i get opposite values, bit for bit)."""
    idx = torch.arange(start, n if stop is None else stop, dtype=torch.float64)
    return (idx + (0.5 - n / 2)) / short


def _unfold(offset: torch.Tensor, n: int, short: int, raw: bool) -> torch.Tensor:
    """Offsets from the centre (folded) back to the axis's coordinates, as _axis gives them."""
    return (offset + n / (2 * short)) * RAW_SPAN if raw else offset


def _folded(r: Recipe, row0: int, row1: int) -> tuple[torch.Tensor, torch.Tensor]:
    """xs [w] and ys [rows] (mirrors), or x and y [rows, w] (radial), before zoom and pan,
    with the recipe's symmetry folded in (bot/art/symmetry.py)."""
    short, raw = min(r.w, r.h), r.coords == "raw"
    u, v = _offsets(r.w, short), _offsets(r.h, short, row0, row1)
    if folds(r.symmetry):
        u, v = fold_plane(r.symmetry, u[None, :], v[:, None])
    else:
        u, v = fold_axes(r.symmetry, u, v)
        v = v[:, None]
    return _unfold(u, r.w, short, raw), _unfold(v, r.h, short, raw)


def coordinates(r: Recipe, latent: torch.Tensor, row0: int, row1: int) -> torch.Tensor:
    """Network inputs for rows [row0, row1): [(row1-row0) * w, n_inputs], float32.

    Computed in float64 and rounded once to float32, written column by column into the result
    (no float64 meshgrid and stack: the same values, a third of the memory traffic)."""
    if r.symmetry == "none":  # the same arithmetic as every code before symmetry (golden tests)
        short = min(r.w, r.h)
        raw = r.coords == "raw"
        xs = _axis(r.w, short, raw)
        ys = _axis(r.h, short, raw, row0, row1)[:, None]
    else:
        xs, ys = _folded(r, row0, row1)
    xs, ys = r.cx + r.zoom * xs, r.cy + r.zoom * ys
    n_in = (3 if r.inputs == "xyr" else 2) + r.zdim
    pts = torch.empty((row1 - row0, r.w, n_in), dtype=torch.float32)
    pts[..., 0] = xs
    pts[..., 1] = ys
    if r.inputs == "xyr":
        pts[..., 2] = torch.sqrt(xs**2 + ys**2)
    if r.zdim:
        pts[..., n_in - r.zdim :] = latent.to(torch.float32)
    return pts.reshape(-1, n_in)


def hsv_to_rgb(hsv: torch.Tensor) -> torch.Tensor:
    """[..., 3] hue, saturation, value in [0, 1] -> rgb in [0, 1]."""
    h, s, v = hsv.unbind(-1)
    k = torch.stack([(5 + h * 6) % 6, (3 + h * 6) % 6, (1 + h * 6) % 6], dim=-1)
    ramp = torch.clamp(torch.minimum(k, 4 - k), 0, 1)
    return v.unsqueeze(-1) * (1 - s.unsqueeze(-1) * ramp)


def to_rgb8(out: torch.Tensor, color: str, palette: str = "none", seed: int = 0) -> torch.Tensor:
    """Network outputs in (0, 1) -> uint8 RGB, [..., 3] (through the palette, if any: the seed
    draws the random one)."""
    if palette != "none":
        out = apply_palette(out, palette, seed)
    elif color == "bw":
        out = out.expand(*out.shape[:-1], 3)
    elif color == "hsv":
        out = hsv_to_rgb(out)
    return (out * 255.0).round_().clamp_(0, 255).to(torch.uint8)


def colours(out: torch.Tensor, recipes: list[Recipe]) -> torch.Tensor:
    """A tile's outputs, batch first ([N, n_out], or B recipes' [B * N or B, N, n_out]), to
    uint8 RGB, each recipe's part in its own colours."""
    first = recipes[0]
    same = (first.palette, first.seed if first.palette == "random" else 0)
    if all((r.palette, r.seed if r.palette == "random" else 0) == same for r in recipes):
        return to_rgb8(out, first.color, first.palette, first.seed)  # color: one architecture
    parts = out.reshape(len(recipes), -1, out.shape[-1])
    pairs = zip(parts, recipes, strict=True)
    return torch.cat([to_rgb8(o, r.color, r.palette, r.seed) for o, r in pairs]).view(
        *out.shape[:-1], 3
    )


@dataclass
class Renderer:
    """Owns a device and renders recipes to H x W x 3 uint8 arrays."""

    device: torch.device
    tile_values: int  # activations per tile: pixels x widest layer x batch (bounds memory)
    tile_pixels: int | None = None  # a fixed tile size instead (tests)
    budget: CpuBudget = field(default_factory=CpuBudget.detect)  # CPU tiles: workers and slots
    _pool: ThreadPoolExecutor | None = field(default=None, init=False, repr=False, compare=False)
    _pool_lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False, compare=False
    )
    _local: threading.local = field(
        default_factory=threading.local, init=False, repr=False, compare=False
    )  # each thread's Scratch

    @classmethod
    def create(cls, device: str = "auto", tile_pixels: int | None = None,
               budget: CpuBudget | None = None) -> Renderer:  # fmt: skip
        dev = pick_device(device)
        disable_tf32()
        one_thread_per_kernel()  # parallel over tiles instead (see the module's docstring)
        # CPU: ~2 MB of float32 per activation keeps a tile in cache; a GPU wants big launches.
        values = 1 << 24 if dev.type == "cuda" else 1 << 19
        return cls(dev, values, tile_pixels, budget or CpuBudget.detect())

    def _rows_per_tile(self, r: Recipe, batch: int) -> int:
        pixels = self.tile_pixels or self.tile_values // max(r.hidden_widths() or [1])
        return max(1, pixels // (r.w * batch))

    def render(self, recipe: Recipe, progress: Progress | None = None) -> np.ndarray:
        """One picture: H x W x 3 uint8."""
        return self.render_batch([recipe], progress)[0]

    def render_batch(
        self,
        recipes: list[Recipe],
        progress: Progress | None = None,
        timings: dict[str, float] | None = None,
        networks: list[Network] | None = None,
    ) -> list[np.ndarray]:
        """Several recipes of one architecture in one batched pass (see architecture_key).
        `timings`, if given, receives seconds spent on "weights" and "render". `progress` is
        called on this thread after each tile, in order; if it raises, no further tile starts.
        `networks`, if given, are the recipes' networks (one each, e.g. the frames of an
        animation: one network, each frame's own latent z) instead of those drawn from them."""
        if len({architecture_key(r) for r in recipes}) != 1:
            raise ValueError("render_batch needs recipes of one architecture; group them first")
        if networks is not None and len(networks) != len(recipes):
            raise ValueError("render_batch needs one network per recipe")
        t0 = time.perf_counter()
        nets = list(networks) if networks is not None else [build_network(r) for r in recipes]
        single = len(recipes) == 1
        # Networks with the very same weights (frames of one animation: only z differs) run as
        # one: each layer one matmul over every frame's points, not a batched one.
        shared = all(n.weights is nets[0].weights and n.biases is nets[0].biases for n in nets)
        one = nets[0] if single or shared else stack_networks(nets)
        net = tanh_as_sigmoid(one).to(self.device)
        t1 = time.perf_counter()
        first = recipes[0]
        out = torch.empty((len(recipes), first.h, first.w, 3), dtype=torch.uint8)
        rows = self._rows_per_tile(first, len(recipes))
        bands = [(r0, min(first.h, r0 + rows)) for r0 in range(0, first.h, rows)]

        def paint(band: tuple[int, int]) -> None:
            row0, row1 = band
            with torch.inference_mode():
                tile = self._tile(recipes, nets, net, row0, row1, single, shared)
            out[:, row0:row1] = tile.reshape(len(recipes), row1 - row0, first.w, 3).cpu()

        if self.device.type == "cpu" and self.budget.cores > 1 and len(bands) > 1:
            one_thread_per_kernel()  # a Renderer built without create() too: never N x N threads
            self._paint_on_pool(paint, bands, first.h, progress)
        else:  # one tile, one core, or a GPU (whose kernels are parallel already)
            for band in bands:
                self._run(paint, band)
                if progress:
                    progress(band[1], first.h)
        if timings is not None:
            timings["weights"] = t1 - t0
            timings["render"] = time.perf_counter() - t1
        return list(out.numpy())

    def _run(self, paint: Callable[[tuple[int, int]], None], band: tuple[int, int]) -> None:
        if self.device.type != "cpu":
            return paint(band)
        with self.budget.slot():
            return paint(band)

    def _paint_on_pool(self, paint, bands: list[tuple[int, int]], h: int,
                       progress: Progress | None) -> None:  # fmt: skip
        """Every band on the pool; progress in band order on this thread. If progress raises
        (a timeout, a cancellation), the bands not yet started are dropped, the running ones
        are waited for, and the exception goes on."""
        stop = threading.Event()

        def job(band: tuple[int, int]) -> None:
            if not stop.is_set():
                self._run(paint, band)

        pool = self._workers()
        futures: list[Future] = [pool.submit(job, band) for band in bands]
        try:
            for fut, band in zip(futures, bands, strict=True):
                fut.result()
                if progress:
                    progress(band[1], h)
        except BaseException:
            stop.set()
            for fut in futures:
                fut.cancel()
            for fut in futures:
                if not fut.cancelled():
                    fut.exception()  # wait for the tiles already running
            raise

    def _workers(self) -> ThreadPoolExecutor:
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.budget.cores, thread_name_prefix="tile")
            return self._pool

    @staticmethod
    def _frames(r: Recipe, nets: list[Network], row0: int, row1: int) -> torch.Tensor:
        """One recipe's points for rows [row0, row1), once per network, each with its own z:
        [len(nets) * points, n_inputs] (the coordinates computed once, not per frame)."""
        pts = coordinates(r, nets[0].latent, row0, row1)
        x = pts.repeat(len(nets), 1).view(len(nets), len(pts), -1)
        x[:, :, -r.zdim :] = torch.stack([n.latent.to(torch.float32) for n in nets])[:, None]
        return x.view(-1, x.shape[-1])

    def _tile(self, recipes, nets, net: Network, row0: int, row1: int, single: bool,
              shared: bool = False):  # fmt: skip
        if shared and not single and recipes[0].zdim and len(set(recipes)) == 1:
            x = self._frames(recipes[0], nets, row0, row1).to(self.device)
        else:
            pts = [coordinates(r, n.latent, row0, row1) for r, n in zip(recipes, nets, strict=True)]
            x = pts[0] if single else torch.cat(pts) if shared else torch.stack(pts)
            x = x.to(self.device)
        scratch = None
        if self.device.type == "cpu":
            scratch = getattr(self._local, "scratch", None) or Scratch()
            self._local.scratch = scratch
        return colours(forward(net, x, scratch), recipes)


def render(recipe: Recipe, device: str = "auto") -> np.ndarray:
    """Convenience: render one recipe on a fresh renderer."""
    return Renderer.create(device).render(recipe)
