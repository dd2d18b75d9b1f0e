"""`cppn-bot post --feed NAME [--code CODE] [--dry-run]` (issue 15): a dry run prints the text and
alt text and writes the image, posting nothing; a real one posts through the real client."""

import asyncio

import pytest
from fake_mastodon import TOKEN, FakeMastodon
from PIL import Image

from bot.cli import main

CODE = "2-1a-s96x64q"  # tiny, no generated quote: no quote model to load


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    import os

    for name in [n for n in os.environ if n.startswith("CPPN_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("CPPN_DB_PATH", str(tmp_path / "bot.db"))
    monkeypatch.setenv("CPPN_DEVICE", "cpu")


def feeds(monkeypatch, server: str) -> None:
    monkeypatch.setenv(
        "CPPN_FEEDS",
        f'[{{name = "art", service = "mastodon", server = "{server}"}},'
        ' {name = "sky", service = "bluesky", handle = "cppn.test"}]',
    )
    monkeypatch.setenv("CPPN_FEED_ART_SECRET", TOKEN)


def test_a_dry_run_prints_text_and_alt_and_writes_the_image(monkeypatch, tmp_path, capsys):
    feeds(monkeypatch, "http://127.0.0.1:9")  # nothing listens there: nothing may be asked
    out = tmp_path / "post.png"
    assert main(["post", "--feed", "sky", "--code", CODE, "--dry-run", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "# sky (bluesky): dry run, nothing posted" in printed
    assert f"Replay code: {CODE}" in printed and "#generativeart #cppn" in printed
    assert "# alt text" in printed and "An abstract picture" in printed
    assert Image.open(out).size == (96, 64)
    # The file is named by what it holds (the service gets a PNG here), whatever -o said.
    asked = tmp_path / "post.jpg"
    assert main(["post", "--feed", "sky", "--code", CODE, "--dry-run", "-o", str(asked)]) == 0
    assert not asked.exists() and Image.open(tmp_path / "post.png").format == "PNG"
    assert f"# image: {tmp_path / 'post.png'} " in capsys.readouterr().out


def test_an_unknown_feed_is_one_line_naming_the_known_ones(monkeypatch, capsys):
    feeds(monkeypatch, "http://127.0.0.1:9")
    assert main(["post", "--feed", "nope", "--dry-run"]) == 2
    assert capsys.readouterr().err.strip() == (
        "cppn-bot: error: no feed named 'nope'; the feeds configured: art, sky"
    )


async def test_post_posts_through_the_real_client(monkeypatch, capsys):
    fake = FakeMastodon(processing_polls=0)
    await fake.start()
    try:
        feeds(monkeypatch, fake.url)
        assert await asyncio.to_thread(main, ["post", "--feed", "art", "--code", CODE]) == 0
        (status,) = fake.statuses
        assert CODE in status["text"] and status["visibility"] == "unlisted"
        assert capsys.readouterr().out.strip() == status["url"]
        monkeypatch.setenv("CPPN_FEED_ART_SECRET", "wrong")
        assert await asyncio.to_thread(main, ["post", "--feed", "art", "--code", CODE]) == 1
        err = capsys.readouterr().err
        assert "feed art: Mastodon refused the token" in err and "wrong" not in err
    finally:
        await fake.close()
