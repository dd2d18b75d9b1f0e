"""Exploring from a picture: its variations (Vary) and blends of two pictures (/blend).

Both live in the recipe, so every result has its own replay code:

- a variation takes a tile of a Vary: the same recipe with the weights turned a small, seeded
  angle toward a fresh draw of the same network (bot/art/network.py's build_network), written as
  one digit of the code's `j` token (1-4 a subtle Vary's tiles, 5-8 a strong one's). Varying a
  variation adds a digit: a line of descent, as in Picbreeder.
- a blend is `t` of the way from a picture's weights to those of the same network drawn from
  another seed (the `x` token). Only pictures of one network blend: the same layers, widths,
  activations, inputs, init and colour; their seeds differ. Framing, size and quote are a's.
"""

from __future__ import annotations

from dataclasses import replace

from bot.art.network import layer_activations
from bot.art.recipe import NUDGE_DIGITS, Recipe
from bot.errors import RecipeError, UserError

STRENGTHS = ("subtle", "strong")  # a Vary's choices (their angles: network.NUDGE_ANGLES)
TILES = 4  # variations in one Vary, shown as a 2x2 grid
# What defines the network: two recipes blend only when these are equal (and, for `mix`, the
# activations each seed draws).
NETWORK_FIELDS = {
    "layers": "layers", "width": "width", "schedule": "width schedule", "floor": "floor",
    "activation": "activation", "init": "init", "std": "spread", "range": "spread",
    "hidden_bias": "hidden biases", "inputs": "inputs", "zdim": "latent size",
    "coords": "coordinates", "color": "colour",
}  # fmt: skip


def variations(r: Recipe, strength: str = "subtle") -> list[Recipe]:
    """The four tiles of a Vary of `r`, in order 1-4."""
    if strength not in STRENGTHS:
        raise UserError(f"strength {strength!r} is not one of: {', '.join(STRENGTHS)}")
    first = 0 if strength == "subtle" else TILES
    try:
        return [replace(r, nudges=r.nudges + NUDGE_DIGITS[first + i]) for i in range(TILES)]
    except RecipeError as e:
        if e.param != "variations":
            raise
        raise UserError(
            f"this picture has been varied {len(r.nudges)} times, as deep as a replay code can "
            "carry; vary an earlier picture of the line"
        ) from None


def parent(r: Recipe) -> Recipe | None:
    """The picture a variation was taken from (None: not a variation)."""
    return replace(r, nudges=r.nudges[:-1]) if r.nudges else None


def blend(a: Recipe, b: Recipe, t: float = 0.5) -> Recipe:
    """`a` with its weights `t` of the way (0..1) to `b`'s: t = 0 paints a, t = 1 paints b's
    network with a's framing, size and quote. UserError, one line, when they cannot blend."""
    if isinstance(t, bool) or not isinstance(t, int | float) or not 0.0 <= t <= 1.0:
        raise UserError(f"t={t!r} is not allowed: a number from 0 (all a) to 1 (all b)")
    check_blendable(a, b)
    if t == 0:
        return a
    try:
        return replace(a, blend_seed=b.seed, blend_t=t)
    except RecipeError as e:
        if e.param == "variations":
            raise UserError(f"the blend's replay code would be too long: {e.allowed}") from None
        raise


def check_blendable(a: Recipe, b: Recipe) -> None:
    """Raise UserError (one line that says what differs and what would make them blend)
    unless `b`'s network can be blended into `a`'s."""
    for name, r in (("a", a), ("b", b)):
        if r.blend_t or r.nudges:
            kind = "a blend" if r.blend_t else "a variation"
            raise UserError(
                f"{name} is {kind}, and only pictures straight from a seed blend (a code "
                "without the x and j parts); blend the pictures it came from, or vary the blend"
            )
    differ = sorted({NETWORK_FIELDS[f] for f in NETWORK_FIELDS if getattr(a, f) != getattr(b, f)})
    if not differ and layer_activations(a) != layer_activations(b):
        differ = ["the activations their seeds drew for `mix`"]
    if differ:
        raise UserError(
            f"these two are different networks and cannot blend: they differ in "
            f"{', '.join(differ)}. Blending needs the same network with another seed: "
            "paint b with a's options (a re-roll of a always blends with it)"
        )


def morph_frames(a: Recipe, b: Recipe, frames: int) -> list[Recipe]:
    """The recipes of a morph from a to b: t from 0 to 1 in `frames` even steps, each frame a
    replayable blend (t as a code carries it, three significant digits)."""
    if frames < 2:
        raise UserError(f"a morph needs at least 2 frames, not {frames}")
    check_blendable(a, b)
    return [a] + [blend(a, b, i / (frames - 1)) for i in range(1, frames)]
