"""train-quotes: train, then write the artefacts.

build_lm: engine 2's language model, trained on both corpus folders, to quotes/v2/lm (the default).
build:    the version-1 recipe (one folder, v1 author weights, fallback source and model card), as
          quotes/v1 was made; quotes/v1 itself is frozen, so this writes elsewhere.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from bot.quotes import bundle as B
from bot.quotes.corpus import (
    AUTHOR_WEIGHTS,
    LEGACY_AUTHOR_WEIGHTS,
    as_dirs,
    author_weight,
    read_paragraphs,
)
from bot.quotes.filters import first_failure, make_checks
from bot.quotes.ngrams import NoveltyIndex, build_hashes
from bot.quotes.sampler import NeuralSampler, SamplerSettings
from bot.quotes.train import TrainResult, TrainSettings, train
from bot.quotes.vocab import MIN_COUNT

MARKOV_LINES = 4000
_MARKOV_SEED_BASE = 1 << 48  # far from user seeds, so the source is not just the first quotes


def build(
    corpus_dir: Path | Sequence[Path],
    out: Path,
    settings: TrainSettings,
    sampler: SamplerSettings | None = None,
    markov_lines: int = MARKOV_LINES,
) -> dict:
    """Train and write weights, vocabulary, n-gram hashes, Markov source, manifest, model card."""
    sampler = sampler or SamplerSettings()
    result = train(corpus_dir, settings)
    out.mkdir(parents=True, exist_ok=True)
    B.save_weights(result.model, out / B.WEIGHTS)
    result.vocab.save(out / B.VOCAB)
    return refresh(corpus_dir, out, {"trained": _stats(result, settings)}, sampler, markov_lines)


def refresh(
    corpus_dir: Path | Sequence[Path],
    out: Path,
    extra: dict | None = None,
    sampler: SamplerSettings | None = None,
    markov_lines: int = MARKOV_LINES,
) -> dict:
    """Rebuild everything derived from saved weights: n-gram hashes, fallback source,
    manifest and model card (after a filter change, say) without training again."""
    if extra is None:  # keep the training record of the bundle being refreshed
        old = json.loads((out / B.MANIFEST).read_text(encoding="utf-8"))
        extra = {"trained": old["trained"]}
    sampler = sampler or SamplerSettings()  # the current sampler: a refresh may change it
    paragraphs = [p for ps in read_paragraphs(corpus_dir).values() for p in ps]
    novelty = NoveltyIndex(build_hashes(paragraphs))
    novelty.save(out / B.NGRAMS)
    lines = markov_source(out, novelty, sampler, markov_lines)
    header = (
        "# Written by the neural quote model (no corpus text); every line passed the filters.\n"
    )
    (out / B.MARKOV).write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    extra = {**extra, "ngram_windows": int(novelty.hashes.size)}
    manifest = B.write_manifest(out, sampler, extra)
    (out / "MODEL_CARD.md").write_text(model_card(manifest), encoding="utf-8")
    return manifest


# Engine 2's language model: the v1 architecture and recipe, on both folders. The vocabulary
# (words used at least MIN_COUNT = 4 times in the training units) grows from 7.6 k to 12.3 k
# tokens with the second folder (3.2 M parameters). 1500 steps took 26.6 minutes on one CPU
# thread (~1.07 s a step with the other core busy), held-out loss 4.845 nats/token, still
# falling slowly at the end: more steps would help a little if the time is there.
LM_SETTINGS = TrainSettings(steps=1500)


def build_lm(
    corpus_dirs: Path | Sequence[Path],
    out: Path,
    settings: TrainSettings = LM_SETTINGS,
    weights: dict[str, float] = AUTHOR_WEIGHTS,
) -> dict:
    """Train the language model on every folder and write out/: model.pt (fp16), vocab.json,
    ngrams6.npy (hashed 6-word windows of every paragraph of every folder) and manifest.json
    (sha256 of each, the training record, the corpus files read); returns the manifest."""
    dirs = as_dirs(corpus_dirs)
    result = train(dirs, settings, weights)
    out.mkdir(parents=True, exist_ok=True)
    B.save_weights(result.model, out / B.WEIGHTS)
    result.vocab.save(out / B.VOCAB)
    trained = {
        **_stats(result, settings),
        "author_weights": {a: author_weight(a, weights) for a in sorted(result.token_share)},
    }
    return refresh_lm(dirs, out, {"trained": trained})


def refresh_lm(corpus_dirs: Path | Sequence[Path], out: Path, extra: dict | None = None) -> dict:
    """Rebuild the n-gram index and manifest of a language model from its saved weights (the
    training record is kept when extra is None)."""
    if extra is None:
        old = json.loads((out / B.MANIFEST).read_text(encoding="utf-8"))
        extra = {"trained": old["trained"]}
    dirs = as_dirs(corpus_dirs)
    paragraphs = [p for ps in read_paragraphs(dirs).values() for p in ps]
    novelty = NoveltyIndex(build_hashes(paragraphs))
    novelty.save(out / B.NGRAMS)
    corpus = {f"{d.name}/{f.name}": B.sha256_file(f) for d in dirs for f in sorted(d.glob("*.txt"))}
    extra = {
        **extra,
        "kind": "word-level GPT language model (engine 2's reranker)",
        "corpus": corpus,
        "paragraphs": len(paragraphs),
        "ngram_windows": int(novelty.hashes.size),
    }
    return B.write_lm_manifest(out, extra)


def markov_source(out: Path, novelty: NoveltyIndex, settings: SamplerSettings, n: int) -> list[str]:
    """n distinct sentences from the saved (fp16) model that pass every filter."""
    from tqdm import tqdm

    model, vocab = B.load_weights(out / B.WEIGHTS), B.Vocab.load(out / B.VOCAB)
    sampler = NeuralSampler(model, vocab, settings)
    checks = make_checks(vocab.words(), novelty.is_novel)
    seen: dict[str, None] = {}
    bar = tqdm(total=n, desc="fallback source", unit="line")
    round_no = 0
    while len(seen) < n:
        if round_no > 20 * n:  # an untrained model never gets there: say so, do not spin
            raise RuntimeError(f"only {len(seen)} of {n} fallback lines passed the filters")
        for text in sampler.candidates(_MARKOV_SEED_BASE, round_no):
            if text not in seen and len(seen) < n and first_failure(text, checks) is None:
                seen[text] = None
                bar.update(1)
        round_no += 1
    bar.close()
    return list(seen)


def _stats(result: TrainResult, s: TrainSettings) -> dict:
    return {
        "params": result.model.num_params(),
        "steps": s.steps,
        "kept_step": result.steps,
        "seconds": round(result.seconds),
        "held_out_loss": round(result.held_out_loss, 4),
        "train_loss": round(result.train_loss, 4),
        "vocab_size": len(result.vocab.tokens),
        "units": result.units,
        "token_share": result.token_share,
        "settings": asdict(s),
        "date": dt.date.today().isoformat(),
    }


def model_card(manifest: dict) -> str:
    t = manifest["trained"]
    s = TrainSettings(**t["settings"])
    share, units = t["token_share"], t["units"]
    rows = "\n".join(
        f"| {a} | {units.get(a, 0)} | {LEGACY_AUTHOR_WEIGHTS.get(a, 0):.2f} | {share[a]:.3f} |"
        for a in sorted(share)
    )
    shas = "\n".join(f"| `{name}` | `{sha}` |" for name, sha in manifest["sha256"].items())
    return MODEL_CARD.format(
        model_id=manifest["model_id"],
        date=t["date"],
        params=t["params"] / 1e6,
        steps=t["steps"],
        kept=t["kept_step"],
        minutes=t["seconds"] / 60,
        val=t["held_out_loss"],
        train=t["train_loss"],
        vocab=t["vocab_size"],
        rows=rows,
        shas=shas,
        layers=s.n_layer,
        heads=s.n_head,
        embd=s.n_embd,
        block=s.block_size,
        batch=s.batch_size,
        lr=s.lr,
        dropout=s.dropout,
        windows=manifest["ngram_windows"],
        sampler=manifest["sampler"],
        long_units=t["units"].get("long sentences", 0),
        p_long=s.p_long,
        min_count=MIN_COUNT,
    )


MODEL_CARD = """# Quote model card

