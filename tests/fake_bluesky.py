"""A fake Bluesky PDS on loopback, for the real atproto client: createSession, refreshSession,
getSession, uploadBlob (refusing images over 1,000,000 bytes, MP4 videos over 100 MB), createRecord
(refusing a record key it has, and an image or video embed whose blob was not uploaded or is
not of its kind), listNotifications, getAuthorFeed. JWTs carry an expiry the client reads; a 429
carries ratelimit-reset (unix seconds), as Bluesky's."""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import time
from datetime import UTC, datetime

from aiohttp import web
from fake_service import FakeService, reply

HANDLE, DID = "cppn.test", "did:plc:cppnbot"
APP_PASSWORD = "abcd-efgh-ijkl-mnop"
MAX_BLOB = 1_000_000
MAX_VIDEO_BLOB = 100_000_000
_JTI = (f"j{n}" for n in itertools.count())


def jwt(did: str, scope: str, ttl_s: float) -> str:
    def part(d: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(d).encode()).decode().rstrip("=")

    now = int(time.time())
    claims = {"sub": did, "scope": scope, "iat": now, "exp": int(now + ttl_s), "jti": next(_JTI)}
    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"


def cid(data: bytes) -> str:
    return "bafyrei" + base64.b32encode(hashlib.sha256(data).digest()).decode().lower().rstrip("=")


def iso(ts: float | None = None) -> str:
    dt = datetime.fromtimestamp(time.time() if ts is None else ts, UTC)
    return dt.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def profile(did: str, handle: str, labels: tuple[str, ...] = ()) -> dict:
    return {"did": did, "handle": handle, "displayName": handle,
            "labels": [{"src": did, "uri": f"at://{did}/app.bsky.actor.profile/self",
                        "val": v, "cts": iso()} for v in labels]}  # fmt: skip


