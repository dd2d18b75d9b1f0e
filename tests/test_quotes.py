"""The quote generator (engine 1): determinism, filters, novelty, the frozen quotes/v1 bundle and
the fallback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.quotes import Quote, QuoteGenerator
from bot.quotes.bundle import MANIFEST, bundle_id, legacy_dir, quotes_root, sha256_file
from bot.quotes.corpus import default_corpus_dir, read_paragraphs, split_sentences
from bot.quotes.names import philosopher_name, signature
from bot.quotes.ngrams import NoveltyIndex, build_hashes
from bot.quotes.text import words

REPO = Path(__file__).resolve().parents[1]
QUOTES = legacy_dir()


@pytest.fixture(scope="module")
def gen() -> QuoteGenerator:
    return QuoteGenerator.load()


@pytest.fixture(scope="module")
def paragraphs() -> list[str]:
    """The version-1 corpus (../shared/corpus alone), which quotes/v1 was built from."""
    return [p for ps in read_paragraphs(default_corpus_dir()).values() for p in ps]


def test_the_v1_bundle_lives_in_quotes_v1(gen: QuoteGenerator) -> None:
    assert QUOTES == quotes_root() / "v1" == legacy_dir()
    for name in ("model.pt", "vocab.json", "ngrams6.npy", "markov_source.txt", "manifest.json"):
        assert (QUOTES / name).is_file(), name
        assert not (quotes_root() / name).exists(), name
    assert gen.model_id == "2feda3ff"
    assert gen.generate(7).text == "What he who does not be a man?"


# Run in a fresh process: the quote of a seed, the fallback's quotes (the language model never
# asked) and the invented sages' names.
_QUOTES_IN_A_PROCESS = (
    "import torch; torch.set_num_threads(1)\n"
    "from bot.quotes import QuoteGenerator\n"
    "from bot.quotes.names import philosopher_name\n"
    "q = QuoteGenerator.load().generate(4242)\n"
    "print(repr((q.text, q.attribution, q.engine, q.model_id, q.tries)))\n"
    "forced = QuoteGenerator.load(max_tries=0)\n"
    "print(repr([forced.generate(seed).text for seed in range(8)]))\n"
    "print(repr([philosopher_name(seed) for seed in (0, 7, 2**63)]))\n"
)


def test_same_seed_same_quote_across_processes(gen: QuoteGenerator) -> None:
    """Two fresh processes (nothing cached, nothing shared) agree with each other and with this
    one: on the quote, on the fallback's quotes, on the sages' names."""
    code = _QUOTES_IN_A_PROCESS
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    runs = [
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for _ in range(2)
    ]
    q = gen.generate(4242)
    forced = QuoteGenerator.load(max_tries=0)
    here = "".join(
        repr(x) + "\n"
        for x in (
            (q.text, q.attribution, q.engine, q.model_id, q.tries),
            [forced.generate(seed).text for seed in range(8)],
            [philosopher_name(seed) for seed in (0, 7, 2**63)],
        )
    )
    assert runs[0] == runs[1] == here


def test_different_seeds_differ_and_pass_filters(gen: QuoteGenerator) -> None:
    quotes = [gen.generate(seed) for seed in range(12)]
    assert len({q.text for q in quotes}) == len(quotes)
    for q in quotes:
        assert isinstance(q, Quote)
        assert gen.rejection(q.text) is None
        assert q.model_id == gen.model_id and q.tries >= 1
        assert q.engine in ("neural", "markov")


def test_huge_and_negative_seeds_are_accepted(gen: QuoteGenerator) -> None:
    assert gen.generate(-1).text == gen.generate(2**64 - 1).text
    assert gen.generate(10**30).text


@pytest.mark.parametrize(
    ("text", "failure"),
    [
        ("Know thyself, friend.", "length"),
        ("Virtue is the only good, and " * 8 + "so it ends.", "length"),
        ("the soul is a river that forgets its own shores at night.", "shape"),
        ("The soul is a river that forgets its own shores at night", "shape"),
        ("The soul is a river. It forgets its shores. It sleeps at night.", "sentences"),
        ("The soul is a river (that forgets its own shores at night.", "balanced"),
        ("The soul is a river that \u201cforgets its own shores at night.", "balanced"),
        ("The soul is a bastard that forgets its own shores at night.", "blocklist"),
        ("The soul is a river that forgets its own zorblatt at night.", "vocab"),
        ("And the soul is a river that forgets its own shores at night.", "fragment"),
        ("The soul is a river that forgets its own shores at the.", "fragment"),
        ("The soul is a river that forgets the river that it was.", "repetition"),
        ("The soul is a river river that forgets its own shores at night.", "repetition"),
    ],
)
def test_each_filter_rejects_a_planted_bad_sample(
    gen: QuoteGenerator, text: str, failure: str
) -> None:
    assert gen.rejection(text) == failure


def test_a_planted_clean_sentence_passes(gen: QuoteGenerator) -> None:
    assert gen.rejection("The soul is a river that forgets its own shores at night.") is None


def _corpus_sentence(gen: QuoteGenerator, paragraphs: list[str]) -> str:
    """A real corpus sentence that passes every filter except novelty."""
    for para in paragraphs:
        for sent in split_sentences(para):
            failure = gen.rejection(sent)
            if failure == "novelty" and len(words(sent)) >= 8:
                return sent
    raise AssertionError("no corpus sentence reached the novelty check")


def test_novelty_rejects_a_copied_sentence(gen: QuoteGenerator, paragraphs: list[str]) -> None:
    sent = _corpus_sentence(gen, paragraphs)
    assert gen.bundle.novelty.copies(sent)


def test_novelty_catches_a_planted_six_word_copy(
    gen: QuoteGenerator, paragraphs: list[str]
) -> None:
    vocab = gen.bundle.vocab.words()
    ws = next(w for p in paragraphs[100:] if len(w := words(p)) > 20 and set(w) <= vocab)
    planted = f"Yes, and {' '.join(ws[10:16])} still."
    assert gen.bundle.novelty.copies(planted)
    assert gen.rejection(planted) == "novelty"


def test_novelty_index_is_exact_on_its_own_windows() -> None:
    index = NoveltyIndex(build_hashes(["one two three four five six seven"]))
    assert index.copies("Then one two three four five six, said he.")
    assert not index.copies("Then one two three four five, seven six.")
    assert not index.copies("Short.")


def test_shipped_ngrams_cover_the_corpus(gen: QuoteGenerator, paragraphs: list[str]) -> None:
    for para in paragraphs[::97]:
        ws = words(para)
        if len(ws) >= 6:
            assert gen.bundle.novelty.copies(" ".join(ws[:6]))


def test_committed_weights_match_their_recorded_hash(gen: QuoteGenerator) -> None:
    manifest = json.loads((QUOTES / MANIFEST).read_text())
    for name, sha in manifest["sha256"].items():
        assert sha256_file(QUOTES / name) == sha, name
    assert (
        manifest["model_id"] == gen.model_id == bundle_id(manifest["sha256"], gen.sampler.settings)
    )
    card = (QUOTES / "MODEL_CARD.md").read_text()
    assert manifest["sha256"]["model.pt"] in card and gen.model_id in card
    assert 1e6 <= gen.bundle.model.num_params() <= 3e6


def test_fallback_engages_and_satisfies_the_filters() -> None:
    forced = QuoteGenerator.load(max_tries=0)
    quotes = [forced.generate(seed) for seed in range(8)]
    for q in quotes:
        assert q.engine == "markov"
        assert forced.rejection(q.text) is None
    assert len({q.text for q in quotes}) > 1  # a fallback, not one canned line


def test_fallback_source_holds_no_corpus_copy(gen: QuoteGenerator, paragraphs: list[str]) -> None:
    corpus = set()
    for para in paragraphs:
        ws = words(para)
        corpus.update(tuple(ws[i : i + 6]) for i in range(len(ws) - 5))
    for line in gen.bundle.markov_source:
        ws = words(line)
        assert not any(tuple(ws[i : i + 6]) in corpus for i in range(len(ws) - 5)), line


def test_attributions(gen: QuoteGenerator) -> None:
    assert len({philosopher_name(s) for s in range(50)}) > 40  # the same name: across processes
    assert gen.generate(3, attribution="signature").attribution == signature()
    assert gen.generate(3).attribution == philosopher_name(3)
    with pytest.raises(ValueError):
        gen.generate(3, attribution="nobody")


def test_early_stopping_does_not_change_the_winner(gen: QuoteGenerator) -> None:
    for seed in (1, 2, 3):
        texts = gen.sampler.candidates(seed, 0)
        passing = [i for i, t in enumerate(texts) if gen.rejection(t) is None]
        text, used = gen.sampler.first_accepted(seed, 0, lambda t: gen.rejection(t) is None, 16)
        if passing:
            assert (text, used) == (texts[passing[0]], passing[0] + 1)
        else:
            assert (text, used) == (None, 16)
