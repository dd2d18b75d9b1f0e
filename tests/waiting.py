"""Waiting on conditions in tests, never on a fixed sleep: one helper for every test file."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


async def until(cond: Callable[[], object], timeout: float = 15.0) -> None:
    """Wait (bounded) for a condition that other tasks make true; AssertionError past timeout."""
    try:
        async with asyncio.timeout(timeout):
            while not cond():
                await asyncio.sleep(0.002)
    except TimeoutError:
        raise AssertionError(f"condition not met within {timeout} s") from None
