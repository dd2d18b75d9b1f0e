"""Message context menus: **Replay this image** (the replay code read back from a PNG the bot
made, or a re-upload of one) and **Paint this message** (a painting seeded from the message,
with its text as the quote)."""

from __future__ import annotations

import hashlib
import re

import discord
from discord import app_commands
from discord.ext import commands

from bot.art import recipe as rc
from bot.compose.text import MAX_CUSTOM
from bot.discordbot.images import AttachmentReader, fields, replay_from_picture
from bot.discordbot.painter import Painter
from bot.options import PaintOptions, paint_job
from bot.pipeline import PaintSpec

REPLAY_IMAGE = "Replay this image"
PAINT_MESSAGE = "Paint this message"
_USER, _ROLE, _CHANNEL = (
    re.compile(r"<@!?(\d+)>"),
    re.compile(r"<@&(\d+)>"),
    re.compile(r"<#(\d+)>"),
)
_EMOJI = re.compile(r"<a?:(\w+):\d+>")
_TIME = re.compile(r"<t:(-?\d+)(?::[tTdDfFR])?>")


def message_seed(message_id: int, text: str) -> int:
    """The painting of a message: the same message always paints the same picture."""
    digest = hashlib.blake2b(f"{message_id}\n{text}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % (rc.MAX_SEED + 1)


def quote_of(message: discord.Message) -> str | None:
    """The message's text as a quote: mentions, channels and emoji as the words people see
    (nothing on the picture looks like <@123>), cut to MAX_CUSTOM; None if there is no text."""
    text = message.content or ""
    names = {u.id: getattr(u, "display_name", None) or u.name for u in message.mentions}
    roles = {r.id: r.name for r in getattr(message, "role_mentions", [])}
    text = _USER.sub(lambda m: "@" + names.get(int(m.group(1)), "someone"), text)
    text = _ROLE.sub(lambda m: "@" + roles.get(int(m.group(1)), "role"), text)
    text = _CHANNEL.sub("#channel", text)
    text = _EMOJI.sub(r":\1:", text)
    text = _TIME.sub("a moment", text)
    text = " ".join(text.split())
    if not text:
        return None
    return text if len(text) <= MAX_CUSTOM else text[: MAX_CUSTOM - 1].rstrip() + "…"


def paint_message_job(message: discord.Message, byte_limit: int) -> PaintSpec:
    quote = quote_of(message)
    options = PaintOptions(
        seed=message_seed(message.id, message.content or ""),
        quote="custom" if quote else "generated",
        text=quote,
    )
    return paint_job(options, byte_limit)


class MenusCog(commands.Cog):
    def __init__(self, bot: commands.Bot, painter: Painter, reader: AttachmentReader) -> None:
        self.bot, self.painter, self.reader = bot, painter, reader
        self.menus = [
            app_commands.ContextMenu(name=REPLAY_IMAGE, callback=self.replay_image),
            app_commands.ContextMenu(name=PAINT_MESSAGE, callback=self.paint_message),
        ]

    async def cog_load(self) -> None:
        for menu in self.menus:
            self.bot.tree.add_command(menu)

    async def cog_unload(self) -> None:
        for menu in self.menus:
            self.bot.tree.remove_command(menu.name, type=menu.type)

    async def replay_image(self, interaction: discord.Interaction, message: discord.Message):
        # Refused at once, before any download, in one clear line.
        first = self.reader.first_readable([fields(a) for a in message.attachments])
        await self.painter.paint(
            interaction,
            lambda limit: replay_from_picture(self.reader, first, limit),
            title="Replay",
            slow=True,
        )

    async def paint_message(self, interaction: discord.Interaction, message: discord.Message):
        await self.painter.paint(
            interaction, lambda limit: paint_message_job(message, limit), title="A message, painted"
        )
