"""/history show | delete: a person's own paintings (ephemeral, paginated with buttons whose ids
carry the page), and forgetting them. Posted messages stay where they are: they are the
person's to delete."""

from __future__ import annotations

import math
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot.messages import EMBED_COLOUR, NO_MENTIONS
from bot.errors import UserError
from bot.forms import Form
from bot.store import RenderRow, Store

PAGE = 10  # paintings per page
MAX_PAGE = 1000


def message_link(row: RenderRow) -> str | None:
    if row.channel is None or row.message is None:
        return None
    return f"https://discord.com/channels/{row.guild or '@me'}/{row.channel}/{row.message}"


def line(row: RenderRow) -> str:
    kind = Form.parse(row.form).kind
    what = {"loop": " (animation)", "grid": " (Vary grid)"}.get(kind, "")
    link = message_link(row)
    when = f"<t:{int(row.created_at)}:R>"
    return f"`{row.code}`{what} · {when}" + (f" · [message]({link})" if link else "")


async def history_page(store: Store, user: int, page: int) -> tuple[discord.Embed, discord.ui.View]:
    total = await store.count_history(user)
    pages = max(1, math.ceil(total / PAGE))
    page = min(max(1, page), pages)
    rows = await store.history(user, PAGE, (page - 1) * PAGE)
    text = "\n".join(line(r) for r in rows) or "Nothing yet: paint something with `/paint`."
    embed = discord.Embed(title="Your paintings", description=text, colour=EMBED_COLOUR)
    embed.set_footer(text=f"page {page} of {pages} · {total} in all · /replay any code")
    view = discord.ui.View(timeout=None)
    view.add_item(HistoryPage(user, page - 1, "◀", disabled=page <= 1))
    view.add_item(HistoryPage(user, page + 1, "▶", disabled=page >= pages))
    return embed, view


class HistoryPage(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"cppn:history:(?P<user>[0-9]{1,20}):(?P<page>[0-9]{1,4})",
):
    """A page turn of /history (the message is ephemeral: only its person sees it)."""

    def __init__(self, user: int, page: int, label: str = "▶", disabled: bool = False) -> None:
        button: discord.ui.Button[Any] = discord.ui.Button(
            label=label, style=discord.ButtonStyle.secondary, disabled=disabled,
            custom_id=f"cppn:history:{user}:{max(0, min(page, MAX_PAGE))}",
        )  # fmt: skip
        super().__init__(button)
        self.user, self.page = user, page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: Any, /
    ) -> HistoryPage:
        return cls(int(match["user"]), int(match["page"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        from bot.discordbot.painter import reply_errors

        await reply_errors(interaction, self._turn(interaction))

    async def _turn(self, interaction: discord.Interaction) -> None:
        if interaction.user.id != self.user:
            raise UserError("this is someone else's history")
        store: Store = interaction.client.store  # type: ignore[attr-defined]
        embed, view = await history_page(store, self.user, self.page)
        await interaction.response.edit_message(embed=embed, view=view)


class HistoryCog(commands.Cog):
    history = app_commands.Group(name="history", description="Your paintings: codes and links")

    def __init__(self, store: Store) -> None:
        self.store = store

    @history.command(name="show", description="Your last paintings, newest first")
    @app_commands.describe(page="which page (10 a page)")
    async def show(
        self, interaction: discord.Interaction, page: app_commands.Range[int, 1, MAX_PAGE] = 1
    ) -> None:
        embed, view = await history_page(self.store, interaction.user.id, page)
        await interaction.response.send_message(
            embed=embed, view=view, ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    @history.command(name="delete", description="Forget your paintings (messages stay)")
    async def delete(self, interaction: discord.Interaction) -> None:
        n = await self.store.forget(interaction.user.id)
        await interaction.response.send_message(
            f"🧹 Forgot {n} painting{'s' * (n != 1)}: they are gone from /history and from "
            "/replay's suggestions. Messages already posted stay; delete them in Discord if you "
            "want them gone.",
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )
