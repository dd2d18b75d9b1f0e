"""Reading a replay code back out of a picture someone posted (Replay this image, /replay image:).

The bot's PNGs carry their replay code (and a custom quote) in text chunks (bot/pipeline.py's
metadata), and so does any byte-for-byte re-upload. Only Discord's own attachment hosts are ever
fetched, with the size checked before the download and bounded during it, and the time bounded.
No discord.py here: the cogs pass the attachment's plain fields.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import aiohttp
import yarl
from PIL import Image, UnidentifiedImageError

from bot.art.code import parse_code
from bot.errors import CodeError, UserError
from bot.options import replay_job
from bot.pipeline import PaintSpec

CDN_HOSTS = frozenset({"cdn.discordapp.com", "media.discordapp.net"})  # Discord's attachments
MAX_BYTES = 25 * 1024 * 1024  # bigger than any picture the bot makes (4K PNG under 25 MiB)
TIMEOUT_S = 15.0
NOT_OURS = (
    "this picture has no replay code in it: only the bot's own PNGs (or byte-for-byte copies) "
    "carry one; a screenshot, a JPEG or a WebP does not"
)


@dataclass(frozen=True)
class Found:
    code: str
    custom_quote: str | None


def read_code(data: bytes) -> Found:
    """The replay code (and custom quote) in a PNG's text chunks; UserError when there is none."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.format != "PNG":
                raise UserError(NOT_OURS)
            text = dict(getattr(img, "text", {}) or {})
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise UserError("this attachment is not a picture I can read") from None
    code = text.get("replay-code")
    if not code:
        raise UserError(NOT_OURS)
    try:
        parse_code(code)
    except CodeError as e:
        raise UserError(f"the replay code in this picture cannot be read here: {e}") from None
    custom = text.get("quote") if text.get("quote-engine") == "custom" else None
    return Found(code, custom)


def fields(attachment) -> dict:
    """The plain fields of a discord.Attachment that this module reads."""
    a = attachment
    return {"filename": a.filename, "content_type": a.content_type, "url": a.url,
            "size": a.size}  # fmt: skip


def pick(attachments: list[dict]) -> dict:
    """The first attachment that may be one of the bot's pictures; UserError if none is."""
    if not attachments:
        raise UserError("there is no picture attached to this message")
    for a in attachments:
        name = str(a.get("filename", "")).lower()
        kind = str(a.get("content_type") or "")
        if name.endswith(".png") or kind == "image/png":
            return a
    raise UserError(NOT_OURS)


async def replay_from_picture(
    reader: AttachmentReader, attachment: dict, byte_limit: int, **overrides
) -> PaintSpec:
    """The job that paints the picture a bot PNG holds, with /replay's overrides; its custom
    quote too, unless the overrides ask for another quote or voice."""
    found = read_code(await reader.read(attachment["url"], int(attachment.get("size") or 0)))
    keep = not overrides.get("text") and not overrides.get("new_quote") and not overrides.get(
        "voice")  # fmt: skip
    text = found.custom_quote if keep else overrides.get("text")
    return replay_job(found.code, byte_limit, **{**overrides, "text": text})


class AttachmentReader:
    """Downloads a Discord attachment, bounded: only `hosts`, at most `max_bytes` (refused from
    the size Discord states before any byte is fetched, and cut off past it while reading), and
    within `timeout_s`."""

    def __init__(
        self,
        hosts: frozenset[str] | None = None,
        max_bytes: int = MAX_BYTES,
        timeout_s: float = TIMEOUT_S,
    ) -> None:
        self.hosts = hosts if hosts is not None else CDN_HOSTS
        self.max_bytes, self.timeout_s = max_bytes, timeout_s

    def first_readable(self, attachments: list[dict]) -> dict:
        """The attachment to read (pick), checked before any byte is downloaded."""
        a = pick(attachments)
        self.check(a["url"], int(a.get("size") or 0))
        return a

    def check(self, url: str, size: int) -> None:
        u = yarl.URL(url)
        host = f"{u.host}:{u.port}" if u.port not in (None, 80, 443) else str(u.host)
        if u.scheme not in ("https", "http") or host not in self.hosts:
            raise UserError("that file is not a Discord attachment; I only read those")
        if size > self.max_bytes:
            raise UserError(
                f"this file is {size / 2**20:.1f} MiB; I read pictures up to "
                f"{self.max_bytes / 2**20:.0f} MiB"
            )

    async def read(self, url: str, size: int) -> bytes:
        self.check(url, size)
        timeout = aiohttp.ClientTimeout(total=self.timeout_s)
        try:
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.get(url, allow_redirects=False) as resp,
            ):
                if resp.status != 200:
                    raise UserError(f"Discord did not give me the file (HTTP {resp.status})")
                buf = bytearray()
                async for chunk in resp.content.iter_chunked(64 * 1024):
                    buf += chunk
                    if len(buf) > self.max_bytes:
                        raise UserError(
                            f"this file is bigger than the {self.max_bytes / 2**20:.0f} MiB I read"
                        )
                return bytes(buf)
        except (TimeoutError, aiohttp.ClientError):
            raise UserError("I could not download that file from Discord; try again") from None
