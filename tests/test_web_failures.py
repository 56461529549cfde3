"""Every failure is a page, never a 500: each GET route of the app (from its own route table) on an
invalid assessment file and with an unreadable history database. An unreadable history is set aside
(kept, renamed with the time) and a new one started, and the page says so. A workspace file with
another hard link, or of another user, is neither listed, served nor written."""

from __future__ import annotations

import os
import shutil
import sqlite3
from html import unescape

import pytest

pytest.importorskip("starlette")
pytest.importorskip("multipart")

from starlette.routing import Mount, Route
from starlette.testclient import TestClient
from support import EXAMPLES, csrf_of, label, set_language, workspace_with

from tahaluf.web.app import DOWNLOADS, create_app
from tahaluf.web.history import DATABASE
from tahaluf.web.workspace import NotServable, Workspace

EXAMPLE = "existing-alliance-review.yaml"
INVALID = {  # each a different way for a file not to be valid input
    "syntax.yaml": b"organisation: {name: [unclosed\n",
    "schema.yaml": b"organisation:\n  name: Org\n  core_objectives: 5\nalliance: {name: A, stage: sideways}\n",
    "binary.yaml": bytes(range(256)) * 4,
    "empty.yaml": b"",
    "list.yaml": b"- just\n- a list\n",
    "alias.yaml": b"a: &x [1, 2]\nb: *x\n",
}
SCREEN_JOB = "0" * 32


@pytest.fixture
def workspace(tmp_path):
    return workspace_with(tmp_path, EXAMPLE)


def get_urls(app, name: str) -> list[str]:
    """Every GET route of the app, with ``name`` as the file, each download format and language."""
    urls = []
    for route in app.app.routes:
        if isinstance(route, Route) and "GET" in (route.methods or ()):
            path = route.path.replace("{name}", name).replace("{job}", SCREEN_JOB).replace("{kind}", "csv")
            if "{fmt}" in path:
                urls += [path.replace("{fmt}", fmt).replace("{lang}", lang)
                         for fmt in DOWNLOADS for lang in ("en", "ar")]
            elif "{lang}" in path:
                urls += [path.replace("{lang}", "en"), path.replace("{lang}", "ar")]
            else:
                urls.append(path)
        elif isinstance(route, Mount):
            urls.append(f"{route.path}/missing.css")
    assert "/a/" + name + "/why" in urls and "/" in urls
    return urls


def assert_a_page(response, url: str) -> None:
    assert response.status_code != 500 and response.status_code < 500, (url, response.status_code)
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("text/html"), url
        assert "<main" in response.text or "<p" in response.text, url


def test_every_get_route_on_an_invalid_file_is_a_page(workspace):
    for name, data in INVALID.items():
        (workspace / name).write_bytes(data)
    client = TestClient(create_app(workspace), raise_server_exceptions=False)  # the pool: errors cross from a worker
    for name in INVALID:
        for url in get_urls(client.app, name):
            for q in ("", "?q=partners[0].sector", "?q=x"):
                response = client.get(url + q, follow_redirects=False)
                assert_a_page(response, url + q)
        set_language(client, "en")  # the route table's /lang/ar set Arabic
        why = client.get(f"/a/{name}/why?q=alliance.stage")
        assert why.status_code == 422 and label("web.bad_input") in unescape(why.text), name


CORRUPTIONS = {
    "garbage": lambda path: path.write_bytes(b"this is not a database\n" * 200),
    "header-only": lambda path: path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000),
    "other-schema": lambda path: sqlite3.connect(path).executescript(
        "CREATE TABLE evaluations (id INTEGER PRIMARY KEY, something TEXT); INSERT INTO evaluations VALUES (1, 'x');"),
    "folder": lambda path: path.mkdir(),
}


def truncated(path) -> None:
    """A real history whose pages are overwritten in the middle: SQLite finds it malformed."""
    client = TestClient(create_app(path.parent, workers=0))
    for _ in range(3):
        client.get(f"/a/{EXAMPLE}/report")
        (path.parent / EXAMPLE).write_bytes((path.parent / EXAMPLE).read_bytes() + b"\n# more\n")
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = bytearray(path.read_bytes())
    data[4096:len(data)] = b"\x13" * (len(data) - 4096)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("corruption", [*CORRUPTIONS, "truncated"])
