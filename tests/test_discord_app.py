"""The Discord app as people use it now, end to end through the fake Discord (issue 18): a user
install in a DM, Replay this image, Paint this message, Remix, autocomplete, /history and
/settings. The bot runs as `cppn-bot run` does, with the real pipeline on the CPU."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from fake_discord import FakeDiscord
from PIL import Image
from test_discord_e2e import USER, Bot, _code, _custom_ids, _paint, _ready
from waiting import until

from bot.art.code import format_code, parse_code
from bot.art.render import Renderer
from bot.compose import Compositor
from bot.discordbot.images import MAX_BYTES
from bot.pipeline import Pipeline
from bot.settings import Settings

PNG = b"\x89PNG\r\n\x1a\n"
SMALL = "2-3zk8q2-d4w8s96x64q"  # quick to paint on a CPU
ADMIN = 0x20  # Manage Server


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(Renderer.create("cpu"), Compositor(), None)  # quotes are custom or none here


@pytest.fixture
async def bot(fake, pipeline, posters, tmp_path):
    settings = Settings(
        db_path=str(tmp_path / "bot.db"), cooldown_s=0, progress_s=0.2, health_port=0,
        user_max_pending=4,
    )  # fmt: skip
    running = Bot(settings, pipeline)
    await _ready(posters, 1)
    yield running
    await running.close()


async def _answer(fake: FakeDiscord, payload: dict) -> dict:
    """The first callback the bot gave this interaction (its JSON body)."""
    await fake.dispatch("INTERACTION_CREATE", payload)
    found = await fake.wait_for(lambda _: fake.find("POST", f"/interactions/{payload['id']}/"))
    return found[0].json


async def _one_line(fake: FakeDiscord, payload: dict) -> str:
    """The ephemeral line an interaction was answered with (a callback or a followup)."""
    await fake.dispatch("INTERACTION_CREATE", payload)

    def said(_):
        for r in fake.find("POST", f"/interactions/{payload['id']}/"):
            if r.json.get("type") == 4:
                return r.json["data"]
        for r in fake.find("POST", f"/webhooks/{fake.app_id}/{payload['token']}"):
            return r.json

    data = await fake.wait_for(said)
    assert data["flags"] & 64 and data["allowed_mentions"] == {"parse": []}
    assert "\n" not in data["content"]
    return data["content"]


def _png_text(data: bytes) -> dict:
    return dict(Image.open(io.BytesIO(data)).text)


async def test_a_user_install_in_a_dm_paints_through_the_interaction_alone(fake, bot):
    payload = fake.dm(fake.slash("replay", USER, code=SMALL), USER)
    result = await _paint(fake, payload)
    assert _code(result) == SMALL and result.files[0][1].startswith(PNG)
    assert not [r for r in fake.requests if "/channels/" in r.path]  # no post, no history read


async def test_replay_this_image_reads_the_code_from_the_png(fake, bot):
    first = await _paint(fake, fake.slash("replay", USER, code=SMALL))
    name, data = first.files[0]
    # Someone re-uploads the bot's PNG in a message of their own.
    upload = fake.user_message(USER + 1, "look at this", [fake.attachment("mine.png", data)])
    again = await _paint(fake, fake.message_command("Replay this image", upload, USER))
    assert _code(again) == SMALL and again.files[0][1] == data
    assert f"cppn:vary-subtle:{SMALL}" in _custom_ids(again)  # the same buttons

    # /replay with the picture as its image option does the same.
    att = fake.attachment("again.png", data)
    by_option = await _paint(fake, fake.slash_with_attachment("replay", USER, "image", att))
    assert _code(by_option) == SMALL

    # A JPEG of it has no code: one line.
    jpeg = io.BytesIO()
    Image.open(io.BytesIO(data)).convert("RGB").save(jpeg, "JPEG")
    shot = fake.user_message(USER, "", [fake.attachment("shot.jpg", jpeg.getvalue())])
    said = await _one_line(fake, fake.message_command("Replay this image", shot, USER))
    assert "no replay code" in said

    # Another program's PNG: one line.
    other = io.BytesIO()
    Image.new("RGB", (8, 8)).save(other, "PNG")
    foreign = fake.user_message(USER, "", [fake.attachment("other.png", other.getvalue())])
    said = await _one_line(fake, fake.message_command("Replay this image", foreign, USER))
    assert "no replay code" in said

    # An attachment Discord says is huge: refused from its stated size, never downloaded.
    big = fake.attachment("huge.png", data, size=MAX_BYTES + 1)
    huge = fake.user_message(USER, "", [big])
    gets = len(fake.cdn_gets)
    said = await _one_line(fake, fake.message_command("Replay this image", huge, USER))
    assert "MiB" in said and len(fake.cdn_gets) == gets


async def test_paint_this_message_quotes_it_and_pings_nobody(fake, bot):
    friend = {"id": "777", "username": "ada", "discriminator": "0", "global_name": "Ada",
              "avatar": None}  # fmt: skip
    text = "@everyone   the sea <@777> is  <:wave:123> tonight"
    msg = fake.user_message(USER + 1, text, mentions=[friend])
    result = await _paint(fake, fake.message_command("Paint this message", msg, USER))
    assert result.json["allowed_mentions"] == {"parse": []}
    meta = _png_text(result.files[0][1])
    assert meta["quote"] == "@everyone the sea @Ada is :wave: tonight"
    assert meta["quote-engine"] == "custom"
    again = await _paint(fake, fake.message_command("Paint this message", msg, USER))
    assert _code(again) == _code(result)  # the same message, the same painting
    assert all(r.json["allowed_mentions"] == {"parse": []} for r in fake.requests
               if r.method in ("POST", "PATCH") and isinstance(r.json, dict)
               and "allowed_mentions" in r.json)  # fmt: skip


async def test_remix_opens_the_options_as_words_and_paints_what_is_submitted(fake, bot):
    first = await _paint(fake, fake.slash("paint", USER, layers=3, width=6, seed=99, quote="none"))
    code = _code(first)
    message = fake.messages[fake.originals[first.path.split("/")[3]]]
    assert f"cppn:remix:{code}" in _custom_ids(first)
    opened = await _answer(fake, fake.click(f"cppn:remix:{code}", message, USER))
    assert opened["type"] == 9  # a modal
    modal = opened["data"]
    fields = {c["label"]: c for row in modal["components"] for c in row["components"]}
    words = fields["Options"]["value"]
    assert "layers:3" in words and "width:6" in words and "seed:99" in words
    assert "quote:none" in words

    bad = fake.modal_submit(modal, {"Options": words.replace("layers:3", "layers:lots")}, USER)
    said = await _one_line(fake, bad)
    assert "layers:lots" in said.lower() and "whole number" in said

    good = fake.modal_submit(
        modal, {"Options": words.replace("layers:3", "layers:5").replace(" quote:none", ""),
                "Your quote (empty: a generated one)": "Less is more."}, USER,
    )  # fmt: skip
    remixed = await _paint(fake, good)
    r = parse_code(_code(remixed))
    assert (r.layers, r.width, r.seed) == (5, 6, 99)
    assert _png_text(remixed.files[0][1])["quote"] == "Less is more."


async def test_remix_of_a_vary_tile_keeps_its_variation_centre_and_latents(fake, bot):
    first = await _paint(fake, fake.slash("replay", USER, code="2-3zk8q2-d6w12z2c.25,-.1s120x80q"))
    grid = await _paint(fake, fake.click(f"cppn:vary-subtle:{_code(first)}", _msg(fake, first),
                                         USER))  # fmt: skip
    picks = [i for i in _custom_ids(grid) if i.startswith("cppn:pick:")]
    tile = await _paint(fake, fake.click(picks[1], _msg(fake, grid), USER))
    code = _code(tile)
    before = parse_code(code)  # read independently of the Remix: a variation, centred, z inputs
    assert (before.nudges, before.cx, before.cy, before.zdim) == ("2", 0.25, -0.1, 2)

    opened = await _answer(fake, fake.click(f"cppn:remix:{code}", _msg(fake, tile), USER))
    modal = opened["data"]
    words = modal["components"][0]["components"][0]["value"]
    assert "palette" not in words and "layers:6" in words
    recoloured = await _paint(fake, fake.modal_submit(
        modal, {"Options": words + " palette:sunset"}, USER))  # fmt: skip
    expected = replace(before, palette="sunset")
    assert parse_code(_code(recoloured)) == expected  # only the palette changed
    assert recoloured.json["embeds"][0]["title"] == "Remix"
    data = recoloured.files[0][1]
    assert data != tile.files[0][1] and Image.open(io.BytesIO(data)).size == (120, 80)
    again = await _paint(fake, fake.slash("replay", USER, code=format_code(expected)))
    assert again.files[0][1] == data  # the tile, in the palette: nothing else moved

    deeper = await _paint(fake, fake.modal_submit(
        modal, {"Options": words.replace("layers:6", "layers:7")}, USER))  # fmt: skip
    assert parse_code(_code(deeper)) == replace(before, layers=7, nudges="")
    assert deeper.json["embeds"][0]["title"] == (
        "Remix · the variation taken was dropped: it needs the same layers"
    )

    # The server's limits hold for what the box keeps as much as for what it changes.
    admin = fake.slash("settings", USER, max_layers=4)
    admin["member"]["permissions"] = str(ADMIN)
    await _answer(fake, admin)
    said = await _one_line(fake, fake.modal_submit(modal, {"Options": words}, USER))
    assert "up to 4 layers" in said


def _msg(fake: FakeDiscord, rec) -> dict:
    """The message an interaction's result was posted as (to click its buttons)."""
    return fake.messages[fake.originals[rec.path.split("/")[3]]]


