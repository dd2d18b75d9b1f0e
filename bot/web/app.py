"""The site's routes: aiohttp handlers over the render queue (through Renders) and the store.

    GET  /                      the pieces of the day, newest first (?page=N), and the paint form
    POST /paint                 the form's painting: 303 to its page (400 and the form if bad)
    GET  /about                 what a CPPN is, the article's experiments, how codes work
    GET  /p/{code}              a painting's page (OpenGraph and Twitter-card tags for unfurling)
    GET  /p/{code}.png|webp|jpg the picture (?size= one of the bot's sizes), immutable, with ETag
    GET  /static/…              the stylesheet, the copy button's script, the icon

A code that can be read but is not written canonically (capitals, a bare seed) is redirected to
its canonical address, so each picture has one URL and one cache entry. Every response carries a
Content-Security-Policy with no inline script or style, nosniff and a Referrer-Policy.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import quote

import jinja2
from aiohttp import web

from bot.art.code import EXAMPLE, format_code, parse_code
from bot.art.recipe import Recipe
from bot.describe import describe_recipe
from bot.errors import BotError, CodeError, UserError
from bot.experiments import series_recipes
from bot.forms import DEFAULT_ANIMATION_SIZE, animation_sized
from bot.store import Store
from bot.web import gallery, paintform
from bot.web.links import ANIMATION, FORMATS, picture_path
from bot.web.renders import WHOLE, Busy, Renders
from bot.web.sizes import SIZES, THUMBNAIL, sized

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
PAGE_WAIT_S = 20.0  # a page waits this long for its picture, then says "painting" and refreshes
GALLERY_WAIT_S = 8.0  # the gallery waits this long for its thumbnails (their quotes)
REFRESH_S = 3
IMMUTABLE = "public, max-age=31536000, immutable"  # a code never changes its picture
PAGE_CACHE = "public, max-age=600"
CSP = (
    "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
EXPERIMENT_SEED, EXPERIMENT_CELL = 1, 256


class Problem(Exception):
    """A request that cannot be answered as asked: shown as a page with one line saying why."""

    def __init__(self, status: int, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.retry_after = status, message, retry_after


class Site:
    """What the handlers share, passed in: the renders, the store, the public address."""

    def __init__(
        self,
        renders: Renders,
        store: Store | None,
        public_url: str = "",
        today=lambda: datetime.now(UTC).date(),
    ) -> None:
        self.renders, self.store, self.public_url, self.today = renders, store, public_url, today
        self.templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.templates.globals.update(picture_path=picture_path, page_path=page_path)

    def base(self, request: web.Request) -> str:
        """Absolute addresses start here: the public URL if set, else what the request used."""
        return self.public_url.rstrip("/") or f"{request.scheme}://{request.host}"

    def html(self, request: web.Request, name: str, http: int = 200, **context) -> web.Response:
        static = request.app.router["static"]
        context.update(
            css=static.url_for(filename="site.css", append_version=True),
            js=static.url_for(filename="site.js", append_version=True),
            icon=static.url_for(filename="icon.svg", append_version=True),
            base=self.base(request),
            path=request.path,
        )
        text = self.templates.get_template(name).render(**context)
        return web.Response(text=text, status=http, content_type="text/html", charset="utf-8")


SITE = web.AppKey("site", Site)


def page_path(code: str) -> str:
    return f"/p/{quote(code, safe=',.-')}"


def create_app(site: Site) -> web.Application:
    app = web.Application(middlewares=[_problems], client_max_size=64 * 1024)
    app[SITE] = site
    app.router.add_get("/", gallery_page)
    app.router.add_post("/paint", paint)
    app.router.add_get("/about", about)
    app.router.add_get("/p/{name}", painting)
    app.router.add_static("/static", HERE / "static", name="static")
    app.on_response_prepare.append(_security_headers)
    return app


async def _security_headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.update(SECURITY_HEADERS)
    if request.path.startswith("/static/") and response.status in (200, 304):
        versioned = "v" in request.query
        response.headers["Cache-Control"] = IMMUTABLE if versioned else "public, max-age=3600"


@web.middleware
async def _problems(request: web.Request, handler) -> web.StreamResponse:
    """Every failure is a page with one line saying why; never a traceback."""
    site = request.app[SITE]
    try:
        return await handler(request)
    except Problem as p:
        response = site.html(request, "error.html", p.status, status=p.status, message=p.message)
        if p.retry_after is not None:
            response.headers["Retry-After"] = str(p.retry_after)
        if p.status >= 500:
            response.headers["Cache-Control"] = "no-store"
        return response
    except web.HTTPException as e:
        if e.status < 400:
            raise
        message = {404: "There is nothing at this address.", 405: "Not with that method."}.get(
            e.status, e.reason
        )
        response = site.html(request, "error.html", e.status, status=e.status, message=message)
        if e.status == 405 and "Allow" in e.headers:
            response.headers["Allow"] = e.headers["Allow"]
        return response
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("web: %s %s failed", request.method, request.path_qs)
        message = "Something went wrong on our side; it has been logged."
        return site.html(request, "error.html", 500, status=500, message=message)


def _only(request: web.Request, *allowed: str) -> None:
    unknown = sorted(set(request.query) - set(allowed))
    if unknown:
        can = f"; this address takes {', '.join(allowed)}" if allowed else ""
        raise Problem(400, f"Unknown parameter {unknown[0]!r}{can}.")


def _recipe(text: str) -> Recipe:
    try:
        return parse_code(text)
    except CodeError as e:
        raise Problem(404, f"No painting here: {e}.") from None


# --- a painting ----------------------------------------------------------------------------------
async def painting(request: web.Request) -> web.StreamResponse:
    name = request.match_info["name"]
    stem, dot, ext = name.rpartition(".")
    if dot and (ext.lower() in FORMATS or ext.lower() == ANIMATION):
        return await picture(request, stem, ext.lower())
    return await painting_page(request, name)


def _canonical(request: web.Request, text: str, recipe: Recipe, ext: str = "") -> None:
    code = format_code(recipe)
    if text != code:
        target = page_path(code) + (f".{ext}" if ext else "")
        raise web.HTTPMovedPermanently(target + (f"?{request.query_string}" * bool(request.query)))


async def picture(request: web.Request, text: str, ext: str) -> web.StreamResponse:
    _only(request, "size")
    recipe = _recipe(text)
    _canonical(request, text, recipe, ext)
    size = request.query.get("size")
    if ext == ANIMATION and size is None:
        size = DEFAULT_ANIMATION_SIZE  # a loop as the Animate button makes it, not at 4K
    try:
        wanted = sized(recipe, size)
    except UserError as e:
        raise Problem(400, f"{e}.") from None
    renders = request.app[SITE].renders
    entry, data = await _painted(renders, wanted, ext)
    headers = {"ETag": entry.etag, "Cache-Control": IMMUTABLE}
    if entry.etag in _etags(request.headers.get("If-None-Match", "")):
        return web.Response(status=304, headers=headers)
    headers["Content-Disposition"] = f'inline; filename="{format_code(wanted)}.{ext}"'
    return web.Response(body=data, content_type=entry.mime, headers=headers)


def _etags(header: str) -> set[str]:
    return {t.strip().removeprefix("W/") for t in header.split(",") if t.strip()}


async def _painted(renders: Renders, recipe: Recipe, ext: str):
    try:
        return await renders.data(recipe, ext)
    except Busy as e:
        raise Problem(503, f"Busy painting: {e}. Try again shortly.", e.retry_after) from None
    except UserError as e:  # the job's own limit (its time, its size)
        raise Problem(422, f"This painting cannot be made here: {e}.") from None
    except BotError as e:
        raise Problem(500, f"The painting failed: {e}.") from None


async def painting_page(request: web.Request, text: str) -> web.Response:
    _only(request)
    recipe = _recipe(text)
    _canonical(request, text, recipe)
    site = request.app[SITE]
    meta = None
    try:
        entry = await asyncio.wait_for(site.renders.picture(recipe, "png"), PAGE_WAIT_S)
        meta = entry.meta
    except TimeoutError:
        pass  # still painting: the page says so and comes back
    except Busy as e:
        raise Problem(503, f"Busy painting: {e}. Try again shortly.", e.retry_after) from None
    except UserError as e:
        raise Problem(422, f"This painting cannot be made here: {e}.") from None
    except BotError as e:
        raise Problem(500, f"The painting failed: {e}.") from None
    code = format_code(recipe)
    response = site.html(
        request, "painting.html", code=code, recipe=recipe, meta=meta,
        words=describe_recipe(recipe), links=_variants(recipe), refresh=REFRESH_S,
        og_image=_og_image(recipe),
    )  # fmt: skip
    response.headers["Cache-Control"] = PAGE_CACHE if meta else "no-store"
    if meta is None:
        response.headers["Refresh"] = str(REFRESH_S)
    return response


def _og_image(recipe: Recipe) -> str:
    """The unfurl's picture: the PNG as coded, or at `hd` when it is larger than that."""
    return picture_path(
        format_code(recipe), "png", "hd" if max(recipe.w, recipe.h) > 2048 else None
    )


