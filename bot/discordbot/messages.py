"""How results look on Discord: the file, the embed with the replay code, the buttons."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import discord

from bot.compose.encode import EXTENSIONS
from bot.describe import describe_recipe
from bot.discordbot.buttons import DeleteButton, PaintButton, RemixButton
from bot.discordbot.i18n import say
from bot.forms import Form
from bot.jobs import JobState, JobStatus
from bot.options import can_hd
from bot.pipeline import Picture
from bot.web.links import permalink

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
    f: Picture,
    *,
    requester: int | None,
    title: str = "",
    content: str | None = None,
    locale: discord.Locale | str | None = None,
    web_url: str = "",
) -> Result:
    """The message for a finished painting, animation or Vary grid: file, embed (replay code,
    recipe, and its page on the web site when the site has a public address) and buttons, its
    labels in `locale` where there is a translation."""
    recipe = f.recipe
    form = Form.parse(f.form)
    name = f"cppn-{f.code}.{EXTENSIONS[f.mime]}"
    embed = discord.Embed(
        title=title or None, description=_description(f, form, locale), colour=EMBED_COLOUR
    )
    page = permalink(web_url, f.code)
    if page:
        embed.url = page  # the title links to it; and a line says so
        embed.description = f"{embed.description}\n🌐 [{say(locale, 'on_the_web')}]({page})"
    embed.add_field(name=say(locale, "recipe"), value=describe_recipe(recipe), inline=False)
    if form.kind == "grid":
        codes = "\n".join(f"**{i}** `{code}`" for i, code in enumerate(f.tiles, 1))
        embed.add_field(name=say(locale, "their_codes"), value=codes, inline=False)
    if form.kind != "loop":  # an embed cannot show a video: Discord plays the attachment
        embed.set_image(url=f"attachment://{name}")
    took = sum(f.timings.values())
    footer = say(locale, "painted_in", seconds=f"{took:.1f}")
    if f.quote_engine not in (None, "custom"):
        footer += " · " + say(locale, "machine_made")
    if f.note:
        footer += f" · {f.note}"
    embed.set_footer(text=footer[:2048])
    file = discord.File(io.BytesIO(f.data), filename=name)
    return Result(content, embed, file, result_view(f, requester))


def _description(f: Picture, form: Form, locale) -> str:
    if form.kind == "grid":
        head = say(locale, "variations_of", strength=form.strength, code=f.code)
        return f"{head}\n-# {say(locale, 'take_one')}"
    hint = say(locale, "paste_animation" if form.kind == "loop" else "paste_picture")
    return f"{say(locale, 'replay_code', code=f.code)}\n-# {hint}"


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


def progress_text(
    state: JobState, kind: str = "still", locale: discord.Locale | str | None = None
) -> str:
    """The live status of a request (`kind`: the job's form), in the person's language."""
    eta = _eta(state.eta_s, locale)
    what = say(locale, {"loop": "your_animation", "grid": "your_variations"}.get(
        kind, "your_painting"))  # fmt: skip
    if state.status == JobStatus.QUEUED and state.position:
        n = state.position
        ahead = say(locale, "one_ahead") if n == 1 else say(locale, "many_ahead", n=n)
        return say(locale, "queued_behind", what=what, ahead=ahead, eta=eta)
    if state.status == JobStatus.QUEUED:
        return say(locale, "queued_next", what=what, eta=eta)
    if kind == "loop" and state.progress:
        done, total = state.progress
        return say(locale, "animating", done=done, total=total, eta=eta)
    return say(locale, "painting", eta=eta)


def _eta(seconds: float | None, locale: discord.Locale | str | None = None) -> str:
    """Coarse on purpose: the message is edited only when this text changes. In the person's
    units (秒 and 分 in Japanese, ...)."""
    s = max(1.0, seconds or 1.0)
    if s < 10:
        return say(locale, "eta_seconds", n=math.ceil(s))
    if s < 90:
        return say(locale, "eta_seconds", n=5 * math.ceil(s / 5))
    return say(locale, "eta_minutes", n=round(s / 60))


def error_text(message: str) -> str:
    text = message[:1].upper() + message[1:]
    return f"⚠️ {text}" if text.endswith((".", "!", "?")) else f"⚠️ {text}."
