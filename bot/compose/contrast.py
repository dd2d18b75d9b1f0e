"""Luminance, WCAG contrast, and how much scrim a text colour needs over a background."""

from __future__ import annotations

import numpy as np

TARGET_CONTRAST = 4.5  # WCAG AA for body text
LIGHT_TEXT = (250, 247, 240)
DARK_TEXT = (20, 18, 26)
PERCENTILE = 99  # the text must stand out over all but the most extreme 1% of its background
# An even sample of the box: ~164 pixels in its worst 1%, so the percentile moves by a few
# hundredths of a contrast point at most, well inside the 0.3 margin over the target.
SAMPLE = 1 << 14
ALPHA_STEP = 1 / 512  # the scrim's opacity is drawn in 8-bit steps; a finer search buys nothing
_LUT_STEPS = 16  # linear light per 1/16 of an 8-bit level: blended channels are fractional


def relative_luminance(rgb: np.ndarray) -> np.ndarray:
    """WCAG 2 relative luminance of sRGB values in 0..255, shape [..., 3] -> [...]."""
    c = np.asarray(rgb, dtype=np.float64) / 255.0
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return lin @ np.array([0.2126, 0.7152, 0.0722])


def contrast_ratio(a: np.ndarray | float, b: np.ndarray | float) -> np.ndarray:
    """WCAG contrast between two relative luminances (order does not matter)."""
    hi, lo = np.maximum(a, b), np.minimum(a, b)
    return (hi + 0.05) / (lo + 0.05)


def _linear_table() -> np.ndarray:
    v = np.arange(255 * _LUT_STEPS + 1, dtype=np.float64) / (255.0 * _LUT_STEPS)
    return np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4)


_LINEAR = _linear_table()  # a constant, computed once
_WEIGHTS = np.array([0.2126, 0.7152, 0.0722])


def fast_luminance(rgb: np.ndarray) -> np.ndarray:
    """relative_luminance of float values in 0..255 [..., 3] through a table (to 1/16 of a
    level: within 1e-3 of the exact value), several times faster than the power."""
    idx = np.rint(rgb * _LUT_STEPS).astype(np.intp)
    return _LINEAR[idx] @ _WEIGHTS


def blend(bg: np.ndarray, colour: tuple[int, int, int], alpha: float) -> np.ndarray:
    """A flat scrim of `colour` at `alpha` over bg (uint8 [..., 3]) -> float [..., 3]."""
    return bg.astype(np.float64) * (1 - alpha) + np.asarray(colour, np.float64) * alpha


def worst_contrast(bg: np.ndarray, text: tuple[int, int, int]) -> float:
    """The contrast of text over the PERCENTILE-worst pixel of the background [N, 3]."""
    ratios = contrast_ratio(relative_luminance(np.asarray(text)), fast_luminance(bg))
    return float(np.percentile(ratios, 100 - PERCENTILE))


def scrim_alpha(bg: np.ndarray, text: tuple[int, int, int], scrim: tuple[int, int, int],
                floor: float = 0.2, target: float = TARGET_CONTRAST + 0.3) -> float:  # fmt: skip
    """The least scrim opacity (>= floor, to ALPHA_STEP) that lifts the text to the target."""
    lo, hi = floor, 0.97
    if worst_contrast(blend(bg, scrim, lo), text) >= target:
        return lo
    while hi - lo > ALPHA_STEP:
        mid = (lo + hi) / 2
        if worst_contrast(blend(bg, scrim, mid), text) >= target:
            hi = mid
        else:
            lo = mid
    return hi


def sample(bg: np.ndarray, n: int = SAMPLE) -> np.ndarray:
    """At most about n pixels of bg [N, 3], evenly strided (keeps the percentiles)."""
    return bg[:: max(1, -(-len(bg) // n))]


def choose_colours(bg: np.ndarray) -> tuple[tuple[int, int, int], tuple[int, int, int], float]:
    """(text colour, scrim colour, scrim alpha): whichever of light-on-dark or dark-on-light
    needs the lighter scrim over this background [N, 3]."""
    bg = sample(bg).astype(np.float64)  # an even sample: the percentiles hold, and 4K is fast
    light = scrim_alpha(bg, LIGHT_TEXT, (0, 0, 0))
    dark = scrim_alpha(bg, DARK_TEXT, (255, 255, 255))
    if light <= dark + 0.1:  # light type on a dark veil reads best over busy art; prefer it
        return LIGHT_TEXT, (0, 0, 0), light
    return DARK_TEXT, (255, 255, 255), dark
