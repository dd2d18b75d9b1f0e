"""The buttons under every result. Persistent: the replay code (or the requester, for Delete)
travels in the custom id, so a click works after a restart with nothing kept in memory."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.compose.text import MAX_CUSTOM
from bot.options import BUTTON_ACTIONS
from bot.optiontext import MAX_TEXT

if TYPE_CHECKING:
    from bot.discordbot.painter import Painter

CODE_CHARS = r"[0-9a-z.,\-]{3,80}"  # what a canonical replay code is made of
REMIX_TIMEOUT_S = 15 * 60


class PaintButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=rf"cppn:(?P<action>{'|'.join(BUTTON_ACTIONS)}):(?P<code>{CODE_CHARS})",
):
    """Paints from the code: a new seed, twice as close, bigger, another quote, an animation, a
    Vary's four variations, or one tile of a Vary (its label is the tile's number)."""

    def __init__(
        self,
        action: str,
        code: str,
        *,
        disabled: bool = False,
        label: str | None = None,
        emoji: str | None = "",
    ) -> None:
        spec = BUTTON_ACTIONS[action]
        button: discord.ui.Button[Any] = discord.ui.Button(
            label=label or spec.label,
            emoji=spec.emoji if emoji == "" else emoji,
            style=discord.ButtonStyle.secondary,
            custom_id=f"cppn:{action}:{code}",
            disabled=disabled,
        )
        super().__init__(button)
        self.action, self.code = action, code

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: Any, /
    ) -> PaintButton:
        return cls(match["action"], match["code"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await _painter(interaction).on_button(interaction, self.action, self.code)


class RemixButton(
    discord.ui.DynamicItem[discord.ui.Button], template=rf"cppn:remix:(?P<code>{CODE_CHARS})"
):
    """Opens a box with the picture's options as words (`layers:16 zoom:4 …`) and a quote
    field; what is submitted is painted (bot/optiontext.py reads it)."""

    def __init__(self, code: str) -> None:
        button: discord.ui.Button[Any] = discord.ui.Button(
            label="Remix", emoji="🎛️", style=discord.ButtonStyle.secondary,
            custom_id=f"cppn:remix:{code}",
        )  # fmt: skip
        super().__init__(button)
        self.code = code

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: Any, /
    ) -> RemixButton:
        return cls(match["code"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await _painter(interaction).on_remix(interaction, self.code)


REMIXED = re.compile(rf"cppn:remixed:(?P<code>{CODE_CHARS})")  # a Remix box's custom id


class RemixModal(discord.ui.Modal):
    """The Remix box: the code's options as words, edited over the code's own recipe (what the
    words cannot say is kept; bot/optiontext.py `remix`). Its submit is handled from its custom
    id and field ids alone (`remix_values`, ArtBot.on_interaction), so it works after a restart
    too; the instance discord.py keeps meanwhile does nothing."""

    def __init__(self, code: str, options: str, title: str = "Remix") -> None:
        super().__init__(title=title, timeout=REMIX_TIMEOUT_S, custom_id=f"cppn:remixed:{code}")
        self.code = code
        self.add_item(discord.ui.TextInput(
            label="Options", style=discord.TextStyle.paragraph, default=options,
            max_length=MAX_TEXT, placeholder="layers:16 width:32 zoom:4 colour:hsv seed:42",
            custom_id="options",
        ))  # fmt: skip
        self.add_item(discord.ui.TextInput(
            label="Your quote (empty: a generated one)", style=discord.TextStyle.paragraph,
            required=False, max_length=MAX_CUSTOM, custom_id="quote",
        ))  # fmt: skip

    async def on_submit(self, interaction: discord.Interaction) -> None:
        return None  # handled by ArtBot.on_interaction, restart or not


def remix_values(data: dict) -> tuple[str, str, str | None] | None:
    """(code, options, quote) of a submitted Remix box; None for any other modal."""
    box = REMIXED.fullmatch(str(data.get("custom_id", "")))
    if not box:
        return None
    values = {
        c.get("custom_id"): str(c.get("value") or "")
        for row in data.get("components", [])
        for c in row.get("components", [])
    }
    return box["code"], values.get("options", ""), values.get("quote") or None


class DeleteButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"cppn:delete:(?P<user>[0-9]{1,20})"
):
    """Deletes the result: the person who asked for it, or anyone who may manage messages."""

    def __init__(self, requester: int) -> None:
        button: discord.ui.Button[Any] = discord.ui.Button(
            label="Delete",
            emoji="🗑️",
            style=discord.ButtonStyle.secondary,
            custom_id=f"cppn:delete:{requester}",
        )
        super().__init__(button)
        self.requester = requester

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: Any, /
    ) -> DeleteButton:
        return cls(int(match["user"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await _painter(interaction).on_delete(interaction, self.requester)


def _painter(interaction: discord.Interaction) -> Painter:
    # Imported here: the painter's messages carry these buttons, so painter imports this module.
    from bot.discordbot.painter import Painter

    return Painter.of(interaction)
