"""The Painter (interaction -> queue -> message) and the cogs, with hand-written fakes.

The queue, store and pipeline are real (tiny CPU renders); Discord is tests/discord_fakes.py.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import discord
import pytest
from discord import app_commands
from discord_fakes import FakeClient, FakeInteraction, Log
from test_jobs_support import FakeQuotes, GatedRenderer, tiny
from waiting import until

from bot.art.code import format_code, parse_code
from bot.compose import Compositor
from bot.cooldown import Cooldown
from bot.discordbot.app import ArtBot, ChannelPublisher, invite_url
from bot.discordbot.cogs.daily import DailyCog
from bot.discordbot.cogs.paint import PaintCog
from bot.discordbot.commands import application_id_from_token
from bot.discordbot.daily import DailyPoster
from bot.discordbot.painter import LATER, Painter, reply_errors
from bot.discordbot.server import ServerSettings
from bot.errors import UserError
from bot.jobs import Owner, Priority, create_queue
from bot.options import paint_job
from bot.pipeline import PaintSpec, Pipeline
from bot.schedule import SETTING_KEY
from bot.settings import Settings
from bot.store import Store


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
async def rig(renderer, tmp_path):
    store = await Store.open(tmp_path / "bot.db")
    gate = GatedRenderer(renderer)
    settings = Settings(db_path=str(tmp_path / "bot.db"), queue_max=3, user_max_pending=2)
    holder: dict = {}

    async def on_done(req, outcome):
        await holder["painter"].on_done(req, outcome)

    queue = create_queue(
        settings, store=store, pipeline=Pipeline(gate, Compositor(), FakeQuotes()), on_done=on_done
    )
    clock = Clock()
    painter = Painter(queue, store, Cooldown(30, clock=clock), progress_s=0.05)
    holder["painter"] = painter
    log = Log()
    painter.client = FakeClient(log)
    await queue.start()
    yield SimpleNamespace(
        store=store, gate=gate, queue=queue, painter=painter, log=log, clock=clock
    )
    gate.open()
    await queue.close()
    await store.close()


def job(seed: int = 1, **kw):
    return lambda limit: PaintSpec(tiny(seed, **kw), byte_limit=limit)


async def test_a_request_is_deferred_shows_progress_then_the_painting(rig):
    rig.gate.close()
    it = FakeInteraction(user=7, log=rig.log)
    task = asyncio.create_task(rig.painter.paint(it, job(3)))
    await until(rig.gate.entered.is_set)

    def progress() -> list[str]:
        return [e[1]["content"] or "" for e in rig.log if e[0] == "edit" and "content" in e[1]]

    await until(lambda: any("Painting" in p for p in progress()))  # shown while at the gate
    rig.gate.open()
    await asyncio.wait_for(task, 30)
    kinds = rig.log.kinds()
    assert kinds[0] == "defer" and rig.log[0][1]["thinking"]
    final = rig.log.last("edit")[1]
    assert final["attachments"][0].filename.endswith(".png")
    assert final["allowed_mentions"].to_dict() == {"parse": []}
    ids = [item.custom_id for item in final["view"].children]
    code = format_code(tiny(3))
    assert ids[:4] == [f"cppn:{a}:{code}" for a in ("reroll", "zoom", "hd", "quote")]
    assert ids[4:] == [
        f"cppn:{a}:{code}" for a in ("animate", "vary-subtle", "vary-strong", "remix")
    ] + ["cppn:delete:7"]
    assert code in final["embed"].description
    rows = await rig.store.renders_by_status()
    assert rows == {"done": 1}
    assert not await rig.store.undelivered(0)  # marked delivered


async def test_cooldown_and_caps_refuse_before_anything_is_deferred(rig):
    first = FakeInteraction(user=7, log=Log())
    await rig.painter.paint(first, job(1))
    again = FakeInteraction(user=7, log=Log())
    with pytest.raises(UserError, match="paint again in 30 s"):
        await rig.painter.paint(again, job(2))
    assert again.log == []
    rig.clock.t += 31
    await rig.painter.paint(again, job(2))  # the cooldown is over

    rig.gate.close()
    others = [FakeInteraction(user=u, log=Log()) for u in (1, 2, 3)]
    tasks = [asyncio.create_task(rig.painter.paint(i, job(10 + n))) for n, i in enumerate(others)]
    await until(lambda: rig.queue.pending() == 3)  # queue_max: the queue is full now
    full = FakeInteraction(user=4, log=Log())
    with pytest.raises(UserError, match="queue is full"):
        await rig.painter.paint(full, job(20))
    assert full.log == [] and rig.painter.cooldown.retry_after(4) == 0  # refusal costs nothing
    rig.gate.open()
    await asyncio.gather(*tasks)


async def test_two_requests_at_once_get_one_painting_inside_the_cooldown(rig):
    """The cooldown is taken before the queue is awaited: a second /paint sent while the first
    is being queued is refused, not accepted too."""
    a, b = (FakeInteraction(user=9, log=Log()) for _ in range(2))
    results = await asyncio.gather(
        rig.painter.paint(a, job(1)), rig.painter.paint(b, job(2)), return_exceptions=True
    )
    refused = [r for r in results if isinstance(r, UserError)]
    assert len(refused) == 1 and "paint again" in str(refused[0]), results
    assert (await rig.store.renders_by_status()) == {"done": 1}


async def test_a_refused_request_gives_its_cooldown_back(rig):
    """Refused by the queue (full) or by the recipe: the person may ask again at once."""

    def bad(limit):
        raise UserError("layers=99 is not allowed")

    it = FakeInteraction(user=5, log=Log())
    with pytest.raises(UserError, match="layers"):
        await rig.painter.paint(it, bad)
    assert rig.painter.cooldown.retry_after(5) == 0
    await rig.painter.paint(it, job(4))  # no "easy there"


async def test_a_failed_job_is_one_ephemeral_line(rig):
    rig.gate.poison.add(5)
    it = FakeInteraction(log=rig.log)
    await rig.painter.paint(it, job(5))
    assert "delete_original" in rig.log.kinds()
    note = rig.log.last("followup")[1]
    assert note["ephemeral"] and note["content"].startswith("⚠️")
    assert "\n" not in note["content"] and len(note["content"]) < 300  # one line, not a trace


async def test_an_expiring_token_hands_over_to_the_channel(rig):
    old = datetime.now(UTC) - timedelta(minutes=14, seconds=30)
    it = FakeInteraction(user=9, channel=555, created_at=old, log=rig.log)
    rig.painter.clock = time.time
    await rig.painter.paint(it, job(6))
    assert "taking a while" in rig.log.last("edit")[1]["content"]
    await rig.queue.idle()  # the queue's on_done has run too: nothing more can be posted
    assert rig.log.kinds().count("channel_send") == 1  # posted once, not by both
    post = rig.log.last("channel_send")[1]
    assert post["channel"] == 555 and post["content"].startswith("<@9>")
    assert post["allowed_mentions"].to_dict() == {"parse": []}
    assert post["file"].filename.endswith(".png")


async def test_results_nobody_waits_for_go_to_their_channel(rig):
    await rig.queue.submit(PaintSpec(tiny(8)), Owner(11, 100, 777))
    await rig.queue.idle()
    post = rig.log.last("channel_send")[1]
    assert post["channel"] == 777 and "<@11>" in post["content"]
    await rig.queue.submit(PaintSpec(tiny(9)), Owner(100, 100, 778), Priority.SCHEDULED)
    await rig.queue.idle()  # a scheduled job is the daily poster's to post, never on_done's
    assert all(e[1]["channel"] != 778 for e in rig.log if e[0] == "channel_send")


async def test_a_result_finished_but_never_posted_is_painted_again(rig):
    job_ = await rig.queue.submit(PaintSpec(tiny(12)), Owner(13, 100, 901))
    rig.painter.watching.add(job_.id)  # as if an interaction were following it ...
    await rig.queue.idle()  # ... and the process died before it posted
    assert [r.id for r in await rig.store.undelivered(0)] == [job_.id]
    rig.painter.watching.clear()
    rig.painter.clock = time.time
    assert await rig.painter.redeliver() == 1
    await until(lambda: any(e[0] == "channel_send" and e[1]["channel"] == 901 for e in rig.log))
    await rig.queue.idle()
    post = [e[1] for e in rig.log if e[0] == "channel_send" and e[1]["channel"] == 901]
    assert len(post) == 1 and format_code(tiny(12)) in post[0]["embed"].description
    assert await rig.store.undelivered(0) == []


async def test_delete_is_for_the_requester_or_message_managers(rig):
    stranger = FakeInteraction(user=2, log=Log())
    await rig.painter.on_delete(stranger, requester=1)
    assert "delete_message" not in stranger.log.kinds()
    assert stranger.log.last("send_message")[1]["ephemeral"]
    owner = FakeInteraction(user=1, log=Log())
    await rig.painter.on_delete(owner, requester=1)
    assert "delete_message" in owner.log.kinds()
    moderator = FakeInteraction(
        user=3, permissions=discord.Permissions(manage_messages=True), log=Log()
    )
    await rig.painter.on_delete(moderator, requester=0)  # a daily post: moderators only
    assert "delete_message" in moderator.log.kinds()


async def test_buttons_paint_variations_and_say_when_they_cannot(rig):
    it = FakeInteraction(log=rig.log)
    code = format_code(tiny(4))
    await rig.painter.on_button(it, "zoom", code)
    final = rig.log.last("edit")[1]
    new_code = final["embed"].description.split("`")[1]
    assert parse_code(new_code).zoom == pytest.approx(0.5)
    deepest = format_code(tiny(4, zoom=0.001))
    it2 = FakeInteraction(user=8, log=Log())
    await rig.painter.on_button(it2, "zoom", deepest)
    assert "as far as it goes" in it2.log.last("send_message")[1]["content"]


async def test_shutting_down_refuses_new_work_and_keeps_queued_work(rig):
    rig.gate.close()
    it = FakeInteraction(user=21, log=rig.log)
    running = asyncio.create_task(rig.painter.paint(it, job(30)))
    await asyncio.to_thread(rig.gate.entered.wait, 10)
    waiting = FakeInteraction(user=22, log=Log())
    second = asyncio.create_task(rig.painter.paint(waiting, job(31, width=9)))
    await until(lambda: rig.queue.pending() == 2)  # accepted, waiting behind the gate
    rig.painter.closing = True
    with pytest.raises(UserError, match="restarting"):
        await rig.painter.paint(FakeInteraction(user=23), job(32))
    closing = asyncio.create_task(rig.queue.close())
    await until(lambda: rig.queue.pending() == 1)  # the waiting one is kept for the next start
    rig.gate.open()
    await closing
    await asyncio.gather(running, second)
    assert rig.log.last("edit")[1]["attachments"]  # the running one finished and was posted
    assert waiting.log.last("edit")[1]["content"] == LATER  # the waiting one stays queued
    assert [r.code for r in await rig.store.unfinished()] == [format_code(tiny(31, width=9))]


# --- cogs ------------------------------------------------------------------------------------
class RecordingPainter:
    def __init__(self, server: ServerSettings | None = None) -> None:
        self.jobs: list[PaintSpec] = []
        self.server = server or ServerSettings()

    async def server_of(self, interaction) -> ServerSettings:
        return self.server

    async def paint(self, interaction, make, **kw) -> None:
        self.jobs.append(make(1_000_000))

    async def paint_options(self, interaction, options, **kw) -> None:
        self.jobs.append(paint_job(options, 1_000_000))


async def test_paint_and_replay_commands_only_build_jobs():
    painter = RecordingPainter()
    cog = PaintCog(painter, queue=None)  # type: ignore[arg-type]
    await cog.paint.callback(cog, FakeInteraction(), layers=16, activation="sin", size="portrait")
    r = painter.jobs[-1].recipe
    assert (r.layers, r.activation, r.std, r.w, r.h) == (16, "sin", 0.5, 720, 1280)
    await cog.replay.callback(cog, FakeInteraction(), code=format_code(r), size="2x")
    assert (painter.jobs[-1].recipe.w, painter.jobs[-1].recipe.h) == (1440, 2560)
    with pytest.raises(UserError, match="replay code"):
        await cog.replay.callback(cog, FakeInteraction(), code="hello")


async def test_paint_takes_the_servers_defaults_where_the_person_gave_none():
    painter = RecordingPainter(ServerSettings(size="landscape", quote=False, colour="hsv"))
    cog = PaintCog(painter, queue=None)  # type: ignore[arg-type]
    await cog.paint.callback(cog, FakeInteraction())
    r = painter.jobs[-1].recipe
    assert (r.w, r.h, r.quote, r.color) == (1280, 720, "none", "hsv")
    await cog.paint.callback(cog, FakeInteraction(), size="portrait", quote="generated")
    r = painter.jobs[-1].recipe
    assert (r.w, r.h, r.quote, r.color) == (720, 1280, "generated", "hsv")
    painter.server = ServerSettings(voice="stoic")
    await cog.paint.callback(cog, FakeInteraction(), quote="none")  # no voice forced on it
    assert painter.jobs[-1].recipe.quote == "none"
    await cog.paint.callback(cog, FakeInteraction())
    assert painter.jobs[-1].recipe.voice == "stoic"


async def test_daily_commands_need_manage_server_and_store_the_schedule(tmp_path):
    store = await Store.open(tmp_path / "db")
    try:
        cog = DailyCog(store, poster=None)  # type: ignore[arg-type]
        channel = SimpleNamespace(id=321)
        member = FakeInteraction(guild=50)
        with pytest.raises(UserError, match="Manage Server"):
            await cog.set_daily.callback(cog, member, channel=channel, time="9:00", timezone="UTC")
        admin = FakeInteraction(guild=50, permissions=discord.Permissions(manage_guild=True))
        with pytest.raises(UserError, match="time zone"):
            await cog.set_daily.callback(cog, admin, channel=channel, time="9:00", timezone="Mars")
        await cog.set_daily.callback(
            cog, admin, channel=channel, time="9:00", timezone="Europe/Paris"
        )
        saved = (await store.guild_settings(50))[SETTING_KEY]
        assert (saved["channel"], saved["time"], saved["tz"]) == (321, "09:00", "Europe/Paris")
        reply = admin.log.last("send_message")[1]
        assert reply["ephemeral"] and "<#321>" in reply["content"]
        status = FakeInteraction(guild=50, permissions=discord.Permissions(manage_guild=True))
        await cog.status.callback(cog, status)
        assert "09:00 (Europe/Paris)" in status.log.last("send_message")[1]["content"]
        off = FakeInteraction(guild=50, permissions=discord.Permissions(manage_guild=True))
        await cog.off.callback(cog, off)
        assert SETTING_KEY not in await store.guild_settings(50)
    finally:
        await store.close()


async def test_command_errors_become_one_ephemeral_line(renderer, tmp_path):
    store = await Store.open(tmp_path / "db")
    settings = Settings(db_path=str(tmp_path / "db"), sync_commands=False)
    queue = create_queue(settings, store=store, pipeline=Pipeline(renderer, Compositor(), None))
    bot = ArtBot(
        settings, queue, store,
        make_painter=lambda client: Painter(queue, store, Cooldown(0), client=client),
        make_poster=lambda client: DailyPoster(store, queue, ChannelPublisher(client)),
    )  # fmt: skip
    assert bot.painter.client is bot and bot.poster.publisher.client is bot
    try:
        cmd = app_commands.Command(name="x", description="x", callback=_noop)
        it = FakeInteraction()
        err = app_commands.CommandInvokeError(cmd, UserError("layers=99 is not allowed: 0..32"))
        await bot.on_app_command_error(it, err)
        sent = it.log.last("send_message")[1]
        assert sent["ephemeral"] and sent["content"] == "⚠️ Layers=99 is not allowed: 0..32."
        it2 = FakeInteraction()
        await bot.on_app_command_error(it2, app_commands.CommandInvokeError(cmd, KeyError("x")))
        assert "Something went wrong" in it2.log.last("send_message")[1]["content"]
        it3 = FakeInteraction()
        await reply_errors(it3, _raise(UserError("nope")))
        assert it3.log.last("send_message")[1]["content"] == "⚠️ Nope."
    finally:
        await bot.close()
        await store.close()


async def _noop(interaction) -> None:  # pragma: no cover - never called
    pass


async def _raise(e: Exception) -> None:
    raise e


def test_invite_link_asks_for_minimal_permissions():
    url = invite_url(123)
    assert "client_id=123" in url and "applications.commands" in url
    perms = discord.Permissions(int(url.split("permissions=")[1].split("&")[0]))
    assert perms.send_messages and perms.attach_files and perms.embed_links
    assert not perms.administrator and not perms.manage_messages and not perms.mention_everyone
    assert "integration_type=0" in url and "scope=bot" in url
    mine = invite_url(123, user=True)  # a person's own install: commands only, no bot, no perms
    assert "integration_type=1" in mine and "bot" not in mine and "permissions" not in mine
    # a token's first part is the application id in base64
    assert application_id_from_token("MTIzNDU2Nzg5MDEyMzQ1Njc4.Gxxxxx.yyyy") == 123456789012345678
    assert application_id_from_token("garbage") is None


def test_daily_set_refuses_a_channel_the_bot_cannot_post_in():
    from bot.discordbot.cogs.daily import check_can_post

    class Channel:
        id = 9
        guild = SimpleNamespace(me=object())

        def __init__(self, perms: discord.Permissions) -> None:
            self.perms = perms

        def permissions_for(self, member) -> discord.Permissions:
            return self.perms

    with pytest.raises(UserError, match="Attach Files"):
        check_can_post(Channel(discord.Permissions(view_channel=True, send_messages=True,
                                                   embed_links=True)))  # fmt: skip
    check_can_post(Channel(discord.Permissions(view_channel=True, send_messages=True,
                                               embed_links=True, attach_files=True)))  # fmt: skip


def test_progress_text_is_coarse_so_messages_are_edited_rarely():
    from bot.discordbot.messages import progress_text
    from bot.jobs import JobState, JobStatus

    texts = {progress_text(JobState(JobStatus.QUEUED, 3, eta)) for eta in (41.0, 42.5, 44.9)}
    assert texts == {"🎨 Your painting is in the queue behind 3 paintings; ready in about 45 s."}
    assert "about 4 min" in progress_text(JobState(JobStatus.QUEUED, 40, 230.0))


def test_an_animation_in_progress_says_how_many_frames_are_done():
    from bot.discordbot.messages import progress_text
    from bot.jobs import JobState, JobStatus

    running = JobState(JobStatus.RUNNING, None, 12.0, (48, 96))
    assert "48 of 96 frames done" in progress_text(running, "loop")
    assert "frames" not in progress_text(running)  # a still's progress is rows: not shown
    queued = progress_text(JobState(JobStatus.QUEUED, 2, 30.0), "loop")
    assert queued.startswith("🎨 Your animation is in the queue behind 2 paintings")


async def test_progress_edits_slow_down_as_the_queue_grows(rig):
    assert rig.painter._edit_every() == 0.05  # the rig's progress_s while the queue is empty
    rig.gate.close()
    jobs = [await rig.queue.submit(PaintSpec(tiny(40 + n)), Owner(60 + n)) for n in range(3)]
    assert rig.painter._edit_every() == pytest.approx(0.3)  # 3 jobs sharing ~10 edits/s
    rig.gate.open()
    await asyncio.gather(*(j.outcome() for j in jobs))


async def test_a_job_kept_for_the_next_start_is_not_reported_as_failed(rig):
    from bot.errors import QueueClosed
    from bot.jobs.model import QueuedJob

    request = QueuedJob(spec=PaintSpec(tiny(50)), owner=Owner(70, 100, 880))
    await rig.painter._to_channel(request, QueueClosed("the render queue was shut down"))
    assert "channel_send" not in rig.log.kinds()


def test_the_recipe_line_names_the_voice_and_the_paint_command_offers_every_voice():
    from bot.art.recipe import Recipe
    from bot.discordbot.messages import describe_recipe
    from bot.quotes.voices import VOICES

    assert describe_recipe(Recipe(voice="stoic")).endswith("· stoic voice")
    assert "voice" not in describe_recipe(Recipe())
    params = {p.name: p for p in PaintCog.paint.parameters}
    choices = [(c.name, c.value) for c in params["voice"].choices]
    assert choices == [(v.label, v.name) for v in VOICES] and not params["voice"].required
    replay = {p.name: p for p in PaintCog.replay.parameters}
    assert [c.value for c in replay["voice"].choices] == [v.name for v in VOICES]


def test_the_paint_choices_are_the_recipes_own_lists():
    from bot.art import recipe as rc

    params = {p.name: p for p in PaintCog.paint.parameters}
    for option, allowed in (
        ("activation", rc.ACTIVATIONS), ("init", rc.INITS), ("colour", rc.COLORS),
    ):  # fmt: skip
        assert [c.value for c in params[option].choices] == list(allowed), option


def test_a_result_links_to_its_page_on_the_web_only_when_the_site_is_public(renderer):
    from bot.discordbot.messages import result

    picture = Pipeline(renderer, Compositor(), None).run(PaintSpec(tiny(5)))
    linked = result(picture, requester=1, web_url="https://art.example.org/")
    assert linked.embed.url == f"https://art.example.org/p/{picture.code}"
    assert f"(https://art.example.org/p/{picture.code})" in linked.embed.description
    assert result(picture, requester=1).embed.url is None


async def test_about_links_to_the_web_site_when_it_has_a_public_address():
    painter = RecordingPainter()
    cog = PaintCog(painter, queue=None)  # type: ignore[arg-type]
    it = FakeInteraction()
    await cog.about.callback(cog, it)
    assert it.log.last("send_message")[1]["embed"].url is None
    painter.web_url = "https://art.example.org"
    it = FakeInteraction()
    await cog.about.callback(cog, it)
    embed = it.log.last("send_message")[1]["embed"]
    assert embed.url == "https://art.example.org"
    assert "(https://art.example.org/about)" in embed.fields[-1].value
