"""What Discord options mean as recipes: /paint presets, /replay overrides, buttons, the daily look.

Pure functions of plain values: no discord.py, no rendering.
"""

from __future__ import annotations

import math
from dataclasses import fields, replace
from datetime import date, timedelta

import pytest

from bot import daily
from bot import options as op
from bot.art import recipe as rc
from bot.art.code import format_code, parse_code
from bot.art.recipe import Recipe
from bot.daily import daily_recipe
from bot.errors import CodeError, RecipeError, UserError
from bot.forms import Form
from bot.options import (
    SIZES,
    SPREAD,
    PaintOptions,
    button_job,
    can_hd,
    paint_job,
    replay_job,
)
from bot.pipeline import PaintSpec
from bot.quotes.voices import VOICE_NAMES, VOICES

LIMIT = 8_000_000
SEED = 7


def paint(**kw) -> PaintSpec:
    return paint_job(PaintOptions(**kw), LIMIT, seed=SEED)


def code_of(**kw) -> str:
    return format_code(Recipe(**kw))


def assert_readable(e: BaseException, *words: str) -> None:
    """One line a person can read: no traceback, no object reprs, and it names what was wrong."""
    msg = str(e)
    assert isinstance(e, UserError)
    assert msg and "\n" not in msg and len(msg) < 300
    assert "object at 0x" not in msg
    for word in words:
        assert word in msg, (word, msg)


def differing(a: Recipe, b: Recipe) -> set[str]:
    return {f.name for f in fields(Recipe) if getattr(a, f.name) != getattr(b, f.name)}


# --- /paint: defaults and presets -----------------------------------------------------------------
def test_defaults_are_the_square_tanh_recipe():
    job = paint()
    r = job.recipe
    assert (r.w, r.h) == (1024, 1024) == SIZES["square"]
    assert (r.activation, r.init, r.std) == ("tanh", "normal", 1.0)
    assert (r.inputs, r.color, r.quote, r.zoom) == ("xy", "rgb", "generated", 1.0)
    assert r == Recipe(seed=SEED)  # nothing else moved off the article's reference network
    assert (r.quote_engine, r.voice) == (2, "any")  # new paintings: the aphorism engine
    assert job.custom_quote is None
    assert job.byte_limit == LIMIT


def test_seed_option_wins_over_the_given_seed_and_zero_is_kept():
    assert paint_job(PaintOptions(seed=42), LIMIT, seed=SEED).recipe.seed == 42
    assert paint_job(PaintOptions(seed=0), LIMIT, seed=SEED).recipe.seed == 0


def test_without_any_seed_a_fresh_one_is_drawn():
    seeds = {paint_job(PaintOptions(), LIMIT).recipe.seed for _ in range(8)}
    assert len(seeds) > 1
    assert all(0 <= s <= rc.MAX_SEED for s in seeds)


def test_every_activation_has_a_default_spread():
    assert set(SPREAD) == set(rc.ACTIVATIONS)


# The weight spread each activation paints with by default: measured, the most lively share of
# pictures (bot/art/lively.py); a new activation needs its line here.
DEFAULT_STD = {"tanh": 1.0, "sin": 0.5, "relu": 0.5, "sigmoid": 4.0, "softplus": 3.0,
               "gaussian": 0.6, "mix": 0.8}  # fmt: skip
DEFAULT_RANGE = {"tanh": 3.0, "sin": 0.75, "sigmoid": 8.0}  # tanh: the article's weights in +-3


@pytest.mark.parametrize("activation", rc.ACTIVATIONS)
def test_each_activation_gets_its_own_default_spread(activation):
    r = paint(activation=activation).recipe
    assert r.activation == activation
    assert r.init == "normal"
    assert r.std == DEFAULT_STD[activation]


@pytest.mark.parametrize("activation", ["tanh", "sin", "sigmoid"])
def test_uniform_init_gets_the_uniform_spread_as_its_range(activation):
    r = paint(activation=activation, init="uniform").recipe
    assert (r.init, r.range) == ("uniform", DEFAULT_RANGE[activation])
    assert r.std == Recipe().std  # std does not apply, and stays canonical


def test_default_init_takes_no_spread_and_keeps_the_code_canonical():
    r = paint(init="default", activation="sin").recipe
    assert r.init == "default"
    assert (r.std, r.range) == (Recipe().std, Recipe().range)


