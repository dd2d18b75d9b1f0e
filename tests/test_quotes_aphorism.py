"""Engine 2 (aphorisms): determinism per seed and voice, novelty against BOTH corpus folders read
directly, no dead frame, agreement in fills, variety."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.quotes.aphorism import AphorismGenerator
from bot.quotes.aphorism.fill import Filler, fix_articles
from bot.quotes.aphorism.slots import Slot
from bot.quotes.voices import VOICE_NAMES

ROOT = Path(__file__).resolve().parents[1]
V2 = ROOT / "quotes" / "v2"
CORPUS_DIRS = [ROOT.parent / "shared" / "corpus", ROOT.parent / "shared" / "corpus-more"]
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")


@pytest.fixture(scope="module")
def gen() -> AphorismGenerator:
    return AphorismGenerator.load(V2)


def _words(text: str) -> list[str]:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return _WORD.findall(text)


@pytest.fixture(scope="module")
def corpus_windows() -> set[str]:
    """Every 6-word window of every paragraph of both folders, read here, not from quotes/."""
    files = [p for d in CORPUS_DIRS for p in sorted(d.glob("*.txt"))]
    assert {p.parent.name for p in files} == {"corpus", "corpus-more"}
    windows: set[str] = set()
    for path in files:
        for para in path.read_text(encoding="utf-8").splitlines():
            ws = _words(para)
            windows.update(" ".join(ws[i : i + 6]) for i in range(len(ws) - 5))
    return windows


def test_same_seed_and_voice_same_quote_in_another_process(gen: AphorismGenerator) -> None:
    here = [gen.generate(1234, voice=v).text for v in VOICE_NAMES]
    code = (
        "import json; from bot.quotes.aphorism import AphorismGenerator\n"
        f"g = AphorismGenerator.load({str(V2)!r})\n"
        f"print(json.dumps([g.generate(1234, voice=v).text for v in {list(VOICE_NAMES)!r}]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == here
    assert len(set(here)) == len(here), "each voice says something else"


@pytest.mark.parametrize("voice", VOICE_NAMES)
def test_quotes_are_new_against_both_corpus_folders(
    gen: AphorismGenerator, corpus_windows: set[str], voice: str
) -> None:
    for seed in range(40):
        text = gen.generate(seed, voice=voice).text
        ws = _words(text)
        copied = [" ".join(ws[i : i + 6]) for i in range(len(ws) - 5)]
        assert not [w for w in copied if w in corpus_windows], text
        assert 30 <= len(text) <= 160 and text[-1] in ".?", text


def test_lines_vary_across_seeds(gen: AphorismGenerator) -> None:
    texts = [gen.generate(s).text for s in range(60)]
    assert len(set(texts)) >= 58
    # no two of 60 lines open with the same four words (a fill-in-the-blanks copy would)
    openings = [" ".join(_words(t)[:4]) for t in texts]
    assert len(set(openings)) >= 54


def test_every_frame_fills_and_passes_its_filters(gen: AphorismGenerator) -> None:
    """No dead frame: each one, filled 16 times, gives a line the filters let through."""
    from bot.quotes.aphorism.frames import expand, frames

    for voice, lines in frames().items():
        assert len(lines) >= 60, voice
        for i, frame in enumerate(lines):
            rng = np.random.default_rng(i)
            texts = [gen.filler.fill(gen.parts(expand(frame, rng)), rng) for _ in range(16)]
            assert all(texts), frame
            assert any(gen.rejection(t) is None for t in texts), frame


def test_articles_agree_after_a_fill() -> None:
    assert fix_articles(["", "A", " ", "owl", " ", "is", " ", "an", " ", "river", "."]) == (
        "An owl is a river."
    )
    assert fix_articles(["", "a", " ", "hour", " ", "an", " ", "unity", ""]) == "an hour a unity"


def test_slots_keep_number_and_repeat_the_same_word() -> None:
    pl = Slot(0, "n", "virtue", "sg", "mass", True)
    again = Slot(0, "n", "virtue", "sg", "mass", False)
    people = Slot(1, "n", "person", "pl", "any", False)
    pattern = ["", pl, " makes ", people, " kind; ", again, " stays."]
    filler = Filler()
    for seed in range(20):
        text = filler.fill(pattern, np.random.default_rng(seed))
        first, rest = text.split(" makes ")
        who = rest.split(" kind; ")[0]
        assert rest.endswith(f"{first.lower()} stays."), text
        assert who.endswith("s") or who in ("men", "children", "statesmen"), text
