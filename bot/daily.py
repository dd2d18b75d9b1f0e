"""The piece of the day: one recipe per date, the same for every Discord server and every feed.

Derived from the date alone, so any day's piece can be replayed; its code is in every post.
Plain data, no Discord: the Discord daily poster and the feeds both paint it.
"""

from __future__ import annotations

import functools
import hashlib
from datetime import date

from bot.art.lively import lively
from bot.art.recipe import Recipe
from bot.quotes.voices import VOICE_NAMES

# A few looks that travel well as a daily post, all from the article's experiments.
_DAILY_LOOKS: tuple[dict[str, object], ...] = (
    {},
    {"layers": 12, "width": 24},
    {"activation": "sin", "std": 0.5},
    {"activation": "gaussian", "std": 0.9},
    {"activation": "mix"},
    {"inputs": "xyr", "layers": 8},
    {"width": 32, "std": 1.3},
    {"color": "hsv", "std": 1.2},
    {"init": "uniform", "range": 3.0, "layers": 6},
)


# From this day on the piece of the day has the aphorism engine and a voice drawn from the date;
# every earlier day keeps the legacy engine (version-1 code) that it was posted with.
DAILY_VOICES_FROM = date(2026, 12, 3)
# The voices a day may get: the first eight, so a voice added later moves no past day's piece.
_DAILY_VOICES = VOICE_NAMES[:8]


# From this day on a day whose seed paints a dull picture (flat or noise) gets the next lively
# seed in lively's fixed sequence (bot/art/lively.py); every earlier day keeps its piece.
DAILY_LIVELY_FROM = date(2026, 12, 4)


@functools.lru_cache(maxsize=64)
def daily_recipe(day: date) -> Recipe:
    """The piece of the day: derived from the date alone, so every server's can be replayed."""
    recipe = _drawn(day)
    return recipe if day < DAILY_LIVELY_FROM else lively(recipe)


def _drawn(day: date) -> Recipe:
    digest = hashlib.sha256(f"cppn-bot daily {day.isoformat()}".encode()).digest()
    seed = int.from_bytes(digest[:4], "big")
    look = _DAILY_LOOKS[digest[4] % len(_DAILY_LOOKS)]
    if day < DAILY_VOICES_FROM:
        return Recipe(seed=seed, w=1280, h=720, quote_engine=1, **look)  # type: ignore[arg-type]
    voice = _DAILY_VOICES[digest[5] % len(_DAILY_VOICES)]
    return Recipe(seed=seed, w=1280, h=720, voice=voice, **look)  # type: ignore[arg-type]
