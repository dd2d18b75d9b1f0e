"""The gallery's paint form: /paint's options, read with /paint's own parser and limits.

The form's fields and choices are built from the same lists as the Discord command (the recipe's
tuples, bot.options, the voices), and its values become a PaintSpec through
`paint_job`, so the site refuses exactly what /paint refuses, in the same words. One option is
left out: a custom quote cannot ride in a replay code, and a page is a code.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from bot.art import recipe as rc
from bot.art.palettes import PALETTE_NAMES
from bot.art.symmetry import SYMMETRIES
from bot.errors import UserError
from bot.options import (
    MAX_ZOOM,
    MIN_ZOOM,
    QUOTE_MODES,
    SIZES,
    SPREAD_RANGE,
    PaintOptions,
    paint_job,
)
from bot.pipeline import PaintSpec
from bot.quotes.voices import VOICES

INTS = {"layers": (0, rc.MAX_LAYERS), "width": (1, rc.MAX_WIDTH), "seed": (0, rc.MAX_SEED)}
FLOATS = {"spread": SPREAD_RANGE, "zoom": (MIN_ZOOM, MAX_ZOOM)}
CHOICES = {
    "activation": rc.ACTIVATIONS,
    "init": rc.INITS,
    "colour": rc.COLORS,
    "size": tuple(SIZES),
    "quote": tuple(q for q in QUOTE_MODES if q != "custom"),
    "voice": tuple(v.name for v in VOICES),
    "palette": PALETTE_NAMES,
    "symmetry": SYMMETRIES,
}
FLAGS = ("radius",)
FIELDS = (*INTS, *FLOATS, *CHOICES, *FLAGS)
MAX_FIELD = 40  # characters: every valid value is far shorter


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


def choices() -> dict[str, list[Choice]]:
    """Each select's options for the template, labelled as people read them."""
    out = {name: [Choice(v, v) for v in values] for name, values in CHOICES.items()}
    out["size"] = [Choice(n, f"{n} {w}×{h}") for n, (w, h) in SIZES.items()]
    out["voice"] = [Choice(v.name, v.label) for v in VOICES]
    return out


def read_form(form: Mapping[str, str]) -> PaintOptions:
    """The form's fields as /paint's options; UserError (one line) for an unknown field or a
    value that is not a number where one is wanted. Empty fields mean "not given"."""
    unknown = sorted(set(form) - set(FIELDS))
    if unknown:
        raise UserError(f"unknown field {unknown[0]!r}; the form has: {', '.join(FIELDS)}")
    given = {k: v.strip() for k, v in form.items() if v.strip()}
    for name, value in given.items():
        if len(value) > MAX_FIELD:
            raise UserError(f"{name} is too long: at most {MAX_FIELD} characters")
    kw: dict[str, object] = {}
    for name in INTS:
        if name in given:
            kw[name] = _number(name, given[name], int)
    for name in FLOATS:
        if name in given:
            kw[name] = _number(name, given[name], float)
    for name in CHOICES:
        if name in given:
            kw[name] = given[name]  # paint_job names the allowed values
    if "quote" in given and given["quote"] not in CHOICES["quote"]:
        raise UserError(f"quote {given['quote']!r} is not one of: {', '.join(CHOICES['quote'])}")
    if "radius" in given:
        kw["radius"] = given["radius"].lower() in ("on", "true", "1", "yes")
    return PaintOptions(**kw)  # type: ignore[arg-type]


def paint_spec(form: Mapping[str, str], byte_limit: int) -> PaintSpec:
    """The painting the form asks for (a new seed when none is given)."""
    return paint_job(read_form(form), byte_limit)


def _number(name: str, text: str, kind: type) -> int | float:
    what = "a whole number" if kind is int else "a number"
    try:
        value = kind(text)
    except ValueError:
        raise UserError(f"{name} {text!r} is not {what}") from None
    if not math.isfinite(value):
        raise UserError(f"{name} {text!r} is not {what}")
    return value
