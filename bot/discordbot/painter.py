"""From an interaction to a posted painting: cooldown, queue, progress, delivery, fallbacks.

The cogs and buttons turn options into a PaintSpec and call `Painter.paint`; everything about
waiting and posting lives here. Results reach the person through the interaction while its token
lives (15 minutes), else in the channel. The queue's `on_done` posts the results nobody is
waiting for: jobs re-queued after a restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import inspect
import logging
import math
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import discord

from bot.art.code import parse_code
from bot.compose.encode import DISCORD_DEFAULT_LIMIT
from bot.cooldown import Cooldown
from bot.discordbot import messages
from bot.discordbot.i18n import say
from bot.discordbot.messages import NO_MENTIONS
from bot.discordbot.server import ServerSettings
from bot.errors import BotError, QueueClosed, UserError
from bot.jobs import JobHandle, Owner, Priority, RenderQueue
from bot.jobs.model import JobResult, QueuedJob
from bot.options import BUTTON_ACTIONS, PaintOptions, button_job, paint_job, redrawn
from bot.optiontext import options_text, remix
from bot.pipeline import PaintSpec
from bot.store import RenderRow, Store

log = logging.getLogger(__name__)
TOKEN_LIFE_S = 15 * 60  # an interaction token can edit its response for this long
TOKEN_MARGIN_S = 60  # hand over to the channel this long before the token dies
ENVELOPE_BYTES = 64 * 1024  # room for the embed and multipart framing beside the file
MAX_EDITS_PER_S = 10.0  # progress edits of all waiting requests together
REDELIVER_WINDOW_S = 3600  # results finished but never posted are posted on start within this
HISTORY_LOOKBACK = 100  # messages read back to find a result posted just before a crash
RESTARTING = "the bot is restarting; try again in a minute"
LATER = (
    "🔁 The bot is restarting. Your painting stays in the queue and will be posted in this "
    "channel when it is back."
)


class Painter:
    """Takes paint requests from interactions and buttons to the queue and posts the results.
    The bot that serves the buttons holds it as `.painter`; `Painter.of(interaction)` finds it."""

    @staticmethod
    def of(interaction: discord.Interaction) -> Painter:
        """The painter of the bot this interaction came to (buttons are built by discord.py from
        a custom id alone, so this is how they reach it)."""
        painter = getattr(interaction.client, "painter", None)
        if not isinstance(painter, Painter):
            raise TypeError(f"{type(interaction.client).__name__} has no Painter as .painter")
        return painter

    def __init__(
        self,
        queue: RenderQueue,
        store: Store | None,
        cooldown: Cooldown,
        progress_s: float = 3.0,
        clock: Callable[[], float] = time.time,
        *,
        client: discord.Client | None = None,
        web_url: str = "",
    ) -> None:
        self.queue, self.store, self.cooldown = queue, store, cooldown
        self.web_url = web_url  # the web site's public address: results link to their page
        self.progress_s, self.clock = progress_s, clock
        self.client = client  # posts in channels what no interaction can deliver; None: nothing
        # Jobs a paint() call delivers itself (through the interaction, or in the channel when
        # that fails): on_done leaves them alone until paint() returns.
        self.watching: set[str] = set()
        self.closing = False  # shutting down: no new paintings
        self._servers: dict[int, ServerSettings] = {}  # read once from the store, then kept
        self._active = 0  # paint() calls in progress
        self._idle = asyncio.Event()
        self._idle.set()

    async def wait_idle(self, timeout: float) -> bool:
        """Wait for the requests in progress to deliver (shutdown); False on timeout."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
            return True
        except TimeoutError:
            return False

    # --- requests -----------------------------------------------------------------------------
    @staticmethod
    def byte_limit(interaction: discord.Interaction) -> int:
        limit = getattr(interaction, "filesize_limit", None) or DISCORD_DEFAULT_LIMIT
        return max(256 * 1024, limit - ENVELOPE_BYTES)

    async def server_of(self, interaction: discord.Interaction) -> ServerSettings:
        """The settings of the server the request comes from (the defaults outside one)."""
        guild = interaction.guild_id
        if guild is None or self.store is None:
            return ServerSettings()
        if guild not in self._servers:
            self._servers[guild] = ServerSettings.from_dict(await self.store.server_settings(guild))
        return self._servers[guild]

    async def set_server(self, guild: int, settings: ServerSettings, by: int) -> None:
        if self.store is not None:
            await self.store.set_server_settings(guild, settings.to_dict(), by)
        self._servers[guild] = settings

    @staticmethod
    def can_post_in_channel(interaction: discord.Interaction) -> bool:
        """Whether the bot may post in the interaction's channel itself: only when the command
        came through the server install (the bot is a member there). A user install, in DMs,
        group DMs or a server without the bot, is answered through the interaction alone: no
        channel posts, no channel history."""
        return interaction.guild_id is not None and interaction.is_guild_integration()

    async def paint(
        self,
        interaction: discord.Interaction,
        make: Callable[[int], PaintSpec | Awaitable[PaintSpec]],
        *,
        title: str = "",
        slow: bool = False,
    ) -> None:
        """Check, queue and follow one request. UserErrors raised before the job is queued
        reach the person as an ephemeral message (the cogs' error handler). The server's
        /settings apply: its cooldown, its cap on waiting jobs, its largest side and depth, and
        whether results are private. `slow`: `make` waits on something (a download), so the
        interaction is deferred first; an error after that replaces the "thinking" message."""
        if self.closing:
            raise UserError(RESTARTING)
        user = interaction.user.id
        server = await self.server_of(interaction)
        # Taken before the queue is awaited, so a second request sent meanwhile is refused;
        # given back if this one is refused (bad recipe, queue full, restarting).
        wait = self.cooldown.take(user, server.cooldown)
        if wait > 0:
            raise UserError(say(interaction.locale, "cooldown", seconds=math.ceil(wait)))
        deferred = False
        try:
            if len(self.queue.jobs_of(user)) >= server.max_jobs:
                raise UserError(
                    f"this server allows {server.max_jobs} waiting "
                    f"painting{'s' * (server.max_jobs != 1)} per person; wait for yours"
                )
            if slow:
                await interaction.response.defer(thinking=True, ephemeral=server.private)
                deferred = True
            spec = make(self.byte_limit(interaction))
            if inspect.isawaitable(spec):
                spec = await spec
            server.check(spec.recipe)
            # Where only the interaction can answer (a user install, or private results), the
            # job has no channel: nothing is ever posted there, not even after a restart.
            public = self.can_post_in_channel(interaction) and not server.private
            owner = Owner(user, interaction.guild_id, interaction.channel_id if public else None)
            job = await self.queue.submit(spec, owner, Priority.INTERACTIVE)
        except QueueClosed:
            self.cooldown.give_back(user)
            if deferred:
                return await _replace_thinking(interaction, RESTARTING)
            raise UserError(RESTARTING) from None
        except UserError as e:
            self.cooldown.give_back(user)
            if deferred:
                return await _replace_thinking(interaction, str(e))
            raise
        except BaseException:
            self.cooldown.give_back(user)
            raise
        self.watching.add(job.id)
        self._active += 1
        self._idle.clear()
        try:
            if not deferred:
                await interaction.response.defer(thinking=True, ephemeral=server.private)
            await self._follow(interaction, job, title)
        except discord.HTTPException as e:  # the interaction is gone: the channel gets it
            log.warning("interaction for job %s failed (%s); posting in the channel", job.id, e)
            await self._to_channel(job.request, await self._outcome(job))
        finally:
            self.watching.discard(job.id)
            self._active -= 1
            if self._active == 0:
                self._idle.set()

    async def paint_options(
        self, interaction: discord.Interaction, options: PaintOptions, *, title: str = ""
    ) -> None:
        """/paint's options (the server's defaults already in): checked at once (one line for a
        bad one), then painted; a seed nobody chose is re-drawn while its picture would be flat
        or noise (bot/art/lively.py renders small previews: off the event loop)."""
        spec = paint_job(options, self.byte_limit(interaction), redraw=False)  # UserError now

        async def make(_: int) -> PaintSpec:
            return await asyncio.to_thread(redrawn, spec, options)

        await self.paint(interaction, make, title=title, slow=True)

    async def _outcome(self, job: JobHandle) -> JobResult | BaseException:
        try:
            return await job.outcome()
        except BaseException as e:  # noqa: BLE001 - delivered as a message, never raised
            if isinstance(e, asyncio.CancelledError):
                raise
            return e

    async def _follow(self, interaction: discord.Interaction, job: JobHandle, title: str) -> None:
        """Show the queue position until the job ends, then the result, in the response."""
        deadline = interaction.created_at.timestamp() + TOKEN_LIFE_S - TOKEN_MARGIN_S
        shown = None
        while not job.done():
            left = deadline - self.clock()
            if left <= 0 and job.request.owner.channel is None:  # nowhere else to post it
                await interaction.edit_original_response(
                    content="🖌️ This one is taking a while: when it is done, its code will be "
                    "in /history."
                )
                await self._outcome(job)
                return
            if left <= 0:
                await interaction.edit_original_response(
                    content=say(interaction.locale, "taking_a_while")
                )
                await self._to_channel(job.request, await self._outcome(job))
                return
            try:
                await asyncio.wait_for(self._outcome(job), min(self._edit_every(), left))
            except TimeoutError:
                kind = job.request.spec.form.kind
                text = messages.progress_text(await job.state(), kind, interaction.locale)
                if text != shown:
                    await interaction.edit_original_response(content=text)
                    shown = text
        outcome = await self._outcome(job)
        if isinstance(outcome, JobResult):
            r = messages.result(
                outcome.picture, requester=interaction.user.id, title=title,
                locale=interaction.locale, web_url=self.web_url,
            )  # fmt: skip
            msg = await interaction.edit_original_response(
                content=None, embed=r.embed, attachments=[r.file], view=r.view,
                allowed_mentions=NO_MENTIONS,
            )  # fmt: skip
            await self._delivered(job.id, msg.channel.id, msg.id)
            return
        if isinstance(outcome, QueueClosed):  # shutting down: the store keeps it queued
            await interaction.edit_original_response(content=LATER)
            return
        await interaction.delete_original_response()
        await interaction.followup.send(
            messages.error_text(_message(outcome)), ephemeral=True, allowed_mentions=NO_MENTIONS
        )
        await self._delivered(job.id)

    def _edit_every(self) -> float:
        """Seconds between progress edits: slower as the queue grows, so all the waiting
        messages together stay under MAX_EDITS_PER_S (Discord allows about 50 requests/s)."""
        return max(self.progress_s, self.queue.pending() / MAX_EDITS_PER_S)

    # --- buttons ------------------------------------------------------------------------------
    async def on_button(self, interaction: discord.Interaction, action: str, code: str) -> None:
        async def guarded() -> None:
            def make(limit: int) -> PaintSpec:
                job = button_job(action, code, limit)
                if action == "zoom" and job.recipe == parse_code(code):
                    raise UserError("this picture is zoomed in as far as it goes")
                return job

            spec = BUTTON_ACTIONS.get(action)  # an unknown one fails in make(), with one line
            await self.paint(interaction, make, title=spec.title if spec else "")

        await reply_errors(interaction, guarded())

    async def on_remix(self, interaction: discord.Interaction, code: str) -> None:
        """The Remix button: a box with the code's options as words, and a quote field."""
        from bot.discordbot.buttons import RemixModal

        async def guarded() -> None:
            text = options_text(parse_code(code))
            await interaction.response.send_modal(RemixModal(code, text))

        await reply_errors(interaction, guarded())

    async def on_remixed(
        self, interaction: discord.Interaction, code: str, text: str, quote: str | None
    ) -> None:
        """The Remix box of `code` submitted: its options (the same words a feed mention takes)
        applied over the code's recipe (bot/optiontext.py `remix`), under the server's defaults
        and limits; a bad word or value is one ephemeral line naming it, and what the edit had
        to drop is said in the result's title."""

        async def guarded() -> None:
            server = await self.server_of(interaction)
            limit = self.byte_limit(interaction)
            edit = remix(parse_code(code), text, quote, limit, server.fill)
            server.check(edit.spec.recipe)  # an ephemeral line now, not after "thinking"

            async def make(_: int) -> PaintSpec:
                return await asyncio.to_thread(edit.redrawn)

            title = f"Remix · {edit.dropped}" if edit.dropped else "Remix"
            await self.paint(interaction, make, title=title, slow=True)

        await reply_errors(interaction, guarded())

    async def on_delete(self, interaction: discord.Interaction, requester: int) -> None:
        async def guarded() -> None:
            allowed = interaction.user.id == requester or interaction.permissions.manage_messages
            if not allowed:
                raise UserError(
                    "only the person who asked for this painting, or someone who may manage "
                    "messages here, can delete it"
                )
            await interaction.response.defer()
            if interaction.message is not None:
                await interaction.message.delete()

        await reply_errors(interaction, guarded())

    # --- results nobody is waiting for --------------------------------------------------------
    async def on_done(self, request: QueuedJob, outcome: JobResult | BaseException) -> None:
        """The queue's callback for every finished job; posts those no interaction follows."""
        if request.id in self.watching:
            return
        if request.priority != Priority.INTERACTIVE:
            return  # the daily poster follows its own jobs, re-queued ones included
        if self.store is not None:
            row = await self.store.get_render(request.id)
            if row is not None and row.delivered_at is not None:
                # Handed on again after a restart that cut the last hand-over short: it was
                # delivered then (the queue repeats on_done rather than lose a job).
                log.info(
                    "job %s was delivered before the restart; not posting it again", request.id
                )
                return
        await self._to_channel(request, outcome)

    async def _to_channel(self, request: QueuedJob, outcome: JobResult | BaseException) -> None:
        owner = request.owner
        if isinstance(outcome, QueueClosed):
            return  # shutting down: still queued in the store, posted after the next start
        if self.client is None or owner.channel is None:
            log.warning("job %s has no channel to post to; dropped", request.id)
            return
        channel = self.client.get_partial_messageable(owner.channel, guild_id=owner.guild)
        try:
            if isinstance(outcome, JobResult):
                r = messages.result(
                    outcome.picture, requester=owner.user,
                    content=f"<@{owner.user}>, here is the painting you asked for.",
                    web_url=self.web_url,
                )  # fmt: skip
                msg = await r.send_to(channel, nonce=job_nonce(request.id))
                await self._delivered(request.id, owner.channel, msg.id)
            else:
                await channel.send(
                    f"<@{owner.user}>, your painting could not be made: {_message(outcome)}",
                    allowed_mentions=NO_MENTIONS,
                )
                await self._delivered(request.id)
        except discord.HTTPException as e:
            log.error("posting job %s in channel %s failed: %s", request.id, owner.channel, e)

    async def _delivered(self, job_id: str, channel: int | None = None, msg: int | None = None):
        if self.store is not None:
            await self.store.mark_delivered(job_id, channel, msg)

    async def redeliver(self) -> int:
        """On start: paint again (replay is exact) what finished but was never posted."""
        if self.store is None:
            return 0
        count = 0
        for row in await self.store.undelivered(self.clock() - REDELIVER_WINDOW_S):
            if row.priority != Priority.INTERACTIVE or row.channel is None:
                continue
            posted = await self._find_posted(row)
            if posted is not None:  # it reached Discord; the process died before recording it
                log.info("render %s was posted as message %s before a restart", row.id, posted)
                await self.store.mark_delivered(row.id, row.channel, posted)
                continue
            try:
                stored = QueuedJob.from_row(row)
                await self.queue.submit(stored.spec, stored.owner, Priority.INTERACTIVE)
            except BotError as e:
                log.warning("could not re-post render %s: %s", row.id, e)
                continue
            await self.store.mark_delivered(row.id)  # its re-paint carries the delivery now
            count += 1
        if count:
            log.info("re-painting %d results that were finished but never posted", count)
        return count

    async def _find_posted(self, row: RenderRow) -> int | None:
        """The message that carries this render's result, if one is in its channel: the bot's,
        since the request, with the code in its embed, for this person (the interaction's
        response names them in its metadata; a channel post mentions them)."""
        if self.client is None or row.channel is None:
            return None
        me = self.client.user
        channel = self.client.get_partial_messageable(row.channel, guild_id=row.guild)
        since = datetime.fromtimestamp(row.created_at - 60, UTC)  # a minute of clock skew
        try:
            async for m in channel.history(limit=HISTORY_LOOKBACK, after=since):
                if me is None or m.author.id != me.id:
                    continue
                if not any(f"`{row.code}`" in (e.description or "") for e in m.embeds):
                    continue
                asker = m.interaction_metadata.user.id if m.interaction_metadata else None
                if asker == row.owner or f"<@{row.owner}>" in (m.content or ""):
                    return m.id
        except discord.HTTPException as e:  # no Read Message History, or Discord is down
            log.warning("cannot look in channel %s for render %s: %s", row.channel, row.id, e)
        return None


