"""Finishing quotes/v2 after its language model is trained: the fallback lines (written by the
engine itself) and the manifest with the engine's model id."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from bot.quotes.aphorism import generator as G
from bot.quotes.aphorism.frames import frames
from bot.quotes.voices import VOICE_NAMES

FALLBACK_LINES = 240
_FALLBACK_SEED_BASE = 1 << 50  # far from user seeds


def assemble(out: Path) -> dict:
    """Write fallback.txt and manifest.json beside out/lm; return the manifest."""
    (out / G.FALLBACK).unlink(missing_ok=True)
    lines = fallback_lines(G.AphorismGenerator.load(out), FALLBACK_LINES)
    header = "# Written by the aphorism engine (no corpus text); each line passed the filters.\n"
    (out / G.FALLBACK).write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    manifest = {
        "model_id": G.AphorismGenerator.load(out).model_id,
        "engine_version": G.ENGINE_VERSION,
        "frames": {v: len(fs) for v, fs in frames().items()},
        "fallback_lines": len(lines),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def fallback_lines(gen: G.AphorismGenerator, n: int) -> list[str]:
    """n distinct lines from the engine itself, spread over the voices."""
    seen: dict[str, None] = {}
    seed = _FALLBACK_SEED_BASE
    while len(seen) < n:
        voice = VOICE_NAMES[seed % len(VOICE_NAMES)]
        with contextlib.suppress(LookupError):
            seen.setdefault(gen.generate(seed, voice=voice).text)
        seed += 1
        if seed - _FALLBACK_SEED_BASE > 50 * n:
            raise RuntimeError(f"only {len(seen)} of {n} fallback lines came out")
    return list(seen)
