"""Exploring from a code: `cppn-bot animate CODE -o loop.mp4` (an animated loop, bot/motion),
`cppn-bot vary CODE -o grid.png` (four variations) and `cppn-bot blend A B` (a blend of two codes,
as a picture at t or a morph animation; bot/art/explore.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.art.code import format_code, parse_code
from bot.compose.encode import DISCORD_DEFAULT_LIMIT
from bot.errors import UserError
from bot.forms import ANIMATION_SIZES, DEFAULT_ANIMATION_SIZE, animation_sized


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
        help=f"default: the code's aspect, {ANIMATION_SIZES[DEFAULT_ANIMATION_SIZE]} on the long "
        "side (smaller codes keep their size)",
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
    _add_vary(subparsers)
    _add_blend(subparsers)


def _add_vary(subparsers: argparse._SubParsersAction) -> None:
    from bot.art.explore import STRENGTHS
    from bot.cli import _size

    p = subparsers.add_parser(
        "vary", help="four variations of a code, as a 2x2 grid, and their replay codes"
    )
    p.add_argument("code", help="a replay code, or a bare integer seed")
    p.add_argument("--strength", choices=STRENGTHS, default=STRENGTHS[0],
                   help="subtle: the same picture, details moved; strong: its family")  # fmt: skip
    p.add_argument("--size", type=_size, metavar="WxH", help="the grid's size (default the code's)")
    p.add_argument("--device", default="auto", help="auto (cuda if present), cpu or cuda")
    p.add_argument("-o", "--output", type=Path, required=True, help="PNG file to write")
    p.set_defaults(func=_vary)


def _add_blend(subparsers: argparse._SubParsersAction) -> None:
    from bot.cli import _add_output

    p = subparsers.add_parser(
        "blend",
        help="blend two codes of one network: a picture at --t, or a morph with --frames",
    )
    p.add_argument("a", help="the first replay code (its framing, size and quote are kept)")
    p.add_argument("b", help="the second replay code: the same network with another seed")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--t", type=float, default=0.5, help="0 is a, 1 is b (default 0.5)")
    how.add_argument("--frames", type=int, help="a morph from a to b in this many frames")
    p.add_argument("--fps", type=int, default=24, help="the morph's frames per second")
    _add_output(p)
    p.set_defaults(func=_blend)


def _vary(args: argparse.Namespace) -> int:
    from bot.cli import _paint_to_file
    from bot.forms import Form
    from bot.pipeline import PaintSpec

    recipe = parse_code(args.code)
    if args.size:
        recipe = recipe.with_size(*args.size)
    args.max_bytes = None
    job = PaintSpec(recipe, byte_limit=1 << 40, form=Form.grid(args.strength))
    _paint_to_file(job, args)
    for i, code in enumerate(_tiles(job), 1):
        print(f"{i}: {code}")
    return 0


def _tiles(job) -> list[str]:
    from bot.art.explore import variations

    return [format_code(r) for r in variations(job.recipe, job.form.strength)]


def _blend(args: argparse.Namespace) -> int:
    from bot.art.explore import blend, check_blendable
    from bot.cli import _job, _paint_to_file

    a, b = parse_code(args.a), parse_code(args.b)
    if args.frames is None:
        return _paint_to_file(_job(blend(a, b, args.t), args), args)
    from bot.motion.animate import AnimateSpec, output_format
    from bot.motion.morph import Morph

    output_format(args.output)
    check_blendable(a, b)
    if args.frames < 2:
        raise UserError(f"--frames {args.frames} is not allowed: a morph needs at least 2")
    job = _job(a, args)
    spec = AnimateSpec(
        job.recipe,
        seconds=args.frames / args.fps,
        fps=args.fps,
        custom_quote=job.custom_quote,
        byte_limit=job.byte_limit if args.max_bytes is not None else DISCORD_DEFAULT_LIMIT,
    )
    return _write_animation(spec, args.output, args.device, lambda r, n: Morph.of(r, b, n))


def _animate(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from bot.motion.animate import AnimateSpec, output_format
    from bot.quotes.voices import DEFAULT_VOICE

    output_format(args.output)  # before the rendering, not after
    recipe = parse_code(args.code)
    if args.size:
        recipe = recipe.with_size(*args.size)
    elif max(recipe.w, recipe.h) > ANIMATION_SIZES[DEFAULT_ANIMATION_SIZE]:
        recipe = animation_sized(recipe)
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
    return _write_animation(spec, args.output, args.device)


def _write_animation(spec, output: Path, device: str, frames_of=None) -> int:
    from bot.motion.animate import animate
    from bot.motion.loop import Loop
    from bot.pipeline import Pipeline
    from bot.quotes.engines import load_quotes

    needs_quotes = spec.recipe.quote == "generated" and spec.custom_quote is None
    pipeline = Pipeline.create(device, load_quotes() if needs_quotes else None)
    progress, close = _progress_bar(spec.frames)
    try:
        done = animate(spec, output, pipeline, progress, frames_of or Loop.of)
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
    print(format_code(done.recipe))
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
