"""Text before it meets the picture: custom-text hygiene, typography, balanced line breaks."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from bot.errors import UserError

MAX_CUSTOM = 280
# Scripts written without spaces: a line may break between any two of their characters.
_NO_SPACE = (
    "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
)
_TOKEN = re.compile(rf"\s+|[{_NO_SPACE}][、。，．！？：；）」』】〕》〉”’]*|[^\s{_NO_SPACE}]+")
_KEEP_FORMAT = {"\u200d", "\u200c"}  # joiners shape emoji and Indic scripts; other Cf go


def clean_custom_text(text: str) -> str:
    """User text made safe to typeset: NFC, no control characters, single spaces, <= 280 chars."""
    text = unicodedata.normalize("NFC", text)
    kept = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch.isspace():
            kept.append(" ")
        elif cat in ("Cc", "Cs", "Co", "Cn") or (cat == "Cf" and ch not in _KEEP_FORMAT):
            continue
        else:
            kept.append(ch)
    cleaned = " ".join("".join(kept).split())
    if not cleaned:
        raise UserError("the quote text is empty once control characters and spaces are removed")
    if len(cleaned) > MAX_CUSTOM:
        n = len(cleaned)
        raise UserError(f"a custom quote is at most {MAX_CUSTOM} characters; this is {n}")
    return cleaned


def typographic(text: str) -> str:
    """Curly quotes and apostrophes, en and em dashes, an ellipsis character."""
    text = text.replace("...", "…").replace("--", "—").replace(" - ", " – ")
    text = re.sub(r'(^|[\s(\[{—–])"', "\\1“", text)
    text = text.replace('"', "”")
    text = re.sub(r"(^|[\s(\[{—–])'", "\\1‘", text)
    return text.replace("'", "’")


@dataclass(frozen=True)
class Word:
    text: str
    space_before: bool
    inside: bool = False  # a piece of a word too wide for any line: a break before it splits it


_ZWJ, _ZWNJ = "\u200d", "\u200c"
# Thai and Lao vowels written before the consonant they follow in speech (never end a line), and
# vowels and repetition signs that close a syllable (never start one): a dictionary-free stand-in
# for word breaking in scripts written without spaces.
_LEADING_VOWELS = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44\u0ec0\u0ec1\u0ec2\u0ec3\u0ec4")
_CLOSING = frozenset("\u0e2f\u0e30\u0e32\u0e45\u0e46\u0eaf\u0eb0\u0eb2\u0ec6")
# After these, a break inside a long token reads as a natural seam (paths, URLs, compounds).
_SOFT_AFTER = frozenset("/\\-‐–—_.,;:?!&=#+~|")


def _extends(ch: str) -> bool:
    """Never a grapheme break before ch: marks (UAX #29 Extend and SpacingMark), joiners, emoji
    skin tones and tags."""
    cp = ord(ch)
    return (
        unicodedata.category(ch) in ("Mn", "Mc", "Me")
        or ch in (_ZWJ, _ZWNJ)
        or ch in "\u0e33\u0eb3"  # Thai and Lao SARA AM: letters by category, marks by UAX #29
        or 0x1F3FB <= cp <= 0x1F3FF
        or 0xE0020 <= cp <= 0xE007F
    )


def _regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def _hangul(ch: str) -> str:
    """Hangul syllable type for UAX #29's rules GB6-GB8: L, V, T, LV, LVT or ''."""
    cp = ord(ch)
    if 0x1100 <= cp <= 0x115F or 0xA960 <= cp <= 0xA97C:
        return "L"
    if 0x1160 <= cp <= 0x11A7 or 0xD7B0 <= cp <= 0xD7C6:
        return "V"
    if 0x11A8 <= cp <= 0x11FF or 0xD7CB <= cp <= 0xD7FB:
        return "T"
    if 0xAC00 <= cp <= 0xD7A3:
        return "LV" if (cp - 0xAC00) % 28 == 0 else "LVT"
    return ""


def _joins(cluster: str, ch: str) -> bool:
    """Whether ch continues the grapheme cluster so far."""
    prev = cluster[-1]
    if _extends(ch) or prev == _ZWJ:  # marks; emoji ZWJ sequences and Indic half forms
        return True
    if unicodedata.combining(prev) == 9 and unicodedata.category(ch) == "Lo":
        return True  # a virama (Indic, Khmer coeng, Myanmar) joins the next consonant: a conjunct
    if _regional(prev) and _regional(ch):  # flags: regional indicators in pairs
        return sum(map(_regional, cluster)) % 2 == 1
    h0, h1 = _hangul(prev), _hangul(ch)
    return (
        (h0 == "L" and h1 in ("L", "V", "LV", "LVT"))
        or (h0 in ("LV", "V") and h1 in ("V", "T"))
        or (h0 in ("LVT", "T") and h1 == "T")
    )


def graphemes(text: str) -> list[str]:
    """User-perceived characters, after UAX #29's extended grapheme clusters (a base with its
    marks, emoji sequences, flags, Hangul syllables) and its Indic conjunct rule; no break ever
    falls inside one."""
    out: list[str] = []
    for ch in text:
        if out and _joins(out[-1], ch):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _units(text: str) -> list[str]:
    """Graphemes, with Thai and Lao leading vowels kept on the next one and closing vowels on the
    one before: the smallest pieces a word too wide for a line is cut into."""
    out: list[str] = []
    glue = False
    for g in graphemes(text):
        if out and (glue or g[0] in _CLOSING):
            out[-1] += g
        else:
            out.append(g)
        glue = g[-1] in _LEADING_VOWELS
    return out


def split_word(word: Word) -> list[Word]:
    """A word cut into pieces that a line may break between (each break marked `inside`)."""
    return [Word(u, word.space_before and i == 0, i > 0) for i, u in enumerate(_units(word.text))]


def words(text: str) -> list[Word]:
    """Break opportunities: words of spaced scripts, single characters of CJK (with closing
    punctuation kept on the character before it)."""
    out: list[Word] = []
    space = False
    for token in _TOKEN.findall(text):
        if token.isspace():
            space = True
            continue
        out.append(Word(token, space and bool(out)))
        space = False
    return out


def join(ws: list[Word]) -> str:
    return "".join((" " if w.space_before and i else "") + w.text for i, w in enumerate(ws))


def balanced_lines(ws: list[Word], measure: Callable[[str], float], max_width: float,
                   split: bool = False) -> list[str]:  # fmt: skip
    """Break into lines of similar length that fit max_width (a word wider than it gets a line
    of its own, or with `split`, is cut between graphemes); a last line of one word costs extra,
    so it happens only when unavoidable.

    Minimises the summed squared slack of every line, the last included: the fewest lines that
    fit, with the words spread evenly over them. Widths add up word by word (kerning across a
    space is negligible), so each word is measured once. A break inside a cut word costs as
    much as a half-empty line (almost nothing after a slash, hyphen or dot), so the seams fall
    where they read best and never more often than needed.
    """
    widths: dict[str, float] = {}

    def width_of(text: str) -> float:
        if text not in widths:
            widths[text] = measure(text)
        return widths[text]

    if split:
        ws = [p for w in ws for p in (split_word(w) if width_of(w.text) > max_width else [w])]
    n = len(ws)
    if n == 0:
        return []
    space = width_of(" ")
    word_w = [width_of(w.text) for w in ws]
    seam = [0.0] * (n + 1)  # seam[j]: the cost of a line break before ws[j]
    for j in range(1, n):
        if ws[j].inside:
            soft = ws[j - 1].text[-1] in _SOFT_AFTER
            seam[j] = (max_width * (0.05 if soft else 0.5)) ** 2
    best: list[float] = [0.0] + [float("inf")] * n  # best[j]: cost of laying out ws[:j]
    cut = [0] * (n + 1)
    for j in range(1, n + 1):
        width = 0.0
        for i in range(j - 1, -1, -1):
            width += word_w[i] + (space if i < j - 1 and ws[i + 1].space_before else 0.0)
            if width > max_width and i < j - 1:
                break
            cost = best[i] + (max_width - min(width, max_width)) ** 2 + seam[j]
            if j == n and j - i == 1 and n > 1:
                cost += (max_width * 0.6) ** 2  # an orphan on the last line
            if cost < best[j]:
                best[j], cut[j] = cost, i
    lines, j = [], n
    while j > 0:
        lines.append(join(ws[cut[j] : j]))
        j = cut[j]
    return lines[::-1]
