"""Painting on request by mention (issue 15): the real clients against the loopback fakes; each
mention answered exactly once (twice seen, across a crash), bad options answered in one line,
bots and the bot itself ignored, only the requester named, the cooldown applied."""

from __future__ import annotations

import asyncio

import pytest
from fake_bluesky import APP_PASSWORD, HANDLE, FakeBluesky, profile
from fake_mastodon import TOKEN, FakeMastodon, account
from feed_pictures import PaintingBackend

from bot.feeds.bluesky import BlueskyPoster
from bot.feeds.config import FeedConfig
from bot.feeds.mastodon import MastodonPoster
from bot.feeds.mentions import CURSOR_KEY, MentionResponder
from bot.jobs import RenderQueue
from bot.store import Store
from bot.store.feeds import FeedStore

ALICE = account("7", "alice@else.example")
ROBOT = account("8", "robot@else.example", bot=True)
BOB = profile("did:plc:bob", "bob.test")
BOT_ACCOUNT = profile("did:plc:robot", "robot.test", labels=("bot",))


class Rig:
    def __init__(self, store, queue, poster, responder) -> None:
        self.store, self.queue, self.poster, self.responder = store, queue, poster, responder

    async def poll(self) -> None:
        await self.responder.poll()
        await self.responder.idle()

    async def stop(self) -> None:
        await self.poster.close()
        await self.queue.close()
        await self.store.close()


async def rig(path, fake, cooldown_s: float = 0.0) -> Rig:
    store = await Store.open(path)
    queue = RenderQueue(PaintingBackend(), store=store)
    await queue.start()
    if isinstance(fake, FakeMastodon):
        cfg = FeedConfig(name="art", service="mastodon", server=fake.url, secret=TOKEN)
        poster = MastodonPoster(cfg, media_poll_s=0.01)
    else:
        cfg = FeedConfig(name="sky", service="bluesky", server=fake.url, handle=HANDLE,
                         secret=APP_PASSWORD)  # fmt: skip
        poster = BlueskyPoster(cfg, FeedStore(store))
    await poster.start()
    return Rig(store, queue, poster, MentionResponder(store, queue, poster, cooldown_s))


@pytest.fixture
async def masto():
    fake = FakeMastodon(processing_polls=1)
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture
async def sky():
    fake = FakeBluesky()
    await fake.start()
    yield fake
    await fake.close()


async def test_a_mastodon_mention_is_answered_with_the_picture_naming_only_the_requester(
    masto, tmp_path
):
    r = await rig(tmp_path / "bot.db", masto)
    asked = masto.mention(ALICE, "paint layers:16 colour:hsv @someone@else.example")
    await r.poll()
    (reply,) = masto.replies_to(asked["id"])
    assert reply["text"].startswith("@alice@else.example here is your painting.")
    assert "@someone" not in reply["text"] and reply["text"].count("@") == 2
    assert "-d16" in reply["text"] and "h" in reply["text"].split("Replay code: ")[1]
    assert len(reply["media_attachments"]) == 1 and reply["visibility"] == "unlisted"
    await r.stop()


async def test_the_same_mention_seen_twice_is_answered_once(masto, tmp_path):
    r = await rig(tmp_path / "bot.db", masto)
    asked = masto.mention(ALICE, "paint")
    await r.poll()
    await FeedStore(r.store).set_state("art", CURSOR_KEY, "0")  # the cursor lost: all again
    await r.poll()
    assert len(masto.replies_to(asked["id"])) == 1
    await r.stop()
    again = await rig(tmp_path / "bot.db", masto)  # and after a restart
    await FeedStore(again.store).set_state("art", CURSOR_KEY, "0")
    await again.poll()
    assert len(masto.replies_to(asked["id"])) == 1
    await again.stop()


async def test_bad_options_get_one_short_reply_naming_what_was_wrong(masto, tmp_path):
    r = await rig(tmp_path / "bot.db", masto)
    bad = masto.mention(ALICE, "paint layers:99")
    typo = masto.mention(account("9", "carol"), "paint layrs:3")
    chat = masto.mention(account("10", "dave"), "what a lovely bot")
    await r.poll()
    (reply,) = masto.replies_to(bad["id"])
    assert reply["text"] == (
        "@alice@else.example I could not paint that: layers=99 is not allowed: "
        "a whole number from 0 to 32."
    )
    assert reply["media_attachments"] == []
    (reply,) = masto.replies_to(typo["id"])
    assert "paint has no option 'layrs'; it has: layers, width" in reply["text"]
    assert masto.replies_to(chat["id"]) == []  # asks for nothing: no answer
    await r.stop()


