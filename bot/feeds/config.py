"""One feed account's settings: which service, where, whose credentials, when to post.

Feeds are configured as a TOML array of tables (`[[feeds]]`, one per account) and/or through the
environment, one variable per key: CPPN_FEED_<NAME>_<KEY> (the name in upper case, `-` as `_`),
e.g. CPPN_FEED_ART_SERVICE=mastodon, CPPN_FEED_ART_SECRET_FILE=/run/secrets/art. A variable
overrides the same key of a feed from the file, or, with SERVICE among them, defines a new feed.
Plain data and validation only: no network, no service library.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from bot.errors import SettingsError, UserError
from bot.schedule import parse_time, zone
from bot.secretfile import read_secret

ENV_PREFIX = "CPPN_FEED_"
SERVICES = ("mastodon", "bluesky")  # each is one module, bot/feeds/<service>.py
VISIBILITIES = ("public", "unlisted", "private", "direct")
DEFAULT_SERVERS = {"mastodon": "", "bluesky": "https://bsky.social"}
DEFAULT_HASHTAGS = ("generativeart", "cppn")
_NAME = re.compile(r"[a-z][a-z0-9_-]{0,31}")
_TAG = re.compile(r"\w+")


@dataclass(frozen=True)
class FeedConfig:
    name: str  # the feed's own name: in logs, metrics, `cppn-bot post --feed NAME`
    service: str  # mastodon | bluesky
    server: str = ""  # Mastodon: the instance URL (required); Bluesky: the PDS (bsky.social)
    handle: str = ""  # Bluesky: the login (handle or DID); Mastodon: unused
    # Mastodon: an access token; Bluesky: an app password. Never logged; prefer secret_file.
    secret: str = field(default="", repr=False)
    secret_file: str = ""  # a file holding the secret (a systemd or Docker secret)
    daily_time: str = ""  # "HH:MM" local time of the piece of the day; "": no daily post
    timezone: str = "UTC"  # IANA zone of daily_time
    visibility: str = "unlisted"  # Mastodon: public, unlisted, private, direct
    hashtags: tuple[str, ...] = DEFAULT_HASHTAGS  # without '#'
    mentions: bool = True  # answer `@bot paint …` mentions
    max_chars: int = 0  # Mastodon: 0 reads the instance's limit (500 when it does not say)

    def __post_init__(self) -> None:
        def fail(key: str, why: str) -> None:
            raise SettingsError(f"feed {self.name!r}: {key} {why}", field="feeds")

        if not _NAME.fullmatch(self.name):
            fail("name", "must be lower-case letters, digits, '-' or '_', starting with a letter")
        if self.service not in SERVICES:
            fail("service", f"{self.service!r} is not one of: {', '.join(SERVICES)}")
        if self.service == "mastodon" and not self.server:
            fail("server", "is required for Mastodon (the instance URL, https://…)")
        if self.server and not self.server.startswith(("https://", "http://")):
            fail("server", f"{self.server!r} is not a URL (https://…)")
        if self.service == "bluesky" and not self.handle:
            fail("handle", "is required for Bluesky (the account's handle)")
        if self.visibility not in VISIBILITIES:
            fail("visibility", f"{self.visibility!r} is not one of: {', '.join(VISIBILITIES)}")
        for tag in self.hashtags:
            if not _TAG.fullmatch(tag):
                fail("hashtags", f"{tag!r} is not a hashtag (letters, digits, '_'; no '#')")
        if self.max_chars < 0:
            fail("max_chars", "must not be negative")
        if self.daily_time:
            try:
                parse_time(self.daily_time)
                zone(self.timezone)
            except UserError as e:
                fail("daily", str(e))

    @property
    def env_name(self) -> str:
        return env_name(self.name)

    def credential(self) -> str:
        """The secret: the value, else the file's first line; "" when neither is set."""
        what = f"the secret file of feed {self.name!r},"
        return read_secret(self.secret, self.secret_file, what, "feeds")


KEYS: dict[str, type] = {f.name: type(f.default) for f in fields(FeedConfig) if f.name != "name"}
KEYS["service"] = str


