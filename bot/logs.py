"""Structured logging: one line per record on stderr, as key=value text or JSON, secrets redacted.

`setup_logging(settings)` puts one handler on the root logger (discord.py logs under "discord" and
reaches it by propagation). A record's extra fields go in `extra={"fields": {...}}`:

    log.info("job done", extra={"fields": {"job": 12, "seconds": 1.4}})

text:  2026-11-29T12:00:00Z level=INFO logger=bot.x msg="job done" job=12 seconds=1.4
json:  {"time": "2026-11-29T12:00:00Z", "level": "INFO", "logger": "bot.x", "msg": "job done", ...}

A traceback goes on the same line (text: exc="..." with its newlines escaped; json: "exc"), so one
record is always one line. Before a line is written, every secret (the token, URL passwords, any
extra strings given) and anything shaped like a Discord token becomes [redacted]: in the message,
its arguments, the fields and the traceback alike.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import sys
import time
from collections.abc import Iterable
from typing import TextIO

from bot.settings import Settings

REDACTED = "[redacted]"
MIN_SECRET = 4  # a shorter "secret" would blank out ordinary words, and guards nothing anyway
# A Discord bot token: the bot's id in base64url, a dot, a timestamp, a dot, an HMAC.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{23,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{27,}")
_RESERVED = ("time", "level", "logger", "msg", "exc", "stack")  # keys fields may not take
_BARE = re.compile(r'[^\s"=\\]+')  # a text value that needs no quotes


class Redactor:
    """Replaces known secrets, and anything shaped like a Discord token, with [redacted]."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        forms: set[str] = set()
        for secret in secrets:
            if len(secret) >= MIN_SECRET:
                # As written, and as a JSON string or a repr() would escape it.
                forms |= {secret, json.dumps(secret)[1:-1], repr(secret)[1:-1]}
                forms.add(json.dumps(secret, ensure_ascii=False)[1:-1])
        longest_first = sorted(forms, key=len, reverse=True)
        self._known = re.compile("|".join(map(re.escape, longest_first))) if forms else None

    def __call__(self, text: str) -> str:
        if self._known is not None:
            text = self._known.sub(REDACTED, text)
        return TOKEN_SHAPE.sub(REDACTED, text)


class LineFormatter(logging.Formatter):
    """One record, one line: key=value text or a JSON object, redacted."""

    def __init__(self, kind: str, redact: Redactor) -> None:
        super().__init__()
        if kind not in ("text", "json"):
            raise ValueError(f"log format {kind!r} is not text or json")
        self.kind, self.redact = kind, redact

    def format(self, record: logging.LogRecord) -> str:
        base = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(record.created)),
            "level": record.levelname,
            "logger": record.name,
            "msg": self.redact(record.getMessage()),
        }
        fields = getattr(record, "fields", None)
        fields = fields if isinstance(fields, dict) else {}
        # A field never hides the record's own keys: a field "msg" is written as "msg_".
        extra = {f"{k}_" if k in _RESERVED else str(k): self._clean(v) for k, v in fields.items()}
        # Not self.formatException's cache (record.exc_text): another handler may share the record.
        if record.exc_info:
            extra["exc"] = self.redact(self.formatException(record.exc_info))
        if record.stack_info:
            extra["stack"] = self.redact(self.formatStack(record.stack_info))
        line = self._json(base, extra) if self.kind == "json" else self._text(base, extra)
        return self.redact(line)  # again over the finished line: escapes, str() of odd objects

    def _clean(self, value: object) -> object:
        """A field's value with every string redacted; numbers, bools and None kept as they are."""
        if value is None or isinstance(value, bool | int | float):
            return value
        if isinstance(value, dict):
            return {str(k): self._clean(v) for k, v in value.items()}
        if isinstance(value, list | tuple | set | frozenset):
            return [self._clean(v) for v in value]
        return self.redact(str(value))

    @staticmethod
    def _json(base: dict[str, object], extra: dict[str, object]) -> str:
        return json.dumps({**base, **extra}, ensure_ascii=False, default=str)

    @staticmethod
    def _text(base: dict[str, object], extra: dict[str, object]) -> str:
        head = f"{base['time']} level={base['level']} logger={base['logger']}"
        parts = [head, f"msg={json.dumps(base['msg'], ensure_ascii=False)}"]
        for key, value in extra.items():
            parts.append(f"{_text_key(key)}={_text_value(value)}")
        return " ".join(parts)


class _Handler(logging.StreamHandler):
    """The one handler setup_logging installs; its errors are reported redacted too."""

    def handleError(self, record: logging.LogRecord) -> None:
        # logging's own report prints the raw message and arguments: it could print a secret.
        error = sys.exc_info()[1]
        formatter = self.formatter
        redact = formatter.redact if isinstance(formatter, LineFormatter) else Redactor()
        note = f"logging error in {record.name} ({record.pathname}:{record.lineno}): {error!r}"
        with contextlib.suppress(Exception):  # nowhere left to report to
            sys.stderr.write(redact(note) + "\n")


def setup_logging(
    settings: Settings, secrets: Iterable[str] = (), stream: TextIO | None = None
) -> logging.Handler:
    """Log structured, redacted lines to stderr at settings.log_level; calling again replaces."""
    handler = _Handler(sys.stderr if stream is None else stream)
    handler.setFormatter(
        LineFormatter(settings.log_format, Redactor([*settings.secrets(), *secrets]))
    )
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _Handler)]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(settings.log_level.upper())
    # discord.py's client.run() adds its own handler to "discord" unless log_handler=None; one
    # left there would print every record twice, once unredacted.
    discord = logging.getLogger("discord")
    for old in list(discord.handlers):
        discord.removeHandler(old)
    discord.setLevel(logging.NOTSET)
    discord.propagate = True
    return handler


def _text_key(key: str) -> str:
    return re.sub(r'[\s="\\]', "_", key) or "_"


def _text_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if _BARE.fullmatch(text) else json.dumps(text, ensure_ascii=False)
