"""The one pipeline: recipe (+ custom text) -> finished bytes, quote, code and stage timings."""

import io
import json

import pytest
from PIL import Image
from test_jobs_support import FakeQuotes

from bot.art import Recipe, format_code, parse_code
from bot.compose import Compositor
from bot.errors import BotError, UserError
from bot.pipeline import PaintSpec, Pipeline
from bot.quotes.engines import QUOTE_MODELS, load_quotes

STAGES = {"weights", "render", "quote", "compose", "encode"}


@pytest.fixture(scope="module")
def compositor() -> Compositor:
    return Compositor()


def test_generated_quote_comes_from_the_seed(renderer, compositor):
    quotes = FakeQuotes()
    done = Pipeline(renderer, compositor, quotes).run(PaintSpec(Recipe(seed=7, w=96, h=64)))
    assert done.quote == "Quote number 7." and done.attribution == "Philosopher 7"
    assert done.quote_engine == "fake" and quotes.calls == [(7, "generated")]
    assert quotes.asked == [(2, "any")]  # a new recipe: the aphorism engine, any voice
    assert set(done.timings) == STAGES and all(t >= 0 for t in done.timings.values())
    assert done.code == format_code(Recipe(seed=7, w=96, h=64)) and done.code.startswith("2-")
    meta = Image.open(io.BytesIO(done.data)).text
    assert meta["replay-code"] == done.code and meta["quote-model"] == "fake0002"
    assert json.loads(meta["parameters"])["seed"] == 7


def test_the_code_names_the_quote_engine_and_voice(renderer, compositor):
    quotes = FakeQuotes()
    p = Pipeline(renderer, compositor, quotes)
    old = p.run(PaintSpec(parse_code("1-7-s64x64")))
    voiced = p.run(PaintSpec(parse_code("2-7-s64x64k2es")))
    assert quotes.asked == [(1, "any"), (2, "stoic")]
    assert quotes.calls[1] == (Recipe(seed=7, quote_variant=2).quote_seed(), "generated")
    assert old.code == "1-7-s64x64" and voiced.code == "2-7-s64x64k2es"
    assert Image.open(io.BytesIO(old.data)).text["quote-model"] == "fake0001"
    meta = Image.open(io.BytesIO(voiced.data)).text
    assert meta["quote-model"] == "fake0002" and meta["quote"].endswith("(stoic).")
    assert json.loads(meta["parameters"])["voice"] == "stoic"
    assert old.data != voiced.data and old.quote != voiced.quote


def test_custom_text_drops_the_voice_from_the_code(renderer, compositor):
    job = PaintSpec(Recipe(seed=2, w=64, h=64, voice="tao"), custom_quote="Mine.")
    assert job.recipe.voice == "any" and job.code == "2-2-s64x64q"
    assert Pipeline(renderer, compositor, None).run(job).quote == "Mine."


def test_pinned_quote_models_are_checked_engine_by_engine(monkeypatch, caplog):
    from bot.quotes import engines

    monkeypatch.setattr(engines, "QUOTE_MODELS", {1: "aaaa", 2: "cccc"})
    engines.check_quote_models({1: "aaaa", 2: "cccc"})
    with pytest.raises(BotError, match="engine 1.*model aaaa"):
        engines.check_quote_models({1: "bbbb", 2: "cccc"})
    with pytest.raises(BotError, match="engine 2"):
        engines.check_quote_models({1: "aaaa", 2: "dddd"})
    with pytest.raises(BotError, match="engine 2"):
        engines.check_quote_models({1: "aaaa"})  # a bundle missing is no match either


def test_quotes_that_cannot_load_are_an_error_or_one_warning(tmp_path, caplog):
    from bot.quotes import engines

    with pytest.raises(Exception):  # noqa: B017 - whatever the bundle reader raises
        engines.load_quotes(tmp_path)
    assert engines.load_quotes(tmp_path, required=False) is None
    assert "no quote engines" in caplog.text


def test_signature_and_no_quote(renderer, compositor):
    quotes = FakeQuotes()
    p = Pipeline(renderer, compositor, quotes)
    assert p.run(PaintSpec(Recipe(seed=1, w=64, h=64, signature=True))).attribution == "The Bot"
    bare = p.run(PaintSpec(Recipe(seed=1, w=64, h=64, quote="none")))
    assert bare.quote is None and bare.placement is None and "q" in bare.code.split("-")[-1]
    assert quotes.calls == [(1, "signature")]


def test_custom_text_is_cleaned_and_never_in_the_code(renderer, compositor):
    job = PaintSpec(Recipe(seed=2, w=96, h=64), custom_quote="  Painted\x07 by   me  ")
    done = Pipeline(renderer, compositor, None).run(job)
    assert done.quote == "Painted by me" and done.quote_engine == "custom"
    assert done.code == format_code(Recipe(seed=2, w=96, h=64, quote="none"))
    with pytest.raises(UserError):
        PaintSpec(Recipe(), custom_quote="y" * 400)


