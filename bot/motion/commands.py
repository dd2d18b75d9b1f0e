"""`cppn-bot animate CODE -o loop.mp4`: an animated loop of a code (see bot/motion)."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.compose.encode import DISCORD_DEFAULT_LIMIT

DEFAULT_LONG_SIDE = 512  # without --size: the code's aspect, the long side this long


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    from bot.cli import _size  # the CLI's WIDTHxHEIGHT parser (bot.cli imports this module)

    p = subparsers.add_parser(
        "animate", help="an animated loop of a code: its latent z walks a circle"
    )
    p.add_argument("code", help="a replay code, or a bare integer seed")
    p.add_argument("--seconds", type=float, default=4.0, help="length of the loop (default 4)")
    p.add_argument("--fps", type=int, default=24, help="frames per second (default 24)")
    p.add_argument(
        "--size",
        type=_size,
        metavar="WxH",
        help=f"default: the code's aspect, {DEFAULT_LONG_SIDE} on the long side",
    )
    quote = p.add_mutually_exclusive_group()
    quote.add_argument("--quote", metavar="TEXT", help="your own quote over the moving art")
    quote.add_argument("--no-quote", action="store_true", help="no quote")
    p.add_argument(
        "--max-bytes",
        type=int,
        default=DISCORD_DEFAULT_LIMIT,
        help="fit the file under this size (default Discord's 10 MiB)",
    )
    p.add_argument("--device", default="auto", help="auto (cuda if present), cpu or cuda")
    p.add_argument("-o", "--output", type=Path, required=True, help=".mp4, .gif or .webp")
    p.set_defaults(func=_animate)


def _animate(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from bot.art.code import parse_code
    from bot.motion.animate import AnimateSpec, animate, output_format
    from bot.pipeline import Pipeline
    from bot.quotes.engines import load_quotes
    from bot.quotes.voices import DEFAULT_VOICE

    output_format(args.output)  # before the rendering, not after
    recipe = parse_code(args.code)
    if args.size:
        recipe = recipe.with_size(*args.size)
    else:
        scale = DEFAULT_LONG_SIDE / max(recipe.w, recipe.h)
        if scale < 1:
            recipe = recipe.with_size(
                max(16, round(recipe.w * scale)), max(16, round(recipe.h * scale))
            )
    if args.no_quote:
        recipe = replace(
            recipe, quote="none", signature=False, quote_variant=0, voice=DEFAULT_VOICE
        )
    spec = AnimateSpec(
        recipe,
        seconds=args.seconds,
        fps=args.fps,
        custom_quote=args.quote,
        byte_limit=args.max_bytes,
    )
    needs_quotes = spec.recipe.quote == "generated" and spec.custom_quote is None
    pipeline = Pipeline.create(args.device, load_quotes() if needs_quotes else None)
    progress, close = _progress_bar(spec.frames)
    try:
        done = animate(spec, args.output, pipeline, progress)
    finally:
        close()
    print(
        f"wrote {done.path} ({done.width}x{done.height}, {done.frames} frames at {done.fps} "
        f"fps, {done.size_bytes:,} bytes, {done.mime})"
    )
    if done.note:
        print(f"note: {done.note}")
    if done.quote:
        print(done.quote)
    print(_code(done.recipe))
    return 0


def _progress_bar(frames: int):
    """A tqdm bar over the frames when stdout is a terminal; else nothing."""
    import sys

    if not sys.stdout.isatty():
        return None, lambda: None
    from tqdm import tqdm

    bar = tqdm(total=frames, unit="frame", desc="animating", file=sys.stderr, leave=False)

    def update(done: int, total: int) -> None:
        bar.update(done - bar.n)  # a fallback's new try starts again from 0: the bar goes back

    return update, bar.close


def _code(recipe) -> str:
    from bot.art.code import format_code

    return format_code(recipe)
