"""Attributions: a deterministic pseudo-philosopher from the seed, or a fixed signature."""

from __future__ import annotations

import re

import numpy as np

SIGNATURE = "\u2014 the CPPN oracle"

_ONSETS = (
    "Ar",
    "Bel",
    "Cal",
    "Dem",
    "Eu",
    "Hel",
    "Ir",
    "Kle",
    "Ly",
    "Mel",
    "Nic",
    "Or",
    "Pha",
    "Phi",
    "Pol",
    "Sy",
    "Ther",
    "Ti",
    "Xan",
    "Zen",
    "Aur",
    "Ser",
    "Ta",
    "Leu",
)
_MIDDLES = ("", "", "a", "e", "i", "o", "an", "en", "ip", "od", "on", "or", "ys", "ell")
_ENDINGS = ("us", "ius", "on", "as", "es", "ides", "ax", "ion", "ia", "eus", "ippus", "ocles")
_PLACES = (
    "Samos",
    "Elea",
    "Abdera",
    "Kition",
    "Miletus",
    "Ephesus",
    "Croton",
    "Soli",
    "Rhodes",
    "Chalcis",
    "Megara",
    "Cyrene",
    "Sinope",
    "Tarsus",
    "Nicopolis",
    "Assos",
    "Clazomenae",
    "Stagira",
    "Thasos",
    "Lampsacus",
    "Heraclea",
    "Apamea",
    "Gadara",
)
_EPITHETS = (
    "the Elder",
    "the Younger",
    "the Obscure",
    "the Cynic",
    "the Lesser",
    "the Unwritten",
    "the Stoic",
    "the Idle",
)


def philosopher_name(seed: int) -> str:
    """'— Kleonides of Abdera': the same seed always names the same sage."""
    rng = np.random.default_rng([seed & 0xFFFFFFFFFFFFFFFF, 0x5A6E])
    onset, middle, ending = _pick(rng, _ONSETS), _pick(rng, _MIDDLES), _pick(rng, _ENDINGS)
    if onset[-1] in "aeiouy" and middle[:1] in ("a", "e", "i", "o", "y"):
        middle = ""  # "Sy" + "ip" reads badly; "Sy" + "ppus" is fine
    name = onset + middle + ending
    name = re.sub(r"([aeiou])\1", r"\1", name)  # "Seriippus" -> "Seripus"-like, not "ii"
    # Mostly "of <place>", sometimes an epithet, for variety over many posts.
    tail = f"of {_pick(rng, _PLACES)}" if rng.random() < 0.8 else _pick(rng, _EPITHETS)
    return f"\u2014 {name} {tail}"


def signature() -> str:
    """The fixed signature for servers that prefer no invented names."""
    return SIGNATURE


def attribution_for(seed: int, kind: str) -> str:
    if kind == "generated":
        return philosopher_name(seed)
    if kind == "signature":
        return signature()
    raise ValueError(f"attribution must be 'generated' or 'signature', not {kind!r}")


def _pick(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    return options[int(rng.integers(len(options)))]
