"""The rules a sampled sentence must pass before it may be posted as a quote."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.quotes.text import fold, words

MIN_LEN, MAX_LEN = 30, 160

# Slurs and obscenities. Short on purpose: the training data is 19th-century philosophy, so the
# list guards against the few words that do occur there and against the obvious modern ones.
BLOCKLIST: frozenset[str] = frozenset(
    """
    fuck fucking fucked shit shitty cunt cock dick prick piss pissed bitch bitches bastard
    bastards whore whores harlot harlots slut sluts strumpet nigger niggers negro negroes
    chinaman chink kike spic wop faggot fag retard retarded dyke tranny
    """.split()
)

# Not obscene, but generated generalisations about these words (Nietzsche's and Bierce's
# chapters on women and Jews) would read badly over a picture posted by a bot; units that
# mention them are left out of training, and quotes that mention them are rejected.
SENSITIVE: frozenset[str] = frozenset(
    "woman women womanly womankind female females jew jews jewish savage savages".split()
)

# Openers that only make sense after a previous sentence, and endings that leave a phrase
# dangling ("... the body of the."): both mark a fragment, not an aphorism.
_BAD_OPENERS = frozenset("and or nor but for as that which whom whose of than".split())
_BAD_ENDINGS = frozenset(
    """the a an of to and or nor but in on with by for from as than that which whose his her
    their my your our its thy thine whom at into upon""".split()
)

_SENTENCE_END_RE = re.compile(r"[.!?]+(?=\s|$)")
_PAIRS = ("()", "[]", "{}")


def length_ok(text: str) -> bool:
    return MIN_LEN <= len(text) <= MAX_LEN


def shape_ok(text: str) -> bool:
    """Starts with a capital letter and ends with . ! or ?."""
    return text[:1].isupper() and text[-1:] in (".", "!", "?")


def sentences_ok(text: str) -> bool:
    """One or two sentences: counts runs of terminal punctuation followed by a space or the end."""
    return 1 <= len(_SENTENCE_END_RE.findall(text)) <= 2


def balanced_ok(text: str) -> bool:
    """Brackets nest properly and double quotes come in pairs."""
    stack: list[str] = []
    for ch in text:
        for opener, closer in _PAIRS:
            if ch == opener:
                stack.append(closer)
            elif ch == closer and (not stack or stack.pop() != closer):
                return False
    folded = fold(text)
    return not stack and folded.count('"') % 2 == 0 and text.count("\u2018") == 0


def fragment_ok(text: str) -> bool:
    """Neither opens like a continuation nor ends on a dangling function word."""
    ws = words(text)
    if not ws or ws[0] in _BAD_OPENERS:
        return False
    return all(
        ws_end[-1] not in _BAD_ENDINGS
        for part in _SENTENCE_END_RE.split(text)
        if (ws_end := words(part))
    )


def repetition_ok(text: str) -> bool:
    """No word pair said twice, no word twice in a row, at most three commas: repeats ("the
    same thing ... the same kind") and comma chains ("Therefore, then, however,") mark salad."""
    ws = words(text)
    pairs = list(zip(ws, ws[1:], strict=False))
    if any(a == b for a, b in pairs) or text.count(",") > 3:
        return False
    return len(pairs) == len(set(pairs))


def make_vocab_ok(vocab: frozenset[str]) -> Callable[[str], bool]:
    """Every word must be a word of the training vocabulary: no invented words."""

    def vocab_ok(text: str) -> bool:
        return all(w in vocab for w in words(text))

    return vocab_ok


def clean_ok(text: str) -> bool:
    """No blocklisted or sensitive word."""
    ws = set(words(text))
    return not (ws & BLOCKLIST or ws & SENSITIVE)


def make_checks(vocab: frozenset[str], novel: Callable[[str], bool]) -> list[tuple[str, Callable]]:
    """All filters, cheapest first, each with a name for reports and tests."""
    return [
        ("length", length_ok),
        ("shape", shape_ok),
        ("sentences", sentences_ok),
        ("balanced", balanced_ok),
        ("blocklist", clean_ok),
        ("fragment", fragment_ok),
        ("repetition", repetition_ok),
        ("vocab", make_vocab_ok(vocab)),
        ("novelty", novel),
    ]


def first_failure(text: str, checks: list[tuple[str, Callable]]) -> str | None:
    """Name of the first filter the text fails, or None when it passes them all."""
    for name, check in checks:
        if not check(text):
            return name
    return None
