"""Recipe: every parameter of one painting, validated and bounded.

A recipe plus the renderer fully determines the pixels. Floats are quantised to three significant
digits on construction, so that a replay code (which writes them out) reads back to the same recipe.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace

from bot.art.palettes import PALETTE_NAMES
from bot.art.symmetry import SYMMETRIES
from bot.errors import RecipeError
from bot.quotes.voices import DEFAULT_VOICE, VOICE_NAMES

ACTIVATIONS = ("tanh", "sin", "relu", "sigmoid", "softplus", "gaussian", "mix")
MIXABLE = ACTIVATIONS[:-1]  # what `mix` draws from, one per layer
INITS = ("normal", "uniform", "default")
SCHEDULES = ("constant", "halving")
INPUTS = ("xy", "xyr")
COORDS = ("norm", "raw")
COLORS = ("rgb", "bw", "hsv")
PALETTE_COLORS = ("rgb", "bw")  # hsv is a colour mapping of its own (bot/art/palettes.py)
QUOTES = ("generated", "none")  # custom text travels beside the code, not in it
PLACEMENTS = ("auto", "top", "centre", "bottom")
# 1: the legacy neural engine, what every version-1 code means; 2: the aphorism engine (voices).
QUOTE_ENGINES = (1, 2)

MAX_SEED = 2**32 - 1
MAX_LAYERS = 32
MAX_WIDTH = 256
MAX_ZDIM = 8
MAX_QUOTE_VARIANT = 999
MIN_SIDE, MAX_SIDE = 16, 4096
STD_RANGE = (0.01, 100.0)
UNIFORM_RANGE = (0.01, 1000.0)
ZOOM_RANGE = (0.001, 1000.0)
MAX_CENTRE = 1000.0
# Variations taken (bot/art/explore.py), one digit each: 1-4 the tile of a subtle Vary, 5-8 of a
# strong one. Bounded by the code's length (every valid recipe's code fits MAX_CODE).
NUDGE_DIGITS = "12345678"
# What one value through each activation costs, in multiply-adds of the layers' matmuls (measured
# on one x86 core at widths 16, 68 and 128: relu is a compare; tanh runs as one sigmoid; sin,
# gaussian and softplus take ~1.2-3 ns a value where a multiply-add takes ~0.025 ns).
ACTIVATION_COST = {"relu": 1, "tanh": 8, "sigmoid": 8, "gaussian": 48, "sin": 56, "softplus": 120}
# Work per job: multiply-adds plus the activations' cost in multiply-adds (Recipe.cost). 3840x2160
# at width 128 with 16 tanh layers costs 2.18e12 (2.04e12 multiply-adds); that is the largest job
# the bot must take, so the default budget sits just above it. Past it: 4096x4096 with 32 sin layers
# of width 68 (2.41e12 multiply-adds, 4.45e12 with its sines; it took ~1.8x the 4K job's time).
MAX_WORK = 2.5e12
SIG_DIGITS = 3


def quantise(x: float) -> float:
    """Round to SIG_DIGITS significant digits (the precision a replay code carries)."""
    return float(f"{x:.{SIG_DIGITS}g}")


def _quantise_centre(x: float) -> float:
    q = quantise(x)
    return 0.0 if abs(q) < ZOOM_RANGE[0] else q  # below the finest zoom a pan is invisible


@dataclass(frozen=True)
class Recipe:
    """Every parameter of a painting. Defaults are the article's reference network."""

    seed: int = 0
    layers: int = 9  # hidden layers, each Linear + activation (the article's num_layers)
    width: int = 16  # neurons in the first hidden layer
    schedule: str = "constant"  # or "halving": width, width/2, ... down to `floor`
    floor: int = 4  # smallest layer under the halving schedule
    activation: str = "tanh"
    init: str = "normal"
    std: float = 1.0  # for init=normal
    range: float = 1.0  # for init=uniform: weights in [-range, +range]
    hidden_bias: bool = False  # the article has a bias on the first layer only
    inputs: str = "xy"
    zdim: int = 0  # latent inputs drawn from the seed
    coords: str = "norm"
    zoom: float = 1.0  # coordinates are multiplied by this (the article's x0.01)
    cx: float = 0.0  # network-input point at the image centre (pan)
    cy: float = 0.0
    color: str = "rgb"
    w: int = 1024
    h: int = 1024
    quote: str = "generated"  # a quote generated from the seed, or none
    signature: bool = False  # sign with the bot's fixed signature, not a generated philosopher
    quote_variant: int = 0  # 0: the seed's own quote; n: the n-th other quote for this picture
    placement: str = "auto"  # where the quote goes; auto: the calmest band
    quote_engine: int = 2  # which engine writes the quote (1 for version-1 codes, 2 for version 2)
    voice: str = DEFAULT_VOICE  # engine 2's voice (bot.quotes.voices); engine 1 has only "any"
    # Blend (bot/art/explore.py): the weights part of the way (t in (0, 1]) to those of the same
    # network drawn from blend_seed; t = 0 is no blend. Then the variations taken, in order.
    blend_seed: int = 0
    blend_t: float = 0.0
    nudges: str = ""
    # The outputs through a palette (bot/art/palettes.py; "none": read as the colour mode says),
    # and the image plane folded before the network (bot/art/symmetry.py).
    palette: str = "none"
    symmetry: str = "none"

    def __post_init__(self) -> None:
        for name in ("std", "range", "zoom", "cx", "cy", "blend_t"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise RecipeError(name, value, "a number")
            try:
                number = float(value)
            except OverflowError:  # an int past float's range (10**400): infinite, so refused
                number = math.inf if value > 0 else -math.inf
            q = _quantise_centre if name in ("cx", "cy") else quantise
            _set(self, name, q(number))
        _validate(self)

    # --- derived -------------------------------------------------------------------------------
    @property
    def n_inputs(self) -> int:
        return (2 if self.inputs == "xy" else 3) + self.zdim

    @property
    def n_outputs(self) -> int:
        return 1 if self.color == "bw" else 3

    def hidden_widths(self) -> list[int]:
        """Neurons in each hidden layer, from the first to the last."""
        if self.schedule == "constant":
            return [self.width] * self.layers
        return [max(self.floor, self.width >> i) for i in range(self.layers)]

    def layer_dims(self) -> list[tuple[int, int]]:
        """(fan_in, fan_out) of every Linear layer, output layer included."""
        sizes = [self.n_inputs, *self.hidden_widths(), self.n_outputs]
        return list(zip(sizes[:-1], sizes[1:], strict=True))

    def work(self) -> int:
        """Multiply-adds to render: pixels x sum of fan_in*fan_out over the layers."""
        return self.w * self.h * sum(a * b for a, b in self.layer_dims())

    def cost(self) -> int:
        """What the budget counts: the multiply-adds, plus every hidden value's activation at its
        ACTIVATION_COST (`mix` at the activations the seed draws for each layer)."""
        from bot.art.network import layer_activations  # torch; the network module imports this

        pairs = zip(layer_activations(self), self.hidden_widths(), strict=True)
        per_pixel = sum(ACTIVATION_COST[a] * n for a, n in pairs)
        return self.work() + self.w * self.h * per_pixel

    def quote_seed(self) -> int:
        """The seed the quote is drawn with: the picture's own, or a variant's (New quote)."""
        if self.quote_variant == 0:
            return self.seed
        return (self.seed + self.quote_variant * 0x9E3779B1) % (MAX_SEED + 1)

    def with_size(self, w: int, h: int) -> Recipe:
        """The same picture at another resolution."""
        return replace(self, w=w, h=h)


def _set(recipe: Recipe, name: str, value: object) -> None:
    object.__setattr__(recipe, name, value)  # frozen dataclass: normalise in __post_init__


def _check_int(name: str, value: object, lo: int, hi: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise RecipeError(name, _shown(value), f"a whole number from {lo} to {hi}")


class _Approx(str):
    """A stand-in for a number too long to show (its repr is itself, unquoted)."""

    def __repr__(self) -> str:
        return str(self)


def _shown(value: object) -> object:
    """The value for an error message: a huge int by its size (repr of one over 4300 digits
    raises ValueError, and 400 digits make no clear line)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**30:
        return _Approx(f"~{'-' if value < 0 else ''}1e{math.floor(math.log10(abs(value)))}")
    return value


def _check_float(name: str, value: float, lo: float, hi: float) -> None:
    if not (math.isfinite(value) and lo <= value <= hi):
        raise RecipeError(name, value, f"a number from {lo:g} to {hi:g}")


def _check_choice(name: str, value: object, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise RecipeError(name, value, "one of " + ", ".join(choices))


def _check_unused(r: Recipe, name: str, applies: bool, when: str) -> None:
    """A parameter that does not apply must stay at its default, so codes stay canonical."""
    default = next(f.default for f in fields(Recipe) if f.name == name)
    if not applies and getattr(r, name) != default:
        raise RecipeError(name, getattr(r, name), f"only applies {when}")


def _validate(r: Recipe) -> None:
    _check_int("seed", r.seed, 0, MAX_SEED)
    _check_int("layers", r.layers, 0, MAX_LAYERS)
    _check_int("width", r.width, 1, MAX_WIDTH)
    _check_choice("schedule", r.schedule, SCHEDULES)
    _check_int("floor", r.floor, 1, MAX_WIDTH)
    _check_unused(r, "floor", r.schedule == "halving", "with schedule=halving")
    _check_choice("activation", r.activation, ACTIVATIONS)
    _check_choice("init", r.init, INITS)
    _check_float("std", r.std, *STD_RANGE)
    _check_unused(r, "std", r.init == "normal", "with init=normal")
    _check_float("range", r.range, *UNIFORM_RANGE)
    _check_unused(r, "range", r.init == "uniform", "with init=uniform")
    if not isinstance(r.hidden_bias, bool):
        raise RecipeError("hidden_bias", r.hidden_bias, "true or false")
    _check_choice("inputs", r.inputs, INPUTS)
    _check_int("zdim", r.zdim, 0, MAX_ZDIM)
    _check_choice("coords", r.coords, COORDS)
    _check_float("zoom", r.zoom, *ZOOM_RANGE)
    _check_float("cx", r.cx, -MAX_CENTRE, MAX_CENTRE)
    _check_float("cy", r.cy, -MAX_CENTRE, MAX_CENTRE)
    _check_choice("color", r.color, COLORS)
    _check_int("w", r.w, MIN_SIDE, MAX_SIDE)
    _check_int("h", r.h, MIN_SIDE, MAX_SIDE)
    _check_choice("quote", r.quote, QUOTES)
    if not isinstance(r.signature, bool):
        raise RecipeError("signature", r.signature, "true or false")
    _check_unused(r, "signature", r.quote == "generated", "with a generated quote")
    _check_int("quote_variant", r.quote_variant, 0, MAX_QUOTE_VARIANT)
    _check_unused(r, "quote_variant", r.quote == "generated", "with a generated quote")
    _check_choice("placement", r.placement, PLACEMENTS)
    if r.quote_engine not in QUOTE_ENGINES or isinstance(r.quote_engine, bool):
        raise RecipeError("quote_engine", r.quote_engine, "1 or 2")
    _check_choice("voice", r.voice, VOICE_NAMES)
    _check_unused(r, "voice", r.quote == "generated", "with a generated quote")
    _check_unused(r, "voice", r.quote_engine == 2, "with quote engine 2 (version-2 codes)")
    _check_float("blend_t", r.blend_t, 0.0, 1.0)
    _check_int("blend_seed", r.blend_seed, 0, MAX_SEED)
    _check_unused(r, "blend_seed", r.blend_t > 0, "to a blend (blend_t above 0)")
    if not isinstance(r.nudges, str) or r.nudges.strip(NUDGE_DIGITS):
        allowed = f"digits from {NUDGE_DIGITS[0]} to {NUDGE_DIGITS[-1]}"
        raise RecipeError("nudges", r.nudges, allowed)
    _check_choice("palette", r.palette, PALETTE_NAMES)
    _check_unused(r, "palette", r.color in PALETTE_COLORS, "with color rgb or bw")
    _check_choice("symmetry", r.symmetry, SYMMETRIES)
    check_budget(r, MAX_WORK)
    # The only tokens that can push a code past its limit: variations and blends without end,
    # palette and symmetry by a few characters when every other token is at its longest.
    if r.nudges or r.blend_t or r.palette != "none" or r.symmetry != "none":
        _check_code_length(r)


def _check_code_length(r: Recipe) -> None:
    from bot.art.code import MAX_CODE, format_code  # the code module imports this one

    code = format_code(r)
    if len(code) <= MAX_CODE:
        return
    if r.nudges or r.blend_t:
        raise RecipeError(
            "variations",
            f"{len(r.nudges)} deep",
            f"a replay code of at most {MAX_CODE} characters (this one would be {len(code)}): "
            "leave an option at its default, or vary an earlier picture of the line",
        )
    raise RecipeError(
        "options",
        f"{len(code)} characters of code",
        f"a replay code of at most {MAX_CODE} characters: leave an option at its default",
    )


def check_budget(r: Recipe, limit: float) -> None:
    """Reject a job whose cost (multiply-adds and activations, Recipe.cost) exceeds `limit`."""
    cost = r.cost()
    if cost > limit:
        raise RecipeError(
            "work",
            f"{cost / 1e9:,.0f} GMAC",
            f"at most {limit / 1e9:,.0f} GMAC (pixels x layer sizes, a sin, gaussian or softplus "
            "counting as 48-120); use fewer layers, a smaller width or size, or relu or tanh",
        )
