"""Where the words go: font size by binary search, balanced lines, and the calmest band."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from bot.compose.fonts import FontChain, Run
from bot.compose.text import balanced_lines, words

PLACEMENTS = ("auto", "top", "centre", "bottom")
MIN_SIZE = 7  # below this nothing is readable; tiny pictures get tiny type rather than clipping


@dataclass(frozen=True)
class Line:
    runs: tuple[Run, ...]
    size: int
    x: float  # left edge
    baseline: float
    width: float


@dataclass(frozen=True)
class Layout:
    lines: tuple[Line, ...]
    box: tuple[int, int, int, int]  # x0, y0, x1, y1: ink of every line, stroke included
    size: int  # the quote's pixel size
    placement: str  # where it went (auto resolved)


@dataclass(frozen=True)
class _Block:
    """Lines fitted at one size, not yet placed."""

    lines: list[tuple[list[Run], int, float]]  # runs, size, width
    line_height: list[int]
    ascent: int
    descent: int
    width: float

    @property
    def height(self) -> int:
        return sum(self.line_height) + self.ascent + self.descent - self.line_height[-1]


def _metrics(chain: FontChain, size: int) -> tuple[int, int]:
    """Largest ascent and descent over the chain's faces at a size."""
    pairs = [chain.font(f, size).getmetrics() for f in chain.faces]
    return max(a for a, _ in pairs), max(d for _, d in pairs)


def _fit(quote: str, attribution: str | None, quote_chain: FontChain, sig_chain: FontChain,
         size: int, max_w: float) -> _Block:  # fmt: skip
    line_w = min(max_w, size * 22.0)  # about 50 characters a line, a comfortable measure
    rows: list[tuple[list[Run], int, float]] = []
    heights: list[int] = []
    for text in balanced_lines(words(quote), lambda t: quote_chain.measure(t, size), line_w):
        rows.append((quote_chain.runs(text), size, quote_chain.measure(text, size)))
        heights.append(round(size * 1.2))
    if attribution:
        small = max(MIN_SIZE, round(size * 0.62))
        heights[-1] = round(size * 1.2 + small * 0.5)  # a little air before the signature
        measure = lambda t: sig_chain.measure(t, small)  # noqa: E731
        for text in balanced_lines(words(attribution), measure, max_w):
            rows.append((sig_chain.runs(text), small, sig_chain.measure(text, small)))
            heights.append(round(small * 1.25))
    ascent, _ = _metrics(quote_chain, size)
    _, descent = _metrics(sig_chain if attribution else quote_chain, rows[-1][1])
    return _Block(rows, heights, ascent, descent, max(w for _, _, w in rows))


def fit_block(quote: str, attribution: str | None, quote_chain: FontChain, sig_chain: FontChain,
              box_w: float, box_h: float, cap: int) -> _Block:  # fmt: skip
    """The largest size (<= cap) whose balanced lines fit the box; binary search."""
    lo, hi = MIN_SIZE, max(MIN_SIZE, cap)
    best = _fit(quote, attribution, quote_chain, sig_chain, lo, box_w)
    while lo <= hi:
        mid = (lo + hi) // 2
        block = _fit(quote, attribution, quote_chain, sig_chain, mid, box_w)
        if block.width <= box_w and block.height <= box_h:
            best, lo = block, mid + 1
        else:
            hi = mid - 1
    return best


def _box_mean(a: np.ndarray, r: int) -> np.ndarray:
    """Mean over (2r+1)^2 windows, edges padded by reflection."""
    p = np.pad(a, r, mode="reflect")
    c = np.cumsum(np.cumsum(np.pad(p, ((1, 0), (1, 0))), 0), 1)
    k = 2 * r + 1
    return (c[k:, k:] - c[:-k, k:] - c[k:, :-k] + c[:-k, :-k]) / (k * k)


def busyness(art: Image.Image) -> np.ndarray:
    """Local luminance variance per row of a small copy of the art: low is calm. [rows]"""
    small = art.convert("L").resize((128, max(8, round(128 * art.height / art.width))))
    lum = np.asarray(small, dtype=np.float64)
    var = np.maximum(_box_mean(lum**2, 3) - _box_mean(lum, 3) ** 2, 0)
    return np.interp(np.linspace(0, len(var) - 1, art.height), np.arange(len(var)), var.mean(1))


def choose_top(placement: str, art: Image.Image, block_h: int, margin: int) -> tuple[int, str]:
    """The block's top edge for a placement; auto takes the calmest of top, centre, bottom."""
    spots = {
        "top": margin,
        "centre": (art.height - block_h) // 2,
        "bottom": art.height - margin - block_h,
    }
    if placement != "auto":
        return spots[placement], placement
    rows = busyness(art)
    # Slight preferences: bottom, then top, then centre (the middle is where the art usually is).
    bias = {"bottom": 1.0, "top": 1.08, "centre": 1.2}
    score = {k: float(rows[max(0, y) : y + block_h].mean()) * bias[k] for k, y in spots.items()}
    best = min(score, key=score.__getitem__)
    return spots[best], best


def place(block: _Block, art: Image.Image, placement: str, margin: int, stroke: int) -> Layout:
    """Centre the lines horizontally and put the block where the placement says."""
    top, where = choose_top(placement, art, block.height, margin)
    baseline = top + block.ascent
    lines = []
    for (runs, size, width), step in zip(block.lines, block.line_height, strict=True):
        x = (art.width - width) / 2
        lines.append(Line(tuple(runs), size, x, baseline, width))
        baseline += step
    x0 = round((art.width - block.width) / 2) - stroke
    box = (max(0, x0), max(0, top - stroke), min(art.width, round(x0 + block.width + 2 * stroke)),
           min(art.height, top + block.height + stroke))  # fmt: skip
    return Layout(tuple(lines), box, block.lines[0][1], where)
