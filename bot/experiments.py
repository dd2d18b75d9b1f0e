"""The article's experiments as one labelled contact sheet (`cppn-bot experiments`), and every
palette on one sheet (`cppn-bot experiments --palettes`), and the dull-picture measure on random
paintings (`cppn-bot experiments --lively`)."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from bot.art.code import format_code
from bot.art.lively import LIVELY_RANGE, LIVELY_STD, Liveliness, assess, lively
from bot.art.palettes import PALETTE_NAMES, gradient
from bot.art.recipe import ACTIVATIONS, COLORS, MAX_SEED, Recipe
from bot.art.render import Renderer
from bot.art.symmetry import SYMMETRIES

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


# --- palettes (`cppn-bot experiments --palettes`) ------------------------------------------------
# One column per look, each with its own seed: the same four pictures through every palette.
PALETTE_LOOKS: list[tuple[str, dict]] = [
    ("the default", {}),
    ("12 layers × 24", {"layers": 12, "width": 24}),
    ("gaussian", {"activation": "gaussian", "std": 0.9}),
    ("uniform ±3", {"init": "uniform", "range": 3.0}),
    ("bw output", {"color": "bw", "layers": 12}),
]
PALETTE_BLOCKS = 2  # palettes side by side on a row of the sheet


def palette_recipes(seed: int, cell: int) -> list[tuple[str, list[Recipe]]]:
    """Every palette (PALETTE_NAMES, `none` first) with the sheet's looks, seeds seed, seed+1..."""
    base = Recipe(w=cell, h=cell, quote="none")
    return [
        (
            name,
            [
                replace(base, seed=seed + i, palette=name, **look)
                for i, (_, look) in enumerate(PALETTE_LOOKS)
            ],
        )  # fmt: skip
        for name in PALETTE_NAMES
    ]