def test_spread_sets_std_for_normal_and_range_for_uniform():
    assert paint(spread=2.5).recipe.std == 2.5
    r = paint(init="uniform", spread=100.0).recipe
    assert (r.range, r.std) == (100.0, Recipe().std)


def test_spread_with_default_init_is_an_error():
    with pytest.raises(UserError) as e:
        paint(init="default", spread=1.0)
    assert_readable(e.value, "spread", "default")


@pytest.mark.parametrize(
    "zoom, recipe_zoom", [(100, 0.01), (2, 0.5), (1, 1.0), (0.5, 2.0), (0.01, 100.0)]
)
def test_zoom_is_magnification(zoom, recipe_zoom):
    assert paint(zoom=zoom).recipe.zoom == recipe_zoom


@pytest.mark.parametrize("zoom", [0.001, 0.0, -2.0, 100.5, 1e9, math.nan, math.inf])
def test_zoom_out_of_range_is_an_error(zoom):
    with pytest.raises(UserError) as e:
        paint(zoom=zoom)
    assert_readable(e.value, "zoom", "0.01", "100")


@pytest.mark.parametrize(
    "size, w, h",
    [("square", 1024, 1024), ("landscape", 1280, 720), ("portrait", 720, 1280),
     ("wallpaper", 1920, 1080)],
)  # fmt: skip
def test_size_presets(size, w, h):
    r = paint(size=size).recipe
    assert (r.w, r.h) == (w, h)


def test_size_presets_are_all_listed():
    assert sorted(SIZES) == ["landscape", "portrait", "square", "wallpaper"]


@pytest.mark.parametrize("radius, inputs", [(True, "xyr"), (False, "xy"), (None, "xy")])
def test_radius_adds_the_r_input(radius, inputs):
    assert paint(radius=radius).recipe.inputs == inputs


@pytest.mark.parametrize("colour", rc.COLORS)
def test_colour_modes(colour):
    assert paint(colour=colour).recipe.color == colour


@pytest.mark.parametrize(
    "option, value",
    [
        ("activation", "swish"),
        ("init", "xavier"),
        ("size", "huge"),
        ("colour", "cmyk"),
        ("quote", "random"),
        ("voice", "pirate"),
    ],
)
def test_unknown_choices_name_the_option_and_what_is_allowed(option, value):
    with pytest.raises(UserError) as e:
        paint(**{option: value})
    assert_readable(e.value, option, repr(value))


# --- /paint: quote modes --------------------------------------------------------------------------
def test_quote_none_paints_no_quote():
    job = paint(quote="none")
    assert job.recipe.quote == "none"
    assert job.custom_quote is None


def test_quote_generated_is_the_default():
    assert paint(quote="generated").recipe == paint().recipe


def test_custom_text_travels_beside_the_code_and_the_code_has_no_quote():
    job = paint(quote="custom", text="  The  map\nis not\tthe territory ")
    assert job.custom_quote == "The map is not the territory"
    assert job.recipe.quote == "none"
    assert parse_code(job.code).quote == "none"
    assert "territory" not in job.code


def test_text_alone_means_custom():
    job = paint(text="hello")
    assert (job.custom_quote, job.recipe.quote) == ("hello", "none")


@pytest.mark.parametrize("text", [None, "", "   ", "\n\t"])
def test_custom_needs_text(text):
    with pytest.raises(UserError) as e:
        paint(quote="custom", text=text)
    assert_readable(e.value, "custom", "text")


def test_custom_text_of_only_control_characters_is_an_error():
    with pytest.raises(UserError) as e:
        paint(quote="custom", text="\x00\x01 \u200b")
    assert_readable(e.value, "empty")


def test_custom_text_too_long_is_an_error():
    with pytest.raises(UserError) as e:
        paint(quote="custom", text="word " * 200)
    assert_readable(e.value, "at most")


@pytest.mark.parametrize("quote", ["generated", "none"])
def test_text_without_custom_is_an_error(quote):
    with pytest.raises(UserError) as e:
        paint(quote=quote, text="my words")
    assert_readable(e.value, "text", "custom")


# --- /paint: voices ------------------------------------------------------------------------------
@pytest.mark.parametrize("voice", VOICE_NAMES)
def test_voice_goes_into_the_code(voice):
    job = paint(voice=voice)
    assert job.recipe.voice == voice and job.recipe.quote_engine == 2
    assert parse_code(job.code) == job.recipe and job.code.startswith("2-")
    tokens = job.code.split("-")[2] if job.code.count("-") == 2 else ""
    assert ("e" in tokens) == (voice != "any")


