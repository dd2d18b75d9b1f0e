"""Waiting on conditions in tests, never on a fixed sleep: one helper for every test file."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable


async def until(
    cond: Callable[[], object | Awaitable[object]], timeout: float = 15.0, every: float = 0.002
) -> None:
    """Wait (bounded) for a condition that other tasks make true; AssertionError past timeout.
    `cond` may be a coroutine function (e.g. one that asks a server); it is asked every
    `every` seconds until it is truthy."""

    async def met() -> bool:
        value = cond()
        if inspect.isawaitable(value):
            value = await value
        return bool(value)

    try:
        async with asyncio.timeout(timeout):
            while not await met():
                await asyncio.sleep(every)
    except TimeoutError:
        raise AssertionError(f"condition not met within {timeout} s") from None
