"""A fake Mastodon on loopback, for the real Mastodon.py client: credentials, instance limits,
media v2 (202, then processing, then ready; images and MP4 videos alike), statuses with
Idempotency-Key, an account's statuses, mention notifications. Rate limits answer 429 with
X-RateLimit-Reset (an ISO time, as Mastodon)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from aiohttp import web
from fake_service import FakeService, reply

TOKEN = "fake-mastodon-token-0123456789"


def iso(ts: float | None = None) -> str:
    return datetime.fromtimestamp(ts or datetime.now(UTC).timestamp(), UTC).isoformat()


def account(id: str, acct: str, bot: bool = False) -> dict:
    return {"id": id, "username": acct.split("@")[0], "acct": acct, "display_name": acct,
            "bot": bot, "locked": False, "created_at": iso(),
            "url": f"https://x/@{acct}"}  # fmt: skip


class FakeMastodon(FakeService):
    def __init__(self, max_characters: int = 500, processing_polls: int = 2) -> None:
        super().__init__()
        self.me = account("1", "cppn", bot=True)
        self.max_characters = max_characters
        self.processing_polls = processing_polls  # GETs a new upload answers 206 before ready
        self._ids = itertools.count(100)
        self.media: dict[str, dict] = {}
        self.statuses: list[dict] = []  # ours, oldest first
        self.keys: dict[str, dict] = {}  # Idempotency-Key -> the status it made
        self.notifications: list[dict] = []  # oldest first
        self.uploads: list[bytes] = []
        self.video_size_limit = 103809024  # Mastodon's default, 99 MB

    def rate_limit_headers(self, reset_at: float) -> dict[str, str]:
        return {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": iso(reset_at)}  # fmt: skip

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/api/v1/accounts/verify_credentials", self._me)
        app.router.add_get("/api/v2/instance/", self._instance)
        app.router.add_get("/api/v2/instance", self._instance)
        app.router.add_post("/api/v2/media", self._upload)
        app.router.add_get("/api/v1/media/{id}", self._media)
        app.router.add_post("/api/v1/statuses", self._post)
        app.router.add_get("/api/v1/accounts/{id}/statuses", self._account_statuses)
        app.router.add_get("/api/v1/notifications", self._notifications)

    def _authorised(self, request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Bearer {TOKEN}"

    async def _me(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return reply({"error": "The access token is invalid"}, 401)
        return reply(self.me)

    async def _instance(self, request: web.Request) -> web.Response:
        return reply({"domain": "fake.example", "version": "4.3.0", "configuration": {
            "statuses": {"max_characters": self.max_characters},
            "media_attachments": {"image_size_limit": 16777216, "description_limit": 1500,
                                  "video_size_limit": self.video_size_limit},
        }})  # fmt: skip

    async def _upload(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return reply({"error": "The access token is invalid"}, 401)
        form = await request.post()
        file = form["file"]
        data, mime = file.file.read(), str(file.content_type)  # type: ignore[union-attr]
        video = mime.startswith("video/")
        if video and len(data) > self.video_size_limit:
            return reply({"error": "Validation failed: File is too big"}, 422)
        self.uploads.append(data)
        mid = str(next(self._ids))
        self.media[mid] = {"id": mid, "type": "video" if video else "image", "url": None,
                           "preview_url": None, "description": form.get("description"),
                           "mime": mime, "polls": 0}  # fmt: skip
        return reply(self._attachment(mid), 202)

    def _attachment(self, mid: str) -> dict:
        return {k: v for k, v in self.media[mid].items() if k not in ("polls", "mime")}

    async def _media(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return reply({"error": "The access token is invalid"}, 401)
        m = self.media[request.match_info["id"]]
        m["polls"] += 1
        if m["polls"] <= self.processing_polls:
            return reply(self._attachment(m["id"]), 206)
        m["url"] = f"https://files.example/{m['id']}.{'mp4' if m['type'] == 'video' else 'png'}"
        return reply(self._attachment(m["id"]))

    async def _post(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return reply({"error": "The access token is invalid"}, 401)
        key = request.headers.get("Idempotency-Key")
        if key and key in self.keys:
            return reply(self.keys[key])
        form = await request.post()
        text = str(form.get("status", ""))
        if len(text) > self.max_characters:
            return reply({"error": "Validation failed: Text character limit exceeded"}, 422)
        media = [self._attachment(str(m)) for m in form.getall("media_ids[]", [])]
        sid = str(next(self._ids))
        status = {
            "id": sid, "uri": f"https://fake.example/statuses/{sid}",
            "url": f"https://fake.example/@cppn/{sid}", "created_at": iso(),
            "content": "<p>" + text.replace("\n", "<br />") + "</p>", "text": text,
            "visibility": form.get("visibility", "public"), "account": self.me,
            "in_reply_to_id": form.get("in_reply_to_id"), "media_attachments": media,
            "idempotency_key": key,
        }  # fmt: skip
        self.statuses.append(status)
        if key:
            self.keys[key] = status
        return reply(status)

    async def _account_statuses(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return reply({"error": "The access token is invalid"}, 401)
        limit = int(request.query.get("limit", 20))
        return reply(list(reversed(self.statuses))[:limit])

    async def _notifications(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return reply({"error": "The access token is invalid"}, 401)
        since = request.query.get("since_id")
        found = [n for n in self.notifications if since is None or int(n["id"]) > int(since)]
        return reply(list(reversed(found)))

    def mention(self, who: dict, text: str, visibility: str = "public") -> dict:
        """Someone mentions the bot: a status and its notification."""
        sid = str(next(self._ids))
        html = f'<p><span class="h-card"><a href="https://fake.example/@cppn" class="u-url mention">@<span>cppn</span></a></span> {text}</p>'  # noqa: E501
        status = {"id": sid, "created_at": iso(), "content": html, "visibility": visibility,
                  "account": who, "in_reply_to_id": None, "media_attachments": [],
                  "url": f"https://fake.example/@{who['acct']}/{sid}"}  # fmt: skip
        n = {"id": str(next(self._ids)), "type": "mention", "created_at": iso(),
             "account": who, "status": status}  # fmt: skip
        self.notifications.append(n)
        return status

    def replies_to(self, status_id: str) -> list[dict]:
        return [s for s in self.statuses if s["in_reply_to_id"] == status_id]
