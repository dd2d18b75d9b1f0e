"""The philosophy generator: seed -> short, novel, filtered quote. No Discord, no asyncio."""

from bot.quotes.generator import Quote, QuoteGenerator

__all__ = ["Quote", "QuoteGenerator"]