def _variants(r: Recipe) -> list[tuple[str, str]]:
    """The same painting otherwise: bigger, as other files, without its quote."""
    code = format_code(r)
    links = [(f"PNG {r.w}×{r.h}", picture_path(code, "png"))]
    for size in ("2x", "4k"):
        big = sized(r, size)
        if max(big.w, big.h) > max(r.w, r.h):
            name = {"2x": "2×", "4k": "4K"}[size]
            links.append((f"{name} PNG {big.w}×{big.h}", picture_path(code, "png", size)))
    links += [("WebP", picture_path(code, "webp")), ("JPEG", picture_path(code, "jpg"))]
    loop = animation_sized(r)
    links.append((f"Animated loop, MP4 {loop.w}×{loop.h}, 4 s", picture_path(code, ANIMATION)))
    if r.quote != "none":
        bare = replace(r, quote="none", signature=False, quote_variant=0, voice="any")
        links.append(("Without the quote", page_path(format_code(bare))))
    return links


# --- the gallery and the form ------------------------------------------------------------------
async def gallery_page(request: web.Request) -> web.Response:
    _only(request, "page")
    site = request.app[SITE]
    try:
        number = int(request.query.get("page", "1"))
    except ValueError:
        raise Problem(400, "page must be a whole number.") from None
    page = gallery.gallery_page(site.today(), await gallery.posted_span(site.store), number)
    if page is None:
        raise Problem(404, f"There is no page {number} of the gallery.")
    quotes = await _thumbnails(site.renders, [d.recipe for d in page.days])
    response = site.html(
        request, "gallery.html", page=page, quotes=quotes, thumb=THUMBNAIL, today=site.today(),
        form=paintform.choices(), ranges={**paintform.INTS, **paintform.FLOATS}, values={},
        error=None, day_label=_day_label,
    )  # fmt: skip
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


