"""The web application: the REST API under `/api/`, the pages at `/`, static assets under `/static/`.

    app = create_app("data/demo.db")          # an ASGI app; binds nothing itself
    serve(app, "127.0.0.1", 8000)             # what `letopis serve` runs

Read-only unless the app is given a token: the endpoints that write (`writes.py`: corrections, the upload of an
article) all depend on `deps.require_token` and answer 403 without one. `load_token` reads it from a file or the
environment, never from the command line (which every user of the machine can see in `ps`). Every answer carries
security headers, among them a Content-Security-Policy that allows no inline script and no resource from another
origin.
"""
from __future__ import annotations

import importlib.util
import os
import stat
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..errors import LetopisError
from . import api, writes
from .deps import prepare

STATIC = Path(__file__).with_name("static")

CSP = "; ".join((
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
    "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
))
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


class SecurityHeaders:
    """ASGI middleware adding `SECURITY_HEADERS` to every HTTP answer (404s and errors included) unless the
    endpoint set one itself."""

    def __init__(self, app: ASGIApp, headers: dict[str, str] = SECURITY_HEADERS):
        self.app = app
        self.headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", ())}
                message["headers"] = [*message.get("headers", ()),
                                      *((k, v) for k, v in self.headers if k not in present)]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(db: str, token: str | None = None, hosts: list[str] | None = None) -> FastAPI:
    """The app over the letopis database `db` (which must exist). `token` switches on the endpoints that write
    (corrections, uploads) for requests that carry it. `hosts`: the only Host headers answered (None: any), see
    `local_hosts`."""
    app = FastAPI(title="letopis", version=__version__,
                  description="A sourced chronicle from Russian-language news: events, figures with claimants, "
                              "statements, each tied to its words. JSON; spans are [start, stop) offsets into the "
                              "article's text. The endpoints that write need `Authorization: Bearer TOKEN` and are "
                              "off (403) unless the server was started with a token.",
                  openapi_url="/api/openapi.json", docs_url=None, redoc_url=None)   # the docs UIs load CDN scripts
    app.state.db = prepare(db)
    app.state.token = token or None
    app.include_router(api.router, prefix="/api")
    app.include_router(writes.router, prefix="/api")
    writes.setup(app)
    if importlib.util.find_spec(f"{__package__}.pages") is not None:   # the HTML pages, once they exist
        from .pages import router as pages_router
        app.include_router(pages_router)
    if STATIC.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC), name="static")
    if hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=hosts)
    app.add_middleware(SecurityHeaders)
    return app


class TokenError(LetopisError):
    """A token file that cannot be used (missing, empty, too short, readable by other users)."""


TOKEN_ENV = "LETOPIS_TOKEN"
MIN_TOKEN = 16


def load_token(token_file: str | None = None, environ: dict | None = None) -> tuple[str | None, str]:
    """The write token and where it came from: the first line of `token_file`, else the environment variable
    LETOPIS_TOKEN, else (None, "off"). A token file must be readable by its owner only (chmod 600), and a token
    must have at least MIN_TOKEN characters (`python -c "import secrets; print(secrets.token_urlsafe(32))"`)."""
    environ = os.environ if environ is None else environ
    if token_file:
        path = Path(token_file)
        try:
            mode = path.stat().st_mode
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise TokenError(f"cannot read the token file {token_file}: {getattr(e, 'strerror', None) or e}") from None
        if not stat.S_ISREG(mode):
            raise TokenError(f"the token file {token_file} is not a regular file")
        if mode & 0o077:
            raise TokenError(f"the token file {token_file} can be read by other users: chmod 600 {token_file}")
        token, where = (text.splitlines() or [""])[0].strip(), f"the file {token_file}"
    elif environ.get(TOKEN_ENV):
        token, where = environ[TOKEN_ENV].strip(), f"${TOKEN_ENV}"
    else:
        return None, "off"
    if len(token) < MIN_TOKEN or any(c.isspace() for c in token):
        raise TokenError(f"the token from {where} must be one word of at least {MIN_TOKEN} characters; make one with "
                         "python -c \"import secrets; print(secrets.token_urlsafe(32))\"")
    return token, where


def local_hosts(host: str) -> list[str] | None:
    """The Host headers to answer when bound to `host`: on loopback only the loopback names, so that a web page
    elsewhere cannot read the API through a DNS name rebound to 127.0.0.1; bound elsewhere, any."""
    if host in ("localhost", "::1") or host.startswith("127."):
        return ["localhost", "127.0.0.1", host, "::1", "[::1]"]
    return None


def url(host: str, port: int) -> str:
    """The address a browser opens: `http://127.0.0.1:8000/` (an IPv6 host in brackets)."""
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def serve(app: FastAPI, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run `app` with uvicorn until interrupted. Loopback unless another host is given on purpose."""
    import uvicorn

    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False, proxy_headers=False)
