"""Symmetry: the image plane folded before the network sees it, so the picture repeats.

The fold acts on a pixel's offset from the image centre (u right, v down, in units of the short
side), before zoom and pan: the symmetry is always about the picture's centre, and zoom and centre
keep their meaning (which part of the network's plane the folded view samples).

- mirror-x: u -> |u|, the left half is the right half mirrored (exactly: the two pixels of a
  pair get the same input, bit for bit);
- mirror-y: v -> |v|, the top half mirrors the bottom;
- quad: both;
- radial-N (N 3..12): a kaleidoscope. The angle from the vertical is folded into a wedge of
  360/N degrees and mirrored inside it, so the picture turns into itself by 360/N and has N
  mirror lines (one vertical), with no seam where wedges meet.

SYMMETRIES is THE list: a symmetry's position in it is its number in replay codes, forever (it
only grows at the end); the CLI's and Discord's choices are built from it.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # torch is imported where points are folded: recipe.py reads the names
    import torch

NONE = "none"
RADIAL_RANGE = (3, 12)
SYMMETRIES: tuple[str, ...] = (
    NONE, "mirror-x", "mirror-y", "quad",
    *(f"radial-{n}" for n in range(RADIAL_RANGE[0], RADIAL_RANGE[1] + 1)),
)  # fmt: skip


def folds(symmetry: str) -> int:
    """The N of radial-N (0 for the others)."""
    return int(symmetry.removeprefix("radial-")) if symmetry.startswith("radial-") else 0


def fold_axes(symmetry: str, u: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Mirrors that act on one axis at a time: (u, v) 1-D, each folded where the symmetry asks
    (radial symmetries need the plane: fold_plane)."""
    if symmetry in ("mirror-x", "quad"):
        u = u.abs()
    if symmetry in ("mirror-y", "quad"):
        v = v.abs()
    return u, v


def fold_plane(
    symmetry: str, u: torch.Tensor, v: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """radial-N on points (u, v) of any shape: the angle from the downward vertical folded into
    [0, 180/N] degrees; the radius kept."""
    n = folds(symmetry)
    if not n:
        return fold_axes(symmetry, u, v)
    import torch

    wedge = 2 * math.pi / n
    angle = torch.atan2(u, v)  # 0 on the vertical axis through the centre
    folded = torch.remainder(angle + wedge / 2, wedge).sub_(wedge / 2).abs_()
    radius = torch.hypot(u, v)
    return radius * torch.sin(folded), radius * torch.cos(folded)
