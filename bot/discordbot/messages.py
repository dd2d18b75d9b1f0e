"""How results look on Discord: the file, the embed with the replay code, the buttons."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import discord

from bot.art.recipe import Recipe
from bot.compose.encode import EXTENSIONS
from bot.describe import describe_recipe
from bot.discordbot.buttons import DeleteButton, PaintButton
from bot.discordbot.options import can_hd
from bot.jobs import JobState, JobStatus
from bot.pipeline import Picture

NO_MENTIONS = discord.AllowedMentions.none()
EMBED_COLOUR = discord.Colour(0x6B5B95)


@dataclass(frozen=True)
class Result:
    """Everything one message with a finished painting carries."""

    content: str | None
    embed: discord.Embed
    file: discord.File
    view: discord.ui.View

    async def send_to(self, channel: discord.abc.Messageable, **extra) -> discord.Message:
        """Post as a new message (the interaction path edits its response instead)."""
        return await channel.send(
            self.content, embed=self.embed, file=self.file, view=self.view,
            allowed_mentions=NO_MENTIONS, **extra,
        )  # fmt: skip


def result(
    f: Picture, *, requester: int | None, title: str = "", content: str | None = None
) -> Result:
    """The message for a finished painting: file, embed (replay code, recipe) and buttons."""
    recipe = f.recipe
    name = f"cppn-{f.code}.{EXTENSIONS[f.mime]}"
    embed = discord.Embed(
        title=title or None,
        description=f"Replay code `{f.code}`\n-# paste it into `/replay` for the same picture",
        colour=EMBED_COLOUR,
    )
    embed.add_field(name="Recipe", value=describe_recipe(recipe), inline=False)
    embed.set_image(url=f"attachment://{name}")
    took = sum(f.timings.values())
    footer = f"painted in {took:.1f} s"
    if f.quote_engine not in (None, "custom"):
        footer += " · the quote is machine-made"
    if f.note:
        footer += f" · {f.note}"
    embed.set_footer(text=footer[:2048])
    file = discord.File(io.BytesIO(f.data), filename=name)
    return Result(content, embed, file, result_view(f.code, requester, recipe))


def result_view(code: str, requester: int | None, recipe: Recipe) -> discord.ui.View:
    """The buttons under a result (`recipe` is the code's). All their state is in their ids."""
    view = discord.ui.View(timeout=None)
    view.add_item(PaintButton("reroll", code))
    view.add_item(PaintButton("zoom", code))
    view.add_item(PaintButton("hd", code, disabled=not can_hd(recipe)))
    view.add_item(PaintButton("quote", code))
    view.add_item(DeleteButton(requester or 0))
    return view


def progress_text(state: JobState, what: str = "Your painting") -> str:
    if state.status == JobStatus.QUEUED and state.position:
        ahead = "1 painting" if state.position == 1 else f"{state.position} paintings"
        return f"🎨 {what} is in the queue behind {ahead}; ready in about {_eta(state.eta_s)}."
    if state.status == JobStatus.QUEUED:
        return f"🎨 {what} is next in the queue; ready in about {_eta(state.eta_s)}."
    return f"🖌️ Painting… ready in about {_eta(state.eta_s)}."


def _eta(seconds: float | None) -> str:
    """Coarse on purpose: the message is edited only when this text changes."""
    s = max(1.0, seconds or 1.0)
    if s < 10:
        return f"{math.ceil(s)} s"
    if s < 90:
        return f"{5 * math.ceil(s / 5)} s"
    return f"{round(s / 60)} min"


def error_text(message: str) -> str:
    text = message[:1].upper() + message[1:]
    return f"⚠️ {text}" if text.endswith((".", "!", "?")) else f"⚠️ {text}."
