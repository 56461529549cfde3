"""The server's front door, on a real `tahaluf serve` process: it answers only the names it is reached
by (DNS rebinding), refuses a changing request from another site, and does not let slow or half-open
connections hold it (a deadline on each request head and body, a limit on connections)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from html import unescape

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

import httpx2 as httpx
from support import EXAMPLES, csrf_of, free_port, label, wait_until_listening

from tahaluf.web.frontdoor import allowed_hosts
from tahaluf.web.server import BODY_IDLE_TIMEOUT, HEAD_TIMEOUT, LIMIT_CONCURRENCY

EXAMPLE = "private-sector-offer.yaml"


@pytest.fixture
def serve(tmp_path):
    """Start `tahaluf serve` on a free loopback port with these extra arguments; (base address, workspace)."""
    processes = []
    workspace = tmp_path / "ws"
    workspace.mkdir()
    shutil.copy(EXAMPLES / EXAMPLE, workspace / EXAMPLE)

    def start(*extra: str) -> tuple[str, int]:
        port = free_port()
        process = subprocess.Popen([sys.executable, "-m", "tahaluf.cli", "serve", str(workspace), "--port", str(port),
                                    "--workers", "0", *extra], stderr=subprocess.PIPE, text=True, env=os.environ.copy())
        processes.append(process)
        wait_until_listening(port)
        assert process.poll() is None, process.stderr.read()
        return f"http://127.0.0.1:{port}", port

    yield start, workspace
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # still closing connections: do not leave it behind
            process.kill()
            process.wait(timeout=10)


def test_only_the_names_it_listens_on_are_answered(serve):
    start, _ = serve
    base, port = start()
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", f"LOCALHOST:{port}"):
        page = httpx.get(f"{base}/", headers={"host": host})
        assert page.status_code == 200 and EXAMPLE in page.text, host
    # A page whose name was pointed at 127.0.0.1 sends its own name: refused before any route runs.
    for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1:{port + 1}", "127.0.0.1",
                 f"127.0.0.1.nip.io:{port}", ""):
        for url in ("/", f"/a/{EXAMPLE}", f"/a/{EXAMPLE}/download/yaml/en", "/static/app.css"):
            refused = httpx.get(f"{base}{url}", headers={"host": host})
            assert refused.status_code == 400, (host, url)
            assert EXAMPLE not in refused.text and "name: " not in refused.text
            assert label("web.bad_host") in unescape(refused.text)
            assert refused.headers["content-security-policy"].startswith("default-src 'none'")
            assert "set-cookie" not in refused.headers  # no session made for it
    arabic = httpx.get(f"{base}/", headers={"host": f"evil.example:{port}", "cookie": "tahaluf_lang=ar"})
    assert arabic.status_code == 400 and 'dir="rtl"' in arabic.text and "مرفوض" in arabic.text


def test_nothing_is_created_from_another_name(serve):
    start, workspace = serve
    base, port = start()
    with httpx.Client(base_url=base) as browser:
        form = {"csrf": csrf_of(browser.get("/").text), "organisation": "O", "alliance": "Rebound"}
        created = browser.post("/new", data=form, headers={"host": f"evil.example:{port}"})
        assert created.status_code == 400
    assert sorted(p.name for p in workspace.glob("*.yaml")) == [EXAMPLE]


def test_a_changing_request_from_another_site_is_refused(serve):
    start, workspace = serve
    base, port = start()
    with httpx.Client(base_url=base) as browser:
        form = {"csrf": csrf_of(browser.get("/").text), "organisation": "Org", "alliance": "Alliance"}
        for headers in ({"origin": "http://evil.example"}, {"origin": f"http://localhost:{port + 1}"},
                        {"origin": "null"}, {"sec-fetch-site": "cross-site"},
                        {"origin": base, "sec-fetch-site": "cross-site"}):
            refused = browser.post("/new", data=form, headers=headers, follow_redirects=False)
            assert refused.status_code == 403, headers
            assert label("web.cross_site") in unescape(refused.text)
        assert sorted(p.name for p in workspace.glob("*.yaml")) == [EXAMPLE]  # nothing created
        for headers in ({}, {"origin": base}, {"origin": base, "sec-fetch-site": "same-origin"},
                        {"sec-fetch-site": "none"}):
            made = browser.post("/new", data=form, headers=headers, follow_redirects=False)
            assert made.status_code == 303, headers
    # Reached as localhost, its origin is http://localhost:PORT.
    with httpx.Client(base_url=f"http://localhost:{port}") as browser:
        form["csrf"] = csrf_of(browser.get("/").text)
        assert browser.post("/new", data=form, headers={"origin": base}, follow_redirects=False).status_code == 403
        assert browser.post("/new", data=form, headers={"origin": f"http://localhost:{port}"},
                            follow_redirects=False).status_code == 303


def test_allow_host_adds_a_name(serve):
    start, _ = serve
    base, port = start("--allow-host", "tahaluf.lan", "--allow-host", "proxy.example:443")
    assert httpx.get(f"{base}/", headers={"host": f"tahaluf.lan:{port}"}).status_code == 200
    assert httpx.get(f"{base}/", headers={"host": "proxy.example:443"}).status_code == 200
    assert httpx.get(f"{base}/", headers={"host": f"other.lan:{port}"}).status_code == 400
    assert httpx.get(f"{base}/", headers={"host": f"localhost:{port}"}).status_code == 200


def test_the_names_a_server_answers():
    assert allowed_hosts("127.0.0.1", 8765) == {"127.0.0.1:8765", "localhost:8765", "[::1]:8765"}
    assert allowed_hosts("::1", 80) >= {"[::1]:80", "[::1]", "localhost"}
    wide = allowed_hosts("0.0.0.0", 9000, ["Box.LAN", "fe80::1", "proxy:8443"])
    assert wide == {"127.0.0.1:9000", "localhost:9000", "[::1]:9000", "0.0.0.0:9000", "box.lan:9000",
                    "[fe80::1]:9000", "proxy:8443"}


def closed(sock: socket.socket) -> bool:
    """Whether the server closed this connection (without sending it a response)."""
    try:
        return sock.recv(1024) == b""
    except BlockingIOError:
        return False
    except ConnectionResetError:
        return True


def test_half_open_connections_are_closed_and_do_not_stop_others(serve):
    start, _ = serve
    base, port = start()
    head = f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode()  # the blank line never comes
    body = (f"POST /new HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            "Content-Length: 1000\r\n\r\ncsrf=").encode()  # 995 bytes of it never come
    kinds = {"silent": b"", "head": head, "trickle": head[:10], "body": body}
    count = 200
    assert count < LIMIT_CONCURRENCY
    opened = []
    began = time.monotonic()
    for number in range(count):
        kind = list(kinds)[number % len(kinds)]
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(kinds[kind])
        sock.setblocking(False)
        opened.append((kind, sock))
    try:
        # Meanwhile a normal request is answered at once.
        answered = time.monotonic()
        assert httpx.get(f"{base}/", timeout=5).status_code == 200
        assert time.monotonic() - answered < 5
        closed_at: dict[int, float] = {}
        while len(closed_at) < count and time.monotonic() - began < BODY_IDLE_TIMEOUT + 10:
            for index, (kind, sock) in enumerate(opened):
                if index in closed_at:
                    continue
                if kind == "trickle" and time.monotonic() - began < HEAD_TIMEOUT + 5:
                    with contextlib.suppress(OSError):  # a byte now and then does not buy more time for the head
                        sock.send(b"X")
                if closed(sock):
                    closed_at[index] = time.monotonic() - began
            time.sleep(0.5)
        assert len(closed_at) == count, f"{count - len(closed_at)} half-open connections still open"
        for index, (kind, _) in enumerate(opened):
            limit = BODY_IDLE_TIMEOUT if kind == "body" else HEAD_TIMEOUT
            assert closed_at[index] < limit + 3, (kind, closed_at[index])
        assert max(closed_at.values()) < 20
    finally:
        for _, sock in opened:
            sock.close()
    assert httpx.get(f"{base}/").status_code == 200  # and the server goes on


def test_beyond_the_connection_limit_requests_are_refused_until_the_half_open_ones_are_closed(serve):
    start, _ = serve
    base, port = start()
    began = time.monotonic()
    opened = [socket.create_connection(("127.0.0.1", port)) for _ in range(LIMIT_CONCURRENCY)]
    try:
        time.sleep(0.5)  # the server has taken them all
        busy = httpx.get(f"{base}/", timeout=5)
        assert busy.status_code == 503  # answered at once, not left waiting
        while time.monotonic() - began < HEAD_TIMEOUT + 5:
            if httpx.get(f"{base}/", timeout=5).status_code == 200:
                break
            time.sleep(0.5)
        assert time.monotonic() - began < HEAD_TIMEOUT + 3
    finally:
        for sock in opened:
            sock.close()


def test_a_single_half_open_connection_is_closed_within_15_seconds(serve):
    start, _ = serve
    _, port = start()
    began = time.monotonic()
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Slow: ".encode())
        sock.settimeout(20)
        try:
            data = sock.recv(1024)
        except (TimeoutError, ConnectionResetError):
            data = None
    assert data == b"" and time.monotonic() - began < 15


def test_serve_help_names_allow_host():
    usage = subprocess.run([sys.executable, "-m", "tahaluf.cli", "serve", "--help"], capture_output=True, text=True)
    assert re.search(r"--allow-host NAME", usage.stdout)
