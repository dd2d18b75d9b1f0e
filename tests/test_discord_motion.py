"""Motion and variation on Discord, end to end through the fake Discord: /animate posts an MP4
that plays (PyAV reads its frames back), the Vary button paints a numbered grid whose buttons 1-4
take one tile on as its own picture, and /blend refuses two different networks in one line."""

from __future__ import annotations

import io

import av
import pytest
from fake_discord import FakeDiscord
from PIL import Image
from test_discord_e2e import USER, Bot, _code, _custom_ids, _paint, _ready

from bot.art.code import format_code, parse_code
from bot.art.explore import variations
from bot.art.render import Renderer
from bot.compose import Compositor
from bot.pipeline import Pipeline
from bot.settings import Settings

PNG = b"\x89PNG\r\n\x1a\n"
CODE = "2-3zk8q2-d6w12s120x80q"  # small, no quote: the CPU paints it in a blink


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(Renderer.create("cpu"), Compositor(), None)  # codes here carry no quote


@pytest.fixture
async def bot(fake, pipeline, posters, tmp_path):
    settings = Settings(
        db_path=str(tmp_path / "bot.db"), cooldown_s=0, progress_s=0.2, health_port=0
    )
    running = Bot(settings, pipeline)
    await _ready(posters, 1)
    yield running
    await running.close()


async def test_animate_posts_a_looping_mp4_with_a_still_and_a_vary_button(fake, bot):
    code = CODE
    result = await _paint(fake, fake.slash("animate", USER, code=code, seconds=1.0, fps=12,
                                           size="small"))  # fmt: skip
    name, data = result.files[0]
    assert name.endswith(".mp4") and data[4:8] == b"ftyp"
    animated = _code(result)
    recipe = parse_code(animated)
    assert (recipe.w, recipe.h) == (320, 214)  # small: 320 on the long side, the code's shape
    assert recipe.seed == parse_code(code).seed
    with av.open(io.BytesIO(data)) as c:
        stream = c.streams.video[0]
        frames = sum(1 for _ in c.decode(stream))
        assert (frames, stream.average_rate, stream.width) == (12, 12, 320)
    embed = result.json["embeds"][0]
    assert "image" not in embed  # Discord plays the attachment; an embed cannot show video
    assert f"`{animated}`" in embed["description"]
    ids = _custom_ids(result)
    assert ids[:2] == [f"cppn:still:{animated}", f"cppn:vary-subtle:{animated}"]

    # The Animate button under a still makes the same kind of loop (at the default size).
    still = await _paint(fake, fake.slash("replay", USER, code=code))
    assert f"cppn:animate:{code}" in _custom_ids(still)

    # Too much work in one animation: refused before anything is queued, in one line.
    big = fake.slash("animate", USER, code="2-3zk8q2-q", seconds=60.0, fps=60, size="hd")
    await fake.dispatch("INTERACTION_CREATE", big)
    answer = await fake.wait_for(lambda _: fake.find("POST", f"/interactions/{big['id']}/"))
    assert answer[0].json["data"]["flags"] & 64
    assert "fewer seconds or fps, or a smaller size" in answer[0].json["data"]["content"]


async def test_a_vary_click_paints_a_grid_and_a_number_takes_that_tile_on(fake, bot):
    first = await _paint(fake, fake.slash("replay", USER, code=CODE))
    code = _code(first)
    ids = _custom_ids(first)
    assert f"cppn:vary-subtle:{code}" in ids and f"cppn:vary-strong:{code}" in ids
    grid = await _paint(
        fake, fake.click(f"cppn:vary-strong:{code}", _message_of(fake, first), USER)
    )
    name, data = grid.files[0]
    assert data.startswith(PNG) and Image.open(io.BytesIO(data)).size == (120, 80)
    tiles = [format_code(r) for r in variations(parse_code(code), "strong")]
    picks = [i for i in _custom_ids(grid) if i.startswith("cppn:pick:")]
    assert picks == [f"cppn:pick:{t}" for t in tiles]  # 1-4, each its own replay code
    labels = [c["label"] for row in grid.json["components"] for c in row["components"]][:4]
    assert labels == ["1", "2", "3", "4"]
    assert all(f"`{t}`" in grid.json["embeds"][0]["fields"][1]["value"] for t in tiles)

    taken = await _paint(fake, fake.click(picks[2], _message_of(fake, grid), USER))
    assert _code(taken) == tiles[2]
    assert taken.files[0][1].startswith(PNG)
    assert f"cppn:vary-subtle:{tiles[2]}" in _custom_ids(taken)  # vary it again: a lineage
    alone = await _paint(fake, fake.slash("replay", USER, code=tiles[2]))
    assert alone.files[0][1] == taken.files[0][1]  # the tile's code replays to it


async def test_blend_paints_between_two_codes_and_refuses_two_networks(fake, bot):
    other = "2-7-d6w12s120x80q"
    blended = await _paint(fake, fake.slash("blend", USER, a=CODE, b=other, t=0.25))
    assert _code(blended) == "2-3zk8q2-d6w12x7,.25s120x80q"
    bad = fake.slash("blend", USER, a=CODE, b="2-7-d7w12s120x80q")
    await fake.dispatch("INTERACTION_CREATE", bad)
    answer = await fake.wait_for(lambda _: fake.find("POST", f"/interactions/{bad['id']}/"))
    text = answer[0].json["data"]["content"]
    assert "different networks" in text and "layers" in text and "\n" not in text


def _message_of(fake: FakeDiscord, rec) -> dict:
    """The message a webhook edit of an interaction's response made (to click its buttons)."""
    token = rec.path.split("/webhooks/")[1].split("/")[1]
    return fake.messages[fake.originals[token]]
