"""/paint, /replay, /queue, /about: options in, PaintJobs out. No rendering logic here."""

from __future__ import annotations

from collections.abc import Iterable

import discord
from discord import app_commands
from discord.ext import commands

from bot.art import recipe as rc
from bot.art.code import EXAMPLE, MAX_INPUT, parse_code
from bot.art.palettes import PALETTE_NAMES
from bot.art.symmetry import SYMMETRIES
from bot.compose.text import MAX_CUSTOM
from bot.discordbot import messages
from bot.discordbot.images import AttachmentReader, fields, replay_from_picture
from bot.discordbot.painter import Painter
from bot.errors import CodeError, UserError
from bot.forms import ANIMATION_SIZES, DEFAULT_ANIMATION_SIZE, MAX_FPS
from bot.jobs import JobStatus, RenderQueue
from bot.options import (
    ANIMATE_SECONDS,
    MAX_ZOOM,
    MAX_ZOOM_IN,
    MIN_ZOOM,
    QUOTE_MODES,
    REPLAY_SIZES,
    SIZES,
    SPREAD_RANGE,
    PaintOptions,
    animate_job,
    blend_job,
    replay_job,
)
from bot.quotes.voices import VOICES
from bot.store import Store

Text = app_commands.Range[str, 1, MAX_CUSTOM]


def _choices(values: Iterable[str]) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=v, value=v) for v in values]


# The voices as Discord choices: the label shows; the value is the name (as in codes, --voice).
VOICE_CHOICES = [app_commands.Choice(name=v.label[:100], value=v.name) for v in VOICES]
# The recipe's own lists, so a new activation, init or colour mode reaches /paint by itself.
ACTIVATION_CHOICES = _choices(rc.ACTIVATIONS)
INIT_CHOICES = _choices(rc.INITS)
COLOUR_CHOICES = _choices(rc.COLORS)
# And the options' own lists: sizes, quote modes, /replay's sizes.
SIZE_CHOICES = _choices(SIZES)
SYMMETRY_CHOICES = _choices(SYMMETRIES)
QUOTE_CHOICES = _choices(QUOTE_MODES)
REPLAY_SIZE_CHOICES = _choices(REPLAY_SIZES)
SIZES_IN_WORDS = ", ".join(f"{name} {w}×{h}" for name, (w, h) in SIZES.items())
# /animate's sizes: the long side of each (the code's aspect is kept).
ANIMATION_SIZE_CHOICES = [
    app_commands.Choice(name=f"{name} ({side} px on the long side)", value=name)
    for name, side in ANIMATION_SIZES.items()
]
Code = app_commands.Range[str, 1, MAX_INPUT]
SUGGESTIONS = 25  # Discord shows at most 25 autocomplete choices


def suggestion(code: str) -> str:
    """An autocomplete choice's label: the code and a few words of what it paints."""
    try:
        r = parse_code(code)
    except CodeError:
        return code[:100]
    return f"{code} · {r.w}×{r.h}, {r.layers} layers {r.activation}"[:100]


ABOUT = (
    "I paint abstract pictures with a **CPPN**: a small random neural network that maps each "
    "pixel's (x, y) to a colour. Deep, narrow networks fold space into swirls; wide ones "
    "splash like Pollock; PyTorch's default initialisation gives grey goo. A generated "
    '"philosopher" adds a quote, in the voice you pick (Stoic, the Tao, Nietzsche, …).\n\n'
    "**Replay codes** such as `2-3zk8q2-d16w32asen` hold the whole recipe: `2` is the format "
    "(and the quote engine; `1-` codes keep their old quotes), then the seed, then only what "
    "differs from the defaults (`d16` 16 layers, `w32` 32 neurons, `as` sin activation, "
    "`s1920x1080` the size, `en` the Nietzsche voice, …). Paste one into `/replay` for the "
    "same picture and quote, at any size.\n\n"
    "The ideas come from a Chinese article that ports otoro.net's CPPN demo to PyTorch and "
    "walks through its experiments: zoom (coordinates ×0.01), depth (0 to 16 layers), width "
    "(16 to 128 neurons), weight spread (±100, ±3, N(0, 1)) and layers that halve in width."
)


