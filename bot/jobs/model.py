"""The plain data a render job is made of, and how it crosses a process boundary as a dict."""

from __future__ import annotations

import secrets
import time
from dataclasses import asdict, dataclass, field
from enum import IntEnum, StrEnum

from bot.art.code import format_code, parse_code
from bot.errors import BotError, JobCancelled, JobFailed, JobTimeout, UserError
from bot.forms import Form
from bot.pipeline import PaintSpec, Picture
from bot.store import RenderRow


def new_id() -> str:
    """Unique, and sorting in submission order: Redis breaks ties between equal queue scores
    (same millisecond) by the member's bytes, so FIFO holds there too."""
    return f"{time.time_ns():016x}{secrets.token_hex(8)}"


class Priority(IntEnum):
    """Lower runs first: a person waiting beats the daily post, which beats background work."""

    INTERACTIVE = 0
    SCHEDULED = 1
    BACKGROUND = 2


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Owner:
    """Who asked and where the answer goes: Discord ids, never discord.py objects."""

    user: int
    guild: int | None = None
    channel: int | None = None
    message: int | None = None


@dataclass(frozen=True, kw_only=True)
class QueuedJob:
    """One accepted job: what to paint (its spec), all a worker anywhere needs, and what the
    queue needs to order it."""

    spec: PaintSpec
    owner: Owner
    priority: Priority = Priority.INTERACTIVE
    id: str = field(default_factory=new_id)
    submitted_at: float = field(default_factory=time.time)  # wall clock: workers are elsewhere

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "code": self.spec.code,  # a code fully determines the recipe (replay is exact)
            "custom_quote": self.spec.custom_quote,
            "byte_limit": self.spec.byte_limit,
            "form": self.spec.form.text,
            "owner": asdict(self.owner),
            "priority": int(self.priority),
            "submitted_at": self.submitted_at,
        }

    def to_row(self) -> RenderRow:
        """The store's row for this job as accepted (queued)."""
        o = self.owner
        return RenderRow(
            id=self.id, code=self.spec.code, custom_quote=self.spec.custom_quote,
            byte_limit=self.spec.byte_limit, priority=int(self.priority), owner=o.user,
            guild=o.guild, channel=o.channel, message=o.message, status="queued",
            created_at=self.submitted_at, form=self.spec.form.text,
        )  # fmt: skip

    @classmethod
    def from_row(cls, row: RenderRow) -> QueuedJob:
        """The job a stored row holds (CodeError if this version cannot read its code)."""
        spec = PaintSpec(
            parse_code(row.code), custom_quote=row.custom_quote, byte_limit=row.byte_limit,
            form=Form.parse(row.form),
        )  # fmt: skip
        owner = Owner(user=row.owner, guild=row.guild, channel=row.channel, message=row.message)
        return cls(
            spec=spec,
            owner=owner,
            priority=Priority(row.priority),
            id=row.id,
            submitted_at=row.created_at,
        )

    @classmethod
    def from_dict(cls, d: dict) -> QueuedJob:
        spec = PaintSpec(
            parse_code(d["code"]), custom_quote=d["custom_quote"], byte_limit=d["byte_limit"],
            form=Form.parse(d.get("form", "")),
        )  # fmt: skip
        return cls(
            spec=spec,
            owner=Owner(**d["owner"]),
            priority=Priority(d["priority"]),
            id=d["id"],
            submitted_at=d["submitted_at"],
        )


@dataclass(frozen=True, kw_only=True)
class JobResult:
    """A finished job: its picture, and where it was made (the store keeps the latter)."""

    picture: Picture
    device: str
    versions: dict[str, str]  # bot, torch, quote model
    batch: int  # jobs in the forward pass this one shared
    wait_s: float  # from submission to the start of its render

    def to_dict(self) -> dict:
        return {
            "ok": True, "picture": self.picture.to_dict(), "device": self.device,
            "versions": self.versions, "batch": self.batch, "wait_s": self.wait_s,
        }  # fmt: skip

    @classmethod
    def from_dict(cls, d: dict) -> JobResult:
        return cls(
            picture=Picture.from_dict(d["picture"]),
            device=d["device"],
            versions=d["versions"],
            batch=d["batch"],
            wait_s=d["wait_s"],
        )


def error_to_dict(e: BaseException) -> dict:
    """An error as plain data: its kind and a message (exception objects do not travel well)."""
    if isinstance(e, JobTimeout | JobCancelled):
        kind = type(e).__name__
    elif isinstance(e, UserError):
        kind = "UserError"
    else:
        kind = "JobFailed"
    message = str(e) if isinstance(e, BotError) else f"the painting failed: {type(e).__name__}: {e}"
    return {"ok": False, "kind": kind, "message": message}


def error_from_dict(d: dict) -> BotError:
    kinds = {"JobTimeout": JobTimeout, "JobCancelled": JobCancelled, "UserError": UserError}
    return kinds.get(d["kind"], JobFailed)(d["message"])


def failure_kind(e: BaseException) -> str:
    """The label a failure is counted under in the metrics."""
    if isinstance(e, JobTimeout):
        return "timeout"
    if isinstance(e, JobCancelled):
        return "cancelled"
    if isinstance(e, UserError):
        return "user"
    return "error"


def outcome_from_dict(d: dict) -> JobResult | BotError:
    return JobResult.from_dict(d) if d["ok"] else error_from_dict(d)


def describe(req: QueuedJob) -> str:
    form = f" {req.spec.form.text}" if req.spec.form.text else ""
    return f"{req.id[-8:]} {format_code(req.spec.recipe)}{form} user={req.owner.user}"
