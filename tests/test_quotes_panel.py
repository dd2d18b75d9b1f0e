"""The blind-read panel (`cppn-bot quotes --panel DIR`) and its scorer (`quotes --score`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli import main
from bot.errors import UserError
from bot.quotes import commands
from bot.quotes.corpus import is_clean
from bot.quotes.panel import default_corpus_dirs, make_panel, score

DIRS = default_corpus_dirs()
needs_corpus = pytest.mark.skipif(
    not all(d.is_dir() for d in DIRS), reason="the corpus folders are not here"
)


def fake(seed: int) -> str:
    return f"The quote of seed {seed} is made up."


def _numbered(panel: Path) -> tuple[str, list[tuple[int, str]]]:
    """(header, [(n, text)]) of a panel.txt."""
    header, _, body = panel.read_text(encoding="utf-8").partition("\n\n")
    rows = [re.fullmatch(r"(\d+)\. (.+)", line) for line in body.splitlines()]
    assert all(rows), body
    return header, [(int(m.group(1)), m.group(2)) for m in rows]


@needs_corpus
def test_panel_mixes_generated_and_real_lines_with_a_matching_key(tmp_path: Path) -> None:
    assert make_panel(tmp_path, fake, DIRS, n=12, real=8, seed=5, voice="stoic") == 20
    header, lines = _numbered(tmp_path / "panel.txt")
    assert [n for n, _ in lines] == list(range(1, 21))
    text = dict(lines)

    key_lines = (tmp_path / "key.tsv").read_text(encoding="utf-8").splitlines()
    assert key_lines[0] == "n\tsource\tdetail"
    key = [line.split("\t") for line in key_lines[1:]]
    assert [int(n) for n, _, _ in key] == list(range(1, 21))

    gen = [(int(n), d) for n, src, d in key if src == "generated"]
    real = [(int(n), d) for n, src, d in key if src == "real"]
    assert (len(gen), len(real)) == (12, 8)
    seeds = []
    for n, detail in gen:
        m = re.fullmatch(r"seed=(\d+) voice=stoic", detail)
        assert m, detail
        seeds.append(int(m.group(1)))
        assert text[n] == fake(int(m.group(1)))
    assert len(set(seeds)) == 12

    books = {p.name: p for d in DIRS for p in d.glob("*.txt")}
    for n, name in real:
        corpus_text = " ".join(books[name].read_text(encoding="utf-8").split())
        assert " ".join(text[n].split()) in corpus_text, (name, text[n])
        assert 30 <= len(text[n]) <= 160 and is_clean(text[n])
    assert len({name for _, name in real}) == 8  # spread: one per book while books last

    ratings = (tmp_path / "ratings.tsv").read_text(encoding="utf-8").splitlines()
    assert ratings == ["n\tG\tM\tQ\tR"] + [f"{i}\t\t\t\t" for i in range(1, 21)]

    assert header.startswith("#") and all(line.startswith("#") for line in header.splitlines())
    for hint in ("real", "generat", "corpus", "model", "machine", "human", "key"):
        assert hint not in header.lower()
    assert not re.search(r"\b(8|12|20)\b", header)


@needs_corpus
def test_same_arguments_give_the_same_files(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    make_panel(a, fake, DIRS, n=6, real=4, seed=9)
    make_panel(b, fake, DIRS, n=6, real=4, seed=9)
    make_panel(c, fake, DIRS, n=6, real=4, seed=10)
    for name in ("panel.txt", "key.tsv", "ratings.tsv"):
        assert (a / name).read_bytes() == (b / name).read_bytes()
    assert (a / "panel.txt").read_bytes() != (c / "panel.txt").read_bytes()
    make_panel(a, fake, DIRS, n=6, real=4, seed=9)  # an untouched panel may be written again
    (a / "ratings.tsv").write_text("n\tG\tM\tQ\tR\n1\t2\t2\t1\t0\n", encoding="utf-8")
    with pytest.raises(UserError, match="ratings.tsv already exists"):
        make_panel(a, fake, DIRS, n=6, real=4, seed=9)


@needs_corpus
def test_cli_panel_uses_the_quote_source(tmp_path: Path, monkeypatch, capsys) -> None:
    asked = []

    def source(voice: str, directory: Path | None):
        asked.append(voice)
        return fake

    monkeypatch.setattr(commands, "_quote_source", source)
    argv = ["quotes", "--panel", str(tmp_path), "--n", "3", "--real", "2", "--voice", "tao"]
    assert main(argv) == 0
    assert asked == ["tao"]
    assert "(5 lines)" in capsys.readouterr().out
    key = (tmp_path / "key.tsv").read_text(encoding="utf-8")
    assert key.count("\tgenerated\t") == 3 and key.count("voice=tao") == 3
    assert key.count("\treal\t") == 2


KEY = "n\tsource\tdetail\n" + "".join(
    f"{n}\t{src}\t{detail}\n"
    for n, src, detail in [
        (1, "generated", "seed=11 voice=any"),
        (2, "real", "shaw-maxims-for-revolutionists.txt"),
        (3, "generated", "seed=12 voice=any"),
        (4, "generated", "seed=13 voice=any"),
        (5, "real", "laozi-tao-te-ching.txt"),
        (6, "generated", "seed=14 voice=any"),
        (7, "real", "emerson-essays.txt"),
        (8, "generated", "seed=15 voice=any"),
    ]
)
# A header, a blank line, trailing blanks, rows out of order, one row with spaces for tabs.
RATINGS = "n\tG\tM\tQ\tR\n\n1\t2\t2\t1\t0  \n3\t1\t0\t0\t1\n2\t2\t2\t1\t0\n4 0 0 0 0\n" + (
    "5\t2\t2\t0\t0\n6\t2\t1\t0\t0\n\n7\t1\t2\t0\t0\t\n8\t1\t2\t1\t0"
)


def _rated(tmp_path: Path, ratings: str = RATINGS, key: str | None = KEY) -> Path:
    if key is not None:
        (tmp_path / "key.tsv").write_text(key, encoding="utf-8")
    path = tmp_path / "ratings.tsv"
    path.write_text(ratings, encoding="utf-8")
    return path


def test_score_counts_by_source_and_checks_the_goals(tmp_path: Path) -> None:
    # generated 1 3 4 6 8: G = 2 1 0 2 1, M = 2 0 0 1 2, Q = 1 0 0 0 1, R = 0 1 0 0 0
    #   G=2 2/5 = 40 %, G>=1 4/5 = 80 %, M=2 2/5 = 40 %, Q=1 2/5 = 40 %, R=1 1/5 = 20 %
    # real 2 5 7: G = 2 2 1, M = 2 2 2, Q = 1 0 0, R = 0 0 0
    #   G=2 2/3 = 67 %, G>=1 3/3 = 100 %, M=2 100 %, Q=1 1/3 = 33 %, R=1 0 %
    assert score(_rated(tmp_path)).splitlines() == [
        "| | lines | fully grammatical (G=2) | G≥1 | clear meaning (M=2) | quotable (Q=1) "
        "| copy-like (R=1) |",
        "|---|---|---|---|---|---|---|",
        "| generated | 5 | 40 % | 80 % | 40 % | 40 % | 20 % |",
        "| real | 3 | 67 % | 100 % | 100 % | 33 % | 0 % |",
        "",
        "goal G≥1 ≥ 90 %: 80 % — NOT met",
        "goal M=2 ≥ 60 %: 40 % — NOT met",
        "goal Q=1 ≥ 30 %: 40 % — met",
        "goal R=1 ≤ 20 %: 20 % — met",  # exactly on the limit
    ]


@pytest.mark.parametrize(
    ("ratings", "key", "expect"),
    [
        (RATINGS.replace("3\t1\t0", "3\t3\t0"), KEY, "(row n=3): column G is '3'"),
        (RATINGS.replace("6\t2\t1\t0", "6\t2\t1\t2"), KEY, "(row n=6): column Q is '2'"),
        (RATINGS.replace("1\t2\t2\t1\t0", "1\t2\tx\t1\t0"), KEY, "(row n=1): column M is 'x'"),
        (RATINGS.replace("8\t1\t2\t1\t0", "8\t1\t2\t1\t"), KEY, "(row n=8): column R is empty"),
        (RATINGS.replace("4 0 0 0 0\n", ""), KEY, "rows missing for line(s) 4"),
        (RATINGS + "\n9\t1\t1\t1\t1", KEY, "(row n=9): no line 9 in the key"),
        (RATINGS + "\n2\t1\t1\t1\t1", KEY, "(row n=2): row 2 is rated twice"),
        (RATINGS.replace("5\t2", "five\t2"), KEY, "column n is 'five'"),
        (RATINGS, None, "no key file"),
    ],
)
def test_score_refuses_bad_input_with_status_2(tmp_path, capsys, ratings, key, expect) -> None:
    path = _rated(tmp_path, ratings, key)
    assert main(["quotes", "--score", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cppn-bot: error: ") and err.count("\n") == 1
    assert expect in err
