"""The Mastodon backend: Mastodon.py (synchronous, on requests), every call in a thread.

Rate limits are thrown, not slept on inside the library (`ratelimit_method="throw"`): a 429
becomes RateLimited with the time the X-RateLimit-Reset header names, and the caller waits on
the event loop. Media goes up through /api/v2/media; a 202 (still processing) is polled until
the attachment has its URL; a video (an animation's MP4) is processed the same way, so it is
waited on the same way. Every post carries the draft's key as its Idempotency-Key.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from mastodon import (
    Mastodon,
    MastodonError,
    MastodonNetworkError,
    MastodonRatelimitError,
    MastodonUnauthorizedError,
)

from bot.feeds.config import FeedConfig
from bot.feeds.content import MASTODON_LIMITS, TextLimits
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
API_VERSION = "4.3.0"  # what the client assumes (no version probe at start): media via /api/v2
DEFAULTS = MEDIA_LIMITS["mastodon"]  # until the instance says its own
MEDIA_WAIT_S = 120.0  # how long an upload may stay "processing" before the post gives up
RATE_LIMIT_GUESS_S = 60.0  # a 429 that names no reset time is waited out this long
ORDER = {"direct": 0, "private": 1, "unlisted": 2, "public": 3}


def create(config: FeedConfig, state: StateStore) -> MastodonPoster:
    return MastodonPoster(config)


def plain_text(content: str) -> str:
    """A status's HTML as text: line breaks kept, tags dropped, entities decoded."""
    text = re.sub(r"(?i)<br\s*/?>|</p>\s*<p>", "\n", content)
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


