"""Settings: defaults < TOML file < environment < overrides, clear errors for bad files, secrets
masked when described and found for the logs to redact."""

from pathlib import Path

import pytest

from bot.errors import SettingsError
from bot.settings import MASK, Settings, config_path, effective, mask_url, url_secrets

TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4OTA.GaBcDe.fakefakefakefakefakefakefakefake12"


def toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cppn.toml"
    path.write_text(text, encoding="utf-8")
    return path


def sources(rows) -> dict[str, str]:
    return {row.name: row.source for row in rows}


def test_no_file_and_no_variables_give_the_defaults(tmp_path):
    assert Settings.load({}) == Settings() == Settings.from_env({})
    assert set(sources(effective({})[1]).values()) == {"default"}
    assert config_path({}) is None and config_path({"CPPN_CONFIG": ""}) is None


def test_precedence_is_defaults_then_file_then_environment_then_overrides(tmp_path):
    path = toml(tmp_path, 'queue_max = 50\nbatch_max = 4\ndevice = "cpu"\nbatching = false\n')
    env = {"CPPN_BATCH_MAX": "6", "CPPN_DEVICE": "cuda:1"}
    s = Settings.load(env, path, device="cuda:2")
    assert (s.queue_max, s.batch_max, s.device, s.batching, s.poll_s) == (
        50, 6, "cuda:2", False, Settings.poll_s,
    )  # fmt: skip
    rows = sources(effective(env, path, device="cuda:2")[1])
    assert (rows["queue_max"], rows["batch_max"], rows["device"], rows["poll_s"]) == (
        "file", "env", "override", "default",
    )  # fmt: skip


def test_cppn_config_names_the_file_and_an_explicit_path_beats_it(tmp_path):
    named = toml(tmp_path, "queue_max = 7\n")
    other = tmp_path / "other.toml"
    other.write_text("queue_max = 9\n")
    env = {"CPPN_CONFIG": str(named)}
    assert Settings.load(env).queue_max == 7
    assert Settings.from_env(env).queue_max == 7  # the existing callers read the file too
    assert Settings.load(env, other).queue_max == 9
    assert config_path(env, other) == other


def test_toml_values_keep_their_types(tmp_path):
    path = toml(tmp_path, "job_timeout_s = 5\npoll_s = 0.5\nsync_commands = false\n")
    s = Settings.load({}, path)
    assert s.job_timeout_s == 5.0 and isinstance(s.job_timeout_s, float)
    assert s.poll_s == 0.5 and s.sync_commands is False


@pytest.mark.parametrize(
    "text, message",
    [
        ("queue_mx = 5\n", r"unknown setting 'queue_mx' \(did you mean 'queue_max'\?\)"),
        ("CPPN_QUEUE_MAX = 5\n", r"unknown setting 'CPPN_QUEUE_MAX' \(did you mean 'queue_max'"),
        ("colour = 'red'\n", r"unknown setting 'colour'$"),
        ("[cppn]\nqueue_max = 5\n", r"\[cppn\] is a table; write settings as top-level keys"),
        ('queue_max = "many"\n', r"queue_max must be an integer, not 'many'"),
        ("queue_max = true\n", r"queue_max must be an integer, not True"),
        ("batching = 1\n", r"batching must be true or false, not 1"),
        ("device = 0\n", r"device must be a string, not 0"),
        ('poll_s = "fast"\n', r"poll_s must be a number, not 'fast'"),
        ("queue_max = \n", r"is not valid TOML"),
        ("queue_max = 0\n", r"queue_max must be at least 1"),
        ('log_level = "LOUD"\n', r"log_level 'LOUD' is not one of DEBUG, INFO"),
        ('log_format = "xml"\n', r"log_format 'xml' is not text or json"),
        ("health_port = 70000\n", r"health_port 70000 is not a port"),
    ],
)
def test_a_bad_file_says_which_key_and_what_it_wants(tmp_path, text, message):
    path = toml(tmp_path, text)
    with pytest.raises(SettingsError, match=message) as e:
        Settings.load({}, path)
    assert str(path) in str(e.value)  # the file is named, so the admin knows where to look


def test_a_missing_or_unreadable_file_is_an_error_not_a_silent_default(tmp_path):
    with pytest.raises(SettingsError, match="does not exist"):
        Settings.load({}, tmp_path / "nope.toml")
    with pytest.raises(SettingsError, match="does not exist"):
        Settings.load({"CPPN_CONFIG": str(tmp_path / "nope.toml")})
    with pytest.raises(SettingsError, match="cannot read the config file"):
        Settings.load({}, tmp_path)  # a directory


