"""The web app over HTTP (Starlette's test client, the real engine and files): every route,
CSRF on every POST, path traversal, the version check between two tabs, the downloads."""

from __future__ import annotations

import io
import json
import re
import shutil

import pytest

pytest.importorskip("starlette")
pytest.importorskip("multipart")

from pypdf import PdfReader
from starlette.routing import Route
from starlette.testclient import TestClient
from support import EXAMPLES, csrf_of, label

from tahaluf import knowledge
from tahaluf.consultation import consult, value_at
from tahaluf.evaluation import evaluate_file
from tahaluf.files.alliance_file import AllianceFile
from tahaluf.web.app import create_app
from tahaluf.web.security import CONTENT_SECURITY_POLICY

EXAMPLE = "private-sector-offer.yaml"


@pytest.fixture
def workspace(tmp_path):
    space = tmp_path / "ws"
    space.mkdir()
    for name in (EXAMPLE, "climate-labour-alliance.ar.yaml"):
        shutil.copy(EXAMPLES / name, space / name)
    return space


@pytest.fixture
def client(workspace):
    return TestClient(create_app(workspace, workers=0))


def version_of(html: str) -> str:
    return re.search(r'name="version" value="([0-9a-f]{64})"', html).group(1)


def question_path(html: str) -> str:
    return re.search(r'name="path" value="([^"]+)"', html).group(1)


def test_index_lists_each_assessment_with_the_engines_verdict_and_its_stage(client, workspace):
    page = client.get("/")
    assert page.status_code == 200
    for path in sorted(workspace.glob("*.yaml")):
        evaluation = evaluate_file(path)
        row = re.search(re.escape(path.name) + r".*?</tr>", page.text, re.S)
        assert row, path.name
        start = page.text.rfind("<tr>", 0, row.start())
        assert label(f"verdict.{evaluation.verdict}") in page.text[start:row.end()]


def test_new_assessment_is_a_file_evaluate_reads(client, workspace):
    token = csrf_of(client.get("/").text)
    response = client.post("/new", data={"csrf": token, "organisation": "Our NGO", "alliance": "تحالف <b>المياه</b>"},
                           follow_redirects=False)
    assert response.status_code == 303
    name = re.sub("%..", lambda m: m.group(0), response.headers["location"].split("/a/")[1])
    created = [p for p in workspace.glob("*.yaml") if p.name not in (EXAMPLE, "climate-labour-alliance.ar.yaml")]
    assert len(created) == 1 and created[0].suffix == ".yaml" and "/" not in name
    assert evaluate_file(created[0]).document.alliance.name == "تحالف <b>المياه</b>"
    page = client.get(response.headers["location"])
    assert page.status_code == 200 and "<b>" not in page.text  # escaped wherever it is printed


def post_routes(app) -> list[str]:
    starlette = app.app
    return [route.path for route in starlette.routes if isinstance(route, Route) and "POST" in (route.methods or ())]


def test_every_post_refuses_a_missing_or_foreign_csrf_token_and_changes_nothing(client, workspace):
    other = TestClient(create_app(workspace, workers=0))
    foreign = csrf_of(other.get("/").text)
    page = client.get(f"/a/{EXAMPLE}")
    before = {p.name: p.read_bytes() for p in workspace.iterdir()}
    routes = post_routes(client.app)
    assert {"/new", "/a/{name}/answer", "/a/{name}/delete"} <= set(routes)
    for route in routes:
        url = route.replace("{name}", EXAMPLE)
        form = {"organisation": "X", "alliance": "Y", "version": version_of(page.text),
                "path": question_path(page.text),
                "answer": "yes", "action": "answer"}
        for token in (None, "", foreign, csrf_of(page.text) + "x"):
            data = form if token is None else {**form, "csrf": token}
            response = client.post(url, data=data, follow_redirects=False)
            assert response.status_code == 403, (url, token)
            assert label("web.forbidden") in response.text
    assert {p.name: p.read_bytes() for p in workspace.iterdir()} == before


@pytest.mark.parametrize("name", ["..%2F..%2Fetc%2Fpasswd", "%2E%2E", "..yaml", "%2e%2e%2Fx.yaml", ".hidden.yaml",
                                  "sub%2Fx.yaml", "x.txt", "%00.yaml", "..%5Cx.yaml"])
def test_paths_outside_the_workspace_are_refused(client, name):
    for url in (f"/a/{name}", f"/a/{name}/report", f"/a/{name}/download/yaml/en", f"/a/{name}/why?q=x"):
        response = client.get(url)
        assert response.status_code in (400, 404), url
        assert "root:" not in response.text


