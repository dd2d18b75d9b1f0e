"""The one render pipeline: a job (recipe + optional custom text) -> finished image and metadata.

`cppn-bot paint` / `replay` and the render queue all call this. Stages are timed: weights, render,
quote, compose, encode.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field, replace
from typing import Protocol

import numpy as np

from bot import __version__
from bot.art.code import VERSION, format_code
from bot.art.recipe import Recipe
from bot.art.render import Renderer
from bot.compose import Caption, Compositor
from bot.compose.encode import DISCORD_DEFAULT_LIMIT, encode
from bot.compose.text import clean_custom_text
from bot.errors import BotError

# The quote bundle each replay-code format version means, forever: the model_id of quotes/
# (quotes/manifest.json). A retrained model needs a new format version, and the old bundle kept.
QUOTE_MODELS = {"1": "2feda3ff"}


class GeneratedQuote(Protocol):
    text: str
    attribution: str
    engine: str


class QuoteSource(Protocol):
    """What the pipeline needs of a quote generator (bot.quotes.QuoteGenerator is one)."""

    model_id: str

    def generate(self, seed: int, attribution: str = "generated") -> GeneratedQuote: ...


def load_quotes(path=None) -> QuoteSource:
    """The shipped quote generator, checked against the model that replay codes name."""
    from bot.quotes import QuoteGenerator

    gen = QuoteGenerator.load(path)
    want = QUOTE_MODELS[VERSION]
    if gen.model_id != want:
        raise BotError(
            f"quotes/ holds quote model {gen.model_id}, but version {VERSION} replay codes mean "
            f"model {want}: restore quotes/ from git, or ship the new model with a new code version"
        )
    return gen


@dataclass(frozen=True)
class PaintJob:
    """Plain data: everything a worker anywhere needs to finish one picture."""

    recipe: Recipe
    custom_quote: str | None = None  # travels beside the replay code, never inside it
    byte_limit: int = DISCORD_DEFAULT_LIMIT

    def __post_init__(self) -> None:
        if self.custom_quote is not None:
            object.__setattr__(self, "custom_quote", clean_custom_text(self.custom_quote))
            # The code cannot carry the text, so it says "no generated quote" (and no variant).
            plain = replace(self.recipe, quote="none", signature=False, quote_variant=0)
            object.__setattr__(self, "recipe", plain)

    @property
    def code(self) -> str:
        return format_code(self.recipe)


@dataclass(frozen=True)
class Finished:
    data: bytes
    mime: str
    width: int
    height: int
    code: str
    quote: str | None
    attribution: str | None
    quote_engine: str | None  # "neural" | "markov" | "custom" | None
    note: str  # what the encoder did to fit the byte limit, if anything
    placement: str | None
    timings: dict[str, float] = field(default_factory=dict)


class Pipeline:
    """Renderer, compositor and quote source come in through the constructor."""

    def __init__(self, renderer: Renderer, compositor: Compositor,
                 quotes: QuoteSource | None) -> None:  # fmt: skip
        self.renderer, self.compositor, self.quotes = renderer, compositor, quotes

    def run(self, job: PaintJob, progress=None) -> Finished:
        timings: dict[str, float] = {}
        art = self.renderer.render_batch([job.recipe], progress, timings)[0]
        return self.finish(job, art, timings)

    def finish(self, job: PaintJob, art: np.ndarray, timings: dict[str, float]) -> Finished:
        """Quote, compose and encode an already rendered painting (the CPU-side stages)."""
        timings = dict(timings)
        t = time.perf_counter()
        caption, engine = self._caption(job)
        timings["quote"] = time.perf_counter() - t
        t = time.perf_counter()
        img, plan = self.compositor.compose(art, caption, job.recipe.placement)
        timings["compose"] = time.perf_counter() - t
        t = time.perf_counter()
        out = encode(img, self._metadata(job, caption, engine), job.byte_limit)
        timings["encode"] = time.perf_counter() - t
        return Finished(
            out.data, out.mime, out.width, out.height, job.code,
            caption.text if caption else None, caption.attribution if caption else None,
            engine, out.note, plan.layout.placement if plan else None, timings,
        )  # fmt: skip

    def _caption(self, job: PaintJob) -> tuple[Caption | None, str | None]:
        if job.custom_quote is not None:
            return Caption(job.custom_quote), "custom"
        if job.recipe.quote == "none":
            return None, None
        if self.quotes is None:
            raise BotError("this pipeline has no quote generator; paint with no quote")
        style = "signature" if job.recipe.signature else "generated"
        q = self.quotes.generate(job.recipe.quote_seed(), attribution=style)
        return Caption(q.text, q.attribution.lstrip("—–- ").strip() or None), q.engine

    def _metadata(self, job: PaintJob, caption: Caption | None, engine: str | None) -> dict:
        meta = {
            "replay-code": job.code,
            "Software": f"cppn-bot {__version__}",
            "parameters": json.dumps(asdict(job.recipe), separators=(",", ":")),
        }
        if caption:
            meta["quote"] = caption.text
            meta["quote-engine"] = engine or ""
            if caption.attribution:
                meta["attribution"] = caption.attribution
        if self.quotes is not None and engine in ("neural", "markov"):
            meta["quote-model"] = self.quotes.model_id
        return meta
