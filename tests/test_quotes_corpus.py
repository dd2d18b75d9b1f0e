"""The corpus folders, the author weights, and engine 2's language model in quotes/v2/lm.

The coverage tests read both corpus folders' files directly and hash their 6-word windows with
their own code (BLAKE2b, top 32 bits), so they check the shipped index against the text itself,
not against the code that built it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from bot.quotes.bundle import (
    LM_ARTEFACTS,
    MANIFEST,
    legacy_dir,
    lm_dir,
    lm_id,
    load_weights,
    quotes_root,
    read_lm,
    sha256_file,
)
from bot.quotes.corpus import (
    AUTHOR_WEIGHTS,
    CORPUS_ENV,
    LEGACY_AUTHOR_WEIGHTS,
    UNKNOWN_AUTHOR_WEIGHT,
    author_weight,
    default_corpus_dir,
    default_corpus_dirs,
    read_paragraphs,
    split_units,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS, MORE = SHARED / "corpus", SHARED / "corpus-more"
LM = lm_dir()
MADE_UP = (
    "The purple giraffe negotiates quietly with seventeen reluctant lighthouses tonight, "
    "and the moon files a complaint about the price of velvet spoons."
)

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")


def _windows(text: str) -> np.ndarray:
    """32-bit hashes of the text's 6-word windows, written out independently of bot.quotes."""
    folded = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    ws = _WORD.findall(folded)
    out = []
    for i in range(len(ws) - 5):
        digest = hashlib.blake2b(" ".join(ws[i : i + 6]).encode(), digest_size=8).digest()
        out.append(int.from_bytes(digest[:4], "big"))
    return np.array(out, dtype=np.uint32)


def _known(index: np.ndarray, text: str) -> np.ndarray:
    """Per window of text: is it in the (sorted) index?"""
    return _member(index, _windows(text))


def _member(index: np.ndarray, hashes: np.ndarray) -> np.ndarray:
    pos = np.searchsorted(index, hashes).clip(max=index.size - 1)
    return index[pos] == hashes


def _lines(path: Path) -> list[str]:
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


@pytest.fixture(scope="module")
def index() -> np.ndarray:
    return np.load(LM / "ngrams6.npy", allow_pickle=False)


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads((LM / MANIFEST).read_text(encoding="utf-8"))


# --- the corpus folders -------------------------------------------------------------------


def test_default_corpus_dirs_lists_both_folders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CORPUS_ENV, raising=False)
    dirs = default_corpus_dirs()
    assert [d.resolve() for d in dirs] == [CORPUS.resolve(), MORE.resolve()]
    assert all(any(d.glob("*.txt")) for d in dirs)
    assert default_corpus_dir().resolve() == CORPUS.resolve()  # version 1: one folder


def test_the_environment_may_name_several_folders(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(CORPUS_ENV, os.pathsep.join([str(tmp_path / "a"), str(tmp_path / "b")]))
    assert default_corpus_dirs() == [tmp_path / "a", tmp_path / "b"]
    assert default_corpus_dir() == tmp_path / "a"


def test_read_paragraphs_merges_an_author_across_folders(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "epictetus-enchiridion.txt").write_text("One.\n\nTwo.\n", encoding="utf-8")
    (tmp_path / "b" / "epictetus-discourses.txt").write_text("Three.\n", encoding="utf-8")
    (tmp_path / "b" / "shaw-maxims.txt").write_text("Four.\n", encoding="utf-8")
    got = read_paragraphs([tmp_path / "a", tmp_path / "b"])
    assert got == {"epictetus": ["One.", "Two.", "Three."], "shaw": ["Four."]}
    assert read_paragraphs(tmp_path / "a") == {"epictetus": ["One.", "Two."]}
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError):
        read_paragraphs([tmp_path / "a", tmp_path / "empty"])


