"""The one small interface every feed service implements, and the plain data it speaks.

A backend is one module, bot/feeds/<service>.py, with a `create(config, state)` function that
returns a Poster; `create_poster` imports it only when a feed of that service is configured, so
adding a service is one file (and its name in config.SERVICES). Blocking client libraries run in
threads (asyncio.to_thread); nothing here waits on the event loop's thread.
"""

from __future__ import annotations

import hashlib
import importlib
from dataclasses import dataclass, field
from typing import Protocol

from bot.errors import BotError
from bot.feeds.config import FeedConfig
from bot.feeds.content import TextLimits
from bot.feeds.image import Upload


class FeedError(BotError):
    """A feed service refused or failed a request; the message says which feed and why."""


class RateLimited(FeedError):
    """The service asked us to wait: nothing more to this feed before `until` (unix seconds)."""

    def __init__(self, message: str, until: float) -> None:
        super().__init__(message)
        self.until = until


class LoginFailed(FeedError):
    """The credentials were refused: retrying will not help until they are replaced."""


@dataclass(frozen=True)
class Account:
    id: str  # Mastodon account id; Bluesky DID
    handle: str  # what a reply puts after '@' (Mastodon acct, Bluesky handle)
    bot: bool = False  # flagged as a bot by its owner


@dataclass(frozen=True)
class Mention:
    """Someone's post that mentions the bot: what to read, and what a reply to it needs."""

    id: str  # unique within the feed: the post's id (Mastodon status id, Bluesky at:// uri)
    author: Account
    text: str  # plain text, the bot's own @handle included
    created_at: float
    reply: dict = field(default_factory=dict)  # service data a reply needs (ids, visibility)


@dataclass(frozen=True)
class Draft:
    """What to post: text, picture (or looping video: upload.video) and its alt text, a reply
    target, an idempotency key (the same key asks the service for the same post: Mastodon's
    Idempotency-Key, Bluesky's rkey)."""

    text: str
    key: str
    upload: Upload | None = None
    alt: str = ""
    reply_to: Mention | None = None
    at: float = 0.0  # when it was first tried (the claim's time): with the key, Bluesky's rkey


@dataclass(frozen=True)
class Posted:
    id: str  # the service's id for the post (status id; at:// uri)
    url: str = ""


class StateStore(Protocol):
    """Where a poster keeps what must outlive the process (a Bluesky session)."""

    async def state(self, feed: str, key: str) -> str | None: ...
    async def set_state(self, feed: str, key: str, value: str) -> None: ...


class Poster(Protocol):
    config: FeedConfig
    limits: TextLimits  # how long a post and its alt text may be
    max_image_bytes: int
    max_video_bytes: int  # an animation (MP4) over this is refused in one line
    me: Account | None  # the bot's own account, once logged in
    logged_in: bool

    async def start(self) -> None:
        """Log in (or restore a kept session) and read the service's limits."""
        ...

    async def close(self) -> None: ...

    async def post(self, draft: Draft) -> Posted:
        """Upload the picture (waiting while the service processes it) and post."""
        ...

    async def find(self, marker: str, since: float, reply_to: str | None = None) -> Posted | None:
        """Our own post containing `marker` made after `since` (and replying to `reply_to`, if
        given), if the account has one: a post cut short by a crash is looked for first."""
        ...

    async def mentions(self, since: str | None) -> tuple[list[Mention], str | None]:
        """Posts mentioning the bot newer than the cursor `since`, oldest first, and the next
        cursor."""
        ...


def create_poster(config: FeedConfig, state: StateStore) -> Poster:
    """The backend for the feed's service (its module imported now, not before)."""
    module = importlib.import_module(f"bot.feeds.{config.service}")
    return module.create(config, state)


def feed_owner(feed: str, account: str = "") -> int:
    """The queue's user id for a feed's own jobs ('' ) or for one account asking through it:
    negative, so it never meets a Discord id, and stable across restarts."""
    digest = hashlib.sha256(f"feed {feed} {account}".encode()).digest()
    return -1 - (int.from_bytes(digest[:7], "big"))


def is_feed_owner(user: int) -> bool:
    return user < 0
