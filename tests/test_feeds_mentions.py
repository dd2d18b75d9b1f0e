"""Painting on request by mention (issue 15): the real clients against the loopback fakes; each
mention answered exactly once (twice seen, across a crash), bad options answered in one line,
bots and the bot itself ignored, only the requester named, the cooldown applied; `animate` answered
with the looping MP4 as a video on both services (PyAV reads its frames back), `blend` with the
blended picture."""

from __future__ import annotations

import asyncio
import io
from dataclasses import replace

import av
import pytest
from fake_bluesky import APP_PASSWORD, HANDLE, FakeBluesky, profile
from fake_mastodon import TOKEN, FakeMastodon, account
from feed_pictures import PaintingBackend
from test_discord_daily import InstantBackend
from waiting import until

from bot.art.code import format_code, parse_code
from bot.art.render import Renderer
from bot.compose import Compositor
from bot.feeds.bluesky import BlueskyPoster
from bot.feeds.config import FeedConfig
from bot.feeds.mastodon import MastodonPoster
from bot.feeds.mentions import CURSOR_KEY, MentionResponder
from bot.jobs import RenderQueue
from bot.jobs.model import JobResult
from bot.pipeline import Pipeline
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


async def rig(path, fake, cooldown_s: float = 0.0, backend=None) -> Rig:
    store = await Store.open(path)
    queue = RenderQueue(backend or PaintingBackend(), store=store)
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


# --- animate and blend: the real pipeline on the CPU, tiny renders --------------------------------
CODE = "2-3zk8q2-d6w12s120x80q"  # small, no quote: the CPU paints it in a blink
OTHER = format_code(replace(parse_code(CODE), seed=7))  # the same network, another seed


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(Renderer.create("cpu"), Compositor(), None)  # codes here carry no quote


class PipelineBackend(InstantBackend):
    """Paints each job with the real pipeline (stills, blends and loops alike) in a thread."""

    def __init__(self, pipeline: Pipeline) -> None:
        super().__init__()
        self.pipeline = pipeline

    async def enqueue(self, req) -> None:
        self.requests.append(req)
        picture = await asyncio.to_thread(self.pipeline.run, req.spec)
        done = JobResult(picture=picture, device="cpu", versions={"bot": "test"}, batch=1,
                         wait_s=0.0)  # fmt: skip
        asyncio.get_running_loop().call_soon(self.deliver, req.id, done)

    async def alive(self) -> bool:
        return True


def frames_of(mp4: bytes) -> tuple[int, float, float, int]:
    """(frames, frame rate, seconds, width) of an MP4, read back with PyAV."""
    assert mp4[4:8] == b"ftyp"
    with av.open(io.BytesIO(mp4)) as c:
        stream = c.streams.video[0]
        frames = sum(1 for _ in c.decode(stream))
        return frames, float(stream.average_rate), frames / float(stream.average_rate), stream.width


ANIMATE = f"animate {CODE} seconds:1 fps:6 size:small"


async def one_reply(r, service, who, text: str) -> tuple[dict, dict]:
    """A mention of `text` by `who`, answered: (the mention, its one reply)."""
    asked = service.mention(who, text)
    key = "id" if "id" in asked else "uri"
    await r.responder.poll()
    await until(lambda: service.replies_to(asked[key]), timeout=60)
    await r.responder.idle()
    (reply,) = service.replies_to(asked[key])
    return asked, reply


async def test_an_animate_mention_on_mastodon_is_answered_with_the_looping_mp4_as_a_video(
    masto, tmp_path, pipeline
):
    backend = PipelineBackend(pipeline)
    r = await rig(tmp_path / "bot.db", masto, backend=backend)
    asked, reply = await one_reply(r, masto, ALICE, ANIMATE)
    assert reply["text"].startswith("@alice@else.example here is your animation.")
    (media,) = reply["media_attachments"]
    assert media["type"] == "video" and media["url"].endswith(".mp4")  # waited out processing
    assert media["description"].startswith("A looping animation of an abstract painting by")
    assert "(a CPPN), 1 second long, 320 by 214" in media["description"]
    assert frames_of(masto.uploads[-1]) == (6, 6.0, 1.0, 320)
    (job,) = backend.requests
    assert job.spec.form.kind == "loop" and job.spec.form.frames == 6
    assert f"Replay code: {format_code(job.spec.recipe)}" in reply["text"]
    await FeedStore(r.store).set_state("art", CURSOR_KEY, "0")  # the same mention read again
    await r.poll()
    assert len(masto.replies_to(asked["id"])) == 1 and len(backend.requests) == 1
    await r.stop()


