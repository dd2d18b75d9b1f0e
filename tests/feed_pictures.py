"""Pictures for the feed tests: real image bytes made with Pillow (no render), as Pictures."""

from __future__ import annotations

import asyncio
import io

import numpy as np
from PIL import Image
from test_discord_daily import InstantBackend

from bot.art.recipe import Recipe
from bot.jobs.model import JobResult
from bot.pipeline import Picture


def png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def gradient(w: int = 96, h: int = 64, colour: tuple[int, int, int] = (40, 80, 210)) -> Image.Image:
    """A soft gradient of one colour, darker to the right."""
    ramp = np.linspace(1.0, 0.8, w)[None, :, None] * np.array(colour)[None, None, :]
    return Image.fromarray(np.broadcast_to(ramp, (h, w, 3)).astype(np.uint8))


def noise(w: int, h: int, seed: int = 0) -> Image.Image:
    """Random pixels: what compresses worst, so a large PNG."""
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8))


def picture(
    img: Image.Image | None = None,
    *,
    recipe: Recipe | None = None,
    quote: str | None = "Patience is a garden that the hurried never see.",
    attribution: str | None = "Leueus of Abdera",
    placement: str = "bottom",
) -> Picture:
    img = img if img is not None else gradient()
    recipe = recipe or Recipe(seed=42, w=img.width, h=img.height)
    return Picture(
        data=png(img), mime="image/png", width=img.width, height=img.height, recipe=recipe,
        quote=quote, attribution=attribution, quote_engine="aphorism", note="",
        placement=placement,
    )  # fmt: skip


class PaintingBackend(InstantBackend):
    """The Discord tests' instant backend, finishing each job with a small real picture of its
    recipe (a gradient whose colour comes from the seed), so alt text and re-encoding have
    pixels."""

    async def enqueue(self, req) -> None:
        self.requests.append(req)
        r = req.spec.recipe
        colour = ((r.seed * 37) % 256, (r.seed * 91) % 256, (r.seed * 53) % 256)
        p = picture(gradient(128, 72, colour), recipe=r)
        done = JobResult(picture=p, device="fake", versions={"bot": "test"}, batch=1, wait_s=0.0)
        asyncio.get_running_loop().call_soon(self.deliver, req.id, done)

    async def alive(self) -> bool:
        return True