def test_a_symlink_out_of_the_workspace_is_refused(client, workspace, tmp_path):
    outside = tmp_path / "secret.yaml"
    shutil.copy(EXAMPLES / EXAMPLE, outside)
    (workspace / "link.yaml").symlink_to(outside)
    assert "link.yaml" not in client.get("/").text
    assert client.get("/a/link.yaml/download/yaml/en").status_code == 400
    token = csrf_of(client.get("/").text)
    assert client.post("/a/link.yaml/delete", data={"csrf": token}).status_code == 400
    assert outside.exists() and (workspace / "link.yaml").is_symlink()


def answer(client, name: str, page, **form):
    data = {"csrf": csrf_of(page.text), "version": version_of(page.text), "path": question_path(page.text), **form}
    return client.post(f"/a/{name}/answer", data=data, follow_redirects=False)


def test_an_answer_is_written_to_the_file_at_once_and_back_undoes_it(client, workspace):
    page = client.get(f"/a/{EXAMPLE}")
    path = question_path(page.text)
    current = consult(AllianceFile.open(workspace / EXAMPLE).document)
    assert path == current.questions[0].path  # the library's first question, as the interview asks it
    question = current.questions[0]
    before = value_at(AllianceFile.open(workspace / EXAMPLE).data, question.parts)
    reply = "no" if question.kind in ("bool",) or path == "concessions" else "1"
    response = answer(client, EXAMPLE, page, answer=reply, action="answer")
    assert response.status_code == 303
    written = value_at(AllianceFile.open(workspace / EXAMPLE).data, question.parts)
    assert written is not None and written != before
    evaluate_file(workspace / EXAMPLE)  # still valid input for `evaluate`
    after = client.get(f"/a/{EXAMPLE}")
    assert question_path(after.text) != path
    response = answer(client, EXAMPLE, after, action="back")
    assert response.status_code == 303
    assert value_at(AllianceFile.open(workspace / EXAMPLE).data, question.parts) == before
    assert question_path(client.get(f"/a/{EXAMPLE}").text) == path


def test_an_answer_may_say_how_you_know_it(client, workspace):
    """Issue 25: the question page's optional "How do you know?" is kept under the file's evidence."""
    page = client.get(f"/a/{EXAMPLE}")
    assert 'name="source"' in page.text and 'name="evidence_status"' in page.text
    question = consult(AllianceFile.open(workspace / EXAMPLE).document).questions[0]
    reply = "no" if question.kind in ("bool",) or question.path == "concessions" else "1"
    response = answer(client, EXAMPLE, page, answer=reply, action="answer", source="Minutes of 3 May",
                      evidence_status="documented")
    assert response.status_code == 303
    (entry,) = evaluate_file(workspace / EXAMPLE).document.evidence or ()
    assert (entry.fact, entry.source, entry.status) == (question.path, "Minutes of 3 May", "documented")


def test_skip_and_dont_know_pass_the_question_without_writing(client, workspace):
    before = (workspace / EXAMPLE).read_bytes()
    page = client.get(f"/a/{EXAMPLE}")
    first = question_path(page.text)
    answer(client, EXAMPLE, page, action="skip")
    page = client.get(f"/a/{EXAMPLE}")
    second = question_path(page.text)
    answer(client, EXAMPLE, page, action="dont_know")
    third = question_path(client.get(f"/a/{EXAMPLE}").text)
    assert len({first, second, third}) == 3
    assert (workspace / EXAMPLE).read_bytes() == before


def test_a_stale_tab_is_told_and_overwrites_nothing(client, workspace):
    first_tab = client.get(f"/a/{EXAMPLE}")
    second_tab = client.get(f"/a/{EXAMPLE}")
    assert answer(client, EXAMPLE, first_tab, answer="no", action="answer").status_code == 303
    saved = (workspace / EXAMPLE).read_bytes()
    response = answer(client, EXAMPLE, second_tab, answer="yes", detail="our name on their logo", action="answer")
    assert response.status_code == 409
    assert label("web.conflict") in response.text
    assert (workspace / EXAMPLE).read_bytes() == saved
    # The page shown to the loser is the current one: answering from it works.
    assert answer(client, EXAMPLE, response, action="skip").status_code == 303


def test_an_answer_that_is_not_understood_is_said_and_not_written(client, workspace):
    before = (workspace / EXAMPLE).read_bytes()
    page = client.get(f"/a/{EXAMPLE}")
    response = answer(client, EXAMPLE, page, answer="perhaps", action="answer")
    assert response.status_code == 422
    assert "Not understood" in response.text
    assert (workspace / EXAMPLE).read_bytes() == before


def test_add_a_partner(client, workspace):
    page = client.get(f"/a/{EXAMPLE}")
    count = len(AllianceFile.open(workspace / EXAMPLE).data.get("partners") or [])
    assert answer(client, EXAMPLE, page, action="partner", partner="Water Workers' Union").status_code == 303
    partners = AllianceFile.open(workspace / EXAMPLE).data["partners"]
    assert len(partners) == count + 1 and partners[-1]["name"] == "Water Workers' Union"


