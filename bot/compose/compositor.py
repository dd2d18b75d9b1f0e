"""The compositor: a painting plus a quote -> the finished picture, readable on any background."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from bot.compose import contrast
from bot.compose.draw import scrim_into, text_into, text_mask
from bot.compose.fonts import QUOTE_CHAIN, SIGNATURE_CHAIN, Face, FontChain
from bot.compose.layout import PLACEMENTS, Layout, fit_block, place
from bot.compose.text import typographic
from bot.errors import UserError

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Caption:
    """What to typeset: the quote and, optionally, who said it."""

    text: str
    attribution: str | None = None


@dataclass(frozen=True)
class Plan:
    """Every decision about the text, before any ink: enough to check contrast and clipping."""

    layout: Layout
    text: RGB
    scrim: RGB
    alpha: float
    stroke: int


class Compositor:
    """Typesets captions over paintings; the font chains come in through the constructor."""

    def __init__(self, quote_faces: tuple[Face, ...] = QUOTE_CHAIN,
                 signature_faces: tuple[Face, ...] = SIGNATURE_CHAIN) -> None:  # fmt: skip
        self.quote_chain = FontChain(quote_faces)
        self.signature_chain = FontChain(signature_faces)
        self._by_face = {f: self.quote_chain for f in quote_faces}
        self._by_face.update({f: self.signature_chain for f in signature_faces})

    def chain_for(self, face: Face) -> FontChain:
        return self._by_face[face]

    def plan(self, art: Image.Image, caption: Caption, placement: str = "auto") -> Plan:
        if placement not in PLACEMENTS:
            raise UserError(f"placement {placement!r} is not one of {', '.join(PLACEMENTS)}")
        w, h = art.size
        margin = max(4, round(0.055 * min(w, h)))
        cap = max(8, round(0.075 * min(w, h)))  # short quotes must not shout
        stroke = max(1, round(cap / 40))
        quote = _quoted(typographic(caption.text))
        who = (caption.attribution or "").lstrip("—–- ").strip()
        signed = f"— {typographic(who)}" if who else None
        block = fit_block(quote, signed, self.quote_chain, self.signature_chain,
                          w - 2 * (margin + stroke), 0.42 * h, cap,
                          h - 2 * (margin + stroke))  # fmt: skip
        stroke = max(1, round(block.lines[0][1] / 40))
        layout = place(block, art, placement, margin, stroke)
        x0, y0, x1, y1 = layout.box
        under = np.asarray(art, dtype=np.uint8)[y0:y1, x0:x1].reshape(-1, 3)
        text, scrim, alpha = contrast.choose_colours(under)
        return Plan(layout, text, scrim, alpha, stroke)

    def compose(self, art: np.ndarray | Image.Image, caption: Caption | None,
                placement: str = "auto") -> tuple[Image.Image, Plan | None]:  # fmt: skip
        """The finished picture (and the plan, for the record); no caption leaves the art bare."""
        if caption is None:
            return (art if isinstance(art, Image.Image) else Image.fromarray(art, "RGB")), None
        # A picture of our own to draw on (fromarray copies: Pillow keeps RGB as 4 bytes a pixel).
        img = art.copy() if isinstance(art, Image.Image) else Image.fromarray(art, "RGB")
        p = self.plan(img, caption, placement)
        scrim_into(img, p.layout, p.scrim, p.alpha)
        text_into(img, p.layout, self.chain_for, p.text, p.scrim, p.stroke)
        return img, p

    def ink(self, size: tuple[int, int], plan: Plan, origin: tuple[int, int]) -> Image.Image:
        """The text's ink alone, on a canvas of `size` with the picture at `origin` (for tests
        that look for clipping)."""
        return text_mask(size, plan.layout, self.chain_for, plan.stroke, origin)


def _quoted(text: str) -> str:
    """Wrap in curly quotes unless the text already opens with a quotation mark."""
    return text if text[:1] in "“‘«「『\"'" else f"“{text}”"