def job_nonce(job_id: str) -> int:
    """The nonce of a job's channel post: Discord drops a repeated send with it."""
    return int.from_bytes(hashlib.sha256(f"job {job_id}".encode()).digest()[:8], "big") >> 1


def _message(outcome: BaseException | JobResult) -> str:
    if isinstance(outcome, UserError):
        return str(outcome)
    if isinstance(outcome, BotError):
        return f"something went wrong on our side ({outcome})"
    return "something went wrong on our side"


async def reply_errors(interaction: discord.Interaction, work) -> None:
    """Run an interaction's work; a UserError becomes one ephemeral message, anything else is
    logged and gets a short apology. Never a traceback in the channel."""
    try:
        await work
    except UserError as e:
        await send_ephemeral(interaction, messages.error_text(str(e)))
    except Exception:
        log.exception("interaction %s failed", interaction.id)
        await send_ephemeral(interaction, say(getattr(interaction, "locale", None), "went_wrong"))


async def _replace_thinking(interaction: discord.Interaction, message: str) -> None:
    """An error after the interaction was deferred: the "thinking" message goes, one ephemeral
    line says why."""
    with contextlib.suppress(discord.HTTPException):
        await interaction.delete_original_response()
    await send_ephemeral(interaction, messages.error_text(message))


async def send_ephemeral(interaction: discord.Interaction, text: str) -> None:
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(
                text, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
    except discord.HTTPException as e:
        log.warning("could not tell interaction %s about an error: %s", interaction.id, e)
