"""Replay codes: one short, copy-friendly string that fully determines a painting and its quote.

Format, all lowercase, read case-insensitively:

    <version>-<seed>[-<tokens>]   e.g.  2-3zk8q2   2-3zk8q2-d16w32asen   1-7a-u100m0.01s1920x1080

`<version>` names the quote engine, forever: 1 the legacy neural engine (every code made before
voices), 2 the aphorism engine with voices. `<seed>` is the seed in Crockford base32 (digits and
letters without i, l, o, u; when read, o means 0 and i, l mean 1). `<tokens>` lists only the
parameters that differ from the defaults, each a key letter and a value, in this order:

    d<layers> w<width> f<floor> a<act> n<std>|u<range>|t b r r<sym> z<zdim> p m<zoom> c<x>,<y>
    g|h|g<pal>|h<pal> x<seed>,<t> j<digits> s<w>x<h> q y k<n> e<voice> v<place>

f: halving schedule down to floor; a: activation (t tanh, s sin, r relu, m sigmoid, p softplus,
g gaussian, x mix); n: normal init with std; u: uniform init in +-range; t: PyTorch's default init;
b: biases on every hidden layer; r: radius input; r<sym>: a symmetry, its number in
bot.art.symmetry.SYMMETRIES (1 mirror-x, 2 mirror-y, 3 quad, 4-13 radial-3 to radial-12);
z: latent inputs; p: raw pixel coordinates; m: zoom; c: centre; g: black and white; h: hsv
colour; g<pal>: the black-and-white output through a palette, h<pal>: the rgb outputs through a
palette, <pal> its number in bot.art.palettes.PALETTE_NAMES (1 random, from the seed; 2 on the
named ones; hsv takes no palette, so h<pal> is free to mean rgb); x: a blend, t of the way to
the same network drawn from another seed (written in decimal); j: the variations taken, one
digit each (1-4 a subtle Vary's tiles, 5-8 a strong one's; bot/art/explore.py); s: size in
pixels; q: no quote; y: the bot's signature instead of a generated philosopher; k: the n-th
other quote for the same picture (the New quote button); e: the quote's voice, version 2 only
(its letter in bot.quotes.voices; the default voice "any" has no token); v: quote placement (t
top, c centre, b bottom). The quote comes from the seed, the engine the version names and the
voice.

A flag key (t b r p g h q y) followed by digits is a token of its own (r and r3 are two tokens,
the radius and a symmetry); a token always starts with a letter, so `rr3` reads one way only.
The colour tokens g, h, g<pal> and h<pal> fill one slot: a code names its colour once.

Version 2 writes numbers below 1 without their leading zero (m.01, c-.00123,.5), which keeps its
longest code (every token at its longest, the voice included) at 77 characters without palette
and symmetry; version 1 codes are written exactly as they always were. Both versions read either
form. A palette adds two characters to the colour token (h -> h20) and a symmetry three (r13):
82 at the very longest, so a recipe whose code would pass MAX_CODE is refused (Recipe), as one
whose blends and variations (which can lengthen a code without end) would.

A bare integer is read as the version-1 default recipe with that seed (it was a valid code before
version 2 existed, and keeps meaning the same picture and quote).
"""

from __future__ import annotations

import re
from decimal import Decimal

from bot.art.palettes import PALETTE_NAMES
from bot.art.recipe import Recipe
from bot.art.symmetry import SYMMETRIES
from bot.errors import CodeError, RecipeError
from bot.quotes.voices import BY_LETTER, BY_NAME, DEFAULT_VOICE

VERSION = "2"  # what new recipes (quote engine 2) are written as
VERSIONS = {"1": 1, "2": 2}  # code version -> the quote engine it means, forever
_VERSION_OF = {engine: version for version, engine in VERSIONS.items()}
BASE32 = "0123456789abcdefghjkmnpqrstvwxyz"
_CONFUSABLE = str.maketrans({"o": "0", "i": "1", "l": "1"})
ACT_LETTERS = {
    "tanh": "t", "sin": "s", "relu": "r", "sigmoid": "m",
    "softplus": "p", "gaussian": "g", "mix": "x",
}  # fmt: skip
_LETTER_ACTS = {v: k for k, v in ACT_LETTERS.items()}
_TOKEN = re.compile(r"[aev][a-z]|s[0-9]*x[0-9]*|[a-z][0-9.,-]*")  # a, e, v take a letter
_TOKENS = re.compile(rf"(?:{_TOKEN.pattern})+")
_DEFAULT = Recipe()
EXAMPLE = "2-3zk8q2-d16w32as"
MAX_CODE = 80  # every valid recipe's code fits, with room for a button-id prefix
MAX_INPUT = 200  # what we bother reading: a code plus stray whitespace and quotes around it


# --- numbers -----------------------------------------------------------------------------------
def encode_seed(seed: int) -> str:
    digits = ""
    while True:
        seed, rem = divmod(seed, 32)
        digits = BASE32[rem] + digits
        if seed == 0:
            return digits


