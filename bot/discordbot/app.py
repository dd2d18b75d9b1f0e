"""The discord.py bot: minimal intents, cogs, persistent buttons, the error handler.

Everything it uses comes in through the constructor (the queue, the store, and factories for the
painter and the daily poster, which post through this client), as in discord.py's advanced_startup
example; `bot.discordbot.runner` builds them.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Callable
from datetime import UTC, date, datetime

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot import messages
from bot.discordbot.buttons import DeleteButton, PaintButton, RemixButton, remix_values
from bot.discordbot.cogs.daily import DailyCog
from bot.discordbot.cogs.history import HistoryCog, HistoryPage
from bot.discordbot.cogs.menus import MenusCog
from bot.discordbot.cogs.paint import PaintCog
from bot.discordbot.cogs.settings import SettingsCog
from bot.discordbot.daily import DailyPoster
from bot.discordbot.i18n import Translator, say
from bot.discordbot.images import AttachmentReader
from bot.discordbot.messages import NO_MENTIONS
from bot.discordbot.painter import Painter, send_ephemeral
from bot.errors import UserError
from bot.jobs import RenderQueue
from bot.pipeline import Picture
from bot.schedule import post_nonce
from bot.settings import Settings
from bot.store import Store

log = logging.getLogger(__name__)
SYNCED_KEY = "commands-synced"  # guild_settings row (guild 0: the bot) holding the last sync's hash
REMOVED = "this command was removed; it will disappear from your list shortly"
CHANGED = "this command has changed; your list will update shortly, then try again"
RESYNC_EVERY_S = 600.0  # a stale command re-registers the commands at most this often

# Scopes and permissions the invite link asks for: post pictures with embeds, read back the
# channel's recent messages (to find a daily post cut short by a crash), use slash commands.
PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
)


INSTALLS = app_commands.AppInstallationType(guild=True, user=True)
CONTEXTS = app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=True)


def intents() -> discord.Intents:
    """Only guild events: channels for /daily, nothing of members or message content."""
    return discord.Intents(guilds=True)


def invite_url(application_id: int, user: bool = False) -> str:
    """The link that adds the app to a server (the bot joins, with PERMISSIONS), or, with
    `user`, to a person's own account (commands only, usable in DMs and any server)."""
    if user:
        url = discord.utils.oauth_url(application_id, scopes=("applications.commands",))
        return url + "&integration_type=1"
    return (
        discord.utils.oauth_url(
            application_id, permissions=PERMISSIONS, scopes=("bot", "applications.commands")
        )
        + "&integration_type=0"
    )


class ChannelPublisher:
    """Posts the daily piece in a channel (the DailyPoster's Publisher)."""

    def __init__(self, client: discord.Client, web_url: str = "") -> None:
        self.client, self.web_url = client, web_url

    @staticmethod
    def marker(day: date) -> str:
        return f"**Piece of the day** · {day.isoformat()}"

    async def send(self, guild: int, channel: int, day: date, finished: Picture) -> int:
        ch = self.client.get_partial_messageable(channel, guild_id=guild)
        r = messages.result(
            finished, requester=None, title=f"Piece of the day · {day:%d %B %Y}",
            content=self.marker(day), web_url=self.web_url,
        )  # fmt: skip
        msg = await r.send_to(ch, nonce=post_nonce(guild, day))
        return msg.id

    async def find(self, guild: int, channel: int, day: date, after: float) -> int | None:
        ch = self.client.get_partial_messageable(channel, guild_id=guild)
        me = self.client.user
        since = datetime.fromtimestamp(after - 60, UTC)  # a minute of clock skew
        try:
            async for m in ch.history(limit=50, after=since):
                mine = me is not None and m.author.id == me.id
                if mine and self.marker(day) in (m.content or ""):  # null content is possible
                    return m.id
        except discord.Forbidden:  # no Read Message History: rely on the nonce alone
            log.warning("cannot read channel %s to look for a cut-short daily post", channel)
        return None


