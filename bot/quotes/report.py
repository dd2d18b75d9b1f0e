"""`quotes --sample N --report`: acceptance, distinctness, copies and timing over N seeds."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from bot.quotes.generator import Quote, QuoteGenerator
from bot.quotes.text import words

FORCED_FALLBACK_SEEDS = 200
REJECTION_SEEDS = 100


@dataclass
class Stats:
    quotes: list[Quote]
    ms: list[float]
    fallback: list[Quote] = field(default_factory=list)
    rejections: Counter = field(default_factory=Counter)
    longest_run: Counter = field(default_factory=Counter)  # words shared with the corpus
    copies: int = 0
    corpus_checked: bool = False

    def summary(self) -> str:
        n = len(self.quotes)
        engines = Counter(q.engine for q in self.quotes)
        return (
            f"{n} quotes: {dict(engines)}, distinct {self.distinct():.1%}, "
            f"median {np.median(self.ms):.0f} ms, p95 {np.percentile(self.ms, 95):.0f} ms"
        )

    def distinct(self) -> float:
        return len({q.text for q in self.quotes}) / max(1, len(self.quotes))


def sample(gen: QuoteGenerator, n: int) -> Stats:
    """Generate quotes for seeds 0..n-1, timing each; then the extra measurements."""
    quotes, ms = [], []
    for seed in range(n):
        t0 = time.perf_counter()
        quotes.append(gen.generate(seed))
        ms.append((time.perf_counter() - t0) * 1000)
    stats = Stats(quotes, ms)
    forced = QuoteGenerator(gen.bundle, max_tries=0)
    stats.fallback = [forced.generate(seed) for seed in range(FORCED_FALLBACK_SEEDS)]
    for seed in range(min(n, REJECTION_SEEDS)):
        for text in gen.sampler.candidates(seed, 0):
            stats.rejections[gen.rejection(text) or "accepted"] += 1
    _check_corpus(stats)
    return stats


def _check_corpus(stats: Stats) -> None:
    """Exact check against the real corpus when it is at hand (the filter uses hashes)."""
    from bot.quotes.corpus import default_corpus_dir, read_paragraphs

    try:
        paragraphs = [p for ps in read_paragraphs(default_corpus_dir()).values() for p in ps]
    except FileNotFoundError:
        return
    grams: dict[int, set[tuple[str, ...]]] = {n: set() for n in range(3, 7)}
    for para in paragraphs:
        ws = words(para)
        for n, seen in grams.items():
            seen.update(tuple(ws[i : i + n]) for i in range(len(ws) - n + 1))
    for q in stats.quotes:
        ws = words(q.text)
        run = max(
            [
                n
                for n, seen in grams.items()
                if any(tuple(ws[i : i + n]) in seen for i in range(len(ws) - n + 1))
            ]
            or [0]
        )
        stats.longest_run[run] += 1
        stats.copies += run >= 6
    stats.corpus_checked = True


def render(stats: Stats, gen: QuoteGenerator) -> str:
    """The report as Markdown."""
    return "\n".join(
        [
            f"# Quote report (model `{gen.model_id}`)",
            "",
            *_acceptance(stats, gen),
            "",
            *_quality(stats),
            "",
            *_timing(stats),
            "",
            "## 20 examples (seeds 0-19)",
            "",
            *[
                f"{i}. {q.text} {q.attribution} *({q.engine})*"
                for i, q in enumerate(stats.quotes[:20])
            ],
            "",
        ]
    )


def _acceptance(stats: Stats, gen: QuoteGenerator) -> list[str]:
    n = len(stats.quotes)
    neural = [q for q in stats.quotes if q.engine == "neural"]
    neural_tries = sum(q.tries for q in neural) + (n - len(neural)) * gen.max_tries
    fb_walks = sum(q.tries for q in stats.fallback)
    rej = sum(stats.rejections.values())
    return [
        f"## Acceptance ({n} seeds)",
        "",
        "| engine | quotes produced | candidates tried | acceptance per candidate |",
        "|---|---|---|---|",
        f"| neural | {len(neural)} ({len(neural) / n:.1%}) | {neural_tries} | "
        f"{len(neural) / max(1, neural_tries):.1%} |",
        f"| markov (fallback) | {n - len(neural)} | - | - |",
        f"| markov, forced on {len(stats.fallback)} seeds | {len(stats.fallback)} | {fb_walks} | "
        f"{len(stats.fallback) / max(1, fb_walks):.1%} |",
        "",
        f"First filter to reject a neural candidate ({rej} candidates, first round of "
        f"{min(n, REJECTION_SEEDS)} seeds): "
        + ", ".join(f"{k} {v / rej:.1%}" for k, v in stats.rejections.most_common()),
    ]


def _quality(stats: Stats) -> list[str]:
    lines = [
        "## Distinctness and copying",
        "",
        f"- distinct quotes: {stats.distinct():.1%}",
        f"- distinct forced-fallback quotes: "
        f"{len({q.text for q in stats.fallback}) / max(1, len(stats.fallback)):.1%}",
    ]
    if stats.corpus_checked:
        n = len(stats.quotes)
        lines.append(
            f"- copy rate (a run of >= 6 corpus words, exact check): "
            f"{stats.copies / n:.1%} ({stats.copies} of {n})"
        )
        runs = ", ".join(f"{k}: {v}" for k, v in sorted(stats.longest_run.items()))
        lines.append(
            f"- longest run of words shared with the corpus, quotes per length "
            f"(0 = under 3): {runs}"
        )
    else:
        lines.append("- copy rate: corpus not found, only the hashed filter applied")
    return lines


def _timing(stats: Stats) -> list[str]:
    return [
        "## Time per quote (model loaded, this machine)",
        "",
        f"- median {np.median(stats.ms):.0f} ms, p95 {np.percentile(stats.ms, 95):.0f} ms, "
        f"max {max(stats.ms):.0f} ms",
    ]
