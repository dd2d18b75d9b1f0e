"""The project's one exception tree. User errors carry a message fit to show as it is."""

from __future__ import annotations


class BotError(Exception):
    """Base of every error this project raises on purpose."""


class UserError(BotError, ValueError):
    """Bad input from a person: the message says what was wrong and what is allowed."""


class RecipeError(UserError):
    """A painting parameter is out of range, or the whole job is too big."""

    def __init__(self, param: str, value: object, allowed: str) -> None:
        self.param, self.value, self.allowed = param, value, allowed
        super().__init__(f"{param}={value!r} is not allowed: {allowed}")


class CodeError(UserError):
    """A replay code could not be read."""
