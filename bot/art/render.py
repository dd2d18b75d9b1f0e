"""Pixels from recipes: coordinates, tiled forward passes, colour modes, batching.

Images are rendered in horizontal bands of rows ("tiles") so that peak memory depends on the tile
size and the network width, not on the picture size.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import torch

from bot.art.network import (
    Network,
    build_network,
    forward,
    layer_activations,
    stack_networks,
    tanh_as_sigmoid,
)
from bot.art.recipe import Recipe
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


def coordinates(r: Recipe, latent: torch.Tensor, row0: int, row1: int) -> torch.Tensor:
    """Network inputs for rows [row0, row1): [(row1-row0) * w, n_inputs], float32."""
    short = min(r.w, r.h)
    raw = r.coords == "raw"
    xs = r.cx + r.zoom * _axis(r.w, short, raw)
    ys = r.cy + r.zoom * _axis(r.h, short, raw, row0, row1)
    y, x = torch.meshgrid(ys, xs, indexing="ij")
    cols = [x.reshape(-1), y.reshape(-1)]
    if r.inputs == "xyr":
        cols.append(torch.sqrt(cols[0] ** 2 + cols[1] ** 2))
    pts = torch.stack(cols, dim=1).to(torch.float32)
    if r.zdim:
        pts = torch.cat([pts, latent.to(torch.float32).expand(pts.shape[0], -1)], dim=1)
    return pts


def hsv_to_rgb(hsv: torch.Tensor) -> torch.Tensor:
    """[..., 3] hue, saturation, value in [0, 1] -> rgb in [0, 1]."""
    h, s, v = hsv.unbind(-1)
    k = torch.stack([(5 + h * 6) % 6, (3 + h * 6) % 6, (1 + h * 6) % 6], dim=-1)
    ramp = torch.clamp(torch.minimum(k, 4 - k), 0, 1)
    return v.unsqueeze(-1) * (1 - s.unsqueeze(-1) * ramp)


def to_rgb8(out: torch.Tensor, color: str) -> torch.Tensor:
    """Network outputs in (0, 1) -> uint8 RGB, [..., 3]."""
    if color == "bw":
        out = out.expand(*out.shape[:-1], 3)
    elif color == "hsv":
        out = hsv_to_rgb(out)
    return (out * 255.0).round_().clamp_(0, 255).to(torch.uint8)


@dataclass
class Renderer:
    """Owns a device and renders recipes to H x W x 3 uint8 arrays."""

    device: torch.device
    tile_values: int  # activations per tile: pixels x widest layer x batch (bounds memory)
    tile_pixels: int | None = None  # a fixed tile size instead (tests)

    @classmethod
    def create(cls, device: str = "auto", tile_pixels: int | None = None) -> Renderer:
        dev = pick_device(device)
        disable_tf32()
        # CPU: ~2 MB of float32 per activation keeps a tile in cache; a GPU wants big launches.
        return cls(dev, 1 << 24 if dev.type == "cuda" else 1 << 19, tile_pixels)

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
    ) -> list[np.ndarray]:
        """Several recipes of one architecture in one batched pass (see architecture_key).
        `timings`, if given, receives seconds spent on "weights" and "render"."""
        if len({architecture_key(r) for r in recipes}) != 1:
            raise ValueError("render_batch needs recipes of one architecture; group them first")
        t0 = time.perf_counter()
        nets = [build_network(r) for r in recipes]
        single = len(recipes) == 1
        net = tanh_as_sigmoid(nets[0] if single else stack_networks(nets)).to(self.device)
        t1 = time.perf_counter()
        first = recipes[0]
        out = torch.empty((len(recipes), first.h, first.w, 3), dtype=torch.uint8)
        rows = self._rows_per_tile(first, len(recipes))
        with torch.inference_mode():
            for row0 in range(0, first.h, rows):
                row1 = min(first.h, row0 + rows)
                tile = self._tile(recipes, nets, net, row0, row1, single)
                out[:, row0:row1] = tile.reshape(len(recipes), row1 - row0, first.w, 3).cpu()
                if progress:
                    progress(row1, first.h)
        if timings is not None:
            timings["weights"] = t1 - t0
            timings["render"] = time.perf_counter() - t1
        return list(out.numpy())

    def _tile(self, recipes, nets, net: Network, row0: int, row1: int, single: bool):
        pts = [coordinates(r, n.latent, row0, row1) for r, n in zip(recipes, nets, strict=True)]
        x = (pts[0] if single else torch.stack(pts)).to(self.device)
        return to_rgb8(forward(net, x), recipes[0].color)


def render(recipe: Recipe, device: str = "auto") -> np.ndarray:
    """Convenience: render one recipe on a fresh renderer."""
    return Renderer.create(device).render(recipe)
