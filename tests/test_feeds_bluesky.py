"""Bluesky's session (issue 15): logins are limited per day, so the session is kept in the store,
refreshed before it expires and restored on start; the app password is used again only when the
session no longer works."""

from __future__ import annotations

import pytest
from fake_bluesky import APP_PASSWORD, HANDLE, FakeBluesky

from bot.feeds.bluesky import SESSION_KEY, BlueskyPoster, record_key
from bot.feeds.config import FeedConfig
from bot.feeds.poster import LoginFailed
from bot.store import Store
from bot.store.feeds import FeedStore


@pytest.fixture
async def world(tmp_path):
    fake = FakeBluesky(access_ttl_s=600)  # under atproto's 15 minutes: refreshed before use
    await fake.start()
    store = await Store.open(tmp_path / "bot.db")
    yield fake, FeedStore(store)
    await store.close()
    await fake.close()


def config(fake: FakeBluesky, secret: str = APP_PASSWORD) -> FeedConfig:
    return FeedConfig(name="sky", service="bluesky", server=fake.url, handle=HANDLE, secret=secret)


async def test_the_session_is_kept_refreshed_and_restored(world):
    fake, state = world
    first = BlueskyPoster(config(fake), state)
    await first.start()
    saved = await state.state("sky", SESSION_KEY)
    assert fake.sessions == 1 and saved
    await first.mentions(None)  # the access token expires within 15 minutes: refreshed first
    assert fake.refreshes >= 1 and await state.state("sky", SESSION_KEY) != saved
    await first.close()
    for _ in range(3):  # restarts log in no more
        again = BlueskyPoster(config(fake), state)
        await again.start()
        await again.mentions(None)
        await again.close()
    assert fake.sessions == 1


async def test_a_dead_session_logs_in_again_once(world):
    fake, state = world
    first = BlueskyPoster(config(fake), state)
    await first.start()
    await first.close()
    fake.access.clear()  # the PDS forgot every token (revoked, or the refresh token expired)
    fake.refresh.clear()
    again = BlueskyPoster(config(fake), state)
    await again.start()
    assert fake.sessions == 2 and again.logged_in
    await again.close()


async def test_a_refused_app_password_is_one_line_without_the_password(world):
    fake, state = world
    wrong = "zzzz-zzzz-zzzz-zzzz"
    poster = BlueskyPoster(config(fake, wrong), state)
    with pytest.raises(LoginFailed, match="feed sky: Bluesky refused the login") as e:
        await poster.start()
    assert wrong not in str(e.value) and not poster.logged_in
    await poster.close()


def test_record_keys_are_tids_fixed_by_key_and_time():
    tid = record_key("cppn-daily-sky-2026-05-01", 1777618800.25)
    assert len(tid) == 13 and set(tid) <= set("234567abcdefghijklmnopqrstuvwxyz")
    assert tid[0] in "234567abcdefghij"  # the top bit is zero
    assert tid == record_key("cppn-daily-sky-2026-05-01", 1777618800.25)
    assert tid != record_key("cppn-daily-sky-2026-05-01", 1777618800.26)
    assert record_key("a", 1.0) < record_key("a", 2.0)  # they sort by time
