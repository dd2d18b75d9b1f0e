"""The command-line contract: paint/replay print the code last; bad input exits 2 in one line."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from bot.art import parse_code
from bot.cli import main

ROOT = Path(__file__).resolve().parent.parent


def _last_line(text: str) -> str:
    return text.strip().splitlines()[-1]


def test_paint_writes_the_picture_and_prints_its_code_last(tmp_path, capsys):
    out = tmp_path / "p.png"
    argv = ["paint", "--seed", "77", "--layers", "16", "--width", "8", "--activation", "sin",
            "--std", "0.5", "--inputs", "xyr", "--zoom", "0.5", "--color", "hsv",
            "--size", "48x32", "--no-quote", "-o", str(out)]  # fmt: skip
    assert main(argv) == 0
    code = _last_line(capsys.readouterr().out)
    r = parse_code(code)
    assert (r.seed, r.layers, r.width, r.activation, r.std, r.inputs, r.zoom, r.color) == (
        77, 16, 8, "sin", 0.5, "xyr", 0.5, "hsv")  # fmt: skip
    assert Image.open(out).size == (48, 32)
    assert Image.open(out).text["replay-code"] == code


def test_paint_without_a_seed_picks_a_new_one(tmp_path, capsys):
    codes = set()
    for _ in range(2):
        assert main(["paint", "--size", "16x16", "--no-quote", "-o", str(tmp_path / "a.png")]) == 0
        codes.add(_last_line(capsys.readouterr().out))
    assert len(codes) == 2


def test_uniform_init_defaults_to_the_articles_range(tmp_path, capsys):
    out = str(tmp_path / "u.png")
    main(["paint", "--seed", "1", "--init", "uniform", "--size", "16x16", "--no-quote", "-o", out])
    assert parse_code(_last_line(capsys.readouterr().out)).range == 100.0


def test_replay_at_another_size_is_the_same_picture_sharper(tmp_path, capsys):
    small, big = tmp_path / "s.png", tmp_path / "b.png"
    main(
        ["paint", "--seed", "5", "--layers", "3", "--size", "40x30", "--no-quote", "-o", str(small)]
    )
    code = _last_line(capsys.readouterr().out)
    assert main(["replay", code, "--size", "80x60", "-o", str(big)]) == 0
    replayed = _last_line(capsys.readouterr().out)
    assert parse_code(replayed) == parse_code(code).with_size(80, 60)
    a = np.asarray(Image.open(small), dtype=np.float64)
    b = np.asarray(Image.open(big), dtype=np.float64).reshape(30, 2, 40, 2, 3).mean(axis=(1, 3))
    assert np.abs(a - b).mean() < 5


def test_replay_of_a_bare_seed(tmp_path, capsys):
    argv = ["replay", "42", "--size", "16x16", "--no-quote", "-o", str(tmp_path / "r.png")]
    assert main(argv) == 0
    assert parse_code(_last_line(capsys.readouterr().out)).seed == 42


@pytest.mark.parametrize(
    "argv",
    [
        ["paint", "--layers", "99", "-o", "x.png"],
        ["paint", "--layers", "many", "-o", "x.png"],
        ["paint", "--size", "big", "-o", "x.png"],
        ["paint", "--activation", "swish", "-o", "x.png"],
        ["paint", "--init", "uniform", "--std", "2", "-o", "x.png"],
        ["paint", "--quote", "\x01 \x02", "-o", "x.png"],
        ["paint", "--quote", "x" * 300, "-o", "x.png"],
        ["paint", "--placement", "left", "-o", "x.png"],
        ["paint", "--max-bytes", "10", "-o", "x.png"],
        ["paint", "--width", "256", "--layers", "32", "--size", "4096x4096", "-o", "x.png"],
        ["replay", "not-a-code", "-o", "x.png"],
        ["replay", "1-ab-q9", "-o", "x.png"],
        ["replay", "1-ab-es", "-o", "x.png"],
        ["replay", "2-ab-q", "--voice", "stoic", "-o", "x.png"],
        ["paint", "--voice", "pirate", "-o", "x.png"],
        ["paint", "--voice", "stoic", "--no-quote", "-o", "x.png"],
        ["paint", "--voice", "stoic", "--quote", "Mine.", "-o", "x.png"],
        ["paint"],
        ["frobnicate"],
        # issue 13: each was a traceback, or accepted
        ["experiments", "--cell", "64", "-o", "no/such/folder/sheet.png"],
        ["experiments", "--cell", "64", "-o", "sheet.xyz"],
        ["replay", "2-" + "0" * 120 + "3zk8q2", "-o", "x.png"],  # padded past 80 characters
        ["quote", "--seed", "-1"],
        ["quote", "--seed", str(2**32)],
        ["invite", "--app-id", "-1"],
        ["invite", "--app-id", "0"],
    ],
)
def test_bad_arguments_exit_2_with_one_line(argv, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "bot", *argv], capture_output=True, text=True,
                          cwd=tmp_path, env={"PYTHONPATH": str(ROOT), "PATH": ""})  # fmt: skip
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cppn-bot: error:"), proc.stderr
    assert not (tmp_path / "x.png").exists()


def test_unwritable_output_is_a_clear_error(tmp_path, capsys):
    out = str(tmp_path / "no" / "such" / "dir.png")
    assert main(["paint", "--size", "16x16", "--no-quote", "-o", out]) == 2
    assert "cannot write" in capsys.readouterr().err


@pytest.mark.parametrize("centre", ["-0.5,0.2", "-.5,-.2", "0.5,-0.2"])
def test_a_negative_centre_is_a_value_not_an_option(tmp_path, capsys, centre):
    """`--centre -0.5,0.2` was refused as "expected one argument" (issue 13)."""
    out = tmp_path / "c.png"
    argv = ["paint", "--seed", "1", "--size", "16x16", "--no-quote", "--centre", centre]
    assert main([*argv, "-o", str(out)]) == 0
    r = parse_code(_last_line(capsys.readouterr().out))
    assert (r.cx, r.cy) == tuple(float(v) for v in centre.split(","))


def test_quote_seeds_are_painting_seeds():
    from bot.art.recipe import MAX_SEED
    from bot.quotes import commands

    assert commands.MAX_SEED == MAX_SEED


def test_experiments_sheet(tmp_path, capsys):
    out = tmp_path / "sheet.png"
    assert main(["experiments", "--cell", "64", "-o", str(out)]) == 0
    sheet = np.asarray(Image.open(out))
    assert sheet.shape[1] > 6 * 64 and sheet.shape[0] > 4 * 64
    assert sheet.std() > 30  # pictures, not an empty canvas


def _paint_with_stdout(stdout, tmp_path) -> subprocess.CompletedProcess:
    argv = [
        "paint",
        "--seed",
        "1",
        "--size",
        "1024x1024",
        "--no-quote",
        "-o",
        str(tmp_path / "b.png"),
    ]
    return subprocess.run([sys.executable, "-m", "bot", *argv], stdout=stdout,
                          stderr=subprocess.PIPE, text=True, cwd=ROOT)  # fmt: skip


def test_progress_bar_only_on_a_terminal(tmp_path):
    import os

    leader, follower = os.openpty()
    try:
        on_tty = _paint_with_stdout(follower, tmp_path)
    finally:
        os.close(follower)
        os.close(leader)
    piped = _paint_with_stdout(subprocess.PIPE, tmp_path)
    assert on_tty.returncode == piped.returncode == 0
    assert "painting" in on_tty.stderr and "row" in on_tty.stderr
    assert "painting" not in piped.stderr


def test_unknown_device_is_a_clear_error(tmp_path, capsys):
    assert main(["paint", "--device", "tpu", "--no-quote", "-o", str(tmp_path / "d.png")]) == 2
    assert "device" in capsys.readouterr().err


def test_custom_quote_travels_beside_the_code(tmp_path, capsys):
    out = tmp_path / "c.png"
    text = "我的神经网络 wants to be a painter."
    argv = ["paint", "--seed", "3", "--size", "200x120", "--quote", text, "--placement", "top",
            "-o", str(out)]  # fmt: skip
    assert main(argv) == 0
    code = _last_line(capsys.readouterr().out)
    r = parse_code(code)
    assert r.quote == "none" and r.placement == "top"  # the code cannot carry the text...
    meta = Image.open(out).text
    assert meta["quote"] == text and meta["replay-code"] == code  # ...the file does


def test_quote_changes_the_picture_only_where_the_text_is(tmp_path, capsys):
    bare, quoted = tmp_path / "a.png", tmp_path / "b.png"
    base = ["paint", "--seed", "3", "--size", "200x120"]
    main([*base, "--no-quote", "-o", str(bare)])
    main([*base, "--quote", "Hello there, painter.", "--placement", "bottom", "-o", str(quoted)])
    a, b = (np.asarray(Image.open(p), dtype=np.int16) for p in (bare, quoted))
    changed_rows = np.nonzero(np.abs(a - b).max(axis=(1, 2)) > 0)[0]
    assert changed_rows.min() > 20  # the top of the picture is untouched


def test_byte_limit_falls_back_to_a_smaller_format(tmp_path, capsys):
    out = tmp_path / "big.png"
    argv = ["paint", "--seed", "3", "--size", "600x600", "--layers", "20", "--no-quote",
            "--max-bytes", "80000", "-o", str(out)]  # fmt: skip
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "note:" in printed and "limit" in printed
    written = [p for p in tmp_path.iterdir() if p.stem == "big"]
    assert len(written) == 1 and written[0].suffix in (".webp", ".jpg")
    assert written[0].stat().st_size <= 80000


def test_no_quote_on_a_code_with_a_quote_variant(tmp_path, capsys):
    out = tmp_path / "v.png"
    assert main(["replay", "1-7-s16x16k3", "--no-quote", "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "1-7-s16x16q"
    assert main(["replay", "2-7-s16x16k3en", "--no-quote", "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "2-7-s16x16q"  # no voice either


@pytest.fixture
def fake_quotes(monkeypatch):
    from test_jobs_support import FakeQuotes

    quotes = FakeQuotes()
    monkeypatch.setattr("bot.cli.load_quotes", lambda: quotes)
    return quotes


def test_paint_with_a_voice(tmp_path, capsys, fake_quotes):
    out = tmp_path / "v.png"
    argv = ["paint", "--seed", "7", "--size", "64x48", "--voice", "stoic", "-o", str(out)]
    assert main(argv) == 0
    code = _last_line(capsys.readouterr().out)
    assert code == "2-7-s64x48es" and parse_code(code).voice == "stoic"
    assert fake_quotes.asked == [(2, "stoic")]
    meta = Image.open(out).text
    assert meta["quote"] == "Quote number 7 (stoic)." and meta["quote-model"] == "fake0002"


def test_paint_without_a_voice_is_version_2_any_voice(tmp_path, capsys, fake_quotes):
    assert main(["paint", "--seed", "7", "--size", "32x32", "-o", str(tmp_path / "a.png")]) == 0
    assert _last_line(capsys.readouterr().out) == "2-7-s32x32"
    assert fake_quotes.asked == [(2, "any")]


@pytest.mark.parametrize(
    ("code", "voice", "want", "asked"),
    [
        ("2-7-s32x32es", None, "2-7-s32x32es", (2, "stoic")),  # a code keeps its voice
        ("2-7-s32x32k2es", "tao", "2-7-s32x32k2et", (2, "tao")),  # re-voiced
        ("2-7-s32x32es", "any", "2-7-s32x32", (2, "any")),
        ("1-7-s32x32k2", None, "1-7-s32x32k2", (1, "any")),  # the legacy engine, as ever
        ("1-7-s32x32k2", "tao", "2-7-s32x32k2et", (2, "tao")),  # upgraded to version 2
        ("7", "any", "2-7-s32x32", (2, "any")),  # a bare seed is version 1: upgraded too
    ],
)
def test_replay_with_a_voice(tmp_path, capsys, fake_quotes, code, voice, want, asked):
    argv = ["replay", code, "--size", "32x32", "-o", str(tmp_path / "r.png")]
    assert main(argv + (["--voice", voice] if voice else [])) == 0
    assert _last_line(capsys.readouterr().out) == want
    assert fake_quotes.asked == [asked]
