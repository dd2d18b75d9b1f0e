"""A fake Discord (REST + gateway) on loopback, for end-to-end tests with the real discord.py.

It speaks just enough of the API for this bot: login, application info, command sync, the
gateway handshake (HELLO, IDENTIFY, READY, GUILD_CREATE, heartbeats), interaction callbacks,
webhook edits and followups, channel messages (send, history, delete). It records every request,
and can answer the next request to a path with a 429 to test rate-limit handling. JSON answers
carry exactly `Content-Type: application/json`, as discord.py expects.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

import discord
import yarl
from aiohttp import WSMsgType, web

DISCORD_EPOCH_MS = 1420070400000
_counter = itertools.count(1)


def snowflake() -> int:
    return ((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22) | (next(_counter) & 0x3FFFFF)


def _json(data: object, status: int = 200, headers: dict | None = None) -> web.Response:
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


@dataclass
class Recorded:
    method: str
    path: str
    json: dict | list | None
    files: list[tuple[str, bytes]] = field(default_factory=list)  # (filename, bytes)
    status: int = 200


class FakeDiscord:
    def __init__(self) -> None:
        self.app_id = snowflake()
        self.guild_id = snowflake()
        self.channel_id = snowflake()
        self.bot_user = {
            "id": str(self.app_id),
            "username": "cppn",
            "discriminator": "0",
            "global_name": None,
            "avatar": None,
            "bot": True,
        }
        self.requests: list[Recorded] = []
        self.messages: dict[int, dict] = {}  # every message, by id
        self.originals: dict[str, int] = {}  # interaction token -> its response message id
        self.rate_limit: dict[str, int] = {}  # (method path prefix) -> 429s still to answer
        self.served_429 = 0
        self.refuse_token = False  # answer the login with 401, as for a reset token
        self.identified = asyncio.Event()
        self.interactions: dict[str, dict] = {}  # every interaction sent, by id
        # hold_results: a response edit that carries a file is applied (the person sees it),
        # then left unanswered until release() - the window a crash after posting falls in.
        self.hold_results = False
        self.result_applied = asyncio.Event()
        self._release = asyncio.Event()
        self._answered = asyncio.Condition()  # notified after each REST request is answered
        self.identifies = 0
        self._sockets: list[web.WebSocketResponse] = []
        self._seq = 0
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.cdn: dict[str, bytes] = {}  # attachment path -> bytes, served at /attachments/
        self.cdn_gets: list[str] = []  # attachment paths the bot downloaded
        self.commands: list[dict] = []  # the last global command sync's payload

    # --- lifecycle ----------------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        app.router.add_get("/attachments/{tail:.*}", self._cdn)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    def patch(self, monkeypatch) -> None:
        """Point discord.py at this fake (REST base and gateway), and let the bot's attachment
        reader fetch from this fake's CDN as it would from Discord's."""
        import bot.discordbot.images as images

        monkeypatch.setattr(images, "CDN_HOSTS", images.CDN_HOSTS | {f"127.0.0.1:{self.port}"})
        monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{self.port}/api/v10")
        monkeypatch.setattr(
            discord.gateway.DiscordWebSocket,
            "DEFAULT_GATEWAY",
            yarl.URL(f"ws://127.0.0.1:{self.port}/gateway"),
        )

    async def close(self) -> None:
        self.release()
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # --- what the tests look at ---------------------------------------------------------------
    def find(self, method: str, contains: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and contains in r.path]

    async def wait_for(self, predicate, timeout: float = 60.0):
        """Wait until predicate(requests) is truthy; return its value. It is asked again each
        time a REST request has been answered (what it looks at, requests and messages, changes
        only then), so nothing is missed between two looks and no time is spent polling."""
        value = None

        def met() -> bool:
            nonlocal value
            value = predicate(self.requests)
            return bool(value)

        try:
            async with asyncio.timeout(timeout), self._answered:
                await self._answered.wait_for(met)
        except TimeoutError:
            raise AssertionError(
                f"timed out waiting; saw {[(r.method, r.path) for r in self.requests]}"
            ) from None
        return value

    def channel_posts(self, channel: int | None = None) -> list[dict]:
        cid = channel or self.channel_id
        return [
            m
            for m in self.messages.values()
            if int(m["channel_id"]) == cid and not m.get("webhook_id")
        ]

    # --- gateway ------------------------------------------------------------------------------
    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": 45000}, "s": None, "t": None})
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                data = json.loads(msg.data)
                if data["op"] == 1:  # heartbeat
                    await ws.send_json({"op": 11, "d": None, "s": None, "t": None})
                elif data["op"] == 2:  # identify
                    self.identifies += 1
                    await self._ready(ws)
        finally:
            self._sockets.remove(ws)
        return ws

    async def _ready(self, ws: web.WebSocketResponse) -> None:
        await self._send(
            ws,
            "READY",
            {
                "v": 10,
                "user": self.bot_user,
                "guilds": [{"id": str(self.guild_id), "unavailable": True}],
                "session_id": "fake-session",
                "resume_gateway_url": f"ws://127.0.0.1:{self.port}/gateway",
                "application": {"id": str(self.app_id), "flags": 0},
                "private_channels": [],
            },
        )
        await self._send(ws, "GUILD_CREATE", self.guild())
        self.identified.set()

    async def _send(self, ws: web.WebSocketResponse, event: str, data: dict) -> None:
        self._seq += 1
        await ws.send_json({"op": 0, "t": event, "s": self._seq, "d": data})

    async def dispatch(self, event: str, data: dict) -> None:
        for ws in list(self._sockets):
            await self._send(ws, event, data)

    def guild(self) -> dict:
        return {
            "id": str(self.guild_id),
            "name": "Fake Gallery",
            "icon": None,
            "owner_id": "1",
            "roles": [
                {
                    "id": str(self.guild_id),
                    "name": "@everyone",
                    "permissions": "1071698660929",
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                }
            ],
            "channels": [self.channel()],
            "members": [],
            "member_count": 2,
            "emojis": [],
            "stickers": [],
            "features": [],
            "large": False,
            "unavailable": False,
            "joined_at": _now_iso(),
            "threads": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "system_channel_flags": 0,
            "afk_timeout": 300,
        }

    def channel(self) -> dict:
        return {
            "id": str(self.channel_id),
            "type": 0,
            "guild_id": str(self.guild_id),
            "name": "gallery",
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
            "topic": None,
            "rate_limit_per_user": 0,
        }

    async def _cdn(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["tail"]
        self.cdn_gets.append(path)
        if path not in self.cdn:
            return web.Response(status=404)
        return web.Response(body=self.cdn[path], content_type="application/octet-stream")

    def attachment(self, name: str, data: bytes, size: int | None = None) -> dict:
        """An attachment on this fake's CDN (`size`: what Discord says it is, if not its own)."""
        aid = snowflake()
        path = f"{aid}/{name}"
        self.cdn[path] = data
        url = f"http://127.0.0.1:{self.port}/attachments/{path}"
        kind = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}.get(
            name.rsplit(".", 1)[-1], "application/octet-stream"
        )
        return {"id": str(aid), "filename": name, "size": len(data) if size is None else size,
                "url": url, "proxy_url": url, "content_type": kind}  # fmt: skip

    def user_message(
        self, user_id: int, content: str, attachments: list[dict] | None = None, **extra
    ) -> dict:
        """A message a person posted in the channel (for the message context menus)."""
        mid = snowflake()
        msg = {
            "id": str(mid), "channel_id": str(self.channel_id), "guild_id": str(self.guild_id),
            "author": self.member(user_id)["user"], "content": content,
            "timestamp": _now_iso(), "edited_timestamp": None, "tts": False,
            "mention_everyone": "@everyone" in content, "mentions": extra.pop("mentions", []),
            "mention_roles": [], "attachments": attachments or [], "embeds": [],
            "pinned": False, "type": 0, "flags": 0, "components": [], **extra,
        }  # fmt: skip
        self.messages[mid] = msg
        return msg

    # --- interactions the tests send ----------------------------------------------------------
    def member(self, user_id: int, permissions: int = 0) -> dict:
        return {
            "user": {
                "id": str(user_id),
                "username": f"user{user_id % 1000}",
                "discriminator": "0",
                "global_name": None,
                "avatar": None,
            },
            "roles": [],
            "joined_at": _now_iso(),
            "deaf": False,
            "mute": False,
            "permissions": str(permissions),
            "flags": 0,
        }

    def interaction(self, itype: int, data: dict, user_id: int, **extra) -> dict:
        iid = snowflake()
        payload = {
            "id": str(iid),
            "application_id": str(self.app_id),
            "type": itype,
            "data": data,
            "token": f"itoken-{iid}",
            "version": 1,
            "guild_id": str(self.guild_id),
            "channel_id": str(self.channel_id),
            "channel": self.channel(),
            "member": self.member(user_id, extra.pop("permissions", 0)),
            "app_permissions": "1071698660929",
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(self.guild_id)},
            "context": 0,
            "attachment_size_limit": 10 * 1024 * 1024,
            **extra,
        }
        self.interactions[str(iid)] = payload
        return payload

    def slash(self, name: str, user_id: int, **options) -> dict:
        opts = [{"name": k, "type": _option_type(v), "value": v} for k, v in options.items()]
        data = {"id": str(snowflake()), "name": name, "type": 1, "options": opts}
        return self.interaction(2, data, user_id)

    def subcommand(self, group: str, name: str, user_id: int, **options) -> dict:
        opts = [{"name": k, "type": _option_type(v), "value": v} for k, v in options.items()]
        sub = {"name": name, "type": 1, "options": opts}
        data = {"id": str(snowflake()), "name": group, "type": 1, "options": [sub]}
        return self.interaction(2, data, user_id)

    def dm(self, payload: dict, user_id: int) -> dict:
        """The same interaction from a person's own install of the app, in a DM with someone
        else (context 2, a private channel the bot is not in): no guild, no member."""
        for key in ("guild_id", "member", "guild_locale"):
            payload.pop(key, None)
        channel = snowflake()
        payload["user"] = self.member(user_id)["user"]
        payload["channel_id"] = str(channel)
        payload["channel"] = {"id": str(channel), "type": 1, "recipients": [payload["user"]]}
        payload["authorizing_integration_owners"] = {"1": str(user_id)}
        payload["context"] = 2
        payload["app_permissions"] = "0"
        return payload

    def slash_with_attachment(self, name: str, user_id: int, option: str, att: dict, **options):
        """A slash command with an attachment option (Discord sends its id, and the
        attachment itself among the resolved data)."""
        payload = self.slash(name, user_id, **options)
        payload["data"]["options"].append({"name": option, "type": 11, "value": att["id"]})
        payload["data"]["resolved"] = {"attachments": {att["id"]: att}}
        return payload

    def message_command(self, name: str, message: dict, user_id: int) -> dict:
        data = {
            "id": str(snowflake()), "name": name, "type": 3, "target_id": message["id"],
            "resolved": {"messages": {message["id"]: message}},
        }  # fmt: skip
        return self.interaction(2, data, user_id)

    def autocomplete(self, name: str, user_id: int, focused: str, typed: str, **options) -> dict:
        opts = [{"name": k, "type": _option_type(v), "value": v} for k, v in options.items()]
        opts.append({"name": focused, "type": 3, "value": typed, "focused": True})
        data = {"id": str(snowflake()), "name": name, "type": 1, "options": opts}
        return self.interaction(4, data, user_id)

    def modal_submit(self, modal: dict, values: dict[str, str], user_id: int) -> dict:
        """Submit a modal the bot opened (`modal`: the data of its type-9 callback), typing
        `values` into its text inputs by label."""
        rows = []
        for row in modal["components"]:
            for c in row["components"]:
                rows.append({"type": 1, "components": [
                    {"type": 4, "custom_id": c["custom_id"], "value": values.get(c["label"], "")}
                ]})  # fmt: skip
        data = {"custom_id": modal["custom_id"], "components": rows}
        return self.interaction(5, data, user_id)

    def click(self, custom_id: str, message: dict, user_id: int, permissions: int = 0) -> dict:
        data = {"custom_id": custom_id, "component_type": 2}
        return self.interaction(3, data, user_id, message=message, permissions=permissions)

    # --- REST ---------------------------------------------------------------------------------
    async def _rest(self, request: web.Request) -> web.StreamResponse:
        try:
            return await self._record(request)
        finally:
            async with self._answered:
                self._answered.notify_all()

    async def _record(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body, files = await _read_body(request)
        rec = Recorded(request.method, path, body, files)
        self.requests.append(rec)
        for prefix, left in list(self.rate_limit.items()):
            if left > 0 and f"{request.method} {path}".startswith(prefix):
                self.rate_limit[prefix] = left - 1
                self.served_429 += 1
                rec.status = 429
                return _json(
                    {
                        "message": "You are being rate limited.",
                        "retry_after": 0.25,
                        "global": False,
                    },
                    429,
                    # Discord's own 429s come through Google's front end; discord.py reads a 429
                    # without `Via` as a Cloudflare ban and does not retry.
                    {
                        "Via": "1.1 google",
                        "Retry-After": "1",
                        "X-RateLimit-Scope": "user",
                        "X-RateLimit-Remaining": "0",
                        "X-RateLimit-Reset-After": "0.25",
                        "X-RateLimit-Limit": "5",
                        "X-RateLimit-Bucket": "fake",
                    },
                )
        return await self._answer(request.method, path, body, files, request.query)

    async def _answer(self, method, path, body, files, query) -> web.StreamResponse:
        parts = path.strip("/").split("/")
        app = str(self.app_id)
        if path == "/users/@me":
            if self.refuse_token:
                return _json({"message": "401: Unauthorized", "code": 0}, 401)
            return _json(self.bot_user)
        if path == "/oauth2/applications/@me":
            return _json(self._application())
        if (
            method == "PUT"
            and parts[:3] == ["applications", app, "commands"]
            or (method == "PUT" and len(parts) == 5 and parts[2] == "guilds")
        ):
            if parts[:3] == ["applications", app, "commands"]:
                self.commands = list(body or [])
            return _json(
                [
                    {"description": "", **c, "id": str(snowflake()), "application_id": app,
                     "version": "1"}
                    for c in body or []
                ]
            )  # fmt: skip
        if parts[0] == "interactions" and parts[-1] == "callback":
            return self._callback(parts[1], parts[2], body or {}, files)
        if parts[0] == "webhooks":
            answer = self._webhook(method, parts[2], parts[3:], body or {}, files)
            return await self._held(method, path, files, answer)
        if parts[0] == "channels" and parts[2:] == ["messages"]:
            if method == "POST":
                body = body or {}
                if body.get("enforce_nonce") and body.get("nonce") is not None:
                    for m in self.messages.values():  # Discord returns the first, posts nothing
                        if m["channel_id"] == parts[1] and m.get("nonce") == body["nonce"]:
                            return _json(m)
                return _json(self._store(int(parts[1]), body, files))
            return _json(self._history(int(parts[1]), query))
        if parts[0] == "channels" and len(parts) == 4 and method == "DELETE":
            self.messages.pop(int(parts[3]), None)
            return web.Response(status=204)
        return _json({"message": f"fake: no route for {method} {path}", "code": 0}, 404)

    def _application(self) -> dict:
        return {
            "id": str(self.app_id),
            "name": "cppn",
            "icon": None,
            "description": "",
            "rpc_origins": [],
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": self.bot_user,
            "summary": "",
            "verify_key": "00",
            "team": None,
            "flags": 0,
            "bot": self.bot_user,
            "interactions_endpoint_url": None,
        }

    def _callback(self, iid: str, token: str, body: dict, files) -> web.Response:
        kind = body.get("type")
        data = body.get("data") or {}
        msg_id = None
        resource: dict = {"type": kind}
        asked = self.interactions.get(iid)
        if kind in (4, 5):  # a message, or "thinking": the response message exists now
            channel = int(asked["channel_id"]) if asked else self.channel_id
            msg = self._store(channel, data, files, webhook=True, loading=kind == 5)
            if asked is not None:  # as Discord does: who asked, on the response message
                msg["interaction_metadata"] = {
                    "id": iid,
                    "type": asked["type"],
                    "user": (asked.get("member") or asked)["user"],
                    "authorizing_integration_owners": asked["authorizing_integration_owners"],
                }
            msg_id = int(msg["id"])
            self.originals[token] = msg_id
            resource["message"] = msg
        return _json(
            {
                "interaction": {
                    "id": iid,
                    "type": 2,
                    "response_message_id": str(msg_id) if msg_id else None,
                    "response_message_loading": kind == 5,
                    "response_message_ephemeral": bool(data.get("flags", 0) & 64),
                },
                "resource": resource,
            }
        )

    def release(self) -> None:
        """Answer the held result edits (hold_results) and hold no more."""
        self.hold_results = False
        self._release.set()

    async def _held(self, method: str, path: str, files, answer: web.StreamResponse):
        if self.hold_results and method == "PATCH" and files and path.startswith("/webhooks/"):
            self.result_applied.set()
            await self._release.wait()
        return answer

    def _webhook(self, method: str, token: str, rest: list[str], body: dict, files) -> web.Response:
        if not rest and method == "POST":  # followup
            return _json(self._store(self.channel_id, body, files, webhook=True))
        if rest[:1] == ["messages"] and len(rest) == 2:
            mid = self.originals.get(token) if rest[1] == "@original" else int(rest[1])
            if mid is None or mid not in self.messages:
                return _json({"message": "Unknown Message", "code": 10008}, 404)
            if method == "DELETE":
                self.messages.pop(mid)
                return web.Response(status=204)
            if method == "PATCH":
                msg = self.messages[mid]
                msg.update(
                    {k: v for k, v in body.items() if k in ("content", "embeds", "components")}
                )
                msg["content"] = msg.get("content") or ""  # Discord answers "", never null
                if files or "attachments" in body:
                    msg["attachments"] = [self.attachment(n, b) for n, b in files]
                msg["edited_timestamp"] = _now_iso()
                return _json(msg)
            return _json(self.messages[mid])
        return _json({"message": "fake: bad webhook route", "code": 0}, 404)

    def _store(
        self, channel: int, body: dict, files, webhook: bool = False, loading: bool = False
    ) -> dict:
        mid = snowflake()
        msg = {
            "id": str(mid),
            "channel_id": str(channel),
            "guild_id": str(self.guild_id),
            "author": self.bot_user,
            "content": body.get("content") or "",
            "timestamp": _now_iso(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [self.attachment(n, b) for n, b in files],
            "embeds": body.get("embeds") or [],
            "pinned": False,
            "type": 0,
            "flags": (body.get("flags") or 0) | (128 if loading else 0),
            "components": body.get("components") or [],
        }
        if body.get("nonce") is not None:
            msg["nonce"] = body["nonce"]
        if webhook:
            msg["webhook_id"] = str(self.app_id)
            msg["application_id"] = str(self.app_id)
        self.messages[mid] = msg
        return msg

    def _history(self, channel: int, query) -> list[dict]:
        after = int(query.get("after", 0))
        limit = int(query.get("limit", 50))
        found = [
            m
            for m in self.messages.values()
            if int(m["channel_id"]) == channel and int(m["id"]) > after
        ]
        found.sort(key=lambda m: int(m["id"]), reverse=True)
        return found[:limit]


async def _read_body(request: web.Request) -> tuple[dict | list | None, list[tuple[str, bytes]]]:
    ctype = request.headers.get("Content-Type", "")
    if ctype.startswith("multipart/"):
        body, files = None, []
        reader = await request.multipart()
        async for part in reader:
            data = await part.read()
            if part.name == "payload_json":
                body = json.loads(data)
            elif part.filename:
                files.append((part.filename, bytes(data)))
        return body, files
    if request.can_read_body:
        text = await request.text()
        return (json.loads(text) if text else None), []
    return None, []


def _option_type(value: object) -> int:
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 4
    if isinstance(value, float):
        return 10
    return 3


def _now_iso() -> str:
    return datetime.now(UTC).isoformat()
