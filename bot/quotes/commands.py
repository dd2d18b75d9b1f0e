"""argparse verbs: train-quotes, quote, quotes (registered on the CLI's subparsers)."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    """Register train-quotes, quote and quotes on the CLI's subparsers object."""
    p = subparsers.add_parser("train-quotes", help="train the quote model and write quotes/")
    p.add_argument("--steps", type=_positive, default=2200, help="optimizer steps (default 2200)")
    p.add_argument("--out", type=Path, default=None, help="artefact directory (default quotes/)")
    p.add_argument(
        "--corpus",
        type=Path,
        default=None,
        help="corpus directory (default ../shared/corpus or $CPPN_CORPUS_DIR)",
    )
    p.add_argument("--seed", type=int, default=1234, help="training seed")
    p.add_argument(
        "--refresh",
        action="store_true",
        help="keep the weights; rebuild n-grams, fallback source, manifest and model card",
    )
    p.set_defaults(func=_train)

    p = subparsers.add_parser("quote", help="print one generated quote")
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--attribution", choices=("generated", "signature"), default="generated")
    p.add_argument("--dir", type=Path, default=None, help="quotes/ directory to load")
    p.set_defaults(func=_quote)

    p = subparsers.add_parser("quotes", help="sample many quotes and report on them")
    p.add_argument("--sample", type=_positive, default=1000, help="number of seeds (0..N-1)")
    p.add_argument("--report", action="store_true", help="print the full report")
    p.add_argument("--out", type=Path, default=None, help="report file (default quotes/REPORT.md)")
    p.add_argument("--dir", type=Path, default=None, help="quotes/ directory to load")
    p.set_defaults(func=_quotes)


def _positive(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer, not {text}")
    return value


def _train(args: argparse.Namespace) -> int:
    from bot.quotes.build import build, refresh
    from bot.quotes.bundle import default_dir
    from bot.quotes.corpus import default_corpus_dir
    from bot.quotes.train import TrainSettings

    out = args.out or default_dir()
    corpus = args.corpus or default_corpus_dir()
    if args.refresh:
        manifest = refresh(corpus, out)
    else:
        manifest = build(corpus, out, TrainSettings(steps=args.steps, seed=args.seed))
    t = manifest["trained"]
    print(
        f"wrote {out}: model {manifest['model_id']}, {t['params'] / 1e6:.2f} M params, "
        f"held-out loss {t['held_out_loss']:.3f} nats/token"
    )
    return 0


def _quote(args: argparse.Namespace) -> int:
    from bot.quotes import QuoteGenerator

    q = QuoteGenerator.load(args.dir).generate(args.seed, attribution=args.attribution)
    print(q.text)
    print(q.attribution)
    return 0


def _quotes(args: argparse.Namespace) -> int:
    from bot.quotes import QuoteGenerator
    from bot.quotes.bundle import default_dir
    from bot.quotes.report import render, sample

    gen = QuoteGenerator.load(args.dir)
    stats = sample(gen, args.sample)
    text = render(stats, gen)
    if args.report:
        print(text)
        out = args.out or (args.dir or default_dir()) / "REPORT.md"
        out.write_text(text, encoding="utf-8")
        print(f"(written to {out})")
    else:
        print(stats.summary())
    return 0
