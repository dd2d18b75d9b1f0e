"""Structured logs: one line per record (text or JSON), the level from the settings, and no secret
ever written: not in the message, its arguments, the fields, a traceback, nor a logging error."""

import io
import json
import logging
import re

import pytest

from bot.logs import REDACTED, LineFormatter, Redactor, setup_logging
from bot.settings import Settings

# Shaped like a Discord bot token (base64url id . timestamp . HMAC); not a real one.
TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4OTA.GaBcDe.fakefakefakefakefakefakefakefake12"
OTHER_TOKEN = "ODc2NTQzMjEwOTg3NjU0MzIxMA.Gzyxwv.anotheranotheranotheranother0987"
PASSWORD = "hunter2-horse-battery"


@pytest.fixture
def logs():
    """setup_logging into a buffer; returns a function that logs settings and gives the lines."""
    root = logging.getLogger()
    level = root.level
    handlers: list[logging.Handler] = []
    buffer = io.StringIO()

    def setup(**settings) -> io.StringIO:
        s = Settings(discord_token=TOKEN, redis_url=f"redis://:{PASSWORD}@redis:6379/0", **settings)
        handlers.append(setup_logging(s, secrets=["extra-secret-value"], stream=buffer))
        return buffer

    yield setup
    for handler in handlers:
        root.removeHandler(handler)
    root.setLevel(level)


def lines(buffer: io.StringIO) -> list[str]:
    return buffer.getvalue().splitlines()


def assert_clean(text: str) -> None:
    for secret in (TOKEN, OTHER_TOKEN, PASSWORD, "extra-secret-value"):
        assert secret not in text
    assert "MTIzNDU2Nzg5MDEy" not in text and "fakefake" not in text  # not even a part


def test_text_lines_have_time_level_logger_message_and_fields(logs):
    out = logs()
    logging.getLogger("bot.test").info(
        "job %s done", 12, extra={"fields": {"job": 12, "who": "two words", "ok": True}}
    )
    (line,) = lines(out)
    pattern = (
        r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ level=INFO logger=bot\.test msg="job 12 done" '
        r'job=12 who="two words" ok=true'
    )
    assert re.fullmatch(pattern, line), line


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_the_token_never_appears_wherever_it_is_logged(logs, fmt):
    out = logs(log_format=fmt)
    log = logging.getLogger("bot.test")
    log.info(f"connecting with {TOKEN}")
    log.info("token %s and %r", TOKEN, TOKEN)
    log.warning("redis at %s", f"redis://:{PASSWORD}@redis:6379/0")
    log.info("fields", extra={"fields": {"token": TOKEN, "nested": {"list": [PASSWORD, 3]}}})
    log.info("a token we were never told of: %s", OTHER_TOKEN)
    log.info("given as an extra secret: extra-secret-value")
    try:
        raise RuntimeError(f"login failed for {TOKEN} ({PASSWORD})")
    except RuntimeError:
        log.exception("gateway error with %s", TOKEN)
    log.info("where am I", stack_info=True)
    text = out.getvalue()
    assert_clean(text)
    assert text.count(REDACTED) == 11  # each secret above, once each time it was logged
    assert len(lines(out)) == 8  # a traceback stays on its record's line
    assert "RuntimeError: login failed for [redacted] ([redacted])" in text.replace("\\n", "\n")
    if fmt == "json":
        records = [json.loads(line) for line in lines(out)]
        assert {"time", "level", "logger", "msg"} <= set(records[0])
        assert records[3]["token"] == REDACTED
        assert records[3]["nested"] == {"list": [REDACTED, 3]}
        assert "Traceback" in records[6]["exc"] and records[6]["level"] == "ERROR"
        assert "stack" in records[7]


def test_json_lines_keep_numbers_and_never_let_a_field_hide_the_message(logs):
    out = logs(log_format="json")
    fields = {"msg": "sneaky", "seconds": 1.5, "job": 7, "when": None}
    logging.getLogger("bot.test").info("real", extra={"fields": fields})
    (record,) = [json.loads(line) for line in lines(out)]
    assert record["msg"] == "real" and record["msg_"] == "sneaky"
    assert (record["seconds"], record["job"], record["when"]) == (1.5, 7, None)


def test_the_level_comes_from_the_settings(logs):
    out = logs(log_level="WARNING")
    log = logging.getLogger("bot.test")
    log.info("hidden")
    log.warning("shown")
    assert [re.search(r"level=(\w+)", line)[1] for line in lines(out)] == ["WARNING"]
    out = logs(log_level="debug")
    log.debug("now shown")
    assert "now shown" in out.getvalue()


def test_setup_twice_keeps_one_handler_and_discord_logs_once(logs):
    # What discord.py's client.run() does unless told log_handler=None: its own handler.
    stray = logging.StreamHandler(io.StringIO())
    logging.getLogger("discord").addHandler(stray)
    logs()
    out = logs()
    ours = [h for h in logging.getLogger().handlers if type(h).__name__ == "_Handler"]
    assert len(ours) == 1
    assert stray not in logging.getLogger("discord").handlers
    logging.getLogger("discord.gateway").info("Shard ID None has connected to Gateway %s", TOKEN)
    assert len(lines(out)) == 1 and "logger=discord.gateway" in out.getvalue()
    assert_clean(out.getvalue())


def test_a_broken_log_call_is_reported_without_its_arguments(logs, capsys):
    out = logs()
    (handler,) = [h for h in logging.getLogger().handlers if type(h).__name__ == "_Handler"]
    # Straight to our handler: pytest's own capture handler raises on such a record instead.
    broken = logging.makeLogRecord(
        {"name": "bot.test", "msg": "two %s %s but one", "args": (TOKEN,), "levelno": 20}
    )
    handler.handle(broken)  # formatting raises TypeError; logging's report would print the args
    err = capsys.readouterr().err
    assert "logging error in bot.test" in err
    assert_clean(err + out.getvalue())


def test_the_redactor_leaves_ordinary_text_alone():
    redact = Redactor(["abc", "s3cret-pass"])  # "abc" is too short to be worth blanking out
    text = "bot.jobs.executor batch of 8 at 2026-11-29T12:00:00Z, a.b.c, abc"
    assert redact(text) == text
    assert redact('{"pw": "s3cret-pass"}') == '{"pw": "[redacted]"}'
    quoted = Redactor(['pa"ss\\word'])
    assert quoted(json.dumps({"pw": 'pa"ss\\word'})) == '{"pw": "[redacted]"}'
    with pytest.raises(ValueError):
        LineFormatter("xml", redact)
