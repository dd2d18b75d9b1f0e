"""`cppn-bot post --feed NAME [--code CODE] [--dry-run]`: one post to one feed, now.

Without --code it posts the piece of the day (today, in the feed's time zone). --dry-run prints
the text and alt text and writes the image, posting nothing (no login, no network). bot/cli.py
registers it.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from bot.art.code import parse_code
from bot.compose.encode import EXTENSIONS
from bot.daily import daily_recipe
from bot.errors import UserError
from bot.feeds.config import FeedConfig
from bot.feeds.content import BLUESKY_LIMITS, MASTODON_LIMITS, daily_headline
from bot.feeds.drafts import draft
from bot.feeds.image import MEDIA_LIMITS
from bot.pipeline import PaintSpec, Picture, Pipeline
from bot.schedule import zone
from bot.settings import Settings

MANUAL_HEADLINE = "A painting from the CPPN bot"


def add_parsers(subparsers) -> None:
    p = subparsers.add_parser("post", help="post to one feed now (the piece of the day or a code)")
    p.add_argument("--feed", required=True, metavar="NAME", help="a feed's name in the settings")
    p.add_argument("--code", help="a replay code; default: today's piece of the day")
    p.add_argument("--dry-run", action="store_true", help="print and write the image; post nothing")
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        help="where --dry-run writes the image (the extension follows its type)",
    )
    p.add_argument("--config", metavar="PATH", help="a TOML settings file; default: CPPN_CONFIG")
    p.add_argument("--db", metavar="PATH", help="the SQLite file; default: CPPN_DB_PATH")
    p.add_argument("--device", help="auto (cuda if present), cpu, cuda:N; default: CPPN_DEVICE")
    p.set_defaults(func=_cmd_post)


def find_feed(settings: Settings, name: str) -> FeedConfig:
    for feed in settings.feeds:
        if feed.name == name:
            return feed
    known = ", ".join(f.name for f in settings.feeds) or "none (README.md, 'The feeds')"
    raise UserError(f"no feed named {name!r}; the feeds configured: {known}")


class _Offline:
    """A poster's limits without logging in (a dry run): the service's defaults."""

    def __init__(self, config: FeedConfig) -> None:
        self.config = config
        limits = MASTODON_LIMITS if config.service == "mastodon" else BLUESKY_LIMITS
        if config.max_chars:
            limits = replace(limits, max_text=config.max_chars)
        self.limits = limits
        self.max_image_bytes = MEDIA_LIMITS[config.service].image
        self.max_video_bytes = MEDIA_LIMITS[config.service].video


def _paint(spec: PaintSpec, device: str) -> Picture:
    from bot.quotes.engines import load_quotes

    needs_quotes = spec.recipe.quote == "generated" and spec.custom_quote is None
    return Pipeline.create(device, load_quotes() if needs_quotes else None).run(spec)


def _cmd_post(args: argparse.Namespace) -> int:
    given = {"db_path": args.db, "device": args.device}
    settings = Settings.load(path=args.config, **{k: v for k, v in given.items() if v is not None})
    feed = find_feed(settings, args.feed)
    if args.code:
        spec, headline = PaintSpec(parse_code(args.code)), MANUAL_HEADLINE
    else:
        today = datetime.now(UTC).astimezone(zone(feed.timezone)).date()
        spec, headline = PaintSpec(daily_recipe(today)), daily_headline(today)
    picture = _paint(spec, settings.device)
    if args.dry_run:
        offline = _Offline(feed)
        site = settings.web_public_url
        post = draft(offline, picture, headline, "dry-run", time.time(), site=site)  # type: ignore[arg-type]
        assert post.upload is not None
        ext = EXTENSIONS[post.upload.mime]
        path = (args.output or Path(f"cppn-post-{feed.name}")).with_suffix(f".{ext}")
        path.write_bytes(post.upload.data)  # named by what it holds: what the service gets
        print(f"# {feed.name} ({feed.service}): dry run, nothing posted")
        print(f"# text ({len(post.text)} characters):\n{post.text}")
        print(f"# alt text ({len(post.alt)} characters):\n{post.alt}")
        print(f"# image: {path} ({post.upload.width}x{post.upload.height}, {post.upload.mime}, "
              f"{len(post.upload.data)} bytes)")  # fmt: skip
        return 0
    from bot.logs import setup_logging

    setup_logging(settings)
    posted = asyncio.run(_post(settings, feed, picture, headline))
    print(posted.url or posted.id)
    return 0


async def _post(settings: Settings, feed: FeedConfig, picture: Picture, headline: str):
    from bot.feeds.poster import create_poster
    from bot.store import Store
    from bot.store.feeds import FeedStore

    store = await Store.open(settings.db_path)  # a Bluesky session is kept here
    try:
        poster = create_poster(feed, FeedStore(store))
        await poster.start()
        try:
            key = f"cppn-post-{feed.name}-{secrets.token_hex(8)}"
            post = await asyncio.to_thread(
                draft, poster, picture, headline, key, time.time(), site=settings.web_public_url
            )
            return await poster.post(post)
        finally:
            await poster.close()
    finally:
        await store.close()
