"""An animated loop of a code: frames rendered in batches, the quote typeset once, the file
streamed to the encoder and fitted under a byte limit (a lower bitrate or quality, then a
smaller size, until it fits)."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass, field, replace
from pathlib import Path

import numpy as np
from PIL import Image

from bot.art.recipe import MIN_SIDE, Recipe
from bot.compose import Caption, Compositor, contrast
from bot.compose.draw import scrim_into, text_into
from bot.compose.encode import DISCORD_DEFAULT_LIMIT
from bot.errors import UserError
from bot.forms import Form
from bot.motion.loop import Loop
from bot.motion.morph import Morph
from bot.motion.video import FORMATS, MIME, Writer, gif_palette
from bot.pipeline import PaintSpec, Picture, Pipeline

SAMPLES = 4  # frames the quote's layout and contrast are chosen from, evenly spread
SHRINK = 0.75  # each size fallback's scale
TRIES = 8
MIN_BITS_PER_PIXEL = 0.05  # an MP4 below this per pixel and frame is smaller rather than blurrier
HEADROOM = 0.85  # of the byte limit, for the rate cap (the container, the first key frame)


@dataclass(frozen=True)
class AnimateSpec:
    recipe: Recipe  # the code's recipe at the animation's size
    _: KW_ONLY
    seconds: float = 4.0
    fps: int = 24
    custom_quote: str | None = None
    byte_limit: int = DISCORD_DEFAULT_LIMIT

    def __post_init__(self) -> None:
        Form.loop(self.seconds, self.fps).check(self.recipe, self.byte_limit)  # the bounds

    @classmethod
    def of(cls, job: PaintSpec) -> AnimateSpec:
        """The animation a loop job asks for."""
        f = job.form
        return cls(job.recipe, seconds=f.seconds, fps=f.fps, custom_quote=job.custom_quote,
                   byte_limit=job.byte_limit)  # fmt: skip

    @property
    def frames(self) -> int:
        return Form.loop(self.seconds, self.fps).frames


@dataclass(frozen=True)
class Animation:
    """What was written: the file, its shape, and what was done to fit the limit."""

    path: Path
    mime: str
    width: int
    height: int
    frames: int
    fps: int
    size_bytes: int
    recipe: Recipe
    quote: str | None
    note: str
    timings: dict[str, float] = field(default_factory=dict)


def output_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UserError(f"cannot write {path}: end it in .mp4, .gif or .webp")
    if not path.parent.is_dir():
        raise UserError(f"cannot write {path}: {path.parent} is not a folder")
    return fmt


def even_size(w: int, h: int) -> tuple[int, int]:
    """yuv420p (MP4, WebP) halves the chroma: sides must be even."""
    return max(MIN_SIDE, w - w % 2), max(MIN_SIDE, h - h % 2)


class Overlay:
    """The quote's scrim and ink, drawn once as a straight-alpha RGBA layer and blended into
    every frame. Layout from frame 0; colours and the scrim's opacity from the pixels under the
    text in every sample frame, so the contrast holds across the loop."""

    def __init__(
        self, compositor: Compositor, samples: list[np.ndarray], caption: Caption, placement: str
    ) -> None:
        h, w = samples[0].shape[:2]
        plan = compositor.plan(Image.fromarray(samples[0], "RGB"), caption, placement)
        x0, y0, x1, y1 = plan.layout.box
        under = np.concatenate([s[y0:y1, x0:x1].reshape(-1, 3) for s in samples])
        text, scrim, alpha = contrast.choose_colours(under)
        self.plan = replace(plan, text=text, scrim=scrim, alpha=alpha)
        # The layer over black and over white: the difference is its opacity, the rest its ink.
        over = []
        for bg in (0, 255):
            img = Image.new("RGB", (w, h), (bg, bg, bg))
            scrim_into(img, self.plan.layout, scrim, alpha)
            text_into(img, self.plan.layout, compositor.chain_for, text, scrim, self.plan.stroke)
            over.append(np.asarray(img, dtype=np.float32))
        a = np.clip(1 - (over[1] - over[0]).mean(axis=2, keepdims=True) / 255, 0, 1)
        rows = np.flatnonzero(a.reshape(h, w).max(axis=1) > 0)
        self.r0, self.r1 = (int(rows[0]), int(rows[-1]) + 1) if len(rows) else (0, 0)
        self.alpha = a[self.r0 : self.r1]
        self.ink = over[0][self.r0 : self.r1]  # already multiplied by its opacity

    def apply(self, frame: np.ndarray) -> np.ndarray:
        out = frame.copy()
        band = out[self.r0 : self.r1].astype(np.float32)
        out[self.r0 : self.r1] = np.rint(band * (1 - self.alpha) + self.ink).clip(0, 255)
        return out


def animate(
    spec: AnimateSpec,
    path: Path,
    pipeline: Pipeline,
    progress: Callable[[int, int], None] | None = None,
    frames_of: Callable[[Recipe, int], Loop | Morph] = Loop.of,
) -> Animation:
    """Render, compose and encode the loop into `path` (.mp4, .gif or .webp) with the
    pipeline's renderer, compositor and quote source (the same quote a still of the code gets).
    `frames_of(recipe at the size tried, frames)`: what moves (default the loop of z; a Morph)."""
    fmt = output_format(path)
    t0 = time.perf_counter()
    paint = PaintSpec(spec.recipe, custom_quote=spec.custom_quote)
    caption, _ = pipeline.caption(paint)
    recipe = paint.recipe
    timings = {"quote": time.perf_counter() - t0, "render": 0.0, "compose": 0.0, "encode": 0.0}
    w, h = recipe.w, recipe.h
    notes: list[str] = []
    if fmt != "gif" and (w % 2 or h % 2):
        w, h = even_size(w, h)
        notes.append(f"size made even for yuv420p: {w}x{h}")
    max_kbps, quality = None, 80
    for attempt in range(TRIES):
        loop = frames_of(recipe.with_size(w, h), spec.frames)
        size = _encode(
            loop, spec, fmt, path, pipeline, caption, timings, max_kbps, quality, progress
        )
        if size <= spec.byte_limit or attempt == TRIES - 1:
            break
        if fmt == "mp4" and max_kbps is None:
            max_kbps = max(16, int(spec.byte_limit * 8 * HEADROOM / spec.seconds / 1000))
            notes.append(f"{size:,} bytes at {w}x{h}: bitrate capped at {max_kbps} kb/s")
        elif fmt == "mp4" and max_kbps * 1000 / (w * h * spec.fps) >= MIN_BITS_PER_PIXEL:
            # x264's average overshoots on short loops: aim lower by the overshoot.
            max_kbps = max(16, int(max_kbps * HEADROOM * spec.byte_limit / size))
            notes.append(f"{size:,} bytes at {w}x{h}: bitrate lowered to {max_kbps} kb/s")
        elif fmt == "webp" and quality > 50:
            quality = 50
            notes.append(f"{size:,} bytes at {w}x{h}: WebP quality lowered to 50")
        else:
            nw, nh = max(MIN_SIDE, round(w * SHRINK)), max(MIN_SIDE, round(h * SHRINK))
            if fmt != "gif":
                nw, nh = even_size(nw, nh)
            if (nw, nh) == (w, h):
                break
            notes.append(f"{size:,} bytes at {w}x{h}: rendered again at {nw}x{nh}")
            w, h = nw, nh
    if size > spec.byte_limit:
        path.unlink(missing_ok=True)
        raise UserError(
            f"cannot fit the animation under {spec.byte_limit:,} bytes even at "
            f"{w}x{h} ({size:,} bytes): fewer seconds or fps"
        )
    return Animation(
        path=path,
        mime=MIME[fmt],
        width=w,
        height=h,
        frames=spec.frames,
        fps=spec.fps,
        size_bytes=size,
        recipe=recipe,
        quote=caption.text if caption else None,
        note="; ".join(notes),
        timings=timings,
    )


def animate_job(job: PaintSpec, pipeline: Pipeline, progress=None) -> Picture:
    """A loop job of the queue: the animation as an MP4 in memory (written to a temporary file
    and read back), under the job's byte limit."""
    with tempfile.TemporaryDirectory(prefix="cppn-animate-") as tmp:
        done = animate(AnimateSpec.of(job), Path(tmp) / "loop.mp4", pipeline, progress)
        data = done.path.read_bytes()
    caption, engine = pipeline.caption(job)
    return Picture(
        data=data, mime=done.mime, width=done.width, height=done.height, recipe=done.recipe,
        quote=done.quote, attribution=caption.attribution if caption else None,
        quote_engine=engine, note=done.note, placement=None, timings=done.timings,
        form=job.form.text,
    )  # fmt: skip


