"""Alt text for a painting, for people using screen readers: what it looks like in words (its
colours and structure, read from the pixels), the recipe, and the quote written on it. An
animation is said to be one (a looping animation of the painting, its length), its pixels read
from its first frame.

Pure: Pillow, numpy and PyAV on the picture's own bytes; no network.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from bot.describe import describe_recipe
from bot.feeds.content import TextLimits, quote_line, shorten
from bot.feeds.image import is_video
from bot.forms import Form
from bot.pipeline import Picture

# Names a listener knows, with a representative sRGB colour each; the nearest one names a colour.
NAMED: dict[str, tuple[int, int, int]] = {
    "black": (10, 10, 10), "charcoal": (54, 54, 54), "grey": (128, 128, 128),
    "silver": (192, 192, 192), "white": (245, 245, 245), "deep red": (130, 10, 20),
    "red": (215, 35, 35), "pink": (240, 140, 170), "magenta": (200, 30, 160),
    "purple": (110, 40, 150), "lavender": (180, 160, 225), "navy": (15, 25, 90),
    "blue": (40, 80, 210), "sky blue": (120, 180, 235), "teal": (20, 120, 120),
    "turquoise": (60, 205, 200), "dark green": (20, 80, 30), "green": (50, 160, 60),
    "lime": (170, 220, 60), "olive": (110, 110, 30), "yellow": (240, 220, 50),
    "gold": (210, 165, 40), "orange": (240, 130, 30), "brown": (110, 65, 30),
    "beige": (215, 195, 160), "cream": (245, 235, 205),
}  # fmt: skip
_NAMES = list(NAMED)
_RGB = np.array([NAMED[n] for n in _NAMES], dtype=np.float32)
MIN_SHARE = 0.06  # a colour covering less of the picture than this is left unsaid


def colour_names(img: Image.Image, most: int = 4) -> list[tuple[str, float]]:
    """The main colours by the share of the picture they cover, largest first."""
    small = np.asarray(img.convert("RGB").resize((64, 64), Image.Resampling.BOX), np.float32)
    pixels = small.reshape(-1, 3)
    nearest = ((pixels[:, None, :] - _RGB[None, :, :]) ** 2).sum(-1).argmin(1)
    shares = np.bincount(nearest, minlength=len(_NAMES)) / len(pixels)
    order = np.argsort(-shares)
    return [(_NAMES[i], float(shares[i])) for i in order[:most] if shares[i] >= MIN_SHARE]


def structure(img: Image.Image, p: Picture) -> str:
    """How the picture is built, in a few words: smooth or busy, light or dark, rings."""
    grey = np.asarray(img.convert("L").resize((128, 128), Image.Resampling.BOX), np.float32)
    busy = float(np.abs(np.diff(grey, axis=0)).mean() + np.abs(np.diff(grey, axis=1)).mean())
    if busy < 3:
        look = "soft, smooth gradients"
    elif busy < 12:
        look = "flowing bands and swirls"
    else:
        look = "an intricate, fine-grained texture"
    words = [look]
    if p.recipe.inputs == "xyr":
        words.append("curves ringing out from the centre")
    mean = float(grey.mean())
    if mean < 70:
        words.append("mostly dark")
    elif mean > 185:
        words.append("mostly light")
    return ", ".join(words)


def colours_in_words(named: list[tuple[str, float]]) -> str:
    if not named:
        return "many colours"
    names = [n for n, _ in named]
    if len(names) == 1:
        return f"mostly {names[0]}"
    return f"mostly {names[0]}, with " + _and(names[1:])


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def alt_text(p: Picture, limits: TextLimits) -> str:
    """The picture described for a screen reader, within the service's limit (never empty)."""
    img = _still(p)
    colour = "black and white" if p.recipe.color == "bw" else colours_in_words(colour_names(img))
    what = "An abstract picture painted by a small random neural network (a CPPN)"
    if is_video(p.mime):
        form = Form.parse(p.form)
        seconds = form.seconds if form.kind == "loop" else 0
        length = f", {seconds:g} second{'' if seconds == 1 else 's'} long" if seconds else ""
        what = (
            "A looping animation of an abstract painting by a small random neural network "
            f"(a CPPN){length}"
        )
    head = f"{what}, {p.width} by {p.height}: {structure(img, p)}; {colour}."
    recipe = f"Recipe: {describe_recipe(p.recipe)}."
    where = f" at the {p.placement}" if p.placement in ("top", "bottom") else ""
    quote = quote_line(p)
    said = f"Written on it{where}: {quote}" if quote else ""
    text = " ".join(x for x in (head, recipe, said) if x)
    if len(text) <= limits.max_alt:
        return text
    room = limits.max_alt - len(head) - len(recipe) - 2
    return shorten(" ".join(x for x in (head, recipe, shorten(said, room, limits)) if x),
                   limits.max_alt, limits)  # fmt: skip


def _still(p: Picture) -> Image.Image:
    """The picture's pixels: the image, or an animation's first frame."""
    if is_video(p.mime):
        import av  # only for animations

        with av.open(io.BytesIO(p.data)) as c:
            return next(c.decode(video=0)).to_image()
    img = Image.open(io.BytesIO(p.data))
    img.load()
    return img
