"""Animated loops (issue 16): per-frame z through the batched renderer, loop closure, files read
back with PyAV, the byte-limit fallback, determinism across processes, and bad options."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from bot.art.code import format_code
from bot.art.network import build_network
from bot.art.recipe import Recipe
from bot.compose import Caption, Compositor
from bot.motion.animate import AnimateSpec, Overlay, animate
from bot.motion.loop import Loop
from bot.motion.video import probe, read_frames
from bot.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[1]
SMALL = dict(w=64, h=64, quote="none")


def _diff(a: np.ndarray, b: np.ndarray) -> int:
    return int(np.abs(a.astype(int) - b.astype(int)).max())


def test_networks_override_is_the_recipes_own(renderer):
    r = Recipe(seed=5, zdim=2, **SMALL)
    drawn = renderer.render_batch([r])[0]
    given = renderer.render_batch([r], networks=[build_network(r)])[0]
    assert np.array_equal(drawn, given)


@pytest.mark.parametrize("zdim", [0, 1, 3])
def test_frame_zero_is_the_codes_own_picture(renderer, zdim):
    r = Recipe(seed=11, zdim=zdim, **SMALL)
    loop = Loop.of(r, 8)
    assert loop.recipe.zdim == max(2, zdim)
    assert _diff(loop.render(renderer, [0])[0], renderer.render(r)) <= 2


@pytest.mark.parametrize("zdim", [0, 4])
def test_loop_closes_and_moves(renderer, zdim):
    loop = Loop.of(Recipe(seed=3, zdim=zdim, **SMALL), 8)
    first, second, after_last = loop.render(renderer, [0, 1, 8])
    assert _diff(first, after_last) <= 3  # the frame after the last is the first again
    assert _diff(first, second) > 10  # and the loop moves


def test_batched_frames_equal_frames_one_by_one(renderer):
    loop = Loop.of(Recipe(seed=9, zdim=3, **SMALL), 6)
    batched = list(loop.stream(renderer, batch=4))
    single = list(loop.stream(renderer, batch=1))
    assert len(batched) == 6
    assert max(_diff(a, b) for a, b in zip(batched, single, strict=True)) <= 2


@pytest.mark.parametrize("ext", [".mp4", ".gif", ".webp"])
def test_frame_count_and_duration_read_back(renderer, tmp_path, ext):
    spec = AnimateSpec(Recipe(seed=1, **SMALL), seconds=1, fps=8)
    done = animate(spec, tmp_path / f"loop{ext}", Pipeline(renderer, Compositor(), None))
    assert done.path.stat().st_size == done.size_bytes <= spec.byte_limit
    frames, seconds = probe(done.path)
    assert frames == 8
    assert seconds == pytest.approx(1.0, abs=0.02)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".animate-")]


def test_mp4_is_h264_yuv420p_with_faststart(renderer, tmp_path):
    import av

    spec = AnimateSpec(Recipe(seed=1, **SMALL), seconds=1, fps=8)
    done = animate(spec, tmp_path / "loop.mp4", Pipeline(renderer, Compositor(), None))
    with av.open(str(done.path)) as c:
        s = c.streams.video[0]
        assert (s.codec_context.name, s.codec_context.pix_fmt) == ("h264", "yuv420p")
    data = done.path.read_bytes()
    assert data.index(b"moov") < data.index(b"mdat")  # faststart: the index before the data


def test_decoded_frames_match_the_render(renderer, tmp_path):
    spec = AnimateSpec(Recipe(seed=2, **SMALL), seconds=1, fps=8)
    done = animate(spec, tmp_path / "loop.webp", Pipeline(renderer, Compositor(), None))
    rendered = list(Loop.of(spec.recipe, 8).stream(renderer))
    decoded = read_frames(done.path)
    errors = np.array([[np.abs(a.astype(int) - b.astype(int)).mean() for b in decoded]
                       for a in rendered])  # fmt: skip
    assert list(errors.argmin(axis=1)) == list(range(8))  # the same pictures in the same order
    assert errors.diagonal().max() < 25  # (lossy, small and busy: chroma at half resolution)


def test_size_fallback_under_a_tiny_limit(renderer, tmp_path):
    busy = Recipe(seed=4, activation="sin", zoom=20.0, zdim=2, w=160, h=160, quote="none")
    spec = AnimateSpec(busy, seconds=2, fps=12, byte_limit=40_000)  # ~400 kB uncapped
    done = animate(spec, tmp_path / "loop.mp4", Pipeline(renderer, Compositor(), None))
    assert done.size_bytes <= 40_000
    assert "bitrate capped" in done.note
    assert probe(done.path)[0] == 24
    if "rendered again" in done.note:
        assert done.width < 160


def test_quote_overlay_is_one_layout_over_every_frame(renderer):
    loop = Loop.of(Recipe(seed=6, w=128, h=96, quote="none"), 8)
    samples = loop.render(renderer, [0, 2, 4, 6])
    overlay = Overlay(Compositor(), samples, Caption("The same words on every frame"), "auto")
    a, b = overlay.apply(samples[0]), overlay.apply(samples[2])
    opaque = overlay.alpha[..., 0] > 0.999
    assert opaque.any()
    band = slice(overlay.r0, overlay.r1)
    assert np.array_equal(a[band][opaque], b[band][opaque])  # the ink does not move


def _run(argv, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *argv], capture_output=True, text=True,
                          cwd=cwd, env={"PYTHONPATH": str(ROOT), "PATH": ""})  # fmt: skip


def test_same_code_same_frames_across_processes(tmp_path):
    code = format_code(replace(Recipe(seed=77, zdim=1), **SMALL))
    outs = []
    for name in ("a", "b"):
        proc = _run(["animate", code, "--seconds", "1", "--fps", "8", "--size", "64x64",
                     "--quote", "Twice the same", "-o", f"{name}.mp4"], tmp_path)  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        outs.append(read_frames(tmp_path / f"{name}.mp4"))
    assert len(outs[0]) == 8
    assert all(np.array_equal(a, b) for a, b in zip(*outs, strict=True))


@pytest.mark.parametrize(
    "extra",
    [
        ["--fps", "0"],
        ["--fps", "61"],
        ["--seconds", "0"],
        ["--seconds", "0.1"],
        ["--seconds", "x"],
        ["--size", "64by64"],
        ["--max-bytes", "5"],
        ["--quote", "hi", "--no-quote"],
        ["-o", "out.avi"],
        ["-o", "nowhere/out.mp4"],
        ["--size", "4096x4096", "--seconds", "60"],
    ],
)
def test_bad_options_exit_2_with_one_line(extra, tmp_path):
    argv = ["animate", "1234", "--size", "64x64", "--seconds", "1", "--fps", "8", "--no-quote"]
    if "-o" not in extra:
        argv += ["-o", "out.mp4"]
    if "--no-quote" in extra:
        argv.remove("--no-quote")
    proc = _run([*argv, *extra], tmp_path)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cppn-bot: error:"), proc.stderr
    assert not list(tmp_path.iterdir())


def test_shared_weights_run_as_one_network_like_the_stacked_pass(renderer):
    loop = Loop.of(Recipe(seed=8, zdim=2, **SMALL), 4)
    shared = loop.render(renderer, [0, 1, 2])
    copies = [
        replace(loop.network, weights=tuple(w.clone() for w in loop.network.weights),
                latent=loop.latent(i))
        for i in (0, 1, 2)
    ]  # fmt: skip
    stacked = renderer.render_batch([loop.recipe] * 3, networks=copies)
    assert max(_diff(a, b) for a, b in zip(shared, stacked, strict=True)) <= 2


def test_mp4_falls_back_to_mpeg4_without_libx264(renderer, tmp_path, monkeypatch):
    import av

    from bot.motion import video

    monkeypatch.setattr(video, "H264_ENCODERS", ())
    spec = AnimateSpec(Recipe(seed=1, **SMALL), seconds=1, fps=8)
    done = animate(spec, tmp_path / "loop.mp4", Pipeline(renderer, Compositor(), None))
    with av.open(str(done.path)) as c:
        assert c.streams.video[0].codec_context.name == "mpeg4"
    assert probe(done.path) == (8, pytest.approx(1.0, abs=0.02))
