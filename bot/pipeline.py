"""The one render pipeline: a job (recipe + optional custom text) -> finished image and metadata.

`cppn-bot paint` / `replay` and the render queue all call this. Stages are timed: weights, render,
quote, compose, encode.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import KW_ONLY, asdict, dataclass, field, fields, replace
from typing import Protocol

import numpy as np

from bot import __version__
from bot.art.code import format_code, parse_code
from bot.art.recipe import Recipe
from bot.art.render import Renderer
from bot.compose import Caption, Compositor
from bot.compose.encode import DISCORD_DEFAULT_LIMIT, encode
from bot.compose.text import clean_custom_text
from bot.cpus import CpuBudget
from bot.errors import BotError
from bot.forms import Form, grid_tile
from bot.quotes.voices import DEFAULT_VOICE

log = logging.getLogger(__name__)


class GeneratedQuote(Protocol):
    text: str
    attribution: str
    engine: str


class QuoteSource(Protocol):
    """What the pipeline needs of a quote source (bot.quotes.engines.Quotes is one)."""

    model_ids: dict[int, str]  # quote engine -> the model id of its bundle

    def generate(
        self,
        seed: int,
        attribution: str = "generated",
        engine: int = 2,
        voice_name: str = DEFAULT_VOICE,
    ) -> GeneratedQuote: ...


@dataclass(frozen=True)
class PaintSpec:
    """Plain data: everything a worker anywhere needs to finish one picture."""

    recipe: Recipe
    _: KW_ONLY
    custom_quote: str | None = None  # travels beside the replay code, never inside it
    byte_limit: int = DISCORD_DEFAULT_LIMIT
    form: Form = field(default_factory=Form)  # a still, an animated loop, or a Vary's grid

    def __post_init__(self) -> None:
        self.form.check(self.recipe, self.byte_limit)
        if self.custom_quote is not None:
            object.__setattr__(self, "custom_quote", clean_custom_text(self.custom_quote))
            # The code cannot carry the text, so it says "no generated quote" (nor variant, voice).
            plain = replace(
                self.recipe, quote="none", signature=False, quote_variant=0, voice=DEFAULT_VOICE
            )
            object.__setattr__(self, "recipe", plain)

    @property
    def code(self) -> str:
        return format_code(self.recipe)

    def cost(self) -> int:
        """What the job counts in the queue's work budget (frames and tiles included)."""
        return self.form.cost(self.recipe)


@dataclass(frozen=True, kw_only=True)
class Picture:
    """A finished painting: the encoded file, what it shows and how it was made."""

    data: bytes
    mime: str
    width: int
    height: int
    recipe: Recipe  # what was painted (replay code: .code)
    quote: str | None
    attribution: str | None
    quote_engine: str | None  # what wrote the quote: the generator's word for it, "custom", None
    note: str  # what the encoder did to fit the byte limit, if anything
    placement: str | None
    timings: dict[str, float] = field(default_factory=dict)
    form: str = ""  # Form.text: "" a still, "loop:…" an animation, "grid:…" a Vary's tiles
    tiles: tuple[str, ...] = ()  # a grid's tiles' replay codes, 1-4

    @property
    def code(self) -> str:
        return format_code(self.recipe)

    def to_dict(self) -> dict:
        """Plain data (the recipe as its code, which determines it exactly)."""
        d = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "recipe"}
        return {**d, "code": self.code}

    @classmethod
    def from_dict(cls, d: dict) -> Picture:
        rest = {k: v for k, v in d.items() if k != "code"}
        rest["tiles"] = tuple(rest.get("tiles", ()))
        return cls(**rest, recipe=parse_code(d["code"]))


