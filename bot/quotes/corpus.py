"""Reading the training corpus and cutting it into short, quote-sized training units.

Only training and tests use this module; the bot at run time never reads the corpus.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.quotes.filters import BLOCKLIST, SENSITIVE

CORPUS_ENV = "CPPN_CORPUS_DIR"

# Share of training tokens per author (relative weights, normalised over the authors present).
# Version 1 (quotes/v1, ../shared/corpus alone): Seneca has 40 % of the words but his long
# periodic sentences make poor captions, so the short, pointed voices (Bierce's wit, Marcus,
# Epictetus, Laozi) are boosted well above their size. The small books are capped (Laozi is 2 %
# of the units) because every extra epoch of a small book teaches the model to recite it.
# Frozen: it is part of how the version-1 model was made.
LEGACY_AUTHOR_WEIGHTS: dict[str, float] = {
    "bierce": 0.22,
    "emerson": 0.20,
    "marcus": 0.17,
    "seneca": 0.12,
    "nietzsche": 0.11,
    "epictetus": 0.10,
    "laozi": 0.08,
}

# The language model of engine 2 (quotes/v2/lm), both folders. An author is a file name's first
# word, so the Enchiridion and the Discourses are one Epictetus, Beyond Good and Evil and
# Zarathustra one Nietzsche. Short, pointed voices are up (Bierce, Wilde's epigrams, Marcus,
# Chesterton's paradoxes, Nietzsche), long argumentative prose is down (Seneca, James, Russell:
# 15 % of the short units' tokens, 9 % of the training tokens together). The smallest books
# (Shaw's maxims, Laozi, Gibran, Sun Tzu) stay at 3-5 %, 6-12 epochs each over the 1500-step
# run, so the model learns their register without learning to recite them. Sums to 1.
AUTHOR_WEIGHTS: dict[str, float] = {
    "bierce": 0.12,
    "wilde": 0.10,
    "marcus": 0.09,
    "nietzsche": 0.09,
    "chesterton": 0.08,
    "emerson": 0.08,
    "epictetus": 0.08,
    "thoreau": 0.06,
    "gibran": 0.05,
    "laozi": 0.05,
    "seneca": 0.05,
    "boethius": 0.04,
    "sun": 0.04,
    "shaw": 0.03,
    "james": 0.02,
    "russell": 0.02,
}
# An author in neither table (a corpus file added later) gets this relative weight, about a
# small book's share, until someone gives it one.
UNKNOWN_AUTHOR_WEIGHT = 0.05


def author_weight(author: str, weights: dict[str, float]) -> float:
    """The relative weight of an author under a table; UNKNOWN_AUTHOR_WEIGHT when unlisted."""
    return weights.get(author, UNKNOWN_AUTHOR_WEIGHT)


# Split after . ! ? when the next sentence starts with a capital; protect common abbreviations.
_SPLIT_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_ABBREV_RE = re.compile(r"\b(?:Mr|Mrs|Dr|St|Mt|No|vol|ch|cf|viz|etc|i\.e|e\.g|[A-Z])\.$")
# Units with quotes, brackets, digits, ellipses or foreign letters make poor aphorisms and would
# teach the model to open quotes it cannot close.
_BAD_CHARS_RE = re.compile(r"[\"\u201c\u201d\u2018()\[\]0-9\u2026_*/&]|[^\x00-\x7f\u2019\u2014]")
_WORD_RE = re.compile(r"[a-z]+(?:'[a-z]+)*")

MIN_CHARS, MAX_CHARS = 24, 170


@dataclass(frozen=True)
class Unit:
    """One training example: one or two consecutive sentences from one author."""

    author: str
    text: str
    long: bool = False  # a long sentence, trained on for grammar only (behind a style token)


def _env_dirs() -> list[Path]:
    env = os.environ.get(CORPUS_ENV, "")
    return [Path(p) for p in env.split(os.pathsep) if p]


def default_corpus_dirs() -> list[Path]:
    """The folders the engine-2 language model is trained on: <repo>/../shared/corpus and
    <repo>/../shared/corpus-more, or the folders $CPPN_CORPUS_DIR names (os.pathsep between)."""
    env = _env_dirs()
    if env:
        return env
    shared = Path(__file__).resolve().parents[2].parent / "shared"
    return [shared / "corpus", shared / "corpus-more"]


def default_corpus_dir() -> Path:
    """The version-1 corpus, which quotes/v1 was built from: <repo>/../shared/corpus, or the
    first folder $CPPN_CORPUS_DIR names."""
    env = _env_dirs()
    if env:
        return env[0]
    return Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def as_dirs(corpus: Path | str | Sequence[Path | str]) -> list[Path]:
    """One folder or several, as a list of Paths."""
    if isinstance(corpus, (str, os.PathLike)):
        return [Path(corpus)]
    return [Path(d) for d in corpus]


def author_of(path: Path) -> str:
    """'marcus-aurelius-meditations.txt' -> 'marcus'."""
    return path.stem.split("-")[0]


def read_paragraphs(corpus: Path | Sequence[Path]) -> dict[str, list[str]]:
    """All paragraphs, by author, from one folder or several (in the order given, each folder's
    files by name). Two files of one author, in one folder or two, share the author's list."""
    out: dict[str, list[str]] = {}
    for corpus_dir in as_dirs(corpus):
        files = sorted(corpus_dir.glob("*.txt"))
        if not files:
            raise FileNotFoundError(f"no corpus *.txt files in {corpus_dir} (set ${CORPUS_ENV})")
        for path in files:
            lines = path.read_text(encoding="utf-8").splitlines()
            out.setdefault(author_of(path), []).extend(ln.strip() for ln in lines if ln.strip())
    return out


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences, re-joining splits made after an abbreviation."""
    parts = _SPLIT_RE.split(paragraph)
    sentences: list[str] = []
    for part in parts:
        if sentences and _ABBREV_RE.search(sentences[-1]):
            sentences[-1] += " " + part
        else:
            sentences.append(part)
    return [s.strip() for s in sentences if s.strip()]


def is_clean(sentence: str) -> bool:
    """Fit to learn from: plain characters, capital start, proper end, no blocked word."""
    if _BAD_CHARS_RE.search(sentence) or not sentence[:1].isupper():
        return False
    if sentence[-1] not in ".!?":
        return False
    words = set(_WORD_RE.findall(sentence.lower().replace("\u2019", "'")))
    return not (words & BLOCKLIST or words & SENSITIVE)


def paragraph_units(author: str, paragraph: str) -> list[Unit]:
    """Short single sentences, pairs of consecutive short sentences (two-line aphorisms), and
    the long sentences, marked as such."""
    sents = [s for s in split_sentences(paragraph) if len(s) >= MIN_CHARS]
    units = [Unit(author, s, len(s) > MAX_CHARS) for s in sents if is_clean(s)]
    for a, b in zip(sents, sents[1:], strict=False):
        pair = f"{a} {b}"
        if len(pair) <= MAX_CHARS and is_clean(a) and is_clean(b):
            units.append(Unit(author, pair))
    return units


def split_units(
    corpus: Path | Sequence[Path], held_out_every: int = 20
) -> tuple[list[Unit], list[Unit]]:
    """(train, held-out) units from one folder or several. The split is by whole paragraph,
    chosen by a stable hash of its text, so a held-out sentence never reappears inside a
    training pair, and a paragraph's side does not depend on which other folders are read.
    Held-out units are all short: the loss that matters is the loss on quote-sized text."""
    train: list[Unit] = []
    held: list[Unit] = []
    for author, paragraphs in sorted(read_paragraphs(corpus).items()):
        for para in paragraphs:
            digest = hashlib.blake2b(para.encode("utf-8"), digest_size=4).digest()
            bucket = held if int.from_bytes(digest, "big") % held_out_every == 0 else train
            bucket.extend(paragraph_units(author, para))
    return train, [u for u in held if not u.long]