def decode_seed(text: str) -> int:
    text = text.translate(_CONFUSABLE)
    if not text or any(ch not in BASE32 for ch in text):
        raise CodeError(f"the seed part {text!r} of the replay code is not valid base32")
    value = 0
    for ch in text:
        value = value * 32 + BASE32.index(ch)
    return value


def fmt_float(x: float, short: bool = False) -> str:
    """Positional decimal, no exponent, no trailing zeros: 0.01 -> '0.01', 100.0 -> '100'.
    short (version 2): no leading zero before the point: 0.01 -> '.01', -0.5 -> '-.5'."""
    text = format(Decimal(repr(x)).normalize(), "f")
    if text in ("-0", "0"):
        return "0"
    if short and text.lstrip("-").startswith("0."):
        text = text.replace("0.", ".", 1)
    return text


# --- format ------------------------------------------------------------------------------------
def format_code(r: Recipe) -> str:
    """The canonical replay code of a recipe: version 1 for quote engine 1, else version 2."""
    version = _VERSION_OF[r.quote_engine]
    tokens = "".join(_tokens(r, short=version != "1"))
    head = f"{version}-{encode_seed(r.seed)}"
    return f"{head}-{tokens}" if tokens else head


def _tokens(r: Recipe, short: bool):
    d = _DEFAULT

    def num(x: float) -> str:
        return fmt_float(x, short)

    if r.layers != d.layers:
        yield f"d{r.layers}"
    if r.width != d.width:
        yield f"w{r.width}"
    if r.schedule == "halving":
        yield f"f{r.floor}"
    if r.activation != d.activation:
        yield "a" + ACT_LETTERS[r.activation]
    if r.init == "normal" and r.std != d.std:
        yield "n" + num(r.std)
    elif r.init == "uniform":
        yield "u" + num(r.range)
    elif r.init == "default":
        yield "t"
    if r.hidden_bias:
        yield "b"
    if r.inputs == "xyr":
        yield "r"
    if r.symmetry != d.symmetry:
        yield f"r{SYMMETRIES.index(r.symmetry)}"
    if r.zdim:
        yield f"z{r.zdim}"
    if r.coords == "raw":
        yield "p"
    if r.zoom != d.zoom:
        yield "m" + num(r.zoom)
    if (r.cx, r.cy) != (d.cx, d.cy):
        yield f"c{num(r.cx)},{num(r.cy)}"
    if r.color != "rgb" or r.palette != d.palette:
        palette = PALETTE_NAMES.index(r.palette) or ""  # "none" (0) is no number
        yield {"bw": "g", "hsv": "h", "rgb": "h"}[r.color] + str(palette)
    if r.blend_t:
        yield f"x{r.blend_seed},{num(r.blend_t)}"
    if r.nudges:
        yield "j" + r.nudges
    if (r.w, r.h) != (d.w, d.h):
        yield f"s{r.w}x{r.h}"
    if r.quote == "none":
        yield "q"
    if r.signature:
        yield "y"
    if r.quote_variant:
        yield f"k{r.quote_variant}"
    if r.voice != DEFAULT_VOICE:
        yield "e" + BY_NAME[r.voice].letter
    if r.placement != d.placement:
        yield "v" + r.placement[0]


# --- parse -------------------------------------------------------------------------------------
def parse_code(text: str) -> Recipe:
    """Read a replay code (or a bare integer seed); any bad input raises CodeError."""
    if not isinstance(text, str):
        raise CodeError("a replay code must be text")
    if len(text) > MAX_INPUT:
        raise CodeError(f"a replay code is at most {MAX_CODE} characters; this is {len(text)}")
    code = text.strip().strip("`'\"").strip().lower()
    if len(code) > MAX_CODE:  # the code itself, zeros padding its numbers included
        raise CodeError(f"a replay code is at most {MAX_CODE} characters; this is {len(code)}")
    if re.fullmatch(r"[0-9]+", code):  # a bare seed: what it meant before version 2
        return _build({"seed": int(code), "quote_engine": 1}, text)
    parts = code.split("-", 2)
    if len(parts) < 2 or parts[0] not in VERSIONS:
        raise CodeError(f"{_short(text)} is not a replay code (they look like {EXAMPLE})")
    params: dict[str, object] = {"seed": decode_seed(parts[1])}
    if len(parts) == 3:
        params.update(_parse_tokens(parts[2]))
    if "voice" in params and parts[0] == "1":
        raise CodeError(
            f"{_short(text)}: version-1 codes have no voice (the e token); "
            "voices came with version 2"
        )
    params["quote_engine"] = VERSIONS[parts[0]]
    return _build(params, text)


def _build(params: dict[str, object], text: str) -> Recipe:
    try:
        return Recipe(**params)
    except RecipeError as e:
        raise CodeError(f"replay code {_short(text)}: {e}") from None


def _short(text: str) -> str:
    """The text as quoted in an error, at most 40 characters of repr (escapes count)."""
    shown = repr(text)
    return shown if len(shown) <= 40 else shown[:36] + "...'"


