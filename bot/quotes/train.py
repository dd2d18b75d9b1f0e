"""Training the word-level GPT on short units of the corpus (CPU, one thread)."""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from bot.quotes.corpus import LEGACY_AUTHOR_WEIGHTS, Unit, author_weight, split_units
from bot.quotes.model import GPT, GPTConfig
from bot.quotes.vocab import LONG, MIN_COUNT, Vocab, build_vocab


@dataclass(frozen=True)
class TrainSettings:
    steps: int = 2200
    batch_size: int = 32
    block_size: int = 64
    lr: float = 2e-3
    min_lr: float = 1e-4
    warmup: int = 100
    weight_decay: float = 0.1
    eval_every: int = 200
    seed: int = 1234
    n_layer: int = 4
    n_head: int = 4
    n_embd: int = 160
    dropout: float = 0.3
    p_long: float = 0.3  # share of long sentences among drawn units (grammar, not style)
    min_count: int = MIN_COUNT  # a word enters the vocabulary after this many uses


@dataclass
class TrainResult:
    model: GPT
    vocab: Vocab
    steps: int
    seconds: float
    held_out_loss: float
    train_loss: float
    units: dict[str, int] = field(default_factory=dict)
    token_share: dict[str, float] = field(default_factory=dict)


class UnitSampler:
    """Draws training units so each author gets its share of *tokens* under a weight table
    (corpus.AUTHOR_WEIGHTS or LEGACY_AUTHOR_WEIGHTS; unlisted authors: UNKNOWN_AUTHOR_WEIGHT)."""

    def __init__(
        self,
        units: list[Unit],
        vocab: Vocab,
        rng: np.random.Generator,
        p_long: float,
        weights: dict[str, float] = LEGACY_AUTHOR_WEIGHTS,
    ) -> None:
        self.rng, self.p_long = rng, p_long
        self.by_author: dict[str, list[list[int]]] = {}
        self.long: list[list[int]] = []
        long_mark = vocab.index[LONG]
        for u in units:
            ids = vocab.encode(u.text) + [vocab.eos]
            if u.long:
                self.long.append([long_mark] + ids)
            else:
                self.by_author.setdefault(u.author, []).append(ids)
        self.authors = sorted(self.by_author)
        # Per-draw probability = token weight / mean unit length, so long-winded authors
        # do not get extra tokens by writing longer sentences.
        mean_len = [np.mean([len(x) for x in self.by_author[a]]) for a in self.authors]
        w = np.array(
            [author_weight(a, weights) / m for a, m in zip(self.authors, mean_len, strict=True)]
        )
        self.p = w / w.sum()

    def row(self, length: int, eos: int) -> list[int]:
        """BOS, then whole units separated by EOS, until the row holds `length` tokens.
        Long sentences (in their natural author mix) are drawn with probability p_long."""
        out = [eos]
        while len(out) < length:
            if self.long and self.rng.random() < self.p_long:
                pool = self.long
            else:
                pool = self.by_author[self.authors[self.rng.choice(len(self.authors), p=self.p)]]
            out.extend(pool[self.rng.integers(len(pool))])
        return out[:length]

    def batch(self, n: int, block: int, eos: int) -> tuple[torch.Tensor, torch.Tensor]:
        data = torch.tensor([self.row(block + 1, eos) for _ in range(n)], dtype=torch.long)
        return data[:, :-1], data[:, 1:]


def lr_at(step: int, s: TrainSettings) -> float:
    """Linear warm-up, then cosine decay to min_lr."""
    if step < s.warmup:
        return s.lr * (step + 1) / s.warmup
    frac = (step - s.warmup) / max(1, s.steps - s.warmup)
    return s.min_lr + 0.5 * (s.lr - s.min_lr) * (1 + math.cos(math.pi * min(1.0, frac)))