class Pipeline:
    """Renderer, compositor and quote source come in through the constructor."""

    def __init__(self, renderer: Renderer, compositor: Compositor,
                 quotes: QuoteSource | None, budget: CpuBudget | None = None) -> None:  # fmt: skip
        self.renderer, self.compositor, self.quotes = renderer, compositor, quotes
        # One budget of busy threads for the process: the renderer's, whose tiles hold its
        # slots too, so finishing jobs beside a render never run more threads than cores.
        self.budget = budget or getattr(renderer, "budget", None) or CpuBudget.detect()

    @classmethod
    def create(cls, device: str = "auto", quotes: QuoteSource | None = None) -> Pipeline:
        """The pipeline every entry point uses: the renderer on `device`, the compositor, and
        `quotes` (bot.quotes.engines.load_quotes(), or None for pictures without a generated
        quote)."""
        return cls(Renderer.create(device), Compositor(), quotes)

    def run(self, spec: PaintSpec, progress=None) -> Picture:
        """The job's picture, of any form. `progress(done, total)`: rows of a still or a grid,
        frames of a loop."""
        if spec.form.kind == "loop":
            from bot.motion.animate import animate_job  # motion builds on this module

            return animate_job(spec, self, progress)
        if spec.form.kind == "grid":
            return self._grid(spec, progress)
        timings: dict[str, float] = {}
        art = self.renderer.render_batch([spec.recipe], progress, timings)[0]
        return self.finish(spec, art, timings)

    def _grid(self, spec: PaintSpec, progress) -> Picture:
        """A Vary: the four variations in one batched pass, as a numbered 2x2 grid (no quote:
        each tile's own picture, quote included, is a button away)."""
        from bot.compose.grid import grid

        r, strength = spec.recipe, spec.form.strength
        tiles = [grid_tile(r, i, strength) for i in range(4)]
        timings: dict[str, float] = {}
        arts = self.renderer.render_batch(tiles, progress, timings)
        with self.budget.slot():
            t = time.perf_counter()
            img = grid(arts, r.w, r.h)
            timings["compose"] = time.perf_counter() - t
            t = time.perf_counter()
            codes = tuple(format_code(x.with_size(r.w, r.h)) for x in tiles)
            meta = {**self._metadata(spec, None, None), "tiles": " ".join(codes)}
            out = encode(img, meta, spec.byte_limit)
            timings["encode"] = time.perf_counter() - t
        return Picture(
            data=out.data, mime=out.mime, width=out.width, height=out.height, recipe=r,
            quote=None, attribution=None, quote_engine=None, note=out.note, placement=None,
            timings=timings, form=spec.form.text, tiles=codes,
        )  # fmt: skip

    def finish(self, spec: PaintSpec, art: np.ndarray, timings: dict[str, float]) -> Picture:
        """Quote, compose and encode an already rendered painting (the CPU-side stages), holding
        one slot of the CPU budget (the quote model's torch kernels and Pillow's run on this one
        thread)."""
        with self.budget.slot():
            return self._finish(spec, art, dict(timings))

    def _finish(self, spec: PaintSpec, art: np.ndarray, timings: dict[str, float]) -> Picture:
        t = time.perf_counter()
        caption, engine = self.caption(spec)
        timings["quote"] = time.perf_counter() - t
        t = time.perf_counter()
        img, plan = self.compositor.compose(art, caption, spec.recipe.placement)
        timings["compose"] = time.perf_counter() - t
        t = time.perf_counter()
        out = encode(img, self._metadata(spec, caption, engine), spec.byte_limit)
        timings["encode"] = time.perf_counter() - t
        return Picture(
            data=out.data,
            mime=out.mime,
            width=out.width,
            height=out.height,
            recipe=spec.recipe,
            quote=caption.text if caption else None,
            attribution=caption.attribution if caption else None,
            quote_engine=engine,
            note=out.note,
            placement=plan.layout.placement if plan else None,
            timings=timings,
        )

    def caption(self, spec: PaintSpec) -> tuple[Caption | None, str | None]:
        """The quote a picture of this spec carries and what wrote it (None: no quote); the
        still and its animation get the same one."""
        if spec.custom_quote is not None:
            return Caption(spec.custom_quote), "custom"
        if spec.recipe.quote == "none":
            return None, None
        if self.quotes is None:
            raise BotError("this pipeline has no quote generator; paint with no quote")
        r = spec.recipe
        style = "signature" if r.signature else "generated"
        q = self.quotes.generate(
            r.quote_seed(), attribution=style, engine=r.quote_engine, voice_name=r.voice
        )
        return Caption(q.text, q.attribution.lstrip("—–- ").strip() or None), q.engine

    def _metadata(self, spec: PaintSpec, caption: Caption | None, engine: str | None) -> dict:
        meta = {
            "replay-code": spec.code,
            "Software": f"cppn-bot {__version__}",
            "parameters": json.dumps(asdict(spec.recipe), separators=(",", ":")),
        }
        if caption:
            meta["quote"] = caption.text
            meta["quote-engine"] = engine or ""
            if caption.attribution:
                meta["attribution"] = caption.attribution
        if self.quotes is not None and caption and engine != "custom":
            meta["quote-model"] = self.quotes.model_ids[spec.recipe.quote_engine]
        return meta
