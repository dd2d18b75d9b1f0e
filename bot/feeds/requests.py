"""What a mention asks for: `@bot paint layers:16 zoom:4 colour:hsv`, `@bot replay CODE size:2x`.

The words are read into the same options /paint and /replay take (bot.discordbot.options:
PaintOptions and replay_job's keywords, their names and types read from there), then turned into
a job by the same functions, so a mention, a slash command and a button mean the same thing.
Plain functions, no discord.py.
"""

from __future__ import annotations

import inspect
import re
import shlex
import types
import typing
from dataclasses import fields

from bot.discordbot.options import PaintOptions, paint_job, replay_job
from bot.errors import UserError
from bot.pipeline import PaintSpec

VERBS = ("paint", "replay")
ALIASES = {"color": "colour"}  # spellings a person may use -> the option's name
_OPTION = re.compile(r"([A-Za-z_]+)[:=](.*)", re.S)


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


def parse_request(text: str, byte_limit: int) -> PaintSpec | None:
    """The job a mention's text asks for; None if it asks for none (no `paint` or `replay`
    after the mentions); UserError naming what was wrong."""
    try:
        words = shlex.split(text)
    except ValueError:
        raise UserError("a quote mark is not closed") from None
    words = [w for w in words if not w.startswith("@")]
    if not words or words[0].lower() not in VERBS:
        return None
    verb, rest = words[0].lower(), words[1:]
    if verb == "paint":
        given = _options(rest, PAINT_OPTIONS, "paint")
        return paint_job(PaintOptions(**given), byte_limit)  # type: ignore[arg-type]
    if not rest or _OPTION.fullmatch(rest[0]):
        raise UserError("replay needs a code: replay 2-1a size:2x")
    given = _options(rest[1:], REPLAY_OPTIONS, "replay")
    return replay_job(rest[0], byte_limit, **given)  # type: ignore[arg-type]


def _options(words: list[str], kinds: dict[str, type], verb: str) -> dict[str, object]:
    given: dict[str, object] = {}
    for word in words:
        if kinds.get(word.lower()) is bool:  # a yes/no option alone: `new_quote`, `radius`
            given[word.lower()] = True
            continue
        m = _OPTION.fullmatch(word)
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
