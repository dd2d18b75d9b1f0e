"""The Bluesky backend: atproto's AsyncClient (httpx), on the event loop.

Logins are limited per day, so the session is kept: saved in the store whenever it is created or
refreshed, restored on start, refreshed by the client before it expires; the app password is used
only when there is no session or it no longer works. Posts are app.bsky.feed.post records with
the image (aspectRatio set, alt text always) or, for an animation, the MP4 as an
app.bsky.embed.video (its blob, alt text and aspect ratio), the hashtags and mentions as facets,
and a record key derived from the draft's key and time, so a repeated create names the same
record. A 429 is RateLimited until the ratelimit-reset header's time.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TypeVar

from atproto import AsyncClient, models
from atproto_client.exceptions import (
    BadRequestError,
    NetworkError,
    RateLimitExceededError,
    RequestErrorBase,
    UnauthorizedError,
)
from atproto_client.models.utils import get_model_as_dict
from atproto_core.exceptions import AtProtocolError

from bot.feeds.config import FeedConfig
from bot.feeds.content import BLUESKY_LIMITS, Facet, facets
from bot.feeds.image import MEDIA_LIMITS
from bot.feeds.poster import (
    Account,
    Draft,
    FeedError,
    LoginFailed,
    Mention,
    Posted,
    RateLimited,
    StateStore,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
SESSION_KEY = "bluesky-session"  # feed_state: the exported session (tokens: keep the db private)
POST = "app.bsky.feed.post"
RATE_LIMIT_GUESS_S = 60.0
_TID_CHARS = "234567abcdefghijklmnopqrstuvwxyz"
_EXPIRED = ("ExpiredToken", "InvalidToken", "AuthenticationRequired")


def create(config: FeedConfig, state: StateStore) -> BlueskyPoster:
    return BlueskyPoster(config, state)


def record_key(key: str, at: float) -> str:
    """A TID (the record key Bluesky posts use) fixed by the draft's key and first try's time."""
    clock = int.from_bytes(hashlib.sha256(key.encode()).digest()[:2], "big") & 0x3FF
    n = (int(at * 1_000_000) << 10) | clock
    return "".join(_TID_CHARS[(n >> (5 * i)) & 31] for i in reversed(range(13)))


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _ts(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


class BlueskyPoster:
    def __init__(self, config: FeedConfig, state: StateStore) -> None:
        self.config, self.state = config, state
        self.limits = BLUESKY_LIMITS
        self.max_image_bytes = MEDIA_LIMITS["bluesky"].image
        self.max_video_bytes = MEDIA_LIMITS["bluesky"].video
        self.me: Account | None = None
        self.logged_in = False
        self.logins = 0  # password logins by this process (Bluesky limits them per day)
        self.client: AsyncClient | None = None

    async def start(self) -> None:
        self.client = AsyncClient(base_url=self.config.server)
        self.client.on_session_change(self._keep_session)
        saved = await self.state.state(self.config.name, SESSION_KEY)
        if saved:
            try:
                await self.client.login(session_string=saved, fetch_bsky_profile=False)
                await self._call(self.client.com.atproto.server.get_session)
                self._logged_in()
                log.info("feed %s: Bluesky session restored", self.config.name)
                return
            except (FeedError, AtProtocolError, ValueError) as e:
                log.info("feed %s: the saved session no longer works (%s)", self.config.name, e)
        await self._login()

    async def _login(self) -> None:
        password = self.config.credential()
        if not password:
            raise LoginFailed(
                f"feed {self.config.name}: no app password (CPPN_FEED_{self.config.env_name}"
                "_SECRET or _SECRET_FILE)"
            )
        assert self.client is not None
        self.logins += 1
        try:
            await self.client.login(self.config.handle, password, fetch_bsky_profile=False)
        except RateLimitExceededError as e:
            raise _rate_limited(self.config.name, e) from None
        except (UnauthorizedError, BadRequestError) as e:
            raise LoginFailed(f"feed {self.config.name}: Bluesky refused the login: {e}") from None
        except AtProtocolError as e:
            raise FeedError(f"feed {self.config.name}: cannot log in to Bluesky: {e}") from None
        self._logged_in()
        log.info("feed %s: logged in to Bluesky as %s", self.config.name, self.me.handle)

    def _logged_in(self) -> None:
        session = self.client._session  # type: ignore[union-attr]
        self.me = Account(session.did, session.handle)
        self.logged_in = True

    async def _keep_session(self, event, session) -> None:
        """Save every new or refreshed session, so the next start needs no login."""
        exported = self.client.export_session_string()  # type: ignore[union-attr]
        await self.state.set_state(self.config.name, SESSION_KEY, exported)

    async def _call(self, fn: Callable[..., Awaitable[T]], *args, **kwargs) -> T:
        """One client call, its errors as the feed's; an expired session logs in again, once."""
        for attempt in (1, 2):
            try:
                return await fn(*args, **kwargs)
            except RateLimitExceededError as e:
                raise _rate_limited(self.config.name, e) from None
            except (UnauthorizedError, BadRequestError) as e:
                if attempt == 1 and _expired(e) and self.config.credential():
                    log.info("feed %s: the Bluesky session expired; logging in", self.config.name)
                    await self._login()
                    continue
                if isinstance(e, UnauthorizedError):
                    self.logged_in = False
                raise FeedError(f"feed {self.config.name}: Bluesky said: {e}") from None
            except NetworkError as e:
                raise FeedError(f"feed {self.config.name}: cannot reach Bluesky: {e}") from None
            except RequestErrorBase as e:
                raise FeedError(f"feed {self.config.name}: Bluesky said: {e}") from None
        raise AssertionError("unreachable")

    async def close(self) -> None:
        if self.client is not None:
            await self.client.request.close()

    async def post(self, draft: Draft) -> Posted:
        client, me = self._client(), self._me()
        record: dict = {
            "$type": POST,
            "text": draft.text,
            "createdAt": _iso(draft.at or time.time()),
        }
        mentioned = {}
        if draft.reply_to is not None:
            r = draft.reply_to.reply
            parent = {"uri": r["uri"], "cid": r["cid"]}
            root = {"uri": r.get("root_uri") or r["uri"], "cid": r.get("root_cid") or r["cid"]}
            record["reply"] = {"root": root, "parent": parent}
            mentioned[draft.reply_to.author.handle.lower()] = draft.reply_to.author.id
        found: list[Facet] = facets(draft.text, mentioned)
        if found:
            record["facets"] = [f.to_record() for f in found]
        if draft.upload is not None:
            up = draft.upload
            upload = client.com.atproto.repo.upload_blob
            blob = await self._call(upload, up.data, headers={"Content-Type": up.mime})
            alt = draft.alt or "An abstract picture painted by a neural network."
            if up.video:
                video = models.AppBskyEmbedVideo.Main(
                    video=blob.blob, alt=alt,
                    aspect_ratio=models.AppBskyEmbedDefs.AspectRatio(width=up.width,
                                                                     height=up.height),
                )  # fmt: skip
                record["embed"] = get_model_as_dict(video)
            else:
                image = {
                    "alt": alt,
                    "image": blob.blob.model_dump(by_alias=True, exclude_none=True),
                    "aspectRatio": {"width": up.width, "height": up.height},
                }
                record["embed"] = {"$type": "app.bsky.embed.images", "images": [image]}
        data = models.ComAtprotoRepoCreateRecord.Data(
            repo=me.id, collection=POST, record=record,
            rkey=record_key(draft.key, draft.at) if draft.at else None,
        )  # fmt: skip
        created = await self._call(client.com.atproto.repo.create_record, data)
        return Posted(created.uri, _web_url(me.handle, created.uri))

    async def find(self, marker: str, since: float, reply_to: str | None = None) -> Posted | None:
        client, me = self._client(), self._me()
        feed = await self._call(client.get_author_feed, actor=me.id, limit=50)
        for item in feed.feed:
            post = item.post
            record = post.record
            if post.author.did != me.id or _ts(record.created_at) < since:
                continue
            if reply_to is not None and (
                record.reply is None or record.reply.parent.uri != reply_to
            ):
                continue
            if marker in record.text:
                return Posted(post.uri, _web_url(me.handle, post.uri))
        return None

    async def mentions(self, since: str | None) -> tuple[list[Mention], str | None]:
        client = self._client()
        params = models.AppBskyNotificationListNotifications.Params(limit=50)
        answer = await self._call(client.app.bsky.notification.list_notifications, params)
        out, cursor = [], since
        for n in sorted(answer.notifications, key=lambda n: n.indexed_at):
            if since is not None and n.indexed_at <= since:
                continue
            cursor = n.indexed_at
            if n.reason != "mention":
                continue
            record = n.record
            labels = {label.val for label in (n.author.labels or [])}
            reply = {"uri": n.uri, "cid": n.cid}
            if getattr(record, "reply", None) is not None:
                reply |= {"root_uri": record.reply.root.uri, "root_cid": record.reply.root.cid}
            out.append(Mention(
                id=n.uri, author=Account(n.author.did, n.author.handle, "bot" in labels),
                text=record.text, created_at=_ts(record.created_at), reply=reply,
            ))  # fmt: skip
        return out, cursor

    def _client(self) -> AsyncClient:
        if self.client is None or not self.logged_in:
            raise FeedError(f"feed {self.config.name}: not logged in")
        return self.client

    def _me(self) -> Account:
        if self.me is None:
            raise FeedError(f"feed {self.config.name}: not logged in")
        return self.me


def _expired(e: RequestErrorBase) -> bool:
    content = e.response.content if e.response is not None else None
    return getattr(content, "error", None) in _EXPIRED


def _rate_limited(feed: str, e: RateLimitExceededError) -> RateLimited:
    if e.reset_at is not None:
        until = e.reset_at.timestamp()
    else:
        until = time.time() + (e.retry_after or RATE_LIMIT_GUESS_S)
    return RateLimited(f"feed {feed}: Bluesky rate limit", max(until, time.time()))


def _web_url(handle: str, uri: str) -> str:
    return f"https://bsky.app/profile/{handle}/post/{uri.rsplit('/', 1)[-1]}"
