"""The word vocabulary of the model, with the display casing of each word."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.quotes.text import PUNCT, raw_tokens, tokenize

PAD, UNK, EOS, LONG = "<pad>", "<unk>", "<eos>", "<long>"
# <long> opens a long training sentence: the model learns grammar from them, and the sampler,
# which never emits <long>, stays in the short, quote-sized register.
SPECIALS = (PAD, UNK, EOS, LONG)
# A word must be seen this often to enter the vocabulary: rarer words are mostly names and
# one-off coinages, and a word seen once is a word the model can only copy.
MIN_COUNT = 4


@dataclass(frozen=True)
class Vocab:
    tokens: tuple[str, ...]
    casing: dict[str, str]  # lower-case word -> how to show it mid-sentence ("god" -> "God")

    @property
    def index(self) -> dict[str, int]:
        return {t: i for i, t in enumerate(self.tokens)}

    @property
    def pad(self) -> int:
        return 0

    @property
    def unk(self) -> int:
        return 1

    @property
    def eos(self) -> int:
        return 2

    def words(self) -> frozenset[str]:
        """The words (not punctuation, not specials) of the vocabulary."""
        return frozenset(t for t in self.tokens if t not in PUNCT and t not in SPECIALS)

    def banned(self) -> list[int]:
        """Tokens a sampler must never emit: padding, unknown word, the long-sentence mark."""
        index = self.index
        return [index[t] for t in (PAD, UNK, LONG) if t in index]

    def encode(self, text: str) -> list[int]:
        index = self.index
        return [index.get(t, self.unk) for t in tokenize(text)]

    def save(self, path: Path) -> None:
        data = {"tokens": list(self.tokens), "casing": self.casing}
        path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0) + "\n")

    @classmethod
    def load(cls, path: Path) -> Vocab:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(tuple(data["tokens"]), dict(data["casing"]))


def build_vocab(texts: Iterable[str], min_count: int = MIN_COUNT) -> Vocab:
    """Vocabulary of tokens seen at least min_count times, ordered by frequency then spelling."""
    counts: Counter[str] = Counter()
    shapes: dict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        toks = tokenize(text)
        counts.update(toks)
        _count_shapes(text, shapes)
    kept = sorted((t for t, n in counts.items() if n >= min_count), key=lambda t: (-counts[t], t))
    casing = {w: _display(w, shapes[w]) for w in kept if w not in PUNCT}
    casing = {w: s for w, s in casing.items() if s != w}  # store only the exceptions
    return Vocab(SPECIALS + tuple(kept), casing)


def _count_shapes(text: str, shapes: dict[str, Counter[str]]) -> None:
    """Count the spelling of each word where it is not capitalised merely by position."""
    prev = "."
    for raw in raw_tokens(text):
        if raw not in PUNCT and prev not in ".!?;:":
            shapes[raw.lower()][raw] += 1
        prev = raw


def _display(word: str, shapes: Counter[str]) -> str:
    """Capitalised only when at least 70 % of mid-sentence uses are (names, God, Nature)."""
    if word == "i" or word.startswith("i'"):
        return "I" + word[1:]
    total = sum(shapes.values())
    if total == 0:
        return word
    form, n = shapes.most_common(1)[0]
    return form if form != word and n / total >= 0.7 else word
