import pytest

from bot.art.render import Renderer


@pytest.fixture(scope="session")
def renderer() -> Renderer:
    """Renders in tests are tiny and on the CPU."""
    return Renderer.create("cpu")
