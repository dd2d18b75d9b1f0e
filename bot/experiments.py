"""The article's experiments as one labelled contact sheet (`cppn-bot experiments`)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from bot.art.code import format_code
from bot.art.recipe import Recipe
from bot.art.render import Renderer

FONTS = Path(__file__).resolve().parent.parent / "fonts"
BACKGROUND, INK, MUTED = (17, 17, 20), (235, 235, 235), (150, 150, 160)
COLUMNS = 6

# (row title, [(caption, recipe changes), ...]) -- in the article's order
SERIES: list[tuple[str, list[tuple[str, dict]]]] = [
    ("1  Initialisation (9 layers of 16 tanh neurons)", [
        ("PyTorch default: grey goo", {"init": "default"}),
        ("uniform ±100, raw pixels", {"init": "uniform", "range": 100.0, "coords": "raw"}),
        ("uniform ±100, −0.5..0.5", {"init": "uniform", "range": 100.0}),
        ("±100, zoom ×0.01: Mondrian", {"init": "uniform", "range": 100.0, "zoom": 0.01}),
        ("uniform ±3", {"init": "uniform", "range": 3.0}),
        ("normal σ=1 (the default)", {}),
    ]),
    ("2  Depth (16 neurons a layer)", [
        ("0 hidden layers", {"layers": 0}),
        ("1 hidden layer", {"layers": 1}),
        ("4 hidden layers", {"layers": 4}),
        ("8 hidden layers", {"layers": 8}),
        ("16 hidden layers", {"layers": 16}),
        ("29 hidden layers", {"layers": 29}),
    ]),
    ("3  Width (8 hidden layers)", [
        ("16 neurons", {"layers": 8}),
        ("32 neurons", {"layers": 8, "width": 32}),
        ("64 neurons", {"layers": 8, "width": 64}),
        ("128 neurons: Pollock", {"layers": 8, "width": 128}),
        ("128 halving to 4", {"layers": 8, "width": 128, "schedule": "halving"}),
        ("16 layers × 16, for contrast", {"layers": 16}),
    ]),
    ("4  Beyond the article", [
        ("sin, σ=0.5", {"activation": "sin", "std": 0.5}),
        ("gaussian", {"activation": "gaussian"}),
        ("relu, σ=0.5", {"activation": "relu", "std": 0.5}),
        ("mixed activations", {"activation": "mix"}),
        ("r input, hsv colour", {"inputs": "xyr", "color": "hsv"}),
        ("black and white", {"color": "bw", "layers": 12}),
    ]),
]  # fmt: skip


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def series_recipes(seed: int, cell: int) -> list[tuple[str, list[tuple[str, Recipe]]]]:
    """The sheet's recipes: every cell shares the seed, so only the named parameter differs."""
    base = Recipe(seed=seed, w=cell, h=cell, quote="none")  # the sheet shows the art alone
    return [(title, [(cap, replace(base, **ch)) for cap, ch in cells]) for title, cells in SERIES]


def contact_sheet(renderer: Renderer, seed: int = 1, cell: int = 200) -> Image.Image:
    """Render every experiment and lay them out with captions and replay codes."""
    pad, caption = cell // 12, cell // 14
    title_h, row_title_h, label_h = cell // 4, cell // 7, caption * 3 + pad
    rows = series_recipes(seed, cell)
    width = pad + COLUMNS * (cell + pad)
    height = title_h + len(rows) * (row_title_h + cell + label_h) + pad
    sheet = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    heading = f"Painting with random networks — seed {seed}"
    draw.text((pad, pad), heading, INK, _font(cell // 9, True))
    y = title_h
    for title, cells in rows:
        draw.text((pad, y + row_title_h // 4), title, INK, _font(caption + 2, True))
        y += row_title_h
        for col, (text, recipe) in enumerate(cells):
            x = pad + col * (cell + pad)
            sheet.paste(Image.fromarray(renderer.render(recipe)), (x, y))
            draw.text((x, y + cell + pad // 3), text, INK, _font(caption))
            draw.text((x, y + cell + pad // 3 + caption + 4), format_code(recipe), MUTED,
                      _font(max(9, caption - 2)))  # fmt: skip
        y += cell + label_h
    return sheet
