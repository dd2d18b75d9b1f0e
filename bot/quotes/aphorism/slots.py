"""Typed blanks ("slots") in a frame, and the determiner rule that says what number a noun
blank takes: "a {n.x}" a count noun, "the {n.x}" anything, a bare "{n.x}" a mass noun."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.quotes.aphorism.lexicon import adjectives

WORD_RE = re.compile(r"([A-Za-z]+(?:[\u2019'][A-Za-z]+)*)")  # split() keeps the separators

DETERMINERS_COUNT = frozenset("a an every each another one".split())
DETERMINERS_ANY = frozenset(
    "the his my your our their its thy thine this that whose what which no all any some".split()
)
INTENSIFIERS = frozenset("very most more so too truly really quite rather".split())
ADJECTIVES = frozenset(a.word for a in adjectives())


@dataclass(frozen=True)
class Slot:
    id: int  # blanks with one id hold one word ("{1:n.vice} ... {1}")
    kind: str  # "n" noun, "a" adjective, "v" verb
    cls: str  # the lexicon class the word comes from
    form: str  # sg, pl, poss (x's), possp (men's), adj, or a verb form (base, s, past, pp, ing)
    need: str  # any, count (after a/every...), mass (a bare singular)
    cap: bool  # capitalise (sentence start)


def need_after(lw: list[str]) -> str:
    """What a singular noun after the words lw may be, from its determiner: a/every -> a count
    noun; the/his/no -> any; none ("Courage is ...") -> a mass noun. Adjectives and intensifiers
    between the determiner and the noun are skipped."""
    j = len(lw) - 1
    while j >= 0 and (lw[j] in ADJECTIVES or lw[j] in INTENSIFIERS):
        j -= 1
    det = lw[j] if j >= 0 else ""
    if det in DETERMINERS_COUNT:
        return "count"
    if det in DETERMINERS_ANY or det.endswith(("\u2019s", "'s")):
        return "any"
    return "mass"
