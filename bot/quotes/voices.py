"""The quote voices: the one list that the /paint choices, the --voice flags, the replay-code token
and the docs are built from. Pure data; no torch, no Discord.

A voice is a set of hand-written frames in the manner of its source authors (bot/quotes/aphorism/
frames.py, keyed by the voice's name); `authors` names those sources (the corpus files' first word).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Voice:
    name: str  # what people type: /paint voice:stoic, --voice stoic
    letter: str  # the replay-code token is "e" + letter (e.g. "es"); "any" has no token
    label: str  # one line for help texts and the Discord choice
    authors: tuple[str, ...]  # the corpus authors the voice writes after


VOICES: tuple[Voice, ...] = (
    Voice("any", "", "any voice (the default): every source below", ()),
    Voice("stoic", "s", "Stoic: Marcus Aurelius, Epictetus, Seneca, Boethius",
          ("marcus", "epictetus", "seneca", "boethius")),
    Voice("tao", "t", "the Tao: Laozi's paradoxes, Sun Tzu's maxims", ("laozi", "sun")),
    Voice("nietzsche", "n", "Nietzsche: Beyond Good and Evil, Zarathustra", ("nietzsche",)),
    Voice("devil", "d", "the Devil's Dictionary: Bierce-style definitions", ("bierce",)),
    Voice("wilde", "w", "Wilde and Shaw: epigrams and inversions", ("wilde", "shaw")),
    Voice("emerson", "e", "Emerson and Thoreau: self-reliance and the woods",
          ("emerson", "thoreau")),
    Voice("prophet", "p", "Gibran's Prophet and Chesterton's paradoxes", ("gibran", "chesterton")),
)  # fmt: skip

DEFAULT_VOICE = "any"
VOICE_NAMES: tuple[str, ...] = tuple(v.name for v in VOICES)
BY_NAME: dict[str, Voice] = {v.name: v for v in VOICES}
BY_LETTER: dict[str, Voice] = {v.letter: v for v in VOICES if v.letter}


def voice(name: str) -> Voice:
    """The voice called name; ValueError naming the choices otherwise."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise ValueError(f"voice must be one of {', '.join(VOICE_NAMES)}; got {name!r}") from None