Model id **`{model_id}`** (first 8 hex of the sha256 of the bundle: the files below plus the
sampler settings). Trained {date} by `cppn-bot train-quotes` on the CPU, one thread.

## Model
A word-level GPT (decoder-only transformer): {layers} layers, {heads} heads, {embd}-dim
embeddings tied with the output layer, context {block} tokens, {params:.2f} M parameters,
vocabulary {vocab} tokens (lower-cased words seen at least {min_count} times in the training
text, plus punctuation and 4 special tokens). Weights stored in fp16.

Training: {steps} steps of {batch} rows x {block} tokens, AdamW (lr {lr}, cosine decay,
weight decay 0.1), dropout {dropout}, {minutes:.1f} minutes on one CPU thread; the checkpoint
kept is the one with the lowest held-out loss, at step {kept}.
**Held-out loss {val:.3f} nats/token** (train {train:.3f}), on whole paragraphs (1 in 20, by
hash) never seen in training.

## Data and weighting
Seven public-domain works (Standard Ebooks editions; see `../shared/corpus/PROVENANCE.md`).
The corpus is cut into quote-sized units: single sentences of 24-170 characters, and pairs of
consecutive sentences that fit in 170 characters. Units with quotation marks, brackets, digits,
foreign letters, blocklisted words or sensitive identity words (women, Jews, ...) are dropped.
Authors are drawn by *token* weight, not by size, so the voice is aphoristic rather than
Seneca's (40 % of the raw words). In addition, {long_units} long sentences (over 170
characters, natural author mix) make up {p_long:.0%} of the drawn units: each is opened by a
`<long>` style token, so the model learns grammar from them while the sampler, which never
emits `<long>`, stays in the short register.

