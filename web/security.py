"""Browser sessions, CSRF and the security headers of every response.

A session is a random id in an HttpOnly, SameSite=Strict cookie; the server keeps, per
session, the CSRF token every form carries in a hidden field and the consultation's own
state (answers to go back over, questions passed). One local process: kept in memory.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

SESSION_COOKIE = "tahaluf_session"
MAX_SESSIONS = 1000
MAX_FORM_BYTES = 64 * 1024
# Nothing from another origin, no inline script or style, no framing, forms post only here.
CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self'; "
                           "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


@dataclass
class FileState:
    """One assessment's consultation in one browser session."""

    history: list[tuple[str, tuple, Any]] = field(default_factory=list)  # (what, path, value before), for back
    passed: set[str] = field(default_factory=set)  # skipped or "don't know"


@dataclass
class Session:
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    files: dict[str, FileState] = field(default_factory=dict)

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


class SecurityMiddleware:
    """Attach the session to each HTTP request (``scope['state']['session']``), set its cookie
    when new, and add the security headers to every response."""

    def __init__(self, app, sessions: Sessions):
        self.app, self.sessions = app, sessions

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        cookie = SimpleCookie()
        for name, value in scope.get("headers", []):
            if name == b"cookie":
                try:
                    cookie.load(value.decode("latin-1"))
                except Exception:  # a malformed cookie header is a missing session, not an error
                    pass
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

        await self.app(scope, receive, send_with_headers)
