"""Nothing posted twice after a crash (issue 13): a result that reached Discord just before the
process died, with its delivery not yet recorded, is found in its channel on restart and recorded,
not painted and posted again; one the channel does not hold is painted again, once."""

from __future__ import annotations

import time

import discord
from discord_fakes import FakeClient
from test_discord_painter import rig  # noqa: F401 - the painter rig fixture
from test_jobs_support import tiny
from waiting import until

from bot.art.code import format_code
from bot.discordbot.painter import job_nonce
from bot.jobs import Owner
from bot.pipeline import PaintSpec


async def _finished_but_not_recorded(rig, seed: int, user: int, channel: int) -> str:  # noqa: F811
    job = await rig.queue.submit(PaintSpec(tiny(seed)), Owner(user, 100, channel))
    rig.painter.watching.add(job.id)  # as if an interaction were following it ...
    await rig.queue.idle()  # ... and the process died before it recorded the delivery
    rig.painter.watching.clear()
    rig.painter.clock = time.time
    return job.id


def _sends(rig, channel: int) -> list[dict]:  # noqa: F811
    return [e[1] for e in rig.log if e[0] == "channel_send" and e[1]["channel"] == channel]


async def test_a_response_already_in_the_channel_is_recorded_not_posted_again(rig):  # noqa: F811
    job_id = await _finished_but_not_recorded(rig, seed=41, user=13, channel=901)
    client: FakeClient = rig.painter.client
    shown = client.response_message(901, asker=13, code=format_code(tiny(41)))
    assert await rig.painter.redeliver() == 0
    await rig.queue.idle()
    assert _sends(rig, 901) == []  # nothing posted twice
    row = await rig.store.get_render(job_id)
    assert row.delivered_at is not None and row.message == shown.id


async def test_someone_elses_copy_of_the_same_code_does_not_count(rig):  # noqa: F811
    await _finished_but_not_recorded(rig, seed=42, user=13, channel=902)
    client: FakeClient = rig.painter.client
    client.response_message(902, asker=99, code=format_code(tiny(42)))  # another person's replay
    rig.gate.close()
    assert await rig.painter.redeliver() == 1  # painted again ...
    [again] = await rig.store.unfinished()
    rig.gate.open()
    await until(lambda: len(_sends(rig, 902)) == 1)
    await rig.queue.idle()
    [post] = _sends(rig, 902)  # ... and posted once, for its owner
    assert "<@13>" in post["content"] and format_code(tiny(42)) in post["embed"].description
    assert post["nonce"] == job_nonce(again.id)  # Discord drops a repeat of this send


async def test_a_channel_post_is_found_by_its_mention(rig):  # noqa: F811
    job_id = await _finished_but_not_recorded(rig, seed=43, user=13, channel=903)
    client: FakeClient = rig.painter.client
    # What _to_channel posts: the bot's message mentioning the person, the code in the embed.
    channel = client.get_partial_messageable(903)
    sent = await channel.send(
        "<@13>, here is the painting you asked for.",
        embed=discord.Embed(description=f"Replay code `{format_code(tiny(43))}`"),
    )
    await channel.send(
        "<@77>, here is the painting you asked for.",
        embed=discord.Embed(description=f"Replay code `{format_code(tiny(43))}`"),
    )
    posts_before = len(_sends(rig, 903))
    assert await rig.painter.redeliver() == 0
    assert len(_sends(rig, 903)) == posts_before
    assert (await rig.store.get_render(job_id)).message == sent.id


def test_job_nonces_are_stable_positive_and_distinct():
    assert job_nonce("a") == job_nonce("a")
    assert job_nonce("a") != job_nonce("b")
    assert 0 < job_nonce("a") < 2**63


async def test_a_repeated_hand_over_of_a_delivered_job_posts_nothing(rig):  # noqa: F811
    """The queue hands a job on again when a crash cut its last hand-over short (after the post
    and its record, before the mark finished): the painter sees the record and posts nothing."""
    job = await rig.queue.submit(PaintSpec(tiny(44)), Owner(13, 100, 904))
    await rig.queue.idle()
    assert len(_sends(rig, 904)) == 1  # nobody watched it: posted in its channel, recorded
    outcome = await job.outcome()
    await rig.painter.on_done(job.request, outcome)  # the repeat
    assert len(_sends(rig, 904)) == 1
