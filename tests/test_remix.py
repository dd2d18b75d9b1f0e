"""Remix edits the picture, it does not start over: the box's words applied over the code's own
recipe (bot/optiontext.py `remix`). What the words cannot say (a centre, latent inputs, a custom
size, a blend, a line of variations, the quote's engine and variant) is kept; a blend or a line
the edit makes meaningless is dropped, with one line saying so.

Pure functions of plain values: no discord.py, no rendering.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.art.code import format_code, parse_code
from bot.art.network import layer_activations
from bot.art.recipe import Recipe
from bot.discordbot.server import ServerSettings
from bot.errors import UserError
from bot.optiontext import options_text, remix

LIMIT = 8_000_000
# Zoomed in about a centre, two latent inputs, a size no /paint preset has, a blend with the
# picture of seed 77, then two variations taken (tiles 1 and 3 of a subtle Vary).
FULL = Recipe(
    seed=123, layers=4, width=8, zdim=2, zoom=0.25, cx=0.25, cy=-0.1, w=300, h=200,
    quote="none", blend_seed=77, blend_t=0.5, nudges="13",
)  # fmt: skip
BOX = options_text(FULL)


def edit(text: str, quote: str | None = None, r: Recipe = FULL, fill=lambda o: o):
    return remix(r, text, quote, LIMIT, fill)


def test_the_box_shows_what_paint_can_say():
    assert BOX == "layers:4 width:8 activation:tanh spread:1 zoom:4 colour:rgb quote:none seed:123"


@pytest.mark.parametrize(
    "text",
    [
        BOX,
        f"  {BOX}  ",
        " ".join(reversed(BOX.split())),  # in another order
        BOX.replace("colour:", "color:").replace("activation:tanh", "activation:TANH"),
        BOX + " init:normal radius:no palette:none symmetry:none",  # /paint's defaults, said
        BOX.replace("zoom:4", "zoom:4.0"),
    ],
)
def test_the_box_submitted_as_it_was_is_the_same_picture(text):
    done = edit(text)
    assert done.spec.recipe == FULL and done.spec.code == format_code(FULL)
    assert done.spec.custom_quote is None and done.dropped == ""


def test_changing_the_palette_keeps_the_centre_zdim_size_blend_and_variations():
    done = edit(BOX + " palette:random")
    assert done.spec.recipe == replace(FULL, palette="random")
    assert done.dropped == ""
    r = parse_code(done.spec.code)  # the code carries all of it
    assert (r.cx, r.cy, r.zdim, r.w, r.h, r.zoom) == (0.25, -0.1, 2, 300, 200, 0.25)
    assert (r.blend_seed, r.blend_t, r.nudges) == (77, 0.5, "13")


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        (("zoom:4", "zoom:8"), {"zoom": 0.125}),  # about the same centre
        (("colour:rgb", "colour:hsv"), {"color": "hsv"}),  # the same three outputs
        (("quote:none", "symmetry:quad quote:none"), {"symmetry": "quad"}),
        (("quote:none", "size:landscape quote:none"), {"w": 1280, "h": 720}),
        (("quote:none", "quote:generated"), {"quote": "generated"}),
    ],
)
def test_what_does_not_change_the_network_keeps_everything_else(change, fields):
    done = edit(BOX.replace(*change))
    assert done.spec.recipe == replace(FULL, **fields) and done.dropped == ""


def test_a_quote_of_your_own_keeps_the_picture():
    done = edit(BOX.replace(" quote:none", ""), quote="Less is more.")
    assert done.spec.recipe == FULL and done.spec.custom_quote == "Less is more."


def test_changing_layers_drops_the_blend_and_its_variations_and_says_so():
    done = edit(BOX.replace("layers:4", "layers:5"))
    assert done.spec.recipe == replace(FULL, layers=5, blend_seed=0, blend_t=0.0, nudges="")
    assert done.dropped == (
        "the blend with seed 77 and the variations taken from it were dropped: they need the "
        "same layers"
    )
    plain = replace(FULL, blend_seed=0, blend_t=0.0, nudges="")
    one_line = edit(options_text(plain).replace("width:8", "width:9"), r=replace(plain, nudges="5"))
    assert one_line.dropped == "the variation taken was dropped: it needs the same width"
    only_blend = replace(plain, blend_seed=77, blend_t=0.5)
    box = options_text(only_blend).replace("width:8 activation:tanh", "width:9 activation:sin")
    two = edit(box, r=only_blend)
    assert two.spec.recipe == replace(plain, width=9, activation="sin")
    said = "the blend with seed 77 was dropped: it needs the same width and activation"
    assert two.dropped == said
    bw = edit(BOX.replace("colour:rgb", "colour:bw"))
    assert bw.dropped.endswith("they need the same colour") and not bw.spec.recipe.blend_t


def test_a_new_seed_keeps_the_blend_with_the_same_partner_but_not_the_variations():
    done = edit(BOX.replace("seed:123", "seed:5"))
    assert done.spec.recipe == replace(FULL, seed=5, nudges="")
    assert done.dropped == "the 2 variations taken were dropped: they need the same seed"
    unseeded = edit(BOX.replace(" seed:123", ""))  # taken out: a new seed, as /paint's
    assert unseeded.spec.recipe.seed != 123 and unseeded.options.seed is None


def test_a_blend_of_mix_needs_the_activations_the_partners_seed_drew():
    base = Recipe(seed=1, layers=2, width=4, activation="mix", w=64, h=64, quote="none")
    drew = {s: layer_activations(replace(base, seed=s)) for s in range(2, 400)}
    partner = next(s for s in drew if drew[s] == layer_activations(base))
    same = next(s for s in drew if s != partner and drew[s] == drew[partner])
    other = next(s for s in drew if drew[s] != drew[partner])
    blended = replace(base, blend_seed=partner, blend_t=0.5)
    box = options_text(blended)
    kept = edit(box.replace("seed:1", f"seed:{same}"), r=blended)
    assert kept.spec.recipe == replace(blended, seed=same) and kept.dropped == ""
    dropped = edit(box.replace("seed:1", f"seed:{other}"), r=blended)
    assert not dropped.spec.recipe.blend_t
    assert dropped.dropped.startswith(f"the blend with seed {partner} was dropped: it needs the "
                                      "same activations")  # fmt: skip


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (BOX.replace("layers:4", "layers:lots"), "layers:lots is not a whole number"),
        (BOX + " bogus:1", "no option 'bogus'"),
        (BOX.replace("zoom:4", "zoom:1000"), "zoom 1000 is not allowed"),
        (BOX.replace("layers:4", "layers:99"), "layers=99 is not allowed"),
        (BOX + " palette:random colour:hsv", "a palette colours rgb or bw"),
        (BOX.replace("spread:1", "spread:0"), "spread=0.0 is not allowed"),
        (BOX + ' "open', "a quote mark is not closed"),
        (BOX + " text:hi", "quote:custom"),
    ],
)
def test_a_bad_word_is_one_line_naming_it(text, says):
    with pytest.raises(UserError) as e:
        edit(text)
    assert says in str(e.value) and "\n" not in str(e.value)


def test_what_is_kept_is_not_checked_against_paints_ranges_but_what_changes_is():
    close = Recipe(seed=5, zoom=0.001, w=64, h=64)  # the Zoom button goes past /paint's 100
    box = options_text(close)
    assert "zoom:1000" in box
    assert edit(box + " colour:hsv", r=close).spec.recipe == replace(close, color="hsv")
    with pytest.raises(UserError, match="zoom 2000 is not allowed"):
        edit(box.replace("zoom:1000", "zoom:2000"), r=close)
    big = replace(close, w=4096, h=4096)  # a kept size still counts in the work budget
    with pytest.raises(UserError, match="work"):
        edit(options_text(big).replace("layers:9 width:16", "layers:32 width:256"), r=big)


def test_the_quote_engine_voice_and_variant_stay_unless_the_quote_changes():
    legacy = parse_code("1-7a-d3w5k3")  # a version-1 code's quote, the third other one
    box = options_text(legacy)
    kept = edit(box + " palette:random", r=legacy)
    assert kept.spec.code == "1-7a-d3w5h1k3"
    voiced = edit(box + " voice:stoic", r=legacy)  # voices are version 2's (as /replay voice:)
    assert voiced.spec.code == "2-7a-d3w5k3es"
    same = edit(box + " voice:any quote:generated", r=legacy)  # said, not changed
    assert same.spec.recipe == legacy
    stoic = Recipe(seed=9, layers=3, width=5, voice="stoic", w=64, h=64)
    own = edit(options_text(stoic), quote="Mine.", r=stoic)  # the voice went with its quote
    assert own.spec.recipe == replace(stoic, quote="none", voice="any")
    assert own.spec.custom_quote == "Mine."


def test_the_servers_defaults_fill_only_what_was_taken_out():
    server = ServerSettings(size="landscape", quote=False, voice="stoic", colour="hsv")
    square = Recipe(seed=9, layers=3, width=5, quote_variant=2)
    box = options_text(square)
    kept = edit(box + " palette:random", r=square, fill=server.fill)
    assert kept.spec.recipe == replace(square, palette="random")  # quote and voice as they were
    gone = edit(box.replace(" size:square", ""), r=square, fill=server.fill)
    assert (gone.spec.recipe.w, gone.spec.recipe.h) == (1280, 720)  # the server's size
    custom = edit(BOX + " palette:random", fill=server.fill)  # a custom size stays custom
    assert (custom.spec.recipe.w, custom.spec.recipe.h) == (300, 200)
