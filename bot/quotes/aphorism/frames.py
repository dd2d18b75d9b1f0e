"""Hand-written aphorism frames, by voice: the shapes each source is famous for (Bierce's
definitions, Wilde's inversions, Laozi's paradoxes, ...), written fresh, never copied; each
blank is typed tightly enough that any word of its class makes a clear line.

Syntax: {n.CLASS} a noun (number from its determiner: "a {n.x}" wants a count noun, a bare
"{n.x}" a mass noun), {n.CLASS.pl} plural, {n.CLASS.poss} possessive; {a.CLASS} an adjective;
{v.CLASS.FORM} a verb (base, s, past, pp, ing). "{1:n.virtue} ... {1}" repeats one word.
[one|other] picks one of the texts. Classes are lexicon.py's. The frames themselves live in
texts/<voice>.txt, one per line.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import numpy as np

from bot.quotes.aphorism.slots import (
    DETERMINERS_ANY,
    DETERMINERS_COUNT,
    WORD_RE,
    Slot,
    need_after,
)

_ALT = re.compile(r"\[([^\[\]]*)\]")


def expand(frame: str, rng: np.random.Generator) -> str:
    """Choose one text of every [a|b] (innermost first), with the rng."""
    while True:
        m = _ALT.search(frame)
        if m is None:
            return frame
        options = m.group(1).split("|")
        frame = frame[: m.start()] + options[int(rng.integers(len(options)))] + frame[m.end() :]


TEXTS = Path(__file__).resolve().parent / "texts"  # one file of frames per voice


def frames() -> dict[str, list[str]]:
    """Each voice's frames, in file order (the order is part of what a seed draws)."""
    out = {}
    for path in sorted(TEXTS.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        out[path.stem] = [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]
    return out


_SLOT = re.compile(r"\{(?:(\d+):)?([nav])\.(\w+)(?:\.(\w+))?\}|\{(\d+)\}")
_DUMMY = {"n": "river", "a": "wise", "v": "love"}  # what an earlier blank looks like, read back


def parse(text: str) -> list:
    """Frame text (alternatives already chosen) -> parts: separator, word or Slot, ..."""
    slots: list[Slot] = []
    by_ref: dict[str, Slot] = {}
    out, pos = [], 0
    for m in _SLOT.finditer(text):
        out.append(text[pos : m.start()])
        pos = m.end()
        before = "".join(x if isinstance(x, str) else "x" for x in out).rstrip()
        cap = not before or before.endswith((".", "?", "!"))
        if m.group(5):  # the same word again, capitalised where this place needs it
            slot = replace(by_ref[m.group(5)], cap=cap)
        else:
            ref, kind, cls, form = m.group(1), m.group(2), m.group(3), m.group(4)
            form = form or {"n": "sg", "a": "adj"}[kind]
            lw = [_DUMMY[x.kind] if isinstance(x, Slot) else x for x in _words_of(out)]
            need = "any"  # a headword, a plural, ...; else what its determiner wants
            if kind == "n" and form in ("sg", "poss") and before:
                # after a comma or a semicolon the blank stands bare: no determiner reaches it
                need = "mass" if before[-1] in ",;:.!?\u2014" else _frame_need(lw)
            slot = Slot(len(slots), kind, cls, form, need, cap)
            slots.append(slot)
            if ref:
                by_ref[ref] = slot
        out.append(slot)
    out.append(text[pos:])
    parts: list = []
    for piece in out:
        if isinstance(piece, Slot):
            parts.append(piece)
            continue
        split = WORD_RE.split(piece)
        if parts and not isinstance(parts[-1], str):
            parts.append(split[0])
        else:
            parts = [*parts[:-1], (parts[-1] if parts else "") + split[0]] if parts else [split[0]]
        parts.extend(split[1:])
    return parts


def _frame_need(lw: list) -> str:
    """need_after's rule, but a frame's own words between the determiner and the slot
    ("your larger {n.x}", "the surest {n.x}") count as adjectives: look back up to three words
    for a determiner, stopping at a noun or a word that opens a phrase."""
    if "little" in lw[-2:] and "a" in lw[-3:]:
        return "mass"  # "a little vanity", "a little more vanity"
    for w in reversed(lw[-3:]):
        if not isinstance(w, str) or w in _PHRASE_OPENERS or w in ("river", "love"):
            break
        if w in DETERMINERS_COUNT:
            return "count"
        if w in DETERMINERS_ANY or w.endswith(("\u2019s", "'s")):
            return "any"
    return need_after(lw)


_PHRASE_OPENERS = frozenset(
    """of in on to for with by from is are was be and or but than as without like into upon
    at about between before after""".split()
)


def _words_of(pieces: list) -> list:
    out: list = []
    for piece in pieces:
        if isinstance(piece, Slot):
            out.append(piece)
        else:
            out.extend(w.lower() for w in WORD_RE.split(piece)[1::2])
    return out
