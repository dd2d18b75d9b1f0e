import pytest

from bot.art.recipe import ACTIVATION_COST, MAX_WORK, Recipe, check_budget
from bot.errors import RecipeError, UserError


@pytest.mark.parametrize(
    ("changes", "param"),
    [
        ({"layers": -1}, "layers"),
        ({"layers": 33}, "layers"),
        ({"width": 0}, "width"),
        ({"width": 257}, "width"),
        ({"activation": "swish"}, "activation"),
        ({"init": "xavier"}, "init"),
        ({"std": 0.0}, "std"),
        ({"init": "uniform", "range": 5000.0}, "range"),
        ({"inputs": "xyz"}, "inputs"),
        ({"zdim": 9}, "zdim"),
        ({"coords": "polar"}, "coords"),
        ({"zoom": 0.0}, "zoom"),
        ({"zoom": float("inf")}, "zoom"),
        ({"cx": 2000.0}, "cx"),
        ({"color": "cmyk"}, "color"),
        ({"w": 8}, "w"),
        ({"h": 5000}, "h"),
        ({"seed": -1}, "seed"),
        ({"seed": 2**32}, "seed"),
        ({"seed": 1.5}, "seed"),
        ({"std": "big"}, "std"),
        ({"schedule": "doubling"}, "schedule"),
        ({"quote_engine": 3}, "quote_engine"),
        ({"quote_engine": 0}, "quote_engine"),
        ({"quote_engine": True}, "quote_engine"),
        ({"quote_engine": "2"}, "quote_engine"),
        ({"voice": "pirate"}, "voice"),
    ],
)
def test_out_of_range_values_name_the_parameter(changes, param):
    with pytest.raises(RecipeError) as err:
        Recipe(**changes)
    assert err.value.param == param
    assert param in str(err.value) and "allowed" in str(err.value)
    assert isinstance(err.value, UserError)


def test_parameters_that_do_not_apply_must_stay_default():
    with pytest.raises(RecipeError, match="std"):
        Recipe(init="uniform", range=3.0, std=2.0)
    with pytest.raises(RecipeError, match="floor"):
        Recipe(floor=8)  # constant schedule has no floor


def test_a_voice_needs_a_generated_quote_from_engine_2():
    assert Recipe(voice="stoic").voice == "stoic" and Recipe().voice == "any"
    assert Recipe().quote_engine == 2  # new paintings get the aphorism engine
    with pytest.raises(RecipeError, match="voice.*generated quote"):
        Recipe(voice="stoic", quote="none")
    with pytest.raises(RecipeError, match="voice.*quote engine 2"):
        Recipe(voice="stoic", quote_engine=1)  # the legacy engine has only "any"
    assert Recipe(quote_engine=1, quote="none").quote_engine == 1  # the engine is free


def test_voice_choices_come_from_the_voices_module():
    from bot.quotes.voices import VOICE_NAMES

    for name in VOICE_NAMES:
        assert Recipe(voice=name).voice == name


def test_halving_schedule_halves_down_to_the_floor():
    r = Recipe(width=128, layers=8, schedule="halving", floor=4)
    assert r.hidden_widths() == [128, 64, 32, 16, 8, 4, 4, 4]
    assert r.layer_dims()[0] == (2, 128) and r.layer_dims()[-1] == (4, 3)


def test_inputs_count_radius_and_latent():
    assert Recipe().n_inputs == 2
    assert Recipe(inputs="xyr", zdim=3).n_inputs == 6
    assert Recipe(color="bw").n_outputs == 1


def test_floats_are_quantised_to_three_significant_digits():
    r = Recipe(std=0.123456, zoom=0.0098765, cx=0.00001, cy=-12.345)
    assert (r.std, r.zoom, r.cx, r.cy) == (0.123, 0.00988, 0.0, -12.3)


def test_work_budget_takes_the_4k_job_and_rejects_bigger():
    big = Recipe(width=128, layers=16, w=3840, h=2160)
    assert big.work() < big.cost() <= MAX_WORK  # still the largest job the bot must take
    with pytest.raises(RecipeError) as err:
        Recipe(width=256, layers=32, w=4096, h=4096)
    assert err.value.param == "work" and "GMAC" in str(err.value)
    with pytest.raises(RecipeError):
        check_budget(Recipe(w=512, h=512), limit=1e6)


def test_the_budget_counts_activations_too():
    """A 4096x4096 network of 32 sin layers of width 68 was within the multiply-add budget, yet
    took ~1.8x the 4K reference job's time (issue 13): the sines cost more than the matmuls."""
    edge = dict(layers=32, width=68, w=4096, h=4096, quote="none")
    assert Recipe(activation="relu", **edge).work() <= MAX_WORK  # its multiply-adds fit
    for activation in ("sin", "gaussian", "softplus", "tanh"):
        with pytest.raises(RecipeError) as err:
            Recipe(activation=activation, **edge)
        assert err.value.param == "work" and "sin" in str(err.value)
    assert Recipe(activation="sin", **{**edge, "width": 40}).cost() <= MAX_WORK  # narrower fits
    # Each activation adds its cost per hidden value, in multiply-adds; relu next to nothing.
    small = dict(layers=3, width=10, w=20, h=16, quote="none")
    base = Recipe(**small).work()
    for name, per_value in ACTIVATION_COST.items():
        assert Recipe(activation=name, **small).cost() == base + 320 * 30 * per_value
    assert ACTIVATION_COST["relu"] < ACTIVATION_COST["tanh"] < ACTIVATION_COST["sin"]
    assert ACTIVATION_COST["tanh"] < ACTIVATION_COST["gaussian"] < ACTIVATION_COST["softplus"]
    # mix: the activations its seed draws, layer by layer
    from bot.art.network import layer_activations

    mixed = Recipe(activation="mix", seed=5, **small)
    drawn = sum(ACTIVATION_COST[a] * 10 for a in layer_activations(mixed))
    assert mixed.cost() == base + 320 * drawn


@pytest.mark.parametrize(
    ("changes", "param"),
    [
        ({"std": 10**400}, "std"),
        ({"zoom": -(10**400)}, "zoom"),
        ({"cx": 10**5000}, "cx"),
        ({"init": "uniform", "range": 10**309}, "range"),
        ({"seed": 10**5000}, "seed"),  # its repr alone would raise ValueError (> 4300 digits)
        ({"width": -(10**400)}, "width"),
    ],
)
def test_integers_past_floats_range_are_a_recipe_error_in_one_short_line(changes, param):
    """Was OverflowError (int too large to convert to float), issue 13."""
    with pytest.raises(RecipeError) as err:
        Recipe(**changes)
    msg = str(err.value)
    assert err.value.param == param and msg.startswith(f"{param}=") and "allowed" in msg
    assert len(msg) < 120 and "\n" not in msg, msg
