"""QuoteGenerator: seed -> Quote, the neural sampler first and the Markov chain as fallback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.quotes.bundle import Bundle, legacy_dir, read_bundle
from bot.quotes.filters import first_failure, make_checks
from bot.quotes.markov import MarkovChain
from bot.quotes.names import attribution_for
from bot.quotes.sampler import NeuralSampler
from bot.quotes.text import detokenize

NEURAL_TRIES = 64  # four rounds of 16 candidates; ~97 % of seeds need only the first round
MARKOV_TRIES = 200
_U64 = 0xFFFFFFFFFFFFFFFF


@dataclass(frozen=True)
class Quote:
    text: str
    attribution: str
    engine: str  # "neural" | "markov"
    model_id: str
    tries: int  # candidates examined, both engines together
    seed: int


class QuoteGenerator:
    """Deterministic quotes: the same seed and the same quotes/ bundle give the same Quote."""

    def __init__(
        self, bundle: Bundle, max_tries: int = NEURAL_TRIES, markov_tries: int = MARKOV_TRIES
    ) -> None:
        self.bundle = bundle
        self.model_id = bundle.model_id
        self.max_tries = max_tries  # 0 switches the neural engine off (tests, fallback drills)
        self.markov_tries = markov_tries
        self.sampler = NeuralSampler(bundle.model, bundle.vocab, bundle.sampler)
        self.checks = make_checks(bundle.vocab.words(), bundle.novelty.is_novel)
        self._markov: MarkovChain | None = None  # built on first use: most seeds never need it

    @classmethod
    def load(cls, path: str | Path | None = None, **kwargs) -> QuoteGenerator:
        """Load from a bundle directory (default: the repository's quotes/v1)."""
        return cls(read_bundle(Path(path) if path else legacy_dir()), **kwargs)

    def rejection(self, text: str) -> str | None:
        """Name of the first filter that rejects text, or None if it may be posted."""
        return first_failure(text, self.checks)

    def generate(self, seed: int, attribution: str = "generated") -> Quote:
        seed &= _U64
        who = attribution_for(seed, attribution)
        text, tries = self._neural(seed)
        if text is not None:
            return Quote(text, who, "neural", self.model_id, tries, seed)
        text, more = self._fallback(seed)
        return Quote(text, who, "markov", self.model_id, tries + more, seed)

    def _neural(self, seed: int) -> tuple[str | None, int]:
        tries, batch = 0, self.sampler.settings.batch
        for round_no in range(-(-self.max_tries // batch)):
            limit = min(batch, self.max_tries - tries)
            text, used = self.sampler.accepted(seed, round_no, self._passes, limit)
            tries += used
            if text is not None:
                return text, tries
        return None, tries

    def _passes(self, text: str) -> bool:
        return self.rejection(text) is None

    def _fallback(self, seed: int) -> tuple[str, int]:
        """Markov walks until one passes; if none does, a seeded pick of the chain's source
        lines (each passed every filter when it was written) keeps the guarantee."""
        rng = np.random.default_rng([seed, 0x4D4B])
        casing = self.bundle.vocab.casing
        for tries in range(1, self.markov_tries + 1):
            text = detokenize(self.markov.walk(rng), casing)
            if self.rejection(text) is None:
                return text, tries
        source = [s for s in self.bundle.markov_source if self.rejection(s) is None]
        return source[int(rng.integers(len(source)))], self.markov_tries

    @property
    def markov(self) -> MarkovChain:
        if self._markov is None:
            self._markov = MarkovChain(self.bundle.markov_source)
        return self._markov
