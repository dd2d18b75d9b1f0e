"""No dull pictures (issue 17): the measure, and lively's deterministic seed re-draw."""

import random
from dataclasses import replace

import numpy as np

from bot.art import lively as lv
from bot.art.code import format_code
from bot.art.palettes import PALETTE_NAMES
from bot.art.recipe import ACTIVATIONS, Recipe
from bot.art.symmetry import SYMMETRIES
from bot.options import SIZES, PaintOptions, paint_job

DEFAULT = Recipe(seed=1, quote="none")
GREY_GOO = replace(DEFAULT, init="default")  # the article's first picture
# The article's +-100 on raw pixel coordinates: for this seed every pixel saturates to one colour.
FLAT_RAW = replace(DEFAULT, seed=180, init="uniform", range=100.0, coords="raw")
NOISE = replace(DEFAULT, layers=16, width=64, activation="sin", std=2.0)


def test_the_measure_tells_grey_goo_and_a_flat_picture_from_the_default():
    goo, flat, default = (lv.assess(r) for r in (GREY_GOO, FLAT_RAW, DEFAULT))
    assert goo.flat and goo.contrast < lv.FLAT_CONTRAST
    assert flat.flat and flat.dominant >= lv.DOMINANT_SHARE
    assert not default.dull and default.contrast > 200 and default.dominant < 0.5
    assert default.grain < lv.NOISE_GRAIN / 4


def test_the_measure_calls_noise_noise_and_keeps_the_articles_dense_pictures():
    assert lv.assess(NOISE).verdict == "noise"
    for dense in (replace(DEFAULT, layers=29), replace(DEFAULT, layers=8, width=128)):
        assert lv.assess(dense).verdict == "lively", format_code(dense)  # depth; the "Pollock"


def test_measure_on_synthetic_pictures():
    rng = np.random.default_rng(0)
    flat = np.full((64, 64, 3), 128, np.uint8)
    speck = flat.copy()
    speck[:4, :4] = 255  # one colour over nearly all the frame
    noise = rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)
    ramp = np.repeat(np.linspace(0, 255, 64, dtype=np.uint8)[None, :, None], 64, 0).repeat(3, 2)
    assert lv.measure(flat).flat and lv.measure(speck).flat
    assert lv.measure(noise).noise and not lv.measure(noise).flat
    assert lv.measure(ramp).verdict == "lively"


def test_preview_keeps_the_framing_at_64_pixels_on_the_long_side():
    assert lv.preview_size(Recipe(w=1280, h=720)) == (64, 36)
    assert lv.preview_size(Recipe(w=720, h=1280)) == (36, 64)
    assert lv.preview_size(Recipe(w=4096, h=16)) == (64, 16)  # never under MIN_SIDE
    assert lv.preview(Recipe(w=1280, h=720)).shape == (36, 64, 3)


def test_lively_redraws_a_flat_seed_and_the_result_replays_without_a_check():
    got = lv.lively(FLAT_RAW)
    assert got != FLAT_RAW and got == replace(FLAT_RAW, seed=got.seed)
    assert got in lv.candidates(FLAT_RAW) and not lv.assess(got).dull
    assert lv.lively(FLAT_RAW) == got  # deterministic
    assert lv.lively(got) == got  # the code of the result is already lively


def test_a_chosen_seed_or_a_chosen_grey_goo_is_painted_as_asked():
    assert lv.lively(FLAT_RAW, frozenset({"seed"})) == FLAT_RAW
    assert lv.lively(GREY_GOO, frozenset({"init"})) == GREY_GOO
    assert lv.lively(DEFAULT) == DEFAULT  # a lively picture keeps its seed


def test_when_no_seed_helps_the_recipe_is_returned_as_it_is():
    tiny = replace(DEFAULT, std=0.01)  # every seed is grey
    assert lv.lively(tiny) == tiny


def test_next_seed_is_a_fixed_sequence_within_range():
    assert lv.next_seed(0) == lv.next_seed(0) != 0
    seeds = [c.seed for c in lv.candidates(DEFAULT)]
    assert len(set(seeds)) == lv.MAX_TRIES and all(0 <= s < 2**32 for s in seeds)


def _random_options(rng: random.Random) -> tuple[PaintOptions, int]:
    """A /paint option set as people choose them (each option unset or at a typical value;
    the spread never given: /paint's presets), and the seed /paint would draw for it."""

    def maybe(values):
        return rng.choice(values) if rng.random() < 0.5 else None

    colour = maybe(("rgb", "bw", "hsv"))
    options = PaintOptions(
        layers=maybe(range(2, 13)), width=maybe((8, 16, 24, 32, 48)),
        activation=maybe(ACTIVATIONS), init=maybe(("normal", "uniform")),
        zoom=maybe((0.5, 1.0, 2.0)), colour=colour, size=maybe(tuple(SIZES)),
        radius=maybe((True, False)), quote="none",
        palette=maybe(PALETTE_NAMES) if colour != "hsv" else None, symmetry=maybe(SYMMETRIES),
    )  # fmt: skip
    return options, rng.randrange(2**32)


def test_200_random_paint_option_sets_give_no_flat_picture():
    rng = random.Random(17)
    drawn = [_random_options(rng) for _ in range(200)]
    # What the first draw would paint, and what /paint paints (paint_job re-draws it if dull).
    first = [lv.assess(paint_job(o, 1 << 30, seed=s, redraw=False).recipe) for o, s in drawn]
    assert [a.verdict for a in first].count("flat") >= 10  # without the re-draw: flat pictures
    flat = []
    for options, seed in drawn:
        painted = paint_job(options, 1 << 30, seed=seed).recipe
        if lv.assess(painted).flat:
            flat.append(format_code(painted))
    assert flat == []
