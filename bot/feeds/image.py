"""A picture's file made to fit a service's upload limit (Bluesky: 1,000,000 bytes): kept as it
is when it fits, else JPEG at falling quality, then smaller, keeping its aspect ratio. An
animation (an MP4 loop) goes up as it is, or is refused in one line when over the video limit."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

from bot.errors import BotError, UserError
from bot.pipeline import Picture

QUALITIES = (90, 82, 74, 66)
SHRINK = 0.85  # each step down in size, per side
MIN_SIDE = 64


@dataclass(frozen=True)
class MediaLimits:
    """A service's upload limits in bytes, when it does not say its own."""

    image: int
    video: int


MEDIA_LIMITS = {
    "mastodon": MediaLimits(16 * 1024 * 1024, 99 * 1024 * 1024),  # Mastodon's own defaults
    "bluesky": MediaLimits(1_000_000, 100_000_000),  # our loops are a few hundred KB
}


@dataclass(frozen=True)
class Upload:
    data: bytes
    mime: str
    width: int
    height: int

    @property
    def video(self) -> bool:
        return is_video(self.mime)


def is_video(mime: str) -> bool:
    return mime.startswith("video/")


def fit(p: Picture, max_bytes: int, max_video_bytes: int | None = None) -> Upload:
    """The picture's bytes if they fit, else a JPEG under `max_bytes`. An animation's bytes as
    they are (never opened as an image): UserError when over `max_video_bytes`."""
    if is_video(p.mime):
        most = max_bytes if max_video_bytes is None else max_video_bytes
        if len(p.data) > most:
            raise UserError(
                f"the animation is {len(p.data):,} bytes, more than the {most:,} this service "
                "takes; ask for fewer seconds or a smaller size"
            )
        return Upload(p.data, p.mime, p.width, p.height)
    if len(p.data) <= max_bytes:
        return Upload(p.data, p.mime, p.width, p.height)
    img = Image.open(io.BytesIO(p.data)).convert("RGB")
    while True:
        for quality in QUALITIES:
            data = _jpeg(img, quality, p.code)
            if len(data) <= max_bytes:
                return Upload(data, "image/jpeg", img.width, img.height)
        if min(img.size) * SHRINK < MIN_SIDE:
            raise BotError(f"cannot fit the picture in {max_bytes} bytes")
        size = (round(img.width * SHRINK), round(img.height * SHRINK))
        img = img.resize(size, Image.Resampling.LANCZOS)


def _jpeg(img: Image.Image, quality: int, code: str) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, optimize=True, comment=f"replay-code: {code}".encode())
    return buf.getvalue()