async def _thumbnails(renders: Renders, recipes: list[Recipe]) -> dict[str, dict]:
    """Paint the page's thumbnails (bounded wait) and return what they say: code -> meta."""

    async def one(r: Recipe):
        try:
            return format_code(r), (await renders.picture(sized(r, THUMBNAIL), "png")).meta
        except BotError:
            return format_code(r), {}

    tasks = [asyncio.ensure_future(one(r)) for r in recipes]
    done, pending = await asyncio.wait(tasks, timeout=GALLERY_WAIT_S)
    for t in pending:
        t.cancel()  # the renders go on (shielded); only this wait stops
    return dict(t.result() for t in done)


def _day_label(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


async def paint(request: web.Request) -> web.Response:
    site = request.app[SITE]
    form = await request.post()
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    try:
        # A seed nobody chose is re-drawn past dull pictures (small previews): off the loop.
        spec = await asyncio.to_thread(paintform.paint_spec, values, WHOLE)
    except UserError as e:
        return site.html(
            request, "paint.html", 400, error=str(e), values=values, form=paintform.choices(),
            ranges={**paintform.INTS, **paintform.FLOATS},
        )  # fmt: skip
    raise web.HTTPSeeOther(page_path(spec.code))


# --- about ---------------------------------------------------------------------------------
async def about(request: web.Request) -> web.Response:
    _only(request)
    site = request.app[SITE]
    rows = [
        (title, [(caption, format_code(r)) for caption, r in cells])
        for title, cells in series_recipes(EXPERIMENT_SEED, EXPERIMENT_CELL)
    ]
    response = site.html(request, "about.html", rows=rows, example=EXAMPLE, sizes=SIZES)
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
