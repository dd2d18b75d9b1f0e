"""The stages after the render, made cheaper (issue 14): the same ink, contrast and pixels."""

import io

import numpy as np
import pytest
from PIL import Image, ImageFilter

from bot.art import Recipe
from bot.compose import Caption, Compositor
from bot.compose.contrast import contrast_ratio, fast_luminance, relative_luminance
from bot.compose.draw import apply_scrim, scrim_mask, text_into, text_mask
from bot.compose.encode import encode

LONG = ("The soul that has learned to wait is never idle, for it keeps the door of the hour open "
        "and listens for the step of what is coming.")  # fmt: skip
MIXED = "我的神经网络长大后想成为一名画家。क्षत्रिय की कविता 🎨 สวัสดีครับ — ffi ‘Wf’"


@pytest.fixture(scope="module")
def compositor() -> Compositor:
    return Compositor()


def _painting(renderer, seed: int, w: int, h: int) -> Image.Image:
    acts = ("tanh", "sin", "gaussian", "mix")
    r = Recipe(
        seed=seed, w=w, h=h, layers=4, activation=acts[seed % 4], color=("rgb", "hsv")[seed % 2]
    )
    return Image.fromarray(renderer.render(r))


def test_fast_luminance_is_within_a_thousandth():
    rng = np.random.default_rng(0)
    rgb = rng.uniform(0, 255, (5000, 3))
    assert np.abs(fast_luminance(rgb) - relative_luminance(rgb)).max() < 1e-3


def test_contrast_holds_on_big_pictures_where_the_box_is_sampled(compositor, renderer):
    """At 512x512 the text box has more pixels than the sample: the full box must pass."""
    worst = []
    for seed in range(8):
        img = _painting(renderer, seed, 512, 512)
        plan = compositor.plan(img, Caption(LONG, "Someone"), "auto")
        x0, y0, x1, y1 = plan.layout.box
        assert (x1 - x0) * (y1 - y0) > 1 << 14
        bg = np.asarray(apply_scrim(img, plan.layout, plan.scrim, plan.alpha))
        under = relative_luminance(bg[y0:y1, x0:x1].reshape(-1, 3))
        ratios = contrast_ratio(relative_luminance(np.array(plan.text)), under)
        worst.append(float(np.percentile(ratios, 1)))
    assert min(worst) >= 4.5, sorted(worst)[:3]


def _full_canvas(img: Image.Image, plan, chain_for) -> Image.Image:
    """The compositor before issue 14: scrim, shadow, blur and blend over the whole picture."""
    veil = Image.new("RGB", img.size, plan.scrim)
    img = Image.composite(veil, img, scrim_mask(img.height, img.width, plan.layout.box, plan.alpha))
    size = plan.layout.size
    blur, off = max(1.0, size / 10), max(1, round(size / 22))
    shadow = text_mask(img.size, plan.layout, chain_for, plan.stroke, (off, off))
    shadow = shadow.filter(ImageFilter.GaussianBlur(blur)).point(lambda v: v * 0.7)
    img = Image.composite(Image.new("RGB", img.size, plan.scrim), img, shadow)
    out = img.copy()
    text_into_lines_only(out, plan, chain_for)
    return out


def text_into_lines_only(img, plan, chain_for) -> None:
    from PIL import ImageDraw

    from bot.compose.draw import _draw_lines

    _draw_lines(ImageDraw.Draw(img), plan.layout, chain_for, plan.text, plan.stroke, plan.scrim)


@pytest.mark.parametrize(("w", "h", "text", "placement", "exact"), [
    (640, 640, LONG, "auto", True), (270, 480, "Know thyself.", "bottom", True),
    (480, 270, MIXED, "top", False), (96, 64, LONG, "centre", False),
])  # fmt: skip
def test_ink_in_the_text_region_only_is_the_same_picture(compositor, renderer, w, h, text,
                                                         placement, exact):  # fmt: skip
    """Scrim, shadow and ink drawn in the text's region, the outlines rasterised once: the same
    pixels as the full-canvas compositor, except where one run's outline overlaps another's fill
    (a Latin quote mark against a CJK glyph, lines of tiny type), where the fill now wins."""
    img = _painting(renderer, w + h, w, h)
    plan = compositor.plan(img, Caption(text, "Someone"), placement)
    got, _ = compositor.compose(img, Caption(text, "Someone"), placement)
    want = _full_canvas(img, plan, compositor.chain_for)
    moved = np.asarray(got) != np.asarray(want)
    if exact:
        assert not moved.any()
    else:
        ink = np.asarray(compositor.ink(img.size, plan, (0, 0))) > 0
        assert not (moved.any(axis=2) & ~ink).any()  # outside the ink: identical
        assert moved.any(axis=2).mean() < 0.01


def test_compose_leaves_its_input_alone(compositor, renderer):
    img = _painting(renderer, 3, 200, 120)
    before = np.asarray(img).copy()
    compositor.compose(img, Caption(LONG))
    text_into(img.copy(), compositor.plan(img, Caption(LONG)).layout, compositor.chain_for,
              (255, 255, 255), (0, 0, 0), 1)  # fmt: skip
    assert np.array_equal(np.asarray(img), before)


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L", "P"])
def test_png_is_lossless_and_carries_its_text(renderer, mode):
    img = _painting(renderer, 5, 97, 61).convert(mode)
    meta = {"replay-code": "2-5", "quote": "我的神经网络 — ‘yes’"}
    out = encode(img, meta)
    assert out.mime == "image/png" and out.note == ""
    back = Image.open(io.BytesIO(out.data))
    assert back.mode == mode and back.text == meta
    assert np.array_equal(np.asarray(back), np.asarray(img))


def test_over_the_limit_a_picture_goes_lossless_webp_first(renderer):
    img = _painting(renderer, 6, 256, 256)
    png = encode(img, {"replay-code": "2-6"})
    out = encode(img, {"replay-code": "2-6"}, len(png.data) - 1)
    assert out.mime == "image/webp" and "lossless WebP" in out.note
    back = Image.open(io.BytesIO(out.data)).convert("RGB")
    assert np.array_equal(np.asarray(back), np.asarray(img))
