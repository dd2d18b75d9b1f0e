"""The web site through aiohttp's test client: routes, headers, caching (ETag/304), the
single-flight render through the real queue, the caps (503 + Retry-After), the gallery, the paint
form, and the 404/400/500 pages. Renders are tiny and on the CPU; a gated renderer holds them where
a test must see them in flight."""

from __future__ import annotations

import asyncio
import io
import re
from contextlib import asynccontextmanager
from datetime import date

import pytest
from aiohttp.test_utils import TestClient, TestServer
from PIL import Image
from test_jobs_support import FakeQuotes, GatedRenderer
from waiting import until

from bot.art.code import format_code, parse_code
from bot.art.recipe import Recipe
from bot.compose import Compositor
from bot.daily import daily_recipe
from bot.jobs import Limits, create_queue
from bot.options import PaintOptions, paint_job
from bot.pipeline import Pipeline
from bot.settings import Settings
from bot.store import Store
from bot.web import permalink
from bot.web.app import CSP, Site, create_app
from bot.web.cache import DiskCache
from bot.web.renders import WHOLE, Renders

TODAY = date(2026, 12, 3)


def code(seed: int, quote: bool = True, side: int = 48) -> str:
    """A tiny painting's code: milliseconds to render."""
    r = Recipe(seed=seed, layers=2, width=8, w=side, h=side, quote="generated" if quote else "none")
    return format_code(r)


@asynccontextmanager
async def site(renderer, tmp_path, *, gate=False, store=None, max_renders=16, queue_max=100,
               public_url="https://art.example.org", cache_bytes=64 << 20):  # fmt: skip
    inner = GatedRenderer(renderer)
    if gate:
        inner.close()
    settings = Settings(queue_max=queue_max)
    queue = create_queue(settings, pipeline=Pipeline(inner, Compositor(), FakeQuotes()))
    queue.limits = Limits(queue_max=queue_max)
    await queue.start()
    cache = await DiskCache.open(tmp_path / "cache", cache_bytes)
    renders = Renders(queue, cache, max_renders)
    app = create_app(Site(renders, store, public_url, today=lambda: TODAY))
    client = TestClient(TestServer(app))
    await client.start_server()
    client.gate, client.renders, client.queue = inner, renders, queue  # type: ignore[attr-defined]
    try:
        yield client
    finally:
        inner.open()
        await client.close()
        await queue.close()
        await cache.close()


def test_permalink_is_the_page_of_the_code_under_the_public_address():
    assert permalink("https://art.example.org/", "2-3zk8q2") == "https://art.example.org/p/2-3zk8q2"
    assert permalink("https://x.org/cppn", "1-k8-m0.5c0.1,-0.2") == (
        "https://x.org/cppn/p/1-k8-m0.5c0.1,-0.2"
    )
    assert permalink("", "2-3zk8q2") is None  # no public address: nothing to link to


async def test_a_painting_page_unfurls_with_its_picture_and_quote(renderer, tmp_path):
    c = code(7)
    async with site(renderer, tmp_path) as client:
        resp = await client.get(f"/p/{c}")
        html = await resp.text()
    assert resp.status == 200
    assert resp.headers["Content-Security-Policy"] == CSP
    assert "'unsafe-inline'" not in CSP and "script-src 'self'" in CSP
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"]
    og = dict(re.findall(r'<meta property="(og:[a-z:]+)" content="([^"]*)"', html))
    assert og["og:image"] == f"https://art.example.org/p/{c}.png"
    assert og["og:url"] == f"https://art.example.org/p/{c}"
    quote = FakeQuotes().generate(parse_code(c).quote_seed()).text
    assert quote in og["og:description"] and quote in html
    assert 'name="twitter:card" content="summary_large_image"' in html
    assert f'value="{c}"' in html and "data-copy" in html  # the code, with its copy button
    assert "<script>" not in html and " style=" not in html  # nothing inline: the CSP holds
    for link in (f"/p/{c}.png?size=2x", f"/p/{c}.png?size=4k", f"/p/{c}.webp", f"/p/{c}.jpg"):
        assert f'href="{link}"' in html
    bare = format_code(Recipe(seed=7, layers=2, width=8, w=48, h=48, quote="none"))
    assert f'href="/p/{bare}"' in html  # the same painting without its quote


