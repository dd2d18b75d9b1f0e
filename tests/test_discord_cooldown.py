"""The per-person cooldown between paint requests, on a hand-driven clock."""

from __future__ import annotations

import pytest

from bot.cooldown import Cooldown


class FakeClock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_a_first_request_is_allowed(clock):
    cd = Cooldown(10, clock)
    assert cd.retry_after(1) == 0.0
    assert cd.take(1) == 0.0


def test_a_second_request_waits_out_the_rest(clock):
    cd = Cooldown(10, clock)
    cd.take(1)
    assert cd.take(1) == 10.0
    clock.advance(4)
    assert cd.retry_after(1) == pytest.approx(6.0)
    assert cd.take(1) == pytest.approx(6.0)
    clock.advance(6)
    assert cd.retry_after(1) == 0.0
    assert cd.take(1) == 0.0


def test_a_refused_request_does_not_restart_the_wait(clock):
    cd = Cooldown(10, clock)
    cd.take(1)
    clock.advance(9)
    assert cd.take(1) == pytest.approx(1.0)  # refused: nothing recorded
    clock.advance(1)
    assert cd.take(1) == 0.0


def test_an_allowed_request_restarts_the_wait(clock):
    cd = Cooldown(10, clock)
    cd.take(1)
    clock.advance(15)
    assert cd.take(1) == 0.0
    clock.advance(5)
    assert cd.take(1) == pytest.approx(5.0)


def test_the_wait_never_goes_negative(clock):
    cd = Cooldown(10, clock)
    cd.take(1)
    clock.advance(1e6)
    assert cd.retry_after(1) == 0.0


def test_each_person_has_their_own_cooldown(clock):
    cd = Cooldown(10, clock)
    cd.take(1)
    assert cd.take(2) == 0.0
    assert cd.take(1) == 10.0
    assert cd.take(2) == 10.0


def test_give_back_forgets_the_request(clock):
    cd = Cooldown(10, clock)
    cd.take(1)
    cd.give_back(1)  # e.g. the queue was full: that attempt does not count
    assert cd.retry_after(1) == 0.0
    assert cd.take(1) == 0.0
    cd.give_back(999)  # never asked: nothing to do, no error


def test_zero_seconds_never_makes_anyone_wait(clock):
    cd = Cooldown(0, clock)
    assert [cd.take(1) for _ in range(5)] == [0.0] * 5


def test_memory_stays_bounded_but_people_still_cooling_down_are_kept(clock):
    cd = Cooldown(10, clock)
    for user in range(10_001):
        cd.take(user)  # all at t0
    clock.advance(5)
    for user in range(20_000, 20_010):
        cd.take(user)  # t0 + 5: the cleanup runs, but nobody's wait is over yet
    assert cd.take(0) == pytest.approx(5.0)
    assert cd.take(20_000) == pytest.approx(10.0)
    clock.advance(6)  # the first 10,001 are free again; the last ten are not
    cd.take(30_000)
    assert len(cd._last) <= 11  # the expired entries were dropped
    assert cd.take(20_005) == pytest.approx(4.0)
    assert cd.take(0) == 0.0
