"""What a person's options mean as recipes: /paint presets, /replay overrides, /animate and
/blend, the result's buttons. Every adapter asks through here: Discord's commands and buttons, the
feeds' mentions (bot/optiontext.py reads them as words), the web site's form and sizes.

Pure functions of plain values (no discord.py), so the adapters stay thin and this is tested
alone. Every value is re-validated here or by Recipe, whatever Discord or a form already checked.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.art import recipe as rc
from bot.art.code import parse_code
from bot.art.explore import STRENGTHS, blend
from bot.art.lively import LIVELY_RANGE, LIVELY_STD, lively
from bot.art.palettes import PALETTE_NAMES
from bot.art.recipe import Recipe
from bot.art.symmetry import SYMMETRIES
from bot.compose.text import clean_custom_text
from bot.errors import RecipeError, UserError
from bot.forms import DEFAULT_ANIMATION_SIZE, MAX_SECONDS, Form, animation_sized
from bot.pipeline import PaintSpec
from bot.quotes.voices import DEFAULT_VOICE, VOICE_NAMES

# Shape presets: the long side stays at or under 1920 so a CPU renders them in seconds.
SIZES: dict[str, tuple[int, int]] = {
    "square": (1024, 1024),
    "landscape": (1280, 720),
    "portrait": (720, 1280),
    "wallpaper": (1920, 1080),
}
HD_LONG_SIDE = 3840  # 4K: the most /replay and the HD button will paint
# The weight spread /paint uses when none is given: the one per activation that gives the most
# lively pictures (neither flat nor noise), measured over seeds, depths, widths and inputs
# (bot/art/lively.py; tanh is the article's N(0, 1) and +-3).
SPREAD = LIVELY_STD
UNIFORM_SPREAD = LIVELY_RANGE
QUOTE_MODES = ("generated", "none", "custom")
REPLAY_SIZES = ("1x", "2x", "4k")  # /replay size: as coded, twice the pixels (up to 4K), 4K
# /paint spread: the weights' std (normal) or range (uniform), whichever the init uses.
SPREAD_RANGE = (
    min(rc.STD_RANGE[0], rc.UNIFORM_RANGE[0]),
    max(rc.STD_RANGE[1], rc.UNIFORM_RANGE[1]),
)
MIN_ZOOM, MAX_ZOOM = 0.01, 100.0  # /paint zoom: magnification (100: the article's x0.01)
MAX_ZOOM_IN = 64.0  # /replay zoom: how much closer than the code's own picture
ANIMATE_SECONDS = (1.0, MAX_SECONDS)  # /animate seconds (the CLI takes shorter, for morphs)


@dataclass(frozen=True)
class PaintOptions:
    """/paint's options as given; None means "not given, use the preset"."""

    layers: int | None = None
    width: int | None = None
    activation: str | None = None
    init: str | None = None
    spread: float | None = None
    zoom: float | None = None
    colour: str | None = None
    size: str | None = None
    radius: bool | None = None
    quote: str | None = None  # generated | none | custom
    text: str | None = None  # the custom quote
    seed: int | None = None
    voice: str | None = None  # the generated quote's voice (bot.quotes.voices); default any
    palette: str | None = None  # bot.art.palettes.PALETTE_NAMES; default none (the colour mode)
    symmetry: str | None = None  # bot.art.symmetry.SYMMETRIES; default none


# PaintOptions' names -> the Recipe fields they set (what `lively` must keep as given).
SETS = {
    "layers": ("layers",), "width": ("width",), "activation": ("activation",),
    "init": ("init",), "spread": ("std", "range"), "zoom": ("zoom",), "colour": ("color",),
    "size": ("w", "h"), "radius": ("inputs",), "seed": ("seed",), "palette": ("palette",),
    "symmetry": ("symmetry",),
}  # fmt: skip


def new_seed() -> int:
    return secrets.randbelow(rc.MAX_SEED + 1)


