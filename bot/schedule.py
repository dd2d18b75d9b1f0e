"""When a server's daily post is due: plain dates and times, no discord.py.

A server sets a channel, a local time and a time zone. Its slot for a day is that local time on
that day; the slot is named by the date in the server's zone, and the piece of the day is derived
from that date. A slot missed while the bot was down is caught up within a window, then skipped.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import UserError

SETTING_KEY = "daily"  # the guild_settings key the configuration is stored under


@dataclass(frozen=True)
class DailyConfig:
    channel: int
    time: str  # "HH:MM", 24-hour, in `tz`
    tz: str  # an IANA zone name, e.g. Europe/Paris
    since: float  # unix seconds when it was set: slots before it are not owed

    @classmethod
    def create(cls, channel: int, at: str, tz: str, since: float) -> DailyConfig:
        """Validate what a person typed; raises UserError with what is allowed."""
        hh, mm = parse_time(at)
        zone(tz)
        return cls(channel, f"{hh:02d}:{mm:02d}", tz.strip(), since)

    @classmethod
    def from_dict(cls, d: dict) -> DailyConfig:
        """Validated as when it was set: a stored time or zone that no longer reads raises here
        (a ValueError), where the poster skips that guild, not in the middle of a tick."""
        return cls.create(int(d["channel"]), str(d["time"]), str(d["tz"]), float(d["since"]))

    def to_dict(self) -> dict:
        return asdict(self)

    def slot_at(self, day: date) -> datetime:
        """The moment (aware, UTC) of this server's slot on `day` (a date in its zone)."""
        hh, mm = parse_time(self.time)
        return datetime.combine(day, time(hh, mm), tzinfo=zone(self.tz)).astimezone(ZoneInfo("UTC"))

    def latest_slot(self, now: datetime) -> tuple[date, datetime]:
        """The most recent slot at or before `now` (aware): its day and moment."""
        today = now.astimezone(zone(self.tz)).date()
        for day in (today, today - timedelta(days=1), today - timedelta(days=2)):
            at = self.slot_at(day)
            if at <= now:
                return day, at
        raise AssertionError("a daily slot always falls within two days")  # pragma: no cover

    def next_slot(self, now: datetime) -> datetime:
        today = now.astimezone(zone(self.tz)).date()
        return next(at for d in range(3) if (at := self.slot_at(today + timedelta(days=d))) > now)


@dataclass(frozen=True)
class Due:
    day: date
    at: datetime
    late_s: float  # how long after its moment the slot is being posted


def due_slot(cfg: DailyConfig, now: datetime, catchup_s: float) -> Due | None:
    """The slot to post now, if any: the latest one, if it is owed and not too late.
    (Whether it was already claimed is the store's to say.)"""
    day, at = cfg.latest_slot(now)
    if at.timestamp() < cfg.since:
        return None  # set up after this slot: the first post is the next one
    late = (now - at).total_seconds()
    return Due(day, at, late) if late <= catchup_s else None


def missed_slot(cfg: DailyConfig, now: datetime, catchup_s: float) -> date | None:
    """The latest slot's day, if it is owed but too late to post (to log, once)."""
    day, at = cfg.latest_slot(now)
    if at.timestamp() >= cfg.since and (now - at).total_seconds() > catchup_s:
        return day
    return None


def parse_time(text: str) -> tuple[int, int]:
    # 9, 09, 9:30, 09.30, 21h, 21h00; not 930 (is it 9:30 or 93:0?)
    m = re.fullmatch(r"\s*(\d{1,2})(?:[:.](\d{2})|h(\d{2})?)?\s*", text or "")
    if m:
        hh, mm = int(m.group(1)), int(m.group(2) or m.group(3) or 0)
        if hh < 24 and mm < 60:
            return hh, mm
    raise UserError(f"time {text!r} is not a 24-hour time like 09:30 or 21:00")


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "Europe" is a folder
        raise UserError(
            f"time zone {name!r} is unknown: use a name like Europe/Paris, America/New_York, UTC"
        ) from None


def post_nonce(guild: int, day: date) -> int:
    """The message nonce of a guild's daily post: Discord drops a repeat send with it."""
    digest = hashlib.sha256(f"daily {guild} {day.isoformat()}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1  # a positive 63-bit int
