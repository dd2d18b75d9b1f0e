"""Palettes: the network's output mapped through a colour gradient instead of read as RGB.

A palette turns the outputs into one position t in [0, 1] along a gradient and paints the
gradient's colour there. With `color=bw` the network's one output is t. With `color=rgb` the three
outputs are weighted 4:2:1 (t = (4r + 2g + b) / 7): where the outputs sit at their extremes, as a
saturated CPPN's do, the eight corners of the RGB cube land on eight evenly spaced stops of the
gradient (binary counting), so the whole gradient shows, not a muddy middle; where the outputs
move smoothly, t does too. `hsv` is its own colour mapping and takes no palette.

Named palettes are hand-picked stops, dark to light, interpolated linearly. `random` is a cosine
gradient (a + b cos 2π(c t + d), Inigo Quilez's form) whose numbers are drawn from the seed
with blake2b, so it replays on every machine; its ranges keep it bright and varied.

PALETTE_NAMES is THE list: a palette's position in it is its number in replay codes, forever, so
it only grows at the end. The CLI's and Discord's choices are built from it.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # torch is imported where colours are computed: recipe.py reads the names
    import torch

NONE, RANDOM = "none", "random"


@dataclass(frozen=True)
class Palette:
    name: str
    stops: tuple[str, ...]  # hex colours, evenly spaced from t = 0 to t = 1


# Append only: codes carry a palette's index in PALETTE_NAMES.
PALETTES: tuple[Palette, ...] = (
    Palette("sunset", ("#1b0c3f", "#6a1b6e", "#d43d51", "#f7894a", "#ffd97a")),
    Palette("ocean", ("#03122e", "#074f7a", "#0a95a8", "#5fd3c6", "#e6fbf4")),
    Palette("forest", ("#0d1f0f", "#1f4d24", "#4b8b3b", "#a7c957", "#f2e8a6")),
    Palette("ember", ("#0b0302", "#5a0d05", "#c1280b", "#f57a12", "#ffe066")),
    Palette("ink", ("#08080c", "#1b2a5e", "#4a6fa5", "#d9d2c0", "#faf6ea")),
    Palette("pastel", ("#5e548e", "#e07a9f", "#8ecae6", "#95e0a6", "#fff1b8")),
    Palette("neon", ("#0d0221", "#ff00a0", "#00e5ff", "#39ff14", "#fff700")),
    Palette("desert", ("#3b1f12", "#8c4a24", "#d08c4a", "#e9c28a", "#f8ecd4")),
    Palette("aurora", ("#050a1f", "#0b3d5c", "#17a589", "#7cf29c", "#c77dff")),
    Palette("mono-blue", ("#020b1f", "#0a2f6b", "#1f5fbf", "#63a4ff", "#dcecff")),
    Palette("citrus", ("#1f3a00", "#4caf1a", "#c6e500", "#ffb300", "#fff59d")),
    Palette("berry", ("#1a0522", "#5c0f4a", "#a3155f", "#e0457b", "#ffc2d4")),
    Palette("tropical", ("#0b3c49", "#17a398", "#f4d35e", "#ee964b", "#f95738")),
    Palette("twilight", ("#0f0c29", "#302b63", "#8e5aa6", "#e29fc0", "#fbe3e8")),
    Palette("vapor", ("#2b1055", "#7597de", "#ff71ce", "#01cdfe", "#fffb96")),
    Palette("jungle", ("#062c1f", "#0f7b4f", "#8ac926", "#ffca3a", "#ff595e")),
    Palette("viridis", ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725")),
    Palette("magma", ("#000004", "#51127c", "#b73779", "#fc8961", "#fcfdbf")),
    Palette("candy", ("#7209b7", "#f72585", "#ff9a5a", "#ffe156", "#5ce1e6")),
)
PALETTE_NAMES: tuple[str, ...] = (NONE, RANDOM, *(p.name for p in PALETTES))
BY_NAME = {p.name: p for p in PALETTES}
RGB_WEIGHTS = (4 / 7, 2 / 7, 1 / 7)  # t from three outputs (see the module's docstring)


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    return tuple(int(hex_colour[i : i + 2], 16) / 255.0 for i in (1, 3, 5))  # type: ignore[return-value]


def cosine_coefficients(seed: int) -> tuple[tuple[float, ...], ...]:
    """The random palette of a seed: (a, b, c, d), each three numbers (r, g, b), from 14 numbers
    in [0, 1] that blake2b draws from the seed."""
    digest = hashlib.blake2b(f"cppn palette {seed}".encode(), digest_size=32).digest()
    u = [int.from_bytes(digest[2 * i : 2 * i + 2], "big") / 65535.0 for i in range(16)]
    a = tuple(0.45 + 0.1 * x for x in u[0:3])  # mid-level: no channel stuck dark or light
    b = tuple(0.4 + 0.1 * x for x in u[3:6])  # swing: nearly the whole range, so it stays vivid
    cycles = 0.6 + 0.5 * u[6]  # turns over t, about the same for every channel...
    c = tuple(cycles + 0.3 * (x - 0.5) for x in u[7:10])
    # ...and the channels 0.08 to 0.28 of a turn apart: in phase enough to go
    # dark to light (channels a third of a turn apart only turn the hue round at one lightness).
    # Which channel leads and which lags: one of the six orders, so every hue family comes up.
    offsets = (0.0, 0.08 + 0.2 * u[11], -0.08 - 0.2 * u[12])
    order = _ORDERS[int(u[13] * 6) % 6]
    d = tuple(u[10] + offsets[i] for i in order)
    return a, b, c, d


_ORDERS = ((0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0))


def gradient(name: str, seed: int, t: torch.Tensor) -> torch.Tensor:
    """Colours in [0, 1], [..., 3], at positions t in [0, 1] ([...]) of the named palette (the
    seed draws the random one)."""
    import torch

    # A network that overflows (relu or softplus, huge weights, deep) gives NaN: its start.
    t = torch.nan_to_num(t, nan=0.0).clamp_(0.0, 1.0).unsqueeze(-1)
    if name == RANDOM:
        a, b, c, d = (torch.tensor(v, dtype=t.dtype, device=t.device)
                      for v in cosine_coefficients(seed))  # fmt: skip
        return (a + b * torch.cos(2 * math.pi * (c * t + d))).clamp_(0.0, 1.0)
    stops = torch.tensor([_rgb(s) for s in BY_NAME[name].stops], dtype=t.dtype, device=t.device)
    pos = t * (len(stops) - 1)
    lo = pos.floor().clamp_(max=len(stops) - 2)
    frac = pos - lo
    i = lo.squeeze(-1).long()
    return stops[i] * (1 - frac) + stops[i + 1] * frac


def apply_palette(out: torch.Tensor, name: str, seed: int) -> torch.Tensor:
    """Network outputs in (0, 1), [..., 1] (bw) or [..., 3] (rgb) -> palette colours [..., 3]."""
    import torch

    if out.shape[-1] == 1:
        t = out[..., 0]
    else:
        w = torch.tensor(RGB_WEIGHTS, dtype=out.dtype, device=out.device)
        t = out @ w
    return gradient(name, seed, t)
