"""The SQLite store (aiosqlite): renders, per-guild settings and daily-post slots.

Every write commits before it returns, with synchronous=FULL in WAL mode, so a job the queue has
acknowledged is on disk even if the process is killed the next instant.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sqlite3
import time
from dataclasses import dataclass, fields
from pathlib import Path

import aiosqlite

from bot.errors import StoreError
from bot.store.migrations import MIGRATIONS

STATUSES = ("queued", "done", "failed", "cancelled")


@dataclass(frozen=True)
class RenderRow:
    id: str
    code: str
    custom_quote: str | None
    byte_limit: int
    priority: int
    owner: int
    guild: int | None
    channel: int | None
    message: int | None
    status: str
    created_at: float
    finished_at: float | None = None
    timings: dict | None = None
    device: str | None = None
    versions: dict | None = None
    error: str | None = None
    delivered_at: float | None = None  # the result (or its error) reached the person
    form: str = ""  # what the job makes (bot.forms.Form.text): "" a still, a loop, a Vary grid


@dataclass(frozen=True)
class DailySlot:
    guild: int
    day: str
    status: str  # claimed (a post is under way or was cut short) | posted
    render_id: str | None
    message: int | None
    claimed_at: float
    posted_at: float | None


_JSON_COLUMNS = ("timings", "versions")


class Store:
    def __init__(self, db: aiosqlite.Connection) -> None:
        self.db = db

    @classmethod
    async def open(cls, path: str | Path, migrations: tuple[str, ...] = MIGRATIONS) -> Store:
        """Open (creating if needed), check and migrate to the latest schema. A database that
        cannot be used (corrupt, read-only, not a file, in a missing directory) raises StoreError
        with one line naming the file and what is wrong, and leaves no connection open."""
        await asyncio.to_thread(check_database, path)
        try:
            db = await aiosqlite.connect(str(path))
        except sqlite3.Error as e:  # changed since the check; aiosqlite has stopped its thread
            raise StoreError(explain(path, e)) from None
        store = cls(db)
        try:
            db.row_factory = aiosqlite.Row
            await db.execute("PRAGMA journal_mode = WAL")
            await db.execute("PRAGMA synchronous = FULL")
            await db.execute("PRAGMA foreign_keys = ON")
            await store.migrate(migrations)
        except BaseException as e:
            # Close first, whatever happened: aiosqlite's worker thread keeps the process alive.
            with contextlib.suppress(sqlite3.Error):
                await db.close()
            if isinstance(e, sqlite3.Error):
                raise StoreError(explain(path, e)) from None
            if isinstance(e, StoreError):
                raise StoreError(f"the database {path}: {e}") from None
            raise
        return store

    async def close(self) -> None:
        await self.db.close()

    async def schema_version(self) -> int:
        async with self.db.execute("PRAGMA user_version") as cur:
            return (await cur.fetchone())[0]

    async def migrate(self, migrations: tuple[str, ...] = MIGRATIONS) -> int:
        """Run the migrations this database has not seen, each in its own transaction."""
        version = await self.schema_version()
        if version > len(migrations):
            raise StoreError(f"the database is at schema {version}, newer than this bot knows")
        for number, sql in enumerate(migrations[version:], start=version + 1):
            try:
                await self.db.executescript(
                    f"BEGIN; {sql}; PRAGMA user_version = {number}; COMMIT;"
                )
            except Exception as e:
                if self.db.in_transaction:
                    await self.db.rollback()
                raise StoreError(f"migration {number} failed: {e}") from e
        return await self.schema_version()

    # --- renders ------------------------------------------------------------------------------
    async def add_render(self, row: RenderRow) -> None:
        names = [f.name for f in fields(RenderRow)]
        values = [_to_sql(n, getattr(row, n)) for n in names]
        marks = ", ".join("?" * len(names))
        await self.db.execute(f"INSERT INTO renders ({', '.join(names)}) VALUES ({marks})", values)
        await self.db.commit()

    async def finish_render(
        self,
        render_id: str,
        status: str,
        *,
        timings: dict | None = None,
        device: str | None = None,
        versions: dict | None = None,
        error: str | None = None,
    ) -> bool:
        """Record the outcome of a queued render; False if it had already finished."""
        if status not in STATUSES[1:]:
            raise ValueError(f"status {status!r} is not a finished status")
        cur = await self.db.execute(
            "UPDATE renders SET status = ?, finished_at = ?, timings = ?, device = ?, versions = ?,"
            " error = ? WHERE id = ? AND status = 'queued'",
            (status, time.time(), _json(timings), device, _json(versions), error, render_id),
        )
        await self.db.commit()
        return cur.rowcount == 1

    async def record_outcome(
        self,
        render_id: str,
        *,
        timings: dict | None = None,
        device: str | None = None,
        versions: dict | None = None,
        error: str | None = None,
    ) -> bool:
        """Write a queued render's outcome but keep it queued (unfinished() still lists it) until
        finish_render: the queue records first and marks finished once the result is handed on,
        so a crash in between re-queues it. False if it had already finished."""
        cur = await self.db.execute(
            "UPDATE renders SET finished_at = ?, timings = ?, device = ?, versions = ?, error = ?"
            " WHERE id = ? AND status = 'queued'",
            (time.time(), _json(timings), device, _json(versions), error, render_id),
        )
        await self.db.commit()
        return cur.rowcount == 1

    async def mark_delivered(
        self, render_id: str, channel: int | None = None, message: int | None = None
    ) -> None:
        """The result reached its person (posted as `message`, when known)."""
        await self.db.execute(
            "UPDATE renders SET delivered_at = ?, channel = COALESCE(?, channel),"
            " message = COALESCE(?, message) WHERE id = ?",
            (time.time(), channel, message, render_id),
        )
        await self.db.commit()

    async def undelivered(self, since: float) -> list[RenderRow]:
        """Done since `since` but never delivered: the process died between the two."""
        return await self._renders(
            "WHERE status = 'done' AND delivered_at IS NULL AND finished_at >= ?"
            " ORDER BY finished_at",
            (since,),
        )

    async def get_render(self, render_id: str) -> RenderRow | None:
        rows = await self._renders("WHERE id = ?", (render_id,))
        return rows[0] if rows else None

    async def unfinished(self) -> list[RenderRow]:
        """Accepted renders with no outcome yet, oldest first: what a restart re-queues."""
        return await self._renders("WHERE status = 'queued' ORDER BY created_at, rowid", ())

    async def renders_by_status(self) -> dict[str, int]:
        async with self.db.execute("SELECT status, COUNT(*) FROM renders GROUP BY status") as cur:
            return {status: n for status, n in await cur.fetchall()}

    async def _renders(self, where: str, params: tuple) -> list[RenderRow]:
        async with self.db.execute(f"SELECT * FROM renders {where}", params) as cur:
            rows = await cur.fetchall()
        return [RenderRow(**{k: _from_sql(k, v) for k, v in dict(r).items()}) for r in rows]

    # --- a person's paintings ------------------------------------------------------------------
    async def history(self, owner: int, limit: int, offset: int = 0) -> list[RenderRow]:
        """A person's finished paintings, newest first (/history, /replay's suggestions)."""
        return await self._renders(
            "WHERE owner = ? AND status = 'done' ORDER BY created_at DESC, rowid DESC"
            " LIMIT ? OFFSET ?",
            (owner, limit, offset),
        )

    async def count_history(self, owner: int) -> int:
        async with self.db.execute(
            "SELECT COUNT(*) FROM renders WHERE owner = ? AND status = 'done'", (owner,)
        ) as cur:
            return (await cur.fetchone())[0]

    async def forget(self, owner: int) -> int:
        """Remove a person's finished renders (/history delete); jobs still queued stay, and so
        do the renders a daily post or a feed's reply refers to (they are not the person's)."""
        cur = await self.db.execute(
            "DELETE FROM renders WHERE owner = ? AND status != 'queued'"
            " AND id NOT IN (SELECT render_id FROM daily_slots WHERE render_id IS NOT NULL)"
            " AND id NOT IN (SELECT render_id FROM feed_slots WHERE render_id IS NOT NULL)"
            " AND id NOT IN (SELECT render_id FROM feed_mentions WHERE render_id IS NOT NULL)",
            (owner,),
        )
        await self.db.commit()
        return cur.rowcount

    # --- a server's own settings ----------------------------------------------------------------
    async def server_settings(self, guild: int) -> dict[str, object]:
        async with self.db.execute(
            "SELECT value FROM server_settings WHERE guild = ?", (guild,)
        ) as cur:
            row = await cur.fetchone()
        return json.loads(row[0]) if row else {}

    async def set_server_settings(self, guild: int, value: dict, by: int) -> None:
        await self.db.execute(
            "INSERT INTO server_settings (guild, value, changed_at, changed_by) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (guild) DO UPDATE SET value = excluded.value,"
            " changed_at = excluded.changed_at, changed_by = excluded.changed_by",
            (guild, json.dumps(value, sort_keys=True), time.time(), by),
        )
        await self.db.commit()

    # --- Discord logins -------------------------------------------------------------------------
    async def record_login(self, keep_s: float = 2 * 86400) -> None:
        now = time.time()
        await self.db.execute("INSERT INTO logins (at) VALUES (?)", (now,))
        await self.db.execute("DELETE FROM logins WHERE at < ?", (now - keep_s,))
        await self.db.commit()

    async def logins_since(self, since: float) -> int:
        async with self.db.execute("SELECT COUNT(*) FROM logins WHERE at >= ?", (since,)) as cur:
            return (await cur.fetchone())[0]

    # --- per-guild settings -------------------------------------------------------------------
    async def guild_settings(self, guild: int) -> dict[str, object]:
        async with self.db.execute(
            "SELECT key, value FROM guild_settings WHERE guild = ?", (guild,)
        ) as cur:
            return {k: json.loads(v) for k, v in await cur.fetchall()}

    async def set_guild_setting(self, guild: int, key: str, value: object) -> None:
        await self.db.execute(
            "INSERT INTO guild_settings (guild, key, value) VALUES (?, ?, ?)"
            " ON CONFLICT (guild, key) DO UPDATE SET value = excluded.value",
            (guild, key, json.dumps(value)),
        )
        await self.db.commit()

    async def guilds_with(self, key: str) -> dict[int, object]:
        """Every guild that has `key` set, with its value."""
        async with self.db.execute(
            "SELECT guild, value FROM guild_settings WHERE key = ?", (key,)
        ) as cur:
            return {g: json.loads(v) for g, v in await cur.fetchall()}

    async def delete_guild_setting(self, guild: int, key: str) -> bool:
        cur = await self.db.execute(
            "DELETE FROM guild_settings WHERE guild = ? AND key = ?", (guild, key)
        )
        await self.db.commit()
        return cur.rowcount == 1

    # --- daily-post slots ---------------------------------------------------------------------
    async def posted_days(self) -> tuple[str | None, str | None]:
        """The first and last day (YYYY-MM-DD) a piece of the day was posted anywhere: in a
        Discord server or on a feed. (None, None) before the first."""
        async with self.db.execute(
            "SELECT MIN(day), MAX(day) FROM (SELECT day FROM daily_slots WHERE status = 'posted'"
            " UNION ALL SELECT day FROM feed_slots WHERE status = 'posted')"
        ) as cur:
            first, last = await cur.fetchone()
        return first, last

    async def claim_slot(self, guild: int, day: str) -> bool:
        """Take the slot for a day; False if it was already taken (posted or under way)."""
        cur = await self.db.execute(
            "INSERT OR IGNORE INTO daily_slots (guild, day, status, claimed_at)"
            " VALUES (?, ?, 'claimed', ?)",
            (guild, day, time.time()),
        )
        await self.db.commit()
        return cur.rowcount == 1

    async def set_slot_render(self, guild: int, day: str, render_id: str) -> None:
        """The render painting a claimed slot's piece: a restart adopts it instead of painting
        the piece again (the queue re-queues it, unfinished, with the same id)."""
        await self.db.execute(
            "UPDATE daily_slots SET render_id = ?"
            " WHERE guild = ? AND day = ? AND status = 'claimed'",
            (render_id, guild, day),
        )
        await self.db.commit()

    async def mark_slot_posted(self, guild: int, day: str, render_id: str, message: int) -> bool:
        cur = await self.db.execute(
            "UPDATE daily_slots SET status = 'posted', render_id = ?, message = ?, posted_at = ?"
            " WHERE guild = ? AND day = ? AND status = 'claimed'",
            (render_id, message, time.time(), guild, day),
        )
        await self.db.commit()
        return cur.rowcount == 1

    async def slot(self, guild: int, day: str) -> DailySlot | None:
        slots = await self._slots("WHERE guild = ? AND day = ?", (guild, day))
        return slots[0] if slots else None

    async def claimed_slots(self) -> list[DailySlot]:
        """Slots claimed but never marked posted: a crash mid-post; the poster decides."""
        return await self._slots("WHERE status = 'claimed' ORDER BY day", ())

    async def _slots(self, where: str, params: tuple) -> list[DailySlot]:
        async with self.db.execute(f"SELECT * FROM daily_slots {where}", params) as cur:
            return [DailySlot(**dict(r)) for r in await cur.fetchall()]


def _json(value: dict | None) -> str | None:
    return None if value is None else json.dumps(value, sort_keys=True)


def _to_sql(name: str, value: object) -> object:
    return _json(value) if name in _JSON_COLUMNS else value  # type: ignore[arg-type]


def _from_sql(name: str, value: object) -> object:
    return json.loads(value) if name in _JSON_COLUMNS and value is not None else value


def check_database(path: str | Path) -> None:
    """Open the file with plain sqlite3 (its own thread, closed here whatever happens) and check
    that it is a database, intact (PRAGMA quick_check: a damaged page anywhere is found at start,
    not mid-run) and writable; else StoreError, one line naming the file and what is wrong."""
    try:
        db = sqlite3.connect(str(path), isolation_level=None)
    except sqlite3.Error as e:
        raise StoreError(explain(path, e)) from None
    try:
        db.execute("PRAGMA journal_mode = WAL")
        problems = [
            line
            for row in db.execute("PRAGMA quick_check").fetchall()
            for line in str(row[0]).splitlines()
            if line.strip() and not line.startswith("*** ")  # "*** in database main ***"
        ]
        if problems != ["ok"]:
            more = f" and {len(problems) - 1} more problems" if len(problems) > 1 else ""
            raise sqlite3.DatabaseError(f"quick_check found: {problems[0]}{more}")
        # SQLite opens a file it cannot write read-only, silently: write, then roll back, so a
        # read-only file fails here rather than at the first real write.
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute(f"PRAGMA user_version = {version}")
        finally:
            db.execute("ROLLBACK")
    except sqlite3.Error as e:
        raise StoreError(explain(path, e)) from None
    finally:
        db.close()


def explain(path: str | Path, error: sqlite3.Error) -> str:
    """One line: which file, and what is wrong with it (from the file system where it can tell)."""
    p, text = Path(path), " ".join(str(error).split())
    where = f"the database {p}"
    if p.is_dir():
        return f"{where} is a directory; give the path of a database file"
    parent = p.parent
    if not parent.exists():
        return f"{where} cannot be created: the directory {parent} does not exist"
    if not parent.is_dir():
        return f"{where} cannot be created: {parent} is not a directory"
    if "not a database" in text or "malformed" in text or "quick_check" in text:
        return (
            f"{where} is corrupt or not a SQLite database ({text}); restore it from a backup, "
            "or move it aside to start with an empty one"
        )
    if p.exists() and not os.access(p, os.R_OK | os.W_OK):
        return f"{where} is read-only (its permissions or immutable attribute); it must be writable"
    if not os.access(parent, os.W_OK | os.X_OK):
        verb = "used" if p.exists() else "created"
        return (
            f"{where} cannot be {verb}: its directory {parent} is read-only, and SQLite keeps "
            "its journal (the -wal and -shm files) beside the database"
        )
    return f"{where} cannot be used: {text}"
