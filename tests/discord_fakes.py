"""Hand-written stand-ins for discord.py's Interaction, channels and client (unit tests).

They record what the bot did, in order, as (kind, details) tuples in one shared log.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from types import SimpleNamespace

import discord

_ids = itertools.count(1000)


class Log(list):
    def kinds(self) -> list[str]:
        return [entry[0] for entry in self]

    def last(self, kind: str):
        return next(e for e in reversed(self) if e[0] == kind)


class FakeResponse:
    def __init__(self, log: Log) -> None:
        self.log, self._done = log, False

    def is_done(self) -> bool:
        return self._done

    async def defer(self, *, thinking: bool = False, ephemeral: bool = False) -> None:
        self._done = True
        self.log.append(("defer", {"thinking": thinking, "ephemeral": ephemeral}))

    async def send_message(self, content=None, **kw) -> None:
        self._done = True
        self.log.append(("send_message", {"content": content, **kw}))


class FakeFollowup:
    def __init__(self, log: Log) -> None:
        self.log = log

    async def send(self, content=None, **kw):
        self.log.append(("followup", {"content": content, **kw}))
        return SimpleNamespace(id=next(_ids))


class FakeMessage:
    def __init__(self, log: Log, channel: int) -> None:
        self.log, self.id, self.channel = log, next(_ids), SimpleNamespace(id=channel)

    async def delete(self) -> None:
        self.log.append(("delete_message", {"id": self.id}))


class FakeInteraction:
    def __init__(
        self,
        user: int = 7,
        *,
        guild: int | None = 100,
        channel: int = 200,
        permissions: discord.Permissions | None = None,
        created_at: datetime | None = None,
        log: Log | None = None,
        user_install: bool = False,
    ) -> None:
        self.log = log if log is not None else Log()
        self.id = next(_ids)
        self.user_install = user_install  # came through the person's own install of the app
        self.user = SimpleNamespace(id=user)
        self.guild_id, self.channel_id = guild, channel
        self.permissions = permissions or discord.Permissions.none()
        self.created_at = created_at or datetime.now(UTC)
        self.filesize_limit = 10 * 1024 * 1024
        self.response = FakeResponse(self.log)
        self.followup = FakeFollowup(self.log)
        self.message = FakeMessage(self.log, channel)
        self.command = None
        self.locale = "en-US"

    def is_guild_integration(self) -> bool:
        return self.guild_id is not None and not self.user_install

    async def edit_original_response(self, **kw):
        self.log.append(("edit", kw))
        return SimpleNamespace(id=next(_ids), channel=SimpleNamespace(id=self.channel_id))

    async def delete_original_response(self) -> None:
        self.log.append(("delete_original", {}))


class FakeChannel:
    """A channel: what is sent is logged, and kept (in `posted`) for history() to read back."""

    def __init__(
        self, log: Log, channel: int, fail: bool = False, posted: list | None = None, author=None
    ) -> None:
        self.log, self.id, self.fail = log, channel, fail
        self.posted = posted if posted is not None else []
        self.author = author or SimpleNamespace(id=1)

    async def send(self, content=None, **kw):
        if self.fail:
            raise discord.HTTPException(SimpleNamespace(status=403, reason="Forbidden"), "no")
        self.log.append(("channel_send", {"channel": self.id, "content": content, **kw}))
        msg = SimpleNamespace(
            id=next(_ids), author=self.author, content=content or "",
            embeds=[kw["embed"]] if kw.get("embed") else [], interaction_metadata=None,
        )  # fmt: skip
        self.posted.append(msg)
        return msg

    async def history(self, *, limit: int = 100, after=None):
        for msg in self.posted[-limit:]:
            yield msg


class FakeClient:
    """What the painter needs of the bot: its user, and channels by id (what was posted in
    each is kept, so a restarted painter can find it)."""

    def __init__(self, log: Log | None = None) -> None:
        self.log = log if log is not None else Log()
        self.user = SimpleNamespace(id=1)
        self.posted: dict[int, list] = {}

    def get_partial_messageable(self, channel: int, *, guild_id: int | None = None):
        posted = self.posted.setdefault(channel, [])
        return FakeChannel(self.log, channel, posted=posted, author=self.user)

    def response_message(self, channel: int, asker: int, code: str) -> SimpleNamespace:
        """A result Discord shows as an interaction's response (its metadata names the asker)."""
        msg = SimpleNamespace(
            id=next(_ids), author=self.user, content="",
            embeds=[discord.Embed(description=f"Replay code `{code}`")],
            interaction_metadata=SimpleNamespace(user=SimpleNamespace(id=asker)),
        )  # fmt: skip
        self.posted.setdefault(channel, []).append(msg)
        return msg
