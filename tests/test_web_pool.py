"""The web app's work runs in its worker pool, not in the server's event loop (issue 21, item 3): with a
pool, the server process itself never evaluates, builds a report or a form, renders a report, reads
an organisation for screening or sorts a screening's results; those run in the spawned workers, so a
slow page stalls no other request.

Checked deterministically: in this (the server's) process, the engine's and the views' entry points are
replaced by a function that fails; the spawned workers import their own, untouched. Every page and form
must still work. (On the old code the index, the full form, the report's what-if and build, keeping a
what-if, the history's JSON and the screening page ran here.)"""

from __future__ import annotations

import html
import re
import shutil
import time

import pytest

pytest.importorskip("starlette")
pytest.importorskip("multipart")

from starlette.testclient import TestClient
from support import EXAMPLES, csrf_of

from tahaluf import consultation, evaluation
from tahaluf.reports import render, viewmodel
from tahaluf.screening import pipeline
from tahaluf.web import fullform, fullform_view, screening_jobs
from tahaluf.web.app import create_app

REVIEW = "existing-alliance-review.yaml"  # one open question left, with what-if toggles
CLIMATE = "climate-labour-alliance.yaml"


def _in_the_server(*args, **kwargs):
    raise AssertionError("engine or view work ran in the server process, not in the worker pool")


# The engine and the view models, wherever they are imported from (replacing the code object reaches
# every name bound to the function).
FORBIDDEN = [evaluation.evaluate_document, consultation.consult, consultation.suppose, viewmodel.build_report,
             render.render_report, fullform.state_of, fullform_view.view, fullform_view.asked, pipeline.load_context,
             screening_jobs.sorted_rows]


@pytest.fixture
def client(tmp_path, monkeypatch):
    space = tmp_path / "ws"
    space.mkdir()
    for name in (REVIEW, CLIMATE):
        shutil.copy(EXAMPLES / name, space / name)
    app = create_app(space, workers=1)
    for function in FORBIDDEN:
        monkeypatch.setattr(function, "__code__", _in_the_server.__code__)
    with TestClient(app) as client:  # runs the app's start (the pool warmed) and stop
        yield client


def test_every_page_and_form_is_worked_out_in_the_pool(client):
    index = client.get("/")
    assert index.status_code == 200 and REVIEW in index.text
    assert client.get("/screen").status_code == 200

    assert client.get(f"/a/{CLIMATE}").status_code == 200
    review = client.get(f"/a/{REVIEW}")
    why = re.search(r'href="(/a/[^"]+/why\?q=[^"]+)"', review.text)
    assert why and client.get(html.unescape(why.group(1))).status_code == 200
    form = re.search(r'<form method="post" action="([^"]+/answer)"', review.text)
    assert form, "the review has an open question"
    answer = client.post(form.group(1), data={"csrf": csrf_of(review.text), "action": "skip",
                                              "version": re.search(r'name="version" value="([^"]+)"', review.text)[1],
                                              "path": re.search(r'name="path" value="([^"]+)"', review.text)[1]})
    assert answer.status_code == 200

    page = client.get(f"/a/{CLIMATE}/form")
    assert page.status_code == 200
    fields = {"csrf": csrf_of(page.text), "action": "save",
              "version": re.search(r'name="version" value="([^"]+)"', page.text)[1]}
    saved = client.post(f"/a/{CLIMATE}/form", data=fields, follow_redirects=False)
    assert saved.status_code in (303, 400), saved.text[:300]  # saved, or shown again with its problems

    report = client.get(f"/a/{REVIEW}/report")
    assert report.status_code == 200
    toggle = re.search(r'href="(/a/[^"]+/report\?if=[^"#]+)', report.text)
    assert toggle, "the review's report offers what-if toggles"
    supposed = client.get(html.unescape(toggle.group(1)))
    assert supposed.status_code == 200
    keep = re.search(r'<form method="post" action="([^"]+)" class="keep">(.*?)</form>', supposed.text, re.S)
    if keep:
        data: dict[str, list[str]] = {}
        for key, value in re.findall(r'name="([^"]+)" value="([^"]*)"', keep.group(2)):
            data.setdefault(key, []).append(html.unescape(value))
        kept = client.post(html.unescape(keep.group(1)), data=data, follow_redirects=False)
        assert kept.status_code in (303, 400), kept.text[:300]
    assert client.get(f"/a/{REVIEW}/report?if=nonsense=1").status_code == 400

    assert client.get(f"/a/{REVIEW}/history").status_code == 200
    screen = client.get("/screen")
    assert REVIEW in screen.text  # usable as the organisation (read in a worker)
    with open(EXAMPLES / "candidates.csv", "rb") as upload:
        started = client.post("/screen", data={"csrf": csrf_of(screen.text), "org": REVIEW},
                              files={"candidates": ("candidates.csv", upload, "text/csv")}, follow_redirects=False)
    assert started.status_code == 303
    for _ in range(600):
        result = client.get(started.headers["location"] + "?sort=1&dir=desc")
        if 'http-equiv="refresh"' not in result.text:
            break
        time.sleep(0.2)
    assert result.status_code == 200 and "<table" in result.text

    download = client.get(f"/a/{CLIMATE}/download/json/en")  # (a PDF is rendered as a JSON report is)
    assert download.status_code == 200 and download.json()["verdict"]
