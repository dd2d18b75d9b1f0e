"""The site's disk cache of painted files: bounded in bytes, least recently used out first.

A code never changes its picture, so an entry never goes stale; it only leaves to make room.
Each entry is two files under a folder named by the first two hex digits of its key's hash: the
bytes (`<hash>.bin`) and, written after them, a JSON sidecar (`<hash>.json`: the key, type, ETag
and what the page shows). An entry exists when its sidecar does, so a crash mid-write leaves a
stray .bin or .tmp that the next open() removes. The index lives in memory (one process per cache
folder); the order of use is kept in the sidecars' modification times, written back on close().
The most recently read files are also kept in memory (a few dozen MiB), so a hot picture is
served without touching the disk.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)
HOT_BYTES = 64 * 1024 * 1024  # the in-memory tier: files read most recently
HOT_LARGEST = 16 * 1024 * 1024  # a file bigger than this is always read from the disk


@dataclass(frozen=True)
class Entry:
    key: str
    mime: str
    etag: str  # quoted, as the header carries it
    size: int
    meta: dict = field(default_factory=dict)  # what a page shows: quote, alt text, sides, code


def etag_of(data: bytes) -> str:
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


class DiskCache:
    def __init__(self, root: Path, max_bytes: int, hot_bytes: int = HOT_BYTES) -> None:
        self.root, self.max_bytes, self.hot_bytes = Path(root), max_bytes, hot_bytes
        self._index: OrderedDict[str, Entry] = OrderedDict()  # least recently used first
        self._used: dict[str, float] = {}  # key -> when last used (written back on close)
        self._hot: OrderedDict[str, bytes] = OrderedDict()
        self._hot_size = 0
        self.bytes = 0
        self.hits = self.misses = self.evictions = 0

    @classmethod
    async def open(cls, root: str | Path, max_bytes: int, hot_bytes: int = HOT_BYTES) -> DiskCache:
        """The cache in `root` (created if need be), its index read from the sidecars."""
        cache = cls(Path(root), max_bytes, hot_bytes)
        found = await asyncio.to_thread(cache._scan)
        for used, entry in sorted(found, key=lambda x: x[0]):
            cache._index[entry.key] = entry
            cache._used[entry.key] = used
            cache.bytes += entry.size
        await cache._evict()
        log.info("web cache %s: %d files, %.1f MiB", root, len(cache._index), cache.bytes / 2**20)
        return cache

    def _paths(self, key: str) -> tuple[Path, Path]:
        name = hashlib.sha256(key.encode()).hexdigest()
        folder = self.root / name[:2]
        return folder / f"{name}.bin", folder / f"{name}.json"

    def _scan(self) -> list[tuple[float, Entry]]:
        self.root.mkdir(parents=True, exist_ok=True)
        found = []
        for side in self.root.glob("*/*.json"):
            try:
                d = json.loads(side.read_text(encoding="utf-8"))
                entry = Entry(d["key"], d["mime"], d["etag"], int(d["size"]), d.get("meta", {}))
                data, _ = self._paths(entry.key)
                if data.stat().st_size != entry.size or side != self._paths(entry.key)[1]:
                    raise ValueError("the file does not match its sidecar")
                found.append((side.stat().st_mtime, entry))
            except (OSError, ValueError, KeyError, TypeError) as e:
                log.warning("web cache: dropping %s (%s)", side, e)
                side.unlink(missing_ok=True)
        kept = {self._paths(e.key)[0] for _, e in found}
        for stray in [*self.root.glob("*/*.bin"), *self.root.glob("*/*.tmp")]:
            if stray not in kept:
                stray.unlink(missing_ok=True)
        return found

    def __contains__(self, key: str) -> bool:
        return key in self._index

    def __len__(self) -> int:
        return len(self._index)

    def get(self, key: str) -> Entry | None:
        """The entry, marked as just used; None if the cache does not hold it."""
        entry = self._index.get(key)
        if entry is None:
            self.misses += 1
            return None
        self.hits += 1
        self._index.move_to_end(key)
        self._used[key] = time.time()
        return entry

    async def read(self, entry: Entry) -> bytes | None:
        """The entry's bytes; None if it was evicted meanwhile (the caller paints it again)."""
        data = self._hot.get(entry.key)
        if data is not None:
            self._hot.move_to_end(entry.key)
            return data
        path, _ = self._paths(entry.key)
        try:
            data = await asyncio.to_thread(path.read_bytes)
        except FileNotFoundError:
            self._forget(entry.key)
            return None
        self._keep_hot(entry.key, data)
        return data

    async def put(self, key: str, data: bytes, mime: str, meta: dict | None = None) -> Entry:
        """Store the bytes (written to a temporary file, then renamed: never half a file)."""
        entry = Entry(key, mime, etag_of(data), len(data), meta or {})
        path, side = self._paths(key)
        sidecar = {"key": key, "mime": mime, "etag": entry.etag, "size": entry.size,
                   "meta": entry.meta}  # fmt: skip
        await asyncio.to_thread(_write_pair, path, data, side, json.dumps(sidecar))
        if key in self._index:
            self.bytes -= self._index[key].size
        self._index[key] = entry
        self._index.move_to_end(key)
        self._used[key] = time.time()
        self.bytes += entry.size
        self._keep_hot(key, data)
        await self._evict(keep=key)
        return entry

    async def _evict(self, keep: str | None = None) -> None:
        while self.bytes > self.max_bytes and len(self._index) > (keep is not None):
            key = next(iter(self._index))
            if key == keep:
                self._index.move_to_end(key)
                continue
            paths = self._paths(key)
            self._forget(key)
            self.evictions += 1
            await asyncio.to_thread(_unlink, *paths)

    def _forget(self, key: str) -> None:
        entry = self._index.pop(key, None)
        if entry is not None:
            self.bytes -= entry.size
        self._used.pop(key, None)
        data = self._hot.pop(key, None)
        if data is not None:
            self._hot_size -= len(data)

    def _keep_hot(self, key: str, data: bytes) -> None:
        if len(data) > min(HOT_LARGEST, self.hot_bytes) or key in self._hot:
            return
        self._hot[key] = data
        self._hot_size += len(data)
        while self._hot_size > self.hot_bytes:
            _, old = self._hot.popitem(last=False)
            self._hot_size -= len(old)

    async def close(self) -> None:
        """Write the order of use back to the sidecars (the next open() reads it)."""
        used = [(self._paths(k)[1], t) for k, t in self._used.items()]
        await asyncio.to_thread(_touch_all, used)


def _write_pair(path: Path, data: bytes, side: Path, sidecar: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    for target, content in ((path, data), (side, sidecar.encode())):
        tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        tmp.write_bytes(content)
        os.replace(tmp, target)


def _unlink(*paths: Path) -> None:
    for p in reversed(paths):  # the sidecar first: without it the entry no longer exists
        p.unlink(missing_ok=True)


def _touch_all(used: list[tuple[Path, float]]) -> None:
    for side, when in used:
        with contextlib.suppress(OSError):
            os.utime(side, (when, when))
