"""Mining sentence patterns from the corpus (build time only; the bot never reads the corpus).

A pattern is a short, self-contained corpus sentence whose swappable words (the lexicon's nouns
and adjectives, where the context says they are nouns and adjectives) became typed slots. Only
sentences where every run of six words holds a slot are kept, so no shipped pattern carries six
corpus words in a row, and a filled pattern shares no 6-word run with the corpus once its slots
hold other words. The original word is not kept: only a 16-bit hash, so the filler can avoid it.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.quotes.aphorism.lexicon import AMBIGUOUS, adjectives, nouns, verbs
from bot.quotes.corpus import author_of, is_clean, split_sentences

DEFINER = "bierce"  # whose entries are definitions: "Patience, n. A minor form of despair."
WINDOW = 6  # no shipped pattern keeps this many corpus words in a row
MIN_WORDS, MAX_WORDS = 5, 18
MIN_SLOTS, MAX_SLOTS = 2, 6

_WORD_RE = re.compile(r"([A-Za-z]+(?:[\u2019'][A-Za-z]+)*)")
_QUOTED_RE = re.compile(r"\u201c([^\u201c\u201d]+)\u201d")

DETERMINERS_COUNT = frozenset("a an every each another one".split())
DETERMINERS_ANY = frozenset(
    "the his my your our their its thy thine this that whose what which no all any some".split()
)
NOUN_CONTEXT = (
    DETERMINERS_COUNT
    | DETERMINERS_ANY
    | frozenset(
        """of in on with by for from without within into upon through against about among
        between like than after before beyond under over toward towards is are was were be
        and or but many few most more less much great""".split()
    )
)
COPULAS = frozenset(
    """is are was were be been being am seem seems seemed become becomes became remain remains
    grow grows grew feel feels so too very most more less how as quite rather always never
    often truly and or nor but""".split()
)
VERB_CONTEXT = frozenset(
    """i you we they he it who which that men one to not never always often will shall can
    must may might would should could cannot do does did ever only also all thou ye""".split()
)
AUXILIARIES = frozenset("have has had having be is are was were been being get gets got".split())
INTENSIFIERS = frozenset("very most more so too truly really quite rather".split())
# Openers that need the sentence before them, and words that point back to it.
BAD_OPENERS = frozenset(
    """and but or nor for so yet thus hence therefore moreover nay then also again besides
    still now here this these such accordingly however indeed yes no oh o well why these
    it's he she her they them their his him its it which whereas wherefore though although
    because since otherwise likewise instead meanwhile afterwards first secondly lastly
    finally hereupon thereupon whereupon said says""".split()
)
NARRATIVE = frozenset(
    """said says replied asked cried answered exclaimed murmured whispered laughed sighed
    chapter book verse sir mr mrs lord lady harry dorian basil sibyl she her hers herself
    was were had did came went told yesterday ago gorrappit then this these thus""".split()
)
# A quotable line makes a general statement: it opens on one of these or on a slot word, and
# has a finite verb (one of these, or a verb slot). First-person anecdote and exclamations go.
GENERIC_STARTS = frozenset(
    """the a an every no nothing all man men he who whoever to there each one whatever what
    those we you our it if when where only never many most some none true let be do your
    whoso wherever nobody everything something nature god heaven in without with by from under
    through between among after before like how why better blessed everyone everybody people
    is are can does do""".split()
)
FINITE = frozenset(
    """is are has have hath can cannot will shall must may should would could does do doth
    makes make knows loves needs becomes seems lies gives takes keeps""".split()
)
QUESTION_WORDS = frozenset("what who why how is are can does do where whence".split())
PERSONAL = frozenset("i me my mine myself ah oh o lo verily alas yea nay thee ye".split())
KEEP_CAPITALS = frozenset("I God Tao Heaven Nature Fortune".split())
GENERIC_PEOPLE = frozenset(
    """who whoever whosoever one everyone everybody nobody someone anyone each every""".split()
)
GENERIC_MANY = frozenset("who those people men all many most others everyone we you".split())


@dataclass(frozen=True)
class Slot:
    id: int  # slots with one id hold one lemma (a repeated word stays repeated)
    kind: str  # "n" noun, "a" adjective
    cls: str  # the lexicon class the filler comes from
    form: str  # sg, pl, poss (x's), possp (men's), adj
    need: str  # any, count (after a/every...), mass (bare singular)
    cap: bool  # capitalise (sentence start)
    avoid: int  # 16-bit hash of the original lemma: the filler must differ
    options: tuple[str, ...] = ()  # lemmas near the original in meaning; () = any of cls

    def to_json(self) -> list:
        row = [self.id, self.kind, self.cls, self.form, self.need, int(self.cap), self.avoid]
        return [*row, list(self.options)] if self.options else row

    @classmethod
    def from_json(cls, row: list) -> Slot:
        i, kind, c, form, need, cap, avoid, *options = row
        return cls(i, kind, c, form, need, bool(cap), avoid, tuple(options[0]) if options else ())


def lemma_hash(word: str) -> int:
    return zlib.crc32(word.encode("utf-8")) & 0xFFFF


class Lexicon:
    """Look-ups from surface forms to lexicon entries."""

    def __init__(self) -> None:
        self.nouns = nouns()
        self.sg: dict = {}
        self.pl: dict = {}
        for n in self.nouns:  # a word in several classes is read as its first
            self.sg.setdefault(n.sg, n)
            if n.pl:
                self.pl.setdefault(n.pl, n)
        self.adjs = {a.word: a for a in adjectives()}
        self.verb_forms: dict[str, list[tuple[object, str]]] = {}
        for v in verbs():
            for form in ("base", "s", "past", "pp", "ing"):
                self.verb_forms.setdefault(getattr(v, form), []).append((v, form))
        self.ambiguous = AMBIGUOUS | {n.pl for n in self.nouns if n.sg in AMBIGUOUS and n.pl}

    def is_slot_word(self, word: str) -> bool:
        return bool(self.noun_form(word)) or word in self.adjs

    def noun_form(self, word: str):
        """(Noun, form) for a surface word, or None."""
        for suffix in ("\u2019s", "'s"):
            if word.endswith(suffix):
                stem = word[: -len(suffix)]
                if stem in self.sg:
                    return self.sg[stem], "poss"
                if stem in self.pl:
                    return self.pl[stem], "possp"
                return None
        if word in self.sg:
            return self.sg[word], "sg"
        if word in self.pl:
            return self.pl[word], "pl"
        return None


def corpus_sentences(dirs: Iterable[Path]) -> Iterator[tuple[str, str, bool]]:
    """(author, sentence, is_definition) for every sentence of every corpus file; quoted
    speech (a novel's dialogue) is taken out of its 'he said' frame first. A definition is the
    first sentence of a Devil's Dictionary entry (its headword is not in the text)."""
    for d in dirs:
        for path in sorted(Path(d).glob("*.txt")):
            author = author_of(path)
            for line in path.read_text(encoding="utf-8").splitlines():
                line = line.strip()
                quoted = _QUOTED_RE.findall(line)
                parts = [_close(q) for q in quoted] if quoted else [line]
                for part in parts:
                    for k, s in enumerate(split_sentences(part)):
                        yield author, s, author == DEFINER and k == 0 and not quoted


def _close(speech: str) -> str:
    speech = speech.strip()
    return speech[:-1] + "." if speech.endswith(",") else speech


def sentence_ok(sentence: str, words: list[str], definition: bool = False) -> bool:
    """Short, clean, self-contained: no dangling opener, no names, no narrative; a general
    statement (or, for a definition, a noun phrase)."""
    lw = [w.lower() for w in words]
    if not MIN_WORDS <= len(words) <= MAX_WORDS or not is_clean(sentence):
        return False
    question = sentence.endswith("?") and lw[0] in QUESTION_WORDS
    if not (sentence.endswith(".") or question) or PERSONAL & set(lw):
        return False
    finite = FINITE & set(lw) or any(w in _LEX.verb_forms for w in lw[1:])
    if not definition and not (finite and _general(lw)):
        return False
    if lw[0] in BAD_OPENERS or lw[0] == "that" and lw[1:2] != ["which"]:
        return False
    if any(w in NARRATIVE for w in lw) or ";" in sentence and len(words) > 16:
        return False
    if any(w[:1].isupper() and w not in KEEP_CAPITALS for w in words[1:]):
        return False
    return _pronouns_resolved(lw)


_POINTING = [[w] for w in "be is are was then we you he they it alone only also too".split()] + [[]]


def _general(lw: list[str]) -> bool:
    """Opens like a general statement: 'The ...', 'Every ...', 'He who ...', 'Courage ...'."""
    return lw[0] in GENERIC_STARTS or _LEX.is_slot_word(lw[0])


def _pronouns_resolved(lw: list[str]) -> bool:
    """He/they/it only after something they can stand for, in the same sentence."""
    lex = _LEX
    for i, w in enumerate(lw):
        before = lw[:i]
        if w in ("he", "him", "his", "himself"):
            if not any(b in GENERIC_PEOPLE or _person(b, lex) for b in before):
                return False
        elif w in ("they", "them", "their", "themselves"):
            if not any(b in GENERIC_MANY or b in lex.pl for b in before):
                return False
        elif w in ("it", "its", "itself"):
            dummy = i == 0 and lw[1:2] and lw[1] in ("is", "was")
            if not dummy and not any(lex.noun_form(b) for b in before):
                return False
        elif (
            w in ("this", "these")
            and lw[i + 1 : i + 2] in _POINTING
            or (w in ("that", "those") and lw[i + 1 : i + 2] in _POINTING[:5] + [[]])
        ):
            return False  # "if this be so", "that is": points at what came before
    return True


def _person(word: str, lex: Lexicon) -> bool:
    hit = lex.noun_form(word)
    return bool(hit and hit[0].cls == "person")


def find_slots(words: list[str], lex: Lexicon) -> list[Slot | None]:
    """A Slot or None for each word of a sentence."""
    lw = [w.lower() for w in words]
    out: list[Slot | None] = []
    ids: dict[tuple[str, str], int] = {}
    for i, w in enumerate(lw):
        prev = lw[i - 1] if i else ""
        nxt = lw[i + 1] if i + 1 < len(lw) else ""
        slot = None
        if i and words[i][:1].isupper():
            out.append(None)  # Nature, God: a capital in mid-sentence is meant
            continue
        hit = lex.noun_form(w)
        if hit and (w not in lex.ambiguous or prev in NOUN_CONTEXT or lex.adjs.get(prev)):
            noun, form = hit
            need = _need(lw, i, lex) if form in ("sg", "poss") else "any"
            lemma = noun.sg
            slot = ("n", noun.cls, form, need, lemma)
        elif w in lex.adjs and (prev in COPULAS or lex.noun_form(nxt)):
            if w not in AMBIGUOUS or prev in INTENSIFIERS:
                slot = ("a", lex.adjs[w].cls, "adj", "any", w)
        elif w in lex.verb_forms:
            slot = _verb_slot(lw, i, lex)
        if slot is None:
            out.append(None)
            continue
        kind, cls, form, need, lemma = slot
        sid = ids.setdefault((kind, lemma), len(ids))
        out.append(Slot(sid, kind, cls, form, need, i == 0, lemma_hash(lemma)))
    return out


def _verb_slot(lw: list[str], i: int, lex: Lexicon):
    """A verb slot's (kind, class, form, need, lemma), or None where the word may be a noun."""
    w, prev = lw[i], (lw[i - 1] if i else "")
    if (w in lex.ambiguous or lex.noun_form(w)) and prev not in VERB_CONTEXT:
        return None
    matches = lex.verb_forms[w]
    verb, form = matches[0]
    forms = {f for v, f in matches if v is verb}
    if forms >= {"past", "pp"}:  # loved: he loved / he has loved
        form = "pp" if AUXILIARIES & set(lw[max(0, i - 3) : i]) else "past"
    return ("v", verb.cls, form, "any", verb.base)


def _need(lw: list[str], i: int, lex: Lexicon) -> str:
    """What a singular noun slot may hold, from its determiner: a/every -> a count noun;
    the/his/no -> any; none (a bare singular, 'Courage is ...') -> a mass noun."""
    j = i - 1
    while j >= 0 and (lw[j] in lex.adjs or lw[j] in INTENSIFIERS):
        j -= 1
    det = lw[j] if j >= 0 else ""
    if det in DETERMINERS_COUNT:
        return "count"
    if det in DETERMINERS_ANY or det.endswith(("\u2019s", "'s")):
        return "any"
    return "mass"


def covered(slots: list[Slot | None]) -> bool:
    """Every WINDOW-word run holds a slot."""
    run = 0
    for s in slots:
        run = 0 if s is not None else run + 1
        if run >= WINDOW:
            return False
    return True


def mine(dirs: Iterable[Path]) -> Iterator[dict]:
    """Patterns as JSON-ready dicts: {"a": author, "p": [sep, word|slot, sep, ...]}."""
    seen: set[str] = set()
    for author, sentence, definition in corpus_sentences(dirs):
        parts = _WORD_RE.split(sentence)
        words = parts[1::2]
        if not sentence_ok(sentence, words, definition):
            continue
        slots = find_slots(words, _LEX)
        n_ids = len({s.id for s in slots if s})
        least = 1 if definition else MIN_SLOTS  # a definition's headword is one more slot
        if not least <= n_ids <= MAX_SLOTS or not covered(slots):
            continue
        if not any(s and s.kind == "n" for s in slots):
            continue
        key = "".join(p.lower() if i % 2 else p for i, p in enumerate(parts))
        if key in seen:
            continue
        seen.add(key)
        lemmas = {}
        for k, s in enumerate(slots):
            parts[2 * k + 1] = s if s else words[k]
            if s:
                lemmas[s.id] = _lemma(words[k].lower(), s.kind, _LEX)
        yield {"a": author, "p": parts, "lemmas": lemmas, **({"d": 1} if definition else {})}


def _lemma(word: str, kind: str, lex: Lexicon) -> str:
    """The lemma of a slot's original word (build time only; never shipped)."""
    if kind == "n":
        return lex.noun_form(word)[0].sg
    if kind == "v":
        return lex.verb_forms[word][0][0].base
    return word


_LEX = Lexicon()
