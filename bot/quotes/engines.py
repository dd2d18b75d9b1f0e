"""Both quote engines behind one generate(): engine 1 (the word-level GPT sampler, for version-1
replay codes, frozen forever) and engine 2 (aphorisms mined from the corpus, reranked by a model).
"""

from __future__ import annotations

import logging
from pathlib import Path

from bot.errors import BotError, UserError
from bot.quotes.bundle import quotes_root
from bot.quotes.generator import Quote, QuoteGenerator
from bot.quotes.voices import DEFAULT_VOICE, voice

log = logging.getLogger(__name__)
LEGACY, APHORISM = 1, 2
ENGINES = (LEGACY, APHORISM)
# The quote model each engine means, forever: a replay code's version names its engine (1 for
# version-1 codes, 2 for version 2), and the engine's bundle id is pinned here. A retrained model
# needs a new engine (and code version), and the old bundle kept.
QUOTE_MODELS: dict[int, str] = {
    LEGACY: "2feda3ff",  # the legacy neural engine: quotes/v1 (quotes/v1/manifest.json)
    APHORISM: "4433c03b",  # the aphorism engine: quotes/v2 (quotes/v2/manifest.json)
}


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


def check_quote_models(model_ids: dict[int, str]) -> None:
    """Refuse a quotes/ whose models are not the ones pinned in QUOTE_MODELS."""
    for engine, want in QUOTE_MODELS.items():
        have = model_ids.get(engine)
        if have != want:
            raise BotError(
                f"quotes/ holds model {have} for quote engine {engine}, but version-{engine} "
                f"replay codes mean model {want}: restore quotes/ from git, or ship the new model "
                "as a new engine with a new code version"
            )


def load_quotes(root: str | Path | None = None, *, required: bool = True) -> Quotes | None:
    """Both shipped quote engines, each checked against the model that replay codes name. With
    required=False (a worker, the bot), a failure is one warning and None: jobs that need a
    generated quote then fail clearly, the others still paint."""
    try:
        quotes = Quotes.load(root)
        check_quote_models(quotes.model_ids)
        return quotes
    except Exception as e:
        if required:
            raise
        log.warning("no quote engines (%s); generated quotes will fail", e)
        return None
