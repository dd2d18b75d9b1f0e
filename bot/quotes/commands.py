"""argparse verbs: train-quotes, quote, quotes (registered on the CLI's subparsers)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from bot.quotes.voices import DEFAULT_VOICE, VOICE_NAMES, VOICES

MAX_SEED = 2**32 - 1  # a painting's seeds (bot.art.recipe.MAX_SEED); quote seeds are the same
_VOICE_HELP = "; ".join(f"{v.name}: {v.label}" for v in VOICES)


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    """Register train-quotes, quote and quotes on the CLI's subparsers object."""
    p = subparsers.add_parser(
        "train-quotes",
        help="train engine 2's language model on both corpus folders and write quotes/v2/lm",
    )
    p.add_argument(
        "--steps",
        type=_positive,
        default=None,
        help="optimizer steps (default 1500; 2200 with --legacy)",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        help="artefact directory (default quotes/v2/lm; required with --legacy)",
    )
    p.add_argument(
        "--corpus",
        type=Path,
        action="append",
        default=None,
        help="a corpus directory; repeat for several (default ../shared/corpus and "
        "../shared/corpus-more, or $CPPN_CORPUS_DIR; with --legacy ../shared/corpus alone)",
    )
    p.add_argument("--seed", type=int, default=1234, help="training seed")
    p.add_argument(
        "--legacy",
        action="store_true",
        help="the version-1 recipe (as quotes/v1 was made): v1 author weights, a bundle with "
        "fallback source and model card; quotes/v1 itself is frozen, so --out is required",
    )
    p.add_argument(
        "--refresh",
        action="store_true",
        help="keep the weights; rebuild n-grams and manifest (--legacy: also the fallback "
        "source and model card)",
    )
    p.set_defaults(func=_train)

    p = subparsers.add_parser("quote", help="print one generated quote")
    p.add_argument("--seed", type=_seed, required=True, help=f"0 to {MAX_SEED}, as a painting's")
    p.add_argument("--attribution", choices=("generated", "signature"), default="generated")
    p.add_argument("--voice", choices=VOICE_NAMES, default=DEFAULT_VOICE, help=_VOICE_HELP)
    p.add_argument(
        "--engine",
        type=int,
        choices=(1, 2),
        default=2,
        help="2: aphorisms (new codes, the default); 1: the first neural model (version-1 codes)",
    )
    p.add_argument("--dir", type=Path, default=None, help="quotes/ directory (holding v1/, v2/)")
    p.set_defaults(func=_quote)

    p = subparsers.add_parser(
        "quotes", help="blind-read panels and their scores; engine 1's sample report"
    )
    p.add_argument(
        "--sample", type=_positive, default=1000, help="engine 1: number of seeds (0..N-1)"
    )
    p.add_argument("--report", action="store_true", help="engine 1: print the full report")
    p.add_argument(
        "--out", type=Path, default=None, help="engine 1's report file (quotes/v1/REPORT.md)"
    )
    p.add_argument("--dir", type=Path, default=None, help="quotes/ directory to load")
    blind = p.add_mutually_exclusive_group()
    blind.add_argument(
        "--panel",
        type=Path,
        metavar="DIR",
        help="write a blind-read panel: DIR/panel.txt, ratings.tsv (for the reader), key.tsv",
    )
    blind.add_argument(
        "--score", type=Path, metavar="RATINGS", help="score a filled DIR/ratings.tsv"
    )
    p.add_argument("--n", type=_positive, default=80, help="--panel: generated lines (80)")
    p.add_argument("--real", type=_non_negative, default=20, help="--panel: real sentences (20)")
    p.add_argument("--voice", default="any", help="--panel: voice of the generated lines")
    p.add_argument("--seed", type=int, default=1, help="--panel: seed for seeds and shuffling")
    p.set_defaults(func=_quotes)