@pytest.mark.parametrize("quote", ["none", "custom"])
def test_a_voice_needs_a_generated_quote(quote):
    with pytest.raises(UserError) as e:
        paint(quote=quote, text="mine" if quote == "custom" else None, voice="stoic")
    assert_readable(e.value, "voice", "generated")
    assert paint(quote=quote, text="mine" if quote == "custom" else None, voice="any").recipe


# --- /paint: limits -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, value", [("layers", -1), ("layers", 33), ("width", 0), ("width", 257), ("width", -4)]
)
def test_out_of_range_shape_names_the_parameter(name, value):
    with pytest.raises(UserError) as e:
        paint(**{name: value})
    assert isinstance(e.value, RecipeError)
    assert e.value.param == name
    assert_readable(e.value, name, str(value))


@pytest.mark.parametrize(
    "name, value", [("layers", 0), ("layers", 32), ("width", 1), ("width", 256)]
)
def test_shape_limits_are_inclusive(name, value):
    assert getattr(paint(**{name: value}).recipe, name) == value


def test_too_much_work_is_an_error_saying_what_to_shrink():
    with pytest.raises(RecipeError) as e:
        paint(size="wallpaper", layers=32, width=256)
    assert e.value.param == "work"
    assert_readable(e.value, "fewer layers")


@pytest.mark.parametrize("init, spread", [("normal", 1000.0), ("normal", 0.0), ("uniform", 1e6)])
def test_spread_out_of_range_is_an_error(init, spread):
    with pytest.raises(UserError) as e:
        paint(init=init, spread=spread)
    assert_readable(e.value, "not allowed")


@pytest.mark.parametrize(
    "opts",
    [
        {},
        {"activation": "mix", "layers": 3, "width": 64, "size": "wallpaper"},
        {"init": "uniform", "spread": 7.5, "radius": True, "colour": "hsv", "zoom": 3.3},
        {"init": "default", "size": "portrait", "colour": "bw"},
        {"quote": "custom", "text": "words", "zoom": 100},
        {"quote": "none", "activation": "gaussian", "seed": rc.MAX_SEED},
        {"voice": "wilde", "zoom": 0.5, "init": "uniform", "spread": 0.5},
    ],
)
def test_every_job_survives_its_replay_code(opts):
    """Jobs travel through the queue as codes: the code must read back to the same recipe."""
    job = paint(**opts)
    assert parse_code(job.code) == job.recipe


# --- /replay --------------------------------------------------------------------------------------
def test_replay_a_bare_integer_is_the_default_recipe_with_that_seed():
    job = replay_job("12345", LIMIT)
    assert job.recipe == Recipe(seed=12345, quote_engine=1)  # what "12345" always meant
    assert (job.custom_quote, job.byte_limit) == (None, LIMIT)


def test_replay_gives_back_the_codes_recipe():
    r = Recipe(seed=99, layers=4, width=32, activation="sin", std=0.5, w=1280, h=720, zoom=0.3)
    assert replay_job(f"  `{format_code(r)}` ", LIMIT).recipe == r


@pytest.mark.parametrize("code", ["", "hello", "3-abc", "1-7-zz9", "1-7-d99", "1-7-es", "2-7-ez"])
def test_replay_of_a_bad_code_is_a_user_error(code):
    with pytest.raises(CodeError) as e:
        replay_job(code, LIMIT)
    assert_readable(e.value)


@pytest.mark.parametrize(
    "w, h, size, want",
    [
        (1280, 720, "1x", (1280, 720)),
        (1280, 720, "2x", (2560, 1440)),
        (1280, 720, "4k", (3840, 2160)),
        (720, 1280, "4k", (2160, 3840)),
        (1920, 1080, "2x", (3840, 2160)),  # twice would be 3840 anyway
        (2048, 2048, "2x", (3840, 3840)),  # capped at the 4K long side
        (3000, 1000, "2x", (3840, 1280)),  # capped, aspect kept
        (1024, 1024, "4k", (3840, 3840)),
        (100, 20, "2x", (200, 40)),
    ],
)
def test_replay_resize_keeps_the_framing_and_caps_the_long_side(w, h, size, want):
    r = Recipe(seed=3, w=w, h=h, zoom=0.5, cx=0.25, cy=-0.1)
    out = replay_job(format_code(r), LIMIT, size=size).recipe
    assert (out.w, out.h) == want
    assert max(out.w, out.h) <= 3840
    assert out.w / out.h == pytest.approx(w / h, rel=0.01)
    assert differing(r, out) <= {"w", "h"}  # resolution is not framing


