"""Browser fixtures: the app on a live local server, driven in Debian's headless Chromium."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("HUE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# How long expect() waits for a page to change (Playwright's 5 s is short on a loaded 2-core
# machine); tests assert with expect() after anything that loads a page, never right away.
EXPECT_TIMEOUT_MS = 20_000
PHONE = {"width": 360, "height": 760}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make system-deps`")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def live_server(app):
    """Serve `app` on a free loopback port in a background thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


class PageProblems:
    """Console errors and CSP violations seen by a page: each test asserts there are none."""

    def __init__(self, page) -> None:
        self.messages: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.messages.append(f"pageerror: {error}"))

    def _console(self, message) -> None:
        # A fetch that fails because a test turned the network off is expected behaviour.
        if message.type == "error" and "ERR_INTERNET_DISCONNECTED" not in message.text:
            self.messages.append(message.text)


@pytest.fixture
def phone_page(browser):
    """A 360 px wide Vietnamese phone screen."""
    context = browser.new_context(viewport=PHONE, locale="vi-VN", device_scale_factor=1)
    page = context.new_page()
    page.problems = PageProblems(page)
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    """Save a screenshot under test-artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serious_accessibility_violations(page) -> list[str]:
    """Run axe-core on the page; return the serious and critical violations, described."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def small_touch_targets(page) -> list[str]:
    """Buttons, links and inputs smaller than 48 x 48 CSS px (inline text links excepted)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('button, a.button, input, select, textarea, .card-link, [role=button]')]
            .filter(el => el.offsetParent !== null && el.type !== 'hidden')
            .map(el => [el, el.getBoundingClientRect()])
            .filter(([el, box]) => (el.type === 'checkbox' ? box.width < 32 : (box.height < 48 || box.width < 48)))
            .map(([el, box]) => `${el.tagName.toLowerCase()}#${el.id || ''}.${el.className} ${Math.round(box.width)}x${Math.round(box.height)}`)"""
    )


def horizontal_overflow(page) -> int:
    """How many CSS px the page is wider than the screen (0: no sideways scrolling)."""
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"
    )
