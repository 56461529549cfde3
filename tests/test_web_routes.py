"""The web app's routes by area, each with a name, and every address a page shows built from those names
(pages.path_for) — none by hand, so a route can move without a page linking to where it was."""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import pytest

pytest.importorskip("starlette")

from starlette.routing import Mount, Route
from starlette.testclient import TestClient
from support import EXAMPLES

from tahaluf.web.app import create_app

WEB = Path(__file__).resolve().parent.parent / "web"
# An address written out in code or a template: a quoted path of the app's own ("/a/…", "/screen", "/"),
# an href or a form's action starting with "/". (Static files' own CSS may name fonts relatively.)
HAND_BUILT = re.compile(r"""(["'](/a/|/screen|/new|/lang/|/report-assets|/static/)|(href|action)="/)""")
# The security middleware runs before the router (no route names there): the paths it lets through it
# matches, it links to none.
MATCHED_NOT_BUILT = ('TOKEN_FREE_PATHS = frozenset({"/static/favicon.svg"})',)



def test_every_route_has_a_name_and_no_two_share_one(tmp_path):
    app = create_app(tmp_path / "ws", workers=0).app
    named = [route.name for route in app.routes if isinstance(route, (Route, Mount))]
    assert len(named) == len(app.routes) and all(named)
    assert len(set(named)) == len(named)
    assert {"index", "question", "why", "answer", "report", "download", "form", "history", "screen"} <= set(named)


@pytest.mark.parametrize("source", sorted([*WEB.glob("*.py"), *(WEB / "templates").glob("*.j2")]),
                         ids=lambda path: path.name)
def test_no_page_builds_an_address_by_hand(source):
    found = [line.strip() for line in source.read_text(encoding="utf-8").splitlines()
             if HAND_BUILT.search(line) and "Route(" not in line and "Mount(" not in line
             and line.strip() not in MATCHED_NOT_BUILT]
    assert not found, found


def test_a_files_links_quote_its_name_as_one_segment(tmp_path):
    space = tmp_path / "ws"
    space.mkdir()
    name = "تحالف المياه 1.yaml"
    (space / name).write_bytes((EXAMPLES / "private-sector-offer.yaml").read_bytes())
    page = TestClient(create_app(space, workers=0)).get("/a/" + urllib.parse.quote(name, safe=""))
    assert page.status_code == 200
    quoted = urllib.parse.quote(name, safe="")
    for suffix in ("/report", "/form", "/history", "/answer"):
        assert f'"/a/{quoted}{suffix}"' in page.text, suffix
