"""Tokenising, normalising and re-assembling quote text (shared by training and run time)."""

from __future__ import annotations

import re

# Typographic apostrophes are folded to ASCII for matching; display keeps the typographic form.
APOS = "\u2019"
_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})

# A word keeps inner apostrophes (man's, don't); hyphens and dashes are separate tokens so the
# vocabulary stays small and "self-control" reuses "self" and "control".
_TOKEN_RE = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)*|[.,;:!?\-\u2014()\"]")
_WORD_RE = re.compile(r"[a-z]+(?:'[a-z]+)*")

PUNCT = frozenset('.,;:!?-\u2014()"')
# Tokens glued to the previous token (no space before) ...
_NO_SPACE_BEFORE = frozenset(".,;:!?-\u2014)")
# ... and tokens glued to the next one (no space after).
_NO_SPACE_AFTER = frozenset("-\u2014(")


def fold(text: str) -> str:
    """Fold typographic quotes to ASCII so matching does not depend on the typography."""
    return text.translate(_FOLD)


def raw_tokens(text: str) -> list[str]:
    """Word and punctuation tokens with their original case (for learning display casing)."""
    return _TOKEN_RE.findall(fold(text))


def tokenize(text: str) -> list[str]:
    """Split text into word and punctuation tokens, words lower-cased."""
    return [t.lower() for t in _TOKEN_RE.findall(fold(text))]


def words(text: str) -> list[str]:
    """The words of a text, lower-cased and folded: what the vocab and novelty checks see."""
    return _WORD_RE.findall(fold(text).lower())


def detokenize(tokens: list[str], casing: dict[str, str]) -> str:
    """Join tokens into display text: spacing rules, sentence capitals, proper-noun casing."""
    out: list[str] = []
    capital_next = True
    glue = True
    for tok in tokens:
        shown = casing.get(tok, tok)
        if capital_next and tok not in PUNCT:
            shown = shown[:1].upper() + shown[1:]
            capital_next = False
        if tok in ".!?":
            capital_next = True
        if out and not glue and tok not in _NO_SPACE_BEFORE:
            out.append(" ")
        out.append(shown.replace("'", APOS))
        glue = tok in _NO_SPACE_AFTER
    return "".join(out)