async def test_replay_suggests_the_persons_last_codes_and_history_lists_then_forgets(fake, bot):
    codes = []
    for seed in (11, 12, 13):
        done = await _paint(fake, fake.slash("replay", USER, code=f"2-{seed}-d2w4s64x64q"))
        codes.append(_code(done))
    await _paint(fake, fake.slash("replay", USER + 5, code="2-99-d2w4s64x64q"))  # not theirs
    await until(lambda: len(codes) == 3)

    answer = await _answer(fake, fake.autocomplete("replay", USER, "code", ""))
    assert answer["type"] == 8
    values = [c["value"] for c in answer["data"]["choices"]]
    assert values == codes[::-1]  # newest first, theirs only
    assert all(len(c["name"]) <= 100 for c in answer["data"]["choices"])
    narrowed = await _answer(fake, fake.autocomplete("replay", USER, "code", "2-12-"))
    assert [c["value"] for c in narrowed["data"]["choices"]] == [codes[1]]

    shown = await _answer(fake, fake.subcommand("history", "show", USER))
    assert shown["data"]["flags"] & 64
    listing = shown["data"]["embeds"][0]["description"]
    assert all(f"`{c}`" in listing for c in codes) and "2-33-" not in listing
    assert "https://discord.com/channels/" in listing  # links to the messages

    forgot = await _answer(fake, fake.subcommand("history", "delete", USER))
    assert "Forgot 3 paintings" in forgot["data"]["content"]
    after = await _answer(fake, fake.autocomplete("replay", USER, "code", ""))
    assert after["data"]["choices"] == []