async def test_the_picture_is_immutable_with_an_etag_and_304(renderer, tmp_path):
    c = code(8)
    async with site(renderer, tmp_path) as client:
        resp = await client.get(f"/p/{c}.png")
        data = await resp.read()
        again = await client.get(f"/p/{c}.png", headers={"If-None-Match": resp.headers["ETag"]})
        other = await client.get(f"/p/{c}.png", headers={"If-None-Match": '"nope"'})
        head = await client.head(f"/p/{c}.png")
    assert resp.status == 200 and resp.content_type == "image/png"
    assert resp.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert Image.open(io.BytesIO(data)).size == (48, 48)
    assert Image.open(io.BytesIO(data)).text["replay-code"] == c
    assert again.status == 304 and await again.read() == b""
    assert again.headers["ETag"] == resp.headers["ETag"]
    assert other.status == 200
    assert head.status == 200 and head.headers["ETag"] == resp.headers["ETag"]
    assert client.renders.painted == 1  # type: ignore[attr-defined]


async def test_webp_jpeg_and_the_bots_sizes(renderer, tmp_path):
    c = code(9, side=64)
    async with site(renderer, tmp_path) as client:
        webp = await client.get(f"/p/{c}.webp")
        jpg = await client.get(f"/p/{c}.jpg?size=2x")
        small = await client.get(f"/p/{c}.png?size=small")
        assert webp.content_type == "image/webp" and jpg.content_type == "image/jpeg"
        assert Image.open(io.BytesIO(await webp.read())).size == (64, 64)
        assert Image.open(io.BytesIO(await jpg.read())).size == (128, 128)
        assert Image.open(io.BytesIO(await small.read())).size == (320, 320)
        # the WebP came from the PNG painted for it: one render for both, another per size
        assert client.renders.painted == 3  # type: ignore[attr-defined]
        for bad in ("?size=8k", "?size=1024x1024", "?width=3", "?size=2x&x=1"):
            resp = await client.get(f"/p/{c}.png{bad}")
            assert resp.status == 400, bad
            assert "Traceback" not in await resp.text()


async def test_the_painting_has_its_animated_loop(renderer, tmp_path):
    import av

    c = code(4, quote=False, side=60)
    async with site(renderer, tmp_path) as client:
        page = await (await client.get(f"/p/{c}")).text()
        assert f'href="/p/{c}.mp4"' in page  # the page links to it
        resp = await client.get(f"/p/{c}.mp4?size=small")
        assert resp.status == 200 and resp.content_type == "video/mp4"
        assert resp.headers["Cache-Control"].endswith("immutable")
        with av.open(io.BytesIO(await resp.read())) as video:
            stream = video.streams.video[0]
            assert (stream.width, stream.height, stream.frames) == (320, 320, 96)
        again = await client.get(f"/p/{c}.mp4?size=small")
        assert (await again.read())[:8] and client.renders.painted == 2  # type: ignore[attr-defined]
        assert (await client.get(f"/p/{c}.mp4?size=4x")).status == 400


async def test_bad_codes_are_404_pages_that_say_why(renderer, tmp_path):
    async with site(renderer, tmp_path) as client:
        for path in ("/p/zzz", "/p/2-3zk8q2-s99999x2", "/p/9-abc.png", "/nothing/here"):
            resp = await client.get(path)
            html = await resp.text()
            assert resp.status == 404, path
            assert resp.content_type == "text/html"
            assert "Traceback" not in html
            assert resp.headers["Content-Security-Policy"] == CSP
        reason = re.search(r"<h1>(.*)</h1>", await (await client.get("/p/zzz")).text())
        assert reason and "not a replay code" in reason[1] and "\n" not in reason[1]
        resp = await client.post("/about")
        assert resp.status == 405