def _encode(
    loop: Loop | Morph,
    spec: AnimateSpec,
    fmt: str,
    path: Path,
    pipeline: Pipeline,
    caption: Caption | None,
    timings: dict[str, float],
    max_kbps: int | None,
    quality: int,
    progress,
) -> int:
    """One try: every frame rendered, composed and written to a temporary file beside `path`,
    which then replaces it. Returns the file's size."""
    n, renderer = loop.frames, pipeline.renderer
    overlay, palette = None, None
    if caption is not None or fmt == "gif":
        t = time.perf_counter()
        picks = sorted({i * n // SAMPLES for i in range(SAMPLES)})
        samples = loop.render(renderer, picks)
        timings["render"] += time.perf_counter() - t
        t = time.perf_counter()
        if caption is not None:
            overlay = Overlay(pipeline.compositor, samples, caption, loop.recipe.placement)
            samples = [overlay.apply(s) for s in samples]
        if fmt == "gif":
            palette = gif_palette(samples)
        timings["compose"] += time.perf_counter() - t
    fd, tmp = tempfile.mkstemp(suffix=path.suffix, prefix=".animate-", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        writer = Writer(
            tmp_path, fmt, (loop.recipe.w, loop.recipe.h), spec.fps, max_kbps, palette, quality
        )
        frames = loop.stream(renderer, progress=progress)
        while True:
            t = time.perf_counter()
            frame = next(frames, None)
            timings["render"] += time.perf_counter() - t
            if frame is None:
                break
            t = time.perf_counter()
            if overlay is not None:
                frame = overlay.apply(frame)
            t2 = time.perf_counter()
            timings["compose"] += t2 - t
            writer.write(frame)
            timings["encode"] += time.perf_counter() - t2
        t = time.perf_counter()
        writer.close()
        timings["encode"] += time.perf_counter() - t
        os.replace(tmp_path, path)
    finally:
        tmp_path.unlink(missing_ok=True)
    return path.stat().st_size
