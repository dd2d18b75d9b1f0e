import pytest

from bot.art.render import Renderer


@pytest.fixture(scope="session")
def renderer() -> Renderer:
    """Renders in tests are tiny and on the CPU."""
    return Renderer.create("cpu")


@pytest.fixture
async def fake(monkeypatch):
    """A fake Discord on loopback (tests/fake_discord.py), discord.py pointed at it."""
    from fake_discord import FakeDiscord

    server = FakeDiscord()
    await server.start()
    server.patch(monkeypatch)
    yield server
    await server.close()


@pytest.fixture
def posters(monkeypatch):
    """Every DailyPoster the bot builds, in order: a test waits on its checks (ticked())."""
    from bot.discordbot.daily import DailyPoster

    made: list[DailyPoster] = []
    init = DailyPoster.__init__

    def recording(self, *args, **kwargs) -> None:
        init(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(DailyPoster, "__init__", recording)
    return made
