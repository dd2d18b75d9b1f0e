"""Scripts and emoji the picture can show: Devanagari, Thai and emoji go to faces that have
them (Noto Sans Devanagari, Noto Sans Thai, monochrome Noto Emoji) and draw as glyphs, not as
.notdef boxes; every shipped font has its licence."""

import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont, features

from bot.compose import Caption, Compositor
from bot.compose.fonts import FONTS_DIR, QUOTE_CHAIN, FontChain, _cmap, _font
from bot.compose.text import graphemes

HINDI = "मेरा तंत्रिका नेटवर्क बड़ा होकर चित्रकार बनना चाहता है। हर चित्र मौन से शुरू होता है।"
THAI = "ปัญญาประดิษฐ์ของฉันอยากเป็นจิตรกรเมื่อโตขึ้น ภาพทุกภาพเริ่มต้นจากความเงียบ"
EMOJI = "Paint the sky 🎨, smile 😀, love ❤️, family 👨\u200d👩\u200d👧, 👍🏽, 🇯🇵 1️⃣"
OLD_CHAIN = QUOTE_CHAIN[:1] + tuple(
    f for f in QUOTE_CHAIN if f.file in ("DejaVuSans.ttf", "wqy-microhei.ttc")
)  # the chain before Noto: Garamond, DejaVu, WenQuanYi


@pytest.fixture(scope="module")
def compositor() -> Compositor:
    return Compositor()


def _ink(font: ImageFont.FreeTypeFont, text: str) -> np.ndarray:
    """The text's rendered pixels, cropped to their bounding box."""
    img = Image.new("L", (round(font.size * 4 * max(1, len(text))), font.size * 3), 0)
    ImageDraw.Draw(img).text((font.size, font.size), text, font=font, fill=255)
    a = np.asarray(img)
    ys, xs = np.nonzero(a)
    return a[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1] if len(xs) else a[:0, :0]


def _boxes(chain: FontChain, text: str, size: int = 40) -> list[str]:
    """Clusters of text that the chain would draw as .notdef: a code point missing from the face
    the cluster went to, or a rendering identical to that face's .notdef (U+FFFF, never mapped)."""
    found = []
    for run in chain.runs(text):
        font, cmap = _font(run.face, size), _cmap(run.face)
        notdef = _ink(font, "\uffff")
        for cluster in graphemes(run.text):
            if cluster.isspace():
                continue
            ink = _ink(font, cluster)
            same = ink.shape == notdef.shape and np.array_equal(ink, notdef)
            if same or any(ord(ch) not in cmap for ch in cluster if ch != "\u200d"):
                found.append(cluster)
    return found


@pytest.mark.parametrize("text", [HINDI, THAI, EMOJI], ids=["hindi", "thai", "emoji"])
def test_no_notdef_boxes_in_devanagari_thai_or_emoji(compositor, text):
    assert _boxes(compositor.quote_chain, text) == []
    assert _boxes(compositor.signature_chain, text) == []


def test_the_box_detector_finds_the_boxes_of_the_old_chain():
    """Before Noto: Hindi and Thai came out as boxes (what the test above guards against)."""
    old = FontChain(OLD_CHAIN)
    assert len(_boxes(old, HINDI)) > 20 and len(_boxes(old, THAI)) > 20


def test_layout_routes_runs_to_the_script_faces(compositor):
    img = Image.fromarray(np.full((512, 512, 3), 90, np.uint8))
    expect = {
        HINDI: ("NotoSansDevanagari-Regular.ttf", r"[\u0900-\u097f]"),
        THAI: ("NotoSansThai-Regular.ttf", r"[\u0e00-\u0e7f]"),
        EMOJI: ("NotoEmoji-Regular.ttf", r"[\U0001f000-\U0001faff\ufe0f]"),
    }
    for text, (file, script) in expect.items():
        runs = [r for line in compositor.plan(img, Caption(text), "bottom").layout.lines
                for r in line.runs]  # fmt: skip
        for r in runs:
            assert (r.face.file == file) == bool(re.search(script, r.text)), (r.face.file, r.text)
        assert any(r.face.file.startswith("EBGaramond") for r in runs)  # the quote marks


def test_emoji_face_wins_for_emoji_and_text_symbols_stay_in_text_faces(compositor):
    chain = compositor.quote_chain
    face = lambda s: chain.faces[chain.face_for(s, 0)].file  # noqa: E731
    assert face("😀") == "NotoEmoji-Regular.ttf"  # DejaVu has a plain one; the emoji face wins
    assert face("❤\ufe0f") == "NotoEmoji-Regular.ttf"  # emoji presentation asked for
    assert face("❤") == "DejaVuSans.ttf" and face("☺") == "DejaVuSans.ttf"  # text presentation
    assert face("क्ष") == "NotoSansDevanagari-Regular.ttf"
    # a space after an emoji is the text's space, not the emoji font's 1.3 em one
    assert [r.face.file for r in chain.runs("a 😀 b")][-1].startswith("EBGaramond")


@pytest.mark.skipif(not features.check("raqm"), reason="complex shaping needs libraqm")
def test_devanagari_conjuncts_and_emoji_sequences_are_shaped():
    deva = _font(QUOTE_CHAIN[[f.file for f in QUOTE_CHAIN].index("NotoSansDevanagari-Regular.ttf")],
                 40)  # fmt: skip
    assert deva.getlength("क्ष") < deva.getlength("क्") + deva.getlength("ष")  # one conjunct
    emoji = _font(QUOTE_CHAIN[-1], 40)
    family = "👨\u200d👩\u200d👧"
    assert emoji.getlength(family) < 1.5 * emoji.getlength("👨")  # one glyph, not three


def test_every_shipped_font_has_its_licence_named_in_the_fonts_readme():
    readme = (FONTS_DIR / "README.md").read_text(encoding="utf-8")
    fonts = sorted(
        p.name for p in Path(FONTS_DIR).iterdir() if p.suffix in (".ttf", ".otf", ".ttc")
    )
    for name in fonts:
        row = next((line for line in readme.splitlines() if f"`{name}`" in line), None)
        assert row is not None, f"{name} is not in fonts/README.md"
        licence = re.search(r"`([\w-]+-LICENSE\.txt)`", row)
        assert licence and (FONTS_DIR / licence.group(1)).is_file(), row
