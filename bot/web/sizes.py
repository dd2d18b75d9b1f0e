"""`?size=` on a picture: the bot's own size lists, nothing of the site's own.

`1x` (as coded), `2x` and `4k` are /replay's sizes (bot.options.resized); `small`,
`medium`, `large` and `hd` are the animation sizes by the long side (bot.forms.ANIMATION_SIZES),
which the gallery's thumbnails use. The same picture at every size: only the pixel count changes.
"""

from __future__ import annotations

from bot.art.recipe import Recipe
from bot.errors import UserError
from bot.forms import ANIMATION_SIZES, animation_sized
from bot.options import REPLAY_SIZES, resized

SIZES: tuple[str, ...] = (*REPLAY_SIZES, *ANIMATION_SIZES)
AS_CODED = REPLAY_SIZES[0]  # "1x"
THUMBNAIL = "small"  # the gallery's and /about's cards


def sized(recipe: Recipe, size: str | None) -> Recipe:
    """The recipe at one of the bot's sizes; UserError naming them for any other."""
    if size is None or size == AS_CODED:
        return recipe
    if size in REPLAY_SIZES:
        return resized(recipe, size)
    if size in ANIMATION_SIZES:
        return animation_sized(recipe, size)
    raise UserError(f"size {size!r} is not one of: {', '.join(SIZES)}")
