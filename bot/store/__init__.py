"""SQLite store (the embedded default): renders, per-guild settings, daily-post slots."""

from bot.store.store import DailySlot, RenderRow, Store

__all__ = ["DailySlot", "RenderRow", "Store"]
