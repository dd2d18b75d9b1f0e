"""Options as words: `layers:16 zoom:4 colour:hsv radius` <-> /paint's and /replay's options.

One parser for every place a person types options as text: the feeds' mentions
(bot/feeds/requests.py) and Discord's Remix box. The option names and types are read from
PaintOptions and replay_job's keywords (bot/options.py), never listed again here.
Plain functions, no discord.py.
"""

from __future__ import annotations

import inspect
import re
import shlex
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, fields, replace

from bot.art.explore import NETWORK_FIELDS
from bot.art.network import layer_activations
from bot.art.recipe import Recipe
from bot.errors import RecipeError, UserError
from bot.options import SETS, SIZES, PaintOptions, paint_job, redrawn, replay_job
from bot.pipeline import PaintSpec
from bot.quotes.voices import DEFAULT_VOICE

ALIASES = {"color": "colour"}  # spellings a person may use -> the option's name
OPTION_WORD = re.compile(r"([A-Za-z_]+)[:=](.*)", re.S)
MAX_TEXT = 1000  # what is read of an options text


def option_kinds(pairs: typing.Iterable[tuple[str, object]]) -> dict[str, type]:
    """Each option's value type, from `int | None`-style annotations."""
    out = {}
    for name, hint in pairs:
        args = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        out[name] = next(a for a in args if a is not type(None))
    return out


def job_options(job: typing.Callable) -> dict[str, type]:
    """A job function's options (its keyword-only parameters) and their types."""
    hints = typing.get_type_hints(job)
    return option_kinds(
        (p.name, hints[p.name])
        for p in inspect.signature(job).parameters.values()
        if p.kind == p.KEYWORD_ONLY
    )


PAINT_OPTIONS = option_kinds(typing.get_type_hints(PaintOptions).items())
REPLAY_OPTIONS = job_options(replay_job)
assert set(PAINT_OPTIONS) == {f.name for f in fields(PaintOptions)}


def split_words(text: str) -> list[str]:
    if len(text) > MAX_TEXT:
        raise UserError(f"that is {len(text)} characters of options; at most {MAX_TEXT}")
    try:
        return shlex.split(text)
    except ValueError:
        raise UserError("a quote mark is not closed") from None


def parse_options(words: list[str], kinds: dict[str, type], verb: str) -> dict[str, object]:
    """`name:value` words (and a yes/no option alone) -> {name: typed value}; UserError naming
    the word or option that is wrong."""
    given: dict[str, object] = {}
    for word in words:
        if kinds.get(word.lower()) is bool:  # a yes/no option alone: `new_quote`, `radius`
            given[word.lower()] = True
            continue
        m = OPTION_WORD.fullmatch(word)
        if not m:
            raise UserError(f"{word!r} is not an option like layers:16")
        name = ALIASES.get(m.group(1).lower(), m.group(1).lower())
        if name not in kinds:
            raise UserError(f"{verb} has no option {m.group(1)!r}; it has: {', '.join(kinds)}")
        given[name] = _value(name, kinds[name], m.group(2).strip())
    return given


def _value(name: str, kind: type, raw: str) -> object:
    if kind is bool:
        if raw.lower() in ("yes", "true", "on", "1", ""):
            return True
        if raw.lower() in ("no", "false", "off", "0"):
            return False
        raise UserError(f"{name}:{raw} is not yes or no")
    if kind in (int, float):
        try:
            return kind(raw)
        except ValueError:
            what = "a whole number" if kind is int else "a number"
            raise UserError(f"{name}:{raw} is not {what}") from None
    return raw.lower() if name != "text" else raw


def _given(text: str, quote: str | None) -> dict[str, object]:
    """The /paint options a text gives, with `quote` as the custom quote if any."""
    given = parse_options(split_words(text), PAINT_OPTIONS, "paint")
    for name in ("text", "quote"):
        if name in given and quote:
            raise UserError(f"put your quote in the quote box, not as {name}: in the options")
    if quote and quote.strip():
        given.update(quote="custom", text=quote)
    return given