def paint_job(
    o: PaintOptions, byte_limit: int, seed: int | None = None, *, redraw: bool = True
) -> PaintSpec:
    """The job /paint asks for; raises UserError (one clear line) on any bad combination.
    Without a chosen seed, a dull draw (flat or noise) is re-drawn (bot/art/lively.py) unless
    `redraw` is off (a quick check of the options); the code carries the seed painted."""
    activation = o.activation or "tanh"
    init = o.init or "normal"
    _choice("activation", activation, rc.ACTIVATIONS)
    _choice("init", init, rc.INITS)
    _choice("size", o.size or "square", tuple(SIZES))
    _choice("colour", o.colour or "rgb", rc.COLORS)
    quote = o.quote or ("custom" if o.text else "generated")
    _choice("quote", quote, QUOTE_MODES)
    voice = o.voice or DEFAULT_VOICE
    _choice("voice", voice, VOICE_NAMES)
    palette, symmetry = o.palette or "none", o.symmetry or "none"
    _choice("palette", palette, PALETTE_NAMES)
    _choice("symmetry", symmetry, SYMMETRIES)
    if palette != "none" and (o.colour or "rgb") not in rc.PALETTE_COLORS:
        raise UserError(
            f"a palette colours rgb or bw pictures; hsv has its own colours: leave palette out "
            f"or pick colour:{' or colour:'.join(rc.PALETTE_COLORS)}"
        )
    if voice != DEFAULT_VOICE and quote != "generated":
        raise UserError(f"voice is for a generated quote; leave it out with quote:{quote}")
    if quote == "custom" and not (o.text and o.text.strip()):
        raise UserError("quote:custom needs your text in the text option")
    if o.text and quote != "custom":
        raise UserError("the text option is for quote:custom; leave it out or pick custom")
    if o.spread is not None and init == "default":
        raise UserError("spread does not apply to init:default (PyTorch's own ±1/√fan_in)")
    spread = o.spread if o.spread is not None else _default_spread(activation, init)
    w, h = SIZES[o.size or "square"]
    kw: dict[str, object] = dict(
        seed=o.seed if o.seed is not None else (seed if seed is not None else new_seed()),
        activation=activation,
        init=init,
        color=o.colour or "rgb",
        inputs="xyr" if o.radius else "xy",
        w=w,
        h=h,
        quote="generated" if quote == "generated" else "none",
        voice=voice,
        palette=palette,
        symmetry=symmetry,
    )
    for name in ("layers", "width"):
        if getattr(o, name) is not None:
            kw[name] = getattr(o, name)
    if o.zoom is not None:
        kw["zoom"] = 1.0 / _magnification(o.zoom)
    if init == "normal":
        kw["std"] = spread
    elif init == "uniform":
        kw["range"] = spread
    try:
        recipe = Recipe(**kw)  # RecipeError is a UserError naming the parameter and its range
    except RecipeError as e:
        if e.param in ("std", "range"):  # the person typed "spread"
            raise UserError(f"spread={e.value!r} is not allowed: {e.allowed}") from None
        raise
    text = clean_custom_text(o.text) if quote == "custom" else None
    spec = PaintSpec(recipe, custom_quote=text, byte_limit=byte_limit)
    return redrawn(spec, o) if redraw else spec


def redrawn(spec: PaintSpec, o: PaintOptions) -> PaintSpec:
    """The job with its seed re-drawn past a dull picture when the person chose none (the
    `seed` paint_job was given is only the first draw); renders small previews."""
    if o.seed is not None:
        return spec
    given = frozenset(f for name, fs in SETS.items() if getattr(o, name) is not None for f in fs)
    return replace(spec, recipe=lively(spec.recipe, given))


def _magnification(zoom: float) -> float:
    """Users' zoom is magnification (2: twice as close); the recipe's multiplies coordinates."""
    if not MIN_ZOOM <= zoom <= MAX_ZOOM:
        raise UserError(f"zoom {zoom:g} is not allowed: from {MIN_ZOOM:g} to {MAX_ZOOM:g}")
    return zoom


def _default_spread(activation: str, init: str) -> float:
    return UNIFORM_SPREAD[activation] if init == "uniform" else SPREAD[activation]


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise UserError(f"{name} {value!r} is not one of: {', '.join(allowed)}")


# --- replay and its overrides ------------------------------------------------------------------
def replay_job(
    code: str,
    byte_limit: int,
    *,
    size: str | None = None,
    zoom: float | None = None,
    text: str | None = None,
    new_quote: bool = False,
    voice: str | None = None,
) -> PaintSpec:
    """/replay: the code's picture, optionally bigger (2x or 4K), zoomed in, with another quote
    or another voice."""
    recipe = parse_code(code)
    if size is not None:
        recipe = resized(recipe, size)
    if zoom is not None:
        if not 1.0 <= zoom <= MAX_ZOOM_IN:
            raise UserError(f"zoom {zoom:g} is not allowed: from 1 (as painted) to {MAX_ZOOM_IN:g}")
        recipe = zoomed(recipe, zoom)
    if text is not None and new_quote:
        raise UserError("choose either your own text or a new quote, not both")
    if new_quote:
        recipe = another_quote(recipe)
    if voice is not None:
        if text is not None:
            raise UserError("choose either your own text or a voice, not both")
        recipe = revoiced(recipe, voice)
    custom = clean_custom_text(text) if text is not None else None
    return PaintSpec(recipe, custom_quote=custom, byte_limit=byte_limit)


def resized(r: Recipe, size: str) -> Recipe:
    """`2x` (twice the pixels per side, at most 4K) or `4k` (long side 3840); same framing."""
    _choice("size", size, REPLAY_SIZES)
    long_side = max(r.w, r.h)
    doubled = max(long_side, min(2 * long_side, HD_LONG_SIDE))  # never smaller than coded
    target = dict(zip(REPLAY_SIZES, (long_side, doubled, HD_LONG_SIDE), strict=True))[size]
    scale = target / long_side
    w, h = (max(rc.MIN_SIDE, min(rc.MAX_SIDE, round(side * scale))) for side in (r.w, r.h))
    return r.with_size(w, h)


