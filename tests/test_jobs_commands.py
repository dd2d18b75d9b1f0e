"""`cppn-bot worker`: the verb registers on any argparse parser and reads settings from flags
first, then the environment."""

import argparse

from bot.jobs.commands import _settings, add_parsers


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="cppn-bot")
    add_parsers(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


def test_worker_flags_override_the_environment(monkeypatch):
    monkeypatch.setenv("CPPN_REDIS_URL", "redis://env:6379/0")
    monkeypatch.setenv("CPPN_BATCH_MAX", "5")
    args = parse(["worker", "--queue", "q1", "--no-batching", "--device", "cpu"])
    assert callable(args.func)
    s = _settings(args)
    assert (s.redis_url, s.queue_name, s.batching, s.device, s.batch_max) == (
        "redis://env:6379/0", "q1", False, "cpu", 5,
    )  # fmt: skip
    s = _settings(parse(["worker", "--redis", "redis://flag:1/2", "--batch-max", "3"]))
    assert (s.redis_url, s.batch_max, s.batching) == ("redis://flag:1/2", 3, True)


def test_the_local_backend_never_imports_arq_or_redis():
    import subprocess
    import sys

    code = (
        "import asyncio, sys\n"
        "from bot.jobs import create_queue\n"
        "from bot.settings import Settings\n"
        "from bot.pipeline import Pipeline\n"
        "s = Settings(device='cpu')\n"
        "async def main():\n"
        "    q = create_queue(s, pipeline=Pipeline.create(s.device))\n"
        "    await q.start()\n"
        "    await q.close()\n"
        "asyncio.run(main())\n"
        "assert not {'arq', 'redis'} & set(sys.modules), 'arq or redis was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
