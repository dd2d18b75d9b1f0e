"""A secret given as a value or as a file holding it (the Discord token, feed credentials)."""

from __future__ import annotations

from pathlib import Path

from bot.errors import SettingsError


def read_secret(value: str, file: str, what: str, field: str) -> str:
    """The value, else the file's content, stripped; "" when neither is set. An unreadable file
    is one SettingsError naming `what` and the file."""
    if value.strip():
        return value.strip()
    if not file:
        return ""
    try:
        return Path(file).read_text(encoding="utf-8").strip()
    except OSError as e:
        raise SettingsError(f"cannot read {what} {file}: {e.strerror}", field=field) from None
