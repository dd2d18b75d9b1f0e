"""deploy/: the example settings files can never drift from bot/settings.py, and the compose file,
Dockerfiles and systemd units keep the properties the bot relies on (restart back-off, stop
timeouts longer than the shutdown grace, the token from a file, health checks). Where the machine
has the real tools (docker compose, hadolint, systemd-analyze), they check the files too."""

import ast
import io
import math
import os
import re
import shutil
import subprocess
import sys
import tokenize
from dataclasses import fields
from pathlib import Path

import pytest

from bot.errors import SettingsError
from bot.feeds import config as feed_config
from bot.settings import CONFIG_VAR, PREFIX, Settings, _parse

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
UNITS = DEPLOY / "systemd"
GRACE = Settings().shutdown_grace_s
DISCORD_DAILY_LOGINS = 1000  # Discord resets a token past this many logins in a day


def field_docs() -> dict[str, str]:
    """Each field's documentation: its trailing comment, else the comment lines right above it."""
    src = (ROOT / "bot" / "settings.py").read_text(encoding="utf-8")
    tokens = tokenize.generate_tokens(io.StringIO(src).readline)
    comments = {
        t.start[0]: t.string.lstrip("#").strip() for t in tokens if t.type == tokenize.COMMENT
    }
    lines = src.splitlines()
    cls = next(
        n for n in ast.parse(src).body if isinstance(n, ast.ClassDef) and n.name == "Settings"
    )
    docs = {}
    for node in cls.body:
        if isinstance(node, ast.AnnAssign):
            n = node.lineno
            if n in comments and not lines[n - 1].lstrip().startswith("#"):
                docs[node.target.id] = comments[n]
                continue
            above = []
            while n - 1 in comments and not comments[n - 1].startswith("---"):
                n -= 1
                above.insert(0, comments[n])
            docs[node.target.id] = " ".join(above)
    return docs


