"""AphorismGenerator: seed (+ voice) -> Quote. Over-generate filled patterns, drop the ones the
filters refuse, and keep the one the language model reads as most fluent.

Determinism: every draw comes from numpy Generators seeded with (seed, voice, round); the model
scores a fixed-size batch on the CPU in float32, and scores are rounded before ranking so float
noise in the last bits cannot reorder candidates.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from bot.quotes.aphorism.fill import Filler, definition
from bot.quotes.aphorism.frames import expand, frames, parse
from bot.quotes.aphorism.mine import Slot
from bot.quotes.bundle import load_weights, sha256_file
from bot.quotes.filters import first_failure, make_checks
from bot.quotes.generator import Quote
from bot.quotes.names import attribution_for
from bot.quotes.ngrams import NoveltyIndex
from bot.quotes.vocab import Vocab
from bot.quotes.voices import BY_NAME, DEFAULT_VOICE, VOICE_NAMES, VOICES

PATTERNS = "patterns.json"
FALLBACK = "fallback.txt"
LM_DIR = "lm"
LM_FILES = ("model.pt", "vocab.json", "ngrams6.npy")
ENGINE_VERSION = 1  # bump when the code changes what a seed gives; it feeds the model id
_U64 = 0xFFFFFFFFFFFFFFFF


@dataclass(frozen=True)
class Settings:
    # One pattern a round, drawn uniformly (so no pattern is favoured and lines stay varied),
    # filled this many times; the model picks the fill. Rounds until one passes the filters.
    fills_per_pattern: int = 16
    frame_share: float = 0.85  # rounds that use a hand-written frame rather than a mined pattern
    rounds: int = 6  # rounds before the fallback lines
    brevity: float = 0.015  # score bonus per word short of 20 (posters like short lines)


class AphorismGenerator:
    def __init__(
        self,
        patterns: list[dict],
        model,
        vocab: Vocab,
        novelty: NoveltyIndex,
        fallback: list[str],
        model_id: str,
        settings: Settings | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.model, self.vocab, self.model_id = model.eval(), vocab, model_id
        self.index = vocab.index
        self.filler = Filler()
        self.checks = make_checks(vocab.words(), novelty.is_novel)
        self.fallback = fallback
        self.by_voice = _patterns_by_voice(patterns)
        self.frames = _frames_by_voice()
        self._parsed: dict[str, list] = {}

    @classmethod
    def load(cls, path: str | Path) -> AphorismGenerator:
        path = Path(path)
        patterns = json.loads((path / PATTERNS).read_text(encoding="utf-8"))
        lm = path / LM_DIR
        fallback_file = path / FALLBACK
        fallback = (
            fallback_file.read_text(encoding="utf-8").splitlines() if fallback_file.exists() else []
        )
        return cls(
            patterns,
            load_weights(lm / "model.pt"),
            Vocab.load(lm / "vocab.json"),
            NoveltyIndex.load(lm / "ngrams6.npy"),
            [ln for ln in fallback if ln and not ln.startswith("#")],
            model_id(path),
        )

    def rejection(self, text: str) -> str | None:
        return first_failure(_plain(text), self.checks)

    def generate(
        self, seed: int, attribution: str = "generated", voice: str = DEFAULT_VOICE
    ) -> Quote:
        seed &= _U64
        who = attribution_for(seed, attribution)
        vid = [v.name for v in VOICES].index(voice)
        tries = 0
        for round_no in range(self.settings.rounds):
            rng = np.random.default_rng([seed, vid, round_no])
            texts = self._candidates(rng, voice)
            tries += len(texts)
            ok = [t for t in texts if self.rejection(t) is None]
            if ok:
                return Quote(self._best(ok), who, "aphorism", self.model_id, tries, seed)
        if not self.fallback:  # only while the fallback lines are being written
            raise LookupError(f"no pattern passed the filters for seed {seed}")
        rng = np.random.default_rng([seed, vid, 0xFA11])
        text = self.fallback[int(rng.integers(len(self.fallback)))]
        return Quote(text, who, "fallback", self.model_id, tries, seed)

    def _candidates(self, rng: np.random.Generator, voice: str) -> list[str]:
        s = self.settings
        pool = self.by_voice[voice]
        out: list[str] = []
        use_frame = rng.random() < s.frame_share
        frames = self.frames[voice]
        pattern = pool[int(rng.integers(len(pool)))]
        frame = frames[int(rng.integers(len(frames)))]
        for _ in range(s.fills_per_pattern):
            parts = self._frame_parts(expand(frame, rng)) if use_frame else pattern
            text = self.filler.fill(parts, rng)
            if text is not None and text not in out:
                out.append(text)
        return out

    def _frame_parts(self, text: str) -> list:
        if text not in self._parsed:
            self._parsed[text] = parse(text)
        return self._parsed[text]

    def _best(self, texts: list[str]) -> str:
        scores = self.fluency(texts)
        bonus = [self.settings.brevity * (20 - len(t.split())) for t in texts]
        ranked = np.round(np.asarray(scores) + np.asarray(bonus), 3)
        return texts[int(np.argmax(ranked))]

    @torch.inference_mode()
    def fluency(self, texts: list[str]) -> list[float]:
        """Mean log-probability per token under the language model, end of text included."""
        eos, unk = self.vocab.eos, self.vocab.unk
        rows = [[self.index.get(t, unk) for t in _tokens(_plain(x))] + [eos] for x in texts]
        width = max(len(r) for r in rows)
        ids = torch.full((len(rows), width + 1), eos, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.bool)
        for i, r in enumerate(rows):
            ids[i, 1 : len(r) + 1] = torch.tensor(r)
            mask[i, : len(r)] = True
        logits, _ = self.model(ids[:, :-1])
        logp = torch.log_softmax(logits.float(), dim=-1)
        picked = logp.gather(2, ids[:, 1:, None]).squeeze(2)
        # an unknown word costs a fixed penalty rather than <unk>'s (often high) probability
        picked = torch.where(ids[:, 1:] == unk, torch.tensor(-12.0), picked)
        sums = (picked * mask).sum(1) / mask.sum(1)
        return [float(x) for x in sums]


def _plain(text: str) -> str:
    """A definition's "Headword, n. ..." read as "Headword: ..." by the filters and the model
    (the dictionary's "n." is no word of the corpus)."""
    return text.replace(", n. ", ": ", 1)


def _tokens(text: str) -> list[str]:
    from bot.quotes.text import tokenize

    return tokenize(text)


def _frames_by_voice() -> dict[str, list[str]]:
    by_voice = frames()
    out = {v: by_voice[v] for v in VOICE_NAMES if v != DEFAULT_VOICE}
    # In "any", definitions are a spice: many "X, n. ..." lines in a row read as one joke.
    out[DEFAULT_VOICE] = [f for v, fs in out.items() for f in (fs[::3] if v == "devil" else fs)]
    return out


def _patterns_by_voice(patterns: list[dict]) -> dict[str, list[list]]:
    """Each voice's patterns, slots parsed once; 'any' holds every voice's."""
    parsed = []
    for p in patterns:
        parts = [x if isinstance(x, str) else Slot.from_json(x) for x in p["p"]]
        parsed.append((p["a"], definition(parts) if p.get("d") else parts))
    out: dict[str, list[list]] = {}
    for v in VOICES:
        if v.name == DEFAULT_VOICE:
            continue
        out[v.name] = [p for a, p in parsed if a in v.authors]
        if not out[v.name]:
            raise ValueError(f"no patterns for the voice {v.name}")
    voiced = {a for v in VOICES for a in v.authors}
    out[DEFAULT_VOICE] = [p for a, p in parsed if a in voiced]
    assert set(out) == set(BY_NAME)
    return out


def model_id(path: Path) -> str:
    """Short id of everything that decides a seed's quote: patterns, fallback, the language
    model's files, the lexicon and the engine version."""
    from bot.quotes.aphorism import frames as frames_module
    from bot.quotes.aphorism import lexicon

    files = {PATTERNS: sha256_file(path / PATTERNS)}
    if (path / FALLBACK).exists():
        files[FALLBACK] = sha256_file(path / FALLBACK)
    files.update({f"lm/{n}": sha256_file(path / LM_DIR / n) for n in LM_FILES})
    lex = sha256_file(Path(lexicon.__file__)) + sha256_file(Path(frames_module.__file__))
    ident = {
        "files": files,
        "lexicon": lex,
        "settings": Settings().__dict__,
        "version": ENGINE_VERSION,
    }
    return hashlib.sha256(json.dumps(ident, sort_keys=True).encode()).hexdigest()[:8]
