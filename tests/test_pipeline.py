"""The one pipeline: recipe (+ custom text) -> finished bytes, quote, code and stage timings."""

import io
import json

import pytest
from PIL import Image
from test_jobs_support import FakeQuotes

from bot.art import Recipe, format_code
from bot.compose import Compositor
from bot.errors import BotError, UserError
from bot.pipeline import PaintJob, Pipeline

STAGES = {"weights", "render", "quote", "compose", "encode"}


@pytest.fixture(scope="module")
def compositor() -> Compositor:
    return Compositor()


def test_generated_quote_comes_from_the_seed(renderer, compositor):
    quotes = FakeQuotes()
    done = Pipeline(renderer, compositor, quotes).run(PaintJob(Recipe(seed=7, w=96, h=64)))
    assert done.quote == "Quote number 7." and done.attribution == "Philosopher 7"
    assert done.quote_engine == "neural" and quotes.calls == [(7, "generated")]
    assert set(done.timings) == STAGES and all(t >= 0 for t in done.timings.values())
    assert done.code == format_code(Recipe(seed=7, w=96, h=64))
    meta = Image.open(io.BytesIO(done.data)).text
    assert meta["replay-code"] == done.code and meta["quote-model"] == "fake0001"
    assert json.loads(meta["parameters"])["seed"] == 7


def test_signature_and_no_quote(renderer, compositor):
    quotes = FakeQuotes()
    p = Pipeline(renderer, compositor, quotes)
    assert p.run(PaintJob(Recipe(seed=1, w=64, h=64, signature=True))).attribution == "The Bot"
    bare = p.run(PaintJob(Recipe(seed=1, w=64, h=64, quote="none")))
    assert bare.quote is None and bare.placement is None and "q" in bare.code.split("-")[-1]
    assert quotes.calls == [(1, "signature")]


def test_custom_text_is_cleaned_and_never_in_the_code(renderer, compositor):
    job = PaintJob(Recipe(seed=2, w=96, h=64), custom_quote="  Painted\x07 by   me  ")
    done = Pipeline(renderer, compositor, None).run(job)
    assert done.quote == "Painted by me" and done.quote_engine == "custom"
    assert done.code == format_code(Recipe(seed=2, w=96, h=64, quote="none"))
    with pytest.raises(UserError):
        PaintJob(Recipe(), custom_quote="y" * 400)


def test_generated_quote_without_a_generator_is_an_error(renderer, compositor):
    with pytest.raises(BotError, match="quote"):
        Pipeline(renderer, compositor, None).run(PaintJob(Recipe(seed=2, w=32, h=32)))


def test_result_fits_the_byte_limit(renderer, compositor):
    job = PaintJob(Recipe(seed=4, w=300, h=300, layers=20, quote="none"), byte_limit=30_000)
    done = Pipeline(renderer, compositor, None).run(job)
    assert len(done.data) <= 30_000 and done.mime != "image/png" and done.note


def test_the_shipped_quote_model_is_the_one_version_1_codes_name():
    from bot.pipeline import QUOTE_MODELS, load_quotes

    assert load_quotes().model_id == QUOTE_MODELS["1"]


def test_a_code_brings_back_the_same_quote_in_another_process(tmp_path):
    """paint, then replay in a fresh process: same picture bytes, same generated quote."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent

    def run(*argv: str) -> list[str]:
        proc = subprocess.run([sys.executable, "-m", "bot", *argv], capture_output=True,
                              text=True, check=True, cwd=root)  # fmt: skip
        return proc.stdout.strip().splitlines()

    first = run("paint", "--seed", "99", "--size", "160x120", "-o", str(tmp_path / "a.png"))
    again = run("replay", first[-1], "-o", str(tmp_path / "b.png"))
    assert first[-2] == again[-2] and len(first[-2]) > 20  # the quote line
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
