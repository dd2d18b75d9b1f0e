"""A recipe in words: one line a person can read, shared by Discord messages and feed posts.

Plain text from plain data (no discord.py), so every adapter describes a painting the same way.
"""

from __future__ import annotations

from bot.art.recipe import Recipe
from bot.quotes.voices import DEFAULT_VOICE


def describe_recipe(r: Recipe) -> str:
    """One line a person can read: what was painted."""
    widths = f"{r.width}→{r.floor} halving" if r.schedule == "halving" else f"{r.width}"
    init = {
        "normal": f"N(0, {r.std:g})",
        "uniform": f"U(±{r.range:g})",
        "default": "PyTorch default (grey goo)",
    }[r.init]
    parts = [f"{r.layers} layers × {widths}", r.activation, init]
    if r.inputs == "xyr":
        parts.append("radius input")
    if r.zdim:
        parts.append(f"z{r.zdim}")
    if r.coords == "raw":
        parts.append("raw pixel coordinates")
    if r.zoom != 1.0:
        parts.append(f"zoom ×{1 / r.zoom:.3g}")
    if r.color != "rgb":
        parts.append({"bw": "black and white", "hsv": "HSV"}[r.color])
    if r.palette != "none":
        parts.append(f"{r.palette} palette")
    if r.symmetry != "none":
        parts.append(r.symmetry.replace("-", " "))
    if r.nudges or r.blend_t:
        parts.append(" ".join(filter(None, (
            f"blend t={r.blend_t:g}" if r.blend_t else "",
            f"variation {r.nudges}" if r.nudges else "",
        ))))  # fmt: skip
    parts.append(f"{r.w}×{r.h}")
    if r.voice != DEFAULT_VOICE:
        parts.append(f"{r.voice} voice")
    return " · ".join(parts)
