"""Image bytes under a byte limit: PNG with metadata, else WebP or JPEG, else smaller."""

from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from PIL import Image
from PIL.PngImagePlugin import PngInfo

from bot.errors import BotError

DISCORD_DEFAULT_LIMIT = 10 * 1024 * 1024  # what Discord allows per upload without boosts
MIN_SIDE = 64
# The file types a picture may be sent as, and the extension each is saved under.
EXTENSIONS = {"image/png": "png", "image/webp": "webp", "image/jpeg": "jpg"}


@dataclass(frozen=True)
class Encoded:
    data: bytes
    mime: str
    width: int
    height: int
    note: str  # what was done to fit, for the record and the reply ("" when plain PNG)

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.mime]


def _png(img: Image.Image, meta: dict[str, str]) -> bytes:
    info = PngInfo()
    for key, value in meta.items():
        info.add_itxt(key, value)  # iTXt: UTF-8, so custom quotes in any script survive
    buf = io.BytesIO()
    img.save(buf, "PNG", pnginfo=info, optimize=False, compress_level=6)
    return buf.getvalue()


def _xmp(meta: dict[str, str]) -> bytes:
    fields = "".join(f"<cppn:{k.replace('-', '_')}>{escape(v)}</cppn:{k.replace('-', '_')}>"
                     for k, v in meta.items())  # fmt: skip
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
        '22-rdf-syntax-ns#"><rdf:Description xmlns:cppn="https://cppn-bot.invalid/ns/">'
        f"{fields}</rdf:Description></rdf:RDF></x:xmpmeta>"
    ).encode()


def _webp(img: Image.Image, meta: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "WEBP", quality=90, method=4, xmp=_xmp(meta))
    return buf.getvalue()


def _jpeg(img: Image.Image, meta: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    comment = "; ".join(f"{k}: {v}" for k, v in meta.items())
    img.save(buf, "JPEG", quality=90, subsampling=0, comment=comment.encode())
    return buf.getvalue()


def _mb(n: int) -> str:
    return f"{n / 1_048_576:.1f} MiB"


def encode(img: Image.Image, meta: dict[str, str], limit: int = DISCORD_DEFAULT_LIMIT) -> Encoded:
    """PNG if it fits the limit; else WebP, else JPEG; else the JPEG at smaller sizes."""
    data = _png(img, meta)
    if len(data) <= limit:
        return Encoded(data, "image/png", img.width, img.height, "")
    over = f"PNG would be {_mb(len(data))}, over the {_mb(limit)} limit"
    for mime, fn, name in (("image/webp", _webp, "WebP"), ("image/jpeg", _jpeg, "JPEG")):
        if max(img.size) > 16383 and mime == "image/webp":
            continue  # WebP's largest side
        data = fn(img, meta)
        if len(data) <= limit:
            return Encoded(data, mime, img.width, img.height, f"{over}: sent as {name} q90")
    scaled = img
    while len(data) > limit and min(scaled.size) > MIN_SIDE:
        size = (max(1, round(scaled.width * 0.8)), max(1, round(scaled.height * 0.8)))
        scaled = img.resize(size, Image.Resampling.LANCZOS)
        data = _jpeg(scaled, meta)
    if len(data) > limit:
        raise BotError(f"cannot fit a picture in {limit} bytes")
    note = f"{over}: sent as JPEG q90 at {scaled.width}x{scaled.height}"
    return Encoded(data, "image/jpeg", scaled.width, scaled.height, note)