def test_every_author_of_both_folders_has_a_weight() -> None:
    authors = {p.stem.split("-")[0] for d in (CORPUS, MORE) for p in d.glob("*.txt")}
    assert authors == set(AUTHOR_WEIGHTS)
    assert sum(AUTHOR_WEIGHTS.values()) == pytest.approx(1.0)
    # short, pointed voices above long argumentative prose
    for prose in ("seneca", "james", "russell"):
        assert AUTHOR_WEIGHTS[prose] < min(AUTHOR_WEIGHTS[a] for a in ("bierce", "wilde", "marcus"))
    assert author_weight("somebody-new", AUTHOR_WEIGHTS) == UNKNOWN_AUTHOR_WEIGHT


def test_the_version_1_recipe_is_intact() -> None:
    """From ../shared/corpus alone, the v1 code path still gives v1's units and vocabulary,
    and v1's weights are the token shares its manifest recorded."""
    from bot.quotes.train import _unit_counts
    from bot.quotes.vocab import Vocab, build_vocab

    v1 = json.loads((legacy_dir() / MANIFEST).read_text(encoding="utf-8"))["trained"]
    train_units, _ = split_units(default_corpus_dir())
    assert _unit_counts(train_units) == v1["units"]
    assert build_vocab(u.text for u in train_units) == Vocab.load(legacy_dir() / "vocab.json")
    assert v1["token_share"] == LEGACY_AUTHOR_WEIGHTS


# --- quotes/v2/lm -------------------------------------------------------------------------


def _long_paragraphs(path: Path) -> list[str]:
    """The paragraphs of a corpus file with 12 words or more (enough 6-word windows)."""
    return [p for p in _lines(path) if len(_WORD.findall(p.lower())) >= 12]


def test_the_novelty_index_covers_a_corpus_more_file(index: np.ndarray) -> None:
    v1_index = np.load(legacy_dir() / "ngrams6.npy", allow_pickle=False)
    for name in ("gibran-the-prophet.txt", "shaw-maxims-for-revolutionists.txt"):
        sample = _long_paragraphs(MORE / name)[5:200:13]
        assert len(sample) >= 5, name
        for para in sample:
            assert _known(index, para).all(), para
            assert _known(v1_index, para).mean() < 0.5, para  # v1 never read corpus-more


def test_the_novelty_index_covers_a_corpus_file(index: np.ndarray) -> None:
    for name in ("laozi-tao-te-ching.txt", "bierce-devils-dictionary.txt"):
        sample = _long_paragraphs(CORPUS / name)[5:400:29]
        assert len(sample) >= 5, name
        for para in sample:
            assert _known(index, para).all(), para


