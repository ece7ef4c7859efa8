"""The UI in a real browser: Debian's chromium driven by Playwright for Python.

Skipped, with the reason, when Playwright or chromium is missing (``scripts/install-browser.sh``
installs chromium; Playwright's own browser download is never used). The server runs on
127.0.0.1 in a thread, over a synthetic database.

Screenshots go to the test's temporary folder; with ``DATELINE_SCREENSHOTS=docs/screenshots``
they are written there too (that is how the committed ones are made).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed")
playwright_sync = pytest.importorskip("playwright.sync_api", reason="playwright (Python) is not installed")

import uvicorn  # noqa: E402
import webdb  # noqa: E402

from dateline.web.app import create_app  # noqa: E402

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip


def chromium_path() -> str | None:
    for candidate in (os.environ.get("DATELINE_CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def fixture(tmp_path_factory):
    return webdb.build_database(tmp_path_factory.mktemp("browser") / "browser.duckdb", n_articles=120)


@pytest.fixture(scope="module")
def base_url(fixture):
    port = _free_port()
    config = uvicorn.Config(create_app(fixture.path), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    if path is None:
        pytest.skip("chromium is not installed: run scripts/install-browser.sh (Debian's chromium package)")
    with playwright_sync.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.dialogs = dialogs  # type: ignore[attr-defined]
    page.errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()


def _save(shot: bytes, name: str, tmp_path: Path) -> None:
    (tmp_path / name).write_bytes(shot)
    target = os.environ.get("DATELINE_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        (Path(target) / name).write_bytes(shot)


def test_article_view_highlights_and_links_events(page, base_url, fixture, tmp_path):
    page.goto(f"{base_url}/articles/{fixture.clustered}")
    assert page.locator("h1").inner_text() == "Japan and North Korea hold talks in Ulaanbaatar"
    trigger = page.locator("mark.hl-trigger", has_text="held talks with")
    assert trigger.count() == 1
    assert page.locator("mark.hl-actor", has_text="Japan").count() >= 1
    assert page.locator("mark.hl-place", has_text="Ulaanbaatar").count() == 1
    assert page.locator("mark.hl-time").count() >= 2
    assert page.locator(".event-card").count() == 2
    assert page.locator("#date-warning").count() == 0
    # app.js runs under the CSP: hovering an event card lights its trigger
    page.locator(".event-card").first.hover()
    assert "active" in (trigger.get_attribute("class") or "")
    assert page.errors == []  # type: ignore[attr-defined]
    _save(page.screenshot(full_page=True), "article.png", tmp_path)


def test_untrusted_date_warning_is_visible(page, base_url, fixture):
    page.goto(f"{base_url}/articles/{fixture.untrusted}")
    warning = page.locator("#date-warning")
    assert warning.is_visible()
    text = warning.inner_text()
    assert "not trusted" in text and "A related headline dates from June 2018" in text


def test_hostile_article_executes_nothing(page, base_url, fixture):
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    for path in (f"/articles/{fixture.hostile}", "/events", "/", "/articles?q=Hostile"):
        page.goto(base_url + path)
        page.wait_for_load_state("load")
        assert page.evaluate("() => typeof window.__xss") == "undefined", path
    page.goto(f"{base_url}/articles/{fixture.hostile}")
    # the payloads are there, as text
    assert '<script>window.__xss = 1; alert("xss")</script>' in page.locator("h1").inner_text()
    assert "onerror=" in page.locator("section.text").inner_text()
    assert page.locator("section.text img, section.text script, section.text svg").count() == 0
    assert page.dialogs == []  # type: ignore[attr-defined]
    assert page.errors == []  # type: ignore[attr-defined]
    # the javascript: source is not a link
    assert page.locator("a[href^='javascript']").count() == 0
    assert violations == []  # nothing even tried to run inline


def test_events_page_charts(page, base_url, tmp_path):
    page.goto(f"{base_url}/events")
    assert page.locator("svg.timeline rect").count() > 20
    assert page.locator("svg.map circle").count() >= 10
    assert page.locator("svg.network .node").count() >= 5
    # the base map is served by the app and drawn
    assert page.evaluate("() => fetch('/static/world.svg').then(r => r.status)") == 200
    page.locator("svg.timeline rect").first.hover()
    assert " events (" in page.locator("#timeline-readout").inner_text()
    _save(page.locator("#timeline").screenshot(), "timeline.png", tmp_path)
    _save(page.locator("#map").screenshot(), "map.png", tmp_path)
    _save(page.locator("#network").screenshot(), "network.png", tmp_path)
    assert page.errors == []  # type: ignore[attr-defined]


def test_clicking_an_actor_filters_the_events(page, base_url):
    page.goto(f"{base_url}/events")
    node = page.locator("svg.network .node").first
    name = node.get_attribute("data-name")
    node.click()
    page.wait_for_url("**/events?actor=*")
    assert page.locator("input[name=actor]").input_value() == name
    rows = page.locator("table.events tbody tr")
    assert rows.count() >= 1


def test_filter_form_round_trips(page, base_url):
    page.goto(f"{base_url}/events")
    page.fill("input[name=date_from]", "2018-06")
    page.select_option("select[name=aux]", "none")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**date_from=2018-06**")
    dates = page.locator("table.events tbody td.nowrap").all_inner_texts()
    assert dates and all(d >= "2018-06" for d in dates)
