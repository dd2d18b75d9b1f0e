"""The web site in a real browser: Debian's chromium driven by chromium-driver (selenium).

It opens the gallery and a painting's page and checks their pictures loaded (naturalWidth > 0),
that the copy button puts the code on the clipboard (or leaves it selected for Ctrl+C), that the
paint form leads to a new painting's page, that nothing breaks the Content-Security-Policy (the
console stays clean), and takes screenshots, light and dark, wide and phone-sized (into
$CPPN_WEB_SCREENSHOTS when set, else the test's temporary folder). .ci/run installs chromium and
sets CPPN_REQUIRE_BROWSER=1, so there the test fails rather than skips if the browser is missing.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_jobs_support import FakeQuotes

from bot.art.code import format_code
from bot.art.recipe import Recipe
from bot.art.render import Renderer
from bot.compose import Compositor
from bot.jobs import create_queue
from bot.pipeline import Pipeline
from bot.settings import Settings
from bot.web.server import WebServer

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
WAIT_S = 60.0
LOADED = "return [...document.images].every(i => i.complete && i.naturalWidth > 0)"


def _need_browser() -> None:
    if CHROMIUM and DRIVER:
        return
    why = "Debian's chromium and chromium-driver are not installed (apt-get install chromium " \
        "chromium-driver)"  # fmt: skip
    if os.environ.get("CPPN_REQUIRE_BROWSER"):
        pytest.fail(why)
    pytest.skip(why)


class SiteThread:
    """The site on its own event loop in a thread (selenium's calls block)."""

    def __init__(self, cache_dir: Path) -> None:
        self.settings = Settings(web_port=0, web_cache_dir=str(cache_dir), queue_max=200)
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def start(self) -> str:
        self.thread.start()
        port = asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(WAIT_S)
        return f"http://127.0.0.1:{port}"

    async def _start(self) -> int:
        pipeline = Pipeline(Renderer.create("cpu"), Compositor(), FakeQuotes())
        self.queue = create_queue(self.settings, pipeline=pipeline)
        await self.queue.start()
        self.server = WebServer(self.settings, self.queue, None)
        return await self.server.start()

    def stop(self) -> None:
        async def close() -> None:
            await self.server.close()
            await self.queue.close()

        asyncio.run_coroutine_threadsafe(close(), self.loop).result(WAIT_S)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(WAIT_S)


@pytest.fixture(scope="module")
def browser(tmp_path_factory) -> Iterator[tuple]:
    _need_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    site = SiteThread(tmp_path_factory.mktemp("web-cache"))
    base = site.start()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM  # type: ignore[assignment]
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--hide-scrollbars", "--lang=en-GB"):  # fmt: skip
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    driver.set_page_load_timeout(WAIT_S)
    driver.execute_cdp_cmd(
        "Browser.grantPermissions",
        {"origin": base, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]},
    )
    shots = Path(os.environ.get("CPPN_WEB_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    shots.mkdir(parents=True, exist_ok=True)
    try:
        yield driver, base, shots
    finally:
        driver.quit()
        site.stop()


def _wait(driver, script: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, WAIT_S, poll_frequency=0.1).until(lambda d: d.execute_script(script))


def _shot(driver, shots: Path, name: str, width: int = 1280, dark: bool = False) -> Path:
    """A full-page screenshot at `width` (the page's own height), light or dark."""
    scheme = "dark" if dark else "light"
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": scheme}]},
    )
    driver.set_window_size(width, 900)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(int(height) + 20, 4000))
    _wait(driver, LOADED)
    path = shots / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def _console_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_the_gallery_shows_its_pictures(browser):
    driver, base, shots = browser
    driver.get(base + "/")
    _wait(driver, LOADED)
    cards = driver.find_elements("css selector", ".grid .card img")
    assert len(cards) == 12
    assert all(img.get_property("naturalWidth") > 0 for img in cards)
    assert all(img.get_attribute("alt") for img in cards)
    assert _shot(driver, shots, "gallery").stat().st_size > 10_000
    assert _shot(driver, shots, "gallery-phone", width=390).stat().st_size > 10_000
    assert _console_errors(driver) == []


def test_a_painting_page_and_its_copy_button(browser):
    driver, base, shots = browser
    code = format_code(Recipe(seed=20240917, layers=12, width=24, w=640, h=360))
    driver.get(f"{base}/p/{code}")
    _wait(driver, LOADED)
    art = driver.find_element("css selector", "img.art")
    assert art.get_property("naturalWidth") == 640
    og = driver.find_element("css selector", 'meta[property="og:image"]').get_attribute("content")
    assert og == f"{base}/p/{code}.png"
    driver.find_element("css selector", "button[data-copy]").click()
    _wait(driver, "return document.getElementById('copy-status').textContent.length > 0")
    status = driver.find_element("id", "copy-status").text
    if status.startswith("Copied"):
        pasted = driver.execute_async_script(
            "const done = arguments[0]; navigator.clipboard.readText().then(done, e => done(''))"
        )
        assert pasted == code
    else:  # the browser would not let the page write the clipboard: the code is selected
        selected = driver.execute_script(
            "const f = document.getElementById('code');"
            "return f.value.substring(f.selectionStart, f.selectionEnd)"
        )
        assert selected == code
    _shot(driver, shots, "painting")
    _shot(driver, shots, "painting-dark", dark=True)
    _shot(driver, shots, "painting-phone", width=390)
    assert _console_errors(driver) == []


def test_the_paint_form_leads_to_a_new_painting(browser):
    from selenium.webdriver.support.ui import Select

    driver, base, shots = browser
    driver.get(base + "/")
    form = driver.find_element("id", "paint-form")
    form.find_element("name", "layers").send_keys("4")
    form.find_element("name", "width").send_keys("12")
    form.find_element("name", "seed").send_keys("4242")
    Select(form.find_element("name", "activation")).select_by_value("sin")
    Select(form.find_element("name", "size")).select_by_value("landscape")
    form.find_element("css selector", "button[type=submit]").click()
    _wait(
        driver, "return location.pathname.startsWith('/p/') && !!document.querySelector('img.art')"
    )
    _wait(driver, LOADED)
    code = driver.find_element("id", "code").get_attribute("value")
    assert code.startswith("2-") and "d4w12as" in code and code.endswith("s1280x720")
    assert driver.current_url == f"{base}/p/{code}"
    _shot(driver, shots, "painted")
    driver.get(base + "/")
    driver.find_element("name", "layers").send_keys("99")
    driver.find_element("css selector", "#paint-form button[type=submit]").click()
    # The form carries /paint's limits: the browser itself says 99 layers is too many (the
    # server's 400 for a form sent anyway is tests/test_web.py's).
    assert driver.execute_script(
        "return document.querySelector('[name=layers]').validity.rangeOverflow"
    )
    assert driver.execute_script("return location.pathname") == "/"
    assert _console_errors(driver) == []


def test_about_and_a_missing_painting(browser):
    driver, base, shots = browser
    driver.get(base + "/about")
    _shot(driver, shots, "about")  # the whole page in view: its lazy images all load
    cells = driver.find_elements("css selector", ".grid img")
    assert len(cells) == 24 and all(img.get_property("naturalWidth") == 256 for img in cells)
    driver.get(base + "/p/not-a-code")
    assert "not a replay code" in driver.find_element("tag name", "h1").text
    _shot(driver, shots, "not-found")
    console = _console_errors(driver)
    assert all("404" in line for line in console), console  # the page's own status, nothing else
