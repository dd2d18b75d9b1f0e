"""A picture's file made to fit a service's upload limit (Bluesky: 1,000,000 bytes): kept as it
is when it fits, else JPEG at falling quality, then smaller, keeping its aspect ratio."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

from bot.errors import BotError
from bot.pipeline import Picture

QUALITIES = (90, 82, 74, 66)
SHRINK = 0.85  # each step down in size, per side
MIN_SIDE = 64


@dataclass(frozen=True)
class Upload:
    data: bytes
    mime: str
    width: int
    height: int


def fit(p: Picture, max_bytes: int) -> Upload:
    """The picture's bytes if they fit, else a JPEG under `max_bytes`."""
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
