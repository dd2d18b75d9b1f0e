"""The variation grid: four tiles in two rows with a gap between them, each numbered 1-4 in its
corner (the buttons under the grid take a tile by its number)."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from bot.compose.fonts import FONTS_DIR

GAP = 6  # pixels between tiles, at any size
BACKGROUND = (18, 18, 18)
BADGE_FONT = FONTS_DIR / "DejaVuSans-Bold.ttf"


def tile_size(w: int, h: int) -> tuple[int, int]:
    """The size of each tile of a w x h grid (two by two, GAP between)."""
    return (w - GAP) // 2, (h - GAP) // 2


def tile_box(index: int, w: int, h: int) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) of tile `index` (0-3: left to right, top to bottom)."""
    tw, th = tile_size(w, h)
    x, y = (index % 2) * (tw + GAP), (index // 2) * (th + GAP)
    return x, y, x + tw, y + th


def badge_box(index: int, w: int, h: int) -> tuple[int, int, int, int]:
    """Where tile `index`'s number is drawn (the rest of the tile is the variation's pixels)."""
    x0, y0, _, _ = tile_box(index, w, h)
    d = badge_diameter(*tile_size(w, h))
    m = max(2, d // 3)
    return x0 + m, y0 + m, x0 + m + d, y0 + m + d


def badge_diameter(tw: int, th: int) -> int:
    return max(12, min(tw, th) // 9)


def grid(tiles: list[np.ndarray], w: int, h: int) -> Image.Image:
    """Four H x W x 3 tiles (each tile_size(w, h)) as one w x h picture, numbered 1-4."""
    if len(tiles) != 4:
        raise ValueError("a grid has four tiles")
    img = Image.new("RGB", (w, h), BACKGROUND)
    for i, tile in enumerate(tiles):
        x0, y0, x1, y1 = tile_box(i, w, h)
        if tile.shape[:2] != (y1 - y0, x1 - x0):
            shape = f"{tile.shape[1]}x{tile.shape[0]}"
            raise ValueError(f"tile {i + 1} is {shape}, not {x1 - x0}x{y1 - y0}")
        img.paste(Image.fromarray(tile, "RGB"), (x0, y0))
    draw = ImageDraw.Draw(img, "RGBA")
    for i in range(4):
        box = badge_box(i, w, h)
        d = box[2] - box[0]
        inside = (box[0], box[1], box[2] - 1, box[3] - 1)  # Pillow's box includes its corner
        draw.ellipse(
            inside, fill=(0, 0, 0, 170), outline=(255, 255, 255, 230), width=max(1, d // 14)
        )
        font = ImageFont.truetype(str(BADGE_FONT), max(8, int(d * 0.6)))
        centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
        draw.text(centre, str(i + 1), font=font, fill=(255, 255, 255, 255), anchor="mm")
    return img
