"""A server's own defaults and limits for the requests made in it (/settings).

Plain data and pure functions (no discord.py): `FIELDS` is the one list the /settings command's
options, their bounds, their descriptions, the stored JSON and the "what is set" text are built
from. A server stores only what it changed; everything else is the bot's own default. The limits
can only tighten the bot's own (a server cannot lift the bot's caps).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from bot.art import recipe as rc
from bot.errors import UserError
from bot.options import HD_LONG_SIDE, SIZES, PaintOptions
from bot.quotes.voices import DEFAULT_VOICE, VOICE_NAMES

MIN_MAX_SIDE = 256  # the smallest "largest side" a server may set
MAX_COOLDOWN_S = 3600.0


@dataclass(frozen=True)
class Field:
    name: str
    kind: type  # str, bool, int or float
    describe: str  # the /settings option's description (≤ 100 characters)
    choices: tuple[str, ...] = ()
    lo: float | None = None
    hi: float | None = None


FIELDS: tuple[Field, ...] = (
    Field("size", str, "/paint's shape when none is given", tuple(SIZES)),
    Field("quote", bool, "whether /paint adds a generated quote when not told"),
    Field("voice", str, "the generated quote's voice when none is given", VOICE_NAMES),
    Field("colour", str, "/paint's colour mode when none is given", rc.COLORS),
    Field(
        "max_side",
        int,
        "the largest picture side allowed here, in pixels",
        (),
        MIN_MAX_SIDE,
        HD_LONG_SIDE,
    ),
    Field("max_layers", int, "the most hidden layers allowed here", (), 0, rc.MAX_LAYERS),
    Field(
        "cooldown",
        float,
        "seconds between one person's paintings here (at least the bot's)",
        (),
        0.0,
        MAX_COOLDOWN_S,
    ),
    Field("max_jobs", int, "how many paintings one person may have waiting here", (), 1, 10),
    Field("private", bool, "results only the asker sees (ephemeral) instead of public"),
)
BY_NAME = {f.name: f for f in FIELDS}


@dataclass(frozen=True)
class ServerSettings:
    size: str = "square"
    quote: bool = True
    voice: str = DEFAULT_VOICE
    colour: str = "rgb"
    max_side: int = HD_LONG_SIDE
    max_layers: int = rc.MAX_LAYERS
    cooldown: float = 0.0  # 0: the bot's own cooldown
    max_jobs: int = 10  # the bot's own per-person cap applies too
    private: bool = False

    @classmethod
    def from_dict(cls, d: dict) -> ServerSettings:
        """What the store holds; unknown or no-longer-valid keys are dropped (an older or
        newer version wrote them), never an error for the people painting."""
        s = cls()
        for name, value in d.items():
            if name in BY_NAME:
                try:
                    s = s.changed(name, value)
                except UserError:
                    continue
        return s

    def to_dict(self) -> dict:
        """Only what differs from the defaults."""
        default = ServerSettings()
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) != getattr(default, f.name)
        }

    def changed(self, name: str, value: object) -> ServerSettings:
        """A copy with one field set, checked against FIELDS (UserError naming the option)."""
        f = BY_NAME.get(name)
        if f is None:
            raise UserError(f"there is no server setting {name!r}")
        if f.kind is bool:
            if not isinstance(value, bool):
                raise UserError(f"{name} is yes or no")
        elif f.kind is str:
            if value not in f.choices:
                raise UserError(f"{name} {value!r} is not one of: {', '.join(f.choices)}")
        else:
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            if f.kind is int:
                ok = ok and float(value) == int(value)  # type: ignore[arg-type]
            if not ok or not f.lo <= value <= f.hi:  # type: ignore[operator]
                raise UserError(f"{name} {value!r} is not allowed: from {f.lo:g} to {f.hi:g}")
            value = f.kind(value)  # type: ignore[call-arg]
        return replace(self, **{name: value})

    def describe(self) -> str:
        """Every setting in force, one per line, marking the ones the server changed."""
        mine = self.to_dict()
        lines = []
        for f in FIELDS:
            shown = _shown(f, getattr(self, f.name))
            lines.append(f"**{f.name}**: {shown}" + (" (set here)" if f.name in mine else ""))
        return "\n".join(lines)

    # --- applied to a request ---------------------------------------------------------------
    def fill(self, o: PaintOptions) -> PaintOptions:
        """/paint's options with this server's defaults where the person gave none."""
        quote = o.quote
        if quote is None and not o.text:
            quote = "generated" if self.quote else "none"
        generated = quote in (None, "generated") and not o.text
        voice = o.voice or (self.voice if generated else None)
        return replace(o, size=o.size or self.size, colour=o.colour or self.colour, quote=quote,
                       voice=voice)  # fmt: skip

    def check(self, recipe: rc.Recipe) -> None:
        """UserError, one line, for a picture this server does not allow."""
        if max(recipe.w, recipe.h) > self.max_side:
            raise UserError(
                f"this server allows pictures up to {self.max_side} pixels a side, not "
                f"{recipe.w}x{recipe.h}"
            )
        if recipe.layers > self.max_layers:
            raise UserError(
                f"this server allows up to {self.max_layers} layers, not {recipe.layers}"
            )


def _shown(f: Field, value: object) -> str:
    if f.kind is bool:
        return "yes" if value else "no"
    if f.name == "cooldown" and value == 0:
        return "the bot's own"
    return f"{value:g}" if isinstance(value, float) else str(value)
