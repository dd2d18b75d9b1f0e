"""Settings: one frozen dataclass from defaults, a TOML file, the environment and flags.

Precedence, lowest to highest: the defaults below < the TOML file < CPPN_* environment variables <
keyword overrides (command-line flags). The TOML file is the one given as `path` or, failing that,
named by CPPN_CONFIG; its keys are the field names, flat at the top level (`queue_max = 50`). Each
field's comment is its documentation; the environment variable is CPPN_ + the field name in upper
case (e.g. CPPN_QUEUE_MAX=50). `cppn-bot config` prints the settings in force and their sources.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import NamedTuple, NoReturn
from urllib.parse import unquote, urlsplit, urlunsplit

from bot.errors import SettingsError
from bot.feeds import config as feed_config
from bot.feeds.config import FeedConfig
from bot.secretfile import read_secret

PREFIX = "CPPN_"
CONFIG_VAR = "CPPN_CONFIG"  # names the TOML file when no path is given
MASK = "****"
SECRET_FIELDS = frozenset({"discord_token"})  # shown only as set or not set
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("text", "json")
_WEB_URL = re.compile(r"https?://[^\s/?#@]+(/[^\s?#]*)?")  # a site's base: scheme, host, path
_TOML_KINDS = {
    str: "a string", int: "an integer", float: "a number", bool: "true or false", tuple: "a list",
}  # fmt: skip


@dataclass(frozen=True)
class Settings:
    # --- render queue -------------------------------------------------------------------------
    queue_backend: str = "local"  # local: in-process executor; arq: Redis + `cppn-bot worker`s
    redis_url: str = "redis://127.0.0.1:6379/0"  # arq backend only
    queue_name: str = "cppn:queue"  # Redis sorted set the arq jobs wait in
    queue_max: int = 100  # jobs waiting or running, all users; past it: "queue is full"
    user_max_pending: int = 2  # jobs one user may have waiting or running at once
    batch_max: int = 8  # jobs of one architecture rendered in one forward pass
    batching: bool = True  # off: one job per forward pass (benchmarks compare the two)
    job_timeout_s: float = 120.0  # seconds before a render is stopped (big jobs: up to twice this)
    compose_threads: int = 2  # threads for quote + compose + encode beside the device thread
    device: str = "auto"  # the executor's torch device: auto (cuda if present), cpu, cuda:N
    poll_s: float = 0.05  # arq: how often workers look for jobs and the bot for results
    metrics_port: int = 0  # a worker serves prometheus metrics on this port; 0: off
    # --- store --------------------------------------------------------------------------------
    db_path: str = "cppn-bot.db"  # the SQLite file: renders, guild settings, daily slots
    # --- discord ------------------------------------------------------------------------------
    # The bot token: from CPPN_DISCORD_TOKEN or a file (CPPN_DISCORD_TOKEN_FILE); never logged.
    discord_token: str = field(default="", repr=False)
    discord_token_file: str = ""  # a file holding the token (e.g. a systemd or Docker secret)
    discord_guild: int = 0  # sync slash commands to this one server at once (testing); 0: global
    discord_api_url: str = ""  # "": Discord's REST API; else a proxy's (or a test's fake) base URL
    discord_gateway_url: str = ""  # "": Discord's gateway; else a websocket URL (proxy or fake)
    sync_commands: bool = True  # register the slash commands with Discord on start
    cooldown_s: float = 8.0  # seconds between one person's paint requests (commands, buttons)
    progress_s: float = 3.0  # how often a queued request's message shows its position and ETA
    daily_check_s: float = 30.0  # how often the daily-post loop looks for a slot that is due
    daily_catchup_h: float = 12.0  # missed slots are posted late within this, else skipped
    # --- feeds (Mastodon, Bluesky) --------------------------------------------------------------
    feeds: tuple = ()  # the accounts: [[feeds]] tables (env: the same as a TOML array)
    mention_poll_s: float = 60.0  # how often each feed looks for new mentions
    mention_cooldown_s: float = 60.0  # seconds between one account's paintings by mention, per feed
    # --- running ------------------------------------------------------------------------------
    health_host: str = "127.0.0.1"  # where `cppn-bot run` serves /healthz and /metrics
    health_port: int = 8080  # 0: no health/metrics server
    shutdown_grace_s: float = 30.0  # on SIGTERM/SIGINT, running jobs get this long to finish
    log_level: str = "INFO"  # DEBUG, INFO, WARNING, ERROR
    log_format: str = "text"  # text (key=value lines) or json (one object per line)
    # --- web (bot/web: permalinks, gallery, paint form) ---------------------------------------
    web_enabled: bool = False  # `cppn-bot run` serves the web site too (`cppn-bot web`: it alone)
    web_host: str = "127.0.0.1"  # where the web site listens (0.0.0.0: every interface)
    web_port: int = 8000  # the web site's port; 0: any free port (tests)
    web_public_url: str = ""  # the site as others reach it (https://…): links in posts; "": none
    web_cache_dir: str = "web-cache"  # painted files the site keeps on disk
    web_cache_mb: int = 1024  # the cache's size bound in MiB; least recently used files go first
    web_max_renders: int = 16  # paintings the site may have in the queue at once; then 503

    def __post_init__(self) -> None:
        if isinstance(self.feeds, list):  # as TOML and JSON write it
            object.__setattr__(self, "feeds", tuple(self.feeds))
        for f in fields(self):  # a wrong type (Settings(queue_max="5")) is named, not a TypeError
            _check_kind(f.name, type(f.default), getattr(self, f.name))

        def fail(name: str, why: str) -> NoReturn:
            raise SettingsError(f"{name} {why}", field=name)

        if self.queue_backend not in ("local", "arq"):
            fail("queue_backend", f"{self.queue_backend!r} is not local or arq")
        for name in ("queue_max", "user_max_pending", "batch_max", "compose_threads"):
            if getattr(self, name) < 1:
                fail(name, "must be at least 1")
        positive = ("job_timeout_s", "poll_s", "progress_s", "daily_check_s", "daily_catchup_h")
        for name in (*positive, "mention_poll_s"):
            if getattr(self, name) <= 0:
                fail(name, "must be positive")
        for name in ("cooldown_s", "shutdown_grace_s", "mention_cooldown_s"):
            if getattr(self, name) < 0:
                fail(name, "must not be negative")
        for name in ("metrics_port", "health_port", "web_port"):
            if not 0 <= getattr(self, name) <= 65535:
                fail(name, f"{getattr(self, name)} is not a port (0 to 65535)")
        for name in ("web_cache_mb", "web_max_renders"):
            if getattr(self, name) < 1:
                fail(name, "must be at least 1")
        if self.web_public_url and not _WEB_URL.fullmatch(self.web_public_url):
            fail("web_public_url", f"{self.web_public_url!r} is not an http(s):// URL (no query)")
        if self.log_level.upper() not in LOG_LEVELS:
            fail("log_level", f"{self.log_level!r} is not one of {', '.join(LOG_LEVELS)}")
        if self.log_format not in LOG_FORMATS:
            fail("log_format", f"{self.log_format!r} is not text or json")
        if not all(isinstance(f, FeedConfig) for f in self.feeds):
            fail("feeds", "must hold FeedConfig entries")
        if len({f.name for f in self.feeds}) != len(self.feeds):
            fail("feeds", "names must be unique")

    def token(self) -> str:
        """The Discord bot token: the variable, else the file; "" when neither is set."""
        return read_secret(
            self.discord_token, self.discord_token_file, "the token file", "discord_token_file"
        )

    def secrets(self) -> tuple[str, ...]:
        """Every secret these settings hold (the token, URL passwords): what logs must redact."""
        found = [self.discord_token.strip()]
        with contextlib.suppress(SettingsError):  # an unreadable token file gave nothing away
            found.append(self.token())
        for feed in self.feeds:
            found.append(feed.secret.strip())
            with contextlib.suppress(SettingsError):
                found.append(feed.credential())
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str) and "://" in value:
                found.extend(url_secrets(value))
        return tuple(s for s in dict.fromkeys(found) if s)

    @classmethod
    def load(
        cls,
        env: Mapping[str, str] | None = None,
        path: str | Path | None = None,
        **overrides: object,
    ) -> Settings:
        """Defaults < the TOML file (path, else $CPPN_CONFIG) < CPPN_* variables < overrides."""
        return _gather(env, path, overrides).build()

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """load() with no explicit file (CPPN_CONFIG, when set, still names one)."""
        return cls.load(env, None, **overrides)


class Row(NamedTuple):
    """One line of `cppn-bot config`: a setting, its value as shown, where the value came from."""

    name: str
    value: str  # TOML-like; secrets masked
    source: str  # default, file, env or override


def effective(
    env: Mapping[str, str] | None = None, path: str | Path | None = None, **overrides: object
) -> tuple[Settings, list[Row]]:
    """load()'s settings and their rows (one each, secrets masked, each value's source), from
    one reading of the file and environment."""
    gathered = _gather(env, path, overrides)
    settings = gathered.build()  # validates, as load() does
    rows = []
    for f in fields(Settings):
        if f.name == "feeds":
            rows += _feed_rows(settings.feeds, gathered)
        else:
            value = shown(f.name, getattr(settings, f.name))
            rows.append(Row(f.name, value, gathered.source(f.name)))
    return settings, rows


def _feed_rows(feeds: tuple, gathered: _Gathered) -> list[Row]:
    """One row per key of each feed (feeds.NAME.KEY), the secret masked; `feeds = []` if none."""
    if not feeds:
        return [Row("feeds", "[]", gathered.source("feeds"))]
    rows = []
    for feed in feeds:
        for f in fields(FeedConfig):
            if f.name == "name":
                continue
            name = f"feeds.{feed.name}.{f.name}"
            source = gathered.sources.get(name, "default")
            rows.append(Row(name, shown(name, getattr(feed, f.name)), source))
    return rows


def config_path(
    env: Mapping[str, str] | None = None, path: str | Path | None = None
) -> Path | None:
    """The TOML file to read: the path given, else $CPPN_CONFIG; None when neither is set."""
    env = os.environ if env is None else env
    chosen = path if path is not None else env.get(CONFIG_VAR) or None
    return None if chosen is None else Path(chosen)


def shown(name: str, value: object) -> str:
    """A value as `cppn-bot config` prints it: TOML-like, with every secret masked."""
    if name in SECRET_FIELDS or name.endswith(".secret"):
        return MASK if str(value).strip() else "(not set)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return json.dumps(list(value), ensure_ascii=False)
    if isinstance(value, str):
        return json.dumps(mask_url(value) if "://" in value else value, ensure_ascii=False)
    return repr(value)


def mask_url(url: str) -> str:
    """The URL with its password, and any password= query value, replaced by ****."""
    try:
        parts = urlsplit(url)
        has_password = parts.password is not None
    except ValueError:  # unparseable: hide everything after the scheme rather than guess
        return url.split("://", 1)[0] + "://" + MASK
    netloc, query = parts.netloc, parts.query
    if has_password:
        userinfo, _, hostport = netloc.rpartition("@")
        netloc = f"{userinfo.split(':', 1)[0]}:{MASK}@{hostport}"
    query = re.sub(r"(?i)\b(password=)[^&]*", rf"\g<1>{MASK}", query)
    return urlunsplit(parts._replace(netloc=netloc, query=query))


def url_secrets(url: str) -> list[str]:
    """The passwords in a URL (user info and password= query values), as written and decoded."""
    try:
        parts = urlsplit(url)
        found = [parts.password or ""]
    except ValueError:
        return [url]  # unparseable: treat the whole URL as secret
    found += re.findall(r"(?i)\bpassword=([^&]*)", parts.query)
    return [s for s in dict.fromkeys(found + [unquote(s) for s in found]) if s]


@dataclass
class _Gathered:
    """The values set by the file, the environment and overrides, and where each came from."""

    values: dict[str, object] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # file, env or override
    file: Path | None = None

    def source(self, name: str) -> str:
        return self.sources.get(name, "default")

    def build(self) -> Settings:
        """Settings(**values), whose errors also say where the faulty value was set."""
        try:
            return Settings(**self.values)
        except SettingsError as e:
            where = (
                None
                if e.field is None
                else {
                    "file": f"in {self.file}",
                    "env": f"by {PREFIX}{e.field.upper()}",
                    "override": "on the command line",
                }.get(self.source(e.field))
            )
            if where is None:
                raise
            raise SettingsError(f"{e} (set {where})", field=e.field) from None


def _gather(
    env: Mapping[str, str] | None, path: str | Path | None, overrides: Mapping[str, object]
) -> _Gathered:
    env = os.environ if env is None else env
    kinds = {f.name: type(f.default) for f in fields(Settings)}
    got = _Gathered(file=config_path(env, path))
    values, sources = got.values, got.sources
    if got.file is not None:
        values.update(_read_toml(got.file, kinds))
        sources.update(dict.fromkeys(values, "file"))
    _gather_feeds(env, got)
    for name, kind in kinds.items():
        if name == "feeds":
            continue  # CPPN_FEED_<NAME>_<KEY>, read above
        raw = env.get(PREFIX + name.upper())
        if raw is not None:
            values[name], sources[name] = _parse(name, kind, raw), "env"
    for name, value in overrides.items():
        if name not in kinds:
            raise SettingsError(f"unknown setting {name!r}{_did_you_mean(name, kinds)}")
        values[name], sources[name] = value, "override"
    return got


def _gather_feeds(env: Mapping[str, str], got: _Gathered) -> None:
    """The feeds: the file's [[feeds]] < CPPN_FEEDS (a TOML array, replacing the file's list) <
    CPPN_FEED_<NAME>_<KEY> (one key of one feed), built into FeedConfigs; sources per key."""
    tables = list(got.values.pop("feeds", []))  # type: ignore[call-overload]
    origin = got.sources.get("feeds", "file")
    raw = env.get(PREFIX + "FEEDS")
    if raw is not None and raw.strip():
        tables, origin = list(_parse("feeds", tuple, raw)), "env"  # type: ignore[call-overload]
    feed_env = feed_config.from_env(env, [str(t["name"]) for t in tables])
    if not (tables or feed_env):
        return
    got.values["feeds"] = feed_config.build(tables, feed_env)
    got.sources["feeds"] = "env" if feed_env else origin
    for where, found in ((origin, {str(t["name"]): t for t in tables}), ("env", feed_env)):
        for feed, keys in found.items():
            got.sources.update({f"feeds.{feed}.{k}": where for k in keys if k != "name"})


def _read_toml(file: Path, kinds: Mapping[str, type]) -> dict[str, object]:
    try:
        with file.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise SettingsError(f"the config file {file} does not exist") from None
    except OSError as e:
        raise SettingsError(f"cannot read the config file {file}: {e.strerror}") from None
    except tomllib.TOMLDecodeError as e:
        raise SettingsError(f"{file} is not valid TOML: {e}") from None
    values: dict[str, object] = {}
    for key, value in data.items():
        if key == "feeds":
            if not isinstance(value, list):
                raise SettingsError(f"{file}: feeds must be [[feeds]] tables", field="feeds")
            values[key] = [feed_config.from_table(str(file), t) for t in value]
            continue
        if key not in kinds:
            if isinstance(value, dict):
                raise SettingsError(f"{file}: [{key}] is a table; write settings as top-level keys")
            raise SettingsError(f"{file}: unknown setting {key!r}{_did_you_mean(key, kinds)}")
        values[key] = _from_toml(file, key, kinds[key], value)
    return values


def _from_toml(file: Path, name: str, kind: type, value: object) -> object:
    if kind is float and type(value) is int:
        return float(value)
    if type(value) is kind:  # not isinstance: TOML's true must not pass for the integer 1
        return value
    raise SettingsError(f"{file}: {name} must be {_TOML_KINDS[kind]}, not {value!r}", field=name)


def _check_kind(name: str, kind: type, value: object) -> None:
    """The value is of the field's type (an integer passes for a number; true is no integer)."""
    if type(value) is kind or (kind is float and type(value) is int):
        return
    raise SettingsError(f"{name} must be {_TOML_KINDS[kind]}, not {value!r}", field=name)