def test_why_gives_the_guides_words_and_each_answers_verdict(client, workspace):
    page = client.get(f"/a/{EXAMPLE}")
    why_url = re.search(r'class="why" href="([^"]+)"', page.text).group(1).replace("&amp;", "&")
    why = client.get(why_url)
    assert why.status_code == 200
    current = consult(AllianceFile.open(workspace / EXAMPLE).document)
    item = knowledge.guide_items()[current.questions[0].guidance[0]]
    assert item.en.replace("'", "&#39;").replace('"', "&#34;")[:40] in why.text
    assert "→" in why.text


def test_the_panel_shows_the_running_verdict_and_what_could_change_it(client, workspace):
    page = client.get(f"/a/{EXAMPLE}")
    current = consult(AllianceFile.open(workspace / EXAMPLE).document)
    assert label(f"verdict.{current.verdict}") in page.text
    count = len(current.questions) if current.settled else len(current.deciding)
    assert f"{count} " in re.search(r'<p class="status">(.*?)</p>', page.text).group(1)


def test_report_page_and_downloads(client, workspace):
    evaluation = evaluate_file(workspace / EXAMPLE)
    page = client.get(f"/a/{EXAMPLE}/report")
    assert page.status_code == 200 and label(f"verdict.{evaluation.verdict}") in page.text
    assert 'id="next-steps"' in page.text  # the report's own body, in the page
    data = json.loads(client.get(f"/a/{EXAMPLE}/download/json/en").content)
    assert data["verdict"] == evaluation.verdict
    assert client.get(f"/a/{EXAMPLE}/download/yaml/en").content == (workspace / EXAMPLE).read_bytes()
    for lang in ("en", "ar"):
        response = client.get(f"/a/{EXAMPLE}/download/pdf/{lang}")
        assert response.headers["content-type"] == "application/pdf"
        assert "attachment" in response.headers["content-disposition"]
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
        assert evaluation.document.alliance.name.split()[0] in text
    assert client.get(f"/a/{EXAMPLE}/download/exe/en").status_code == 404


def test_language_switch_on_every_page_and_no_open_redirect(client):
    page = client.get("/")
    assert 'dir="ltr"' in page.text and 'href="/lang/ar?next=' in page.text
    response = client.get("/lang/ar?next=%2Fa%2F" + EXAMPLE, follow_redirects=False)
    assert response.headers["location"] == "/a/" + EXAMPLE
    arabic = client.get(f"/a/{EXAMPLE}")
    assert '<html lang="ar" dir="rtl">' in arabic.text and label("web.answer", "ar") in arabic.text
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        assert client.get("/lang/en", params={"next": target}, follow_redirects=False).headers["location"] == "/"


def test_every_page_has_a_strict_csp_and_no_inline_script_or_style(client):
    for url in ("/", f"/a/{EXAMPLE}", f"/a/{EXAMPLE}/report", "/a/nothing.yaml", "/static/app.css"):
        response = client.get(url)
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert "script-src" not in CONTENT_SECURITY_POLICY and "unsafe-inline" not in CONTENT_SECURITY_POLICY
        assert "<script" not in response.text and " style=" not in response.text and "<style" not in response.text
    assert client.get("/static/fonts/Amiri-Regular.ttf").status_code == 200


def test_delete_moves_to_the_trash_recoverably(client, workspace):
    content = (workspace / EXAMPLE).read_bytes()
    token = csrf_of(client.get("/").text)
    response = client.post(f"/a/{EXAMPLE}/delete", data={"csrf": token}, follow_redirects=False)
    assert response.status_code == 303
    assert not (workspace / EXAMPLE).exists()
    trashed = list((workspace / ".trash").iterdir())
    assert len(trashed) == 1 and trashed[0].read_bytes() == content
    assert EXAMPLE not in client.get("/").text
    assert client.get(f"/a/{EXAMPLE}").status_code == 404


def test_an_invalid_file_is_listed_and_its_page_names_the_line(client, workspace):
    (workspace / "broken.yaml").write_text("organisation:\n  name: X\nalliance:\n  name: Y\n  stage: maybe\n")
    assert label("web.invalid") in client.get("/").text
    page = client.get("/a/broken.yaml")
    assert page.status_code == 422 and "broken.yaml:5" in page.text
    assert str(workspace) not in page.text  # the file as the workspace names it, not the server's path
    for path in ("/a/broken.yaml/report", "/a/broken.yaml/form"):
        assert str(workspace) not in client.get(path).text


def test_an_oversized_form_is_refused(client):
    token = csrf_of(client.get("/").text)
    response = client.post("/new", data={"csrf": token, "organisation": "x" * 70_000, "alliance": "y"})
    assert response.status_code == 413
