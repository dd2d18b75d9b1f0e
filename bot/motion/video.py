"""Frames in, a looping video file out (PyAV, which brings its own FFmpeg): MP4 (H.264 yuv420p,
faststart), animated GIF (one palette for every frame) or animated WebP, streamed frame by frame.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image

from bot.compose.encode import EXTENSIONS

FORMATS = {".mp4": "mp4", ".gif": "gif", ".webp": "webp"}
MIME = {ext: mime for mime, ext in EXTENSIONS.items() if ext in FORMATS.values()}
# H.264 through libx264 where the wheel has it (PyAV 18.1's Linux wheels do); else FFmpeg's own
# MPEG-4 part 2 encoder, which every build has (a bigger file at the same quality).
H264_ENCODERS = ("libx264",)
FALLBACK_VIDEO_ENCODER = "mpeg4"
MP4_CRF = 20
WEBP_QUALITY = 80


def video_encoder() -> str:
    """The MP4 encoder this PyAV build has: libx264, else mpeg4."""
    for name in H264_ENCODERS:
        if name in av.codecs_available:
            return name
    return FALLBACK_VIDEO_ENCODER


class Writer:
    """One output file; write() one RGB frame at a time, then close().

    `max_kbps` caps an MP4's rate (x264's VBV) so that its size stays under a byte budget; a GIF
    is drawn with `palette` (a P-mode image) for every frame, so colours do not flicker."""

    def __init__(
        self,
        path: Path,
        fmt: str,
        size: tuple[int, int],
        fps: int,
        max_kbps: int | None = None,
        palette: Image.Image | None = None,
        quality: int = WEBP_QUALITY,
    ) -> None:
        self.fmt, self.palette, self.index = fmt, palette, 0
        options = {"movflags": "+faststart"} if fmt == "mp4" else {"loop": "0"}
        self.container = av.open(str(path), "w", format=fmt, options=options)
        if fmt == "mp4":
            codec = video_encoder()
            self.stream = self.container.add_stream(codec, rate=fps)
            self.stream.pix_fmt = "yuv420p"
            opts = {"preset": "medium"} if codec == "libx264" else {}
            if max_kbps is None:  # constant quality
                opts.update({"crf": str(MP4_CRF)} if codec == "libx264" else {"qscale": "3"})
            else:  # an average rate, capped: the size follows from it
                self.stream.bit_rate = max_kbps * 1000
                opts.update(maxrate=f"{max_kbps}k", bufsize=f"{2 * max_kbps}k")
            self.stream.options = opts
        elif fmt == "gif":
            self.stream = self.container.add_stream("gif", rate=fps)
            self.stream.pix_fmt = "pal8"
        else:
            self.stream = self.container.add_stream("libwebp_anim", rate=fps)
            self.stream.pix_fmt = "yuv420p"
            self.stream.options = {"quality": str(quality), "lossless": "0"}
        self.stream.width, self.stream.height = size
        self.stream.time_base = Fraction(1, fps)

    def write(self, rgb: np.ndarray) -> None:
        if self.fmt == "gif":
            frame = _pal8(rgb, self.palette)
        else:
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
        frame.pts = self.index
        self.index += 1
        for packet in self.stream.encode(frame):
            self.container.mux(packet)

    def close(self) -> None:
        for packet in self.stream.encode():
            self.container.mux(packet)
        self.container.close()


def gif_palette(frames: list[np.ndarray]) -> Image.Image:
    """256 colours for a whole GIF, from sample frames side by side."""
    strip = Image.fromarray(np.concatenate(frames, axis=1), "RGB")
    return strip.quantize(256, method=Image.Quantize.MEDIANCUT)


def _pal8(rgb: np.ndarray, palette: Image.Image | None) -> av.VideoFrame:
    img = Image.fromarray(rgb, "RGB")
    pimg = img.quantize(palette=palette, dither=Image.Dither.NONE) if palette else img.quantize()
    colours = (pimg.getpalette() or []) + [0] * 768
    pal = np.array(colours[:768], np.uint8).reshape(256, 3)
    # What this PyAV build reads as a pal8 palette entry: bytes A, R, G, B (checked by a test).
    argb = np.concatenate([np.full((256, 1), 255, np.uint8), pal], axis=1)
    return av.VideoFrame.from_ndarray((np.asarray(pimg), np.ascontiguousarray(argb)), format="pal8")


def probe(path: Path) -> tuple[int, float]:
    """(frames, seconds) of a video file, read back: PyAV for MP4 and GIF, Pillow for animated
    WebP (FFmpeg's WebP decoder reads stills only)."""
    if path.suffix.lower() == ".webp":
        with Image.open(path) as im:
            total = 0
            for i in range(im.n_frames):
                im.seek(i)
                im.load()
                total += im.info.get("duration", 0)
            return im.n_frames, total / 1000
    with av.open(str(path)) as c:
        frames = sum(1 for _ in c.decode(c.streams.video[0]))
        return frames, (c.duration or 0) / av.time_base


def read_frames(path: Path) -> list[np.ndarray]:
    """Every frame of a video file as H x W x 3 uint8 (tests, benchmarks)."""
    if path.suffix.lower() == ".webp":
        with Image.open(path) as im:
            out = []
            for i in range(im.n_frames):
                im.seek(i)
                out.append(np.asarray(im.convert("RGB")))
            return out
    with av.open(str(path)) as c:
        return [f.to_ndarray(format="rgb24") for f in c.decode(c.streams.video[0])]
