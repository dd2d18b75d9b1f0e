"""Font fallback for Pillow, which has none: split text into runs by each font's character map.

A chain lists faces in order of preference; each grapheme cluster (a letter with its marks, a
conjunct, an emoji sequence) goes to the first face that has glyphs for all of it (fontTools
reads the cmap), so Chinese in a Garamond quote comes out in WenQuanYi, Hindi in Noto Sans
Devanagari and Thai in Noto Sans Thai rather than as boxes. Emoji go to the emoji face first,
even where a text face has a plain glyph for the same character.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import ImageFont

from bot.compose.text import graphemes

FONTS_DIR = Path(__file__).resolve().parent.parent.parent / "fonts"


@dataclass(frozen=True)
class Face:
    """One font file (and face index, for collections), with optional OpenType features."""

    file: str
    index: int = 0
    features: tuple[str, ...] = ()
    scale: float = 1.0  # optical size match against the main face
    emoji: bool = False  # preferred for emoji clusters over text faces that also map them

    @property
    def path(self) -> Path:
        return FONTS_DIR / self.file


@lru_cache(maxsize=16)
def _cmap(face: Face) -> frozenset[int]:
    with TTFont(face.path, fontNumber=face.index, lazy=True) as font:
        return frozenset(font.getBestCmap())


@lru_cache(maxsize=256)
def _font(face: Face, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(face.path), max(1, round(size * face.scale)), index=face.index)


@dataclass(frozen=True)
class Run:
    face: Face
    text: str


@dataclass(frozen=True)
class FontChain:
    faces: tuple[Face, ...]
    _cmaps: tuple[frozenset[int], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_cmaps", tuple(_cmap(f) for f in self.faces))

    def face_for(self, cluster: str, current: int) -> int:
        """The face for one grapheme cluster (or character): the most preferred one that maps
        every code point in it, else the first that maps its base character."""
        if cluster.isspace():  # spaces stay with the run they are in, but the emoji face's
            return 0 if self.faces[current].emoji else current  # are 1.3 em wide
        cps = [ord(ch) for ch in cluster]
        order = range(len(self.faces))
        if _is_emoji(cps):
            order = sorted(order, key=lambda i: not self.faces[i].emoji)
        for i in order:
            if all(cp in self._cmaps[i] for cp in cps):
                return i
        for i in order:
            if cps[0] in self._cmaps[i]:
                return i
        return len(self.faces) - 1  # nobody has it: the last face draws its .notdef

    def runs(self, text: str) -> list[Run]:
        """Maximal runs of text that one face can draw, never splitting a grapheme cluster."""
        runs: list[Run] = []
        current, start, pos = 0, 0, 0
        for cluster in graphemes(text):
            face = self.face_for(cluster, current)
            if face != current and pos > start:
                runs.append(Run(self.faces[current], text[start:pos]))
                start = pos
            current = face
            pos += len(cluster)
        if start < len(text):
            runs.append(Run(self.faces[current], text[start:]))
        return runs

    def font(self, face: Face, size: int) -> ImageFont.FreeTypeFont:
        return _font(face, size)

    def measure(self, text: str, size: int) -> float:
        """Advance width of text at a pixel size, across fallback runs."""
        return sum(
            _font(r.face, size).getlength(r.text, features=list(r.face.features) or None)
            for r in self.runs(text)
        )


def _is_emoji(cps: list[int]) -> bool:
    """An emoji cluster: a pictograph from the emoji planes, or anything asking for emoji
    presentation (VS16) or making a keycap."""
    return any(0x1F000 <= cp <= 0x1FAFF or cp in (0xFE0F, 0x20E3) for cp in cps)


DEJAVU = Face("DejaVuSans.ttf", scale=0.88)  # DejaVu's x-height is larger than Garamond's
DEVANAGARI = Face("NotoSansDevanagari-Regular.ttf", scale=0.9)
THAI = Face("NotoSansThai-Regular.ttf", scale=0.9)
CJK = Face("wqy-microhei.ttc", scale=0.92)
EMOJI = Face(
    "NotoEmoji-Regular.ttf", scale=0.8, emoji=True
)  # monochrome: drawn in the text's colour
SCRIPTS = (DEJAVU, DEVANAGARI, THAI, CJK, EMOJI)
QUOTE_CHAIN = (Face("EBGaramond12-Italic.otf"), *SCRIPTS)
SIGNATURE_CHAIN = (Face("EBGaramond12-Regular.otf", features=("smcp",)), *SCRIPTS)