class ArtBot(commands.Bot):
    """The client. The painter and the daily poster post through it, so they are made by the
    factories given, from the bot itself, once it exists (no attribute is set from outside)."""

    def __init__(
        self,
        settings: Settings,
        queue: RenderQueue,
        store: Store,
        make_painter: Callable[[discord.Client], Painter],
        make_poster: Callable[[discord.Client], DailyPoster],
        reader: AttachmentReader | None = None,
        **options,
    ) -> None:
        # This bot never joins voice: discord.py's warnings about voice libraries are noise.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=commands.when_mentioned,  # no text commands; slash commands only
            intents=intents(),
            allowed_mentions=NO_MENTIONS,
            help_command=None,
            # Installable on a server and on a person's own account, usable in servers, DMs and
            # group DMs; server-only commands (/daily, /settings) narrow this themselves.
            allowed_installs=INSTALLS,
            allowed_contexts=CONTEXTS,
            **options,
        )
        self.settings, self.queue, self.store = settings, queue, store
        self.reader = reader or AttachmentReader()  # pictures to read replay codes from
        self.painter: Painter = make_painter(self)
        self.poster: DailyPoster = make_poster(self)
        self._daily_task: asyncio.Task | None = None
        self._resync_task: asyncio.Task | None = None
        self._resynced_at = -RESYNC_EVERY_S
        self.force_sync = False  # `cppn-bot run --resync`: sync even if nothing changed
        self.tree.on_error = self.on_app_command_error  # type: ignore[method-assign]

    async def setup_hook(self) -> None:
        await self.tree.set_translator(Translator())  # names and descriptions, when synced
        await self.add_cog(PaintCog(self.painter, self.queue, self.store, self.reader))
        await self.add_cog(DailyCog(self.store, self.poster))
        await self.add_cog(SettingsCog(self.painter))
        await self.add_cog(HistoryCog(self.store))
        await self.add_cog(MenusCog(self, self.painter, self.reader))
        self.add_dynamic_items(PaintButton, DeleteButton, RemixButton, HistoryPage)
        await self.queue.start()  # re-queued jobs are posted in their channels when done
        await self.painter.redeliver()
        if self.settings.sync_commands:
            await self._sync()
        self._daily_task = asyncio.create_task(self._daily_loop(), name="daily-post")

    async def _sync(self, force: bool = False) -> None:
        """Register the slash commands with Discord, only when they changed since the last
        sync this database remembers (Discord rate-limits command updates)."""
        guild = discord.Object(self.settings.discord_guild) if self.settings.discord_guild else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        payload = [c.to_dict(self.tree) for c in self.tree.get_commands(guild=guild)]
        digest = hashlib.sha256(
            json.dumps([self.application_id, guild and guild.id, payload], sort_keys=True).encode()
        ).hexdigest()
        key = f"{SYNCED_KEY}:{self.application_id}:{guild.id if guild else 'global'}"
        forced = force or self.force_sync
        if not forced and (await self.store.guild_settings(0)).get(key) == digest:
            log.info("slash commands unchanged since the last sync; not syncing")
            return
        synced = await self.tree.sync(guild=guild)
        await self.store.set_guild_setting(0, key, digest)
        log.info("synced %d slash commands", len(synced))

    def resync_soon(self) -> None:
        """Re-register the commands in the background (at most every RESYNC_EVERY_S)."""
        now = asyncio.get_running_loop().time()
        if not self.settings.sync_commands or now - self._resynced_at < RESYNC_EVERY_S:
            return
        self._resynced_at = now
        self._resync_task = asyncio.create_task(self._resync(), name="resync-commands")

    async def _resync(self) -> None:
        try:
            await self._sync(force=True)
        except discord.HTTPException as e:
            log.warning("re-syncing the slash commands failed: %s", e)

    async def _daily_loop(self) -> None:
        await self.wait_until_ready()
        await self.poster.run(self.settings.daily_check_s)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """A Remix box submitted: painted from what it holds (no state kept since it opened)."""
        if interaction.type != discord.InteractionType.modal_submit:
            return
        values = remix_values(dict(interaction.data or {}))
        if values is not None:
            await self.painter.on_remixed(interaction, *values)

    async def on_ready(self) -> None:
        log.info("connected as %s (%s) to %d servers", self.user, self.user and self.user.id,
                 len(self.guilds))  # fmt: skip

    async def on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """One clear ephemeral line for every user error; never a traceback in a channel."""
        cause = getattr(error, "original", error)
        if isinstance(error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
            # Discord still lists a command this version removed or changed: say so, re-sync.
            log.info("stale slash command %r; re-syncing", interaction.data and
                     interaction.data.get("name"))  # fmt: skip
            self.resync_soon()
            removed = isinstance(error, app_commands.CommandNotFound)
            text = messages.error_text(REMOVED if removed else CHANGED)
        elif isinstance(cause, UserError):
            text = messages.error_text(str(cause))
        elif isinstance(error, app_commands.TransformerError):
            text = messages.error_text(f"{error.value!r} is not a valid {error.type.name}")
        elif isinstance(error, app_commands.MissingPermissions):
            text = messages.error_text(
                "you need " + ", ".join(error.missing_permissions) + " for this"
            )
        elif isinstance(error, app_commands.NoPrivateMessage):
            text = messages.error_text("this command works in a server only")
        elif isinstance(error, app_commands.CheckFailure):
            text = messages.error_text("you cannot use this command here")
        else:
            log.error("command %s failed", interaction.command and interaction.command.name,
                      exc_info=cause)  # fmt: skip
            text = say(interaction.locale, "went_wrong")
        await send_ephemeral(interaction, text)

    async def close(self) -> None:
        tasks = [t for t in (self._daily_task, self._resync_task) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await super().close()
