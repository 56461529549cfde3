"""The history in SQLite: every evaluation the web app makes is recorded once per state of the
file (time, file, input SHA-256, knowledge version, verdict, counts, the JSON report), and an
assessment's history page shows how its verdict changed, with diff.py's comparison."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from html import unescape

import pytest

pytest.importorskip("starlette")
pytest.importorskip("multipart")

from starlette.testclient import TestClient
from support import label, set_language, workspace_with

from tahaluf import knowledge
from tahaluf.diff import compare, snapshot_of_report
from tahaluf.evaluation import evaluate_file
from tahaluf.reports.diff_report import fact_change, fact_lines, finding_line
from tahaluf.web.app import create_app
from tahaluf.web.history import DATABASE

EXAMPLE = "existing-alliance-review.yaml"
labels = {key: text.en for key, text in knowledge.labels().items()}  # its first question can change the verdict


@pytest.fixture
def workspace(tmp_path):
    return workspace_with(tmp_path, EXAMPLE)


def rows(workspace) -> list[dict]:
    with sqlite3.connect(workspace / DATABASE) as db:
        db.row_factory = sqlite3.Row
        return [dict(row) for row in db.execute("SELECT * FROM evaluations ORDER BY id")]


def form_of(html: str) -> dict:
    field = lambda name: re.search(rf'name="{name}" value="([^"]+)"', html).group(1)  # noqa: E731
    return {"csrf": field("csrf"), "version": field("version"), "path": field("path")}


def test_each_evaluation_is_recorded_once_per_state_with_its_facts(workspace):
    client = TestClient(create_app(workspace, workers=0))
    path = workspace / EXAMPLE
    assert client.get("/").status_code == 200  # the list evaluates every file: recorded
    assert client.get(f"/a/{EXAMPLE}").status_code == 200  # the same state again: not recorded twice
    assert client.get(f"/a/{EXAMPLE}/report").status_code == 200
    [first] = rows(workspace)
    evaluation = evaluate_file(path)
    assert first["file"] == EXAMPLE
    assert first["input_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert first["knowledge_version"] == knowledge.version()
    assert first["verdict"] == evaluation.verdict == "conditions"
    report = json.loads(first["report_json"])
    assert report["verdict"] == first["verdict"] and report["input"]["sha256"] == first["input_sha256"]
    failing = [f["severity"] for f in report["findings"] if f["status"] == "fail"]
    assert (first["blockers"], first["major"], first["minor"]) == (
        failing.count("blocker"), failing.count("major"), failing.count("minor"))
    assert first["open_questions"] == len(report["not_assessed"]) > 0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", first["recorded_at"])
    assert DATABASE not in client.get("/").text  # not an assessment

    # An answer in the browser: the next page's evaluation is a new state, recorded.
    page = client.get(f"/a/{EXAMPLE}")
    assert form_of(page.text)["path"] == "partners[1].private.goals"
    answered = client.post(f"/a/{EXAMPLE}/answer", data={**form_of(page.text), "action": "answer", "answer": "none"},
                           follow_redirects=False)  # its private goals: none
    assert answered.status_code == 303
    client.get(f"/a/{EXAMPLE}")
    client.get(f"/a/{EXAMPLE}/download/json/en")
    first_again, second = rows(workspace)
    assert first_again == first
    assert second["input_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest() != first["input_sha256"]
    assert second["verdict"] == evaluate_file(path).verdict == "do_not_proceed"


def test_the_history_page_shows_how_the_verdict_changed_with_the_diff(workspace):
    client = TestClient(create_app(workspace, workers=0))
    page = client.get(f"/a/{EXAMPLE}")
    client.post(f"/a/{EXAMPLE}/answer", data={**form_of(page.text), "action": "answer", "answer": "none"})
    history = client.get(f"/a/{EXAMPLE}/history")
    assert history.status_code == 200
    first, second = rows(workspace)
    comparison = compare(snapshot_of_report(EXAMPLE, json.loads(first["report_json"])),
                         snapshot_of_report(EXAMPLE, json.loads(second["report_json"])))
    assert comparison.verdict_changed and comparison.changed and comparison.facts
    text = unescape(re.sub(r"<[^>]+>", "", history.text))
    newest, oldest = text.index(label("verdict.do_not_proceed")), text.index(label("verdict.conditions") + "\n")
    assert newest < oldest  # newest first
    assert f"({label('web.history.was')} {label('verdict.conditions')})" in text
    for key, changes in (("diff.added", comparison.added), ("diff.resolved", comparison.resolved),
                         ("diff.changed", comparison.changed)):
        assert (f"{label(key)} ({len(changes)})" in text) == bool(changes)
        for change in changes:  # in words (reports/diff_report.py), the code a tag after them
            assert f"{finding_line(change, 'en', labels, comparison.names).text} {change.rule}" in text
    assert f"{label('diff.facts')} ({len(comparison.facts)})" in text
    for line in fact_lines(comparison, "en"):
        assert fact_change(line, labels) in text and line.path not in text
    assert label("web.history.first") in text
    for row in (first, second):
        assert row["input_sha256"][:12] in text and row["knowledge_version"] in text
    set_language(client, "ar")
    arabic = client.get(f"/a/{EXAMPLE}/history")
    assert 'dir="rtl"' in arabic.text and label("web.history", "ar") in arabic.text
    assert label("verdict.do_not_proceed", "ar") in arabic.text


def test_a_planted_symlink_for_the_database_is_not_written_through(workspace, tmp_path):
    target = tmp_path / "elsewhere.sqlite3"
    target.write_bytes(b"")
    (workspace / DATABASE).symlink_to(target)
    client = TestClient(create_app(workspace, workers=0))
    assert client.get(f"/a/{EXAMPLE}").status_code == 200  # the consultation still works
    assert target.read_bytes() == b""
    # The link is set aside (renamed, its target untouched) and a database of the workspace's own started.
    page = client.get(f"/a/{EXAMPLE}/history")
    assert page.status_code == 200 and DATABASE + ".unreadable-" in page.text
    [kept] = workspace.glob(DATABASE + ".unreadable-*")
    assert kept.is_symlink() and kept.readlink() == target and target.read_bytes() == b""
    assert not (workspace / DATABASE).is_symlink() and rows(workspace)


def test_history_of_a_name_outside_the_workspace_is_refused(workspace):
    client = TestClient(create_app(workspace, workers=0))
    assert client.get("/a/..%2Fx.yaml/history").status_code in (400, 404)
    assert client.get("/a/missing.yaml/history").status_code == 404


def test_the_report_page_says_what_changed_since_the_previous_evaluation(workspace):
    client = TestClient(create_app(workspace, workers=0))
    first = client.get(f"/a/{EXAMPLE}/report")
    since = label("web.history.since").split("(")[0].strip()
    assert since not in first.text  # nothing before the first evaluation
    page = client.get(f"/a/{EXAMPLE}")
    client.post(f"/a/{EXAMPLE}/answer", data={**form_of(page.text), "action": "answer", "answer": "none"})
    report = client.get(f"/a/{EXAMPLE}/report")
    text = unescape(re.sub(r"<[^>]+>", "", report.text))
    before, after = rows(workspace)
    comparison = compare(snapshot_of_report(EXAMPLE, json.loads(before["report_json"])),
                         snapshot_of_report(EXAMPLE, json.loads(after["report_json"])))
    assert since in text
    assert f"{label('verdict.conditions')} → {label('verdict.do_not_proceed')}" in text
    for change in comparison.changed:
        assert f"{finding_line(change, 'en', labels, comparison.names).text} {change.rule}" in text