def test_environment_errors_and_unknown_overrides_are_settings_errors():
    with pytest.raises(SettingsError, match="CPPN_BATCHING='maybe' is not true or false"):
        Settings.load({"CPPN_BATCHING": "maybe"})
    with pytest.raises(SettingsError, match=r"at least 1 \(set by CPPN_BATCH_MAX\)"):
        Settings.load({"CPPN_BATCH_MAX": "0"})
    with pytest.raises(SettingsError, match=r"at least 1 \(set on the command line\)"):
        Settings.load({}, batch_max=0)
    with pytest.raises(SettingsError, match=r"not local or arq$"):
        Settings(queue_backend="celery")  # built directly: no source to name
    with pytest.raises(SettingsError, match=r"unknown setting 'queue_mux' \(did you mean"):
        Settings.load({}, queue_mux=3)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"queue_max": "5"}, r"^queue_max must be an integer, not '5'$"),
        ({"batching": 1}, r"^batching must be true or false, not 1$"),
        ({"health_port": True}, r"^health_port must be an integer, not True$"),
        ({"job_timeout_s": "60"}, r"^job_timeout_s must be a number, not '60'$"),
        ({"db_path": None}, r"^db_path must be a string, not None$"),
    ],
)
def test_a_wrong_type_names_the_field_and_the_type_it_wants(overrides, message):
    with pytest.raises(SettingsError, match=message) as e:
        Settings(**overrides)
    assert e.value.field == next(iter(overrides))
    with pytest.raises(SettingsError, match=r"\(set on the command line\)$"):
        Settings.load({}, **overrides)
    assert Settings(job_timeout_s=60).job_timeout_s == 60  # an integer is a number


def test_settings_errors_carry_their_field():
    """Callers read the field from the error, never from its message."""
    cases = [
        (lambda: Settings.load({"CPPN_BATCH_MAX": "0"}), "batch_max"),
        (lambda: Settings.load({"CPPN_BATCHING": "maybe"}), "batching"),
        (lambda: Settings(log_format="xml"), "log_format"),
        (lambda: Settings(discord_token_file="/nonexistent/token").token(), "discord_token_file"),
        (lambda: Settings.load({}, queue_mux=3), None),  # no such field
    ]
    for make, field_name in cases:
        with pytest.raises(SettingsError) as e:
            make()
        assert e.value.field == field_name, str(e.value)


def test_described_values_mask_the_token_and_url_passwords():
    env = {"CPPN_DISCORD_TOKEN": TOKEN, "CPPN_REDIS_URL": "redis://:hunter2%40x@redis:6379/0"}
    rows = {row.name: row for row in effective(env)[1]}
    assert rows["discord_token"].value == MASK and rows["discord_token"].source == "env"
    assert rows["redis_url"].value == f'"redis://:{MASK}@redis:6379/0"'
    text = repr(rows)
    assert TOKEN not in text and "hunter2" not in text
    unset = {row.name: row for row in effective({})[1]}
    assert unset["discord_token"].value == "(not set)"
    assert unset["redis_url"].value == '"redis://127.0.0.1:6379/0"'
    assert unset["batching"].value == "true" and unset["queue_max"].value == "100"


@pytest.mark.parametrize(
    "url, masked",
    [
        ("redis://:pw@h:6379/0", f"redis://:{MASK}@h:6379/0"),
        ("redis://user:pw@h/0", f"redis://user:{MASK}@h/0"),
        ("rediss://h:6380/0?password=pw&ssl_cert_reqs=none", None),
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
        ("redis://user@h/0", "redis://user@h/0"),
    ],
)
def test_mask_url_hides_passwords_and_nothing_else(url, masked):
    shown = mask_url(url)
    if masked is not None:
        assert shown == masked
    assert "pw" not in shown


def test_secrets_are_the_token_from_either_source_and_url_passwords(tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    s = Settings(discord_token_file=str(token_file), redis_url="redis://u:p%40ss@h/0")
    assert set(s.secrets()) == {TOKEN, "p%40ss", "p@ss"}
    assert Settings(discord_token=f" {TOKEN} ").secrets() == (TOKEN,)
    assert Settings(discord_token_file=str(tmp_path / "missing")).secrets() == ()
    assert Settings().secrets() == ()
    assert url_secrets("redis://h/0?password=a%2Bb") == ["a%2Bb", "a+b"]
