"""The feeds' tables in the SQLite store: daily slots per feed, mentions answered exactly once,
and each feed's own state (its notification cursor, a Bluesky session kept between starts).

Same connection and rules as Store (every write commits before it returns); FeedStore(store).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from bot.store.store import Store


@dataclass(frozen=True)
class FeedSlot:
    feed: str
    day: str
    status: str  # claimed (a post under way, or cut short) | posted
    render_id: str | None
    post_id: str | None
    claimed_at: float
    posted_at: float | None


@dataclass(frozen=True)
class MentionRow:
    feed: str
    mention: str
    author: str
    status: str  # claimed | answered | ignored
    request: dict  # what the reply needs, as the poster gave it
    render_id: str | None
    reply_id: str | None
    claimed_at: float
    answered_at: float | None


class FeedStore:
    def __init__(self, store: Store) -> None:
        self.db = store.db

    async def _write(self, sql: str, params: tuple) -> int:
        cur = await self.db.execute(sql, params)
        await self.db.commit()
        return cur.rowcount

    # --- daily slots ----------------------------------------------------------------------------
    async def claim_slot(self, feed: str, day: str) -> bool:
        """Take a feed's slot for a day; False if it was already taken (posted or under way)."""
        return (
            await self._write(
                "INSERT OR IGNORE INTO feed_slots (feed, day, status, claimed_at)"
                " VALUES (?, ?, 'claimed', ?)",
                (feed, day, time.time()),
            )
            == 1
        )

    async def set_slot_render(self, feed: str, day: str, render_id: str) -> None:
        await self._write(
            "UPDATE feed_slots SET render_id = ? WHERE feed = ? AND day = ? AND status = 'claimed'",
            (render_id, feed, day),
        )

    async def mark_slot_posted(self, feed: str, day: str, render_id: str | None, post: str) -> bool:
        return (
            await self._write(
                "UPDATE feed_slots SET status = 'posted', render_id = COALESCE(?, render_id),"
                " post_id = ?, posted_at = ? WHERE feed = ? AND day = ? AND status = 'claimed'",
                (render_id, post, time.time(), feed, day),
            )
            == 1
        )

    async def slot(self, feed: str, day: str) -> FeedSlot | None:
        async with self.db.execute(
            "SELECT * FROM feed_slots WHERE feed = ? AND day = ?", (feed, day)
        ) as cur:
            row = await cur.fetchone()
        return None if row is None else FeedSlot(**dict(row))

    # --- mentions -------------------------------------------------------------------------------
    async def claim_mention(self, feed: str, mention: str, author: str, request: dict) -> bool:
        """Take a mention to answer; False if seen before (answered, ignored or under way)."""
        return (
            await self._write(
                "INSERT OR IGNORE INTO feed_mentions (feed, mention, author, status, request,"
                " claimed_at) VALUES (?, ?, ?, 'claimed', ?, ?)",
                (feed, mention, author, json.dumps(request), time.time()),
            )
            == 1
        )

    async def set_mention_render(self, feed: str, mention: str, render_id: str) -> None:
        await self._write(
            "UPDATE feed_mentions SET render_id = ? WHERE feed = ? AND mention = ?",
            (render_id, feed, mention),
        )

    async def finish_mention(
        self, feed: str, mention: str, reply_id: str | None, status: str = "answered"
    ) -> bool:
        """Answered (with the reply's id) or ignored (a bot, ourselves): never looked at again."""
        return (
            await self._write(
                "UPDATE feed_mentions SET status = ?, reply_id = ?, answered_at = ?"
                " WHERE feed = ? AND mention = ? AND status = 'claimed'",
                (status, reply_id, time.time(), feed, mention),
            )
            == 1
        )

    async def forget_mention(self, feed: str, mention: str) -> None:
        """Drop an unanswered claim, so the mention is handled afresh (after a restart)."""
        await self._write(
            "DELETE FROM feed_mentions WHERE feed = ? AND mention = ? AND status = 'claimed'",
            (feed, mention),
        )

    async def mention(self, feed: str, mention: str) -> MentionRow | None:
        rows = await self._mentions("WHERE feed = ? AND mention = ?", (feed, mention))
        return rows[0] if rows else None

    async def mention_by_render(self, render_id: str) -> MentionRow | None:
        rows = await self._mentions("WHERE render_id = ?", (render_id,))
        return rows[0] if rows else None

    async def open_mentions(self, feed: str) -> list[MentionRow]:
        """Claimed and never finished: a crash between claiming and answering."""
        return await self._mentions(
            "WHERE feed = ? AND status = 'claimed' ORDER BY claimed_at", (feed,)
        )

    async def _mentions(self, where: str, params: tuple) -> list[MentionRow]:
        async with self.db.execute(f"SELECT * FROM feed_mentions {where}", params) as cur:
            rows = [dict(r) for r in await cur.fetchall()]
        return [MentionRow(**{**r, "request": json.loads(r["request"])}) for r in rows]

    # --- state ----------------------------------------------------------------------------------
    async def state(self, feed: str, key: str) -> str | None:
        async with self.db.execute(
            "SELECT value FROM feed_state WHERE feed = ? AND key = ?", (feed, key)
        ) as cur:
            row = await cur.fetchone()
        return None if row is None else row[0]

    async def set_state(self, feed: str, key: str, value: str) -> None:
        await self._write(
            "INSERT INTO feed_state (feed, key, value) VALUES (?, ?, ?)"
            " ON CONFLICT (feed, key) DO UPDATE SET value = excluded.value",
            (feed, key, value),
        )

    async def last_posted(self, feed: str) -> float | None:
        """When the feed last posted anything (a daily piece or a reply), unix seconds."""
        async with self.db.execute(
            "SELECT MAX(t) FROM (SELECT MAX(posted_at) AS t FROM feed_slots WHERE feed = ?"
            " UNION ALL SELECT MAX(answered_at) FROM feed_mentions WHERE feed = ?"
            " AND status = 'answered')",
            (feed, feed),
        ) as cur:
            row = await cur.fetchone()
        return None if row is None else row[0]
