"""Feed accounts in the settings (issue 15): [[feeds]] tables, CPPN_FEEDS, CPPN_FEED_<NAME>_<KEY>;
secrets from the environment or a file, masked in `cppn-bot config`, redacted from logs."""

import argparse
import io
import logging

import pytest

from bot.config_commands import add_parsers
from bot.errors import SettingsError
from bot.feeds.config import FeedConfig
from bot.logs import setup_logging
from bot.settings import Settings, effective

SECRET = "masto-token-5f1e2d3c4b5a"
APP_PASSWORD = "abcd-efgh-ijkl-mnop"

TOML = """
queue_max = 50

[[feeds]]
name = "art"
service = "mastodon"
server = "https://mastodon.example"
daily_time = "09:00"
timezone = "Europe/Paris"
hashtags = ["#generativeart", "cppn", "abstract"]

[[feeds]]
name = "sky"
service = "bluesky"
handle = "cppn.bsky.social"
visibility = "unlisted"
mentions = false
"""


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    import os

    for name in [n for n in os.environ if n.startswith("CPPN_")]:
        monkeypatch.delenv(name)


def test_feeds_from_a_toml_array_of_tables(tmp_path):
    path = tmp_path / "cppn.toml"
    path.write_text(TOML)
    s = Settings.load({}, path)
    art, sky = s.feeds
    assert art == FeedConfig(
        name="art", service="mastodon", server="https://mastodon.example", daily_time="09:00",
        timezone="Europe/Paris", hashtags=("generativeart", "cppn", "abstract"),
    )  # fmt: skip
    assert (sky.service, sky.server, sky.handle, sky.mentions) == (
        "bluesky", "https://bsky.social", "cppn.bsky.social", False,
    )  # fmt: skip
    assert s.queue_max == 50


def test_environment_variables_override_one_key_or_define_a_feed(tmp_path):
    path = tmp_path / "cppn.toml"
    path.write_text(TOML)
    env = {
        "CPPN_FEED_ART_SECRET": SECRET,
        "CPPN_FEED_ART_DAILY_TIME": "21:30",
        "CPPN_FEED_ART_HASHTAGS": "art, #cppn",
        "CPPN_FEED_MORE_ART_SERVICE": "mastodon",
        "CPPN_FEED_MORE_ART_SERVER": "https://two.example",
        "CPPN_FEED_MORE_ART_SECRET_FILE": "/run/secrets/more",
        "CPPN_FEED_MORE_ART_MENTIONS": "off",
    }
    s = Settings.load(env, path)
    art, sky, more = s.feeds
    assert (art.secret, art.daily_time, art.hashtags) == (SECRET, "21:30", ("art", "cppn"))
    assert (more.name, more.server, more.secret_file, more.mentions) == (
        "more_art", "https://two.example", "/run/secrets/more", False,
    )  # fmt: skip
    assert sky.handle == "cppn.bsky.social"


def test_cppn_feeds_holds_the_same_tables_as_toml():
    env = {
        "CPPN_FEEDS": '[{name = "sky", service = "bluesky", handle = "me.bsky.social"}]',
        "CPPN_FEED_SKY_SECRET": APP_PASSWORD,
    }
    (sky,) = Settings.load(env).feeds
    assert (sky.handle, sky.credential()) == ("me.bsky.social", APP_PASSWORD)
    assert Settings.load({"CPPN_FEEDS": ""}).feeds == ()


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"CPPN_FEED_ART_SERVER": "https://m.example"}, "no service"),
        ({"CPPN_FEED_ART_SERVICE": "twitter"}, "'twitter' is not one of: mastodon, bluesky"),
        ({"CPPN_FEED_ART_SERVICE": "mastodon"}, "server is required for Mastodon"),
        ({"CPPN_FEED_ART_SERVICE": "bluesky"}, "handle is required for Bluesky"),
        (
            {
                "CPPN_FEED_ART_SERVICE": "bluesky",
                "CPPN_FEED_ART_HANDLE": "a",
                "CPPN_FEED_ART_DAILY_TIME": "25:00",
            },
            "is not a 24-hour time",
        ),  # fmt: skip
        (
            {
                "CPPN_FEED_ART_SERVICE": "bluesky",
                "CPPN_FEED_ART_HANDLE": "a",
                "CPPN_FEED_ART_DAILY_TIME": "09:00",
                "CPPN_FEED_ART_TIMEZONE": "Mars/Base",
            },
            "time zone 'Mars/Base' is unknown",
        ),  # fmt: skip
        (
            {
                "CPPN_FEED_ART_SERVICE": "mastodon",
                "CPPN_FEED_ART_SERVER": "https://m",
                "CPPN_FEED_ART_VISIBILITY": "everyone",
            },
            "'everyone' is not one of",
        ),  # fmt: skip
        ({"CPPN_FEED_ART_COLOUR": "red"}, "not CPPN_FEED_<NAME>_<KEY>"),
        ({"CPPN_FEED_ART_MENTIONS": "maybe"}, "is not true or false"),
        ({"CPPN_FEEDS": "[{service = 'bluesky'}]"}, "needs a name"),
        ({"CPPN_FEEDS": "not toml"}, "is not a TOML array"),
    ],
)
def test_a_bad_feed_is_one_line_naming_it(env, says):
    with pytest.raises(SettingsError) as e:
        Settings.load(env)
    assert says in str(e.value)
    assert "\n" not in str(e.value)


