"""The access token: served on an address other than loopback, every request without the token
printed at start is refused (401), static files too, the favicon alone excepted."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

pytest.importorskip("starlette")
pytest.importorskip("multipart")

import httpx2 as httpx
from starlette.routing import Mount, Route
from starlette.testclient import TestClient
from support import free_port, wait_until_listening, workspace_with

from tahaluf.web.app import create_app
from tahaluf.web.security import TOKEN_COOKIE, is_loopback

EXAMPLE = "private-sector-offer.yaml"
TOKEN = "s3cret-token-for-tests_0123456789abcdefghijkl"


@pytest.fixture
def workspace(tmp_path):
    return workspace_with(tmp_path, EXAMPLE)


def every_get_url(app) -> list[str]:
    """Each GET route of the app with its parameters filled in, and a file of each static folder."""
    urls = []
    for route in app.app.routes:
        if isinstance(route, Route):
            urls.append(route.path.replace("{name}", EXAMPLE).replace("{lang}", "en").replace("{fmt}", "yaml")
                        .replace("{job}", "0" * 32))
        elif isinstance(route, Mount):
            folder = route.app.directory
            first = sorted(p for p in os.listdir(folder) if os.path.isfile(os.path.join(folder, p)))[0]
            urls.append(f"{route.path}/{first}")
    return urls


def test_without_the_token_every_request_is_refused(workspace):
    client = TestClient(create_app(workspace, TOKEN, workers=0))
    urls = every_get_url(client.app)
    assert "/static/app.css" in urls and "/" in urls
    before = {p.name: p.read_bytes() for p in workspace.iterdir()}
    for url in urls:
        for headers in ({}, {"authorization": "Bearer wrong"}, {"cookie": f"{TOKEN_COOKIE}=wrong"}):
            response = client.get(url, headers=headers, follow_redirects=False)
            assert response.status_code == 401, (url, headers)
            assert EXAMPLE not in response.text and "token" in response.text  # nothing shown but the reason
            assert response.headers["content-security-policy"].startswith("default-src 'none'")
    for url in (f"/?token={TOKEN}x", "/?token=", f"/?Token={TOKEN}"):
        assert client.get(url, follow_redirects=False).status_code == 401, url
    for url in ("/new", f"/a/{EXAMPLE}/delete", f"/a/{EXAMPLE}/answer"):
        assert client.post(url, data={"csrf": "x"}, follow_redirects=False).status_code == 401
        # A token in a POST's address does not open the door either (only a GET sets the cookie).
        assert client.post(f"{url}?token={TOKEN}", data={"csrf": "x"}, follow_redirects=False).status_code == 401
    assert {p.name: p.read_bytes() for p in workspace.iterdir()} == before


def test_the_favicon_alone_is_served_without_the_token(workspace):
    client = TestClient(create_app(workspace, TOKEN, workers=0))
    response = client.get("/static/favicon.svg")
    assert response.status_code == 200 and "<svg" in response.text
    assert client.get("/static/app.css").status_code == 401


def test_the_token_in_the_address_becomes_a_cookie_and_leaves_the_address(workspace):
    client = TestClient(create_app(workspace, TOKEN, workers=0))
    response = client.get(f"/a/{EXAMPLE}/report?token={TOKEN}&x=1", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/a/{EXAMPLE}/report?x=1"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{TOKEN_COOKIE}={TOKEN};") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    page = client.get("/")  # the client now sends the cookie
    assert page.status_code == 200 and EXAMPLE in page.text
    assert client.get("/static/app.css").status_code == 200
    # ... and the whole consultation works with it: a form POST goes through with its CSRF token.
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    created = client.post("/new", data={"csrf": token, "organisation": "Org", "alliance": "Alliance"},
                          follow_redirects=False)
    assert created.status_code == 303


def test_a_bearer_header_carries_the_token(workspace):
    client = TestClient(create_app(workspace, TOKEN, workers=0))
    assert client.get("/", headers={"authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert client.get("/", headers={"authorization": f"Basic {TOKEN}"}).status_code == 401


def test_on_loopback_no_token_is_needed(workspace):
    assert TestClient(create_app(workspace, workers=0)).get("/").status_code == 200


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                            ("127.0.0.2", True), ("0.0.0.0", False), ("::", False),
                                            ("192.168.1.10", False), ("example.org", False)])
def test_which_addresses_are_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_serve_on_another_address_prints_a_token_and_refuses_requests_without_it(workspace):
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "tahaluf.cli", "serve", str(workspace), "--port", str(port),
                                "--host", "0.0.0.0", "--workers", "0"],
                               stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        first = process.stderr.readline()
        found = re.search(rf"http://0\.0\.0\.0:{port}/\?token=([A-Za-z0-9_-]{{40,}})", first)
        assert found, first
        token = found.group(1)
        assert token in process.stderr.readline()
        wait_until_listening(port)
        base = f"http://127.0.0.1:{port}"
        assert httpx.get(f"{base}/").status_code == 401
        assert httpx.get(f"{base}/static/app.css").status_code == 401
        assert httpx.get(f"{base}/static/favicon.svg").status_code == 200
        with httpx.Client(base_url=base, follow_redirects=True) as browser:
            page = browser.get(f"/?token={token}")
            assert page.status_code == 200 and EXAMPLE in page.text
            assert "token" not in str(page.url)
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_on_loopback_prints_no_token(workspace):
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "tahaluf.cli", "serve", str(workspace), "--port", str(port),
                                "--workers", "0"],
                               stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        first = process.stderr.readline()
        assert f"http://127.0.0.1:{port}/ " in first and "token" not in first
    finally:
        process.terminate()
        process.wait(timeout=10)
