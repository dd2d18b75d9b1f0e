"""A per-person cooldown between paint requests (slash commands and buttons alike)."""

from __future__ import annotations

import time
from collections.abc import Callable


class Cooldown:
    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds, self.clock = seconds, clock
        self._last: dict[int, float] = {}

    def retry_after(self, user: int, seconds: float | None = None) -> float:
        """Seconds this person must still wait; 0 when they may ask now. `seconds`: a longer
        cooldown than the bot's own (a server's /settings)."""
        last = self._last.get(user)
        if last is None:
            return 0.0
        return max(0.0, max(self.seconds, seconds or 0.0) - (self.clock() - last))

    def take(self, user: int, seconds: float | None = None) -> float:
        """Record a request if allowed and return 0; else the seconds left (nothing recorded)."""
        wait = self.retry_after(user, seconds)
        if wait == 0.0:
            self._last[user] = self.clock()
            self._forget_old()
        return wait

    def give_back(self, user: int) -> None:
        """A request that was refused for another reason (queue full) does not count."""
        self._last.pop(user, None)

    def _forget_old(self) -> None:
        if len(self._last) > 10_000:  # bounded memory on a very busy bot
            now = self.clock()
            self._last = {u: t for u, t in self._last.items() if now - t < self.seconds}
