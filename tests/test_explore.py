"""Variations and blends (issue 16): codes for them, the Vary grid's tiles replaying exactly, blends
at t = 0 and 1 equal to their inputs, incompatible blends refused in one line, morphs, the CLI."""

from __future__ import annotations

import io
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from bot.art.code import MAX_CODE, format_code, parse_code
from bot.art.explore import blend, check_blendable, morph_frames, parent, variations
from bot.art.network import _drawn, build_network
from bot.art.recipe import Recipe
from bot.compose import Compositor
from bot.compose.grid import badge_box, tile_box
from bot.errors import CodeError, UserError
from bot.forms import Form
from bot.pipeline import PaintSpec, Pipeline

ROOT = Path(__file__).resolve().parents[1]
SMALL = dict(w=64, h=64, quote="none")


def _diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(int) - b.astype(int)).mean())


def test_variation_and_blend_codes_round_trip_and_old_codes_keep_their_recipe():
    r = Recipe(seed=77, layers=12, blend_seed=4_000_000_000, blend_t=0.37, nudges="1825")
    code = format_code(r)
    assert code == "2-2d-d12x4000000000,.37j1825"
    assert parse_code(code) == r
    # Tokens in any order read the same; codes without x and j are the recipes they were.
    assert parse_code("2-2d-j1825x4000000000,.37d12") == r
    assert parse_code("2-3zk8q2-d16w32as") == Recipe(
        seed=parse_code("2-3zk8q2").seed, layers=16, width=32, activation="sin"
    )
    assert parse_code("1-ab-s100x200") == Recipe(seed=331, w=100, h=200, quote_engine=1)


@pytest.mark.parametrize(
    "bad", ["2-ab-j", "2-ab-j9", "2-ab-j10", "2-ab-x5", "2-ab-x,.5", "2-ab-x5,2", "2-ab-x5,0",
            "2-ab-x5,.5x6,.5", "2-ab-jj1", "2-ab-x99999999999,.5"],
)  # fmt: skip
def test_bad_variation_and_blend_tokens_give_one_clear_error(bad):
    with pytest.raises(CodeError) as e:
        parse_code(bad)
    assert "\n" not in str(e.value) and "code" in str(e.value)


def test_a_line_of_variations_stops_where_the_code_would_pass_80_characters():
    r = Recipe(seed=2**32 - 1, layers=32, width=200, activation="relu", zoom=0.00123,
               cx=-0.00123, cy=-0.00456, w=1000, h=1000, quote="none")  # fmt: skip
    depth = 0
    while True:
        try:
            r = variations(r, "strong")[depth % 4]
        except UserError as e:
            assert "varied" in str(e) and "\n" not in str(e)
            break
        depth += 1
        assert len(format_code(r)) <= MAX_CODE
    assert len(format_code(r)) == MAX_CODE  # it went as deep as the limit allows
    assert depth > 10


def test_variation_weights_keep_the_inits_spread():
    """A variation turns the weights toward a fresh draw (cos a W + sin a N): no variance lost
    or gained, checked against the plain draw over a whole line of strong variations."""
    r = Recipe(seed=3, width=64, layers=6, std=2.0)
    for _ in range(12):
        r = variations(r, "strong")[1]
    stds = [float(w.std()) for w in build_network(r).weights[1:-1]]
    assert all(1.8 < s < 2.2 for s in stds), stds


def test_variations_are_near_their_parent_and_strong_is_further(renderer):
    near, far = [], []
    for seed in range(6):
        r = Recipe(seed=seed, **SMALL)
        base = renderer.render(r)
        subtle = renderer.render_batch(variations(r, "subtle"))
        strong = renderer.render_batch(variations(r, "strong"))
        near += [_diff(base, x) for x in subtle]
        far += [_diff(base, x) for x in strong]
        assert len({x.tobytes() for x in subtle + strong}) == 8  # eight different pictures
    assert 1 < np.mean(near) < np.mean(far)


def test_a_variation_knows_its_parent():
    r = Recipe(seed=5)
    child = variations(variations(r)[2], "strong")[0]
    assert child.nudges == "35"
    assert parent(parent(child)) == r and parent(r) is None


def test_the_grid_tiles_are_their_codes_pictures(renderer):
    """Each tile of a Vary's grid is the picture its replay code paints at the tile's size
    (read back from the PNG, outside the number's badge), and no tile is another's."""
    r = Recipe(seed=21, w=150, h=110, quote="none")
    pipe = Pipeline(renderer, Compositor(), None)
    pic = pipe.run(PaintSpec(r, form=Form.grid("strong")))
    img = np.asarray(Image.open(io.BytesIO(pic.data)).convert("RGB"))
    assert img.shape == (110, 150, 3) and len(pic.tiles) == 4
    for i, code in enumerate(pic.tiles):
        x0, y0, x1, y1 = tile_box(i, 150, 110)
        tile = parse_code(code).with_size(x1 - x0, y1 - y0)
        want = renderer.render(tile)
        got = img[y0:y1, x0:x1].copy()
        bx0, by0, bx1, by1 = badge_box(i, 150, 110)
        mask = np.ones(got.shape[:2], bool)
        mask[by0 - y0 : by1 - y0, bx0 - x0 : bx1 - x0] = False
        # The tiles render in one batched pass: within a level or two of one rendered alone.
        assert np.abs(got[mask].astype(int) - want[mask]).max() <= 2, code
        assert _diff(got[~mask], want[~mask]) > 20  # the badge is drawn there
        assert parse_code(code) == variations(r, "strong")[i]