# --- a recipe as words ---------------------------------------------------------------------------
# Values options_text leaves out, being /paint's own: a Remix reads a word left out as the
# recipe's value, not as a word taken out.
_UNSAID = {"init": "normal", "radius": False, "quote": "generated", "voice": DEFAULT_VOICE,
           "palette": "none", "symmetry": "none"}  # fmt: skip


def recipe_options(r: Recipe) -> dict[str, object]:
    """Every /paint option that says something of `r`, with the value its word reads back as
    (what /paint cannot say, a custom size included, is not here)."""
    said: dict[str, object] = {"layers": r.layers, "width": r.width, "activation": r.activation,
                               "init": r.init}  # fmt: skip
    if r.init in ("normal", "uniform"):
        said["spread"] = float(_num(r.std if r.init == "normal" else r.range))
    said.update(zoom=float(_num(1 / r.zoom)), colour=r.color, palette=r.palette,
                symmetry=r.symmetry)  # fmt: skip
    size = next((name for name, wh in SIZES.items() if wh == (r.w, r.h)), None)
    if size:
        said["size"] = size
    said.update(radius="r" in r.inputs, quote=r.quote)
    if r.quote == "generated":
        said["voice"] = r.voice
    said["seed"] = r.seed
    return said


def options_text(r: Recipe) -> str:
    """A recipe as /paint options in words, as far as /paint can say it: the Remix box's start.
    What /paint has no word for (a centre, latent inputs, a custom size, a blend, a line of
    variations, the quote's engine, variant and place) is not in the words, and a Remix keeps
    it (`remix`)."""
    words = []
    for name, value in _written(recipe_options(r)).items():
        if isinstance(value, bool):
            words.append(name)  # radius
        else:
            words.append(f"{name}:{_num(value) if isinstance(value, float) else value}")
    return " ".join(words)


def _written(said: dict[str, object]) -> dict[str, object]:
    return {name: value for name, value in said.items() if _UNSAID.get(name, ...) != value}


def _num(x: float) -> str:
    return f"{x:.6g}"


# --- Remix: the words applied over the code's own recipe ----------------------------------------
# What each /paint option sets in a recipe (options.SETS), for a Remix: an init brings its spread
# (a spread is the std or the range, whichever the init uses); a quote mode or text the quote's
# voice, variant, signature and engine; a voice the engine that has voices (as /replay voice:).
_QUOTE_FIELDS = ("quote", "voice", "quote_variant", "signature", "quote_engine")
REMIX_SETS: dict[str, tuple[str, ...]] = {
    **SETS,
    "init": SETS["init"] + SETS["spread"],
    "quote": _QUOTE_FIELDS,
    "text": _QUOTE_FIELDS,
    "voice": ("voice", "quote_engine"),
}
assert set(REMIX_SETS) == set(PAINT_OPTIONS)


@dataclass(frozen=True)
class Remix:
    """What a Remix box paints: the job, and one line on what the edit had to drop."""

    spec: PaintSpec
    dropped: str = ""  # "" when the edit keeps everything it did not change
    options: PaintOptions | None = None  # the words as /paint reads them (None: unchanged)

    def redrawn(self) -> PaintSpec:
        """The job, with a seed the person took out re-drawn past a dull picture, as /paint's
        (renders small previews: off the event loop). A kept blend keeps its drawn seed, which
        was checked against its partner's (`mix` draws the activations from the seed)."""
        o = self.options
        if o is None or o.seed is not None or self.spec.recipe.blend_t:
            return self.spec
        return redrawn(self.spec, o)