def test_generated_quote_without_a_generator_is_an_error(renderer, compositor):
    with pytest.raises(BotError, match="quote"):
        Pipeline(renderer, compositor, None).run(PaintSpec(Recipe(seed=2, w=32, h=32)))


def test_result_fits_the_byte_limit(renderer, compositor):
    job = PaintSpec(Recipe(seed=4, w=300, h=300, layers=20, quote="none"), byte_limit=30_000)
    done = Pipeline(renderer, compositor, None).run(job)
    assert len(done.data) <= 30_000 and done.mime != "image/png" and done.note


def test_the_shipped_quote_models_are_the_ones_codes_name():
    """Needs both engines' bundles (quotes/v1 and quotes/v2, bot.quotes.aphorism)."""
    ids = load_quotes().model_ids
    assert ids[1] == QUOTE_MODELS[1] == "2feda3ff"
    assert ids[2] == QUOTE_MODELS[2]


class _NoAphorisms:
    model_id = "none"

    def generate(self, *args, **kwargs):
        raise AssertionError("a version-1 code asked the aphorism engine")


# What version-1 codes have always meant: their quotes, forever (engine 1, quotes/v1).
LEGACY_QUOTES = {
    "1-1a": ("We know that we are not like ourselves by our power to be made to us to our own "
             "life.", "Arellus of Stagira"),
    "1-1a-yk3": ("The two men who have lost in him, and who would be a great sense of the power "
                 "of a new state.", "the CPPN oracle"),
    "7": ("What he who does not be a man?", "Belonon of Lampsacus"),
    "1-k9pgn-d12w24s1280x720": ("The art of a new action is the common and a certain part of "
                                "living.", "Nicia of Apamea"),
    "1-xa3mmt-d16": ("If a man does not be well, not even his own good.", "Demipippus the Stoic"),
}  # fmt: skip


# What version-2 codes mean (engine 2, quotes/v2), one per voice: pinned like the pictures.
ENGINE_2_QUOTES = {
    "2-1a": "A brave man does not ask whether the task is pleasant, only whether it is his.",
    "2-1a-es": "For the generous man, even poverty is only more material to work with.",
    "2-1a-et": "The soft wears the hard, as water wears the stone; so joy wears down envy.",
    "2-1a-en": (
        "Whoever cannot bear his own company will sell his self-respect for a seat among the stupid."  # noqa: E501
    ),
    "2-1a-ed": "Disgrace, n. The school with the finest teachers and the fewest surviving pupils.",
    "2-1a-ew": "The quickest way to lose a man’s respect is to agree with him.",
    "2-1a-ee": (
        "Self-respect has worn the same coat for a thousand years; fashion changes its coat every spring."  # noqa: E501
    ),
    "2-1a-ep": "Your chains are woven of your own pride; unpick them thread by thread.",
    "2-k9pgn-d12w24s1280x720k2": "What is money to a man who has heard the thrush at dawn?",
}


def test_version_2_codes_keep_their_quotes(renderer, compositor):
    """Every voice of engine 2, through the pipeline, against the pinned model."""
    p = Pipeline(renderer, compositor, load_quotes())
    for code, text in ENGINE_2_QUOTES.items():
        done = p.run(PaintSpec(parse_code(code).with_size(64, 64)))
        assert done.quote == text, code
        assert Image.open(io.BytesIO(done.data)).text["quote-model"] == QUOTE_MODELS[2]


def test_version_1_codes_keep_their_quotes_forever(renderer, compositor):
    """The pipeline sends a version-1 code (or a bare seed) to the legacy engine with the same
    seed as always: the quote a code meant before voices is the quote it means now."""
    from pathlib import Path

    from bot.quotes import QuoteGenerator
    from bot.quotes.engines import Quotes

    root = Path(__file__).resolve().parent.parent / "quotes" / "v1"
    p = Pipeline(renderer, compositor, Quotes(QuoteGenerator.load(root), _NoAphorisms()))
    for code, (text, who) in LEGACY_QUOTES.items():
        recipe = parse_code(code).with_size(64, 64)
        done = p.run(PaintSpec(recipe))
        assert (done.quote, done.attribution) == (text, who), code
        assert Image.open(io.BytesIO(done.data)).text["quote-model"] == "2feda3ff"


def test_a_code_brings_back_the_same_quote_in_another_process(tmp_path):
    """paint, then replay in a fresh process: same picture bytes, same generated quote (needs
    both quote engines: the painting is a version-2 code with a voice)."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent

    def run(*argv: str) -> list[str]:
        proc = subprocess.run([sys.executable, "-m", "bot", *argv], capture_output=True,
                              text=True, check=True, cwd=root)  # fmt: skip
        return proc.stdout.strip().splitlines()

    first = run("paint", "--seed", "99", "--size", "160x120", "--voice", "stoic",
                "-o", str(tmp_path / "a.png"))  # fmt: skip
    assert first[-1] == "2-33-s160x120es"
    again = run("replay", first[-1], "-o", str(tmp_path / "b.png"))
    assert first[-2] == again[-2] and len(first[-2]) > 20  # the quote line
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
