"""A mention's words as a job (issue 15): the same options, the same meaning and the same errors
as /paint and /replay; the feeds' core imports no discord.py."""

import subprocess
import sys

import pytest

from bot.errors import UserError
from bot.feeds.mastodon import plain_text
from bot.feeds.requests import PAINT_OPTIONS, REPLAY_OPTIONS, parse_request
from bot.options import PaintOptions, paint_job, replay_job

LIMIT = 1_000_000


@pytest.mark.parametrize(
    ("text", "same_as"),
    [
        ("@cppn paint layers:16 zoom:4 colour:hsv seed:7",
         paint_job(PaintOptions(layers=16, zoom=4.0, colour="hsv", seed=7), LIMIT)),
        ("@cppn PAINT color=bw radius:yes seed:7",
         paint_job(PaintOptions(colour="bw", radius=True, seed=7), LIMIT)),
        ("@cppn @friend paint quote:custom text:\"Wu wei 无为 🎨\" seed:3",
         paint_job(PaintOptions(quote="custom", text="Wu wei 无为 🎨", seed=3), LIMIT)),
        ("@cppn replay 1-k9pgn-d12w24s1280x720 size:2x",
         replay_job("1-k9pgn-d12w24s1280x720", LIMIT, size="2x")),
        ("@cppn replay 2-1a zoom:4 voice:stoic",
         replay_job("2-1a", LIMIT, zoom=4.0, voice="stoic")),
        ("@cppn replay 2-1a new_quote", replay_job("2-1a", LIMIT, new_quote=True)),
    ],
)  # fmt: skip
def test_a_mention_means_what_the_slash_command_means(text, same_as):
    assert parse_request(text, LIMIT) == same_as


def test_the_options_are_read_from_the_slash_commands():
    assert set(PAINT_OPTIONS) == {
        "layers", "width", "activation", "init", "spread", "zoom", "colour", "size", "radius",
        "quote", "text", "seed", "voice", "palette", "symmetry",
    }  # fmt: skip
    assert set(REPLAY_OPTIONS) == {"size", "zoom", "text", "new_quote", "voice"}
    assert PAINT_OPTIONS["layers"] is int and PAINT_OPTIONS["zoom"] is float


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("@cppn paint layers:99", "layers=99 is not allowed: a whole number from 0 to 32"),
        ("@cppn paint layers:many", "layers:many is not a whole number"),
        ("@cppn paint layrs:3", "paint has no option 'layrs'; it has: layers, width"),
        ("@cppn paint big", "'big' is not an option like layers:16"),
        ('@cppn paint text:"open', "a quote mark is not closed"),
        ("@cppn paint activation:swish", "activation 'swish' is not one of: tanh"),
        ("@cppn replay", "replay needs a code"),
        ("@cppn replay size:2x", "replay needs a code"),
        ("@cppn replay 2-1a size:9x", "size '9x' is not one of: 1x, 2x, 4k"),
        ("@cppn replay nonsense", "is not a replay code"),
    ],
)
def test_bad_input_is_one_line_naming_what_was_wrong(text, says):
    with pytest.raises(UserError) as e:
        parse_request(text, LIMIT)
    assert says in str(e.value) and "\n" not in str(e.value)


def test_a_mention_asking_for_nothing_is_no_request():
    assert parse_request("@cppn what a lovely picture!", LIMIT) is None
    assert parse_request("@cppn", LIMIT) is None


def test_mastodon_html_reads_as_text():
    html = ('<p><span class="h-card"><a href="https://x/@cppn" class="u-url mention">@<span>cppn'
            '</span></a></span> paint text:&quot;a &amp; b&quot;<br />layers:3</p>')  # fmt: skip
    assert plain_text(html) == '@cppn paint text:"a & b"\nlayers:3'


def test_the_feeds_core_imports_no_discord_py():
    modules = ["bot.feeds.content", "bot.feeds.alt", "bot.feeds.image", "bot.feeds.requests",
               "bot.feeds.poster", "bot.feeds.daily", "bot.feeds.mentions", "bot.feeds.service",
               "bot.feeds.mastodon", "bot.feeds.bluesky", "bot.feeds.commands"]  # fmt: skip
    code = f"import sys; [__import__(m) for m in {modules!r}]; print('discord' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
