"""What a feed post says (issue 15): fitted to Mastodon's characters and Bluesky's graphemes,
hashtags as facets at UTF-8 byte offsets, alt text from the pixels, images under Bluesky's cap."""

import io
from dataclasses import replace
from datetime import date

import pytest
from feed_pictures import gradient, noise, picture, png
from PIL import Image

from bot.art.recipe import Recipe
from bot.feeds import content
from bot.feeds.alt import alt_text, colour_names
from bot.feeds.content import BLUESKY_LIMITS, MASTODON_LIMITS, TextLimits
from bot.feeds.image import fit

TAGS = ("generativeart", "cppn")
DAY = date(2026, 12, 3)
FAMILY = "👨\u200d👩\u200d👧\u200d👦"  # one grapheme, seven code points
CJK_EMOJI = "我的神经网络长大后想成为一名画家🎨" + FAMILY + "🇫🇷" + "e\u0301"  # é, decomposed


def test_graphemes_count_what_a_person_sees():
    assert len(content.graphemes(FAMILY)) == 1 and len(FAMILY) == 7
    assert len(content.graphemes("🇫🇷")) == 1
    assert len(content.graphemes("e\u0301")) == 1
    assert len(content.graphemes(CJK_EMOJI)) == 20  # 16 CJK, 🎨, the family, the flag, é
    assert content.length(CJK_EMOJI, BLUESKY_LIMITS) < content.length(CJK_EMOJI, MASTODON_LIMITS)


def test_shorten_never_cuts_inside_a_grapheme():
    text = FAMILY * 10
    cut = content.shorten(text, 4, BLUESKY_LIMITS)
    assert cut == FAMILY * 3 + "…"
    assert content.shorten("short", 10, BLUESKY_LIMITS) == "short"


def test_daily_post_has_headline_quote_recipe_code_and_hashtags():
    p = picture()
    text = content.post_text(content.daily_headline(DAY), p, TAGS, MASTODON_LIMITS)
    assert text.startswith("Piece of the day · 3 December 2026\n\n")
    assert "“Patience is a garden that the hurried never see.” — Leueus of Abdera" in text
    assert f"Replay code: {p.code}" in text
    assert "layers" in text and "tanh" in text
    assert text.endswith("#generativeart #cppn")


def test_a_cjk_and_emoji_quote_fits_bluesky_by_graphemes_not_code_points():
    quote = CJK_EMOJI * 7  # 140 graphemes, 196 code points
    p = picture(quote=quote, attribution="匿名")
    text = content.post_text(content.daily_headline(DAY), p, TAGS, BLUESKY_LIMITS)
    assert quote in text  # counted in graphemes it fits whole
    assert len(text) > 300 >= content.length(text, BLUESKY_LIMITS)


def test_a_long_quote_is_shortened_and_the_code_and_hashtags_always_stay():
    p = picture(quote="Word " * 80 + "end.", recipe=Recipe(seed=7, layers=12, width=24))
    for limits in (BLUESKY_LIMITS, MASTODON_LIMITS, TextLimits(200, False, 1500)):
        text = content.post_text(content.daily_headline(DAY), p, TAGS, limits)
        assert content.length(text, limits) <= limits.max_text
        assert p.code in text and text.endswith("#generativeart #cppn")
        assert "…" in text and "end." not in text


def test_a_reply_names_only_the_one_who_asked():
    p = picture(quote=None, attribution=None)
    text = content.post_text(content.reply_headline("alice@art.example"), p, (), MASTODON_LIMITS)
    assert text.startswith("@alice@art.example here is your painting.")
    assert text.count("@") == 2  # @alice@art.example, nobody else
    error = content.error_reply(
        "bob.bsky.social", "layers=99 is not allowed: 0 to 32", BLUESKY_LIMITS
    )
    assert error == "@bob.bsky.social I could not paint that: layers=99 is not allowed: 0 to 32."


def test_facets_have_utf8_byte_offsets():
    text = f"Ünïcødé {CJK_EMOJI} #cppn and https://example.com/a?b=1, {FAMILY} #generativeart"
    found = content.facets(text)
    raw = text.encode("utf-8")
    assert [(f.kind, raw[f.start : f.end].decode()) for f in found] == [
        ("tag", "#cppn"), ("link", "https://example.com/a?b=1"), ("tag", "#generativeart"),
    ]  # fmt: skip
    assert found[0].start == len(f"Ünïcødé {CJK_EMOJI} ".encode()) != len(f"Ünïcødé {CJK_EMOJI} ")
    assert [f.value for f in found] == ["cppn", "https://example.com/a?b=1", "generativeart"]
    assert found[0].to_record() == {
        "index": {"byteStart": found[0].start, "byteEnd": found[0].end},
        "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "cppn"}],
    }


def test_a_mention_facet_carries_the_did_of_a_known_handle_only():
    text = "@alice.bsky.social here is your painting. @mallory.example"
    found = content.facets(text, {"alice.bsky.social": "did:plc:alice"})
    assert [(f.kind, f.value, f.start, f.end) for f in found] == [
        ("mention", "did:plc:alice", 0, 18)
    ]


def test_alt_text_says_colours_structure_recipe_and_quote():
    p = picture(gradient(colour=(40, 80, 210)))
    alt = alt_text(p, MASTODON_LIMITS)
    assert "blue" in alt and "smooth" in alt
    assert "Recipe: 9 layers × 16 · tanh" in alt
    assert "Written on it at the bottom: “Patience is a garden" in alt
    assert colour_names(gradient(colour=(240, 130, 30)))[0][0] == "orange"
    bw = replace(p, recipe=Recipe(seed=1, color="bw", w=96, h=64), quote=None)
    assert "black and white" in alt_text(bw, MASTODON_LIMITS)
    assert "Written on it" not in alt_text(bw, MASTODON_LIMITS)


def test_alt_text_fits_the_limit_even_with_a_long_quote():
    p = picture(quote="A long thought. " * 200)
    for limits in (MASTODON_LIMITS, TextLimits(300, True, 400)):
        alt = alt_text(p, limits)
        assert 0 < len(alt) <= limits.max_alt
        assert alt.startswith("An abstract picture") and "Recipe:" in alt


def test_a_19_mb_picture_is_reencoded_under_bluesky_s_million_bytes():
    img = noise(820, 780)
    data = png(img)
    assert 1_800_000 < len(data) < 2_000_000
    p = replace(picture(img), data=data)
    up = fit(p, 1_000_000)
    assert len(up.data) <= 1_000_000 and up.mime == "image/jpeg"
    assert abs(up.width / up.height - 820 / 780) < 0.01
    assert Image.open(io.BytesIO(up.data)).size == (up.width, up.height)
    small = picture()
    assert fit(small, 1_000_000).data == small.data  # fits: sent as it is


def test_an_image_that_cannot_fit_is_an_error():
    from bot.errors import BotError

    with pytest.raises(BotError, match="cannot fit"):
        fit(picture(noise(200, 200)), 500)