def test_the_novelty_index_covers_every_file_of_both_folders(index: np.ndarray) -> None:
    for path in sorted([*CORPUS.glob("*.txt"), *MORE.glob("*.txt")]):
        lines = _lines(path)  # about 40 whole paragraphs from each book
        hashes = np.concatenate([_windows(ln) for ln in lines[:: max(1, len(lines) // 40)]])
        assert hashes.size > 100 and _member(index, hashes).all(), path.name


def test_the_novelty_index_does_not_know_a_made_up_sentence(index: np.ndarray) -> None:
    assert _windows(MADE_UP).size > 10
    assert not _known(index, MADE_UP).any()


def test_the_lm_files_match_their_manifest(manifest: dict, index: np.ndarray) -> None:
    assert set(manifest["sha256"]) == set(LM_ARTEFACTS)
    for name, sha in manifest["sha256"].items():
        assert sha256_file(LM / name) == sha, name
    assert manifest["lm_id"] == lm_id(manifest["sha256"])
    assert index.dtype == np.uint32 and manifest["ngram_windows"] == index.size
    assert np.all(np.diff(index.astype(np.int64)) > 0)  # sorted, unique
    folders = {name.split("/")[0] for name in manifest["corpus"]}
    assert folders == {"corpus", "corpus-more"}
    t = manifest["trained"]
    for key in ("steps", "seconds", "held_out_loss", "params", "vocab_size"):
        assert t[key] > 0, key


def test_the_lm_loads(manifest: dict) -> None:
    model = load_weights(LM / "model.pt")
    lm = read_lm()
    assert lm.lm_id == manifest["lm_id"]
    assert model.cfg.vocab_size == len(lm.vocab.tokens) == manifest["trained"]["vocab_size"]
    assert model.num_params() == manifest["trained"]["params"]
    assert lm.manifest["trained"]["held_out_loss"] < 6.0  # well below a uniform guess (~9.4)


def test_the_lm_vocabulary_covers_the_new_authors() -> None:
    """Words used 20+ times in corpus-more are (nearly all) in the vocabulary; the ones left
    out are those the sentence filters drop (the sensitive words, stray letters)."""
    vocab = read_lm().vocab.words()
    counts: Counter[str] = Counter()
    for path in MORE.glob("*.txt"):
        counts.update(
            _WORD.findall(path.read_text(encoding="utf-8").lower().replace("\u2019", "'"))
        )
    common = [w for w, n in counts.items() if n >= 20]
    assert sum(w in vocab for w in common) / len(common) > 0.99
    assert {"zarathustra", "dorian", "pragmatism", "pond"} <= vocab


def test_the_quotes_directory_stays_small() -> None:
    total = sum(p.stat().st_size for p in quotes_root().rglob("*") if p.is_file())
    assert total < 30 * 2**20


# --- build_lm and the train-quotes verb ---------------------------------------------------


def test_build_lm_on_a_tiny_two_folder_corpus(tmp_path: Path) -> None:
    from bot.quotes.build import build_lm
    from bot.quotes.train import TrainSettings

    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    nums = ("one", "two", "three", "four", "five", "six", "seven", "eight") * 6
    (a / "tiny-book.txt").write_text(
        "\n".join(f"The wise man number {w} is calm. He who knows {w} is free." for w in nums),
        encoding="utf-8",
    )
    (b / "other-book.txt").write_text(
        "\n".join(
            f"A quiet river {w} runs deep. The sage keeps silent when {w} speaks." for w in nums
        ),
        encoding="utf-8",
    )
    out = tmp_path / "lm"
    settings = TrainSettings(steps=2, batch_size=4, block_size=32, n_embd=32, eval_every=2)
    manifest = build_lm([a, b], out, settings)
    assert sorted(p.name for p in out.iterdir()) == sorted([*LM_ARTEFACTS, MANIFEST])
    lm = read_lm(out)
    assert lm.lm_id == manifest["lm_id"]
    assert {"wise", "river", "sage"} <= lm.vocab.words()
    assert lm.novelty.copies("The wise man number three is calm.")
    assert lm.novelty.copies("A quiet river five runs deep.")
    assert not lm.novelty.copies("A quiet man number three runs deep.")
    assert set(manifest["trained"]["author_weights"]) == {"tiny", "other"}


@pytest.mark.parametrize(
    "argv",
    [
        ["train-quotes", "--legacy"],
        ["train-quotes", "--out", str(legacy_dir())],
        ["train-quotes", "--legacy", "--refresh", "--out", str(legacy_dir())],
    ],
)
def test_train_quotes_never_writes_into_quotes_v1(argv: list[str], capsys) -> None:
    import argparse

    from bot.quotes.commands import add_parsers

    parser = argparse.ArgumentParser(prog="cppn-bot")
    add_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    assert args.func(args) == 2
    assert "v1" in capsys.readouterr().err


def test_train_quotes_takes_several_corpus_folders() -> None:
    import argparse

    from bot.quotes.commands import add_parsers

    parser = argparse.ArgumentParser(prog="cppn-bot")
    add_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["train-quotes", "--corpus", "x", "--corpus", "y", "--steps", "5"])
    assert args.corpus == [Path("x"), Path("y")] and args.steps == 5 and not args.legacy
