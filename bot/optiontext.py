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
from dataclasses import fields

from bot.art.recipe import Recipe
from bot.errors import UserError
from bot.options import SIZES, PaintOptions, replay_job
from bot.quotes.voices import DEFAULT_VOICE

ALIASES = {"color": "colour"}  # spellings a person may use -> the option's name
OPTION_WORD = re.compile(r"([A-Za-z_]+)[:=](.*)", re.S)
MAX_TEXT = 1000  # what is read of an options text


def _kinds(pairs: typing.Iterable[tuple[str, object]]) -> dict[str, type]:
    """Each option's value type, from `int | None`-style annotations."""
    out = {}
    for name, hint in pairs:
        args = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        out[name] = next(a for a in args if a is not type(None))
    return out


PAINT_OPTIONS = _kinds(typing.get_type_hints(PaintOptions).items())
_replay_hints = typing.get_type_hints(replay_job)
REPLAY_OPTIONS = _kinds(
    (p.name, _replay_hints[p.name])
    for p in inspect.signature(replay_job).parameters.values()
    if p.kind == p.KEYWORD_ONLY
)
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


def paint_options(text: str, quote: str | None = None) -> PaintOptions:
    """The /paint options a text gives (Remix), with `quote` as the custom quote if any."""
    given = parse_options(split_words(text), PAINT_OPTIONS, "paint")
    for name in ("text", "quote"):
        if name in given and quote:
            raise UserError(f"put your quote in the quote box, not as {name}: in the options")
    if quote and quote.strip():
        given.update(quote="custom", text=quote)
    return PaintOptions(**given)  # type: ignore[arg-type]


def options_text(r: Recipe) -> str:
    """A recipe as /paint options in words, as far as /paint can say it: the Remix box's start.
    (What /paint has no option for — a centre, latent inputs, a custom size, a blend or a line
    of variations — is not kept.)"""
    words = [f"layers:{r.layers}", f"width:{r.width}", f"activation:{r.activation}"]
    if r.init != "normal":
        words.append(f"init:{r.init}")
    if r.init in ("normal", "uniform"):
        words.append(f"spread:{_num(r.std if r.init == 'normal' else r.range)}")
    words.append(f"zoom:{_num(1 / r.zoom)}")
    words.append(f"colour:{r.color}")
    if r.palette != "none":
        words.append(f"palette:{r.palette}")
    if r.symmetry != "none":
        words.append(f"symmetry:{r.symmetry}")
    size = next((name for name, wh in SIZES.items() if wh == (r.w, r.h)), None)
    if size:
        words.append(f"size:{size}")
    if "r" in r.inputs:
        words.append("radius")
    if r.quote == "none":
        words.append("quote:none")
    elif r.voice != DEFAULT_VOICE:
        words.append(f"voice:{r.voice}")
    words.append(f"seed:{r.seed}")
    return " ".join(words)


def _num(x: float) -> str:
    return f"{x:.6g}"
