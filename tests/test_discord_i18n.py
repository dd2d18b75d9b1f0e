"""Localisation: every command, group and option name and description has a translation in each
locale's table, each name is one Discord accepts, no table holds a string the bot no longer has,
the replies keep their {fields}; and end to end, the synced commands carry the French names and a
French person's request is answered in French."""

from __future__ import annotations

import string

import discord
import pytest
from discord import app_commands
from discord.ext import commands
from test_discord_e2e import USER, Bot, _paint, _ready

from bot.art.render import Renderer
from bot.compose import Compositor
from bot.discordbot.cogs.daily import DailyCog
from bot.discordbot.cogs.history import HistoryCog
from bot.discordbot.cogs.menus import PAINT_MESSAGE, REPLAY_IMAGE, MenusCog
from bot.discordbot.cogs.paint import PaintCog
from bot.discordbot.cogs.settings import SettingsCog
from bot.discordbot.i18n import LOCALES, NAME, REPLIES, say, table
from bot.discordbot.messages import progress_text
from bot.jobs.queue import JobState, JobStatus
from bot.pipeline import Pipeline
from bot.settings import Settings

Where = app_commands.TranslationContextLocation
MUST = {Where.command_name, Where.command_description, Where.group_name,
        Where.group_description, Where.parameter_name, Where.parameter_description}  # fmt: skip


async def _strings() -> dict[str, Where]:
    """Every string the commands hand a translator when they are synced, and where it goes."""
    seen: dict[str, Where] = {}

    class Recorder(app_commands.Translator):
        async def translate(self, s, locale, context):
            seen.setdefault(s.message, context.location)
            return None

    bot = commands.Bot(command_prefix="!", intents=discord.Intents.none())
    for cog in (PaintCog(None, None), DailyCog(None, None), SettingsCog(None), HistoryCog(None),
                MenusCog(bot, None, None)):  # type: ignore[arg-type]  # fmt: skip
        await bot.add_cog(cog)
    for command in bot.tree.get_commands(type=None):
        await command.get_translated_payload(bot.tree, Recorder())
    return seen


@pytest.mark.parametrize("locale", LOCALES)
async def test_every_command_string_is_translated_and_valid(locale):
    strings = await _strings()
    commands_table = table(locale)["commands"]
    missing = sorted(s for s, where in strings.items() if where in MUST and s not in commands_table)
    assert not missing, f"{locale} lacks {missing}"
    stale = sorted(set(commands_table) - set(strings))
    assert not stale, f"{locale} translates strings the bot no longer has: {stale}"
    for s, where in strings.items():
        text = commands_table.get(s)
        if text is None:
            continue
        if s in (REPLAY_IMAGE, PAINT_MESSAGE):  # a context menu's name: free-form
            assert 1 <= len(text) <= 32, (locale, s, text)
        elif where in (Where.command_name, Where.group_name, Where.parameter_name):
            assert NAME.match(text) and text == text.lower(), (locale, s, text)
        else:
            assert 1 <= len(text) <= 100, (locale, s, text)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_reply_is_translated_with_the_same_fields(locale):
    replies = table(locale)["replies"]
    assert set(replies) == set(REPLIES)
    for key, english in REPLIES.items():
        fields = {f for _, f, _, _ in string.Formatter().parse(english) if f}
        assert {f for _, f, _, _ in string.Formatter().parse(replies[key]) if f} == fields, key


@pytest.mark.parametrize(
    ("locale", "soon", "later"),
    [("en-US", "about 45 s", "about 4 min"), ("ja", "約 45 秒", "約 4 分"),
     ("zh-CN", "大约 45 秒", "大约 4 分钟"), ("de", "etwa 45 s", "etwa 4 Min.")],
)  # fmt: skip
def test_the_wait_is_said_in_the_persons_units(locale, soon, later):
    queued = progress_text(JobState(JobStatus.QUEUED, 3, 42.5), locale=locale)
    running = progress_text(JobState(JobStatus.RUNNING, None, 230.0), locale=locale)
    assert soon in queued and later in running


def test_a_locale_without_a_table_is_english():
    assert say("pt-BR", "recipe") == "Recipe" and say(None, "recipe") == "Recipe"
    assert say("es-419", "recipe") == say("es-ES", "recipe") != "Recipe"


async def test_french_names_are_synced_and_a_french_request_is_answered_in_french(
    fake, posters, tmp_path
):
    settings = Settings(db_path=str(tmp_path / "bot.db"), cooldown_s=0, health_port=0)
    bot = Bot(settings, Pipeline(Renderer.create("cpu"), Compositor(), None))
    try:
        await _ready(posters, 1)
        paint = next(c for c in fake.commands if c["name"] == "paint")
        fr = table("fr")["commands"]
        assert paint["name_localizations"]["fr"] == fr["paint"]
        assert (
            paint["description_localizations"]["ja"]
            == table("ja")["commands"][paint["description"]]
        )
        layers = next(o for o in paint["options"] if o["name"] == "layers")
        assert layers["name_localizations"]["de"] == table("de")["commands"]["layers"]
        for only_servers in ("settings", "daily"):  # server installs, in servers only
            cmd = next(c for c in fake.commands if c["name"] == only_servers)
            assert (cmd["integration_types"], cmd["contexts"]) == ([0], [0]), only_servers
        menu = next(c for c in fake.commands if c["name"] == REPLAY_IMAGE)
        assert menu["type"] == 3 and menu["name_localizations"]["fr"] == "Rejouer cette image"
        assert sorted(paint["integration_types"]) == [0, 1]
        assert sorted(paint["contexts"]) == [0, 1, 2]

        payload = fake.slash("replay", USER, code="2-7-d2w4s64x48q")
        payload["locale"] = "fr"
        result = await _paint(fake, payload)
        embed = result.json["embeds"][0]
        assert embed["fields"][0]["name"] == table("fr")["replies"]["recipe"] != "Recipe"
        assert embed["description"].startswith(say("fr", "replay_code", code="2-7-d2w4s64x48q"))
    finally:
        await bot.close()
