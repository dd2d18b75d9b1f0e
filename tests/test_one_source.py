"""Every list has one source: the Discord surface (choices, ranges, custom-id patterns) is built
from the recipe's and the options' own tuples, so a value added there reaches Discord by itself
and nothing copied can drift. Each test reads the *built* Discord objects and compares them with
the source list."""

from __future__ import annotations

import re

import pytest

from bot import options as op
from bot.art import recipe as rc
from bot.art.code import MAX_INPUT, format_code
from bot.art.recipe import Recipe
from bot.compose.text import MAX_CUSTOM
from bot.discordbot.buttons import PaintButton
from bot.discordbot.cogs.paint import PaintCog


def _params(name: str) -> dict:
    command = getattr(PaintCog, name)
    return {p.name: p for p in command.parameters}


def _choice_values(param) -> list:
    return [c.value for c in param.choices]


def test_paint_choices_are_the_source_lists() -> None:
    p = _params("paint")
    assert _choice_values(p["activation"]) == list(rc.ACTIVATIONS)
    assert _choice_values(p["init"]) == list(rc.INITS)
    assert _choice_values(p["colour"]) == list(rc.COLORS)
    assert _choice_values(p["size"]) == list(op.SIZES)
    assert _choice_values(p["quote"]) == list(op.QUOTE_MODES)
    for name, (w, h) in op.SIZES.items():
        assert f"{name} {w}×{h}" in p["size"].description


def test_paint_ranges_are_the_recipe_ranges() -> None:
    p = _params("paint")
    assert (p["layers"].min_value, p["layers"].max_value) == (0, rc.MAX_LAYERS)
    assert (p["width"].min_value, p["width"].max_value) == (1, rc.MAX_WIDTH)
    assert (p["seed"].min_value, p["seed"].max_value) == (0, rc.MAX_SEED)
    assert (p["zoom"].min_value, p["zoom"].max_value) == (op.MIN_ZOOM, op.MAX_ZOOM)
    # spread is the std (normal) or the range (uniform): Discord admits the union of the two.
    lo = min(rc.STD_RANGE[0], rc.UNIFORM_RANGE[0])
    hi = max(rc.STD_RANGE[1], rc.UNIFORM_RANGE[1])
    assert (p["spread"].min_value, p["spread"].max_value) == (lo, hi)
    assert p["text"].max_value == MAX_CUSTOM
    assert str(MAX_CUSTOM) in p["text"].description


def test_replay_choices_and_lengths() -> None:
    p = _params("replay")
    assert _choice_values(p["size"]) == list(op.REPLAY_SIZES)
    assert p["code"].max_value == MAX_INPUT
    assert p["text"].max_value == MAX_CUSTOM
    r = Recipe(seed=1, w=640, h=360)
    sides = {size: op.resized(r, size).w for size in op.REPLAY_SIZES}
    assert sides == {"1x": 640, "2x": 1280, "4k": 3840}  # every choice means something


@pytest.mark.parametrize("action", list(op.BUTTON_ACTIONS))
def test_every_button_action_round_trips_through_its_custom_id(action: str) -> None:
    code = format_code(Recipe(seed=123456, layers=16, width=32, w=3840, h=2160))
    button = PaintButton(action, code)
    custom_id = button.item.custom_id
    match = PaintButton.__discord_ui_compiled_template__.fullmatch(custom_id)
    assert match is not None, custom_id
    assert (match["action"], match["code"]) == (action, code)
    assert button.item.label == op.BUTTON_ACTIONS[action].label


def test_the_custom_id_pattern_admits_exactly_the_listed_actions() -> None:
    pattern = PaintButton.__discord_ui_compiled_template__
    names = re.search(r"\(\?P<action>([^)]*)\)", pattern.pattern)[1].split("|")  # type: ignore[index]
    assert sorted(names) == sorted(op.BUTTON_ACTIONS)
    assert pattern.fullmatch("cppn:explode:2-abc") is None


def test_extensions_cover_every_file_type_a_picture_is_sent_as() -> None:
    from PIL import Image

    from bot.compose.encode import EXTENSIONS, encode

    img = Image.new("RGB", (512, 512), (10, 200, 30))
    big_noise = Image.effect_noise((1024, 1024), 100).convert("RGB")
    made = {encode(img, {}, 10**8).mime, encode(big_noise, {}, 60_000).mime}
    assert made <= set(EXTENSIONS)
    assert set(EXTENSIONS.values()) == {"png", "webp", "jpg", "mp4", "gif"}
    from bot.motion.video import FORMATS, MIME  # animations: each format has its file type

    assert {EXTENSIONS[MIME[fmt]] for fmt in FORMATS.values()} == {"mp4", "gif", "webp"}


def test_every_activation_has_a_code_letter_and_a_function() -> None:
    from bot.art.code import ACT_LETTERS
    from bot.art.network import ACTIVATION_FNS

    assert list(ACT_LETTERS) == list(rc.ACTIVATIONS)
    assert len(set(ACT_LETTERS.values())) == len(ACT_LETTERS)  # letters decode one way
    # "mix" is a per-neuron draw among the others: every other one is a function.
    assert set(ACTIVATION_FNS) == set(rc.ACTIVATIONS) - {"mix"}
