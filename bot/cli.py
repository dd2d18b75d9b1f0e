"""`cppn-bot` / `python -m bot`: the command line.

paint and replay print the replay code as the last line of stdout; bad input exits with status 2
and one line on stderr.
"""

from __future__ import annotations

import argparse
import re
import secrets
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from bot import config_commands as config_verbs
from bot.art import recipe as rc
from bot.art.code import parse_code
from bot.art.lively import lively
from bot.art.palettes import PALETTE_NAMES
from bot.art.recipe import Recipe
from bot.art.render import Progress, Renderer
from bot.art.symmetry import SYMMETRIES
from bot.compose.encode import EXTENSIONS
from bot.discordbot import commands as discord_verbs
from bot.errors import DiscordUnreachable, SettingsError, StoreError, TokenRejected, UserError
from bot.feeds import commands as feed_verbs
from bot.feeds.poster import FeedError
from bot.jobs import commands as job_verbs
from bot.motion import commands as motion_verbs
from bot.pipeline import PaintSpec, Picture, Pipeline
from bot.quotes import commands as quote_verbs
from bot.quotes.engines import load_quotes
from bot.quotes.voices import DEFAULT_VOICE, VOICE_NAMES, VOICES
from bot.web import commands as web_verbs

PROG = "cppn-bot"
PROGRESS_MIN_PIXELS = 1_000_000  # smaller renders finish before a bar is worth drawing
_NEGATIVE = re.compile(r"^-\.?\d")  # -1, -0.5,0.2, -.5, -1e3: values; no option looks so


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument in one line (and exits 2, as argparse does), and
    takes a value that starts with a minus and a digit as a value, not an option: `--centre
    -0.5,0.2` (argparse's own test, -1 or -0.5 alone, calls that an option)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = _NEGATIVE

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{PROG}: error: {message}\n")


def _size(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", text)
    if not m:
        raise argparse.ArgumentTypeError(f"size {text!r} is not WIDTHxHEIGHT, e.g. 1920x1080")
    return int(m.group(1)), int(m.group(2))


def _centre(text: str) -> tuple[float, float]:
    try:
        x, y = (float(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"centre {text!r} is not X,Y, e.g. 0.1,-0.2") from None
    return x, y


_VOICE_HELP = (
    "the generated quote's voice, default any (every source); on replay, a new voice for the "
    "same picture (a version-1 code becomes version 2). "
    + "; ".join(f"{v.name} ({v.label})" for v in VOICES if v.name != DEFAULT_VOICE)
)


def _add_look(p: argparse.ArgumentParser, default: str | None) -> None:
    """--palette and --symmetry (paint: their defaults; replay: the code's own unless given)."""
    p.add_argument("--palette", choices=PALETTE_NAMES, default=default,
                   help="the outputs through a palette: random (from the seed) or a named one; "
                   "none reads them as rgb/bw (see `experiments --palettes`)")  # fmt: skip
    p.add_argument("--symmetry", choices=SYMMETRIES, default=default,
                   help="fold the picture: mirror-x (left = right), mirror-y, quad, or radial-N, "
                   "a kaleidoscope of N wedges")  # fmt: skip


def _add_output(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", type=Path, required=True, help="PNG file to write")
    p.add_argument("--no-quote", action="store_true", help="paint without a quote")
    p.add_argument("--quote", metavar="TEXT", help="your own quote (any script, <= 280 chars)")
    p.add_argument("--signature", action="store_true", help="sign with the bot, not a philosopher")
    p.add_argument("--placement", choices=rc.PLACEMENTS, help="where the quote goes")
    p.add_argument("--voice", choices=VOICE_NAMES, help=_VOICE_HELP)
    p.add_argument("--max-bytes", type=int, help="fit the file under this size (WebP/JPEG)")
    p.add_argument("--device", default="auto", help="auto (cuda if present), cpu or cuda")


def _quote_options(r: Recipe, a: argparse.Namespace) -> Recipe:
    """Apply --no-quote / --signature / --voice / --placement to a recipe (paint and replay
    alike). --voice asks for the aphorism engine: a version-1 code is re-voiced as version 2."""
    changes: dict[str, object] = {}
    if a.voice is not None and (a.no_quote or a.quote is not None):
        raise UserError("--voice is for a generated quote; leave out --no-quote and --quote")
    if a.no_quote:
        changes.update(quote="none", signature=False, quote_variant=0, voice=DEFAULT_VOICE)
    elif a.signature:
        changes["signature"] = True
    if a.voice is not None:
        if r.quote != "generated":
            raise UserError("--voice is for a generated quote; this code has no quote")
        changes.update(quote_engine=2, voice=a.voice)
    if a.placement:
        changes["placement"] = a.placement
    return replace(r, **changes)


def _add_paint(sub) -> None:
    d = Recipe()
    p = sub.add_parser("paint", help="paint a new picture and print its replay code")
    p.add_argument("--seed", type=int, help="default: a random seed")
    p.add_argument("--layers", type=int, default=d.layers, help="hidden layers (0 allowed)")
    p.add_argument("--width", type=int, default=d.width, help="neurons per hidden layer")
    p.add_argument("--halving", type=int, metavar="FLOOR", help="halve the width each layer")
    p.add_argument("--activation", default=d.activation, choices=rc.ACTIVATIONS)
    p.add_argument("--init", default=d.init, choices=rc.INITS)
    p.add_argument("--std", type=float, help=f"init normal: weight std (default {d.std:g})")
    p.add_argument("--range", type=float, help="init uniform: weights in [-RANGE, RANGE]")
    p.add_argument("--hidden-bias", action="store_true", help="a bias on every hidden layer")
    p.add_argument("--inputs", default=d.inputs, choices=rc.INPUTS)
    p.add_argument("--zdim", type=int, default=d.zdim, help="latent inputs drawn from the seed")
    p.add_argument("--coords", default=d.coords, choices=rc.COORDS)
    p.add_argument("--zoom", type=float, default=d.zoom, help="multiplies coordinates")
    p.add_argument("--centre", type=_centre, default=(d.cx, d.cy), metavar="X,Y")
    p.add_argument("--color", default=d.color, choices=rc.COLORS)
    p.add_argument("--size", type=_size, default=(d.w, d.h), metavar="WxH")
    _add_look(p, "none")
    _add_output(p)
    p.set_defaults(func=_cmd_paint)


def _recipe_from_args(a: argparse.Namespace) -> Recipe:
    d = Recipe()
    return Recipe(
        seed=secrets.randbelow(rc.MAX_SEED + 1) if a.seed is None else a.seed,
        layers=a.layers,
        width=a.width,
        schedule="constant" if a.halving is None else "halving",
        floor=d.floor if a.halving is None else a.halving,
        activation=a.activation,
        init=a.init,
        std=d.std if a.std is None else a.std,
        range=(100.0 if a.init == "uniform" else d.range) if a.range is None else a.range,
        hidden_bias=a.hidden_bias,
        inputs=a.inputs,
        zdim=a.zdim,
        coords=a.coords,
        zoom=a.zoom,
        cx=a.centre[0],
        cy=a.centre[1],
        color=a.color,
        w=a.size[0],
        h=a.size[1],
        palette=a.palette,
        symmetry=a.symmetry,
    )


def _add_replay(sub) -> None:
    p = sub.add_parser("replay", help="paint a replay code again, at any size")
    p.add_argument("code", help="a replay code, or a bare integer seed")
    p.add_argument("--size", type=_size, metavar="WxH", help="render at another size")
    _add_look(p, None)
    _add_output(p)
    p.set_defaults(func=_cmd_replay)


def _add_experiments(sub) -> None:
    p = sub.add_parser("experiments", help="a contact sheet of the article's experiments")
    p.add_argument("-o", "--output", type=Path, required=True)
    p.add_argument("--seed", type=int, default=1, help="seed shared by every cell")
    p.add_argument("--cell", type=int, help="cell size in pixels (64..512; default 200, "
                   "120 with --palettes or --lively)")  # fmt: skip
    sheet = p.add_mutually_exclusive_group()
    sheet.add_argument("--palettes", action="store_true", help="every palette on one sheet")
    sheet.add_argument("--lively", action="store_true",
                       help="random paintings sorted by the dull-picture measure")  # fmt: skip
    p.add_argument("--device", default="auto")
    p.set_defaults(func=_cmd_experiments)


def _progress_bar(recipe: Recipe) -> tuple[Progress | None, Callable[[], None]]:
    """A tqdm bar for large renders when stdout is a terminal; else nothing."""
    if not sys.stdout.isatty() or recipe.w * recipe.h < PROGRESS_MIN_PIXELS:
        return None, lambda: None
    from tqdm import tqdm

    bar = tqdm(total=recipe.h, unit="row", desc="painting", file=sys.stderr, leave=False)

    def update(done: int, total: int) -> None:
        bar.update(done - bar.n)

    return update, bar.close


def _pipeline(device: str, spec: PaintSpec) -> Pipeline:
    needs_quotes = spec.recipe.quote == "generated" and spec.custom_quote is None
    return Pipeline.create(device, load_quotes() if needs_quotes else None)


def _write(path: Path, done: Picture) -> Path:
    """Write the bytes; a WebP/JPEG fallback gets its own extension."""
    ext = "." + EXTENSIONS[done.mime]
    if path.suffix.lower() != ext and done.mime != "image/png":
        path = path.with_suffix(ext)
    try:
        path.write_bytes(done.data)
    except OSError as e:
        raise UserError(f"cannot write {path}: {e.strerror or e}") from None
    return path


def _paint_to_file(job: PaintSpec, args: argparse.Namespace) -> int:
    pipeline = _pipeline(args.device, job)
    progress, close = _progress_bar(job.recipe)
    try:
        done = pipeline.run(job, progress)
    finally:
        close()
    path = _write(args.output, done)
    print(f"wrote {path} ({done.width}x{done.height}, {done.mime})")
    if done.note:
        print(f"note: {done.note}")
    if done.quote:
        print(done.quote + (f" — {done.attribution}" if done.attribution else ""))
    print(done.code)
    return 0


def _job(recipe: Recipe, args: argparse.Namespace) -> PaintSpec:
    limit = args.max_bytes if args.max_bytes is not None else 1 << 40
    if limit < 10_000:
        raise UserError(f"--max-bytes {limit} is not allowed: at least 10000")
    return PaintSpec(_quote_options(recipe, args), custom_quote=args.quote, byte_limit=limit)


def _cmd_paint(args: argparse.Namespace) -> int:
    recipe = _recipe_from_args(args)
    if args.seed is None:  # a seed nobody chose: never a flat or noisy picture (bot/art/lively)
        recipe = lively(recipe, frozenset({"init"} if args.init == "default" else ()))
    return _paint_to_file(_job(recipe, args), args)


def _cmd_replay(args: argparse.Namespace) -> int:
    recipe = parse_code(args.code)
    if args.size:
        recipe = recipe.with_size(*args.size)
    looks = {k: getattr(args, k) for k in ("palette", "symmetry") if getattr(args, k) is not None}
    return _paint_to_file(_job(replace(recipe, **looks), args), args)


def _cmd_experiments(args: argparse.Namespace) -> int:
    from bot.experiments import contact_sheet, lively_sheet, palette_sheet

    cell = args.cell or (120 if args.palettes or args.lively else 200)
    if not 64 <= cell <= 512:
        raise UserError(f"--cell {cell} is not allowed: a size from 64 to 512")
    image_format = _image_format(args.output)  # before the minutes of rendering, not after
    draw = palette_sheet if args.palettes else lively_sheet if args.lively else contact_sheet
    sheet = draw(Renderer.create(args.device), seed=args.seed, cell=cell)
    try:
        sheet.save(args.output, format=image_format)
    except OSError as e:
        raise UserError(f"cannot write {args.output}: {e.strerror or e}") from None
    print(f"wrote {args.output} ({sheet.width}x{sheet.height})")
    return 0


def _image_format(path: Path) -> str:
    """The format Pillow writes for this file name, if its folder exists; else UserError."""
    from PIL import Image

    if not path.parent.is_dir():
        why = "is not a folder" if path.parent.exists() else "does not exist"
        raise UserError(f"cannot write {path}: {path.parent} {why}")
    Image.init()
    found = Image.registered_extensions().get(path.suffix.lower())
    if found is None or found not in Image.SAVE:
        what = f"{path.suffix} is not an image format" if path.suffix else "it has no extension"
        raise UserError(f"cannot write {path}: {what}; end it in .png, .jpg or .webp")
    return found


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Abstract art from random CPPNs, with replay codes.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    _add_paint(sub)
    _add_replay(sub)
    _add_experiments(sub)
    quote_verbs.add_parsers(sub)  # train-quotes, quote, quotes
    job_verbs.add_parsers(sub)  # worker
    discord_verbs.add_parsers(sub)  # run, invite
    config_verbs.add_parsers(sub)  # config
    feed_verbs.add_parsers(sub)  # post
    motion_verbs.add_parsers(sub)  # animate
    web_verbs.add_parsers(sub)  # web
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (UserError, SettingsError, StoreError, DiscordUnreachable, FeedError) as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        if isinstance(e, DiscordUnreachable | FeedError):
            return 1  # may pass: a supervisor should start it again (after its back-off)
        return 3 if isinstance(e, TokenRejected) else 2
    except KeyboardInterrupt:
        return 130
