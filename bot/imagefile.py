"""Writing finished pictures to disk, with the replay code in a PNG text chunk."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from bot import __version__
from bot.errors import UserError

CODE_KEY = "replay-code"


def save_png(pixels: np.ndarray, path: Path, code: str) -> None:
    """Save H x W x 3 uint8 pixels as PNG, with the replay code readable by any PNG tool."""
    info = PngInfo()
    info.add_text(CODE_KEY, code)
    info.add_text("Software", f"cppn-bot {__version__}")
    try:
        Image.fromarray(pixels, "RGB").save(path, format="PNG", pnginfo=info)
    except OSError as e:
        raise UserError(f"cannot write {path}: {e.strerror or e}") from None


def read_code(path: Path) -> str | None:
    """The replay code stored in a PNG written by save_png, if any."""
    with Image.open(path) as im:
        return im.text.get(CODE_KEY)  # type: ignore[attr-defined]
