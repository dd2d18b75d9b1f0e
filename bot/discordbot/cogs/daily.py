"""/daily set | off | status | now: a server's piece of the day. Manage Server only."""

from __future__ import annotations

import time
import zoneinfo
from datetime import UTC, date, datetime

import discord
from discord import app_commands
from discord.ext import commands

from bot.art.code import format_code
from bot.daily import daily_recipe
from bot.discordbot.daily import DailyPoster
from bot.discordbot.messages import NO_MENTIONS
from bot.errors import UserError
from bot.schedule import SETTING_KEY, DailyConfig, zone
from bot.store import Store


def link(guild: int, channel: int, message: int) -> str:
    return f"https://discord.com/channels/{guild}/{channel}/{message}"


def require_manage_guild(interaction: discord.Interaction, what: str = "the daily post") -> int:
    """The guild id, after checking in code what Discord's default permissions also hide."""
    if interaction.guild_id is None:
        raise UserError(f"{what} is set per server; use this in a server")
    if not interaction.permissions.manage_guild:
        raise UserError(f"you need the Manage Server permission to change {what}")
    return interaction.guild_id


ZONES = sorted(zoneinfo.available_timezones())
POST_NEEDS = ("view_channel", "send_messages", "embed_links", "attach_files")


def check_can_post(channel: discord.abc.GuildChannel) -> None:
    """Refuse a channel the bot cannot post pictures in, naming what is missing. (Where the
    bot's own member is not known, the first post's failure is logged instead.)"""
    guild = getattr(channel, "guild", None)
    me = getattr(guild, "me", None)
    if me is None:
        return
    perms = channel.permissions_for(me)
    missing = [p.replace("_", " ").title() for p in POST_NEEDS if not getattr(perms, p)]
    if missing:
        raise UserError(
            f"I cannot post pictures in <#{channel.id}>: I need {', '.join(missing)} there"
        )


class DailyCog(commands.Cog):
    daily = app_commands.Group(
        name="daily",
        description="A piece of the day, posted in a channel at a set time",
        allowed_contexts=app_commands.AppCommandContext(
            guild=True, dm_channel=False, private_channel=False
        ),
        allowed_installs=app_commands.AppInstallationType(guild=True, user=False),
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, store: Store, poster: DailyPoster) -> None:
        self.store, self.poster = store, poster

    async def _config(self, guild: int) -> DailyConfig | None:
        raw = (await self.store.guild_settings(guild)).get(SETTING_KEY)
        return DailyConfig.from_dict(raw) if isinstance(raw, dict) else None  # type: ignore[arg-type]

    async def zone_suggestions(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """IANA time zones whose name holds what was typed (there are about 600)."""
        typed = current.strip().lower().replace(" ", "_")
        names = [z for z in ZONES if typed in z.lower()]
        names.sort(key=lambda z: (not z.lower().startswith(typed), "/" not in z, z))
        return [app_commands.Choice(name=z, value=z) for z in names[:25]]

    @daily.command(name="set", description="Post a piece of the day in a channel at a time")
    @app_commands.describe(
        channel="where to post",
        time="24-hour local time, e.g. 09:00",
        timezone="an IANA time zone such as Europe/Paris, America/New_York or UTC",
    )
    @app_commands.autocomplete(timezone=zone_suggestions)
    async def set_daily(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel,
        time: app_commands.Range[str, 1, 8],
        timezone: app_commands.Range[str, 1, 64] = "UTC",
    ) -> None:
        guild = require_manage_guild(interaction)
        check_can_post(channel)
        cfg = DailyConfig.create(channel.id, time, timezone, since=_now())
        await self.store.set_guild_setting(guild, SETTING_KEY, cfg.to_dict())
        nxt = int(cfg.next_slot(_utcnow()).timestamp())
        await _reply(
            interaction,
            f"The piece of the day will be posted in <#{channel.id}> at {cfg.time} "
            f"({cfg.tz}). Next: <t:{nxt}:F> (<t:{nxt}:R>).",
        )

    @daily.command(name="off", description="Stop the daily post in this server")
    async def off(self, interaction: discord.Interaction) -> None:
        guild = require_manage_guild(interaction)
        removed = await self.store.delete_guild_setting(guild, SETTING_KEY)
        await _reply(interaction, "The daily post is off." if removed else "It was not on.")

    @daily.command(name="status", description="Where and when the daily post goes")
    async def status(self, interaction: discord.Interaction) -> None:
        guild = require_manage_guild(interaction)
        cfg = await self._config(guild)
        if cfg is None:
            await _reply(interaction, "No daily post here. Set one with `/daily set`.")
            return
        now = _utcnow()
        nxt = int(cfg.next_slot(now).timestamp())
        day, _ = cfg.latest_slot(now)
        slot = await self.store.slot(guild, day.isoformat())
        last = "not posted yet"
        if slot is not None and slot.status == "posted" and slot.message:
            last = f"posted: {link(guild, cfg.channel, slot.message)}"
        elif slot is not None:
            last = "being posted (or it failed: see the bot's log)"
        await _reply(
            interaction,
            f"Daily post in <#{cfg.channel}> at {cfg.time} ({cfg.tz}). Next: <t:{nxt}:F>.\n"
            f"{day.isoformat()}: `{daily_code(day)}`, {last}.",
        )

    @daily.command(name="now", description="Post today's piece now (once per day)")
    async def now(self, interaction: discord.Interaction) -> None:
        guild = require_manage_guild(interaction)
        cfg = await self._config(guild)
        if cfg is None:
            raise UserError("set the daily post first with /daily set")
        day = _utcnow().astimezone(zone(cfg.tz)).date()  # today, where the server lives
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            message = await self.poster.post(guild, cfg, day)
        except discord.Forbidden:
            raise UserError(
                f"I cannot post in <#{cfg.channel}>: I need View Channel, Send Messages, Embed "
                "Links and Attach Files there (the scheduled post will try again)"
            ) from None
        text = (
            "Today's piece is being posted right now."
            if message is None
            else f"Today's piece: {link(guild, cfg.channel, message)}"
        )
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)


def daily_code(day: date) -> str:
    return format_code(daily_recipe(day))


def _now() -> float:
    return time.time()


def _utcnow() -> datetime:
    return datetime.now(UTC)


async def _reply(interaction: discord.Interaction, text: str) -> None:
    await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