class PaintCog(commands.Cog):
    def __init__(
        self,
        painter: Painter,
        queue: RenderQueue,
        store: Store | None = None,
        reader: AttachmentReader | None = None,
    ) -> None:
        self.painter, self.queue, self.store = painter, queue, store
        self.reader = reader or AttachmentReader()

    async def palette_suggestions(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """The palettes whose name holds what was typed (the list of codes, in its order)."""
        typed = current.strip().lower()
        return [app_commands.Choice(name=p, value=p) for p in PALETTE_NAMES if typed in p][:25]

    async def code_suggestions(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """The person's last paintings, newest first, for any option that takes a code."""
        if self.store is None:
            return []
        typed = current.strip().lower()
        out: dict[str, str] = {}
        for row in await self.store.history(interaction.user.id, SUGGESTIONS * 2):
            if typed in row.code and row.code not in out:
                out[row.code] = suggestion(row.code)
        return [app_commands.Choice(name=n, value=c) for c, n in out.items()][:SUGGESTIONS]

    @app_commands.command(name="paint", description="Paint a new abstract picture with a quote")
    @app_commands.describe(
        layers=f"hidden layers, 0–{rc.MAX_LAYERS} (default 9): deeper is more folded",
        width=f"neurons per layer, 1–{rc.MAX_WIDTH} (default 16): wider is busier",
        activation="the neurons' curve (default tanh)",
        init="weights: normal (default), uniform, or PyTorch's default (grey goo)",
        spread="the weights' std (normal) or range (uniform); default suits the activation",
        zoom=f"magnification, {MIN_ZOOM:g}–{MAX_ZOOM:g} (100 is the article's x0.01)",
        colour="rgb, bw (black and white) or hsv",
        size=f"shape: {SIZES_IN_WORDS}",
        radius="add the distance from the centre as an input (rings and halos)",
        quote="a generated quote (default), none, or your own text",
        text=f"your own quote (with quote:custom), up to {MAX_CUSTOM} characters",
        seed=f"0–{rc.MAX_SEED}; default: a random one",
        voice="whose style the generated quote takes (default: any)",
        palette="colours from a curated palette (type to search), or random from the seed",
        symmetry="fold the picture: mirrors, four quarters, or a kaleidoscope of 3–12",
    )
    @app_commands.autocomplete(palette=palette_suggestions)
    @app_commands.choices(
        symmetry=SYMMETRY_CHOICES,
        voice=VOICE_CHOICES,
        activation=ACTIVATION_CHOICES,
        init=INIT_CHOICES,
        colour=COLOUR_CHOICES,
        size=SIZE_CHOICES,
        quote=QUOTE_CHOICES,
    )
    async def paint(
        self,
        interaction: discord.Interaction,
        layers: app_commands.Range[int, 0, rc.MAX_LAYERS] | None = None,
        width: app_commands.Range[int, 1, rc.MAX_WIDTH] | None = None,
        activation: str | None = None,
        init: str | None = None,
        spread: app_commands.Range[float, SPREAD_RANGE[0], SPREAD_RANGE[1]] | None = None,
        zoom: app_commands.Range[float, MIN_ZOOM, MAX_ZOOM] | None = None,
        colour: str | None = None,
        size: str | None = None,
        radius: bool | None = None,
        quote: str | None = None,
        text: Text | None = None,
        seed: app_commands.Range[int, 0, rc.MAX_SEED] | None = None,
        voice: str | None = None,
        palette: app_commands.Range[str, 1, 32] | None = None,
        symmetry: str | None = None,
    ) -> None:
        options = PaintOptions(
            layers, width, activation, init, spread, zoom, colour, size, radius, quote, text, seed,
            voice, palette and palette.strip().lower(), symmetry,
        )  # fmt: skip
        # The server's defaults (/settings) where the person gave none.
        filled = (await self.painter.server_of(interaction)).fill(options)
        await self.painter.paint_options(interaction, filled)

    @app_commands.command(name="replay", description="Paint a replay code again")
    @app_commands.describe(
        code=f"a replay code such as {EXAMPLE}, or a bare seed number",
        size="1x as coded, 2x (up to 4K), or 4k (3840 on the long side)",
        image="instead of a code: a PNG the bot made (its code is read from it)",
        zoom=f"look closer, 1–{MAX_ZOOM_IN:g} times",
        text="your own quote instead of the generated one",
        new_quote="a different generated quote for the same picture",
        voice="the same picture with a quote in this voice (a 1- code becomes a 2- one)",
    )
    @app_commands.choices(voice=VOICE_CHOICES, size=REPLAY_SIZE_CHOICES)
    @app_commands.autocomplete(code=code_suggestions)
    async def replay(
        self,
        interaction: discord.Interaction,
        code: app_commands.Range[str, 1, MAX_INPUT] | None = None,
        size: str | None = None,
        zoom: app_commands.Range[float, 1.0, MAX_ZOOM_IN] | None = None,
        text: Text | None = None,
        new_quote: bool = False,
        voice: str | None = None,
        image: discord.Attachment | None = None,
    ) -> None:
        if (code is None) == (image is None):
            raise UserError("give either a replay code or a picture the bot made (image), not both")
        overrides = dict(size=size, zoom=zoom, text=text, new_quote=new_quote, voice=voice)
        if code is not None:
            await self.painter.paint(
                interaction, lambda limit: replay_job(code, limit, **overrides), title="Replay"
            )
            return
        assert image is not None
        first = self.reader.first_readable([fields(image)])  # refused before any download
        await self.painter.paint(
            interaction,
            lambda limit: replay_from_picture(self.reader, first, limit, **overrides),
            title="Replay",
            slow=True,
        )

    @app_commands.command(name="animate", description="An animated loop of a replay code")
    @app_commands.describe(
        code=f"a replay code such as {EXAMPLE}",
        seconds=f"the loop's length, {ANIMATE_SECONDS[0]:g}–{ANIMATE_SECONDS[1]:g} s (default 4)",
        size=f"the long side (default {DEFAULT_ANIMATION_SIZE}); the code's shape is kept",
        fps=f"frames per second, 1–{MAX_FPS} (default 24)",
    )
    @app_commands.choices(size=ANIMATION_SIZE_CHOICES)
    @app_commands.autocomplete(code=code_suggestions)
    async def animate(
        self,
        interaction: discord.Interaction,
        code: Code,
        seconds: app_commands.Range[float, ANIMATE_SECONDS[0], ANIMATE_SECONDS[1]] | None = None,
        size: str | None = None,
        fps: app_commands.Range[int, 1, MAX_FPS] | None = None,
    ) -> None:
        await self.painter.paint(
            interaction,
            lambda limit: animate_job(code, limit, seconds=seconds, fps=fps, size=size),
            title="Animated",
        )

    @app_commands.command(name="blend", description="Blend two replay codes of one network")
    @app_commands.describe(
        a="the first code: its framing, size and quote are kept",
        b="the second code: the same network with another seed (a re-roll of a)",
        t="how far from a to b, 0–1 (default 0.5)",
    )
    @app_commands.autocomplete(a=code_suggestions, b=code_suggestions)
    async def blend(
        self,
        interaction: discord.Interaction,
        a: Code,
        b: Code,
        t: app_commands.Range[float, 0.0, 1.0] | None = None,
    ) -> None:
        await self.painter.paint(
            interaction, lambda limit: blend_job(a, b, limit, t=t), title="Blend"
        )

    @app_commands.command(name="queue", description="Your paintings in the queue, and its length")
    async def queue_status(self, interaction: discord.Interaction) -> None:
        lines = []
        for job in self.queue.jobs_of(interaction.user.id):
            state = await job.state()
            where = (
                f"#{state.position + 1} in line"
                if state.status == JobStatus.QUEUED and state.position is not None
                else state.status.value
            )
            lines.append(f"`{job.code}` — {where}, about {round(state.eta_s or 0)} s")
        mine = "\n".join(lines) or "You have nothing in the queue."
        total = self.queue.pending()
        cap = self.queue.limits.queue_max
        await interaction.response.send_message(
            f"{mine}\nThe queue holds {total} painting{'s' * (total != 1)} (at most {cap}).",
            ephemeral=True,
            allowed_mentions=messages.NO_MENTIONS,
        )

    @app_commands.command(name="about", description="What this bot is and how replay codes work")
    async def about(self, interaction: discord.Interaction) -> None:
        embed = discord.Embed(title="CPPN art bot", description=ABOUT, colour=messages.EMBED_COLOUR)
        embed.add_field(
            name="Commands",
            value=(
                "`/paint layers:16` · `/replay code` · `/animate code` · `/blend a b` · "
                "`/history show` · `/queue` · `/daily set` · `/settings` (admins)\nUnder each "
                "picture: **Vary** paints four siblings to pick from, **Animate** makes it "
                "move, **Remix** edits its options; on any message, **Apps → Replay this "
                "image** or **Paint this message**"
            ),
            inline=False,
        )
        site = getattr(self.painter, "web_url", "")
        if site:  # the web site's public address: every painting has a page there
            about = f"{site.rstrip('/')}/about"
            embed.add_field(name="On the web", value=f"{site} · [what a CPPN is]({about})")
            embed.url = site
        await interaction.response.send_message(
            embed=embed, ephemeral=True, allowed_mentions=messages.NO_MENTIONS
        )