def _did_you_mean(key: str, names: Mapping[str, object]) -> str:
    guess = difflib.get_close_matches(key.lower().removeprefix("cppn_"), list(names), n=1)
    return f" (did you mean {guess[0]!r}?)" if guess else ""


def _parse(name: str, kind: type, raw: str) -> object:
    text = raw.strip()
    if kind is tuple:  # CPPN_FEEDS: a TOML array of tables, as [[feeds]] in the file
        try:
            tables = tomllib.loads(f"feeds = {text or '[]'}")["feeds"]
        except tomllib.TOMLDecodeError as e:
            message = f"{PREFIX}{name.upper()} is not a TOML array of tables: {e}"
            raise SettingsError(message, field=name) from None
        if not isinstance(tables, list):
            raise SettingsError(f"{PREFIX}{name.upper()} must be [{{...}}, ...]", field=name)
        return tuple(feed_config.from_table(PREFIX + name.upper(), t) for t in tables)
    if kind is bool:
        if text.lower() in ("1", "true", "yes", "on"):
            return True
        if text.lower() in ("0", "false", "no", "off"):
            return False
        raise SettingsError(f"{PREFIX}{name.upper()}={raw!r} is not true or false", field=name)
    try:
        return kind(text)
    except ValueError:
        message = f"{PREFIX}{name.upper()}={raw!r} is not a {kind.__name__}"
        raise SettingsError(message, field=name) from None
