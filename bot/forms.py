"""What a job makes of its recipe: a still (every job before motion), an animated loop, or the
2x2 grid of a Vary. Plain data that travels with the job (its `text` in the store and on Redis),
with the bounds of each form and its cost in the queue's work budget."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.art.explore import STRENGTHS, TILES
from bot.art.recipe import MAX_WORK, MIN_SIDE, Recipe
from bot.errors import UserError

KINDS = ("still", "loop", "grid")
MAX_SECONDS = 60.0
MAX_FPS = 60
LOOP_ZDIM = 2  # the least latent inputs a loop needs (a plane)
MAX_ANIMATION_WORK = 4 * MAX_WORK  # all frames together (a 1080p 4 s loop of the default: 0.66e12)
MIN_BYTE_LIMIT = 10_000
# An animation's size by its long side (the code's aspect kept): /animate's choices, the Animate
# button (the default) and `cppn-bot animate` without --size.
ANIMATION_SIZES = {"small": 320, "medium": 512, "large": 720, "hd": 1080}
DEFAULT_ANIMATION_SIZE = "medium"
GRID_MIN_SIDE = 2 * MIN_SIDE + 6  # two tiles of the smallest size and the gap (compose.grid.GAP)


@dataclass(frozen=True, kw_only=True)
class Form:
    kind: str = "still"
    seconds: float = 4.0  # a loop's length
    fps: int = 24  # a loop's frame rate
    strength: str = "subtle"  # a grid's (bot.art.explore.STRENGTHS)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise UserError(f"form {self.kind!r} is not one of: {', '.join(KINDS)}")
        if self.strength not in STRENGTHS:
            raise UserError(f"strength {self.strength!r} is not one of: {', '.join(STRENGTHS)}")
        if isinstance(self.seconds, bool) or not isinstance(self.seconds, int | float):
            raise UserError(f"seconds {self.seconds!r} is not a number")
        if not 0 < self.seconds <= MAX_SECONDS:
            raise UserError(
                f"seconds {self.seconds:g} is not allowed: more than 0, at most {MAX_SECONDS:g}"
            )
        fps = self.fps
        if isinstance(fps, bool) or not isinstance(fps, int) or not 1 <= fps <= MAX_FPS:
            raise UserError(f"fps {self.fps!r} is not allowed: a whole number from 1 to {MAX_FPS}")
        if self.kind == "loop" and self.frames < 2:
            raise UserError(
                f"{self.seconds:g} s at {self.fps} fps is {self.frames} frame: a loop needs at "
                "least 2"
            )

    @classmethod
    def loop(cls, seconds: float = 4.0, fps: int = 24) -> Form:
        return cls(kind="loop", seconds=seconds, fps=fps)

    @classmethod
    def grid(cls, strength: str = "subtle") -> Form:
        return cls(kind="grid", strength=strength)

    @property
    def frames(self) -> int:
        return round(self.seconds * self.fps)

    @property
    def text(self) -> str:
        """How it is stored: "" (a still), "loop:4:24", "grid:subtle"."""
        if self.kind == "loop":
            return f"loop:{self.seconds:g}:{self.fps}"
        if self.kind == "grid":
            return f"grid:{self.strength}"
        return ""

    @classmethod
    def parse(cls, text: str) -> Form:
        kind, *args = (text or "still").split(":")
        try:
            if kind == "loop" and len(args) == 2:
                return cls.loop(float(args[0]), int(args[1]))
            if kind == "grid" and len(args) == 1:
                return cls.grid(args[0])
            if kind == "still" and not args:
                return cls()
        except ValueError:
            pass
        raise UserError(f"cannot read the job form {text!r}")

    def cost(self, recipe: Recipe) -> int:
        """The work of the job in the queue's budget (Recipe.cost units)."""
        if self.kind == "loop":
            return self.frames * loop_recipe(recipe).cost()
        if self.kind == "grid":
            return TILES * grid_tile(recipe, 0).cost()
        return recipe.cost()

    def check(self, recipe: Recipe, byte_limit: int) -> None:
        """UserError, one line, for a job of this form that must not run."""
        if self.kind == "grid" and min(recipe.w, recipe.h) < GRID_MIN_SIDE:
            raise UserError(
                f"a Vary grid needs a picture at least {GRID_MIN_SIDE} pixels a side, not "
                f"{recipe.w}x{recipe.h}"
            )
        if self.kind == "loop" and byte_limit < MIN_BYTE_LIMIT:
            raise UserError(
                f"a byte limit of {byte_limit} is not allowed for an animation: at least "
                f"{MIN_BYTE_LIMIT}"
            )
        if self.kind == "loop":
            work = self.cost(recipe)
            if work > MAX_ANIMATION_WORK:
                raise UserError(
                    f"this animation costs {work / 1e9:,.0f} GMAC (frames x pixels x layer "
                    f"sizes), at most {MAX_ANIMATION_WORK / 1e9:,.0f}: fewer seconds or fps, or a "
                    "smaller size"
                )


def loop_recipe(recipe: Recipe) -> Recipe:
    """The recipe a loop's frames share: at least LOOP_ZDIM latent inputs."""
    return replace(recipe, zdim=max(recipe.zdim, LOOP_ZDIM))


def animation_sized(recipe: Recipe, size: str = DEFAULT_ANIMATION_SIZE) -> Recipe:
    """The recipe at an animation size: its aspect, the long side ANIMATION_SIZES[size], both
    sides even (yuv420p halves the chroma). The same picture, like any replay at another size."""
    if size not in ANIMATION_SIZES:
        raise UserError(f"size {size!r} is not one of: {', '.join(ANIMATION_SIZES)}")
    scale = ANIMATION_SIZES[size] / max(recipe.w, recipe.h)
    w, h = (max(MIN_SIDE, round(side * scale / 2) * 2) for side in (recipe.w, recipe.h))
    return recipe.with_size(w, h)


def grid_tile(recipe: Recipe, index: int, strength: str = "subtle") -> Recipe:
    """Tile `index` (0-3) of a Vary of `recipe` at the grid's tile size."""
    from bot.art.explore import variations
    from bot.compose.grid import tile_size

    return variations(recipe, strength)[index].with_size(*tile_size(recipe.w, recipe.h))