class MastodonPoster:
    def __init__(self, config: FeedConfig, media_poll_s: float = 0.5) -> None:
        self.config = config
        self.limits: TextLimits = MASTODON_LIMITS
        self.max_image_bytes = DEFAULTS.image
        self.max_video_bytes = DEFAULTS.video
        self.me: Account | None = None
        self.logged_in = False
        self.media_poll_s = media_poll_s
        self.api: Mastodon | None = None

    async def _call(self, fn: Callable[..., T], *args, **kwargs) -> T:
        """One client call in a thread, its errors as the feed's."""
        try:
            return await asyncio.to_thread(fn, *args, **kwargs)
        except MastodonRatelimitError:
            reset = getattr(self.api, "ratelimit_reset", None)
            until = reset if reset and reset > time.time() else time.time() + RATE_LIMIT_GUESS_S
            raise RateLimited(f"feed {self.config.name}: Mastodon rate limit", until) from None
        except MastodonUnauthorizedError as e:
            self.logged_in = False
            raise LoginFailed(f"feed {self.config.name}: Mastodon refused the token: {e}") from None
        except MastodonNetworkError as e:
            message = f"feed {self.config.name}: cannot reach {self.config.server}: {e}"
            raise FeedError(message) from None
        except MastodonError as e:
            raise FeedError(f"feed {self.config.name}: Mastodon said: {e}") from None

    async def start(self) -> None:
        token = self.config.credential()
        if not token:
            raise LoginFailed(
                f"feed {self.config.name}: no access token (CPPN_FEED_{self.config.env_name}_SECRET"
                " or _SECRET_FILE)"
            )
        self.api = Mastodon(
            access_token=token, api_base_url=self.config.server, ratelimit_method="throw",
            request_timeout=60, mastodon_version=API_VERSION, version_check_mode="created",
            user_agent="cppn-bot",
        )  # fmt: skip
        me = await self._call(self.api.account_verify_credentials)
        self.me = Account(str(me["id"]), me["acct"], bool(me.get("bot")))
        self.logged_in = True
        await self._read_limits()

    async def _read_limits(self) -> None:
        """The instance's post length, image and video size, when it says (else 500 characters)."""
        try:
            info = await self._call(self.api.instance_v2)  # type: ignore[union-attr]
        except FeedError as e:
            log.info("feed %s: no instance limits (%s); using 500 characters", self.config.name, e)
            info = {}
        conf = info.get("configuration") or {}
        chars = (conf.get("statuses") or {}).get("max_characters") or MASTODON_LIMITS.max_text
        media = conf.get("media_attachments") or {}
        self.max_image_bytes = int(media.get("image_size_limit") or DEFAULTS.image)
        self.max_video_bytes = int(media.get("video_size_limit") or DEFAULTS.video)
        alt = int(media.get("description_limit") or MASTODON_LIMITS.max_alt)
        chars = self.config.max_chars or int(chars)
        self.limits = replace(MASTODON_LIMITS, max_text=chars, max_alt=alt)

    async def close(self) -> None:
        if self.api is not None:
            self.api.session.close()

    async def post(self, draft: Draft) -> Posted:
        api = self._api()
        media_ids = []
        if draft.upload is not None:
            media = await self._call(
                api.media_post, draft.upload.data, mime_type=draft.upload.mime,
                description=draft.alt, file_name=f"cppn.{draft.upload.mime.split('/')[-1]}",
            )  # fmt: skip
            media_ids.append((await self._processed(media))["id"])
        visibility = self.config.visibility
        reply_to = None
        if draft.reply_to is not None:
            reply_to = draft.reply_to.reply["status"]
            theirs = draft.reply_to.reply.get("visibility", visibility)
            visibility = min(visibility, theirs, key=lambda v: ORDER.get(v, 3))  # never wider
        status = await self._call(
            api.status_post, draft.text, media_ids=media_ids or None, visibility=visibility,
            in_reply_to_id=reply_to, idempotency_key=draft.key,
        )  # fmt: skip
        return Posted(str(status["id"]), status.get("url") or "")

    async def _processed(self, media: dict) -> dict:
        """The attachment once processed: a 202 upload (an image or a video) has no URL yet; ask
        again until it has."""
        deadline, wait = time.monotonic() + MEDIA_WAIT_S, self.media_poll_s
        while media.get("url") is None:
            if time.monotonic() > deadline:
                what = media.get("type") or "media"
                raise FeedError(f"feed {self.config.name}: the {what} is still processing")
            await asyncio.sleep(wait)
            wait = min(wait * 2, 5.0)
            media = await self._call(self._api().media, media["id"])
        return media

    async def find(self, marker: str, since: float, reply_to: str | None = None) -> Posted | None:
        me = self._me()
        statuses = await self._call(self._api().account_statuses, me.id, limit=40)
        for s in statuses:
            if s["created_at"].timestamp() < since:
                continue
            if reply_to is not None and str(s.get("in_reply_to_id")) != reply_to:
                continue
            if marker in plain_text(s.get("content") or ""):
                return Posted(str(s["id"]), s.get("url") or "")
        return None

    async def mentions(self, since: str | None) -> tuple[list[Mention], str | None]:
        found = await self._call(
            self._api().notifications, types=["mention"], since_id=since, limit=40
        )
        out, cursor = [], since
        for n in sorted(found, key=lambda n: int(n["id"])):
            cursor = str(n["id"])
            status, who = n.get("status"), n["account"]
            if status is None:
                continue
            author = Account(str(who["id"]), who["acct"], bool(who.get("bot")))
            out.append(Mention(
                id=str(status["id"]), author=author, text=plain_text(status["content"] or ""),
                created_at=status["created_at"].timestamp(),
                reply={"status": str(status["id"]), "visibility": status.get("visibility")},
            ))  # fmt: skip
        return out, cursor

    def _api(self) -> Mastodon:
        if self.api is None or not self.logged_in:
            raise FeedError(f"feed {self.config.name}: not logged in")
        return self.api

    def _me(self) -> Account:
        if self.me is None:
            raise FeedError(f"feed {self.config.name}: not logged in")
        return self.me
