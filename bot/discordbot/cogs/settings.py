"""/settings: a server's defaults and limits for the requests made in it. Manage Server only;
with no option it shows what is in force. The options, bounds and descriptions come from
bot/discordbot/server.py's FIELDS."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot.cogs.daily import require_manage_guild
from bot.discordbot.messages import EMBED_COLOUR, NO_MENTIONS
from bot.discordbot.painter import Painter
from bot.discordbot.server import BY_NAME, FIELDS, ServerSettings


def _choices(name: str) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=c, value=c) for c in BY_NAME[name].choices]


def _bounds(name: str) -> tuple[float, float]:
    f = BY_NAME[name]
    return f.lo, f.hi  # type: ignore[return-value]


SIDE, LAYERS, COOLDOWN, JOBS = (
    _bounds(n) for n in ("max_side", "max_layers", "cooldown", "max_jobs")
)


class SettingsCog(commands.Cog):
    def __init__(self, painter: Painter) -> None:
        self.painter = painter

    @app_commands.command(
        name="settings", description="This server's defaults and limits for paintings"
    )
    # Explicit: the bot's defaults (user installs, DMs) would otherwise be merged in.
    @app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
    @app_commands.allowed_installs(guilds=True, users=False)
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.describe(reset="forget every setting of this server", **{f.name: f.describe
                           for f in FIELDS})  # fmt: skip
    @app_commands.choices(size=_choices("size"), voice=_choices("voice"), colour=_choices("colour"))
    async def settings(
        self,
        interaction: discord.Interaction,
        size: str | None = None,
        quote: bool | None = None,
        voice: str | None = None,
        colour: str | None = None,
        max_side: app_commands.Range[int, SIDE[0], SIDE[1]] | None = None,
        max_layers: app_commands.Range[int, LAYERS[0], LAYERS[1]] | None = None,
        cooldown: app_commands.Range[float, COOLDOWN[0], COOLDOWN[1]] | None = None,
        max_jobs: app_commands.Range[int, JOBS[0], JOBS[1]] | None = None,
        private: bool | None = None,
        reset: bool = False,
    ) -> None:
        guild = require_manage_guild(interaction, "this server's settings")
        given = {
            "size": size, "quote": quote, "voice": voice, "colour": colour,
            "max_side": max_side, "max_layers": max_layers, "cooldown": cooldown,
            "max_jobs": max_jobs, "private": private,
        }  # fmt: skip
        assert set(given) == set(BY_NAME)  # every field of FIELDS is an option here
        current = ServerSettings() if reset else await self.painter.server_of(interaction)
        new = current
        for name, value in given.items():
            if value is not None:
                new = new.changed(name, value)
        changed = reset or new != current
        if changed:
            await self.painter.set_server(guild, new, interaction.user.id)
        title = "Settings changed" if changed else "This server's settings"
        embed = discord.Embed(title=title, description=new.describe(), colour=EMBED_COLOUR)
        embed.set_footer(text="They apply to every painting asked for in this server.")
        await interaction.response.send_message(
            embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS
        )