def _positive(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer, not {text}")
    return value


def _seed(text: str) -> int:
    """A quote's seed is a painting's: 0 to 2**32 - 1 (what a replay code can carry)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"must be from 0 to {MAX_SEED}, not {text}")
    return value


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {text}")
    return value


def _train(args: argparse.Namespace) -> int:
    import sys
    from dataclasses import replace

    from bot.quotes.build import LM_SETTINGS, build, build_lm, refresh, refresh_lm
    from bot.quotes.bundle import legacy_dir, lm_dir
    from bot.quotes.corpus import default_corpus_dir, default_corpus_dirs
    from bot.quotes.train import TrainSettings

    if args.legacy and args.out is None:
        print("train-quotes --legacy needs --out (quotes/v1 is frozen)", file=sys.stderr)
        return 2
    out = args.out or lm_dir()
    if out.resolve() == legacy_dir().resolve():
        print(f"{out} is the frozen version-1 bundle: write elsewhere", file=sys.stderr)
        return 2
    if args.legacy:
        corpus = args.corpus or [default_corpus_dir()]
        settings = TrainSettings(seed=args.seed)
        key = "model_id"
        if args.refresh:
            manifest = refresh(corpus, out)
        else:
            steps = args.steps or settings.steps
            manifest = build(corpus, out, replace(settings, steps=steps))
    else:
        corpus = args.corpus or default_corpus_dirs()
        key = "lm_id"
        if args.refresh:
            manifest = refresh_lm(corpus, out)
        else:
            steps = args.steps or LM_SETTINGS.steps
            manifest = build_lm(corpus, out, replace(LM_SETTINGS, steps=steps, seed=args.seed))
        if out.name == "lm":  # engine 2's bundle: its fallback lines and model id beside it
            from bot.quotes.aphorism.build import assemble

            built = assemble(out.parent)
            print(
                f"wrote {out.parent}: engine 2 model {built['model_id']}, "
                f"{sum(built['frames'].values())} frames, {built['fallback_lines']} fallback lines"
            )
    t = manifest["trained"]
    print(
        f"wrote {out}: model {manifest[key]}, {t['params'] / 1e6:.2f} M params, "
        f"{t['steps']} steps in {t['seconds'] / 60:.1f} min, "
        f"held-out loss {t['held_out_loss']:.3f} nats/token, vocab {t['vocab_size']}"
    )
    return 0


def _quote(args: argparse.Namespace) -> int:
    from bot.quotes.engines import Quotes

    quotes = Quotes.load(args.dir)
    q = quotes.generate(args.seed, args.attribution, engine=args.engine, voice_name=args.voice)
    print(q.text)
    print(q.attribution)
    return 0


def _quote_source(voice: str, directory: Path | None) -> Callable[[int], str]:
    """seed -> quote text, from the shipped engines (engine 2, in the voice asked for)."""
    from bot.quotes.engines import Quotes

    engine = Quotes.load(directory)
    return lambda seed: engine.generate(seed, voice_name=voice).text


def _panel(args: argparse.Namespace) -> int:
    from bot.quotes.panel import default_corpus_dirs, make_panel

    source, voice = _quote_source(args.voice, args.dir), args.voice
    lines = make_panel(
        args.panel,
        source,
        default_corpus_dirs(),
        n=args.n,
        real=args.real,
        seed=args.seed,
        voice=voice,
    )
    print(f"wrote {args.panel}/panel.txt ({lines} lines), ratings.tsv and key.tsv")
    print("give the reader panel.txt and ratings.tsv only; keep key.tsv out of sight")
    return 0


def _quotes(args: argparse.Namespace) -> int:
    if args.panel is not None:
        return _panel(args)
    if args.score is not None:
        from bot.quotes.panel import score

        print(score(args.score))
        return 0

    from bot.quotes import QuoteGenerator
    from bot.quotes.bundle import legacy_dir
    from bot.quotes.report import render, sample

    gen = QuoteGenerator.load(args.dir)
    stats = sample(gen, args.sample)
    text = render(stats, gen)
    if args.report:
        print(text)
        out = args.out or (args.dir or legacy_dir()) / "REPORT.md"
        out.write_text(text, encoding="utf-8")
        print(f"(written to {out})")
    else:
        print(stats.summary())
    return 0