async def test_an_animate_mention_on_bluesky_is_answered_with_a_video_embed(
    sky, tmp_path, pipeline
):
    backend = PipelineBackend(pipeline)
    r = await rig(tmp_path / "bot.db", sky, backend=backend)
    _, reply = await one_reply(r, sky, BOB, ANIMATE)
    record = reply["record"]
    assert record["text"].startswith("@bob.test here is your animation.")
    embed = record["embed"]
    assert embed["$type"] == "app.bsky.embed.video"
    assert (embed["aspectRatio"]["width"], embed["aspectRatio"]["height"]) == (320, 214)
    assert embed["alt"].startswith("A looping animation of an abstract painting by")
    assert embed["video"]["mimeType"] == "video/mp4"
    assert frames_of(sky.blobs[embed["video"]["ref"]["$link"]]) == (6, 6.0, 1.0, 320)
    await r.stop()


async def test_a_blend_mention_is_answered_with_the_blended_picture(sky, tmp_path, pipeline):
    r = await rig(tmp_path / "bot.db", sky, backend=PipelineBackend(pipeline))
    _, reply = await one_reply(r, sky, BOB, f"blend {CODE} {OTHER} t:0.3")
    record = reply["record"]
    assert record["embed"]["$type"] == "app.bsky.embed.images"
    code = record["text"].split("Replay code: ")[1].split()[0]
    blended = parse_code(code)
    assert (blended.seed, blended.blend_seed, blended.blend_t) == (
        parse_code(CODE).seed, parse_code(OTHER).seed, 0.3,
    )  # fmt: skip
    await r.stop()


async def test_a_bad_animate_or_blend_gets_one_line_and_no_job(masto, tmp_path, pipeline):
    backend = PipelineBackend(pipeline)
    r = await rig(tmp_path / "bot.db", masto, backend=backend)
    bare = masto.mention(ALICE, "animate")
    long = masto.mention(account("9", "carol"), f"animate {CODE} seconds:999")
    alone = masto.mention(account("10", "dave"), f"blend {CODE}")
    await r.poll()
    texts = [s["text"] for m in (bare, long, alone) for s in masto.replies_to(m["id"])]
    assert texts == [
        "@alice@else.example I could not paint that: animate needs a code: "
        "animate 2-1a seconds:2 size:small.",
        "@carol I could not paint that: seconds 999 is not allowed: more than 0, at most 60.",
        "@dave I could not paint that: blend needs 2 codes: blend 2-1a 2-2b t:0.3.",
    ]
    assert backend.requests == [] and masto.uploads == []
    await r.stop()


async def test_an_animation_over_the_services_video_limit_is_refused_in_one_line(
    masto, tmp_path, pipeline
):
    class Shrinking(PipelineBackend):
        async def enqueue(self, req) -> None:  # the service's limit falls while it renders
            r.poster.max_video_bytes = 100
            await super().enqueue(req)

    r = await rig(tmp_path / "bot.db", masto, backend=Shrinking(pipeline))
    asked = masto.mention(ALICE, ANIMATE)
    await r.responder.poll()
    await until(lambda: masto.replies_to(asked["id"]), timeout=60)
    await r.responder.idle()
    (reply,) = masto.replies_to(asked["id"])
    assert reply["media_attachments"] == [] and masto.uploads == []
    assert reply["text"].startswith("@alice@else.example I could not paint that: the animation is ")
    assert "more than the 100 this service takes" in reply["text"] and "\n" not in reply["text"]
    await r.stop()
