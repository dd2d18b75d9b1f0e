"""Filling a frame: each blank gets a lexicon word of its class, in the blank's form (plural,
possessive, past, ...), the same word wherever the blank's id repeats, never a word the frame
already says; then a/an agree with the word after them."""

from __future__ import annotations

import numpy as np

from bot.quotes.aphorism.lexicon import adjectives, nouns, verbs
from bot.quotes.aphorism.slots import Slot

APOS = "\u2019"
_AN_EXCEPTIONS = ("hour", "honest", "honour", "honor", "heir")
_A_EXCEPTIONS = ("uni", "use", "usu", "eu", "one", "once", "ewe")


class Filler:
    """Word choices per (kind, class); forms made on demand."""

    def __init__(self) -> None:
        self.pools: dict[str, dict[str, list]] = {"n": {}, "a": {}, "v": {}}
        for kind, entries in (("n", nouns()), ("a", adjectives()), ("v", verbs())):
            for e in entries:
                self.pools[kind].setdefault(e.cls, []).append(e)

    def choices(self, slots: list[Slot]) -> list:
        """The entries of the class that fit every occurrence of one blank."""
        first = slots[0]
        pool = self.pools[first.kind].get(first.cls, [])
        return [e for e in pool if all(_fits(e, s) for s in slots)]

    def fill(self, parts: list, rng: np.random.Generator) -> str | None:
        """One filled text, or None when a blank has nothing to hold."""
        by_id: dict[int, list[Slot]] = {}
        for part in parts[1::2]:
            if isinstance(part, Slot):
                by_id.setdefault(part.id, []).append(part)
        chosen: dict[int, object] = {}
        used = {w.lower() for w in parts[1::2] if isinstance(w, str)}  # no "good or good"
        for sid, slots in by_id.items():
            options = [e for e in self.choices(slots) if _lemma(e, slots[0].kind) not in used]
            if not options:
                return None
            pick = options[int(rng.integers(len(options)))]
            chosen[sid] = pick
            used.add(_lemma(pick, slots[0].kind))
        out = [_realise(chosen[p.id], p) if isinstance(p, Slot) else p for p in parts]
        return fix_articles(out)


def _lemma(entry, kind: str) -> str:
    """A noun's singular, an adjective, a verb's base form."""
    return entry.sg if kind == "n" else entry.word if kind == "a" else entry.base


def _fits(entry, s: Slot) -> bool:
    if s.kind != "n":
        return True
    if s.form in ("pl", "possp") or s.need == "count":
        return entry.pl is not None
    if s.need == "mass":
        return entry.mass
    return True


def _realise(entry, s: Slot) -> str:
    if s.kind == "n":
        word = {"sg": entry.sg, "pl": entry.pl, "poss": entry.sg + APOS + "s"}.get(s.form)
        if s.form == "possp":
            word = entry.pl + APOS + ("" if entry.pl.endswith("s") else "s")
    elif s.kind == "a":
        word = entry.word
    else:
        word = getattr(entry, s.form)
    return word[:1].upper() + word[1:] if s.cap else word


def fix_articles(parts: list[str]) -> str:
    """a -> an before a vowel sound and back; parts alternate separator, word, separator..."""
    for k in range(1, len(parts) - 2, 2):
        art = parts[k]
        if art.lower() not in ("a", "an") or parts[k + 1] != " ":
            continue
        nxt = parts[k + 2].lower()
        vowel = nxt[:1] in "aeiou" and not nxt.startswith(_A_EXCEPTIONS)
        vowel = vowel or nxt.startswith(_AN_EXCEPTIONS)
        want = "an" if vowel else "a"
        parts[k] = want.capitalize() if art[:1].isupper() else want
    return "".join(parts)
