"""Assembling quotes/v2 after the language model is trained: mine the patterns, keep those the
model's vocabulary can read, write the fallback lines and the manifest."""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np

from bot.quotes.aphorism import generator as G
from bot.quotes.aphorism.fill import Filler, definition
from bot.quotes.aphorism.mine import Slot, mine
from bot.quotes.aphorism.similar import Similarity
from bot.quotes.text import words
from bot.quotes.vocab import Vocab
from bot.quotes.voices import VOICES

FALLBACK_LINES = 240
OPTIONS = 8  # near words a slot may take
CLASS_BONUS = 0.15  # cosine bonus for a word of the slot's own class
KEEP = 0.6  # share of mined patterns kept after the language model's reading
_FALLBACK_SEED_BASE = 1 << 50  # far from user seeds


def assemble(corpus_dirs: list[Path], out: Path) -> dict:
    """Write patterns.json, fallback.txt and manifest.json beside out/lm; return the manifest."""
    vocab = Vocab.load(out / G.LM_DIR / "vocab.json").words()
    similar = Similarity.from_corpus(corpus_dirs)
    filler = Filler()
    patterns = [with_options(p, similar, filler) for p in mine(corpus_dirs) if _readable(p, vocab)]
    _write(out, patterns)
    (out / G.FALLBACK).unlink(missing_ok=True)
    patterns = prune(G.AphorismGenerator.load(out), patterns)
    _write(out, patterns)
    gen = G.AphorismGenerator.load(out)
    lines = fallback_lines(gen, FALLBACK_LINES)
    header = (
        "# Written by the aphorism engine itself (no corpus text); each line passed the filters.\n"
    )
    (out / G.FALLBACK).write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    manifest = {
        "model_id": G.model_id(out),
        "engine_version": G.ENGINE_VERSION,
        "patterns": len(patterns),
        "patterns_by_author": dict(sorted(Counter(p["a"] for p in patterns).items())),
        "fallback_lines": len(lines),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def with_options(pattern: dict, similar: Similarity, filler: Filler) -> dict:
    """The JSON pattern, each slot carrying the OPTIONS lemmas nearest to the corpus's word
    (a word of the slot's own class counts as nearer); the corpus's word itself is dropped."""
    lemmas = pattern["lemmas"]
    by_id: dict[int, list[Slot]] = {}
    for part in pattern["p"][1::2]:
        if isinstance(part, Slot):
            by_id.setdefault(part.id, []).append(part)
    options: dict[int, tuple[str, ...]] = {}
    for sid, slots in by_id.items():
        kind, cls = slots[0].kind, slots[0].cls
        fit = filler.choices(slots, any_class=True)
        words = [_lemma_of(e, kind) for e in fit]
        bonus = {_lemma_of(e, kind): CLASS_BONUS for e in fit if e.cls == cls}
        options[sid] = tuple(similar.nearest((kind, lemmas[sid]), words, OPTIONS, bonus))
    parts = [
        p if isinstance(p, str) else replace(p, options=options[p.id]).to_json()
        for p in pattern["p"]
    ]
    return {k: v for k, v in {**pattern, "p": parts}.items() if k != "lemmas"}


def _lemma_of(entry, kind: str) -> str:
    return entry.sg if kind == "n" else entry.word if kind == "a" else entry.base


def _write(out: Path, patterns: list[dict]) -> None:
    (out / G.PATTERNS).write_text(json.dumps(patterns, separators=(",", ":")) + "\n")


def prune(gen: G.AphorismGenerator, patterns: list[dict]) -> list[dict]:
    """Keep, of each author's patterns, the KEEP share whose best fill the language model reads
    most fluently (and that pass the filters at all): the model judges which corpus shapes
    survive a swap. Per author, so that no voice loses its own shapes (definitions score low)."""
    keep: set[int] = set()
    for author in sorted({p["a"] for p in patterns}):
        mine_ = [(i, p) for i, p in enumerate(patterns) if p["a"] == author]
        keep |= _best_share(gen, mine_)
    return [p for i, p in enumerate(patterns) if i in keep]


def _best_share(gen: G.AphorismGenerator, patterns: list[tuple[int, dict]]) -> set[int]:
    rng = np.random.default_rng(0x5EED)
    scored = []
    for i, p in patterns:
        parts = [x if isinstance(x, str) else Slot.from_json(x) for x in p["p"]]
        parts = definition(parts) if p.get("d") else parts
        texts = {t for _ in range(16) if (t := gen.filler.fill(parts, rng)) is not None}
        ok = [t for t in texts if gen.rejection(t) is None]
        scored.append((max(gen.fluency(ok)) if ok else float("-inf"), i))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return {i for score, i in scored[: round(len(scored) * KEEP)] if score > float("-inf")}


def _readable(pattern: dict, vocab: frozenset[str]) -> bool:
    """Every fixed word is one the language model knows (else the vocab filter refuses it)."""
    return all(w in vocab for part in pattern["p"] if isinstance(part, str) for w in words(part))


def fallback_lines(gen: G.AphorismGenerator, n: int) -> list[str]:
    """n distinct lines from the engine itself, spread over the voices."""
    seen: dict[str, None] = {}
    seed = _FALLBACK_SEED_BASE
    while len(seen) < n:
        voice = VOICES[seed % len(VOICES)].name
        with contextlib.suppress(LookupError):
            seen.setdefault(gen.generate(seed, voice=voice).text)
        seed += 1
        if seed - _FALLBACK_SEED_BASE > 50 * n:
            raise RuntimeError(f"only {len(seen)} of {n} fallback lines came out")
    return list(seen)
