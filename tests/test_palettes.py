"""Palettes (issue 17): the one list, codes, replay, and pictures that stay vivid."""

import colorsys
from dataclasses import replace

import numpy as np
import pytest
import torch

from bot.art import palettes as pal
from bot.art.code import format_code, parse_code
from bot.art.recipe import Recipe
from bot.errors import CodeError, RecipeError

BASE = Recipe(seed=3, w=48, h=48, quote="none")


def test_the_list_only_grows_at_the_end():
    """A palette's number in a code is its place in PALETTE_NAMES, forever."""
    first = ("none", "random", "sunset", "ocean", "forest", "ember", "ink", "pastel", "neon",
             "desert", "aurora", "mono-blue", "citrus", "berry", "tropical", "twilight", "vapor",
             "jungle", "viridis", "magma", "candy")  # fmt: skip
    assert pal.PALETTE_NAMES[: len(first)] == first
    assert len(pal.PALETTES) >= 16 and len(set(pal.PALETTE_NAMES)) == len(pal.PALETTE_NAMES)
    assert len(pal.PALETTE_NAMES) <= 25  # a Discord option offers at most 25 choices


@pytest.mark.parametrize("name", pal.PALETTE_NAMES[1:])
@pytest.mark.parametrize("color", ["rgb", "bw"])
def test_every_palette_round_trips_through_its_token(name, color):
    r = replace(BASE, palette=name, color=color)
    code = format_code(r)
    number = pal.PALETTE_NAMES.index(name)
    assert code.endswith(f"{'h' if color == 'rgb' else 'g'}{number}s48x48q")
    assert parse_code(code) == r and not set(code) & set("ilo")


def test_none_writes_no_token_and_hsv_takes_no_palette():
    assert format_code(BASE) == "2-3-s48x48q"  # as before palettes
    assert parse_code("2-3-hs48x48q").color == "hsv"  # bare h is still hsv
    with pytest.raises(RecipeError, match="palette.*rgb or bw"):
        replace(BASE, color="hsv", palette="ocean")
    with pytest.raises(RecipeError, match="palette"):
        replace(BASE, palette="sepia")
    for bad in ("2-3-h0", "2-3-h21", "2-3-h2g", "2-3-gh2", "2-3-h2h3", "2-3-h02"):
        with pytest.raises(CodeError):
            parse_code(bad)


def test_a_palette_replays_exactly_and_leaves_the_network_alone(renderer):
    r = replace(BASE, palette="sunset")
    a, b = renderer.render(r), renderer.render(parse_code(format_code(r)))
    assert np.array_equal(a, b)
    assert not np.array_equal(a, renderer.render(BASE))


def test_the_random_palette_comes_from_the_seed():
    assert pal.cosine_coefficients(5) == pal.cosine_coefficients(5)
    assert pal.cosine_coefficients(5) != pal.cosine_coefficients(6)
    t = torch.linspace(0, 1, 9)
    assert torch.equal(pal.gradient("random", 5, t), pal.gradient("random", 5, t))


def _vividness(colours: np.ndarray) -> tuple[float, float]:
    """(the widest lightness range, the most saturated colour) of [N, 3] colours in [0, 1]."""
    hls = np.array([colorsys.rgb_to_hls(*c) for c in colours])
    hsv = np.array([colorsys.rgb_to_hsv(*c) for c in colours])
    return float(np.ptp(hls[:, 1])), float(hsv[:, 1].max())


@pytest.mark.parametrize("name", pal.PALETTE_NAMES[2:])
def test_every_named_palette_is_vivid(name):
    """Dark to light, with colour in it: no muddy or grey gradient (pastel is the palest)."""
    g = pal.gradient(name, 0, torch.linspace(0, 1, 33, dtype=torch.float64)).numpy()
    lightness_range, saturation = _vividness(g)
    assert lightness_range >= 0.35 and saturation >= 0.45, (lightness_range, saturation)


def test_random_palettes_are_vivid_for_many_seeds():
    """Saturated, and going darker and lighter (over 1000 seeds: lightness ranges from 0.19,
    median 0.56; the most saturated colour at least 0.73)."""
    for seed in range(200):
        g = pal.gradient("random", seed, torch.linspace(0, 1, 33, dtype=torch.float64)).numpy()
        lightness_range, saturation = _vividness(g)
        assert lightness_range >= 0.15 and saturation >= 0.6, (seed, lightness_range, saturation)


@pytest.mark.parametrize("name", ["sunset", "random", "ink"])
def test_paintings_through_a_palette_keep_their_contrast(renderer, name):
    for seed in range(4):
        px = renderer.render(replace(BASE, seed=seed, palette=name)).astype(float)
        spread = np.percentile(px, 95, axis=(0, 1)) - np.percentile(px, 5, axis=(0, 1))
        assert spread.max() > 60, (name, seed, spread)


def test_batched_recipes_each_get_their_own_palette(renderer):
    recipes = [replace(BASE, seed=s, palette=p) for s, p in ((1, "random"), (2, "random"),
                                                             (3, "neon"), (4, "none"))]  # fmt: skip
    batch = renderer.render_batch(recipes)
    for r, px in zip(recipes, batch, strict=True):
        assert np.array_equal(px, renderer.render(r))


def test_outputs_that_overflow_to_nan_paint_the_palettes_start():
    out = torch.tensor([[float("nan")] * 3, [float("inf"), 0.0, float("-inf")]])
    for name in ("sunset", "random"):
        got = pal.apply_palette(out, name, 1)
        assert torch.isfinite(got).all()
        assert torch.equal(got[0], pal.gradient(name, 1, torch.zeros(())))


def test_cli_paints_and_replays_with_a_palette_and_a_symmetry(tmp_path, capsys):
    from bot.cli import main

    out = tmp_path / "a.png"
    args = ["--size", "32x32", "--no-quote", "--device", "cpu", "-o", str(out)]
    assert main(["paint", "--seed", "5", "--palette", "neon", "--symmetry", "radial-6", *args]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "2-5-r7h8s32x32q"
    assert main(["replay", "2-5-r7h8s32x32q", "--palette", "ink", "--symmetry", "none", *args]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "2-5-h6s32x32q"
    assert main(["replay", "2-5-hs32x32q", "--palette", "ink", *args]) == 2  # hsv: no palette
    assert "rgb or bw" in capsys.readouterr().err


def test_experiments_palettes_draws_every_palette_on_one_sheet(tmp_path):
    from PIL import Image

    from bot.cli import main

    out = tmp_path / "sheet.png"
    assert (
        main(["experiments", "--palettes", "--cell", "64", "--device", "cpu", "-o", str(out)]) == 0
    )
    with Image.open(out) as sheet:
        assert sheet.width > 600 and sheet.height > 11 * 64