def test_replay_resize_to_1x_changes_nothing():
    r = Recipe(seed=3, w=1280, h=720)
    assert replay_job(format_code(r), LIMIT, size="1x").recipe == r


def test_replay_resize_unknown_size_is_an_error():
    with pytest.raises(UserError) as e:
        replay_job("5", LIMIT, size="8k")
    assert_readable(e.value, "size", "2x", "4k")


def test_replay_resize_past_the_work_budget_is_an_error():
    code = code_of(seed=3, layers=32, width=128)  # fine at 1024x1024, too much at 4K
    with pytest.raises(RecipeError) as e:
        replay_job(code, LIMIT, size="4k")
    assert e.value.param == "work"


@pytest.mark.parametrize(
    "zoom, recipe_zoom", [(1, 0.5), (2, 0.25), (4, 0.125), (10, 0.05), (64, 0.00781)]
)  # 64 is the most; 0.5 / 64 = 0.0078125, kept to the code's three significant digits
def test_replay_zoom_narrows_the_view_about_the_same_centre(zoom, recipe_zoom):
    r = Recipe(seed=3, zoom=0.5, cx=0.3, cy=-0.2, w=1280, h=720)
    out = replay_job(format_code(r), LIMIT, zoom=zoom).recipe
    assert out.zoom == recipe_zoom
    assert differing(r, out) <= {"zoom"}  # same centre, same size, same network


def test_replay_zoom_stops_at_the_finest_recipe_zoom():
    out = replay_job(code_of(seed=3, zoom=0.001), LIMIT, zoom=64).recipe
    assert out.zoom == 0.001  # the finest zoom a recipe takes


@pytest.mark.parametrize("zoom", [0.5, 0.99, 0.0, -1.0, 64.5, 65.0, math.nan, math.inf])
def test_replay_zoom_out_of_range_is_an_error(zoom):
    with pytest.raises(UserError) as e:
        replay_job("5", LIMIT, zoom=zoom)
    assert_readable(e.value, "zoom", "64")


def test_replay_size_and_zoom_together():
    out = replay_job(code_of(seed=3, w=1280, h=720), LIMIT, size="2x", zoom=2).recipe
    assert (out.w, out.h, out.zoom) == (2560, 1440, 0.5)


def test_replay_with_text_and_new_quote_is_an_error():
    with pytest.raises(UserError) as e:
        replay_job("5", LIMIT, text="mine", new_quote=True)
    assert_readable(e.value, "either")


def test_replay_with_text_puts_it_beside_the_code():
    job = replay_job(code_of(seed=5, quote_variant=3), LIMIT, text="  my   words ")
    assert job.custom_quote == "my words"
    assert (job.recipe.quote, job.recipe.quote_variant) == ("none", 0)  # canonical: no k token
    assert job.recipe.seed == 5
    assert parse_code(job.code) == job.recipe


def test_replay_with_empty_text_is_an_error():
    with pytest.raises(UserError):
        replay_job("5", LIMIT, text="   ")


@pytest.mark.parametrize("variant, then", [(0, 1), (1, 2), (5, 6), (rc.MAX_QUOTE_VARIANT, 1)])
def test_new_quote_bumps_the_variant_and_keeps_the_picture(variant, then):
    r = Recipe(seed=11, quote_variant=variant, activation="relu", std=0.6)
    out = replay_job(format_code(r), LIMIT, new_quote=True).recipe
    assert out.quote_variant == then
    assert out.quote == "generated"
    assert differing(r, out) == {"quote_variant"}


def test_new_quote_on_a_quoteless_code_gives_a_generated_quote():
    r = Recipe(seed=11, quote="none")
    out = replay_job(format_code(r), LIMIT, new_quote=True).recipe
    assert (out.quote, out.quote_variant) == ("generated", 0)
    assert differing(r, out) == {"quote"}


def test_replay_with_a_voice_revoices_the_same_picture():
    r = Recipe(seed=11, quote_variant=2, w=1280, h=720, voice="tao")
    out = replay_job(format_code(r), LIMIT, voice="devil").recipe
    assert differing(r, out) == {"voice"} and format_code(out).endswith("k2ed")
    legacy = Recipe(seed=11, quote_variant=2, quote_engine=1)  # a version-1 code: upgraded
    out = replay_job(format_code(legacy), LIMIT, voice="stoic").recipe
    assert differing(legacy, out) == {"quote_engine", "voice"} and out.quote_engine == 2
    assert replay_job("7", LIMIT, voice="any").recipe == Recipe(seed=7)


