"""The web home of the paintings (aiohttp): a page per replay code that unfurls, the picture in
PNG, WebP or JPEG at the bot's sizes, a gallery of the pieces of the day, and a paint form.

It asks the render queue and the store, never the renderer: a page's picture is one queue job,
painted once however many people ask for it at once, then kept in a disk cache. Other adapters
(Discord embeds, feed posts) link to a painting with `permalink()`, which imports nothing heavy.
"""

from bot.web.links import permalink

__all__ = ["permalink"]
