"""Where the words go: font size by binary search, balanced lines, and the calmest band."""

from __future__ import annotations

from collections.abc import Callable
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


def _metrics(chain: FontChain, rows: list[list[Run]], size: int) -> tuple[int, int]:
    """Largest ascent and descent at a size over the chain's main face and the faces these rows
    use (a Thai line needs room for stacked marks; a Latin one need not reserve it)."""
    faces = {chain.faces[0]} | {r.face for runs in rows for r in runs}
    pairs = [chain.font(f, size).getmetrics() for f in faces]
    return max(a for a, _ in pairs), max(d for _, d in pairs)


def _fit(quote: str, attribution: str | None, quote_chain: FontChain, sig_chain: FontChain,
         size: int, max_w: float, split: bool = False) -> _Block:  # fmt: skip
    line_w = min(max_w, size * 22.0)  # about 50 characters a line, a comfortable measure
    rows: list[tuple[list[Run], int, float]] = []
    heights: list[int] = []
    measure = lambda t: quote_chain.measure(t, size)  # noqa: E731
    for text in balanced_lines(words(quote), measure, line_w, split):
        rows.append((quote_chain.runs(text), size, quote_chain.measure(text, size)))
        heights.append(round(size * 1.2))
    if attribution:
        small = max(min(MIN_SIZE, size), round(size * 0.62))
        heights[-1] = round(size * 1.2 + small * 0.5)  # a little air before the signature
        measure = lambda t: sig_chain.measure(t, small)  # noqa: E731
        for text in balanced_lines(words(attribution), measure, max_w, split):
            rows.append((sig_chain.runs(text), small, sig_chain.measure(text, small)))
            heights.append(round(small * 1.25))
    ascent, _ = _metrics(quote_chain, [rows[0][0]], size)
    _, descent = _metrics(sig_chain if attribution else quote_chain, [rows[-1][0]], rows[-1][1])
    return _Block(rows, heights, ascent, descent, max(w for _, _, w in rows))


def _largest(fit: Callable[[int], _Block], lo: int, hi: int, box_w: float,
             box_h: float) -> _Block | None:  # fmt: skip
    """The block at the largest size in [lo, hi] that fits the box (binary search), or None."""
    best = None
    while lo <= hi:
        mid = (lo + hi) // 2
        block = fit(mid)
        if block.width <= box_w and block.height <= box_h:
            best, lo = block, mid + 1
        else:
            hi = mid - 1
    return best


def fit_block(quote: str, attribution: str | None, quote_chain: FontChain, sig_chain: FontChain,
              box_w: float, box_h: float, cap: int,
              max_h: float | None = None) -> _Block:  # fmt: skip
    """The largest size (<= cap) whose balanced lines fit the box; never wider than box_w.

    Words stay whole while that leaves the type at least half the cap; a token that would not
    (a long URL, 280 W's, Thai written without spaces) is cut between graphemes instead. When
    nothing fits the box even at MIN_SIZE, the block may grow to max_h and then the type shrink
    below MIN_SIZE: tiny type rather than ink off the picture.
    """
    cap = max(MIN_SIZE, cap)

    def fit(split: bool) -> Callable[[int], _Block]:
        return lambda s: _fit(quote, attribution, quote_chain, sig_chain, s, box_w, split)

    whole = _largest(fit(False), MIN_SIZE, cap, box_w, box_h)
    if whole is not None and (
        _size(whole) * 2 >= cap or not _overlong(quote, quote_chain, cap, min(box_w, cap * 22.0))
    ):
        return whole
    lo = MIN_SIZE if whole is None else _size(whole) + 1
    cut = _largest(fit(True), lo, cap, box_w, box_h)
    if cut is not None or whole is not None:
        return cut or whole
    tall = max(box_h, max_h or box_h)
    return _largest(fit(True), 1, MIN_SIZE, box_w, tall) or fit(True)(1)


def _overlong(text: str, chain: FontChain, size: int, line_w: float) -> bool:
    """Whether a word is wider than the line at this size. When none is at the cap, none is at
    any smaller size either: a word narrows in proportion to the size, the line at most so."""
    return any(chain.measure(w.text, size) > line_w for w in words(text))


def _size(block: _Block) -> int:
    return block.lines[0][1]


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