def test_replay_keeps_the_voice_of_its_code():
    r = Recipe(seed=11, voice="emerson")
    assert replay_job(format_code(r), LIMIT, size="2x").recipe.voice == "emerson"
    assert replay_job(format_code(r), LIMIT, new_quote=True).recipe.voice == "emerson"
    assert replay_job(format_code(r), LIMIT, text="mine").recipe.voice == "any"  # no quote: none


@pytest.mark.parametrize(
    ("code", "kw", "words"),
    [
        ("2-7-q", {"voice": "stoic"}, ("voice", "generated")),
        ("2-7", {"voice": "pirate"}, ("voice", "pirate")),
        ("2-7", {"voice": "stoic", "text": "mine"}, ("either", "voice")),
    ],
)
def test_replay_voice_errors(code, kw, words):
    with pytest.raises(UserError) as e:
        replay_job(code, LIMIT, **kw)
    assert_readable(e.value, *words)


# --- buttons --------------------------------------------------------------------------------------
BASE = Recipe(seed=21, layers=5, width=24, activation="sin", std=0.5, w=1280, h=720,
              zoom=0.5, cx=0.1, quote_variant=3)  # fmt: skip


def test_reroll_draws_a_new_seed_and_resets_the_quote_variant():
    job = button_job("reroll", format_code(BASE), LIMIT, seed=1234)
    assert job.recipe == replace(BASE, seed=1234, quote_variant=0)
    assert (job.custom_quote, job.byte_limit) == (None, LIMIT)


@pytest.mark.parametrize("action", op.BUTTON_ACTIONS)
def test_every_button_keeps_the_voice_of_its_code(action):
    voiced = replace(BASE, voice="nietzsche")
    r = button_job(action, format_code(voiced), LIMIT, seed=1).recipe
    assert (r.quote_engine, r.voice) == (2, "nietzsche")
    assert format_code(r).startswith("2-") and "en" in format_code(r).split("-")[-1]


@pytest.mark.parametrize("action", ["zoom", "hd", "quote"])
def test_buttons_on_a_version_1_code_keep_the_legacy_engine(action):
    """Same picture, same quote lineage: a version-1 result's variants stay version 1."""
    legacy = replace(BASE, quote_engine=1)
    r = button_job(action, format_code(legacy), LIMIT).recipe
    assert (r.quote_engine, r.voice) == (1, "any") and format_code(r).startswith("1-")


def test_reroll_of_a_version_1_code_is_a_new_version_2_picture():
    r = button_job("reroll", format_code(replace(BASE, quote_engine=1)), LIMIT, seed=9).recipe
    assert r == replace(BASE, seed=9, quote_variant=0) and (r.quote_engine, r.voice) == (2, "any")


def test_reroll_without_a_seed_draws_one():
    seeds = {button_job("reroll", format_code(BASE), LIMIT).recipe.seed for _ in range(8)}
    assert len(seeds) > 1
    assert all(0 <= s <= rc.MAX_SEED for s in seeds)


def test_zoom_button_goes_twice_as_close():
    job = button_job("zoom", format_code(BASE), LIMIT)
    assert job.recipe == replace(BASE, zoom=0.25)


def test_hd_button_doubles_up_to_4k():
    assert button_job("hd", format_code(BASE), LIMIT).recipe == BASE.with_size(2560, 1440)
    big = replace(BASE, w=1920, h=1080)
    assert button_job("hd", format_code(big), LIMIT).recipe == BASE.with_size(3840, 2160)


def test_quote_button_asks_for_the_next_quote():
    job = button_job("quote", format_code(BASE), LIMIT)
    assert job.recipe == replace(BASE, quote_variant=4)


@pytest.mark.parametrize("action", ["explode", "", "Reroll"])
def test_unknown_button_is_an_error(action):
    with pytest.raises(UserError) as e:
        button_job(action, format_code(BASE), LIMIT)
    assert_readable(e.value, "button")


