"""Hashed word 6-grams of the corpus: the novelty check ships these, never the text.

Each window of N consecutive normalised words is hashed with BLAKE2b and truncated to its top 32
bits. A sorted uint32 array of ~0.5 M corpus windows is ~2 MB; a lookup is a binary search.
Truncation can only cause false *rejections* (a novel window colliding with a corpus hash, about
n_windows / 2**32 ~ 1e-4 per window, ~0.3 % per quote); a real copy is always caught.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from bot.quotes.text import words

N = 6


def window_hash(window: Iterable[str]) -> int:
    """Stable 32-bit hash of one normalised word window (never Python's salted hash())."""
    digest = hashlib.blake2b(" ".join(window).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest[:4], "big")


def text_hashes(text: str, n: int = N) -> list[int]:
    """Hashes of every n-word window of a text (none when it has fewer than n words)."""
    ws = words(text)
    return [window_hash(ws[i : i + n]) for i in range(len(ws) - n + 1)]


def build_hashes(paragraphs: Iterable[str], n: int = N) -> np.ndarray:
    """Sorted unique uint32 hashes of all n-word windows; windows run across sentence ends."""
    hashes: set[int] = set()
    for para in paragraphs:
        hashes.update(text_hashes(para, n))
    return np.array(sorted(hashes), dtype=np.uint32)


class NoveltyIndex:
    """Answers 'does this text share a run of N words with the corpus?'."""

    def __init__(self, hashes: np.ndarray) -> None:
        self.hashes = np.asarray(hashes, dtype=np.uint32)

    @classmethod
    def load(cls, path: Path) -> NoveltyIndex:
        return cls(np.load(path, allow_pickle=False))

    def save(self, path: Path) -> None:
        np.save(path, self.hashes, allow_pickle=False)

    def copies(self, text: str) -> bool:
        """True when some N-word window of the text is (probably) in the corpus."""
        q = np.array(text_hashes(text), dtype=np.uint32)
        if q.size == 0:
            return False
        pos = np.searchsorted(self.hashes, q).clip(max=len(self.hashes) - 1)
        return bool(np.any(self.hashes[pos] == q))

    def is_novel(self, text: str) -> bool:
        return not self.copies(text)
