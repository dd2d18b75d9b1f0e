"""Command-line verbs of the Discord bot: `run` and `invite`. bot/cli.py registers them."""

from __future__ import annotations

import argparse
import asyncio
import base64
import binascii

from bot.errors import UserError
from bot.settings import Settings


def add_parsers(subparsers) -> None:
    p = subparsers.add_parser("run", help="run the Discord bot (token from CPPN_DISCORD_TOKEN)")
    p.add_argument("--config", metavar="PATH", help="a TOML settings file; default: CPPN_CONFIG")
    p.add_argument("--db", metavar="PATH", help="the SQLite file; default: CPPN_DB_PATH")
    p.add_argument("--device", help="auto (cuda if present), cpu, cuda:N; default: CPPN_DEVICE")
    p.add_argument("--guild", type=int, help="sync slash commands to this server only (testing)")
    p.add_argument(
        "--resync", action="store_true",
        help="register the slash commands even if they did not change since the last sync",
    )  # fmt: skip
    p.set_defaults(func=_cmd_run)
    p = subparsers.add_parser(
        "invite", help="print the link that adds the bot to a server (or, --user, to an account)"
    )
    p.add_argument(
        "--app-id", type=_app_id, help="the application id; default: read from the token"
    )
    p.add_argument(
        "--user", action="store_true",
        help="the link that adds the app to a person's own account (DMs, any server)",
    )  # fmt: skip
    p.set_defaults(func=_cmd_invite)


def _app_id(text: str) -> int:
    """A Discord application id: a snowflake, so a positive integer."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive application id, not {text}")
    return value


def _cmd_run(args: argparse.Namespace) -> int:
    from bot.discordbot.runner import serve
    from bot.logs import setup_logging

    given = {"db_path": args.db, "device": args.device, "discord_guild": args.guild}
    settings = Settings.load(path=args.config, **{k: v for k, v in given.items() if v is not None})
    token = settings.token()
    setup_logging(settings)  # redacts every secret the settings hold, the token included
    asyncio.run(serve(settings, token, resync=args.resync))
    return 0


def application_id_from_token(token: str) -> int | None:
    """A bot token's first part is its application's id in base64 (no network needed)."""
    head = token.split(".", 1)[0]
    try:
        text = base64.b64decode(head + "=" * (-len(head) % 4), validate=False).decode("ascii")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None


def _cmd_invite(args: argparse.Namespace) -> int:
    from bot.discordbot.app import invite_url

    app_id = args.app_id or application_id_from_token(Settings.from_env().token())
    if not app_id:
        raise UserError(
            "no application id: pass --app-id (Developer Portal -> General Information -> "
            "Application ID) or set CPPN_DISCORD_TOKEN"
        )
    print(invite_url(app_id, user=args.user))
    return 0
