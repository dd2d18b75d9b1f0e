"""Putting ink on the picture: a gradient scrim, a soft shadow, stroked text drawn run by run.

Only the band the scrim covers and the region around the text are touched: the shadow's mask,
blur and blend are the size of the text block (plus the blur's reach), not of the picture.
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from bot.compose.fonts import FontChain
from bot.compose.layout import Layout

RGB = tuple[int, int, int]


def _scrim_column(height: int, box: tuple[int, ...], alpha: float) -> np.ndarray:
    """The veil's opacity per row, 0..255: full over the text block's rows, easing to nothing
    over a block-height above and below (smoothstep). [height] uint8"""
    y0, y1 = box[1], box[3]
    fade = max(8, (y1 - y0))
    y = np.arange(height, dtype=np.float64)
    dist = np.maximum(np.maximum(y0 - y, y - y1), 0) / fade
    t = np.clip(1 - dist, 0, 1)
    column = alpha * t * t * (3 - 2 * t)
    return (column * 255).round().astype(np.uint8)


def scrim_mask(height: int, width: int, box: tuple[int, ...], alpha: float) -> Image.Image:
    """Full opacity over the text block's rows, easing to nothing over a block-height above and
    below (smoothstep), so the veil reads as light falling, not as a box."""
    column = _scrim_column(height, box, alpha)
    return Image.fromarray(np.repeat(column[:, None], width, 1))


def scrim_into(img: Image.Image, layout: Layout, colour: RGB, alpha: float) -> None:
    """apply_scrim in place, on the rows the veil reaches only."""
    column = _scrim_column(img.height, layout.box, alpha)
    rows = np.flatnonzero(column)
    if len(rows) == 0:
        return
    r0, r1 = int(rows[0]), int(rows[-1]) + 1
    band = Image.fromarray(np.repeat(column[r0:r1, None], img.width, 1))
    img.paste(colour, (0, r0, img.width, r1), band)


def apply_scrim(art: Image.Image, layout: Layout, colour: RGB, alpha: float) -> Image.Image:
    img = art.copy()
    scrim_into(img, layout, colour, alpha)
    return img


def _draw_lines(draw: ImageDraw.ImageDraw, layout: Layout, chain_for, fill, stroke: int,
                stroke_fill, offset: tuple[float, float] = (0, 0)) -> None:  # fmt: skip
    for line in layout.lines:
        x = line.x + offset[0]
        for run in line.runs:
            chain: FontChain = chain_for(run.face)
            font = chain.font(run.face, line.size)
            feats = list(run.face.features) or None
            draw.text((x, line.baseline + offset[1]), run.text, fill=fill, font=font, anchor="ls",
                      stroke_width=stroke, stroke_fill=stroke_fill, features=feats)  # fmt: skip
            x += font.getlength(run.text, features=feats)


def text_mask(size: tuple[int, int], layout: Layout, chain_for, stroke: int,
              origin: tuple[int, int] = (0, 0)) -> Image.Image:  # fmt: skip
    """Where ink lands (text and stroke) on a canvas of `size`, the picture placed at origin."""
    mask = Image.new("L", size, 0)
    _draw_lines(ImageDraw.Draw(mask), layout, chain_for, 255, stroke, 255, origin)
    return mask


def _text_region(size: tuple[int, int], layout: Layout, reach: int) -> tuple[int, int, int, int]:
    """The text block's box grown by `reach` (plus an em for overhanging glyphs), on the
    picture."""
    pad = reach + layout.size
    x0, y0, x1, y1 = layout.box
    return max(0, x0 - pad), max(0, y0 - pad), min(size[0], x1 + pad), min(size[1], y1 + pad)


def text_into(img: Image.Image, layout: Layout, chain_for, text: RGB, shade: RGB,
              stroke: int) -> None:  # fmt: skip
    """draw_text in place. The stroked outlines are rasterised once (FreeType's stroker is the
    dear part) and give both the shadow (offset, blurred) and the stroke's ink; the fill is drawn
    over them run by run. Only the text's region is touched."""
    blur = max(1.0, layout.size / 10)
    off = max(1, round(layout.size / 22))
    # A box blur of three passes reaches about 3 * (radius + 1) pixels; 4x is ample.
    x0, y0, x1, y1 = _text_region(img.size, layout, off + stroke + 4 * math.ceil(blur) + 4)
    w, h = x1 - x0, y1 - y0
    # The outlines on a canvas reaching `off` further up and left: its (0, 0, w, h) crop is the
    # shadow (the ink moved by off), its (off, off) crop the ink in place.
    outline = text_mask((w + off, h + off), layout, chain_for, stroke, (off - x0, off - y0))
    shadow = outline.crop((0, 0, w, h)).filter(ImageFilter.GaussianBlur(blur))
    img.paste(shade, (x0, y0, x1, y1), shadow.point(lambda v: v * 0.7))
    img.paste(shade, (x0, y0, x1, y1), outline.crop((off, off, off + w, off + h)))
    _draw_lines(ImageDraw.Draw(img), layout, chain_for, text, 0, None)


def draw_text(img: Image.Image, layout: Layout, chain_for, text: RGB, shade: RGB,
              stroke: int) -> Image.Image:  # fmt: skip
    """Shadow first (blurred, offset, in the scrim's colour), then stroked text."""
    out = img.copy()
    text_into(out, layout, chain_for, text, shade, stroke)
    return out