def _parse_tokens(text: str) -> dict[str, object]:
    if _TOKENS.fullmatch(text) is None:
        raise CodeError(f"the part {_short(text)} of the replay code cannot be read")
    params: dict[str, object] = {}
    seen: set[str] = set()
    for match in _TOKEN.finditer(text):
        key, value = match.group()[0], match.group()[1:]
        slot = _slot(key, value)
        if _clashes(slot, key) & seen:
            what = "the colour" if key in "gh" else repr(key + "<n>" if "#" in slot else key)
            raise CodeError(f"the replay code sets {what} twice")
        seen.add(slot)
        params.update(_read_token(key, value))
    return params


def _slot(key: str, value: str) -> str:
    """What a token sets, for the twice-set check: a flag with digits is a key of its own (r
    the radius, r3 a symmetry); g<pal> and h<pal> are the colour."""
    if key in "gh" and value:
        return "colour"
    return key + "#" if key in _FLAGS and value else key


def _clashes(slot: str, key: str) -> set[str]:
    """The slots a token may not meet: its own, and a palette colour meets g and h (bare g and
    h keep their old reading, the last one read wins)."""
    if slot == "colour":
        return {"colour", "g", "h"}
    return {slot, "colour"} if key in "gh" else {slot}


def _num(key: str, value: str, kind: type) -> int | float:
    try:
        return kind(value)
    except ValueError:
        msg = f"the value {value!r} after {key!r} in the replay code is not a number"
        raise CodeError(msg) from None


_INT_KEYS = {"d": "layers", "w": "width", "z": "zdim", "k": "quote_variant"}
_FLAGS = {
    "t": {"init": "default"}, "b": {"hidden_bias": True}, "r": {"inputs": "xyr"},
    "p": {"coords": "raw"}, "g": {"color": "bw"}, "h": {"color": "hsv"},
    "q": {"quote": "none"}, "y": {"signature": True},
}  # fmt: skip
_PLACES = {"t": "top", "c": "centre", "b": "bottom"}
# Flags that also take a number: (what the number indexes, the field it sets, other fields).
_NUMBERED = {
    "r": (SYMMETRIES, "symmetry", {}),
    "g": (PALETTE_NAMES, "palette", {"color": "bw"}),
    "h": (PALETTE_NAMES, "palette", {"color": "rgb"}),
}


def _numbered(key: str, value: str) -> dict[str, object]:
    names, field, rest = _NUMBERED[key]
    if not value.isdigit() or value[0] == "0" or int(value) >= len(names):
        raise CodeError(
            f"{key!r} in the replay code takes a {field} number from 1 to {len(names) - 1} "
            f"(got {value!r})"
        )
    return {field: names[int(value)], **rest}


def _read_token(key: str, value: str) -> dict[str, object]:
    if key in _NUMBERED and value:
        return _numbered(key, value)
    if key in _FLAGS:
        if value:
            raise CodeError(f"{key!r} in the replay code takes no value (got {value!r})")
        return _FLAGS[key]
    if key == "a":
        if value not in _LETTER_ACTS:
            raise CodeError(f"unknown activation letter {value!r} in the replay code")
        return {"activation": _LETTER_ACTS[value]}
    if key == "e":
        if value not in BY_LETTER:
            raise CodeError(f"unknown voice letter {value!r} in the replay code")
        return {"voice": BY_LETTER[value].name}
    if key == "v":
        if value not in _PLACES:
            raise CodeError(f"unknown placement letter {value!r} in the replay code")
        return {"placement": _PLACES[value]}
    if key in _INT_KEYS:
        return {_INT_KEYS[key]: _num(key, value, int)}
    if key == "f":
        return {"schedule": "halving", "floor": _num(key, value, int)}
    if key == "n":
        return {"init": "normal", "std": _num(key, value, float)}
    if key == "u":
        return {"init": "uniform", "range": _num(key, value, float)}
    if key == "m":
        return {"zoom": _num(key, value, float)}
    if key == "c":
        return dict(zip(("cx", "cy"), _pair(key, value, ",", float), strict=True))
    if key == "s":
        return dict(zip(("w", "h"), _pair(key, value, "x", int), strict=True))
    if key == "x":
        seed, t = value.partition(",")[::2]
        if not seed or not t:
            raise CodeError("'x' in the replay code needs a seed and a blend amount: x<seed>,<t>")
        return {"blend_seed": _num(key, seed, int), "blend_t": _num(key, t, float)}
    if key == "j":
        if not value or not value.isdigit():
            raise CodeError("'j' in the replay code needs the variations' digits, 1 to 8")
        return {"nudges": value}
    raise CodeError(f"unknown part {key!r} in the replay code")


def _pair(key: str, value: str, sep: str, kind: type) -> list:
    items = value.split(sep)
    if len(items) != 2:
        raise CodeError(f"{key!r} in the replay code needs two numbers joined by {sep!r}")
    return [_num(key, item, kind) for item in items]