def test_two_feeds_of_one_name_are_refused(tmp_path):
    path = tmp_path / "cppn.toml"
    path.write_text(TOML + '\n[[feeds]]\nname = "art"\nservice = "bluesky"\nhandle = "x"\n')
    with pytest.raises(SettingsError, match="two feeds are named 'art'"):
        Settings.load({}, path)
    path.write_text('[[feeds]]\nname = "art"\nservice = "bluesky"\nhandle = "x"\ncolour = 1\n')
    with pytest.raises(SettingsError, match="unknown key 'colour'"):
        Settings.load({}, path)


def test_the_secret_comes_from_a_file_and_an_unreadable_one_is_named(tmp_path):
    secret_file = tmp_path / "art-token"
    secret_file.write_text(SECRET + "\n")
    feed = FeedConfig(name="art", service="mastodon", server="https://m.example",
                      secret_file=str(secret_file))  # fmt: skip
    assert feed.credential() == SECRET
    assert SECRET not in repr(feed)
    gone = FeedConfig(name="art", service="mastodon", server="https://m.example",
                      secret_file=str(tmp_path / "missing"))  # fmt: skip
    with pytest.raises(SettingsError, match="cannot read the secret file of feed .art., "):
        gone.credential()


def test_cppn_bot_config_lists_each_feed_key_with_its_source_and_masks_the_secret(
    tmp_path, monkeypatch, capsys
):
    path = tmp_path / "cppn.toml"
    path.write_text(TOML)
    secret_file = tmp_path / "sky-password"
    secret_file.write_text(APP_PASSWORD)
    monkeypatch.setenv("CPPN_FEED_ART_SECRET", SECRET)
    monkeypatch.setenv("CPPN_FEED_SKY_SECRET_FILE", str(secret_file))
    parser = argparse.ArgumentParser(prog="cppn-bot")
    add_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["config", "--config", str(path)])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert SECRET not in out and APP_PASSWORD not in out
    assert 'feeds.art.server = "https://mastodon.example"  (file)' in out
    assert "feeds.art.secret = ****  (env)" in out
    assert "feeds.sky.secret = (not set)  (default)" in out
    assert 'feeds.art.hashtags = ["generativeart", "cppn", "abstract"]  (file)' in out
    assert "# feed art (mastodon): secret set" in out
    assert f"# feed sky (bluesky): secret set, from {secret_file}" in out


def test_feed_secrets_are_redacted_from_logs(tmp_path):
    secret_file = tmp_path / "sky-password"
    secret_file.write_text(APP_PASSWORD)
    env = {
        "CPPN_FEEDS": '[{name = "sky", service = "bluesky", handle = "me.bsky.social"}]',
        "CPPN_FEED_SKY_SECRET_FILE": str(secret_file),
        "CPPN_FEED_ART_SERVICE": "mastodon",
        "CPPN_FEED_ART_SERVER": "https://m.example",
        "CPPN_FEED_ART_SECRET": SECRET,
    }
    settings = Settings.load(env)
    stream = io.StringIO()
    handler = setup_logging(settings, stream=stream)
    try:
        logging.getLogger("bot.feeds.test").error("login with %s and %s", SECRET, APP_PASSWORD)
    finally:
        logging.getLogger().removeHandler(handler)
    line = stream.getvalue()
    assert SECRET not in line and APP_PASSWORD not in line
    assert line.count("[redacted]") == 2


def test_no_feeds_is_the_default_and_reads_back_from_config_rows():
    settings, rows = effective({})
    assert settings.feeds == ()
    assert [r for r in rows if r.name == "feeds"][0].value == "[]"
