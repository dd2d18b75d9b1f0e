"""Putting ink on the picture: a gradient scrim, a soft shadow, stroked text drawn run by run."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from bot.compose.fonts import FontChain
from bot.compose.layout import Layout

RGB = tuple[int, int, int]


def scrim_mask(height: int, width: int, box: tuple[int, ...], alpha: float) -> Image.Image:
    """Full opacity over the text block's rows, easing to nothing over a block-height above and
    below (smoothstep), so the veil reads as light falling, not as a box."""
    y0, y1 = box[1], box[3]
    fade = max(8, (y1 - y0))
    y = np.arange(height, dtype=np.float64)
    dist = np.maximum(np.maximum(y0 - y, y - y1), 0) / fade
    t = np.clip(1 - dist, 0, 1)
    column = alpha * t * t * (3 - 2 * t)
    return Image.fromarray(np.repeat((column * 255).round().astype(np.uint8)[:, None], width, 1))


def apply_scrim(art: Image.Image, layout: Layout, colour: RGB, alpha: float) -> Image.Image:
    veil = Image.new("RGB", art.size, colour)
    return Image.composite(veil, art, scrim_mask(art.height, art.width, layout.box, alpha))


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


def draw_text(img: Image.Image, layout: Layout, chain_for, text: RGB, shade: RGB,
              stroke: int) -> Image.Image:  # fmt: skip
    """Shadow first (blurred, offset, in the scrim's colour), then stroked text."""
    blur = max(1.0, layout.size / 10)
    off = max(1, round(layout.size / 22))
    shadow = text_mask(img.size, layout, chain_for, stroke, (off, off))
    shadow = shadow.filter(ImageFilter.GaussianBlur(blur)).point(lambda v: v * 0.7)
    img = Image.composite(Image.new("RGB", img.size, shade), img, shadow)
    _draw_lines(ImageDraw.Draw(img), layout, chain_for, text, stroke, shade)
    return img