def palette_sheet(renderer: Renderer, seed: int = 1, cell: int = 120) -> Image.Image:
    """Every palette over the same pictures, each with its gradient and a code."""
    pad, caption = max(4, cell // 16), max(11, cell // 10)
    bar = max(6, cell // 10)
    block_w = len(PALETTE_LOOKS) * (cell + pad)
    block_h = caption + pad + bar + pad + cell + caption + 2 * pad
    rows = palette_recipes(seed, cell)
    n_rows = -(-len(rows) // PALETTE_BLOCKS)
    title_h = 2 * caption + 3 * pad
    width = pad + PALETTE_BLOCKS * (block_w + 2 * pad)
    sheet = Image.new("RGB", (width, title_h + n_rows * block_h + pad), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    looks = ", ".join(name for name, _ in PALETTE_LOOKS)
    draw.text((pad, pad), f"Palettes — seeds {seed}…{seed + len(PALETTE_LOOKS) - 1}: {looks}", INK,
              _font(caption + 3, True))  # fmt: skip
    for k, (name, recipes) in enumerate(rows):
        x0 = pad + (k % PALETTE_BLOCKS) * (block_w + 2 * pad)
        y = title_h + (k // PALETTE_BLOCKS) * block_h
        draw.text((x0, y), f"{k}  {name}", INK, _font(caption, True))
        y += caption + pad
        sheet.paste(_gradient_strip(name, seed, block_w - pad, bar), (x0, y))
        y += bar + pad
        for i, recipe in enumerate(recipes):
            x = x0 + i * (cell + pad)
            sheet.paste(Image.fromarray(renderer.render(recipe)), (x, y))
            draw.text((x, y + cell + 2), format_code(recipe), MUTED, _font(max(9, caption - 3)))
    return sheet


def _gradient_strip(name: str, seed: int, w: int, h: int) -> Image.Image:
    """The palette from t = 0 to 1 (the random one as the first look's seed draws it)."""
    import torch

    t = torch.linspace(0, 1, w, dtype=torch.float64).expand(h, w)
    # none: the outputs read as they are; a grey ramp stands for it
    rgb = t.unsqueeze(-1).expand(h, w, 3) if name == "none" else gradient(name, seed, t)
    return Image.fromarray((rgb * 255).round().to(torch.uint8).numpy())


# --- lively (`cppn-bot experiments --lively`) ----------------------------------------------------
LIVELY_ROWS = ("flat", "noise", "lively")
LIVELY_PER_ROW = 8


def random_recipe(rng: random.Random, side: int) -> Recipe:
    """A painting as /paint's options draw them, some at extremes (the sheet's samples)."""
    activation = rng.choice(ACTIVATIONS)
    init = rng.choice(("normal", "normal", "uniform", "default"))
    spread = {"normal": LIVELY_STD, "uniform": LIVELY_RANGE}.get(init, {}).get(activation)
    kw: dict = dict(seed=rng.randrange(MAX_SEED + 1), activation=activation, init=init,
                    layers=rng.choice((1, 4, 9, 12, 16, 24)), width=rng.choice((4, 8, 16, 32, 64)),
                    zoom=rng.choice((0.25, 0.5, 1.0, 1.0, 4.0)), w=side, h=side, quote="none",
                    color=rng.choice(COLORS), symmetry=rng.choice(SYMMETRIES))  # fmt: skip
    if spread is not None:
        kw["std" if init == "normal" else "range"] = spread * rng.choice((0.25, 1.0, 1.0, 4.0))
    if kw["color"] != "hsv":
        kw["palette"] = rng.choice(PALETTE_NAMES)
    return Recipe(**kw)


def lively_sheet(renderer: Renderer, seed: int = 1, cell: int = 120) -> Image.Image:
    """Random paintings sorted by the measure's verdict (bot/art/lively.py), with its numbers,
    and a row of flat or noisy ones beside what lively re-drew them to."""
    rng = random.Random(seed)
    found: dict[str, list[tuple[Recipe, Liveliness]]] = {k: [] for k in LIVELY_ROWS}
    redrawn: list[tuple[Recipe, Recipe]] = []
    while any(len(v) < LIVELY_PER_ROW for v in found.values()) or len(redrawn) < 4:
        r = random_recipe(rng, cell)
        m = assess(r)
        if len(found[m.verdict]) < LIVELY_PER_ROW:
            found[m.verdict].append((r, m))
        if m.dull and len(redrawn) < 4 and (after := lively(r)) != r:
            redrawn.append((r, after))
    pad, caption = max(4, cell // 16), max(10, cell // 11)
    row_h = caption + pad + cell + caption + 2 * pad
    width = pad + LIVELY_PER_ROW * (cell + pad)
    sheet = Image.new("RGB", (width, 2 * caption + 2 * pad + 4 * row_h), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    draw.text((pad, pad), f"The dull-picture measure on random paintings — seed {seed}", INK,
              _font(caption + 3, True))  # fmt: skip
    y = 2 * caption + 2 * pad
    titles = {"flat": "rejected as flat (contrast < 24 or dominant ≥ 0.85)",
              "noise": "rejected as noise (grain ≥ 0.85)", "lively": "accepted"}  # fmt: skip
    for verdict in LIVELY_ROWS:
        draw.text((pad, y), titles[verdict], INK, _font(caption, True))
        for i, (r, m) in enumerate(found[verdict]):
            _lively_cell(sheet, draw, renderer, r, m, pad + i * (cell + pad), y + caption + pad)
        y += row_h
    draw.text((pad, y), "re-drawn by lively: the rejected seed, then the seed it chose", INK,
              _font(caption, True))  # fmt: skip
    for i, r in enumerate(x for pair in redrawn for x in pair):
        _lively_cell(sheet, draw, renderer, r, assess(r), pad + i * (cell + pad), y + caption + pad)
    return sheet


def _lively_cell(sheet, draw, renderer: Renderer, r: Recipe, m: Liveliness, x: int, y: int):
    """A painting and the measure's numbers: contrast, dominant share, grain."""
    sheet.paste(Image.fromarray(renderer.render(r)), (x, y))
    text = f"c {m.contrast:.0f}  d {m.dominant:.3f}  g {m.grain:.2f}"
    draw.text((x, y + r.w + 2), text, INK, _font(max(9, r.w // 13)))
