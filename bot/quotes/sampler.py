"""Seeded, batched sampling from the word-level GPT.

Determinism: every random draw comes from a numpy Generator seeded with (seed, round); the
model runs on the CPU in float32 with a fixed batch size, so the same seed and the same weights
give the same candidates in any process. (A different batch size could change float rounding
in the matmuls, so the batch size is part of the sampler settings and of the model id.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np
import torch

from bot.quotes.model import GPT
from bot.quotes.text import detokenize
from bot.quotes.vocab import Vocab


@dataclass(frozen=True)
class SamplerSettings:
    temperature: float = 0.9
    top_p: float = 0.92
    top_k: int = 64
    batch: int = 16  # candidates drawn in parallel per round
    max_tokens: int = 36  # a 160-character quote is ~35 tokens; longer rows would fail anyway
    min_tokens: int = 6
    # "first": the first candidate that passes the filters (fast, stops early).
    # "best": of the round's candidates that pass, the one the model finds most fluent (highest
    # mean log-probability per token): costs a full round, and in our reading it prefers
    # safe, generic lines and filler ("Therefore, however, ..."), so "first" is the default.
    select: str = "first"

    def to_dict(self) -> dict:
        return asdict(self)


class NeuralSampler:
    def __init__(self, model: GPT, vocab: Vocab, settings: SamplerSettings) -> None:
        self.model = model.eval()
        self.vocab = vocab
        self.settings = settings
        self._banned = torch.tensor(vocab.banned())

    def candidates(self, seed: int, round_no: int) -> list[str]:
        """All `batch` candidate texts of one round, in their fixed order."""
        rows = self._run(self._rng(seed, round_no), lambda finished, done: False)
        return [self._text(row) if ok else "" for row, ok, _ in rows]

    def accepted(
        self, seed: int, round_no: int, accept: Callable[[str], bool], limit: int
    ) -> tuple[str | None, int]:
        """The round's pick under settings.select, and how many candidates it examined."""
        if self.settings.select == "best":
            return self.best_accepted(seed, round_no, accept, limit)
        return self.first_accepted(seed, round_no, accept, limit)

    def best_accepted(
        self, seed: int, round_no: int, accept: Callable[[str], bool], limit: int
    ) -> tuple[str | None, int]:
        """Of the first `limit` candidates that pass, the most fluent (first one on ties)."""
        rows = self._run(self._rng(seed, round_no), lambda finished, done: False)
        best: tuple[float, str] | None = None
        for row, ended, score in rows[:limit]:
            text = self._text(row)
            if ended and (best is None or score > best[0]) and accept(text):
                best = (score, text)
        return (best[1] if best else None), limit

    def first_accepted(
        self, seed: int, round_no: int, accept: Callable[[str], bool], limit: int
    ) -> tuple[str | None, int]:
        """The first candidate (in batch order, among the first `limit`) that `accept` passes,
        and how many candidates that took. Stops generating as soon as the winner is known:
        every candidate before it has finished and been rejected. Early stopping cannot change
        the result, because a row's tokens never depend on the other rows."""
        verdict: dict[int, bool] = {}

        def settled(rows: list[list[int]], done: np.ndarray) -> bool:
            for r in range(limit):
                if not done[r]:
                    return False
                if r not in verdict:
                    verdict[r] = accept(self._text(rows[r]))
                if verdict[r]:
                    return True
            return True

        rows = self._run(self._rng(seed, round_no), settled)
        for r in range(limit):
            row, ended, _ = rows[r]
            if ended and verdict.setdefault(r, accept(self._text(row))):
                return self._text(row), r + 1
        return None, limit

    def _rng(self, seed: int, round_no: int) -> np.random.Generator:
        return np.random.default_rng([seed & 0xFFFFFFFFFFFFFFFF, round_no])

    def _text(self, row: list[int]) -> str:
        return detokenize([self.vocab.tokens[i] for i in row], self.vocab.casing)

    @torch.inference_mode()
    def _run(
        self, rng: np.random.Generator, stop: Callable[[list[list[int]], np.ndarray], bool]
    ) -> list[tuple[list[int], bool, float]]:
        """Sample one round: per row its tokens, whether it ended properly, and its mean
        log-probability per token (end included). `stop` may end the round early."""
        s = self.settings
        idx = torch.full((s.batch, 1), self.vocab.eos, dtype=torch.long)
        past = None
        rows: list[list[int]] = [[] for _ in range(s.batch)]
        done = np.zeros(s.batch, dtype=bool)
        logp = np.zeros(s.batch)
        for step in range(s.max_tokens):
            logits, past = self.model(idx, past)
            last = logits[:, -1, :]
            nxt = self._pick(last, rng, allow_end=step >= s.min_tokens)
            # log p(chosen) at temperature 1: the fluency score of "best" selection
            chosen = (last[torch.arange(s.batch), nxt] - torch.logsumexp(last, dim=-1)).numpy()
            for r, tok in enumerate(nxt):
                if not done[r]:
                    logp[r] += float(chosen[r])
                    done[r] = tok == self.vocab.eos
                    if not done[r]:
                        rows[r].append(int(tok))
            if done.all() or stop(rows, done):
                break
            idx = torch.from_numpy(nxt).long().view(-1, 1)
        # A row that never ended was cut off mid-thought: it counts as a failed candidate.
        return [(row, bool(done[r]), logp[r] / (len(row) + 1)) for r, row in enumerate(rows)]

    def _pick(self, logits: torch.Tensor, rng: np.random.Generator, allow_end: bool) -> np.ndarray:
        """Top-k, then top-p (nucleus) sampling with inverse-CDF draws from our own RNG."""
        s = self.settings
        logits = logits.clone()
        logits[:, self._banned] = float("-inf")
        if not allow_end:
            logits[:, self.vocab.eos] = float("-inf")
        top, ids = torch.topk(logits / s.temperature, s.top_k, dim=-1)  # sorted, descending
        p = torch.softmax(top.double(), dim=-1).numpy()
        cdf = np.cumsum(p, axis=1)
        # Keep the smallest prefix whose mass reaches top_p (always at least the first token).
        keep = (cdf - p) < s.top_p
        p = np.where(keep, p, 0.0)
        cdf = np.cumsum(p, axis=1)
        u = rng.random(p.shape[0]) * cdf[:, -1]
        choice = (cdf < u[:, None]).sum(axis=1).clip(max=p.shape[1] - 1)
        return ids.numpy()[np.arange(p.shape[0]), choice]
