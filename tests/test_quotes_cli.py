"""The quote verbs on an argparse parser, as bot/cli.py registers them."""

from __future__ import annotations

import argparse

import pytest

from bot.quotes import QuoteGenerator
from bot.quotes.commands import add_parsers


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cppn-bot")
    add_parsers(parser.add_subparsers(dest="command", required=True))
    return parser


def test_quote_prints_text_then_attribution(capsys: pytest.CaptureFixture[str]) -> None:
    args = _parser().parse_args(["quote", "--seed", "5", "--engine", "1"])
    assert args.func(args) == 0
    q = QuoteGenerator.load().generate(5)
    assert capsys.readouterr().out == f"{q.text}\n{q.attribution}\n"


def test_quote_speaks_in_the_voice_asked_for(capsys: pytest.CaptureFixture[str]) -> None:
    from bot.quotes.aphorism import AphorismGenerator
    from bot.quotes.bundle import quotes_root

    gen = AphorismGenerator.load(quotes_root() / "v2")
    for voice in ("any", "devil", "tao"):
        args = _parser().parse_args(["quote", "--seed", "5", "--voice", voice])
        assert args.func(args) == 0
        q = gen.generate(5, voice=voice)
        assert capsys.readouterr().out == f"{q.text}\n{q.attribution}\n"
    entries = [", n. " in gen.generate(s, voice="devil").text for s in range(10)]
    assert sum(entries) >= 6  # the devil speaks in Devil's Dictionary entries, mostly


def test_a_voice_on_engine_1_is_one_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    assert main(["quote", "--seed", "5", "--engine", "1", "--voice", "tao"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "engine 2" in err[0]


@pytest.mark.parametrize(
    "argv",
    [
        ["quote"],
        ["quote", "--seed", "x"],
        ["quote", "--seed", "1", "--attribution", "plato"],
        ["quotes", "--sample", "0"],
        ["train-quotes", "--steps", "-3"],
    ],
)
def test_bad_arguments_exit_with_status_2(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        _parser().parse_args(argv)
    assert exc.value.code == 2


def test_quotes_report_writes_a_file(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "REPORT.md"
    args = _parser().parse_args(["quotes", "--sample", "3", "--report", "--out", str(out)])
    assert args.func(args) == 0
    text = out.read_text()
    assert "distinct quotes: 100.0%" in text and "median" in text
    assert "copy rate" in capsys.readouterr().out


def test_training_runs_on_a_tiny_corpus(tmp_path) -> None:
    from bot.quotes.train import TrainSettings, train

    lines = [
        f"The wise man number {w} is calm. Fortune cannot touch what the mind holds. "
        f"He who knows {w} is free."
        for w in ("one", "two", "three", "four", "five", "six", "seven", "eight") * 6
    ]
    (tmp_path / "tiny-book.txt").write_text("\n".join(lines), encoding="utf-8")
    settings = TrainSettings(steps=3, batch_size=4, block_size=32, n_embd=32, eval_every=3)
    result = train(tmp_path, settings)
    assert result.steps == 3 and result.model.num_params() > 0
    assert 0 < result.train_loss < 20  # measured and finite (no paragraph is held out here)
    assert {"the", "wise", "fortune"} <= result.vocab.words()
