"""A blind-read panel for judging generated quotes: a shuffled mix of generated lines and real
corpus sentences for a person to rate (panel.txt, ratings.tsv), a key they never see (key.tsv),
and a scorer that turns the filled ratings into a table and a verdict per goal.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Iterable, Sequence
from itertools import chain, zip_longest
from pathlib import Path

from bot.errors import UserError
from bot.quotes import filters
from bot.quotes.corpus import is_clean, split_sentences

COLUMNS = ("n", "G", "M", "Q", "R")
ALLOWED = {"G": "012", "M": "012", "Q": "01", "R": "01"}
RATINGS_HEADER = "\t".join(COLUMNS)

# Says nothing about where the lines come from, or how many of each kind there are.
PANEL_HEADER = """\
# Read every numbered line below, then rate each one in ratings.tsv (same folder): one row per
# line number, tab-separated, columns n G M Q R. Rate each line on its own merits.
#   G grammar    2 = fully grammatical, 1 = small slips but readable, 0 = broken
#   M meaning    2 = clear meaning, 1 = vague or needs charity, 0 = no sense
#   Q quotable   1 = you would happily put it on a picture or share it, 0 = not
#   R copy-like  1 = feels like a fill-in-the-blanks copy of another line in this file, 0 = not
# Example row: 7<TAB>2<TAB>1<TAB>0<TAB>0. Read all lines once before rating R.
"""

# (goal text, column, values counted, at least?, percent) for generated lines
GOALS = (
    ("G≥1 ≥ 90 %", "G", (1, 2), True, 90),
    ("M=2 ≥ 60 %", "M", (2,), True, 60),
    ("Q=1 ≥ 30 %", "Q", (1,), True, 30),
    ("R=1 ≤ 20 %", "R", (1,), False, 20),
)
TABLE_COLUMNS = (
    ("fully grammatical (G=2)", "G", (2,)),
    ("G≥1", "G", (1, 2)),
    ("clear meaning (M=2)", "M", (2,)),
    ("quotable (Q=1)", "Q", (1,)),
    ("copy-like (R=1)", "R", (1,)),
)


def default_corpus_dirs() -> list[Path]:
    """Both corpus folders: bot.quotes.corpus.default_corpus_dirs() where it exists, else
    <repo>/../shared/corpus and <repo>/../shared/corpus-more."""
    try:
        from bot.quotes.corpus import default_corpus_dirs as dirs
    except ImportError:
        shared = Path(__file__).resolve().parents[3] / "shared"
        return [shared / "corpus", shared / "corpus-more"]
    return list(dirs())


# The posting filters that judge a line's text alone (not vocabulary or novelty): real lines pass
# them too, or a reader could tell them apart by shape (an opening "And", four commas, ...).
# is_clean already covers the shape, bracket and blocklist filters.
_CHECKS = (
    filters.length_ok,  # 30..160 characters, as generated quotes are
    is_clean,
    filters.sentences_ok,
    filters.fragment_ok,
    filters.repetition_ok,
)


@functools.cache  # the books are read-only; a process (a test run) splits each one once
def _book(path: Path) -> tuple[str, ...]:
    """The book's distinct postable sentences, in order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = (s for line in lines for s in split_sentences(line.strip()))
    return tuple(dict.fromkeys(s for s in found if all(ok(s) for ok in _CHECKS)))


def corpus_sentences(dirs: Iterable[Path]) -> dict[str, list[str]]:
    """Clean, postable sentences by corpus file name."""
    out: dict[str, list[str]] = {}
    for d in map(Path, dirs):
        if not d.is_dir():
            raise UserError(f"no corpus folder {d}")
        for path in sorted(d.glob("*.txt")):
            if sentences := _book(path.resolve()):
                out[path.name] = list(sentences)
    return out


def pick_real(by_file: dict[str, list[str]], k: int, rng: random.Random) -> list[tuple[str, str]]:
    """k distinct (file, sentence) pairs, taken round-robin over the files in a shuffled order."""
    files = sorted(by_file)
    rng.shuffle(files)
    pools = [[(f, s) for s in rng.sample(by_file[f], len(by_file[f]))] for f in files]
    chosen: dict[str, str] = {}  # sentence -> file; the same sentence may be in two books
    for pair in chain.from_iterable(zip_longest(*pools)):
        if pair and len(chosen) < k:
            chosen.setdefault(pair[1], pair[0])
    if len(chosen) < k:
        raise UserError(f"the corpus has only {len(chosen)} usable sentences, {k} asked for")
    return [(f, s) for s, f in chosen.items()]