def test_blend_at_0_and_1_is_each_picture(renderer):
    a, b = Recipe(seed=10, **SMALL), Recipe(seed=99, **SMALL)
    assert blend(a, b, 0.0) == a
    assert np.array_equal(renderer.render(blend(a, b, 1.0)), renderer.render(b))
    middle = renderer.render(blend(a, b, 0.5))
    assert _diff(middle, renderer.render(a)) > 5 and _diff(middle, renderer.render(b)) > 5


def test_blend_weights_rotate_between_the_two_draws():
    """Against an independent computation: cos(t pi/2) a + sin(t pi/2) b of the plain draws."""
    a, b = Recipe(seed=1), Recipe(seed=2)
    mixed = build_network(blend(a, b, 0.3))
    wa, wb = _drawn(a).weights[2], _drawn(b).weights[2]
    c, s = np.cos(0.3 * np.pi / 2), np.sin(0.3 * np.pi / 2)
    assert torch.allclose(mixed.weights[2], c * wa + s * wb, atol=1e-6)


@pytest.mark.parametrize(
    ("b", "says"),
    [(dict(layers=12), "layers"), (dict(activation="sin"), "activation"),
     (dict(std=2.0), "spread"), (dict(color="hsv", inputs="xyr"), "colour, inputs")],
)  # fmt: skip
def test_incompatible_blends_are_refused_in_one_line(b, says):
    with pytest.raises(UserError) as e:
        blend(Recipe(seed=1), Recipe(seed=2, **b), 0.5)
    msg = str(e.value)
    assert says in msg and "\n" not in msg and "same network" in msg


def test_mix_blends_only_with_a_seed_that_drew_the_same_activations():
    a = Recipe(seed=1, activation="mix", layers=4)
    with pytest.raises(UserError, match="mix"):
        check_blendable(a, Recipe(seed=2, activation="mix", layers=4))


def test_variations_and_blends_do_not_blend_again():
    a, b = Recipe(seed=1), Recipe(seed=2)
    with pytest.raises(UserError, match="is a variation"):
        blend(variations(a)[0], b)
    with pytest.raises(UserError, match="b is a blend"):
        blend(a, blend(a, b, 0.5))
    assert variations(blend(a, b, 0.5))[0].nudges == "1"  # a blend can be varied


def test_framing_and_size_come_from_a():
    a = Recipe(seed=1, zoom=0.5, w=300, h=200)
    b = Recipe(seed=2, zoom=4.0, w=64, h=64)
    mixed = blend(a, b, 0.25)
    assert (mixed.zoom, mixed.w, mixed.h, mixed.seed) == (0.5, 300, 200, 1)


def test_morph_frames_go_from_a_to_b():
    a, b = Recipe(seed=4, **SMALL), Recipe(seed=8, **SMALL)
    frames = morph_frames(a, b, 5)
    assert frames[0] == a and [f.blend_t for f in frames] == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert all(parse_code(format_code(f)) == f for f in frames)


def _cli(argv, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *argv], capture_output=True, text=True,
                          cwd=cwd, timeout=300, env=_env())  # fmt: skip


def _env() -> dict:
    import os

    return {**os.environ, "PYTHONPATH": str(ROOT)}


def test_cli_vary_writes_the_grid_and_prints_four_codes(tmp_path):
    proc = _cli(["vary", "2-7a-s96x96q", "--strength", "strong", "-o", "g.png"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    codes = [line.split(": ", 1)[1] for line in proc.stdout.splitlines() if line[:2] in
             ("1:", "2:", "3:", "4:")]  # fmt: skip
    assert codes == [format_code(v) for v in variations(parse_code("2-7a-s96x96q"), "strong")]
    assert Image.open(tmp_path / "g.png").size == (96, 96)


def test_cli_blend_picture_morph_and_refusal(tmp_path):
    ok = _cli(["blend", "2-7a-s64x64", "2-9b", "--t", "1", "--no-quote", "-o", "b.png"], tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip().splitlines()[-1] == "2-7a-x299,1s64x64q"
    morph = _cli(["blend", "2-7a-s64x64", "2-9b", "--frames", "6", "--fps", "6", "--no-quote",
                  "-o", "m.mp4"], tmp_path)  # fmt: skip
    assert morph.returncode == 0, morph.stderr
    from bot.motion.video import probe

    assert probe(tmp_path / "m.mp4") == (6, pytest.approx(1.0, abs=0.02))
    bad = _cli(["blend", "2-7a", "2-9b-d12", "-o", "x.png"], tmp_path)
    assert bad.returncode == 2
    lines = bad.stderr.strip().splitlines()
    assert len(lines) == 1 and "layers" in lines[0], bad.stderr
    assert not (tmp_path / "x.png").exists()


def test_a_varied_picture_animates_from_its_own_frame(renderer):
    from bot.motion.loop import Loop

    r = variations(Recipe(seed=12, **SMALL))[3]
    loop = Loop.of(r, 6)
    assert _diff(loop.render(renderer, [0])[0], renderer.render(r)) < 0.5
    assert replace(loop.recipe, zdim=0) == r
