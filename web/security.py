"""Browser sessions, CSRF and the security headers of every response.

A session is a random id in an HttpOnly, SameSite=Strict cookie; the server keeps, per
session, the CSRF token every form carries in a hidden field and the consultation's own
state (answers to go back over, questions passed). One local process: kept in memory.

Served on an address other than loopback, every request must carry the access token printed
at start (the favicon alone excepted): in the address once (``?token=``, then kept in an
HttpOnly cookie and dropped from the address), in that cookie, or as ``Authorization: Bearer``.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import threading
import urllib.parse
from collections import OrderedDict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

from starlette.requests import ClientDisconnect

from tahaluf.asking import Passage
from tahaluf.web import frontdoor

SESSION_COOKIE = "tahaluf_session"
LANG_COOKIE = "tahaluf_lang"  # the interface language, set by the app's /lang/ pages
TOKEN_COOKIE = "tahaluf_token"
TOKEN_PARAM = "token"
# The one file a browser fetches by itself before the user can give the token.
TOKEN_FREE_PATHS = frozenset({"/static/favicon.svg"})
REFUSED_BODY = ("401: this server needs its access token (printed when it started): open the address it printed.\n"
                "401: يحتاج هذا الخادم إلى رمز الدخول الذي طُبع عند تشغيله: افتحوا العنوان الذي طبعه.\n").encode()
MAX_SESSIONS = 1000
MAX_FORM_BYTES = 64 * 1024
# Nothing from another origin, no inline script or style, no framing, forms post only here.
CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self'; "
                           "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    # Never a referrer to another site; to this one, so that its forms' POSTs carry their real
    # Origin (under no-referrer a browser sends "Origin: null", which the front door cannot tell apart).
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


@dataclass
class FileState(Passage):
    """One assessment's consultation in one browser session: the passage through its questions (the
    questions passed, the answers to go back over: asking.Passage, as the terminal keeps them)."""

    # What the last question page showed open (progress.Before), and whether an answer was written since:
    # the next page says how many questions that answer opened.
    before: Any = None
    answered: bool = False


@dataclass
class Session:
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    files: dict[str, FileState] = field(default_factory=dict)
    screenings: set[str] = field(default_factory=set)  # the screening jobs this session started

    def file(self, name: str) -> FileState:
        return self.files.setdefault(name, FileState())

    def csrf_ok(self, token: object) -> bool:
        return isinstance(token, str) and hmac.compare_digest(token.encode(), self.csrf.encode())


class Sessions:
    def __init__(self) -> None:
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, ident: str | None) -> tuple[str, Session, bool]:
        """(id, session, new): the session of this id, or a new one."""
        with self._lock:
            if ident and ident in self._sessions:
                self._sessions.move_to_end(ident)
                return ident, self._sessions[ident], False
            ident = secrets.token_urlsafe(32)
            self._sessions[ident] = Session()
            while len(self._sessions) > MAX_SESSIONS:
                self._sessions.popitem(last=False)
            return ident, self._sessions[ident], True


def is_loopback(host: str) -> bool:
    """Whether ``host`` is an address of this machine only (no access token needed there)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _same(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode("utf-8", "replace"), token.encode())


async def _send_plain(send, status: int, body: bytes, extra: list | None = None) -> None:
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers + HEADERS + (extra or [])})
    await send({"type": "http.response.body", "body": body})


class SecurityMiddleware:
    """Attach the session to each HTTP request (``scope['state']['session']``), set its cookie
    when new, and add the security headers to every response; with a ``token``, refuse (401)
    every request that does not carry it. Before all that, the front door (frontdoor.py): with
    ``hosts``, only requests addressed to one of them; a changing request only from this origin."""

    def __init__(self, app, sessions: Sessions, token: str | None = None, hosts: frozenset[str] | None = None):
        self.app, self.sessions, self.token, self.hosts = app, sessions, token, hosts

    async def _token_gate(self, scope, send, cookie: SimpleCookie) -> bool:
        """True when the request may go on; otherwise the answer (401, or a redirect) is sent."""
        if self.token is None or scope.get("path") in TOKEN_FREE_PATHS:
            return True
        sent = cookie.get(TOKEN_COOKIE)
        if sent is not None and _same(sent.value, self.token):
            return True
        for name, value in scope.get("headers", []):
            if (name == b"authorization" and value[:7].lower() == b"bearer "
                    and _same(value[7:].decode("latin-1").strip(), self.token)):
                return True
        query = urllib.parse.parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        given = [value for key, value in query if key == TOKEN_PARAM]
        if given and scope.get("method") == "GET" and _same(given[-1], self.token):
            # Keep it in a cookie and drop it from the address (history, bookmarks, screenshots).
            rest = urllib.parse.urlencode([(key, value) for key, value in query if key != TOKEN_PARAM])
            target = urllib.parse.quote(scope.get("path", "/")) + ("?" + rest if rest else "")
            await _send_plain(send, 303, b"", [
                (b"location", target.encode("latin-1")),
                (b"set-cookie", f"{TOKEN_COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict".encode())])
            return False
        await _send_plain(send, 401, REFUSED_BODY, [(b"www-authenticate", b'Bearer realm="tahaluf"')])
        return False

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if await frontdoor.refused(scope, send, self.hosts, LANG_COOKIE, HEADERS):
            return
        cookie = SimpleCookie()
        for name, value in scope.get("headers", []):
            if name == b"cookie":
                try:
                    cookie.load(value.decode("latin-1"))
                except Exception:  # a malformed cookie header is a missing session, not an error
                    pass
        if not await self._token_gate(scope, send, cookie):
            return
        sent = cookie.get(SESSION_COOKIE)
        ident, session, new = self.sessions.get(sent.value if sent else None)
        scope.setdefault("state", {})["session"] = session

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", [])) + HEADERS
                if new:
                    headers.append((b"set-cookie", f"{SESSION_COOKIE}={ident}; Path=/; HttpOnly; "
                                                   f"SameSite=Strict".encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except ClientDisconnect:  # the client left, or was closed for being too slow (server.py): no one to answer
            pass
