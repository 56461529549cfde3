"""Shared test helpers: build an alliance document from a partial one (as fixtures write it)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from tahaluf.loader import SourceMap, validate
from tahaluf.model import AllianceDocument

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

BASE_DOCUMENT = {
    "organisation": {"name": "Test NGO", "core_objectives": ["independent advocacy", "community health"]},
    "alliance": {"name": "Test alliance"},
}


def build_document(partial: dict) -> AllianceDocument:
    """A partial document (as fixtures write it) completed with the required names."""
    data = {key: dict(value) if isinstance(value, dict) else value for key, value in partial.items()}
    for key, required in BASE_DOCUMENT.items():
        data[key] = {**required, **(data.get(key) or {})}
    return validate(AllianceDocument, data, SourceMap(), "<fixture>")


def workspace_with(tmp_path: Path, example: str) -> Path:
    """A web workspace under ``tmp_path`` holding a copy of one shipped example."""
    import shutil

    space = tmp_path / "ws"
    space.mkdir()
    shutil.copy(EXAMPLES / example, space / example)
    return space


def label(key: str, lang: str = "en") -> str:
    """A report or page wording from knowledge/labels.yaml, as the views print it."""
    from tahaluf import knowledge

    return knowledge.labels()[key](lang)


def csrf_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    import re

    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def free_port() -> int:
    """A loopback port nobody listens on now (the probe that found it is closed)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_listening(port: int, seconds: float = 10.0) -> None:
    """Wait for a server started by a test to accept connections on 127.0.0.1:``port``."""
    import socket
    import time

    for _ in range(int(seconds * 10)):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return
        except OSError:
            time.sleep(0.1)


def set_language(client, lang: str) -> None:
    """The interface language for a TestClient's next requests: any cookie the app's /lang/ page set
    first taken out (httpx2 keeps it beside a new one set here, for the test server's own domain)."""
    client.cookies.delete("tahaluf_lang")
    client.cookies.set("tahaluf_lang", lang)


class _PageText(HTMLParser):
    """A page's text as a reader meets it: its text nodes (not scripts or styles) and, if asked, the
    attributes read aloud or shown (title, aria-label …)."""

    def __init__(self, shown: tuple[str, ...]):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0
        self.shown = shown

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")
        self.parts += [value for name, value in attrs if name in self.shown and value]

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def page_text(html: str, shown: tuple[str, ...] = (), joiner: str = " ") -> str:
    parser = _PageText(shown)
    parser.feed(html)
    return joiner.join(parser.parts)
