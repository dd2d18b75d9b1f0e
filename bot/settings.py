"""Settings: one frozen dataclass read from the environment (CPPN_*), with defaults that work.

Each field's comment is its documentation; the environment variable is CPPN_ + the field name in
upper case (e.g. CPPN_QUEUE_MAX=50). Later issues add their fields here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from dataclasses import dataclass, field, fields

from bot.errors import SettingsError

PREFIX = "CPPN_"


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
    job_timeout_s: float = 120.0  # a job's render is stopped after this many seconds
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
    sync_commands: bool = True  # register the slash commands with Discord on start
    cooldown_s: float = 8.0  # seconds between one person's paint requests (commands, buttons)
    progress_s: float = 3.0  # how often a queued request's message shows its position and ETA
    daily_check_s: float = 30.0  # how often the daily-post loop looks for a slot that is due
    daily_catchup_h: float = 12.0  # a slot missed while down is posted late within this, else skipped
    # --- running ------------------------------------------------------------------------------
    health_host: str = "127.0.0.1"  # where `cppn-bot run` serves /healthz and /metrics
    health_port: int = 8080  # 0: no health/metrics server
    shutdown_grace_s: float = 30.0  # on SIGTERM/SIGINT, running jobs get this long to finish
    log_level: str = "INFO"  # DEBUG, INFO, WARNING, ERROR
    log_format: str = "text"  # text (key=value lines) or json (one object per line)

    def __post_init__(self) -> None:
        if self.queue_backend not in ("local", "arq"):
            raise SettingsError(f"queue_backend {self.queue_backend!r} is not local or arq")
        for name in ("queue_max", "user_max_pending", "batch_max", "compose_threads"):
            if getattr(self, name) < 1:
                raise SettingsError(f"{name} must be at least 1")
        for name in ("job_timeout_s", "poll_s", "progress_s", "daily_check_s", "daily_catchup_h"):
            if getattr(self, name) <= 0:
                raise SettingsError(f"{name} must be positive")
        if self.cooldown_s < 0:
            raise SettingsError("cooldown_s must not be negative")

    def token(self) -> str:
        """The Discord bot token: the variable, else the file; "" when neither is set."""
        if self.discord_token.strip():
            return self.discord_token.strip()
        if self.discord_token_file:
            try:
                return Path(self.discord_token_file).read_text(encoding="utf-8").strip()
            except OSError as e:
                raise SettingsError(
                    f"cannot read the token file {self.discord_token_file}: {e.strerror}"
                ) from None
        return ""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Defaults, then CPPN_* variables, then keyword overrides."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(PREFIX + f.name.upper())
            if raw is not None:
                values[f.name] = _parse(f.name, type(f.default), raw)
        values.update(overrides)
        return cls(**values)


def _parse(name: str, kind: type, raw: str) -> object:
    text = raw.strip()
    if kind is bool:
        if text.lower() in ("1", "true", "yes", "on"):
            return True
        if text.lower() in ("0", "false", "no", "off"):
            return False
        raise SettingsError(f"{PREFIX}{name.upper()}={raw!r} is not true or false")
    try:
        return kind(text)
    except ValueError:
        raise SettingsError(f"{PREFIX}{name.upper()}={raw!r} is not a {kind.__name__}") from None
