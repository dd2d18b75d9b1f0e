"""What a mention asks for: `@bot paint layers:16 zoom:4 colour:hsv`, `@bot replay CODE size:2x`,
`@bot animate CODE seconds:2 size:small`, `@bot blend A B t:0.3`.

The words are read by the one options parser (bot/optiontext.py: the options /paint, /replay,
/animate and /blend take, their names and types read from the job functions' signatures; Discord's
Remix box uses it too), then turned into a job by the same functions, so a mention, a slash
command and a button mean the same thing.
Plain functions, no discord.py.
"""

from __future__ import annotations

from bot.errors import UserError
from bot.options import PaintOptions, animate_job, blend_job, paint_job, replay_job
from bot.optiontext import (
    OPTION_WORD,
    PAINT_OPTIONS,
    REPLAY_OPTIONS,
    job_options,
    parse_options,
    split_words,
)
from bot.pipeline import PaintSpec

__all__ = [
    "ANIMATE_OPTIONS",
    "BLEND_OPTIONS",
    "PAINT_OPTIONS",
    "REPLAY_OPTIONS",
    "USAGE",
    "VERBS",
    "parse_request",
    "usage",
]


ANIMATE_OPTIONS = job_options(animate_job)
BLEND_OPTIONS = job_options(blend_job)

# Each verb: the codes it needs first (their names), and an example. The one list: the verbs a
# mention understands, their usage lines and "needs a code" errors are all built from it.
USAGE: dict[str, tuple[tuple[str, ...], str]] = {
    "paint": ((), "paint layers:16 colour:hsv"),
    "replay": (("code",), "replay 2-1a size:2x"),
    "animate": (("code",), "animate 2-1a seconds:2 size:small"),
    "blend": (("code", "code"), "blend 2-1a 2-2b t:0.3"),
}
VERBS = tuple(USAGE)


def usage() -> str:
    """The verbs a mention understands, one example each, on one line."""
    return "; ".join(example for _, example in USAGE.values())


def parse_request(text: str, byte_limit: int, video_limit: int | None = None) -> PaintSpec | None:
    """The job a mention's text asks for; None if it asks for none (no verb of VERBS after the
    mentions); UserError naming what was wrong. `video_limit`: an animation's byte limit (the
    service's video limit; byte_limit when not given)."""
    words = [w for w in split_words(text) if not w.startswith("@")]
    if not words or words[0].lower() not in VERBS:
        return None
    verb, rest = words[0].lower(), words[1:]
    needs, example = USAGE[verb]
    codes = rest[: len(needs)]
    if len(codes) < len(needs) or any(OPTION_WORD.fullmatch(c) for c in codes):
        what = "a code" if len(needs) == 1 else f"{len(needs)} codes"
        raise UserError(f"{verb} needs {what}: {example}")
    options = rest[len(needs) :]
    if verb == "paint":
        given = parse_options(options, PAINT_OPTIONS, verb)
        return paint_job(PaintOptions(**given), byte_limit)  # type: ignore[arg-type]
    if verb == "replay":
        given = parse_options(options, REPLAY_OPTIONS, verb)
        return replay_job(codes[0], byte_limit, **given)  # type: ignore[arg-type]
    if verb == "animate":
        given = parse_options(options, ANIMATE_OPTIONS, verb)
        limit = byte_limit if video_limit is None else video_limit
        return animate_job(codes[0], limit, **given)  # type: ignore[arg-type]
    given = parse_options(options, BLEND_OPTIONS, verb)
    return blend_job(codes[0], codes[1], byte_limit, **given)  # type: ignore[arg-type]
