"""Which lexicon words are near in meaning, learnt from the corpus (build time only).

Word vectors from co-occurrence: counts of each lexicon lemma with the 3,000 commonest words
within four words either side, positive PMI, then a truncated SVD (the classic count-based
recipe; no pretrained vectors, nothing downloaded). A slot's options are the lemmas of its kind
nearest to the corpus's own word there, so a swap keeps the sentence's sense (work -> labour,
courage -> patience) and the filled line still says something clear.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from bot.quotes.aphorism.lexicon import adjectives, nouns, verbs

WINDOW = 4
CONTEXTS = 3000
DIMS = 96
_WORD = re.compile(r"[a-z]+")


def lemma_map() -> dict[str, tuple[str, str]]:
    """surface form -> (kind, lemma) for every lexicon word."""
    out: dict[str, tuple[str, str]] = {}
    for n in nouns():
        out.setdefault(n.sg, ("n", n.sg))
        if n.pl:
            out.setdefault(n.pl, ("n", n.sg))
    for a in adjectives():
        out.setdefault(a.word, ("a", a.word))
    for v in verbs():
        for form in (v.base, v.s, v.past, v.pp, v.ing):
            out.setdefault(form, ("v", v.base))
    return out


class Similarity:
    def __init__(self, keys: list[tuple[str, str]], vectors: np.ndarray) -> None:
        self.keys = keys
        self.row = {k: i for i, k in enumerate(keys)}
        self.vectors = vectors

    @classmethod
    def from_corpus(cls, dirs: Iterable[Path]) -> Similarity:
        tokens = [
            w
            for d in dirs
            for p in sorted(Path(d).glob("*.txt"))
            for w in _WORD.findall(p.read_text(encoding="utf-8").lower())
        ]
        forms = lemma_map()
        keys = sorted(set(forms.values()))
        row = {k: i for i, k in enumerate(keys)}
        context = [w for w, _ in Counter(tokens).most_common(CONTEXTS)]
        col = {w: j for j, w in enumerate(context)}
        counts = np.zeros((len(keys), len(context)), dtype=np.float64)
        for i, w in enumerate(tokens):
            key = forms.get(w)
            if key is None:
                continue
            r = row[key]
            for c in tokens[max(0, i - WINDOW) : i] + tokens[i + 1 : i + 1 + WINDOW]:
                j = col.get(c)
                if j is not None:
                    counts[r, j] += 1
        return cls(keys, _ppmi_svd(counts))

    def nearest(
        self, key: tuple[str, str], candidates: list[str], k: int, bonus: dict | None = None
    ) -> list[str]:
        """The k candidate lemmas (of key's kind) nearest to key, nearest first; bonus adds to
        some candidates' cosine."""
        if key not in self.row:
            return []
        v, bonus = self.vectors[self.row[key]], bonus or {}
        scored = [
            (round(float(self.vectors[self.row[(key[0], c)]] @ v), 6) + bonus.get(c, 0.0), c)
            for c in candidates
            if (key[0], c) in self.row and c != key[1]
        ]
        scored.sort(key=lambda t: (-t[0], t[1]))
        return [c for _, c in scored[:k]]


def _ppmi_svd(counts: np.ndarray) -> np.ndarray:
    total = counts.sum()
    rows = counts.sum(1, keepdims=True)
    cols = counts.sum(0, keepdims=True) ** 0.75  # context smoothing, as word2vec does
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(counts * cols.sum() / (rows * cols + 1e-12) + 1e-12)
    ppmi = np.where((counts > 0) & np.isfinite(pmi), np.maximum(pmi, 0.0), 0.0)
    del total
    u, s, _ = np.linalg.svd(ppmi, full_matrices=False)
    vec = u[:, :DIMS] * np.sqrt(s[:DIMS])
    norm = np.linalg.norm(vec, axis=1, keepdims=True)
    return vec / np.where(norm == 0, 1, norm)