async def test_a_code_not_written_canonically_is_redirected(renderer, tmp_path):
    c = code(10)
    async with site(renderer, tmp_path) as client:
        page = await client.get(f"/p/{c.upper()}", allow_redirects=False)
        png = await client.get(f"/p/{c.upper()}.png?size=2x", allow_redirects=False)
        seed = await client.get("/p/42", allow_redirects=False)
    assert page.status == 301 and page.headers["Location"] == f"/p/{c}"
    assert png.status == 301 and png.headers["Location"] == f"/p/{c}.png?size=2x"
    assert seed.headers["Location"] == f"/p/{format_code(parse_code('42'))}"


async def test_concurrent_cold_requests_render_each_code_once(renderer, tmp_path):
    codes = [code(100 + i, side=32) for i in range(10)]
    async with site(renderer, tmp_path, gate=True) as client:
        paths = [f"/p/{codes[i % 10]}.png" for i in range(100)]
        asks = [asyncio.create_task(client.get(p)) for p in paths]
        queue = client.queue  # type: ignore[attr-defined]
        await until(lambda: queue.pending() == 10)  # every code in the queue, once
        client.gate.open()  # type: ignore[attr-defined]
        answers = await asyncio.gather(*asks)
        bodies = {p: await r.read() for p, r in zip(paths, answers, strict=True)}
        assert all(r.status == 200 for r in answers)
        assert len(set(bodies.values())) == 10
        painted = sorted(s for batch in client.gate.batches for s in batch)  # type: ignore[attr-defined]
    assert painted == list(range(100, 110))  # each seed rendered exactly once


async def test_past_the_sites_cap_a_503_with_retry_after(renderer, tmp_path):
    async with site(renderer, tmp_path, gate=True, max_renders=1) as client:
        first = asyncio.create_task(client.get(f"/p/{code(1)}.png"))
        await until(lambda: client.queue.pending() == 1)  # type: ignore[attr-defined]
        busy = await client.get(f"/p/{code(2)}.png")
        also = await client.get(f"/p/{code(3)}")
        same = asyncio.create_task(client.get(f"/p/{code(1)}.png"))  # joins the one in flight
        assert busy.status == 503 and int(busy.headers["Retry-After"]) > 0
        assert also.status == 503 and "Retry-After" in also.headers
        assert busy.headers["Cache-Control"] == "no-store"
        client.gate.open()  # type: ignore[attr-defined]
        assert (await first).status == 200 and (await same).status == 200


async def test_a_full_queue_is_a_503_not_a_pile_up(renderer, tmp_path):
    async with site(renderer, tmp_path, gate=True, queue_max=1) as client:
        first = asyncio.create_task(client.get(f"/p/{code(4)}.png"))
        await until(lambda: client.queue.pending() == 1)  # type: ignore[attr-defined]
        full = await client.get(f"/p/{code(5)}.png")
        assert full.status == 503 and "Retry-After" in full.headers
        assert "queue is full" in await full.text()
        client.gate.open()  # type: ignore[attr-defined]
        assert (await first).status == 200


async def test_a_visitor_who_leaves_does_not_stop_the_render(renderer, tmp_path):
    c = code(11)
    async with site(renderer, tmp_path, gate=True) as client:
        leaving = asyncio.create_task(client.get(f"/p/{c}.png"))
        await until(lambda: client.queue.pending() == 1)  # type: ignore[attr-defined]
        leaving.cancel()
        client.gate.open()  # type: ignore[attr-defined]
        await until(lambda: client.renders.painted == 1)  # type: ignore[attr-defined]
        resp = await client.get(f"/p/{c}.png")
        assert resp.status == 200
        assert client.renders.painted == 1  # type: ignore[attr-defined]


