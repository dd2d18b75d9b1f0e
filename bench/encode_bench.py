"""Encoders side by side: bytes and milliseconds for the default /paint picture, one thread.

    python bench/encode_bench.py [--size 1024x1024] [--layers 16] [--seeds 1,2,3] [--repeats 3]

The picture is the bot's real output (render + quote + compose) for each seed; every encoder
runs on the same image, best of `repeats`. Rows: the bot's PNG (Sub filter, zlib level 1, written
by bot/compose/encode.py), Sub-filtered PNG at other zlib levels, Pillow's PNG (adaptive filters)
at levels 1..6, lossless WebP at a few efforts, and the lossy fallbacks (WebP q90, JPEG q90).
"""

from __future__ import annotations

import argparse
import io
import sys
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bot.art import Recipe, Renderer  # noqa: E402
from bot.compose import Caption, Compositor  # noqa: E402
from bot.compose import encode as enc  # noqa: E402


def _save(img, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def _deflate(raw, level: int, strategy: int) -> bytes:
    c = zlib.compressobj(level, zlib.DEFLATED, 15, 9, strategy)
    return c.compress(memoryview(raw).cast("B")) + c.flush()


def encoders() -> dict[str, object]:
    meta = {"replay-code": "2-1a-d16", "quote": "A quote, long enough to be a real one."}
    table: dict[str, object] = {"the bot's PNG": lambda im: enc._png(im, meta)}
    for name, level, strategy in (("zlib 1", 1, zlib.Z_DEFAULT_STRATEGY),
                                  ("zlib 2", 2, zlib.Z_DEFAULT_STRATEGY),
                                  ("zlib 3", 3, zlib.Z_DEFAULT_STRATEGY),
                                  ("zlib 6", 6, zlib.Z_DEFAULT_STRATEGY),
                                  ("zlib RLE", 1, zlib.Z_RLE),
                                  ("Huffman only", 1, zlib.Z_HUFFMAN_ONLY)):  # fmt: skip
        table[f"Sub-filtered PNG, {name}"] = lambda im, lv=level, st=strategy: _deflate(
            enc.sub_filtered(im), lv, st
        )
    for level in range(1, 7):
        table[f"Pillow PNG, level {level}"] = lambda im, lv=level: _save(
            im, "PNG", compress_level=lv
        )
    table["lossless WebP, method 0"] = lambda im: _save(
        im, "WEBP", lossless=True, method=0, quality=0
    )
    table["lossless WebP, method 1 (fallback)"] = lambda im: enc._webp_lossless(im, meta)
    table["lossless WebP, method 4"] = lambda im: _save(
        im, "WEBP", lossless=True, method=4, quality=75
    )
    table["WebP q90 (lossy fallback)"] = lambda im: enc._webp(im, meta)
    table["JPEG q90 (lossy fallback)"] = lambda im: enc._jpeg(im, meta)
    return table


def best_of(fn, repeats: int) -> tuple[float, bytes]:
    best, out = float("inf"), b""
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", default="1024x1024")
    ap.add_argument("--layers", type=int, default=16)
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    w, h = (int(v) for v in a.size.split("x"))
    renderer, compositor = Renderer.create("cpu"), Compositor()
    quote = Caption("What the network paints, it never saw; what it saw, it never paints.", "CPPN")
    images = []
    for seed in (int(s) for s in a.seeds.split(",")):
        art = renderer.render(Recipe(seed=seed, layers=a.layers, w=w, h=h))
        images.append(compositor.compose(art, quote)[0])
    print(f"{len(images)} pictures of {w}x{h} (default /paint, {a.layers} layers, with a quote); "
          f"mean of the seeds' best-of-{a.repeats} times, one thread")  # fmt: skip
    print(f"{'encoder':38} {'ms':>8} {'MB':>7}   lossless")
    for name, fn in encoders().items():
        runs = [best_of(lambda im=im, fn=fn: fn(im), a.repeats) for im in images]
        ms = 1000 * sum(t for t, _ in runs) / len(runs)
        mb = sum(len(d) for _, d in runs) / len(runs) / 1e6
        lossless = "no" if "lossy" in name else "yes"
        print(f"{name:38} {ms:8.1f} {mb:7.3f}   {lossless}")


if __name__ == "__main__":
    main()
