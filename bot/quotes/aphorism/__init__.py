"""Engine 2: aphorisms. Hand-written frames per voice with typed blanks, filled from a typed
lexicon; a small language model, trained on the corpus, chooses among the fills."""

from bot.quotes.aphorism.generator import AphorismGenerator

__all__ = ["AphorismGenerator"]
