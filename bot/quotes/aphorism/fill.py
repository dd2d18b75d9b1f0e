"""Filling a mined pattern: each slot gets a lexicon word of its class, in the slot's form
(plural, possessive, past, ...), the same word wherever the slot id repeats, never the word the
corpus had there; then a/an agree with the word after them."""

from __future__ import annotations

import re

import numpy as np

from bot.quotes.aphorism.lexicon import adjectives, nouns, verbs
from bot.quotes.aphorism.mine import Slot, lemma_hash

APOS = "\u2019"
_AN_EXCEPTIONS = ("hour", "honest", "honour", "honor", "heir")
_A_EXCEPTIONS = ("uni", "use", "usu", "eu", "one", "once", "ewe")


HEAD = "head"  # the headword of a definition: "Patience, n. ..."
HEAD_CLASSES = ("virtue", "vice", "state", "mind", "force", "person")


def definition(parts: list) -> list:
    """A Devil's Dictionary pattern with its headword slot in front."""
    head = Slot(id=999, kind="n", cls=HEAD, form="sg", need="any", cap=True, avoid=-1)
    return ["", head, ", n. " + parts[0], *parts[1:]]


class Filler:
    """Word choices per (kind, class); forms made on demand."""

    def __init__(self) -> None:
        self.nouns: dict[str, list] = {}
        for n in nouns():
            self.nouns.setdefault(n.cls, []).append(n)
        self.nouns[HEAD] = [n for c in HEAD_CLASSES for n in self.nouns[c]]
        self.adjs: dict[str, list] = {}
        for a in adjectives():
            self.adjs.setdefault(a.cls, []).append(a)
        self.verbs: dict[str, list] = {}
        for v in verbs():
            self.verbs.setdefault(v.cls, []).append(v)

    def choices(self, slots: list[Slot], any_class: bool = False) -> list:
        """The entries that fit every occurrence of one slot id: its near words when the
        pattern lists them (nearest first), else any word of its class (or of its kind)."""
        first = slots[0]
        by_class = {"n": self.nouns, "a": self.adjs, "v": self.verbs}[first.kind]
        if any_class:
            pool = [e for c, es in by_class.items() if c != HEAD for e in es]
        elif first.options:
            lemmas = {_key(e, first.kind): e for es in by_class.values() for e in es}
            pool = [lemmas[w] for w in first.options if w in lemmas]
        else:
            pool = by_class.get(first.cls, [])
        return [e for e in pool if all(_fits(e, s) for s in slots)]

    def fill(self, pattern: list, rng: np.random.Generator) -> str | None:
        """One filled text, or None when a slot has nothing to hold."""
        by_id: dict[int, list[Slot]] = {}
        for part in pattern[1::2]:
            if not isinstance(part, str):
                s = part if isinstance(part, Slot) else Slot.from_json(part)
                by_id.setdefault(s.id, []).append(s)
        chosen: dict[int, object] = {}
        used = {w.lower() for w in pattern[1::2] if isinstance(w, str)}  # no "good or good"
        for sid, slots in by_id.items():
            options = [e for e in self.choices(slots) if _key(e, slots[0].kind) not in used]
            if not options:
                return None
            pick = options[int(rng.integers(len(options)))]
            chosen[sid] = pick
            used.add(_key(pick, slots[0].kind))
        out = list(pattern)
        for k in range(1, len(out), 2):
            part = out[k]
            if not isinstance(part, str):
                s = part if isinstance(part, Slot) else Slot.from_json(part)
                out[k] = _realise(chosen[s.id], s)
        return fix_articles(out)


def _key(entry, kind: str) -> str:
    """The lemma: a noun's singular, an adjective, a verb's base form."""
    return entry.sg if kind == "n" else entry.word if kind == "a" else entry.base


def _fits(entry, s: Slot) -> bool:
    if lemma_hash(_key(entry, s.kind)) == s.avoid:
        return False  # never put back the corpus's own word
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


_WORD_RE = re.compile(r"[A-Za-z]")


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
