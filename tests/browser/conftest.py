"""Browser tests: `letopis serve` over the example articles, driven by Playwright in Debian's chromium.

The browser is the system's (`/usr/bin/chromium`, installed by `make browsers` with apt); Playwright never
downloads one. Every request the page makes goes through a route handler: anything not addressed to this
machine's loopback is aborted and fails the test, and so does any console error (a CSP violation is one).
Screenshots go to tests/browser/screenshots/ (ignored by git).
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is a test extra: pip install -e '.[test]'")

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SHOTS = Path(__file__).with_name("screenshots")
CHROMIUM = os.environ.get("LETOPIS_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-dev-shm-usage"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
LAPTOP = {"width": 1366, "height": 860}
PHONE = {"width": 390, "height": 844}


def _letopis() -> str:
    exe = Path(sys.executable).with_name("letopis")
    return str(exe) if exe.exists() else shutil.which("letopis") or "letopis"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`letopis serve --db DB` on a free loopback port, for the session."""

    def __init__(self, db: Path, log: Path, args: tuple[str, ...] = ()):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log.open("w")
        self.proc = subprocess.Popen([_letopis(), "serve", "--db", str(db), "--port", str(self.port), *args],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(self.url + "/static/app.css", timeout=2):
                    break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"letopis serve did not start: see {log}")
                time.sleep(0.3)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


def _ingest(paths: list[Path], db: Path) -> None:
    done = subprocess.run([_letopis(), "ingest", *map(str, paths), "--db", str(db)], capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr           # 1: some input was rejected, the rest is stored


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> Server:
    folder = tmp_path_factory.mktemp("demo")
    _ingest([EXAMPLES], folder / "demo.db")
    server = Server(folder / "demo.db", folder / "serve.log")
    yield server
    server.stop()


PAYLOAD = """Протест в Шахтинске <script>window.__pwned=1</script>

5 марта 2023 года в Шахтинске полиция задержала 12 человек <script>window.__pwned=1</script>, сообщили в МВД Казахстана.
По данным правозащитников <img src=x onerror="window.__pwned=2">, погибли не менее 5 человек.
«Мы не уйдем <b onmouseover="window.__pwned=3">отсюда</b>», — заявил лидер стачкома <svg onload="window.__pwned=4"> Ерлан Жумабаев 5 марта.
"""


# researchers' notes with payloads, posted through the API as corrections of the article's first event and claim
NOTES = {"event": '<script>window.__pwned=5</script>не акция, а <img src=x onerror="window.__pwned=6">пикет',
         "claim": '<svg onload="window.__pwned=7"></svg>число из <a href="javascript:window.__pwned=8">МВД</a>'}
TOKEN = "browser-test-token-0123456789"


def _post(server: Server, path: str, body: dict) -> dict:
    request = urllib.request.Request(server.url + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as r:
        return json.load(r)


def _get(server: Server, path: str) -> dict:
    with urllib.request.urlopen(server.url + path, timeout=30) as r:
        return json.load(r)


@pytest.fixture(scope="session")
def hostile(tmp_path_factory) -> Server:
    """A server over one article whose title and text carry script payloads, and corrections whose notes do."""
    folder = tmp_path_factory.mktemp("payload")
    (folder / "in").mkdir()
    (folder / "in" / "payload.txt").write_text(PAYLOAD, encoding="utf-8")
    _ingest([folder / "in"], folder / "payload.db")
    token = folder / "token"
    token.write_text(TOKEN)
    token.chmod(0o600)
    server = Server(folder / "payload.db", folder / "serve.log", ("--token-file", str(token)))
    claim = _get(server, "/api/figures?limit=1")["items"][0]
    server.corrected_event, server.notes = claim["event"], NOTES
    for target, target_id, kind in (("event", claim["event"], "wrong"), ("claim", claim["id"], "note")):
        _post(server, "/api/corrections", {"target": target, "id": target_id, "kind": kind, "note": NOTES[target],
                                           "author": '<b onmouseover="window.__pwned=9">Исследователь</b>'})
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no chromium at {CHROMIUM}: run `make browsers` (apt-get install chromium)")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


class Watch:
    """What a page did that a test must not allow: requests off this machine, console errors, page errors."""

    def __init__(self):
        self.outside: list[str] = []
        self.errors: list[str] = []

    def route(self, route) -> None:
        host = urlsplit(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def check(self) -> None:
        assert not self.outside, f"requests to other hosts: {self.outside}"
        assert not self.errors, f"errors in the page: {self.errors}"


def _page(browser, viewport: dict):
    watch = Watch()
    context = browser.new_context(viewport=viewport, locale="ru-RU", service_workers="block")
    context.route("**/*", watch.route)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and watch.errors.append(m.text))
    page.on("pageerror", lambda e: watch.errors.append(str(e)))
    page.set_default_timeout(15000)
    return context, page, watch


@pytest.fixture
def page(browser):
    context, page, watch = _page(browser, LAPTOP)
    page.watch = watch
    yield page
    context.close()
    watch.check()


@pytest.fixture
def phone(browser):
    context, page, watch = _page(browser, PHONE)
    page.watch = watch
    yield page
    context.close()
    watch.check()


@pytest.fixture(scope="session")
def shots() -> Path:
    SHOTS.mkdir(exist_ok=True)
    return SHOTS
