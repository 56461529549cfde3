"""The front door: which requests reach the app at all (before sessions, the token and any route).

* ``Host``: only the names the server is reached by (DNS rebinding: a page whose name an attacker
  points at 127.0.0.1 sends its own name as ``Host``). Anything else: 400, nothing run.
* Every request that changes something (any method but GET/HEAD/OPTIONS): an ``Origin``, when
  sent, must be the server's own, and ``Sec-Fetch-Site: cross-site`` is refused (403) — on top of
  the CSRF token each form carries.

The refusal is a plain page in the interface language when the request says it (its language cookie).
"""

from __future__ import annotations

import html
import re
from http.cookies import SimpleCookie

from tahaluf import knowledge

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def allowed_hosts(host: str, port: int, extra: list[str] | tuple[str, ...] = ()) -> frozenset[str]:
    """The ``Host`` values a server listening on ``host``:``port`` answers: the loopback names,
    the listening address itself (a wildcard too: the address printed at start), and each ``extra``
    name (NAME, or NAME:PORT as a proxy in front may send it); a bare name too when the port is 80,
    as browsers omit it."""
    names = list(LOOPBACK_NAMES)
    if host:
        names.append(f"[{host}]" if ":" in host and not host.startswith("[") else host)
    allowed = set()
    for name in names + list(extra):
        name = name.strip().lower()
        if not name:
            continue
        if name.count(":") > 1 and not name.startswith("["):  # a bare IPv6 address
            name = f"[{name}]"
        if re.fullmatch(r"(\[[^\]]*\]|[^:\[\]]+):\d+", name):  # a port given: as given
            allowed.add(name)
            continue
        allowed.add(f"{name}:{port}")
        if port == 80:
            allowed.add(name)
    return frozenset(allowed)


def _header(scope, wanted: bytes) -> str | None:
    for name, value in scope.get("headers", []):
        if name == wanted:
            return value.decode("latin-1")
    return None


def _lang(scope, cookie_name: str) -> str:
    sent = _header(scope, b"cookie")
    if not sent:
        return knowledge.default_language()
    cookie = SimpleCookie()
    try:
        cookie.load(sent)
    except Exception:  # a malformed cookie: the default language
        return knowledge.default_language()
    morsel = cookie.get(cookie_name)
    chosen = morsel.value if morsel is not None else None
    return chosen if chosen in knowledge.languages() else knowledge.default_language()


async def _refuse(send, status: int, key: str, lang: str, extra: list) -> None:
    text = html.escape(knowledge.labels()[key](lang))
    direction = knowledge.direction(lang)
    body = (f'<!DOCTYPE html>\n<html lang="{lang}" dir="{direction}"><head><meta charset="utf-8">'
            f"<title>{status}</title></head><body><p>{text}</p></body></html>\n").encode()
    headers = [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode()),
               (b"connection", b"close")]
    await send({"type": "http.response.start", "status": status, "headers": headers + extra})
    await send({"type": "http.response.body", "body": body})


async def refused(scope, send, hosts: frozenset[str] | None, lang_cookie: str, headers: list) -> bool:
    """Whether this request is refused here (the answer then sent, with ``headers`` added): a ``Host``
    not in ``hosts`` (None: any, for an app mounted in another server that checks it), or a changing
    request from another site."""
    host = (_header(scope, b"host") or "").strip().lower()
    if hosts is not None and host not in hosts:
        await _refuse(send, 400, "web.bad_host", _lang(scope, lang_cookie), headers)
        return True
    if scope.get("method") not in SAFE_METHODS:
        origin = _header(scope, b"origin")
        site = (_header(scope, b"sec-fetch-site") or "").strip().lower()
        own = f"{scope.get('scheme', 'http')}://{host}"
        if (origin is not None and origin.strip().lower() != own) or site == "cross-site":
            await _refuse(send, 403, "web.cross_site", _lang(scope, lang_cookie), headers)
            return True
    return False