def test_an_unreadable_history_is_set_aside_and_started_anew(workspace, corruption):
    path = workspace / DATABASE
    if corruption == "truncated":
        truncated(path)
    else:
        CORRUPTIONS[corruption](path)
    before = sorted(p.name for p in workspace.iterdir())
    (workspace / "syntax.yaml").write_bytes(INVALID["syntax.yaml"])
    client = TestClient(create_app(workspace, workers=0), raise_server_exceptions=False)
    for name in (EXAMPLE, "syntax.yaml"):
        for url in get_urls(client.app, name):
            assert_a_page(client.get(url, follow_redirects=False), url)
    set_language(client, "en")
    page = client.get(f"/a/{EXAMPLE}/history")
    assert page.status_code == 200
    kept = sorted(workspace.glob(DATABASE + ".unreadable-*"))
    assert len(kept) == 1 and kept[0].name in page.text, before  # kept, never deleted, and said so
    assert label("web.history.set_aside").split("{")[0] in unescape(page.text)
    with sqlite3.connect(path) as db:  # the new one records
        assert db.execute("SELECT count(*) FROM evaluations WHERE file = ?", (EXAMPLE,)).fetchone()[0] >= 1
    set_language(client, "ar")
    arabic = client.get(f"/a/{EXAMPLE}/history")
    assert label("web.history.set_aside", "ar").split("{")[0] in unescape(arabic.text)


def test_a_history_replaced_while_serving_is_set_aside(workspace):
    client = TestClient(create_app(workspace, workers=0), raise_server_exceptions=False)
    assert client.get(f"/a/{EXAMPLE}/history").status_code == 200
    (workspace / DATABASE).unlink()
    for side in workspace.glob(DATABASE + "-*"):
        side.unlink()
    (workspace / DATABASE).write_bytes(b"replaced\n" * 100)
    page = client.get(f"/a/{EXAMPLE}/history")
    assert page.status_code == 200 and ".unreadable-" in page.text
    assert (workspace / DATABASE).read_bytes()[:15] == b"SQLite format 3"


# Hard links and other users' files -------------------------------------------------------------------

def test_a_hard_linked_file_is_neither_listed_served_nor_written(workspace, tmp_path):
    outside = tmp_path / "outside.yaml"
    shutil.copy(EXAMPLES / "private-sector-offer.yaml", outside)
    os.link(outside, workspace / "linked.yaml")
    original = outside.read_bytes()
    client = TestClient(create_app(workspace, workers=0), raise_server_exceptions=False)
    index = client.get("/")
    assert "linked.yaml" not in index.text and EXAMPLE in index.text
    for url in get_urls(client.app, "linked.yaml"):
        response = client.get(url, follow_redirects=False)
        set_language(client, "en")
        if "/a/linked.yaml" in url:
            assert response.status_code == 403, url
            assert label("web.not_servable") in unescape(response.text), url
            assert "Private sector" not in response.text and original.decode()[:40] not in response.text
    csrf = csrf_of(index.text)
    for action, form in (("answer", {"action": "skip", "path": "x", "version": "x"}), ("delete", {}),
                         ("duplicate", {}), ("whatif", {"version": "x"}), ("form", {"version": "x"})):
        response = client.post(f"/a/linked.yaml/{action}", data={"csrf": csrf, **form}, follow_redirects=False)
        assert response.status_code == 403, action
        assert label("web.not_servable") in unescape(response.text), action
    assert outside.read_bytes() == original and (workspace / "linked.yaml").exists()
    assert sorted(p.name for p in workspace.glob("*.yaml")) == [EXAMPLE, "linked.yaml"]  # no copy made
    # Once it is a file of its own again, it is served.
    (workspace / "linked.yaml").unlink()
    shutil.copy(outside, workspace / "linked.yaml")
    assert client.get("/a/linked.yaml").status_code == 200


def test_two_links_inside_the_workspace_are_both_refused(workspace):
    os.link(workspace / EXAMPLE, workspace / "second.yaml")
    space = Workspace(workspace)
    assert space.names() == []
    for name in (EXAMPLE, "second.yaml"):
        with pytest.raises(NotServable):
            space.existing(name)


def test_a_file_of_another_user_is_not_served(workspace, monkeypatch):
    real = os.geteuid()
    monkeypatch.setattr(os, "geteuid", lambda: real + 1)  # as if the server ran as someone else
    client = TestClient(create_app(workspace, workers=0), raise_server_exceptions=False)
    assert EXAMPLE not in client.get("/").text
    response = client.get(f"/a/{EXAMPLE}")
    assert response.status_code == 403 and label("web.not_servable") in unescape(response.text)