def env_name(name: str) -> str:
    return name.upper().replace("-", "_")


def from_table(where: str, table: object) -> dict[str, object]:
    """One `[[feeds]]` table as checked values (name included)."""
    if not isinstance(table, dict):
        raise SettingsError(f"{where}: each [[feeds]] entry must be a table", field="feeds")
    name = table.get("name")
    if not isinstance(name, str):
        raise SettingsError(f"{where}: a [[feeds]] entry needs a name", field="feeds")
    values: dict[str, object] = {"name": name}
    for key, value in table.items():
        if key == "name":
            continue
        kind = KEYS.get(key)
        if kind is None:
            raise SettingsError(f"{where}: feed {name!r}: unknown key {key!r}", field="feeds")
        if kind is tuple and isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = tuple(v.lstrip("#") for v in value)
        if type(value) is not kind:
            raise SettingsError(
                f"{where}: feed {name!r}: {key} must be {_kind_words(kind)}, not {value!r}",
                field="feeds",
            )
        values[key] = value
    return values


def from_env(env: Mapping[str, str], known: list[str]) -> dict[str, dict[str, object]]:
    """CPPN_FEED_<NAME>_<KEY> variables as {feed name: {key: value}}. `known` are the feeds the
    file defines: a variable naming one of them overrides it; another name is a new feed."""
    by_env = {env_name(n): n for n in known}
    keys = sorted(KEYS, key=len, reverse=True)  # TOKEN_FILE before a key it ends with
    out: dict[str, dict[str, object]] = {}
    for var, raw in env.items():
        if not var.startswith(ENV_PREFIX):
            continue
        rest = var[len(ENV_PREFIX) :]
        key = next((k for k in keys if rest.endswith("_" + k.upper())), None)
        if key is None or len(rest) == len(key) + 1:
            raise SettingsError(
                f"{var}: not CPPN_FEED_<NAME>_<KEY> with a KEY among "
                f"{', '.join(k.upper() for k in KEYS)}",
                field="feeds",
            )
        feed = rest[: -len(key) - 1]
        name = by_env.get(feed, feed.lower())
        out.setdefault(name, {"name": name})[key] = _parse(var, KEYS[key], raw)
    return out


def _parse(var: str, kind: type, raw: str) -> object:
    text = raw.strip()
    if kind is bool:
        if text.lower() in ("1", "true", "yes", "on"):
            return True
        if text.lower() in ("0", "false", "no", "off"):
            return False
        raise SettingsError(f"{var}={raw!r} is not true or false", field="feeds")
    if kind is tuple:
        return tuple(t.strip().lstrip("#") for t in text.split(",") if t.strip())
    if kind is int:
        try:
            return int(text)
        except ValueError:
            raise SettingsError(f"{var}={raw!r} is not an integer", field="feeds") from None
    return text


def _kind_words(kind: type) -> str:
    return {str: "a string", int: "an integer", bool: "true or false", tuple: "a list of strings"}[
        kind
    ]


def build(tables: list[dict[str, object]], overrides: dict[str, dict[str, object]]) -> tuple:
    """The feeds, file order first then new ones from the environment; names unique."""
    merged: dict[str, dict[str, object]] = {}
    for t in tables:
        name = str(t["name"])
        if name in merged:
            raise SettingsError(f"two feeds are named {name!r}", field="feeds")
        merged[name] = dict(t)
    for name, values in overrides.items():
        merged.setdefault(name, {}).update(values)
    feeds = []
    for name, values in merged.items():
        if "service" not in values:
            raise SettingsError(
                f"feed {name!r}: no service (set CPPN_FEED_{env_name(name)}_SERVICE)",
                field="feeds",
            )
        values.setdefault("server", DEFAULT_SERVERS.get(str(values["service"]), ""))
        feeds.append(FeedConfig(**values))  # type: ignore[arg-type]
    if len({f.env_name for f in feeds}) != len(feeds):
        raise SettingsError("two feeds' names differ only by '-' and '_'", field="feeds")
    return tuple(feeds)
