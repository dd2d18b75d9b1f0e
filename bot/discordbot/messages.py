"""How results look on Discord: the file, the embed with the replay code, the buttons."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import discord

from bot.compose.encode import EXTENSIONS
from bot.describe import describe_recipe
from bot.discordbot.buttons import DeleteButton, PaintButton, RemixButton
from bot.discordbot.options import can_hd
from bot.forms import Form
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
    """The message for a finished painting, animation or Vary grid: file, embed (replay code,
    recipe) and buttons."""
    recipe = f.recipe
    form = Form.parse(f.form)
    name = f"cppn-{f.code}.{EXTENSIONS[f.mime]}"
    embed = discord.Embed(
        title=title or None, description=_description(f, form), colour=EMBED_COLOUR
    )
    embed.add_field(name="Recipe", value=describe_recipe(recipe), inline=False)
    if form.kind == "grid":
        codes = "\n".join(f"**{i}** `{code}`" for i, code in enumerate(f.tiles, 1))
        embed.add_field(name="Their codes", value=codes, inline=False)
    if form.kind != "loop":  # an embed cannot show a video: Discord plays the attachment
        embed.set_image(url=f"attachment://{name}")
    took = sum(f.timings.values())
    footer = f"painted in {took:.1f} s"
    if f.quote_engine not in (None, "custom"):
        footer += " · the quote is machine-made"
    if f.note:
        footer += f" · {f.note}"
    embed.set_footer(text=footer[:2048])
    file = discord.File(io.BytesIO(f.data), filename=name)
    return Result(content, embed, file, result_view(f, requester))


def _description(f: Picture, form: Form) -> str:
    if form.kind == "grid":
        return (
            f"Four variations ({form.strength}) of `{f.code}`\n-# take one on with its "
            "number: its own picture, code and buttons"
        )
    what = "animation" if form.kind == "loop" else "picture"
    return f"Replay code `{f.code}`\n-# paste it into `/replay` for the same {what}"


def result_view(f: Picture, requester: int | None) -> discord.ui.View:
    """The buttons under a result. All their state is in their ids: the codes, the requester.
    A still: re-roll, zoom, HD, new quote, animate, vary, remix; a Vary grid: its tiles 1-4; an
    animation: its still picture and a Vary."""
    view = discord.ui.View(timeout=None)
    kind = Form.parse(f.form).kind
    if kind == "grid":
        for i, code in enumerate(f.tiles, 1):
            view.add_item(PaintButton("pick", code, label=str(i), emoji=None))
    elif kind == "loop":
        view.add_item(PaintButton("still", f.code))
        view.add_item(PaintButton("vary-subtle", f.code))
    else:
        for action in ("reroll", "zoom", "hd", "quote", "animate", "vary-subtle", "vary-strong"):
            disabled = action == "hd" and not can_hd(f.recipe)
            view.add_item(PaintButton(action, f.code, disabled=disabled))
        view.add_item(RemixButton(f.code))
    view.add_item(DeleteButton(requester or 0))
    return view


def progress_text(state: JobState, what: str = "Your painting", kind: str = "still") -> str:
    if state.status == JobStatus.QUEUED and state.position:
        ahead = "1 painting" if state.position == 1 else f"{state.position} paintings"
        return f"🎨 {what} is in the queue behind {ahead}; ready in about {_eta(state.eta_s)}."
    if state.status == JobStatus.QUEUED:
        return f"🎨 {what} is next in the queue; ready in about {_eta(state.eta_s)}."
    if kind == "loop" and state.progress:
        done, total = state.progress
        return f"🎞️ Animating… {done} of {total} frames done; ready in about {_eta(state.eta_s)}."
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
