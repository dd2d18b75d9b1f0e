"""Engine 2: aphorisms. Sentence patterns mined from the corpus, slots filled from a typed
lexicon, candidates filtered and ranked by a small language model."""

from bot.quotes.aphorism.generator import AphorismGenerator

__all__ = ["AphorismGenerator"]
