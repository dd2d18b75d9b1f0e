"""The web site's figures (issue 19), with the real pipeline (quotes included) on this machine:

1. a cached PNG served over loopback: requests/s from a separate client process (keep-alive
   connections that read every byte), for the default painting's 1024x1024 PNG and a 320 px one;
2. a cold /p/{code} of the default recipe (the page waits for its picture: queue, pipeline,
   alt text, cache write) against the pipeline's own time for the same kind of recipe;
3. 100 concurrent cold requests for 10 codes: how many times each code was rendered.

    .venv/bin/python bench/web_bench.py [--seconds 5] [--connections 8] [--cold 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter

import aiohttp

from bot.art.code import format_code
from bot.art.recipe import Recipe
from bot.jobs import create_queue
from bot.pipeline import PaintSpec, Pipeline
from bot.quotes.engines import load_quotes
from bot.settings import Settings
from bot.web.server import WebServer

# A keep-alive HTTP/1.1 client that reads each response whole (headers, then Content-Length
# bytes into a buffer) on `connections` sockets for `seconds`; prints the count of 200s.
CLIENT = r"""
import socket, sys, threading, time
host, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
conns, seconds = int(sys.argv[4]), float(sys.argv[5])
req = f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
counts, stop = [0] * conns, time.monotonic() + seconds
def run(i):
    s = socket.create_connection((host, port)); buf = bytearray(1 << 22); view = memoryview(buf)
    while time.monotonic() < stop:
        s.sendall(req); head = b""
        while b"\r\n\r\n" not in head:
            head += s.recv(65536)
        top, _, body = head.partition(b"\r\n\r\n")
        assert top.startswith(b"HTTP/1.1 200"), top[:40]
        lines = top.lower().split(b"\r\n")
        size = int(next(x for x in lines if x.startswith(b"content-length:")).split(b":")[1])
        got = len(body)
        while got < size:
            got += s.recv_into(view, min(len(buf), size - got))
        counts[i] += 1
threads = [threading.Thread(target=run, args=(i,)) for i in range(conns)]
[t.start() for t in threads]; [t.join() for t in threads]
print(sum(counts))
"""


class CountingRenderer:
    """The real renderer, counting the recipes it is asked to render (by code)."""

    def __init__(self, inner) -> None:
        self.inner, self.device, self.budget = inner, inner.device, getattr(inner, "budget", None)
        self.rendered: Counter[str] = Counter()

    def render_batch(self, recipes, *args, **kwargs):
        for r in recipes:
            self.rendered[format_code(r)] += 1
        return self.inner.render_batch(recipes, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.inner, name)


async def served_per_s(port: int, path: str, connections: int, seconds: float) -> float:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", CLIENT, "127.0.0.1", str(port), path, str(connections),
        str(seconds), stdout=subprocess.PIPE,
    )  # fmt: skip
    out, _ = await proc.communicate()
    return int(out) / seconds


async def get(session: aiohttp.ClientSession, url: str) -> bytes:
    async with session.get(url) as resp:
        assert resp.status == 200, (url, resp.status)
        return await resp.read()


async def main(args: argparse.Namespace) -> None:
    quotes = load_quotes()
    pipeline = Pipeline.create("cpu", quotes)
    counting = CountingRenderer(pipeline.renderer)
    served = Pipeline(counting, pipeline.compositor, quotes)  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as cache:
        settings = Settings(web_port=0, web_cache_dir=cache, device="cpu", web_max_renders=16)
        queue = create_queue(settings, pipeline=served)
        await queue.start()
        server = WebServer(settings, queue, None)
        port = await server.start()
        base = f"http://127.0.0.1:{port}"
        try:
            async with aiohttp.ClientSession() as session:
                await report(args, session, base, port, pipeline, counting)
        finally:
            await server.close()
            await queue.close()


async def report(args, session, base, port, pipeline, counting) -> None:
    # --- 1: cached files --------------------------------------------------------------------
    code = format_code(Recipe(seed=20240917))
    png = await get(session, f"{base}/p/{code}.png")
    small = await get(session, f"{base}/p/{code}.png?size=small")
    print(f"1. cached PNG over loopback ({args.connections} keep-alive connections, "
          f"{args.seconds:g} s, a separate client process):")  # fmt: skip
    files = (
        ("1024x1024", f"/p/{code}.png", png),
        ("320x320 (?size=small)", f"/p/{code}.png?size=small", small),
    )
    for label, path, data in files:
        rate = await served_per_s(port, path, args.connections, args.seconds)
        print(f"   {label:22s} {len(data) / 1e6:5.2f} MB  {rate:8.0f} req/s  "
              f"{rate * len(data) / 1e9:5.2f} GB/s")  # fmt: skip

    # --- 2: a cold page against the pipeline alone ------------------------------------------
    seeds = range(1000, 1000 + args.cold)
    pipeline.run(PaintSpec(Recipe(seed=999)))  # warm both sides first
    await get(session, f"{base}/p/{format_code(Recipe(seed=998))}")
    alone = []
    for s in seeds:
        t = time.perf_counter()
        pipeline.run(PaintSpec(Recipe(seed=s), byte_limit=1 << 40))
        alone.append(time.perf_counter() - t)
    cold = []
    for s in seeds:
        t = time.perf_counter()
        await get(session, f"{base}/p/{format_code(Recipe(seed=s + 500))}")
        cold.append(time.perf_counter() - t)
    a, c = statistics.median(alone), statistics.median(cold)
    print(f"2. default recipe (1024x1024, generated quote), median of {args.cold}:")
    print(f"   pipeline alone {a:.3f} s   cold /p/{{code}} {c:.3f} s   ratio {c / a:.2f}x")

    # --- 3: 100 concurrent cold requests for 10 codes ---------------------------------------
    codes = [format_code(Recipe(seed=5000 + i, w=512, h=512)) for i in range(10)]
    counting.rendered.clear()
    t = time.perf_counter()
    paths = [f"/p/{codes[i % 10]}" + (".png" if i % 2 else "") for i in range(100)]
    bodies = await asyncio.gather(*(get(session, base + p) for p in paths))
    took = time.perf_counter() - t
    per_code = [counting.rendered[c] for c in codes]
    print(f"3. 100 concurrent cold requests (pages and PNGs) for 10 codes at 512x512: "
          f"{len(bodies)} answered in {took:.1f} s; renders per code {per_code}")  # fmt: skip


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=5.0)
    p.add_argument("--connections", type=int, default=8)
    p.add_argument("--cold", type=int, default=5, help="cold pages (and pipeline runs) to time")
    asyncio.run(main(p.parse_args()))
