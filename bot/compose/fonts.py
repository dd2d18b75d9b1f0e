"""Font fallback for Pillow, which has none: split text into runs by each font's character map.

A chain lists faces in order of preference; each character goes to the first face that has a
glyph for it (fontTools reads the cmap), so Chinese in a Garamond quote comes out in WenQuanYi
rather than as boxes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import ImageFont

FONTS_DIR = Path(__file__).resolve().parent.parent.parent / "fonts"


@dataclass(frozen=True)
class Face:
    """One font file (and face index, for collections), with optional OpenType features."""

    file: str
    index: int = 0
    features: tuple[str, ...] = ()
    scale: float = 1.0  # optical size match against the main face

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

    def face_for(self, ch: str, current: int) -> int:
        if ch.isspace():
            return current  # spaces stay with the run they are in
        for i, cmap in enumerate(self._cmaps):  # the most preferred face that has the glyph
            if ord(ch) in cmap:
                return i
        return len(self.faces) - 1  # nobody has it: the last face draws its .notdef

    def runs(self, text: str) -> list[Run]:
        """Maximal runs of text that one face can draw."""
        runs: list[Run] = []
        current, start = 0, 0
        for pos, ch in enumerate(text):
            face = self.face_for(ch, current)
            if face != current and pos > start:
                runs.append(Run(self.faces[current], text[start:pos]))
                start = pos
            current = face
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


DEJAVU = Face("DejaVuSans.ttf", scale=0.88)  # DejaVu's x-height is larger than Garamond's
CJK = Face("wqy-microhei.ttc", scale=0.92)
QUOTE_CHAIN = (Face("EBGaramond12-Italic.otf"), DEJAVU, CJK)
SIGNATURE_CHAIN = (Face("EBGaramond12-Regular.otf", features=("smcp",)), DEJAVU, CJK)
