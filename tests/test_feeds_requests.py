"""A mention's words as a job (issue 15): the same options, the same meaning and the same errors
as /paint, /replay, /animate and /blend; the feeds' core imports no discord.py."""

import subprocess
import sys
from dataclasses import replace

import pytest
from feed_pictures import picture

from bot.art.code import format_code, parse_code
from bot.errors import UserError
from bot.feeds.image import fit
from bot.feeds.mastodon import plain_text
from bot.feeds.requests import (
    ANIMATE_OPTIONS,
    BLEND_OPTIONS,
    PAINT_OPTIONS,
    REPLAY_OPTIONS,
    VERBS,
    parse_request,
    usage,
)
from bot.options import PaintOptions, animate_job, blend_job, paint_job, replay_job

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


# --- animate and blend (motion on the feeds) ---------------------------------------------------
CODE = "2-3zk8q2-d6w12s120x80q"


def _reseeded(code: str, seed: int) -> str:
    return format_code(replace(parse_code(code), seed=seed))


@pytest.mark.parametrize(
    ("text", "same_as"),
    [
        (f"@cppn animate {CODE} seconds:1 fps:6 size:small",
         lambda: animate_job(CODE, LIMIT, seconds=1.0, fps=6, size="small")),
        (f"@cppn ANIMATE {CODE}", lambda: animate_job(CODE, LIMIT)),
        (f"@cppn blend {CODE} {_reseeded(CODE, 7)} t:0.3",
         lambda: blend_job(CODE, _reseeded(CODE, 7), LIMIT, t=0.3)),
        (f"@cppn blend {CODE} {_reseeded(CODE, 7)}",
         lambda: blend_job(CODE, _reseeded(CODE, 7), LIMIT)),
    ],
)  # fmt: skip
def test_animate_and_blend_mean_what_the_slash_commands_mean(text, same_as):
    assert parse_request(text, LIMIT) == same_as()


def test_an_animation_gets_the_video_limit_and_one_job_of_form_loop():
    spec = parse_request(f"@cppn animate {CODE} seconds:1 fps:6", 2_000_000, 50_000_000)
    assert spec.byte_limit == 50_000_000 and spec.form.kind == "loop" and spec.form.frames == 6
    assert parse_request(f"@cppn blend {CODE} {_reseeded(CODE, 7)}", 2_000_000, 9).byte_limit == (
        2_000_000
    )


def test_animate_and_blend_options_are_read_from_the_job_functions():
    assert {"seconds": float, "fps": int, "size": str} == ANIMATE_OPTIONS
    assert {"t": float} == BLEND_OPTIONS
    assert VERBS == ("paint", "replay", "animate", "blend")
    assert all(f"{verb} " in usage() for verb in VERBS)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("@cppn animate", "animate needs a code: animate 2-1a"),
        ("@cppn animate seconds:2", "animate needs a code"),
        (f"@cppn animate {CODE} seconds:999", "seconds 999 is not allowed"),
        (f"@cppn animate {CODE} fps:0", "fps 0 is not allowed"),
        (f"@cppn animate {CODE} size:huge", "size"),
        (f"@cppn animate {CODE} zoom:2",
         "animate has no option 'zoom'; it has: seconds, fps, size"),
        ("@cppn blend", "blend needs 2 codes: blend 2-1a 2-2b"),
        (f"@cppn blend {CODE}", "blend needs 2 codes"),
        (f"@cppn blend {CODE} t:0.3", "blend needs 2 codes"),
        (f"@cppn blend {CODE} {_reseeded(CODE, 7)} t:2", "t=2.0 is not allowed"),
        (f"@cppn blend {CODE} 2-1a", "different networks and cannot blend"),
    ],
)  # fmt: skip
def test_bad_animate_and_blend_are_one_line(text, says):
    with pytest.raises(UserError) as e:
        parse_request(text, LIMIT)
    assert says in str(e.value) and "\n" not in str(e.value)


def test_an_animation_goes_up_as_its_mp4_and_over_the_video_limit_is_refused_in_one_line():
    still = picture()
    mp4 = b"\x00\x00\x00\x18ftypisom" + b"\x00" * 500  # never opened as an image
    video = replace(still, data=mp4, mime="video/mp4", form="loop:1:6")
    up = fit(video, 100, max_video_bytes=10_000)
    assert (up.data, up.mime, up.video) == (mp4, "video/mp4", True)
    with pytest.raises(UserError) as e:
        fit(video, 1_000_000, max_video_bytes=100)
    assert "more than the 100 this service takes" in str(e.value) and "\n" not in str(e.value)
