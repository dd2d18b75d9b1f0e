"""The compositor: readable, unclipped, balanced type over any painting; encoding under limits."""

import io

import numpy as np
import pytest
from PIL import Image

from bot.art import Recipe
from bot.compose import Caption, Compositor
from bot.compose.contrast import contrast_ratio, relative_luminance
from bot.compose.draw import apply_scrim
from bot.compose.encode import encode
from bot.compose.text import balanced_lines, clean_custom_text, typographic, words
from bot.errors import UserError

LONG = ("The soul that has learned to wait is never idle, for it keeps the door of the hour open "
        "and listens for the step of what is coming.")  # fmt: skip
SHORT = "Know thyself, then forgive it."
CJK = "我的神经网络长大后想成为一名画家。A painter, it says."


@pytest.fixture(scope="module")
def compositor() -> Compositor:
    return Compositor()


def _flat(w: int, h: int) -> np.ndarray:
    """A cheap stand-in painting: a diagonal gradient with some texture."""
    y, x = np.mgrid[0:h, 0:w]
    img = np.stack([(x * 255 // max(1, w - 1)), (y * 255 // max(1, h - 1)),
                    ((x + y) % 97) * 2], axis=-1)  # fmt: skip
    return img.astype(np.uint8)


def test_text_contrast_is_wcag_aa_on_50_random_paintings(compositor, renderer):
    """Text colour against the scrimmed background under it: >= 4.5:1 (worst 1% excluded)."""
    worst = []
    for seed in range(50):
        kw = {"activation": ("tanh", "sin", "gaussian", "mix")[seed % 4], "std": 1.0}
        if kw["activation"] == "sin":
            kw["std"] = 0.5
        art = renderer.render(Recipe(seed=seed, w=160, h=120, color=("rgb", "hsv")[seed % 2], **kw))
        img = Image.fromarray(art)
        plan = compositor.plan(img, Caption(LONG if seed % 2 else SHORT, "Someone"), "auto")
        bg = np.asarray(apply_scrim(img, plan.layout, plan.scrim, plan.alpha))
        x0, y0, x1, y1 = plan.layout.box
        under = relative_luminance(bg[y0:y1, x0:x1].reshape(-1, 3))
        ratios = contrast_ratio(relative_luminance(np.array(plan.text)), under)
        worst.append(float(np.percentile(ratios, 1)))
    assert min(worst) >= 4.5, sorted(worst)[:5]


@pytest.mark.parametrize("size", [(256, 256), (256, 640), (640, 360), (1080, 1920), (3840, 2160)])
@pytest.mark.parametrize("text", [LONG + " " + LONG[:60] + ".", SHORT, CJK])
@pytest.mark.parametrize("placement", ["top", "bottom", "centre"])
def test_nothing_is_clipped(compositor, size, text, placement):
    w, h = size
    img = Image.fromarray(_flat(w, h))
    plan = compositor.plan(img, Caption(text, "Aurelio of the Long Name, Samos"), placement)
    pad = 200
    ink = np.asarray(compositor.ink((w + 2 * pad, h + 2 * pad), plan, (pad, pad)))
    ys, xs = np.nonzero(ink)
    assert len(xs) > 0
    assert xs.min() >= pad + 1 and xs.max() < pad + w - 1, (xs.min() - pad, xs.max() - pad, w)
    assert ys.min() >= pad + 1 and ys.max() < pad + h - 1, (ys.min() - pad, ys.max() - pad, h)


def test_font_size_fills_the_box_and_short_quotes_do_not_shout(compositor):
    img = Image.fromarray(_flat(1024, 1024))
    short = compositor.plan(img, Caption(SHORT), "bottom").layout.size
    long = compositor.plan(img, Caption(LONG * 2), "bottom").layout.size
    assert short <= round(0.075 * 1024)  # capped
    assert long < short
    lines = compositor.plan(img, Caption(LONG * 2), "bottom").layout.lines
    assert len(lines) >= 3


def test_lines_are_balanced_without_an_orphan():
    ws = words(LONG)
    lines = balanced_lines(ws, lambda t: 10.0 * len(t), 600)
    assert len(lines) == 3
    lengths = [len(line) for line in lines]
    assert max(lengths) - min(lengths) <= 12
    assert all(len(line.split()) > 1 for line in lines)
    greedy_last = "open and listens for the step of what is coming."
    assert lines[-1] != greedy_last.split()[-1]


def test_cjk_text_falls_back_to_a_cjk_font_and_latin_stays_in_garamond(compositor):
    runs = compositor.quote_chain.runs(CJK)
    faces = {r.text.strip()[:1]: r.face.file for r in runs}
    assert faces["我"] == "wqy-microhei.ttc"
    assert faces["A"].startswith("EBGaramond")
    for ch in CJK:  # every character has a glyph in the face it was given
        face = compositor.quote_chain.faces[compositor.quote_chain.face_for(ch, 0)]
        assert ch.isspace() or ord(ch) in compositor.quote_chain._cmaps[
            compositor.quote_chain.faces.index(face)]  # fmt: skip


def test_typography():
    assert typographic('"It\'s -- as they say... - fine"') == "“It’s — as they say… – fine”"
    assert typographic("'quoted' words") == "‘quoted’ words"


def test_custom_text_is_cleaned_and_bounded():
    assert clean_custom_text("  hello\x00\x07  world\n\tagain\u200b ") == "hello world again"
    assert clean_custom_text("日本語の テキスト") == "日本語の テキスト"
    with pytest.raises(UserError, match="280"):
        clean_custom_text("x" * 281)
    with pytest.raises(UserError, match="empty"):
        clean_custom_text("\x00 \n\u200b")


def test_auto_placement_takes_the_calm_band(compositor):
    rng = np.random.default_rng(0)
    busy_top = np.full((400, 400, 3), 90, np.uint8)
    busy_top[:200] = rng.integers(0, 255, (200, 400, 3))
    plan = compositor.plan(Image.fromarray(busy_top), Caption(SHORT), "auto")
    assert plan.layout.placement == "bottom"
    plan = compositor.plan(Image.fromarray(busy_top[::-1].copy()), Caption(SHORT), "auto")
    assert plan.layout.placement == "top"
    with pytest.raises(UserError, match="placement"):
        compositor.plan(Image.fromarray(busy_top), Caption(SHORT), "left")


def test_compose_without_a_caption_leaves_the_art_alone(compositor):
    art = _flat(64, 48)
    img, plan = compositor.compose(art, None)
    assert plan is None and np.array_equal(np.asarray(img), art)


def test_png_carries_code_and_utf8_quote():
    img = Image.fromarray(_flat(64, 64))
    out = encode(img, {"replay-code": "1-3", "quote": "我的神经网络 — yes"})
    assert out.mime == "image/png" and out.note == ""
    back = Image.open(io.BytesIO(out.data))
    assert back.text["replay-code"] == "1-3" and back.text["quote"] == "我的神经网络 — yes"


def test_encoding_always_fits_the_byte_limit():
    noisy = Image.fromarray(np.random.default_rng(1).integers(0, 255, (600, 800, 3), np.uint8))
    png = encode(noisy, {"replay-code": "1-3"})
    for limit in (len(png.data) - 1, 400_000, 60_000):
        out = encode(noisy, {"replay-code": "1-3"}, limit)
        assert len(out.data) <= limit
        assert out.mime in ("image/webp", "image/jpeg") and "limit" in out.note
        Image.open(io.BytesIO(out.data)).verify()
    small = encode(noisy, {"replay-code": "1-3"}, 60_000)
    assert small.width < 800 and "JPEG" in small.note