def make_panel(
    out: Path,
    source: Callable[[int], str],
    corpus_dirs: Sequence[Path],
    *,
    n: int = 80,
    real: int = 20,
    seed: int = 1,
    voice: str = "any",
) -> int:
    """Write out/panel.txt, out/key.tsv and out/ratings.tsv; return the number of lines."""
    rng = random.Random(seed)
    seeds = rng.sample(range(1, 1 << 31), n)
    rows = [(source(s), "generated", f"seed={s} voice={voice}") for s in seeds]
    if real:
        by_file = corpus_sentences(corpus_dirs)
        rows += [(s, "real", f) for f, s in pick_real(by_file, real, rng)]
    for text, _, detail in rows:
        if not text or "\n" in text or "\t" in text:
            raise UserError(f"{detail}: the quote {text!r} cannot go on one panel line")
    rng.shuffle(rows)
    ratings = RATINGS_HEADER + "\n" + "".join(f"{i}\t\t\t\t\n" for i in range(1, len(rows) + 1))
    old = out / "ratings.tsv"
    if old.exists() and old.read_text(encoding="utf-8") != ratings:
        raise UserError(f"{old} already exists with other content: pick another folder")
    out.mkdir(parents=True, exist_ok=True)
    lines = [f"{i}. {text}" for i, (text, _, _) in enumerate(rows, 1)]
    (out / "panel.txt").write_text(PANEL_HEADER + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    key = [f"{i}\t{src}\t{detail}" for i, (_, src, detail) in enumerate(rows, 1)]
    (out / "key.tsv").write_text("n\tsource\tdetail\n" + "\n".join(key) + "\n", encoding="utf-8")
    old.write_text(ratings, encoding="utf-8")
    return len(rows)


def read_key(path: Path) -> dict[int, str]:
    """n -> 'generated' | 'real'."""
    if not path.is_file():
        raise UserError(f"no key file {path} beside the ratings")
    key: dict[int, str] = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        cells = line.rstrip().split("\t")
        if not cells[0] or cells[0] == "n":
            continue
        if len(cells) < 2 or not cells[0].isdecimal() or cells[1] not in ("generated", "real"):
            raise UserError(f"{path} line {lineno}: expected 'n<TAB>generated|real<TAB>detail'")
        key[int(cells[0])] = cells[1]
    if not key:
        raise UserError(f"{path} holds no rows")
    return key


def read_ratings(path: Path, key: dict[int, str]) -> dict[int, dict[str, int]]:
    """n -> {G, M, Q, R}; every key row must be rated exactly once, each value in range."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise UserError(f"cannot read {path}: {e.strerror or e}") from None
    rated: dict[int, dict[str, int]] = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        cells = [c.strip() for c in line.split("\t")] if "\t" in line else line.split()
        if not cells or not cells[0] or cells[0].startswith("#") or cells[0].lower() == "n":
            continue
        where = f"{path.name} line {lineno}"
        if not cells[0].isdecimal():
            raise UserError(f"{where}: column n is {cells[0]!r}, not a line number")
        n = int(cells[0])
        where += f" (row n={n})"
        if n not in key:
            raise UserError(f"{where}: no line {n} in the key")
        if n in rated:
            raise UserError(f"{where}: row {n} is rated twice")
        if any(cells[len(COLUMNS) :]):
            raise UserError(f"{where}: more than the {len(COLUMNS)} columns n G M Q R")
        cells += [""] * (len(COLUMNS) - len(cells))
        row = {}
        for col, cell in zip(COLUMNS[1:], cells[1:], strict=False):
            if len(cell) != 1 or cell not in ALLOWED[col]:
                what = f"is {cell!r}" if cell else "is empty"
                raise UserError(f"{where}: column {col} {what}; allowed: {', '.join(ALLOWED[col])}")
            row[col] = int(cell)
        rated[n] = row
    missing = sorted(set(key) - set(rated))
    if missing:
        shown = ", ".join(map(str, missing[:10])) + (" ..." if len(missing) > 10 else "")
        raise UserError(f"{path.name}: rows missing for line(s) {shown}")
    return rated


def _count(rows: list[dict[str, int]], col: str, values: tuple[int, ...]) -> tuple[int, int]:
    return sum(r[col] in values for r in rows), len(rows)


def _pct(k: int, total: int) -> str:
    return f"{(200 * k + total) // (2 * total)} %" if total else "–"  # rounded half up


def score(ratings_path: Path) -> str:
    """The markdown table by source and one met / NOT met line per goal for generated lines."""
    if ratings_path.is_dir():
        ratings_path = ratings_path / "ratings.tsv"
    key = read_key(ratings_path.parent / "key.tsv")
    rated = read_ratings(ratings_path, key)
    names = ["lines"] + [title for title, _, _ in TABLE_COLUMNS]
    out = ["| | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    by_source = {s: [rated[n] for n in sorted(key) if key[n] == s] for s in ("generated", "real")}
    for src, rows in by_source.items():
        cells = [src, str(len(rows))] + [_pct(*_count(rows, c, v)) for _, c, v in TABLE_COLUMNS]
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    gen = by_source["generated"]
    for text, col, values, at_least, goal in GOALS:
        k, total = _count(gen, col, values)
        diff = 100 * k - goal * total  # exact: no float rounding at the boundary
        ok = total > 0 and (diff >= 0 if at_least else diff <= 0)
        out.append(f"goal {text}: {_pct(k, total)} — {'met' if ok else 'NOT met'}")
    return "\n".join(out)