async def test_bots_and_the_bot_itself_are_ignored(masto, sky, tmp_path):
    r = await rig(tmp_path / "m.db", masto)
    from_bot = masto.mention(ROBOT, "paint")
    from_self = masto.mention(masto.me, "paint")
    await r.poll()
    assert masto.replies_to(from_bot["id"]) == [] and masto.replies_to(from_self["id"]) == []
    row = await FeedStore(r.store).mention("art", from_bot["id"])
    assert row.status == "ignored"
    await r.stop()
    s = await rig(tmp_path / "s.db", sky)
    labelled = sky.mention(BOT_ACCOUNT, "paint")
    await s.poll()
    assert sky.replies_to(labelled["uri"]) == []
    await s.stop()


async def test_a_bluesky_mention_gets_a_threaded_reply_with_the_requester_as_a_facet(sky, tmp_path):
    r = await rig(tmp_path / "bot.db", sky)
    asked = sky.mention(BOB, "replay 2-1a size:2x")
    await r.poll()
    (reply,) = sky.replies_to(asked["uri"])
    record = reply["record"]
    assert record["text"].startswith("@bob.test here is your painting.")
    assert record["reply"]["root"]["uri"] == asked["uri"] == record["reply"]["parent"]["uri"]
    mention = record["facets"][0]
    assert mention["features"][0] == {"$type": "app.bsky.richtext.facet#mention",
                                      "did": "did:plc:bob"}  # fmt: skip
    assert (mention["index"]["byteStart"], mention["index"]["byteEnd"]) == (0, len("@bob.test"))
    assert record["embed"]["images"][0]["alt"]
    await r.stop()


async def test_a_crash_after_the_reply_was_posted_does_not_answer_twice(sky, tmp_path):
    r = await rig(tmp_path / "bot.db", sky)
    asked = sky.mention(BOB, "paint")
    sky.hold.add("/xrpc/com.atproto.repo.createRecord")
    await r.responder.poll()
    await asyncio.wait_for(sky.holding.wait(), 15)
    for task in list(r.responder._tasks):  # the process dies with the reply posted, unrecorded
        task.cancel()
    await asyncio.gather(*r.responder._tasks, return_exceptions=True)
    await r.queue.close()
    await r.store.close()
    again = await rig(tmp_path / "bot.db", sky)
    await again.responder.recover()
    await again.poll()
    assert len(sky.replies_to(asked["uri"])) == 1
    assert (await FeedStore(again.store).mention("sky", asked["uri"])).status == "answered"
    sky.release.set()
    await again.stop()


async def test_the_cooldown_applies_per_account(masto, tmp_path):
    r = await rig(tmp_path / "bot.db", masto, cooldown_s=60)
    first = masto.mention(ALICE, "paint")
    second = masto.mention(ALICE, "paint layers:3")
    other = masto.mention(account("9", "carol"), "paint")
    await r.poll()
    assert len(masto.replies_to(first["id"])[0]["media_attachments"]) == 1
    (refused,) = masto.replies_to(second["id"])
    assert "one painting every 60 s; try again in" in refused["text"]
    assert len(masto.replies_to(other["id"])[0]["media_attachments"]) == 1
    await r.stop()


class NeverFinishes(PaintingBackend):
    """Takes jobs and never finishes them: the process dies mid-render."""

    async def enqueue(self, req) -> None:
        self.requests.append(req)


async def test_a_crash_mid_render_answers_once_from_the_requeued_render(masto, tmp_path):
    store = await Store.open(tmp_path / "bot.db")
    queue = RenderQueue(NeverFinishes(), store=store)
    await queue.start()
    cfg = FeedConfig(name="art", service="mastodon", server=masto.url, secret=TOKEN)
    poster = MastodonPoster(cfg, media_poll_s=0.01)
    await poster.start()
    responder = MentionResponder(store, queue, poster)
    asked = masto.mention(ALICE, "paint layers:3")
    await responder.poll()
    await responder.stop()  # the process dies with the render under way
    await queue.close()
    await store.close()

    store = await Store.open(tmp_path / "bot.db")
    answering: list[MentionResponder] = []
    queue = RenderQueue(PaintingBackend(), store=store,
                        on_done=lambda req, out: answering[0].on_done(req, out))  # fmt: skip
    again = MentionResponder(store, queue, poster)
    answering.append(again)
    await again.recover()  # its render is still queued: left to the queue
    await queue.start()  # re-queued, painted, handed to on_done: answered
    await queue.idle()
    await FeedStore(store).set_state("art", CURSOR_KEY, "0")
    await again.poll()  # the same mention read again: already answered
    await again.idle()
    (reply,) = masto.replies_to(asked["id"])
    assert "-d3" in reply["text"] and len(reply["media_attachments"]) == 1
    await poster.close()
    await queue.close()
    await store.close()