async def test_settings_change_a_limit_that_the_next_paint_obeys(fake, bot):
    said = await _one_line(fake, fake.slash("settings", USER, max_layers=4))
    assert "Manage Server" in said  # Discord hides it from members; the bot checks anyway
    admin = fake.slash("settings", USER, max_layers=4, private=True)
    admin["member"]["permissions"] = str(ADMIN)
    changed = await _answer(fake, admin)
    assert "**max_layers**: 4 (set here)" in changed["data"]["embeds"][0]["description"]

    refused = await _one_line(fake, fake.slash("replay", USER, code="2-5-d6w4s64x64q"))
    assert "up to 4 layers" in refused
    payload = fake.slash("replay", USER, code="2-5-d3w4s64x64q")
    allowed = await _paint(fake, payload)
    assert _code(allowed) == "2-5-d3w4s64x64q"
    deferred = fake.find("POST", f"/interactions/{payload['id']}/")[0].json
    assert deferred["type"] == 5 and deferred["data"]["flags"] & 64  # private here now

    shown = fake.slash("settings", USER)
    shown["member"]["permissions"] = str(ADMIN)
    listing = (await _answer(fake, shown))["data"]["embeds"][0]["description"]
    assert "**private**: yes (set here)" in listing and "**size**: square" in listing


async def test_paint_with_a_palette_and_a_mirror_and_the_palette_autocompletes(fake, bot):
    import numpy as np

    found = await _answer(fake, fake.autocomplete("paint", USER, "palette", "su"))
    assert [c["value"] for c in found["data"]["choices"]] == ["sunset"]
    payload = fake.slash("paint", USER, palette="Ocean", symmetry="mirror-x", quote="none",
                         layers=4, width=8, seed=5)  # fmt: skip
    result = await _paint(fake, payload)
    r = parse_code(_code(result))
    assert (r.palette, r.symmetry, r.seed) == ("ocean", "mirror-x", 5)
    art = np.asarray(Image.open(io.BytesIO(result.files[0][1])).convert("RGB"))
    assert np.array_equal(art, art[:, ::-1])  # mirrored about the vertical axis, exactly
    said = await _one_line(fake, fake.slash("paint", USER, palette="plaid"))
    assert "Palette 'plaid' is not one of: none, random, sunset" in said
