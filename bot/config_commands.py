"""`cppn-bot config`: the settings in force, where each came from, secrets masked.

bot/cli.py registers it via add_parsers. Each line reads `name = value  (source)`, the source being
default, file, env or override; the values are written as in the TOML file.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from bot.errors import SettingsError, UserError
from bot.feeds.config import FeedConfig
from bot.settings import CONFIG_VAR, PREFIX, Settings, config_path, effective


def add_parsers(subparsers) -> None:
    p = subparsers.add_parser(
        "config", help="print the settings in force and where each came from (secrets masked)"
    )
    p.add_argument(
        "--config", type=Path, metavar="PATH", help=f"a TOML settings file; default: ${CONFIG_VAR}"
    )
    p.set_defaults(func=_cmd_config)


def _cmd_config(args: argparse.Namespace) -> int:
    try:
        for line in config_lines(args.config):
            print(line)
    except SettingsError as e:  # a bad file or variable: one line and status 2, like bad input
        raise UserError(str(e)) from None
    return 0


def config_lines(path: Path | None = None) -> list[str]:
    """What `cppn-bot config` prints: the file read, one line per setting, the token's state."""
    file = config_path(path=path)
    where = f"{file}" if file else f"no file (set {CONFIG_VAR} or --config)"
    lines = [f"# defaults < TOML file: {where} < {PREFIX}* environment < flags"]
    settings, rows = effective(path=path)
    lines += [f"{row.name} = {row.value}  ({row.source})" for row in rows]
    feeds = [f"# feed {f.name} ({f.service}): secret {_secret_state(f)}" for f in settings.feeds]
    return [*lines, f"# discord token: {_token_state(settings)}", *feeds]


def _secret_state(feed: FeedConfig) -> str:
    """Whether a feed has its token or app password, and where from, without showing it."""
    try:
        secret = feed.credential()
    except SettingsError as e:
        return f"unreadable: {e}"
    if not secret:
        return f"not set ({PREFIX}FEED_{feed.env_name}_SECRET or _SECRET_FILE)"
    return "set" if feed.secret.strip() else f"set, from {feed.secret_file}"


def _token_state(settings: Settings) -> str:
    """Whether `cppn-bot run` will find a token, and where, without showing any of it."""
    unset = f"{PREFIX}DISCORD_TOKEN or {PREFIX}DISCORD_TOKEN_FILE"
    return _state(settings.token, settings.discord_token, settings.discord_token_file, unset)


def _secret_state(feed: FeedConfig) -> str:
    """Whether a feed has its token or app password, and where from, without showing it."""
    unset = f"{PREFIX}FEED_{feed.env_name}_SECRET or _SECRET_FILE"
    return _state(feed.credential, feed.secret, feed.secret_file, unset)


def _state(read: Callable[[], str], value: str, file: str, unset: str) -> str:
    try:
        secret = read()
    except SettingsError as e:
        return f"unreadable: {e}"
    if not secret:
        return f"not set ({unset})"
    return "set" if value.strip() else f"set, from {file}"
