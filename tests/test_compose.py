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
from bot.compose.text import balanced_lines, clean_custom_text, graphemes, typographic, words
from bot.errors import UserError

LONG = ("The soul that has learned to wait is never idle, for it keeps the door of the hour open "
        "and listens for the step of what is coming.")  # fmt: skip
SHORT = "Know thyself, then forgive it."
CJK = "我的神经网络长大后想成为一名画家。A painter, it says."
# One token each, wider than any line at any size: only a break inside the token can fit them.
URL = ("https://example.org/gallery/2024/09/17/" + "cppn-painting-of-the-day-" * 6
       + "index.html?seed=20240917&layers=12&width=24")  # fmt: skip
THAI = ("ปัญญาประดิษฐ์ของฉันอยากเป็นจิตรกรเมื่อโตขึ้นมันบอกว่าภาพทุกภาพเริ่มต้นจากความเงียบ"
        "และสีทุกสีเกิดจากคำถามที่ยังไม่มีใครตอบได้ภาษาไทยเขียนติดกันโดยไม่เว้นวรรคระหว่างคำ")  # fmt: skip


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


# Devanagari, Thai and emoji, in faces taller and deeper than Garamond.
SCRIPTS = "क्षत्रिय की कविता 🎨 สวัสดีครับ ภาพนี้สวย 👨\u200d👩\u200d👧 — नमस्ते, दुनिया! ❤️"
UNBROKEN_SIZES = [(256, 256), (1024, 1024), (180, 720)]


def _clipping_cases() -> list:
    """Every size with the ordinary quotes; the unbroken ones (one token that no line can hold)
    square, large and in a narrow portrait."""
    ordinary = {"long": LONG + " " + LONG[:60] + ".", "short": SHORT, "cjk": CJK}
    sizes = [(256, 256), (256, 640), (640, 360), (1080, 1920), (3840, 2160)]
    unbroken = {"w280": "W" * 280, "url": URL, "thai": THAI}
    pairs = [(s, k, t) for s in sizes for k, t in ordinary.items()]
    pairs += [(s, k, t) for s in UNBROKEN_SIZES for k, t in unbroken.items()]
    pairs += [(s, "scripts", SCRIPTS) for s in UNBROKEN_SIZES]
    return [pytest.param(s, t, id=f"{k}-{s[0]}x{s[1]}") for s, k, t in pairs]


@pytest.mark.parametrize(("size", "text"), _clipping_cases())
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


def test_graphemes_keep_marks_conjuncts_emoji_and_flags():
    assert graphemes("e\u0301a\u0308\u0323b") == ["e\u0301", "a\u0308\u0323", "b"]
    assert graphemes("क्षत्रिय") == ["क्ष", "त्रि", "य"]  # conjuncts stay whole (virama + consonant)
    assert graphemes("👨\u200d👩\u200d👧👍🏽") == ["👨\u200d👩\u200d👧", "👍🏽"]
    assert graphemes("🇯🇵🇫🇷🇩") == ["🇯🇵", "🇫🇷", "🇩"]
    assert graphemes("ก็ที่ทำ") == ["ก็", "ที่", "ทำ"]  # Thai marks and SARA AM
    assert graphemes("\u1100\u1161\u11a8가") == ["\u1100\u1161\u11a8", "가"]


@pytest.mark.parametrize("text", ["W" * 280, URL, THAI, "e\u0301" * 90, "क्षत्रिय" * 20])
def test_a_token_wider_than_the_line_is_cut_between_graphemes(text):
    measure = lambda t: 7.0 * len(t)  # noqa: E731
    assert balanced_lines(words(text), measure, 150) == [text]  # whole unless asked
    lines = balanced_lines(words(text), measure, 150, split=True)
    assert len(lines) > 1 and "".join(lines) == text
    assert all(measure(line) <= 150 for line in lines)
    clusters = graphemes(text)
    edges = {sum(map(len, clusters[:i])) for i in range(len(clusters) + 1)}
    cuts = [sum(map(len, lines[:i])) for i in range(1, len(lines))]
    assert all(c in edges for c in cuts), "a line break fell inside a grapheme"
    for a, b in zip(lines, lines[1:], strict=False):  # Thai: no leading vowel left at a line end
        assert a[-1] not in "เแโใไ" and b[0] not in "ะาๅๆ"


def test_a_long_url_breaks_after_its_slashes_and_hyphens(compositor):
    img = Image.fromarray(_flat(1024, 1024))
    lines = ["".join(r.text for r in line.runs) for line in compositor.plan(
        img, Caption(URL), "centre").layout.lines]  # fmt: skip
    assert len(lines) > 2 and "".join(lines) == f"“{URL}”"
    assert all(line[-1] in "/-?&=." for line in lines[:-1]), lines


def test_ordinary_words_are_never_cut_for_a_larger_size(compositor):
    text = "Supercalifragilisticexpialidocious, said the painter, is a colour."
    for size in [(256, 256), (180, 720), (1024, 1024)]:
        plan = compositor.plan(Image.fromarray(_flat(*size)), Caption(text), "centre")
        set_words = " ".join("".join(r.text for r in ln.runs) for ln in plan.layout.lines).split()
        assert set_words == f"“{text}”".split(), (size, set_words)


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
