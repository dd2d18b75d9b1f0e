"""Addresses of a painting on the web site: plain strings, no aiohttp, for every adapter."""

from __future__ import annotations

from urllib.parse import quote

from bot.compose.encode import EXTENSIONS

# extension -> type: the stills the bot encodes (from the one table, EXTENSIONS)
FORMATS = {ext: mime for mime, ext in EXTENSIONS.items() if ext in ("png", "webp", "jpg")}
ANIMATION = "mp4"  # /p/{code}.mp4: the painting's animated loop (bot/motion)


def permalink(base_url: str, code: str) -> str | None:
    """The painting's page, e.g. https://art.example.org/p/2-3zk8q2; None when the site has no
    public address (base_url "": the `web_public_url` setting is unset)."""
    if not base_url:
        return None
    return f"{base_url.rstrip('/')}/p/{quote(code, safe=',.-')}"


def picture_path(code: str, ext: str = "png", size: str | None = None) -> str:
    """The path of the painting's file on the site, at one of the bot's sizes (None: as coded)."""
    if ext not in FORMATS and ext != ANIMATION:
        raise ValueError(f"{ext!r} is not one of {', '.join(FORMATS)}")
    tail = f"?size={size}" if size else ""
    return f"/p/{quote(code, safe=',.-')}.{ext}{tail}"
