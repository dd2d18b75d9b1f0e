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


class QueueFull(UserError):
    """The render queue holds as many jobs as it may."""

    def __init__(self) -> None:
        super().__init__("the queue is full, try again in a minute")


class TooMuchWork(UserError):
    """One person's waiting jobs together are as much work as they may queue (an animation
    counts every frame)."""

    def __init__(self, pending: float, limit: float) -> None:
        self.pending, self.limit = pending, limit
        super().__init__(
            f"your paintings in the queue are already {pending / 1e9:,.0f} of the "
            f"{limit / 1e9:,.0f} GMAC one person may queue; wait for them to finish (an "
            "animation counts every frame)"
        )


class TooManyPending(UserError):
    """One person already has as many jobs waiting as they may."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        n = "one painting" if limit == 1 else f"{limit} paintings"
        super().__init__(f"you already have {n} in the queue; wait for one to finish")


class TokenRejected(UserError):
    """Discord refused the bot token: retrying cannot help (`cppn-bot run` exits with 3)."""


class JobTimeout(UserError):
    """A job ran past its time limit and was stopped."""


class JobCancelled(UserError):
    """A job was cancelled before it finished."""


class JobFailed(BotError):
    """A job failed for a reason that is not the user's; the message says what happened."""


class QueueClosed(BotError):
    """The render queue is not running (not started yet, or shut down)."""


class SettingsError(BotError):
    """A setting holds a value it cannot take, or the settings cannot be read; `field` names the
    setting when there is one (so the caller can say where it was set)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class StoreError(BotError):
    """The database cannot be used as it is (a failed migration, a newer schema)."""


class DiscordUnreachable(BotError):
    """Discord could not be reached at login, after a few tries (`cppn-bot run` exits with 1)."""