def settings_in(path: Path, pattern: str) -> dict[str, tuple[str, list[str]]]:
    """name -> (value as written, the comment lines right above) for each matching line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = {}
    for i, line in enumerate(lines):
        m = re.fullmatch(pattern, line)
        if m:
            above, k = [], i - 1
            while k >= 0 and lines[k].startswith("# "):
                above.insert(0, lines[k][2:])
                k -= 1
            found[m[1]] = (m[2], above)
    return found


def test_every_setting_is_documented():
    docs = field_docs()
    assert set(docs) == {f.name for f in fields(Settings)}
    assert all(docs.values()), [name for name, doc in docs.items() if not doc]


def test_env_example_lists_every_setting_with_its_default_and_meaning():
    found = settings_in(DEPLOY / ".env.example", r"#?CPPN_([A-Z0-9_]+)=(.*)")
    assert "CONFIG" in found, f"{CONFIG_VAR} is missing"
    docs = field_docs()
    missing = [f"# {docs[f.name]}\n#{PREFIX}{f.name.upper()}={f.default}" for f in fields(Settings)]
    missing = [
        m for m, f in zip(missing, fields(Settings), strict=True) if f.name.upper() not in found
    ]
    assert not missing, "add to deploy/.env.example:\n" + "\n".join(missing)
    for f in fields(Settings):
        value, above = found[f.name.upper()]
        assert _parse(f.name, type(f.default), value) == f.default, f"{f.name}: {value!r}"
        assert docs[f.name] in above, f"{f.name}: the comment above is not {docs[f.name]!r}"
    stray = set(found) - {f.name.upper() for f in fields(Settings)} - {"CONFIG"}
    assert not stray, f"not settings: {stray}"


def test_env_example_loads_as_the_defaults_when_every_line_is_uncommented():
    env = {}
    for line in (DEPLOY / ".env.example").read_text().splitlines():
        m = re.fullmatch(r"#?(CPPN_[A-Z0-9_]+)=(.*)", line)
        if m and m[1] != CONFIG_VAR:
            env[m[1]] = m[2]
    assert len(env) == len(fields(Settings))
    assert Settings.load(env) == Settings()


def test_config_example_loads_and_gives_the_defaults(tmp_path):
    example = DEPLOY / "config.example.toml"
    assert Settings.load({}, example) == Settings()
    found = settings_in(example, r"#?([a-z0-9_]+) = (.*)")
    docs = field_docs()
    assert set(found) == {f.name for f in fields(Settings)}
    for name, (_, above) in found.items():
        assert docs[name] in above, f"{name}: the comment above is not {docs[name]!r}"
    # Uncommented, every value must still be the default, and of the right TOML type.
    active = tmp_path / "all.toml"
    active.write_text(re.sub(r"(?m)^#([a-z0-9_]+ = )", r"\1", example.read_text()))
    assert Settings.load({}, active) == Settings()


def test_deploy_files_name_only_real_settings():
    names = {PREFIX + f.name.upper() for f in fields(Settings)} | {CONFIG_VAR}
    for path in [*DEPLOY.rglob("*"), ROOT / ".dockerignore"]:
        if path.is_file():
            used = set(re.findall(r"\bCPPN_[A-Z0-9_]*[A-Z0-9]", path.read_text(encoding="utf-8")))
            used = {u for u in used if not _feed_key(u)}
            assert used <= names, f"{path.name}: {used - names}"


def _feed_key(var: str) -> bool:
    """CPPN_FEED_<NAME>_<KEY>: one key of one feed (bot/feeds/config.py), or that pattern."""
    if var == "CPPN_FEED":  # as in CPPN_FEED_<NAME>_<KEY>
        return True
    try:
        return bool(feed_config.from_env({var: "x"}, []))
    except SettingsError:
        return False


def _seconds(text: str) -> float:
    """A duration as compose or systemd write it: 45s, 1m30s, 10min, 1h, 1d, or bare seconds."""
    units = {"s": 1, "": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}
    parts = re.findall(r"(\d+(?:\.\d+)?)\s*(min|[smhd]?)", text)
    assert parts and "".join(a + b for a, b in parts) == text.replace(" ", ""), text
    return sum(float(n) * units[u] for n, u in parts)


def unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """A systemd unit as section -> key -> every value given (keys like Environment= repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for line in path.read_text().splitlines():
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
        elif line and not line.startswith(("#", ";")):
            key, _, value = line.partition("=")
            current.setdefault(key, []).append(value)
    return sections


def logins_in_a_day(restart_sec: float, steps: int, max_delay: float) -> int:
    """Starts in 24 h of a loop that crashes at once, under systemd's geometric restart delays."""
    ratio = (max_delay / restart_sec) ** (1 / steps)
    t, starts, n = 0.0, 1, 0
    while True:
        t += restart_sec * ratio ** min(n, steps)
        if t > 86400:
            return starts
        starts, n = starts + 1, n + 1


@pytest.mark.parametrize("name", ["cppn-bot.service", "cppn-worker@.service"])
def test_units_restart_with_back_off_and_stop_gracefully(name):
    u = unit(UNITS / name)
    service = {k: v[-1] for k, v in u["Service"].items()}
    assert service["Restart"] == "on-failure"
    assert service["KillSignal"] == "SIGTERM"
    assert _seconds(service["TimeoutStopSec"]) > GRACE
    assert "StartLimitIntervalSec" in u["Unit"] and "StartLimitBurst" in u["Unit"]
    assert "/etc/cppn-bot/env" in service["EnvironmentFile"]
    assert service["ProtectSystem"] == "strict" and service["NoNewPrivileges"] == "yes"
    assert u["Install"]["WantedBy"] == ["multi-user.target"]


def test_a_crash_looping_bot_logs_in_a_few_dozen_times_a_day_at_most():
    u = unit(UNITS / "cppn-bot.service")
    service = {k: v[-1] for k, v in u["Service"].items()}
    restart, steps = _seconds(service["RestartSec"]), int(service["RestartSteps"])
    cap = _seconds(service["RestartMaxDelaySec"])
    logins = logins_in_a_day(restart, steps, cap)
    burst = int(u["Unit"]["StartLimitBurst"][-1])
    interval = _seconds(u["Unit"]["StartLimitIntervalSec"][-1])
    assert logins == 32  # the figure the unit's comment and deploy/README.md give
    assert logins < burst <= 50  # the back-off never trips the cap, and the cap alone is low
    assert interval >= 86400 and burst * 86400 / interval < DISCORD_DAILY_LOGINS / 20
    assert math.isclose((cap / restart) ** (1 / steps), 2.09, abs_tol=0.01)  # as the comment says


def test_the_bot_unit_takes_the_token_as_a_credential_and_workers_one_gpu_each():
    bot = unit(UNITS / "cppn-bot.service")["Service"]
    assert bot["LoadCredential"] == ["discord-token:/etc/cppn-bot/discord-token"]
    assert "CPPN_DISCORD_TOKEN_FILE=%d/discord-token" in bot["Environment"]
    assert bot["ExecStart"] == ["/opt/cppn-bot/.venv/bin/cppn-bot run"]
    assert bot["StateDirectory"] == ["cppn-bot"]
    worker = unit(UNITS / "cppn-worker@.service")["Service"]
    assert worker["ExecStart"] == ["/opt/cppn-bot/.venv/bin/cppn-bot worker --device cuda:%i"]
    assert "PrivateDevices" not in worker  # it needs /dev/nvidia*
    assert "LoadCredential" not in worker  # a worker never sees the token


def dockerfile(name: str) -> dict[str, list[str]]:
    """Instruction -> its arguments, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", (DEPLOY / name).read_text())
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            word, _, rest = line.strip().partition(" ")
            found.setdefault(word, []).append(rest.strip())
    return found


@pytest.mark.parametrize("name, verb", [("Dockerfile", "run"), ("Dockerfile.cuda", "worker")])
def test_dockerfiles_run_the_verb_as_a_numeric_non_root_user(name, verb):
    d = dockerfile(name)
    assert d["FROM"] == ["python:3.11-slim"]
    assert d["ENTRYPOINT"] == ['["cppn-bot"]'] and d["CMD"] == [f'["{verb}"]']
    assert d["STOPSIGNAL"] == ["SIGTERM"]
    (user,) = d["USER"]
    assert re.fullmatch(r"\d+:\d+", user) and not user.startswith("0:")
    for copy in d["COPY"]:
        for source in copy.split()[:-1]:
            assert (ROOT / source).exists(), f"{name}: COPY {source}: no such path"
    assert any("-c constraints.txt -e ." in run for run in d["RUN"])


def test_the_cpu_image_takes_torch_from_the_cpu_index_and_checks_health():
    d = dockerfile("Dockerfile")
    assert any("download.pytorch.org/whl/cpu" in run for run in d["RUN"])
    (check,) = d["HEALTHCHECK"]
    assert "/healthz" in check and "127.0.0.1" in check and "CMD [" in check
    assert "CPPN_DB_PATH=/data/cppn-bot.db" in d["ENV"] and d["VOLUME"] == ['["/data"]']


def compose_text() -> str:
    return (DEPLOY / "compose.yaml").read_text()


def test_compose_has_redis_bot_and_gpu_workers_with_restart_policies():
    try:
        import yaml
    except ImportError:
        yaml = None
    if yaml is None:  # PyYAML is no dependency: check the structure as text instead
        text = compose_text()
        for service in ("redis", "bot", "worker"):
            assert re.search(rf"(?m)^  {service}:$", text), service
        for needle in (
            "condition: service_healthy", "restart: unless-stopped", "driver: nvidia",
            "capabilities: [gpu]", "condition: on-failure", "max_attempts:",
            "CPPN_QUEUE_BACKEND: arq", "CPPN_REDIS_URL: redis://redis:6379/0",
            "CPPN_DISCORD_TOKEN_FILE: /run/secrets/discord_token", "test: [\"CMD\", \"redis-cli\"",
        ):  # fmt: skip
            assert needle in text, needle
        graces = re.findall(r"stop_grace_period: (\S+)", text)
        assert graces and all(_seconds(g) > GRACE for g in graces)
        return
    c = yaml.safe_load(compose_text())
    bot, worker, redis = (c["services"][name] for name in ("bot", "worker", "redis"))
    assert bot["restart"] == "unless-stopped" and _seconds(bot["stop_grace_period"]) > GRACE
    assert bot["environment"]["CPPN_QUEUE_BACKEND"] == "arq"
    assert bot["environment"]["CPPN_DISCORD_TOKEN_FILE"] == "/run/secrets/discord_token"
    assert bot["secrets"] == ["discord_token"] and "discord_token" in c["secrets"]
    assert bot["depends_on"]["redis"]["condition"] == "service_healthy"
    assert redis["healthcheck"]["test"][:2] == ["CMD", "redis-cli"]
    (device,) = worker["deploy"]["resources"]["reservations"]["devices"]
    assert device == {"driver": "nvidia", "count": 1, "capabilities": ["gpu"]}
    policy = worker["deploy"]["restart_policy"]
    assert policy["condition"] == "on-failure" and policy["max_attempts"] > 0
    assert _seconds(worker["stop_grace_period"]) > GRACE


def _run(cmd: list[str], cwd: Path = DEPLOY) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=60)


def _which(name: str) -> str | None:
    """On PATH, or beside this Python (the venv's bin: where `.[deploycheck]` puts its tools)."""
    return shutil.which(name, path=os.pathsep.join([str(Path(sys.executable).parent),
                                                    os.environ.get("PATH", "")]))  # fmt: skip


def _skip_unless_ci(why: str) -> None:
    """Where a checker is missing, skip; under CI (which installs them all) fail instead."""
    if os.environ.get("CI"):
        pytest.fail(f"CI must run this check: {why} (see .ci/run)")
    pytest.skip(why)


def _compose_command() -> list[str] | None:
    if exe := _which("docker-compose"):
        return [exe]
    if (exe := _which("docker")) and _run([exe, "compose", "version"]).returncode == 0:
        return [exe, "compose"]
    return None


def test_docker_compose_accepts_the_file():
    cmd = _compose_command()
    if cmd is None:
        _skip_unless_ci("no docker compose on this machine")
    result = _run([*cmd, "-f", "compose.yaml", "--profile", "gpu1", "config", "--quiet"])
    assert result.returncode == 0, result.stderr


def test_hadolint_accepts_the_dockerfiles():
    if not (hadolint := _which("hadolint")):
        _skip_unless_ci("no hadolint on this machine")
    result = _run([hadolint, "Dockerfile", "Dockerfile.cuda"])
    assert result.returncode == 0, result.stdout + result.stderr


def test_systemd_analyze_verifies_the_units(tmp_path):
    if not shutil.which("systemd-analyze"):
        _skip_unless_ci("no systemd-analyze on this machine")
    # verify wants ExecStart's program to exist: point it at one that does, and name an instance.
    exe = Path(sys.executable).parent / "cppn-bot"
    if not exe.exists():
        pytest.skip("no cppn-bot script beside this Python")
    copies = {
        "cppn-bot.service": "cppn-bot.service",
        "cppn-worker@.service": "cppn-worker@0.service",
    }
    for name, copy in copies.items():
        text = (UNITS / name).read_text().replace("/opt/cppn-bot/.venv/bin/cppn-bot", str(exe))
        (tmp_path / copy).write_text(text)
    result = _run(
        ["systemd-analyze", "verify", "--man=no", "cppn-bot.service", "cppn-worker@0.service"],
        cwd=tmp_path,
    )
    # systemd < 254 does not know the back-off keys (the start limit covers it there); any other
    # complaint is a mistake in the units.
    known = re.compile(r".*Unknown key '?(RestartSteps|RestartMaxDelaySec)'? in section.*")
    problems = [line for line in result.stderr.splitlines() if line and not known.fullmatch(line)]
    assert result.returncode == 0 and not problems, result.stderr
