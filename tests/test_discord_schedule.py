"""When a server's daily post is due: parsing what a person typed, slots across zones and DST,
the catch-up window, and the message nonce. Plain dates and times, no discord.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.errors import UserError
from bot.schedule import (
    DailyConfig,
    Due,
    due_slot,
    missed_slot,
    parse_time,
    post_nonce,
    zone,
)

H = 3600.0
CATCHUP = 12 * H
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC).timestamp()


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def cfg(at: str = "09:30", tz: str = "UTC", since: float = LONG_AGO) -> DailyConfig:
    return DailyConfig.create(1234, at, tz, since)


# --- what a person typed -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "typed, stored",
    [
        ("9:30", "09:30"),
        ("09:30", "09:30"),
        ("21h00", "21:00"),
        ("21h", "21:00"),
        ("7", "07:00"),
        ("9.30", "09:30"),
        (" 09:30 ", "09:30"),
        ("0:00", "00:00"),
        ("23:59", "23:59"),
    ],
)
def test_create_accepts_common_ways_of_writing_a_time(typed, stored):
    c = DailyConfig.create(55, typed, "Europe/Paris", 1.5)
    assert c == DailyConfig(55, stored, "Europe/Paris", 1.5)


@pytest.mark.parametrize(
    "typed",
    [
        "24:00",
        "9:60",
        "noon",
        "",
        "   ",
        "25",
        "9:5",
        "-1:00",
        "12:30pm",
        "9:30:00",
        "1:2:3",
        "930",
        "9:",
    ],
)
def test_create_rejects_a_bad_time_saying_what_is_allowed(typed):
    with pytest.raises(UserError) as e:
        DailyConfig.create(55, typed, "UTC", 0.0)
    msg = str(e.value)
    assert repr(typed) in msg
    assert "24-hour" in msg and "09:30" in msg
    assert "\n" not in msg


def test_parse_time_of_none_is_a_user_error():
    with pytest.raises(UserError):
        parse_time(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "tz", ["Mars/Olympus_Mons", "Paris", "", "  ", "Europe", "America", "../../etc/passwd",
           "/etc/localtime", "Europe/Paris\x00"],
)  # fmt: skip
def test_create_rejects_an_unknown_zone_with_examples(tz):
    with pytest.raises(UserError) as e:
        DailyConfig.create(55, "09:00", tz, 0.0)
    msg = str(e.value)
    assert "unknown" in msg and "Europe/Paris" in msg


def test_create_strips_the_zone_name():
    assert DailyConfig.create(55, "09:00", "  Asia/Tokyo ", 0.0).tz == "Asia/Tokyo"


def test_config_round_trips_through_a_dict():
    c = cfg("21:15", "America/New_York", 1_700_000_000.25)
    stored = {"channel": 1234, "time": "21:15", "tz": "America/New_York", "since": 1_700_000_000.25}
    assert c.to_dict() == stored
    assert DailyConfig.from_dict(stored) == c


def test_from_dict_accepts_what_json_gives_back():
    raw = {"channel": "99", "time": "08:00", "tz": "UTC", "since": 12}
    assert DailyConfig.from_dict(raw) == DailyConfig(99, "08:00", "UTC", 12.0)


@pytest.mark.parametrize(
    "raw",
    [
        {"channel": 1, "time": "08:00", "tz": "UTC"},  # no since
        {"channel": "general", "time": "08:00", "tz": "UTC", "since": 0},
        {"channel": 1, "time": "noon", "tz": "UTC", "since": 0},
        {"channel": 1, "time": "08:00", "tz": "Mars/Base", "since": 0},
    ],
)
def test_from_dict_refuses_what_it_cannot_use(raw):
    """A stored config that cannot be scheduled fails when read (a ValueError the poster
    skips), not later in the middle of a tick."""
    with pytest.raises((KeyError, ValueError)):
        DailyConfig.from_dict(raw)


# --- slots across zones and DST ------------------------------------------------------------------
@pytest.mark.parametrize(
    "tz, at, day, want",
    [
        ("UTC", "09:30", date(2026, 3, 29), utc(2026, 3, 29, 9, 30)),
        ("Europe/Paris", "09:30", date(2026, 1, 15), utc(2026, 1, 15, 8, 30)),
        ("Europe/Paris", "09:30", date(2026, 7, 1), utc(2026, 7, 1, 7, 30)),
        # Spring forward (02:00 CET -> 03:00 CEST, 2026-03-29): 09:30 stays 09:30 local.
        ("Europe/Paris", "09:30", date(2026, 3, 28), utc(2026, 3, 28, 8, 30)),
        ("Europe/Paris", "09:30", date(2026, 3, 29), utc(2026, 3, 29, 7, 30)),
        # Fall back (03:00 CEST -> 02:00 CET, 2026-10-25).
        ("Europe/Paris", "09:30", date(2026, 10, 24), utc(2026, 10, 24, 7, 30)),
        ("Europe/Paris", "09:30", date(2026, 10, 25), utc(2026, 10, 25, 8, 30)),
        ("America/New_York", "09:00", date(2026, 3, 7), utc(2026, 3, 7, 14)),
        ("America/New_York", "09:00", date(2026, 3, 8), utc(2026, 3, 8, 13)),
        ("America/New_York", "09:00", date(2026, 10, 31), utc(2026, 10, 31, 13)),
        ("America/New_York", "09:00", date(2026, 11, 1), utc(2026, 11, 1, 14)),
        ("Asia/Kolkata", "00:15", date(2026, 6, 1), utc(2026, 5, 31, 18, 45)),
        ("Pacific/Auckland", "08:00", date(2026, 1, 15), utc(2026, 1, 14, 19)),
    ],
)
def test_slot_at(tz, at, day, want):
    got = cfg(at, tz).slot_at(day)
    assert got == want
    assert got.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "tz, at",
    [("Europe/Paris", "09:30"), ("America/New_York", "23:45"), ("Australia/Sydney", "06:00"),
     ("Asia/Kolkata", "12:00"), ("Pacific/Chatham", "00:00"), ("UTC", "13:37")],
)  # fmt: skip
def test_the_local_wall_clock_time_is_kept_all_year(tz, at):
    c = cfg(at, tz)
    hh, mm = (int(x) for x in at.split(":"))
    for i in range(366):
        day = date(2026, 1, 1) + timedelta(days=i)
        local = c.slot_at(day).astimezone(ZoneInfo(tz))
        assert (local.date(), local.hour, local.minute) == (day, hh, mm)


def test_a_time_that_does_not_exist_that_day_still_gives_one_slot():
    """02:30 is skipped in Paris on 2026-03-29 (02:00 CET is 03:00 CEST, 01:00 UTC): the slot
    is 02:30 read with the offset of either side, 00:30 or 01:30 UTC."""
    c = cfg("02:30", "Europe/Paris")
    at = c.slot_at(date(2026, 3, 29))
    assert at in (utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 1, 30))
    assert c.latest_slot(utc(2026, 3, 29, 2)) == (date(2026, 3, 29), at)
    assert c.latest_slot(utc(2026, 3, 29, 0, 29)) == (date(2026, 3, 28), utc(2026, 3, 28, 1, 30))


def test_a_time_that_happens_twice_that_day_is_one_slot():
    """02:30 happens twice in Paris on 2026-10-25: only one of them is the slot."""
    c = cfg("02:30", "Europe/Paris")
    seen = set()
    now = utc(2026, 10, 24, 23)
    while now < utc(2026, 10, 25, 6):
        seen.add(c.latest_slot(now))
        now += timedelta(minutes=5)
    days = [day for day, _ in seen]
    assert days.count(date(2026, 10, 25)) == 1
    # 02:30 CEST is 00:30 UTC, 02:30 CET is 01:30 UTC: the slot is one of them
    [at] = [at for day, at in seen if day == date(2026, 10, 25)]
    assert at in (utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30))


@pytest.mark.parametrize(
    "tz, at, now, want_day, want_at",
    [
        # UTC: before, exactly at, after the slot
        ("UTC", "09:30", utc(2026, 5, 1, 9, 29, 59), date(2026, 4, 30), utc(2026, 4, 30, 9, 30)),
        ("UTC", "09:30", utc(2026, 5, 1, 9, 30), date(2026, 5, 1), utc(2026, 5, 1, 9, 30)),
        ("UTC", "09:30", utc(2026, 5, 1, 23, 59), date(2026, 5, 1), utc(2026, 5, 1, 9, 30)),
        # Auckland is already tomorrow: the slot is named by the local date
        ("Pacific/Auckland", "08:00", utc(2026, 1, 14, 20), date(2026, 1, 15),
         utc(2026, 1, 14, 19)),
        # Los Angeles is still yesterday, and before its 23:00
        ("America/Los_Angeles", "23:00", utc(2026, 1, 15, 6, 30), date(2026, 1, 13),
         utc(2026, 1, 14, 7)),
        # Paris on the spring-forward day, between the UTC and the local 09:30
        ("Europe/Paris", "09:30", utc(2026, 3, 29, 8), date(2026, 3, 29), utc(2026, 3, 29, 7, 30)),
        ("Europe/Paris", "09:30", utc(2026, 3, 29, 7, 29), date(2026, 3, 28),
         utc(2026, 3, 28, 8, 30)),
        # Paris on the fall-back day: 08:00 UTC is 09:00 local, before the slot
        ("Europe/Paris", "09:30", utc(2026, 10, 25, 8), date(2026, 10, 24),
         utc(2026, 10, 24, 7, 30)),
        ("America/New_York", "09:00", utc(2026, 3, 8, 13, 30), date(2026, 3, 8),
         utc(2026, 3, 8, 13)),
    ],
)  # fmt: skip
def test_latest_slot(tz, at, now, want_day, want_at):
    assert cfg(at, tz).latest_slot(now) == (want_day, want_at)


@pytest.mark.parametrize(
    "tz, at, now, want",
    [
        ("UTC", "09:30", utc(2026, 5, 1, 9, 29), utc(2026, 5, 1, 9, 30)),
        ("UTC", "09:30", utc(2026, 5, 1, 9, 30), utc(2026, 5, 2, 9, 30)),  # strictly after now
        ("Europe/Paris", "09:30", utc(2026, 3, 28, 9), utc(2026, 3, 29, 7, 30)),
        ("Europe/Paris", "09:30", utc(2026, 10, 24, 9), utc(2026, 10, 25, 8, 30)),
        ("America/New_York", "09:00", utc(2026, 11, 1, 13, 30), utc(2026, 11, 1, 14)),
        ("Pacific/Auckland", "08:00", utc(2026, 1, 14, 18), utc(2026, 1, 14, 19)),
    ],
)
def test_next_slot(tz, at, now, want):
    assert cfg(at, tz).next_slot(now) == want


@pytest.mark.parametrize(
    "tz, day, hours",
    [("Europe/Paris", date(2026, 3, 28), 23), ("Europe/Paris", date(2026, 10, 24), 25),
     ("America/New_York", date(2026, 3, 7), 23), ("America/New_York", date(2026, 10, 31), 25),
     ("Europe/Paris", date(2026, 6, 1), 24)],
)  # fmt: skip
def test_slots_are_a_local_day_apart_across_dst(tz, day, hours):
    c = cfg("09:30", tz)
    assert c.slot_at(day + timedelta(days=1)) - c.slot_at(day) == timedelta(hours=hours)


# Days on which 02:30 does not exist in the zone (clocks jump from 02:00 to 03:00), by the
# published 2026 rules; on other days the slot is 02:30 local time exactly.
SKIPPED_0230 = {("Europe/Paris", date(2026, 3, 29)), ("America/New_York", date(2026, 3, 8))}


@pytest.mark.parametrize("tz", ["Europe/Paris", "America/New_York", "Pacific/Auckland", "UTC"])
def test_latest_and_next_slot_bracket_now(tz):
    c = cfg("02:30", tz)  # a time that DST skips or repeats in three of these zones
    now = utc(2026, 3, 1)
    while now < utc(2026, 4, 10):
        day, at = c.latest_slot(now)
        nxt = c.next_slot(now)
        assert at <= now < nxt
        local = at.astimezone(ZoneInfo(tz))
        if (tz, day) in SKIPPED_0230:  # read with the offset of one side of the jump
            assert local.date() == day and (local.hour, local.minute) in ((1, 30), (3, 30))
        else:
            assert (local.date(), local.hour, local.minute) == (day, 2, 30)
        assert timedelta(hours=22) <= nxt - at <= timedelta(hours=26)
        assert c.latest_slot(nxt) == (day + timedelta(days=1), nxt)
        now += timedelta(minutes=47)


def test_latest_slot_works_from_any_aware_now():
    c = cfg("09:30", "Europe/Paris")
    now = utc(2026, 7, 1, 12)  # 21:00 in Tokyo; the slot is 09:30 CEST, 07:30 UTC
    want = (date(2026, 7, 1), utc(2026, 7, 1, 7, 30))
    assert c.latest_slot(now) == want
    assert c.latest_slot(now.astimezone(ZoneInfo("Asia/Tokyo"))) == want
    assert c.latest_slot(now.astimezone(ZoneInfo("America/Los_Angeles"))) == want  # 05:00 there


# --- is it due? ----------------------------------------------------------------------------------
SLOT = utc(2026, 5, 1, 9, 30)


def test_due_once_the_slot_has_come():
    assert due_slot(cfg(), SLOT + timedelta(hours=1), CATCHUP) == Due(date(2026, 5, 1), SLOT, H)
    assert due_slot(cfg(), SLOT, CATCHUP) == Due(date(2026, 5, 1), SLOT, 0.0)


def test_before_the_slot_yesterday_is_long_gone():
    now = SLOT - timedelta(minutes=1)  # yesterday's slot is 23 h 59 min late
    assert due_slot(cfg(), now, CATCHUP) is None
    assert missed_slot(cfg(), now, CATCHUP) == date(2026, 4, 30)


def test_set_up_after_the_slot_owes_nothing_until_the_next():
    since = (SLOT + timedelta(minutes=5)).timestamp()
    c = cfg(since=since)
    assert due_slot(c, SLOT + timedelta(minutes=10), CATCHUP) is None
    assert missed_slot(c, SLOT + timedelta(hours=20), CATCHUP) is None  # nothing was owed
    nxt = SLOT + timedelta(days=1)
    assert due_slot(c, nxt, CATCHUP) == Due(date(2026, 5, 2), nxt, 0.0)


def test_set_up_at_the_very_moment_of_the_slot_owes_it():
    c = cfg(since=SLOT.timestamp())
    assert due_slot(c, SLOT + timedelta(seconds=1), CATCHUP) is not None


def test_catch_up_window():
    inside = SLOT + timedelta(seconds=CATCHUP)
    outside = inside + timedelta(seconds=1)
    assert due_slot(cfg(), inside, CATCHUP) == Due(date(2026, 5, 1), SLOT, CATCHUP)
    assert missed_slot(cfg(), inside, CATCHUP) is None
    assert due_slot(cfg(), outside, CATCHUP) is None
    assert missed_slot(cfg(), outside, CATCHUP) == date(2026, 5, 1)


def test_catch_up_after_downtime_across_midnight_in_the_servers_zone():
    c = cfg("23:00", "America/New_York")  # 03:00 UTC the next day
    at = utc(2026, 5, 2, 3)
    due = due_slot(c, at + timedelta(hours=11), CATCHUP)
    assert due == Due(date(2026, 5, 1), at, 11 * H)


def test_due_slot_on_the_spring_forward_day():
    c = cfg("09:30", "Europe/Paris")
    assert due_slot(c, utc(2026, 3, 29, 7, 29), 3600) is None  # 08:29 local: not yet
    due = due_slot(c, utc(2026, 3, 29, 7, 30), 3600)
    assert due == Due(date(2026, 3, 29), utc(2026, 3, 29, 7, 30), 0.0)


def test_zero_catch_up_posts_only_on_the_dot():
    assert due_slot(cfg(), SLOT, 0) is not None
    assert due_slot(cfg(), SLOT + timedelta(seconds=1), 0) is None


# --- the nonce -----------------------------------------------------------------------------------
def test_post_nonce_is_stable():
    # Pinned: a restarted bot (a new process) must send the same nonce as the one that crashed.
    assert post_nonce(123456789012345678, date(2026, 3, 29)) == 3796592545103870401


def test_post_nonce_is_a_positive_63_bit_int_distinct_per_guild_and_day():
    guilds = [1, 2, 10**17, 10**17 + 1, 2**63 - 1]
    days = [date(2026, 1, 1) + timedelta(days=i) for i in range(60)]
    nonces = [post_nonce(g, d) for g in guilds for d in days]
    assert all(isinstance(n, int) and 0 < n < 2**63 for n in nonces)
    assert len(set(nonces)) == len(nonces)
    assert all(len(str(n)) <= 25 for n in nonces)  # Discord's limit on a nonce


def test_zone_is_found_by_name():
    assert zone(" Europe/Paris ") == ZoneInfo("Europe/Paris")
