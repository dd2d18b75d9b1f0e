"""Localisation: command names and descriptions (discord.py's Translator, applied when the
commands are synced) and the replies on the common paths, in French, German, Spanish, Japanese
and Simplified Chinese. Anything without a translation is English.

The tables are bot/discordbot/locales/<locale>.json: "commands" maps an English command string
(a name, a description, an option, a choice) to its translation; "replies" maps a key of
REPLIES to its translated template (the same {fields}). tests/test_discord_i18n.py checks every
table against the synced commands and REPLIES.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import discord
from discord import app_commands
from discord.app_commands import TranslationContextLocation as Where

LOCALES_DIR = Path(__file__).parent / "locales"
LOCALES = ("fr", "de", "es-ES", "ja", "zh-CN")  # the tables there are; es-419 reads es-ES
ALSO = {"es-419": "es-ES"}
# What Discord accepts as a slash command's, group's or option's name.
NAME = re.compile(r"^[-_\w\u0900-\u097f\u0e00-\u0e7f]{1,32}$")
NAMES = (Where.command_name, Where.group_name, Where.parameter_name)

# The replies on the common paths, by key (English; the tables translate the templates).
REPLIES: dict[str, str] = {
    "queued_behind": "🎨 {what} is in the queue behind {ahead}; ready in about {eta}.",
    "queued_next": "🎨 {what} is next in the queue; ready in about {eta}.",
    "painting": "🖌️ Painting… ready in about {eta}.",
    "eta_seconds": "{n} s",  # the {eta} above
    "eta_minutes": "{n} min",
    "animating": "🎞️ Animating… {done} of {total} frames done; ready in about {eta}.",
    "your_painting": "Your painting",
    "your_animation": "Your animation",
    "your_variations": "Your variations",
    "one_ahead": "1 painting",
    "many_ahead": "{n} paintings",
    "replay_code": "Replay code `{code}`",
    "paste_picture": "paste it into `/replay` for the same picture",
    "paste_animation": "paste it into `/replay` for the same animation",
    "variations_of": "Four variations ({strength}) of `{code}`",
    "take_one": "take one on with its number: its own picture, code and buttons",
    "recipe": "Recipe",
    "their_codes": "Their codes",
    "painted_in": "painted in {seconds} s",
    "machine_made": "the quote is machine-made",
    "cooldown": "easy there: you can paint again in {seconds} s",
    "went_wrong": "⚠️ Something went wrong on our side; it has been logged.",
    "taking_a_while": "🖌️ This one is taking a while: I will post it in this channel.",
    "on_the_web": "its page on the web",
}


@cache
def table(locale: str) -> dict:
    """The locale's table ({} for English or a locale without one)."""
    locale = ALSO.get(locale, locale)
    path = LOCALES_DIR / f"{locale}.json"
    if locale not in LOCALES or not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def say(locale: discord.Locale | str | None, key: str, **fields: object) -> str:
    """The reply `key` in the person's language (English where there is no translation)."""
    code = locale.value if isinstance(locale, discord.Locale) else (locale or "")
    template = table(code).get("replies", {}).get(key) or REPLIES[key]
    return template.format(**fields)


class Translator(app_commands.Translator):
    """Command names, descriptions, options and choices, from the tables. A name that Discord
    would refuse (not lower case, spaces) falls back to English rather than break the sync."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContext,
    ) -> str | None:
        text = table(locale.value).get("commands", {}).get(string.message)
        if not text:
            return None
        menu = isinstance(context.data, app_commands.ContextMenu)  # free-form, ≤ 32
        name = context.location in NAMES and not menu
        if name and (text != text.lower() or not NAME.match(text)):
            return None
        limit = 32 if context.location in NAMES else 100
        return text if len(text) <= limit else None
