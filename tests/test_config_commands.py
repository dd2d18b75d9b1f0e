"""`cppn-bot config`: every setting in force with its source, secrets masked, values as TOML."""

import argparse
import re
import tomllib
from dataclasses import fields

import pytest

from bot.config_commands import add_parsers
from bot.errors import UserError
from bot.settings import Settings

TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4OTA.GaBcDe.fakefakefakefakefakefakefakefake12"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """No CPPN_* variable from the machine running the tests leaks into what they print."""
    import os

    for name in [n for n in os.environ if n.startswith("CPPN_")]:
        monkeypatch.delenv(name)


def run_config(argv: list[str], capsys) -> list[str]:
    parser = argparse.ArgumentParser(prog="cppn-bot")
    add_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["config", *argv])
    assert args.func(args) == 0
    return capsys.readouterr().out.splitlines()


def settings_lines(lines: list[str]) -> dict[str, tuple[str, str]]:
    """name -> (value, source) from the `name = value  (source)` lines."""
    found = {}
    for line in lines:
        if not line.startswith("#"):
            m = re.fullmatch(r"(\w+) = (.+)  \((default|file|env|override)\)", line)
            assert m, line
            found[m[1]] = (m[2], m[3])
    return found


def test_prints_every_setting_with_its_source_and_the_secrets_masked(tmp_path, monkeypatch, capsys):
    path = tmp_path / "cppn.toml"
    path.write_text('queue_max = 50\ndevice = "cpu"\n')
    monkeypatch.setenv("CPPN_DEVICE", "cuda:1")
    monkeypatch.setenv("CPPN_DISCORD_TOKEN", TOKEN)
    monkeypatch.setenv("CPPN_REDIS_URL", "redis://:hunter2@redis:6379/0")
    lines = run_config(["--config", str(path)], capsys)
    text = "\n".join(lines)
    assert TOKEN not in text and "hunter2" not in text
    found = settings_lines(lines)
    assert list(found) == [f.name for f in fields(Settings)]
    assert found["queue_max"] == ("50", "file")
    assert found["device"] == ('"cuda:1"', "env")
    assert found["batch_max"] == ("8", "default")
    assert found["discord_token"] == ("****", "env")
    assert found["redis_url"] == ('"redis://:****@redis:6379/0"', "env")
    assert lines[0].startswith("#") and str(path) in lines[0]
    assert lines[-1] == "# discord token: set"


def test_the_values_read_back_as_toml_giving_the_same_settings(capsys):
    found = settings_lines(run_config([], capsys))
    del found["discord_token"]  # masked: "****" or "(not set)", never the value
    parsed = tomllib.loads("\n".join(f"{name} = {value}" for name, (value, _) in found.items()))
    assert Settings(**parsed) == Settings()


def test_the_token_state_says_where_it_comes_from_without_showing_it(tmp_path, monkeypatch, capsys):
    assert run_config([], capsys)[-1].startswith("# discord token: not set")
    token_file = tmp_path / "discord-token"
    token_file.write_text(TOKEN)
    monkeypatch.setenv("CPPN_DISCORD_TOKEN_FILE", str(token_file))
    lines = run_config([], capsys)
    assert lines[-1] == f"# discord token: set, from {token_file}"
    assert TOKEN not in "\n".join(lines)
    monkeypatch.setenv("CPPN_DISCORD_TOKEN_FILE", str(tmp_path / "missing"))
    assert run_config([], capsys)[-1].startswith("# discord token: unreadable: cannot read")


def test_a_bad_file_is_a_one_line_user_error(tmp_path, capsys):
    path = tmp_path / "cppn.toml"
    path.write_text("queue_mx = 5\n")
    parser = argparse.ArgumentParser(prog="cppn-bot")
    add_parsers(parser.add_subparsers(dest="command", required=True))
    for argv in (["--config", str(path)], ["--config", str(tmp_path / "nope.toml")]):
        args = parser.parse_args(["config", *argv])
        with pytest.raises(UserError, match="did you mean 'queue_max'|does not exist"):
            args.func(args)


def test_the_cli_runs_it_once_wired(capsys):
    from bot.cli import build_parser, main

    if "config" not in build_parser()._subparsers._group_actions[0].choices:
        pytest.skip("bot/cli.py does not register `config` yet")
    assert main(["config"]) == 0
    assert "queue_backend = " in capsys.readouterr().out
    assert main(["config", "--config", "/nonexistent/cppn.toml"]) == 2
    assert "does not exist" in capsys.readouterr().err
