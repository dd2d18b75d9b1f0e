"""Both quote engines behind one generate(): engine 1 (the word-level GPT sampler, for version-1
replay codes, frozen forever) and engine 2 (aphorisms mined from the corpus, reranked by a model).
"""

from __future__ import annotations

from pathlib import Path

from bot.errors import UserError
from bot.quotes.bundle import quotes_root
from bot.quotes.generator import Quote, QuoteGenerator
from bot.quotes.voices import DEFAULT_VOICE, voice

LEGACY, APHORISM = 1, 2
ENGINES = (LEGACY, APHORISM)


class Quotes:
    """What the pipeline holds: generate(seed, attribution, engine, voice) -> Quote."""

    def __init__(self, legacy: QuoteGenerator, aphorisms) -> None:
        self.legacy, self.aphorisms = legacy, aphorisms
        self.model_ids = {LEGACY: legacy.model_id, APHORISM: aphorisms.model_id}

    @classmethod
    def load(cls, root: str | Path | None = None) -> Quotes:
        """Both bundles from a quotes/ directory (default: the repository's)."""
        from bot.quotes.aphorism import AphorismGenerator

        root = Path(root) if root else quotes_root()
        return cls(QuoteGenerator.load(root / "v1"), AphorismGenerator.load(root / "v2"))

    def generate(
        self,
        seed: int,
        attribution: str = "generated",
        engine: int = APHORISM,
        voice_name: str = DEFAULT_VOICE,
    ) -> Quote:
        if engine == LEGACY:
            if voice_name != DEFAULT_VOICE:
                raise UserError("voices need quote engine 2: version-1 codes have none")
            return self.legacy.generate(seed, attribution=attribution)
        if engine != APHORISM:
            raise UserError(f"quote engine must be one of {ENGINES}; got {engine!r}")
        try:
            name = voice(voice_name).name
        except ValueError as e:
            raise UserError(str(e)) from None
        return self.aphorisms.generate(seed, attribution=attribution, voice=name)
