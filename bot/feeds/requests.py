"""What a mention asks for: `@bot paint layers:16 zoom:4 colour:hsv`, `@bot replay CODE size:2x`.

The words are read by the one options parser (bot/optiontext.py: the options /paint
and /replay take, their names and types read from there; Discord's Remix box uses it too), then
turned into a job by the same functions, so a mention, a slash command and a button mean the
same thing.
Plain functions, no discord.py.
"""

from __future__ import annotations

from bot.errors import UserError
from bot.options import PaintOptions, paint_job, replay_job
from bot.optiontext import (
    OPTION_WORD,
    PAINT_OPTIONS,
    REPLAY_OPTIONS,
    parse_options,
    split_words,
)
from bot.pipeline import PaintSpec

__all__ = ["PAINT_OPTIONS", "REPLAY_OPTIONS", "VERBS", "parse_request"]
VERBS = ("paint", "replay")


def parse_request(text: str, byte_limit: int) -> PaintSpec | None:
    """The job a mention's text asks for; None if it asks for none (no `paint` or `replay`
    after the mentions); UserError naming what was wrong."""
    words = [w for w in split_words(text) if not w.startswith("@")]
    if not words or words[0].lower() not in VERBS:
        return None
    verb, rest = words[0].lower(), words[1:]
    if verb == "paint":
        given = parse_options(rest, PAINT_OPTIONS, "paint")
        return paint_job(PaintOptions(**given), byte_limit)  # type: ignore[arg-type]
    if not rest or OPTION_WORD.fullmatch(rest[0]):
        raise UserError("replay needs a code: replay 2-1a size:2x")
    given = parse_options(rest[1:], REPLAY_OPTIONS, "replay")
    return replay_job(rest[0], byte_limit, **given)  # type: ignore[arg-type]
