"""The gallery's pages: the pieces of the day, newest first.

The piece of the day is derived from the date alone (bot/daily.py), the same for every server
and feed, so the gallery needs no list of its own: it runs from the newest day down to the first
day any server or feed posted one (the store's slots), and at least a page of days back from
today on a bot that has posted none yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.art.code import format_code
from bot.art.recipe import Recipe
from bot.daily import daily_recipe
from bot.store import Store

PER_PAGE = 12


@dataclass(frozen=True)
class Day:
    day: date
    recipe: Recipe

    @property
    def code(self) -> str:
        return format_code(self.recipe)


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    pages: int
    days: list[Day]


async def posted_span(store: Store | None) -> tuple[date, date] | None:
    """The first and last days a piece of the day was posted (Discord or a feed), if any."""
    if store is None:
        return None
    first, last = await store.posted_days()
    if first is None or last is None:
        return None
    return date.fromisoformat(first), date.fromisoformat(last)


def gallery_page(
    today: date, span: tuple[date, date] | None, number: int, per_page: int = PER_PAGE
) -> Page | None:
    """Page `number` of the days, newest first; None past the last page."""
    newest = max(today, span[1]) if span else today
    oldest = min(span[0], newest - timedelta(days=per_page - 1)) if span else None
    oldest = oldest or newest - timedelta(days=per_page - 1)
    total = (newest - oldest).days + 1
    pages = -(-total // per_page)
    if not 1 <= number <= pages:
        return None
    start = (number - 1) * per_page
    count = min(per_page, total - start)
    days = [newest - timedelta(days=start + i) for i in range(count)]
    return Page(number, pages, [Day(d, daily_recipe(d)) for d in days])