def remix(
    original: Recipe,
    text: str,
    quote: str | None,
    byte_limit: int,
    fill: Callable[[PaintOptions], PaintOptions] = lambda o: o,
) -> Remix:
    """The Remix box's words (and quote) applied over the code's recipe. A word left as it was,
    or a word the box never had, keeps the recipe's value, what /paint cannot say included; a
    changed or added word takes its new value and a word taken out /paint's default (`fill`: the
    server's). Checked as /paint checks (UserError, one line naming the word); a blend or a line
    of variations the edit makes meaningless is dropped, and `dropped` says so."""
    said = recipe_options(original)
    given = _given(text, quote)
    taken_out = {name: None for name in _written(said) if name not in given}
    now = {**said, **taken_out, **given}
    changed = {name for name in PAINT_OPTIONS if now.get(name) != said.get(name)}
    if not changed:
        return Remix(PaintSpec(original, byte_limit=byte_limit))
    options = fill(PaintOptions(**now))  # type: ignore[arg-type]
    # Checked as /paint would paint these words, less what is kept as it was and /paint would
    # refuse: a zoom from the Zoom button past /paint's, a voice for a quote now not generated.
    checked = options
    if "zoom" not in changed:
        checked = replace(checked, zoom=None)
    if "voice" not in changed and checked.quote not in (None, "generated"):
        checked = replace(checked, voice=None)
    fresh = paint_job(checked, byte_limit, redraw=False)
    fields_set = {f for name in changed for f in REMIX_SETS[name]}
    plain = _edited(original, {f: getattr(fresh.recipe, f) for f in fields_set})
    lines, dropped = _lines_kept(original, plain)
    return Remix(replace(fresh, recipe=_edited(plain, lines)), dropped, checked)


def _edited(r: Recipe, changes: dict[str, object]) -> Recipe:
    """`r` with the edit's fields, and without its blend and variations unless given back."""
    lines = dict(blend_seed=0, blend_t=0.0, nudges="")
    try:
        return replace(r, **{**lines, **changes})
    except RecipeError as e:
        if e.param in ("std", "range"):  # the person typed "spread"
            raise UserError(f"spread={e.value!r} is not allowed: {e.allowed}") from None
        raise


def _lines_kept(before: Recipe, after: Recipe) -> tuple[dict[str, object], str]:
    """Of `before`'s blend and variations, what `after` (the edit, without them) still carries
    as Recipe fields, and one line on what it cannot ("" when it carries them all).

    A blend is `t` of the way to the same network drawn from another seed (bot/art/explore.py),
    so it stays while the network is the same (the seed may change: a blend of the new picture
    with the same partner, as /blend makes it). A variation is a turn toward a draw keyed by the
    seed and the blend, so it also needs the same seed and blend. A centre, latent inputs and a
    size belong to no network: they always stay."""
    differ = _network_changes(before, after)
    kept: dict[str, object] = {}
    why = differ
    if before.blend_t:
        if not differ and _mix_differs(after, before.blend_seed):
            why = ["activations (mix draws them from the seed)"]
        if not why:
            kept.update(blend_seed=before.blend_seed, blend_t=before.blend_t)
        else:
            also = " and the variations taken from it" if before.nudges else ""
            return kept, _dropped(f"the blend with seed {before.blend_seed}{also}", why,
                                  plural=bool(before.nudges))  # fmt: skip
    if before.nudges:
        why = differ + (["seed"] if after.seed != before.seed else [])
        if not why:
            kept["nudges"] = before.nudges
        else:
            n = len(before.nudges)
            what = "the variation taken" if n == 1 else f"the {n} variations taken"
            return kept, _dropped(what, why, plural=n > 1)
    return kept, ""


def _network_changes(a: Recipe, b: Recipe) -> list[str]:
    """What defines the network (explore.NETWORK_FIELDS) that differs, in its words; the colour
    only where it changes the outputs drawn (bw has one; rgb and hsv read the same three)."""
    differ = [
        words for f, words in NETWORK_FIELDS.items()
        if getattr(a, f) != getattr(b, f) and (f != "color" or a.n_outputs != b.n_outputs)
    ]  # fmt: skip
    return list(dict.fromkeys(differ))  # std and range are both "spread"


def _mix_differs(r: Recipe, other_seed: int) -> bool:
    return layer_activations(r) != layer_activations(replace(r, seed=other_seed))


def _dropped(what: str, why: list[str], plural: bool) -> str:
    listed = why[0] if len(why) == 1 else f"{', '.join(why[:-1])} and {why[-1]}"
    need = "they need" if plural else "it needs"
    return f"{what} {'were' if plural else 'was'} dropped: {need} the same {listed}"
