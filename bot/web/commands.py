"""`cppn-bot web`: the web site alone. bot/cli.py registers it."""

from __future__ import annotations

import argparse
import asyncio

from bot.settings import Settings


def add_parsers(subparsers) -> None:
    p = subparsers.add_parser("web", help="serve the web site: permalinks, gallery, paint form")
    p.add_argument("--config", metavar="PATH", help="a TOML settings file; default: CPPN_CONFIG")
    p.add_argument("--host", help="the address to listen on; default: CPPN_WEB_HOST")
    p.add_argument("--port", type=int, help="the port; default: CPPN_WEB_PORT (8000)")
    p.add_argument("--db", metavar="PATH", help="the SQLite file; default: CPPN_DB_PATH")
    p.add_argument("--cache-dir", metavar="PATH", help="default: CPPN_WEB_CACHE_DIR")
    p.add_argument("--device", help="auto (cuda if present), cpu, cuda:N; default: CPPN_DEVICE")
    p.set_defaults(func=_cmd_web)


def _cmd_web(args: argparse.Namespace) -> int:
    from bot.logs import setup_logging
    from bot.web.server import serve_web

    given = {
        "web_host": args.host, "web_port": args.port, "db_path": args.db,
        "web_cache_dir": args.cache_dir, "device": args.device,
    }  # fmt: skip
    settings = Settings.load(path=args.config, **{k: v for k, v in given.items() if v is not None})
    setup_logging(settings)
    asyncio.run(serve_web(settings))
    return 0
