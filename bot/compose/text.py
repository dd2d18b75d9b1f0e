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


def balanced_lines(ws: list[Word], measure: Callable[[str], float], max_width: float) -> list[str]:
    """Break into lines of similar length that fit max_width (a word wider than it gets a line
    of its own); a last line of one word costs extra, so it happens only when unavoidable.

    Minimises the summed squared slack of every line, the last included: the fewest lines that
    fit, with the words spread evenly over them. Widths add up word by word (kerning across a
    space is negligible), so each word is measured once.
    """
    n = len(ws)
    if n == 0:
        return []
    space = measure(" ")
    word_w = [measure(w.text) for w in ws]
    best: list[float] = [0.0] + [float("inf")] * n  # best[j]: cost of laying out ws[:j]
    cut = [0] * (n + 1)
    for j in range(1, n + 1):
        width = 0.0
        for i in range(j - 1, -1, -1):
            width += word_w[i] + (space if i < j - 1 and ws[i + 1].space_before else 0.0)
            if width > max_width and i < j - 1:
                break
            cost = best[i] + (max_width - min(width, max_width)) ** 2
            if j == n and j - i == 1 and n > 1:
                cost += (max_width * 0.6) ** 2  # an orphan on the last line
            if cost < best[j]:
                best[j], cut[j] = cost, i
    lines, j = [], n
    while j > 0:
        lines.append(join(ws[cut[j] : j]))
        j = cut[j]
    return lines[::-1]