def zoomed(r: Recipe, factor: float) -> Recipe:
    """The same picture `factor` times closer, about the same centre: the recipe's zoom
    multiplies the coordinates, so the view narrows when it shrinks; the centre stays put."""
    return replace(r, zoom=_clamp(r.zoom / factor, *rc.ZOOM_RANGE))


def _clamp(x: float, lo: float, hi: float) -> float:
    return min(hi, max(lo, x))


def another_quote(r: Recipe) -> Recipe:
    """The next quote for the same picture (a picture with no quote gets a generated one)."""
    if r.quote == "none":
        return replace(r, quote="generated", quote_variant=0)
    return replace(r, quote_variant=r.quote_variant % rc.MAX_QUOTE_VARIANT + 1)


def revoiced(r: Recipe, voice: str) -> Recipe:
    """The same picture and quote seed with the aphorism engine in `voice`: a version-1 code
    (the legacy engine, which has no voices) becomes a version-2 one."""
    _choice("voice", voice, VOICE_NAMES)
    if r.quote == "none":
        raise UserError("voice is for a generated quote, and this code has none (add new_quote)")
    return replace(r, quote_engine=2, voice=voice)


# --- motion and exploring ----------------------------------------------------------------------
def animate_job(
    code: str,
    byte_limit: int,
    *,
    seconds: float | None = None,
    fps: int | None = None,
    size: str | None = None,
) -> PaintSpec:
    """/animate: the code's picture as a loop (its latent z walks a circle), at an animation
    size (bot.forms.ANIMATION_SIZES) with the code's aspect."""
    given = {k: v for k, v in (("seconds", seconds), ("fps", fps)) if v is not None}
    loop = Form.loop(**given)  # type: ignore[arg-type]
    recipe = animation_sized(parse_code(code), size or DEFAULT_ANIMATION_SIZE)
    return PaintSpec(recipe, byte_limit=byte_limit, form=loop)


def blend_job(a: str, b: str, byte_limit: int, *, t: float | None = None) -> PaintSpec:
    """/blend: `a` with its weights t of the way to `b`'s (the same network, another seed)."""
    return PaintSpec(blend(parse_code(a), parse_code(b), 0.5 if t is None else t),
                     byte_limit=byte_limit)  # fmt: skip


# --- buttons -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ButtonAction:
    """One button under a result: what it is called, how it looks, and what it paints."""

    name: str  # in the custom id: cppn:<name>:<code>
    label: str
    emoji: str
    title: str  # the result's title
    vary: Callable[[Recipe, int | None], Recipe]  # (the code's recipe, a seed for re-roll)
    form: Form = Form()  # what the click makes of the varied recipe: a still, a loop, a grid


def _rerolled(r: Recipe, seed: int | None) -> Recipe:
    # A new picture gets the current engine; the voice stays (a version-1 code's is "any").
    return replace(
        r, seed=seed if seed is not None else new_seed(), quote_variant=0, quote_engine=2
    )


# The one list of buttons: the Discord buttons, their custom-id pattern and the painter's titles
# are all built from it.
BUTTONS: tuple[ButtonAction, ...] = (
    ButtonAction("reroll", "Re-roll", "🎲", "Re-rolled", _rerolled),
    ButtonAction("zoom", "Zoom ×2", "🔍", "Zoomed ×2", lambda r, _: zoomed(r, 2.0)),
    ButtonAction("hd", "HD", "🖼️", "HD", lambda r, _: resized(r, "2x")),
    ButtonAction("quote", "New quote", "💬", "New quote", lambda r, _: another_quote(r)),
    *(
        ButtonAction(
            f"vary-{s}", f"Vary ({s})", emoji, f"Variations ({s})", lambda r, _: r, Form.grid(s)
        )  # fmt: skip
        for s, emoji in zip(STRENGTHS, ("🌱", "🌪️"), strict=True)
    ),
    ButtonAction(
        "animate", "Animate", "🎞️", "Animated", lambda r, _: animation_sized(r), Form.loop()
    ),  # fmt: skip
    # A Vary grid's tiles 1-4 (labelled with their number), and an animation's still picture:
    # the code as it is, as a still.
    ButtonAction("pick", "Take", "👉", "Variation", lambda r, _: r),
    ButtonAction("still", "Still", "🖼️", "Still", lambda r, _: r),
)
BUTTON_ACTIONS: dict[str, ButtonAction] = {b.name: b for b in BUTTONS}


def button_job(action: str, code: str, byte_limit: int, seed: int | None = None) -> PaintSpec:
    """What a button on a result paints: the code, varied (the code carries the quote engine
    and voice: the variants keep them)."""
    if action not in BUTTON_ACTIONS:
        raise UserError(f"unknown button {action!r}")
    spec = BUTTON_ACTIONS[action]
    return PaintSpec(spec.vary(parse_code(code), seed), byte_limit=byte_limit, form=spec.form)


def can_hd(r: Recipe) -> bool:
    return max(r.w, r.h) < HD_LONG_SIDE
