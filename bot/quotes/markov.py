"""The fallback engine: a seeded word-level Markov chain (state size 3).

Why its source is the model's own output: a transition table built from the corpus is, with
state size 3, very nearly the corpus itself (most 4-word contexts have one continuation), so
shipping it would ship the text. The chain is built instead from sentences the neural model
generated at training time *that passed every filter*, the novelty check included. It ships no
corpus 6-gram, and its outputs are filtered again anyway.
"""

from __future__ import annotations

import numpy as np

from bot.quotes.text import tokenize

STATE = 3
_BEGIN, _END = "<s>", "</s>"


class MarkovChain:
    def __init__(self, sentences: list[str], state_size: int = STATE) -> None:
        self.state_size = state_size
        counts: dict[tuple[str, ...], dict[str, int]] = {}
        for text in sentences:
            toks = [_BEGIN] * state_size + tokenize(text) + [_END]
            for i in range(len(toks) - state_size):
                nxt = counts.setdefault(tuple(toks[i : i + state_size]), {})
                nxt[toks[i + state_size]] = nxt.get(toks[i + state_size], 0) + 1
        # Sorted choices and cumulative counts: the walk depends only on the seed, never on
        # dict or set ordering.
        self.table = {
            state: (sorted(nxt), np.cumsum([nxt[t] for t in sorted(nxt)]))
            for state, nxt in counts.items()
        }

    def walk(self, rng: np.random.Generator, max_tokens: int = 60) -> list[str]:
        """One random walk from the start state to the end (or max_tokens)."""
        state = (_BEGIN,) * self.state_size
        out: list[str] = []
        for _ in range(max_tokens):
            choices, cum = self.table[state]
            tok = choices[int(np.searchsorted(cum, rng.integers(cum[-1]), side="right"))]
            if tok == _END:
                return out
            out.append(tok)
            state = state[1:] + (tok,)
        return []  # cut off: not a whole sentence