def test_every_button_action_is_known():
    still = Form()
    want = {
        "reroll": (replace(BASE, seed=1, quote_variant=0), still),
        "zoom": (replace(BASE, zoom=0.25), still),
        "hd": (BASE.with_size(2560, 1440), still),
        "quote": (replace(BASE, quote_variant=4), still),
        "animate": (BASE.with_size(512, 288), Form(kind="loop", seconds=4, fps=24)),
        "vary-subtle": (BASE, Form(kind="grid", strength="subtle")),
        "vary-strong": (BASE, Form(kind="grid", strength="strong")),
        "pick": (BASE, still),  # a Vary's tile: its code is the tile's
        "still": (BASE, still),  # an animation's code as a picture
    }
    assert sorted(op.BUTTON_ACTIONS) == sorted(want)
    for action, (recipe, form) in want.items():
        job = button_job(action, format_code(BASE), LIMIT, seed=1)
        got = (job.recipe, job.form, job.custom_quote, job.byte_limit)
        assert got == (recipe, form, None, LIMIT), action


@pytest.mark.parametrize(
    "w, h, ok",
    [(1024, 1024, True), (1920, 1080, True), (3839, 100, True), (3840, 2160, False),
     (2160, 3840, False), (4096, 16, False)],
)  # fmt: skip
def test_can_hd(w, h, ok):
    assert can_hd(Recipe(w=w, h=h)) is ok


# --- the piece of the day -------------------------------------------------------------------------
DAYS = [date(2026, 1, 1) + timedelta(days=i) for i in range(366)]


def test_daily_recipe_is_deterministic_per_date():
    # Pinned: every server, every restart and every later version must agree on a past day's piece.
    assert format_code(daily_recipe(date(2026, 1, 1))) == "1-tdjqp2-axs1280x720"
    assert format_code(daily_recipe(daily.DAILY_VOICES_FROM - timedelta(days=1))).startswith("1-")
    first_voiced = [daily_recipe(daily.DAILY_VOICES_FROM + timedelta(days=i)) for i in range(3)]
    assert [format_code(r) for r in first_voiced] == [
        "2-194s2m8-d12w24s1280x720", "2-1tkt6vv-axs1280x720ed", "2-16ea6dd-s1280x720es",
    ]  # fmt: skip


def test_daily_voices_come_from_the_date_and_stay_put():
    days = [daily.DAILY_VOICES_FROM + timedelta(days=i) for i in range(366)]
    voices = [daily_recipe(d).voice for d in days]
    assert set(voices) == set(daily._DAILY_VOICES) == set(VOICE_NAMES[:8])  # all come up in a year
    assert len(daily._DAILY_VOICES) == 8  # frozen: a voice added later moves no past day's piece
    assert all(daily_recipe(d).quote_engine == 2 for d in days)
    assert {v.name for v in VOICES} >= set(daily._DAILY_VOICES)


def test_daily_recipe_differs_across_dates():
    seeds = [daily_recipe(d).seed for d in DAYS]
    assert len(set(seeds)) == len(DAYS)
    looks = {replace(daily_recipe(d), seed=0, voice="any", quote_engine=1) for d in DAYS}
    assert len(looks) == len(daily._DAILY_LOOKS)  # every look comes up within a year


def test_daily_recipe_is_always_valid_and_replayable():
    for d in DAYS:
        r = daily_recipe(d)
        assert (r.w, r.h, r.quote) == (1280, 720, "generated")
        assert parse_code(format_code(r)) == r
        assert replay_job(format_code(r), LIMIT).recipe == r


def test_a_spread_out_of_range_is_called_spread():
    with pytest.raises(UserError, match="spread=1000"):
        paint(spread=1000.0)
    with pytest.raises(UserError, match="spread=0.001"):
        paint(init="uniform", spread=0.001)


def test_2x_never_shrinks_a_picture_coded_above_4k():
    code = format_code(Recipe(seed=3, w=4096, h=2048))
    assert (
        replay_job(code, 10**6, size="2x").recipe.w,
        replay_job(code, 10**6, size="2x").recipe.h,
    ) == (4096, 2048)


def test_a_dull_piece_of_the_day_is_redrawn_from_the_cut_over_and_old_days_keep_theirs():
    from bot.art.lively import assess
    from bot.daily import DAILY_LIVELY_FROM, _drawn

    dull_day = date(2027, 3, 19)  # its date's own seed paints a dull picture
    assert assess(_drawn(dull_day)).dull
    fixed = daily_recipe(dull_day)
    assert not assess(fixed).dull and fixed.seed != _drawn(dull_day).seed
    assert replace(fixed, seed=0) == replace(_drawn(dull_day), seed=0)  # only the seed moves
    for back in range(1, 400):  # every day posted before keeps its piece, dull or not
        day = DAILY_LIVELY_FROM - timedelta(days=back)
        assert daily_recipe(day) == _drawn(day)