class FakeBluesky(FakeService):
    def __init__(self, access_ttl_s: float = 7200.0) -> None:
        super().__init__()
        self.access_ttl_s = access_ttl_s
        self.sessions = 0  # createSession calls: logins
        self.refreshes = 0
        self.access: set[str] = set()
        self.refresh: set[str] = set()
        self.blobs: dict[str, bytes] = {}
        self.blob_types: dict[str, str] = {}  # ref -> its mimeType
        self.records: dict[str, dict] = {}  # rkey -> our post record (with uri, cid)
        self.notifications: list[dict] = []
        self._n = itertools.count(1)

    def rate_limit_headers(self, reset_at: float) -> dict[str, str]:
        return {"ratelimit-limit": "3000", "ratelimit-remaining": "0",
                "ratelimit-reset": str(int(reset_at + 0.999)),
                "ratelimit-policy": "3000;w=300"}  # fmt: skip

    def routes(self, app: web.Application) -> None:
        x = "/xrpc/"
        app.router.add_post(x + "com.atproto.server.createSession", self._create_session)
        app.router.add_post(x + "com.atproto.server.refreshSession", self._refresh_session)
        app.router.add_get(x + "com.atproto.server.getSession", self._get_session)
        app.router.add_post(x + "com.atproto.repo.uploadBlob", self._upload)
        app.router.add_post(x + "com.atproto.repo.createRecord", self._create)
        app.router.add_get(x + "app.bsky.notification.listNotifications", self._notifications)
        app.router.add_get(x + "app.bsky.feed.getAuthorFeed", self._author_feed)

    def _session(self) -> dict:
        access, refresh = (
            jwt(DID, "com.atproto.access", self.access_ttl_s),
            jwt(DID, "com.atproto.refresh", 90 * 86400),
        )
        self.access.add(access)
        self.refresh.add(refresh)
        return {"accessJwt": access, "refreshJwt": refresh, "handle": HANDLE, "did": DID,
                "active": True}  # fmt: skip

    def _bearer(self, request: web.Request) -> str:
        return request.headers.get("Authorization", "").removeprefix("Bearer ")

    def _authorised(self, request: web.Request) -> web.Response | None:
        token = self._bearer(request)
        if token in self.access:
            claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
            if claims["exp"] > time.time():
                return None
            return reply({"error": "ExpiredToken", "message": "Token has expired"}, 400)
        return reply({"error": "AuthenticationRequired", "message": "Invalid token"}, 401)

    async def _create_session(self, request: web.Request) -> web.Response:
        body = await request.json()
        if body.get("identifier") != HANDLE or body.get("password") != APP_PASSWORD:
            return reply({"error": "AuthenticationRequired", "message": "Invalid password"}, 401)
        self.sessions += 1
        return reply(self._session())

    async def _refresh_session(self, request: web.Request) -> web.Response:
        if self._bearer(request) not in self.refresh:
            return reply({"error": "ExpiredToken", "message": "Token has expired"}, 400)
        self.refreshes += 1
        return reply(self._session())

    async def _get_session(self, request: web.Request) -> web.Response:
        return self._authorised(request) or reply({"handle": HANDLE, "did": DID, "active": True})

    async def _upload(self, request: web.Request) -> web.Response:
        if refused := self._authorised(request):
            return refused
        data = await request.read()
        video = request.headers.get("Content-Type", "").startswith("video/")
        if len(data) > (MAX_VIDEO_BLOB if video else MAX_BLOB):
            return reply({"error": "BlobTooLarge", "message": "This file is too large."}, 400)
        ref = cid(data)
        self.blobs[ref] = data
        self.blob_types[ref] = request.headers.get("Content-Type", "")
        return reply({"blob": {"$type": "blob", "ref": {"$link": ref},
                               "mimeType": request.headers.get("Content-Type", ""),
                               "size": len(data)}})  # fmt: skip

    async def _create(self, request: web.Request) -> web.Response:
        if refused := self._authorised(request):
            return refused
        body = await request.json()
        rkey = body.get("rkey") or f"auto{next(self._n)}"
        if rkey in self.records:
            return reply({"error": "InvalidRequest", "message": "Record already exists"}, 400)
        record = body["record"]
        if bad := self._bad_embed(record.get("embed")):
            return reply({"error": "InvalidRequest", "message": bad}, 400)
        uri = f"at://{DID}/{body['collection']}/{rkey}"
        self.records[rkey] = {"uri": uri, "cid": cid(json.dumps(record).encode()),
                              "record": record, "indexedAt": iso()}  # fmt: skip
        return reply({"uri": uri, "cid": self.records[rkey]["cid"]})

    def _bad_embed(self, embed: dict | None) -> str | None:
        """What is wrong with a post's image or video embed, as the PDS's lexicon checks say."""
        if embed is None:
            return None
        kind = embed.get("$type")
        if kind == "app.bsky.embed.images":
            blobs = [(i.get("image") or {}, "image/") for i in embed.get("images", [])]
        elif kind == "app.bsky.embed.video":
            if not embed.get("aspectRatio"):
                return "Invalid app.bsky.embed.video: no aspectRatio"
            blobs = [(embed.get("video") or {}, "video/mp4")]
        else:
            return f"unknown embed {kind!r}"
        for blob, mime in blobs:
            ref = (blob.get("ref") or {}).get("$link")
            if blob.get("$type") != "blob" or ref not in self.blobs:
                return f"Invalid {kind}: a blob that was not uploaded"
            if (
                not self.blob_types[ref].startswith(mime)
                or blob.get("mimeType") != self.blob_types[ref]
            ):
                return f"Invalid {kind}: a blob of type {self.blob_types[ref]!r}"
        return None

    async def _author_feed(self, request: web.Request) -> web.Response:
        if refused := self._authorised(request):
            return refused
        me = profile(DID, HANDLE)
        feed = [{"post": {"uri": r["uri"], "cid": r["cid"], "author": me, "record": r["record"],
                          "indexedAt": r["indexedAt"]}}
                for r in reversed(self.records.values())]  # fmt: skip
        return reply({"feed": feed})

    async def _notifications(self, request: web.Request) -> web.Response:
        if refused := self._authorised(request):
            return refused
        return reply({"notifications": list(reversed(self.notifications))})

    def mention(self, author: dict, text: str, reason: str = "mention") -> dict:
        """Someone's post that mentions the bot, as a notification."""
        n = next(self._n)
        record = {"$type": "app.bsky.feed.post", "text": f"@{HANDLE} {text}",
                  "createdAt": iso(), "langs": ["en"]}  # fmt: skip
        uri = f"at://{author['did']}/app.bsky.feed.post/m{n}"
        note = {"uri": uri, "cid": cid(uri.encode()), "author": author, "reason": reason,
                "record": record, "isRead": False,
                "indexedAt": iso(time.time() + n / 1000)}  # fmt: skip
        self.notifications.append(note)
        return note

    def replies_to(self, uri: str) -> list[dict]:
        def parent(r: dict) -> str | None:
            return (r["record"].get("reply") or {}).get("parent", {}).get("uri")

        return [r for r in self.records.values() if parent(r) == uri]