async def test_the_gallery_lists_the_pieces_of_the_day_newest_first(renderer, tmp_path):
    store = await Store.open(tmp_path / "bot.db")
    try:
        await store.claim_slot(1, "2026-10-01")
        await store.db.execute("UPDATE daily_slots SET status = 'posted'")
        await store.db.commit()
        async with site(renderer, tmp_path, store=store) as client:
            first = await (await client.get("/")).text()
            last = await client.get("/?page=6")
            oldest = await last.text()
            past = await client.get("/?page=7")
            bad = await client.get("/?page=two")
            extra = await client.get("/?p=1")
    finally:
        await store.close()
    days = re.findall(r'<time datetime="([0-9-]+)"', first)
    assert days[0] == "2026-12-03" and days[1] == "2026-12-02" and len(days) == 12
    assert f'href="/p/{format_code(daily_recipe(TODAY))}"' in first
    assert 'rel="next" href="/?page=2"' in first and "Page 1 of 6" in first  # 64 days since 1 Oct
    assert last.status == 200 and "2026-10-01" in oldest
    assert (past.status, bad.status, extra.status) == (404, 400, 400)
    assert 'id="paint-form"' in first and 'action="/paint"' in first


async def test_the_paint_form_leads_to_the_new_paintings_page(renderer, tmp_path):
    form = {"layers": "3", "width": "8", "seed": "77", "activation": "sin", "quote": "none",
            "size": "square", "voice": "any", "init": "normal", "colour": "rgb"}  # fmt: skip
    async with site(renderer, tmp_path) as client:
        resp = await client.post("/paint", data=form, allow_redirects=False)
        answers = [
            await client.post("/paint", data={**form, **change})
            for change in ({"layers": "99"}, {"width": "wide"}, {"text": "custom"})
        ]
        (wrong, wrong_text), (word, word_text), (stray, stray_text) = [
            (r, await r.text()) for r in answers
        ]
    want = paint_job(
        PaintOptions(layers=3, width=8, seed=77, activation="sin", quote="none"), WHOLE
    ).code
    assert resp.status == 303 and resp.headers["Location"] == f"/p/{want}"
    assert wrong.status == 400 and "layers=99 is not allowed" in wrong_text
    assert 'value="8"' in wrong_text  # the form comes back as it was filled in
    assert word.status == 400 and "width &#39;wide&#39; is not a whole number" in word_text
    assert stray.status == 400 and "unknown field" in stray_text


async def test_about_shows_the_experiments_as_paintings(renderer, tmp_path):
    async with site(renderer, tmp_path) as client:
        resp = await client.get("/about")
        html = await resp.text()
    assert resp.status == 200
    assert html.count('class="card"') == 24
    assert "grey goo" in html and "/p/" in html


async def test_a_failure_is_a_500_page_without_a_traceback(renderer, tmp_path):
    async with site(renderer, tmp_path) as client:

        async def broken(*args, **kwargs):
            raise RuntimeError("secret internals")

        client.renders.data = broken  # type: ignore[attr-defined]
        resp = await client.get(f"/p/{code(12)}.png")
        text = await resp.text()
    assert resp.status == 500
    assert "secret internals" not in text and "Traceback" not in text
    assert "on our side" in text


async def test_static_files_are_served_with_the_headers(renderer, tmp_path):
    async with site(renderer, tmp_path) as client:
        html = await (await client.get("/about")).text()
        css = re.search(r'href="(/static/site\.css\?v=[^"]+)"', html)[1]  # type: ignore[index]
        js = re.search(r'src="(/static/site\.js\?v=[^"]+)"', html)[1]  # type: ignore[index]
        resp = await client.get(css)
        sheet = await resp.text()
        script = await client.get(js)
        script_text = await script.text()
    assert resp.status == 200 and "prefers-color-scheme: dark" in sheet
    assert resp.headers["Cache-Control"].endswith("immutable")
    assert script.status == 200 and "clipboard" in script_text
    assert resp.headers["Content-Security-Policy"] == CSP


@pytest.mark.parametrize("url", ["ftp://x.org", "https://x.org/?a=1", "x.org", "https://"])
def test_a_public_url_must_be_an_http_address(url):
    from bot.errors import SettingsError

    with pytest.raises(SettingsError, match="web_public_url"):
        Settings(web_public_url=url)
