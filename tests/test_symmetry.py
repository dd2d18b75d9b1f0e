"""Symmetry (issue 17): an input fold before the network; exact mirrors, radial kaleidoscopes."""

import math
from dataclasses import replace

import numpy as np
import pytest
import torch

from bot.art.code import format_code, parse_code
from bot.art.network import build_network, forward
from bot.art.recipe import Recipe
from bot.art.render import colours, coordinates
from bot.art.symmetry import SYMMETRIES, fold_plane, folds
from bot.errors import CodeError

BASE = Recipe(seed=11, w=64, h=64, quote="none")


def test_the_list_only_grows_at_the_end():
    assert SYMMETRIES[:4] == ("none", "mirror-x", "mirror-y", "quad")
    assert SYMMETRIES[4:14] == tuple(f"radial-{n}" for n in range(3, 13))


@pytest.mark.parametrize("symmetry", SYMMETRIES[1:])
def test_every_symmetry_round_trips_through_its_token(symmetry):
    r = replace(BASE, symmetry=symmetry)
    code = format_code(r)
    assert f"-r{SYMMETRIES.index(symmetry)}s64x64q" in code and parse_code(code) == r
    both = replace(r, inputs="xyr")  # r (the radius input) and r<n> are two tokens
    assert f"-rr{SYMMETRIES.index(symmetry)}" in format_code(both)
    assert parse_code(format_code(both)) == both


def test_bad_symmetry_tokens_are_clear_errors():
    for bad in ("2-3-r0", "2-3-r14", "2-3-r3r4", "2-3-r03"):
        with pytest.raises(CodeError):
            parse_code(bad)


FRAMINGS = [{}, {"w": 80, "h": 48}, {"coords": "raw"}, {"cx": 0.3, "cy": -0.2, "zoom": 2.0},
            {"inputs": "xyr"}]  # fmt: skip


@pytest.mark.parametrize("changes", FRAMINGS)
def test_mirror_x_is_exact_left_half_equals_the_mirrored_right(renderer, changes):
    px = renderer.render(replace(BASE, symmetry="mirror-x", **changes))
    w = px.shape[1]
    assert np.array_equal(px[:, : w // 2], px[:, w - w // 2 :][:, ::-1])
    assert not np.array_equal(px[: px.shape[0] // 2], px[px.shape[0] - px.shape[0] // 2 :][::-1])


def test_mirror_y_and_quad_mirror_their_axes(renderer):
    y = renderer.render(replace(BASE, symmetry="mirror-y"))
    assert np.array_equal(y, y[::-1])
    q = renderer.render(replace(BASE, symmetry="quad"))
    assert np.array_equal(q, q[::-1]) and np.array_equal(q, q[:, ::-1])


def test_symmetry_none_paints_what_it_always_painted(renderer):
    plain = renderer.render(BASE)
    assert np.array_equal(plain, renderer.render(replace(BASE, symmetry="none")))
    assert not np.array_equal(plain, renderer.render(replace(BASE, symmetry="mirror-x")))


def _offsets(n: int) -> torch.Tensor:
    return (torch.arange(n, dtype=torch.float64) + (0.5 - n / 2)) / n


@pytest.mark.parametrize("n", range(3, 13))
def test_radial_fold_is_invariant_under_a_turn_of_360_over_n(n):
    u, v = _offsets(64)[None, :].expand(64, 64), _offsets(64)[:, None].expand(64, 64)
    a = 2 * math.pi / n
    ru, rv = u * math.cos(a) - v * math.sin(a), u * math.sin(a) + v * math.cos(a)
    fu, fv = fold_plane(f"radial-{n}", u, v)
    gu, gv = fold_plane(f"radial-{n}", ru, rv)
    assert torch.allclose(fu, gu, atol=1e-12) and torch.allclose(fv, gv, atol=1e-12)
    mu, mv = fold_plane(f"radial-{n}", -u, v)  # and a mirror line through the vertical
    assert torch.allclose(fu, mu, atol=1e-12) and torch.allclose(fv, mv, atol=1e-12)
    assert folds(f"radial-{n}") == n


@pytest.mark.parametrize("n", [3, 5, 6, 7, 12])
def test_radial_painting_turns_into_itself_within_a_level_or_two(renderer, n):
    """The square painting against the network painted at every pixel's point turned by
    360/N about the centre (the whole path: fold, network, colours)."""
    r = replace(BASE, symmetry=f"radial-{n}", palette="ocean")
    px = renderer.render(r).astype(int)
    u, v = _offsets(64)[None, :].expand(64, 64), _offsets(64)[:, None].expand(64, 64)
    a = 2 * math.pi / n
    ru, rv = u * math.cos(a) - v * math.sin(a), u * math.sin(a) + v * math.cos(a)
    fu, fv = fold_plane(r.symmetry, ru, rv)
    pts = torch.stack([r.cx + r.zoom * fu, r.cy + r.zoom * fv], -1).reshape(-1, 2).float()
    net = build_network(r)
    with torch.inference_mode():
        turned = colours(forward(net, pts), [r]).reshape(64, 64, 3).numpy().astype(int)
    assert np.abs(px - turned).max() <= 2
    assert np.array_equal(renderer.render(r), renderer.render(r))  # and it replays exactly


@pytest.mark.parametrize("n", [4, 8, 12])
def test_radial_4_8_12_turn_into_themselves_by_a_quarter_pixel_for_pixel(renderer, n):
    px = renderer.render(replace(BASE, symmetry=f"radial-{n}")).astype(int)
    assert np.abs(px - np.rot90(px)).max() <= 2


def test_coordinates_fold_before_zoom_and_pan():
    """The fold is about the picture's centre: zoom and centre pick the window as before."""
    r = replace(BASE, symmetry="mirror-x", zoom=2.0, cx=0.5)
    pts = coordinates(r, torch.zeros(0), 0, 64).reshape(64, 64, -1)
    plain = coordinates(replace(r, symmetry="none"), torch.zeros(0), 0, 64).reshape(64, 64, -1)
    assert torch.equal(pts[:, 32:], plain[:, 32:])  # the right half is untouched
    assert torch.equal(pts[:, :32], plain[:, 32:].flip(1))
