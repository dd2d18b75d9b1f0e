"""Image bytes under a byte limit: PNG with metadata, else WebP or JPEG, else smaller.

The PNG is written here rather than by Pillow: every row Sub-filtered (each byte minus the one a
pixel to its left, one numpy subtraction) and deflated with zlib's run-length strategy (matches
at distance one only: on smooth, Sub-filtered art that finds most of what level 6 finds). Pillow
tries all five filters on every row and deflates at level 6: a default /paint took ~200 ms for
1.14 MB, this ~26 ms for 1.35 MB (bench/encode_bench.py compares levels, strategies and formats
side by side). A picture whose PNG is over the limit is tried as lossless WebP (smaller, slower)
before lossy formats.
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass
from xml.sax.saxutils import escape

import numpy as np
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from bot.errors import BotError

DISCORD_DEFAULT_LIMIT = 10 * 1024 * 1024  # what Discord allows per upload without boosts
MIN_SIDE = 64
# The file types a picture may be sent as, and the extension each is saved under.
# Every file type the bot makes, stills and animations (bot/motion/video.py), and its extension.
EXTENSIONS = {
    "image/png": "png", "image/webp": "webp", "image/jpeg": "jpg",
    "video/mp4": "mp4", "image/gif": "gif",
}  # fmt: skip
PNG_STRATEGY = zlib.Z_RLE  # 2x faster than level 1 and smaller; ~20% over Pillow's level 6
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_COLOUR = {"L": (0, 1), "RGB": (2, 3), "RGBA": (6, 4)}  # mode -> (colour type, bytes/pixel)


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


def _chunk(kind: bytes, data: bytes | memoryview) -> bytes:
    crc = zlib.crc32(data, zlib.crc32(kind))
    return struct.pack(">I", len(data)) + kind + bytes(data) + struct.pack(">I", crc)


def _itxt(key: str, value: str) -> bytes:
    """An iTXt chunk's data: UTF-8 text, uncompressed, no language (what Pillow writes)."""
    return key.encode("latin-1") + b"\0\0\0\0\0" + value.encode("utf-8")


def sub_filtered(img: Image.Image) -> np.ndarray:
    """The image's rows, each prefixed by filter type 1 (Sub) and filtered: [h, 1 + w*bpp]."""
    bpp = _PNG_COLOUR[img.mode][1]
    rows = np.asarray(img, dtype=np.uint8).reshape(img.height, img.width * bpp)
    out = np.empty((img.height, rows.shape[1] + 1), dtype=np.uint8)
    out[:, 0] = 1
    out[:, 1 : 1 + bpp] = rows[:, :bpp]
    np.subtract(rows[:, bpp:], rows[:, :-bpp], out=out[:, 1 + bpp :])  # mod 256, as PNG wants
    return out


def _deflate(data: np.ndarray, strategy: int = PNG_STRATEGY) -> bytes:
    z = zlib.compressobj(1, zlib.DEFLATED, 15, 9, strategy)
    return z.compress(memoryview(data).cast("B")) + z.flush()


def _png(img: Image.Image, meta: dict[str, str]) -> bytes:
    if img.mode not in _PNG_COLOUR:  # palette, 16-bit, ...: Pillow's encoder
        return _pillow_png(img, meta)
    header = struct.pack(">IIBBBBB", img.width, img.height, 8, _PNG_COLOUR[img.mode][0], 0, 0, 0)
    text = b"".join(_chunk(b"iTXt", _itxt(k, v)) for k, v in meta.items())
    idat = _deflate(sub_filtered(img))
    return b"".join(
        (_PNG_SIGNATURE, _chunk(b"IHDR", header), text, _chunk(b"IDAT", idat), _chunk(b"IEND", b""))
    )


def _pillow_png(img: Image.Image, meta: dict[str, str], level: int = 6) -> bytes:
    info = PngInfo()
    for key, value in meta.items():
        info.add_itxt(key, value)  # iTXt: UTF-8, so custom quotes in any script survive
    buf = io.BytesIO()
    img.save(buf, "PNG", pnginfo=info, optimize=False, compress_level=level)
    return buf.getvalue()


def _xmp(meta: dict[str, str]) -> bytes:
    fields = "".join(f"<cppn:{k.replace('-', '_')}>{escape(v)}</cppn:{k.replace('-', '_')}>"
                     for k, v in meta.items())  # fmt: skip
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
        '22-rdf-syntax-ns#"><rdf:Description xmlns:cppn="https://cppn-bot.invalid/ns/">'
        f"{fields}</rdf:Description></rdf:RDF></x:xmpmeta>"
    ).encode()


def webp(img: Image.Image, meta: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "WEBP", quality=90, method=4, xmp=_xmp(meta))
    return buf.getvalue()


def _webp_lossless(img: Image.Image, meta: dict[str, str]) -> bytes:
    buf = io.BytesIO()  # method 1 quality 20: ~20% under Pillow's level-6 PNG, a few times faster
    img.save(buf, "WEBP", lossless=True, method=1, quality=20, xmp=_xmp(meta))
    return buf.getvalue()


def jpeg(img: Image.Image, meta: dict[str, str]) -> bytes:
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
    for mime, fn, name in (("image/webp", _webp_lossless, "lossless WebP"),
                           ("image/webp", webp, "WebP q90"),
                           ("image/jpeg", jpeg, "JPEG q90")):  # fmt: skip
        if max(img.size) > 16383 and mime == "image/webp":
            continue  # WebP's largest side
        data = fn(img, meta)
        if len(data) <= limit:
            return Encoded(data, mime, img.width, img.height, f"{over}: sent as {name}")
    scaled = img
    while len(data) > limit and min(scaled.size) > MIN_SIDE:
        size = (max(1, round(scaled.width * 0.8)), max(1, round(scaled.height * 0.8)))
        scaled = img.resize(size, Image.Resampling.LANCZOS)
        data = jpeg(scaled, meta)
    if len(data) > limit:
        raise BotError(f"cannot fit a picture in {limit} bytes")
    note = f"{over}: sent as JPEG q90 at {scaled.width}x{scaled.height}"
    return Encoded(data, "image/jpeg", scaled.width, scaled.height, note)
