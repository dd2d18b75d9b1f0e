"""AphorismGenerator: seed (+ voice) -> Quote. Draw one of the voice's frames, fill it sixteen
ways, drop the fills the filters refuse, and let the language model choose among the rest.

Determinism: every draw comes from numpy Generators seeded with (seed, voice, round); the model
scores the fills on the CPU in float32, and scores are rounded before ranking so float noise in
the last bits cannot reorder candidates.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

from bot.quotes.aphorism.fill import Filler
from bot.quotes.aphorism.frames import expand, frames, parse
from bot.quotes.bundle import read_lm, sha256_file
from bot.quotes.filters import first_failure, make_checks
from bot.quotes.generator import Quote
from bot.quotes.names import attribution_for
from bot.quotes.ngrams import NoveltyIndex
from bot.quotes.text import tokenize
from bot.quotes.vocab import Vocab
from bot.quotes.voices import DEFAULT_VOICE, VOICE_NAMES

FALLBACK = "fallback.txt"
LM_DIR = "lm"
LM_FILES = ("model.pt", "vocab.json", "ngrams6.npy")
ENGINE_VERSION = 1  # bump when the code changes what a seed gives; it feeds the model id
# A frame is written whole by hand: its parallels ("lean on ... lean on"), a third sentence or a
# closing "his" are rhetoric, not the salad the repetition and fragment filters catch; every word
# is a frame's, the lexicon's or the corpus's, so the vocabulary check has nothing to catch.
CHECKS = ("length", "shape", "balanced", "blocklist", "novelty")
_U64 = 0xFFFFFFFFFFFFFFFF
_DEFINITION = re.compile(r", (?:n|adj|v)\. ")


@dataclass(frozen=True)
class Settings:
    fills: int = 16  # fills of the round's frame that the model chooses among
    top: int = 3  # the pick is seeded among the model's best three, so one frame can say more
    rounds: int = 6  # rounds (a new frame each) before the fallback lines
    brevity: float = 0.015  # score bonus per word short of 20 (posters like short lines)


class AphorismGenerator:
    def __init__(self, model, vocab: Vocab, novelty: NoveltyIndex, fallback: list[str],
                 model_id: str, settings: Settings | None = None) -> None:  # fmt: skip
        self.settings = settings or Settings()
        self.model, self.vocab, self.model_id = model.eval(), vocab, model_id
        self.index = vocab.index
        self.filler = Filler()
        checks = make_checks(vocab.words(), novelty.is_novel)
        self.checks = [(name, check) for name, check in checks if name in CHECKS]
        self.fallback = fallback
        self.frames = frames_by_voice()
        self._parsed: dict[str, list] = {}

    @classmethod
    def load(cls, path: str | Path) -> AphorismGenerator:
        """quotes/v2: its language model (files checked against their manifest) and fallback."""
        path = Path(path)
        lm = read_lm(path / LM_DIR)
        fallback = []
        if (path / FALLBACK).exists():
            fallback = (path / FALLBACK).read_text(encoding="utf-8").splitlines()
        return cls(
            lm.model,
            lm.vocab,
            lm.novelty,
            [ln for ln in fallback if ln and not ln.startswith("#")],
            model_id(path, lm.manifest["sha256"]),
        )

    def rejection(self, text: str) -> str | None:
        """Name of the first filter that refuses text, or None."""
        return first_failure(_plain(text), self.checks)

    def generate(
        self, seed: int, attribution: str = "generated", voice: str = DEFAULT_VOICE
    ) -> Quote:
        seed &= _U64
        who = attribution_for(seed, attribution)
        vid = VOICE_NAMES.index(voice)
        tries = 0
        for round_no in range(self.settings.rounds):
            rng = np.random.default_rng([seed, vid, round_no])
            texts = self.candidates(rng, voice)
            tries += len(texts)
            ok = [t for t in texts if self.rejection(t) is None]
            if ok:
                return Quote(self._pick(ok, rng), who, "aphorism", self.model_id, tries, seed)
        if not self.fallback:  # only while the fallback lines are being written
            raise LookupError(f"no frame passed the filters for seed {seed}")
        rng = np.random.default_rng([seed, vid, 0xFA11])
        text = self.fallback[int(rng.integers(len(self.fallback)))]
        return Quote(text, who, "fallback", self.model_id, tries, seed)

    def candidates(self, rng: np.random.Generator, voice: str) -> list[str]:
        """One round: a frame of the voice, drawn uniformly (no frame is favoured, so lines
        stay varied), and its distinct fills."""
        pool = self.frames[voice]
        frame = pool[int(rng.integers(len(pool)))]
        out: list[str] = []
        for _ in range(self.settings.fills):
            text = self.filler.fill(self.parts(expand(frame, rng)), rng)
            if text is not None and text not in out:
                out.append(text)
        return out

    def parts(self, text: str) -> list:
        """A frame's text (alternatives chosen) parsed once."""
        if text not in self._parsed:
            self._parsed[text] = parse(text)
        return self._parsed[text]

    def _pick(self, texts: list[str], rng: np.random.Generator) -> str:
        """Seeded among the top fills by fluency (plus a little for brevity)."""
        scores = np.asarray(self.fluency(texts))
        scores += [self.settings.brevity * (20 - len(t.split())) for t in texts]
        order = np.argsort(-np.round(scores, 3), kind="stable")
        top = order[: self.settings.top]
        return texts[int(top[int(rng.integers(len(top)))])]

    @torch.inference_mode()
    def fluency(self, texts: list[str]) -> list[float]:
        """Mean log-probability per token under the language model, end of text included."""
        eos, unk = self.vocab.eos, self.vocab.unk
        rows = [[self.index.get(t, unk) for t in tokenize(_plain(x))] + [eos] for x in texts]
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
    (the dictionary's "n." and "adj." are no words of the corpus)."""
    return _DEFINITION.sub(": ", text, count=1)


def frames_by_voice() -> dict[str, list[str]]:
    """Each voice's frames; "any" holds them all, with a third of the definitions (many
    "X, n. ..." lines in a row read as one joke)."""
    by_voice = frames()
    out = {v: by_voice[v] for v in VOICE_NAMES if v != DEFAULT_VOICE}
    out[DEFAULT_VOICE] = [f for v, fs in out.items() for f in (fs[::3] if v == "devil" else fs)]
    return out


def model_id(path: Path, lm_hashes: dict[str, str]) -> str:
    """Short id of everything that decides a seed's quote: the frames, the lexicon, the
    language model's files (their checked sha256s), the fallback lines, the settings and the
    engine version (bumped when the code changes what a seed gives)."""
    from bot.quotes.aphorism import lexicon
    from bot.quotes.aphorism.frames import TEXTS

    files = {f"lm/{n}": lm_hashes[n] for n in LM_FILES}
    if (path / FALLBACK).exists():
        files[FALLBACK] = sha256_file(path / FALLBACK)
    for text in sorted(TEXTS.glob("*.txt")):
        files[f"frames/{text.name}"] = sha256_file(text)
    files["lexicon.py"] = sha256_file(Path(lexicon.__file__))
    ident = {"files": files, "settings": asdict(Settings()), "version": ENGINE_VERSION}
    return hashlib.sha256(json.dumps(ident, sort_keys=True).encode()).hexdigest()[:8]