@torch.no_grad()
def held_out_loss(model: GPT, units: list[Unit], vocab: Vocab, block: int) -> float:
    """Mean next-token cross-entropy (nats/token) over held-out units, each from BOS."""
    model.eval()
    total, count = 0.0, 0
    seqs = [([vocab.eos] + vocab.encode(u.text) + [vocab.eos])[: block + 1] for u in units]
    for i in range(0, len(seqs), 64):
        chunk = seqs[i : i + 64]
        width = max(len(s) for s in chunk)
        data = torch.full((len(chunk), width), vocab.pad, dtype=torch.long)
        for r, s in enumerate(chunk):
            data[r, : len(s)] = torch.tensor(s)
        loss = model.loss(data[:, :-1], data[:, 1:], vocab.pad)
        n = int((data[:, 1:] != vocab.pad).sum())
        total += float(loss) * n
        count += n
    model.train()
    return total / count if count else math.nan


def make_optimizer(model: GPT, s: TrainSettings) -> torch.optim.Optimizer:
    decay = [p for p in model.parameters() if p.dim() >= 2]
    other = [p for p in model.parameters() if p.dim() < 2]
    groups = [
        {"params": decay, "weight_decay": s.weight_decay},
        {"params": other, "weight_decay": 0.0},
    ]
    return torch.optim.AdamW(groups, lr=s.lr, betas=(0.9, 0.95))


def train(
    corpus: Path | Sequence[Path],
    s: TrainSettings,
    weights: dict[str, float] = LEGACY_AUTHOR_WEIGHTS,
) -> TrainResult:
    """Train from scratch on one corpus folder or several, drawing authors by `weights` (the
    default is version 1's table); prints a progress bar and the held-out loss as it goes."""
    torch.set_num_threads(1)  # the machine is shared; one thread is the budget
    torch.manual_seed(s.seed)  # training only: sampling never touches the global RNG
    train_units, val_units = split_units(corpus)
    vocab = build_vocab((u.text for u in train_units), s.min_count)
    cfg = GPTConfig(len(vocab.tokens), s.block_size, s.n_layer, s.n_head, s.n_embd, s.dropout)
    model = GPT(cfg)
    sampler = UnitSampler(train_units, vocab, np.random.default_rng(s.seed), s.p_long, weights)
    opt = make_optimizer(model, s)
    print(
        f"{len(train_units)} training units, {len(val_units)} held out; "
        f"vocab {len(vocab.tokens)}; {model.num_params() / 1e6:.2f} M parameters"
    )
    start, val, ema = time.monotonic(), float("nan"), float("nan")
    best: tuple[float, int, float, dict] = (math.inf, 0, math.nan, {})
    bar = tqdm(range(s.steps), desc="train-quotes", unit="step")
    for step in bar:
        for g in opt.param_groups:
            g["lr"] = lr_at(step, s)
        x, y = sampler.batch(s.batch_size, s.block_size, vocab.eos)
        loss = model.loss(x, y, vocab.pad)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        ema = loss.item() if math.isnan(ema) else 0.98 * ema + 0.02 * loss.item()
        if (step + 1) % s.eval_every == 0 or step + 1 == s.steps:
            val = held_out_loss(model, val_units, vocab, s.block_size)
            tqdm.write(f"step {step + 1}: train {ema:.3f}  held-out {val:.3f} nats/token")
            # Keep the best held-out checkpoint, in case it starts to recite (the latest one
            # when there is no held-out text, as on a tiny test corpus).
            if math.isnan(val) or val < best[0]:
                best = (val, step + 1, ema, copy.deepcopy(model.state_dict()))
        bar.set_postfix(loss=f"{ema:.3f}", val=f"{val:.3f}")
    model.load_state_dict(best[3])
    model.eval()
    print(f"kept step {best[1]}: held-out loss {best[0]:.3f} nats/token")
    return TrainResult(
        model,
        vocab,
        best[1],
        time.monotonic() - start,
        best[0],
        best[2],
        _unit_counts(train_units),
        _token_share(sampler),
    )


def _unit_counts(units: list[Unit]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for u in units:
        key = "long sentences" if u.long else u.author
        counts[key] = counts.get(key, 0) + 1
    return counts


def _token_share(sampler: UnitSampler) -> dict[str, float]:
    """Expected share of training tokens per author (what the weighting actually achieves)."""
    lens = [np.mean([len(x) for x in sampler.by_author[a]]) for a in sampler.authors]
    mass = sampler.p * np.array(lens)
    return {a: round(float(m / mass.sum()), 3) for a, m in zip(sampler.authors, mass, strict=True)}