| author | training units | target weight | expected token share |
|---|---|---|---|
{rows}

## What ships (quotes/)
No corpus text. The weights, the vocabulary (words and their display casing), {windows} hashed
word 6-grams of the whole corpus for the novelty check (BLAKE2b truncated to 32 bits; false
rejection ~1e-4 per window, never a false acceptance), and `markov_source.txt`: sentences the
model itself generated that passed every filter, which feed the fallback Markov chain.

| file | sha256 |
|---|---|
{shas}

Sampler: {sampler}

## Why these choices
- **Word-level, not characters.** With ~2 M parameters and a 30-minute CPU budget a character
  model still invents words, which the vocabulary filter would throw away; a word model can only
  say words it has seen, so candidates fail on sense or novelty, not on spelling.
- **Quote-sized training units** teach the model to open with a capital and stop after one or
  two sentences, so most candidates already fit the 30-160 character frame.
- **Fallback source.** A state-3 Markov table of the corpus is nearly the corpus itself (most
  3-word contexts have a single continuation), so shipping it would ship the text. The chain is
  built from the model's own filtered output instead.
- **Best checkpoint.** Training keeps the step with the lowest held-out loss; past it the model
  starts reciting its small books, which the novelty filter then has to reject.

## Limits
Honest reading: at this size (perplexity ~100 on held-out text) the output is dream-grammar:
mostly well-formed phrases in a Stoic register joined a little wrongly ("A little wine ago we
must become a man than a great soul."). The filters remove the worst word salad (repeated
word pairs, comma chains, dangling openers and endings), not all of it. The model imitates
19th-century translations; it can produce grim, sexist or archaic opinions
the filters do not recognise. Quotes are filtered for slurs, obscenities and a few sensitive
identity words, and for any run of 6 words copied from the corpus.
"""
