"""What-if toggles on the result page, over HTTP (Starlette's test client, the real engine and files):
a supposed answer shows the verdict it would give, marked hypothetical, and writes nothing; several
combine; "keep" writes them (CSRF, version check); a toggle that is not one is a 400, never a traceback."""

from __future__ import annotations

import html
import re
import shutil
import urllib.parse

import pytest

pytest.importorskip("starlette")
pytest.importorskip("multipart")

from starlette.testclient import TestClient
from support import EXAMPLES, label

from tahaluf import knowledge
from tahaluf.consultation import answer_value, consult
from tahaluf.evaluation import evaluate_file
from tahaluf.files.alliance_file import AllianceFile
from tahaluf.web.app import create_app

REVIEW = "existing-alliance-review.yaml"  # one open question left, which can raise a red flag
GOALS = "partners[1].private.goals"
AGREED, TIMELINE = "partners[1].private.specific_goals_agreed", "partners[1].private.timeline_agreed"
PARTNER = "AgroFresh Exporters Association"
HOSTILE = "AgroFresh <b>Exporters</b> & <script>alert(1)</script>"


@pytest.fixture
def workspace(tmp_path):
    space = tmp_path / "ws"
    space.mkdir()
    shutil.copy(EXAMPLES / REVIEW, space / REVIEW)
    shutil.copy(EXAMPLES / "climate-labour-alliance.yaml", space / "settled.yaml")
    # Three open questions that can raise a red flag, and a partner name with markup in it.
    text = (EXAMPLES / REVIEW).read_text(encoding="utf-8")
    for line in ("      specific_goals_agreed: yes\n", "      timeline_agreed: yes\n"):
        assert line in text
        text = text.replace(line, "")
    (space / "three.yaml").write_text(text.replace(f"name: {PARTNER}", f"name: \"{HOSTILE}\""), encoding="utf-8")
    return space


@pytest.fixture
def client(workspace):
    return TestClient(create_app(workspace, workers=0))


def key_of(path, answer, name, workspace) -> str:
    """The toggle key of ``answer``: its number among the library's representative answers."""
    question = consult(AllianceFile.open(workspace / name).document).question(path)
    return str(question.answers().index(answer))


def follow(client, page, path: str, key: str):
    """Follow the page's own toggle link for answer ``key`` to ``path``."""
    wanted = urllib.parse.quote(f"{path}={key}", safe="")
    links = [html.unescape(href) for href in re.findall(r'<a class="toggle[^"]*" href="([^"]+)"', page.text)]
    link = next(href for href in links if f"if={wanted}" in href)
    return client.get(link)


def banner(page) -> str:
    found = re.search(r'<div class="hypothesis".*?</div>', page.text, re.S)
    return found.group(0) if found else ""


def verdict_with(workspace, tmp_path, name: str, answers: dict) -> str:
    """The verdict of a copy of the file with ``answers`` really written in (the YAML editor)."""
    copy = tmp_path / f"copy-{len(answers)}.yaml"
    shutil.copy(workspace / name, copy)
    store = AllianceFile.open(copy)
    current = consult(store.document)
    for path, answer in answers.items():
        question = current.question(path)
        store.set(question.parts, answer_value(question, answer))
    return evaluate_file(copy).verdict


def test_a_toggle_that_fails_a_blocker_shows_do_not_proceed_and_writes_nothing(client, workspace, tmp_path):
    before = (workspace / REVIEW).read_bytes()
    page = client.get(f"/a/{REVIEW}/report")
    assert page.status_code == 200 and not banner(page)
    assert evaluate_file(workspace / REVIEW).verdict == "conditions"
    # The toggles are the reasoning layer's deciding questions, in its order.
    current = consult(AllianceFile.open(workspace / REVIEW).document)
    assert [q.path for q in current.deciding] == [GOALS]
    hypothetical = follow(client, page, GOALS, key_of(GOALS, (), REVIEW, workspace))
    assert hypothetical.status_code == 200
    shown = banner(hypothetical)
    assert label("web.whatif.hypothetical") in shown
    expected = verdict_with(workspace, tmp_path, REVIEW, {GOALS: ()})
    assert expected == "do_not_proceed"
    assert re.search(r'class="verdict do_not_proceed">' + re.escape(label("verdict.do_not_proceed")), shown)
    # The findings that change: the private partner's goals check now fails, said by its message.
    texts = knowledge.findings()["PR01"]
    messages = [text.en.replace("{subject}", PARTNER) for text in (texts.message, *(texts.messages or {}).values())]
    assert '<small class="code">PR01</small>' in shown and any(html.escape(m) in shown for m in messages)
    # The report below is the file as it stands; the file is byte-identical.
    assert 'class="verdict-label">' + label("verdict.conditions") in hypothetical.text
    assert (workspace / REVIEW).read_bytes() == before
    assert not (workspace / ".trash").exists()
    # Clear: back to the report with nothing supposed.
    clear = re.search(r'<a class="button" href="([^"]+)">' + label("web.whatif.clear"), shown).group(1)
    assert not banner(client.get(html.unescape(clear)))


def test_two_toggles_combine(client, workspace, tmp_path):
    before = (workspace / "three.yaml").read_bytes()
    page = client.get("/a/three.yaml/report")
    current = consult(AllianceFile.open(workspace / "three.yaml").document)
    assert {AGREED, TIMELINE, GOALS} <= {q.path for q in current.deciding}
    first = follow(client, page, AGREED, key_of(AGREED, True, "three.yaml", workspace))
    one = verdict_with(workspace, tmp_path, "three.yaml", {AGREED: True})
    assert f'class="verdict {one}">' in banner(first)
    both = follow(client, first, TIMELINE, key_of(TIMELINE, False, "three.yaml", workspace))
    assert both.status_code == 200
    shown = banner(both)
    two = verdict_with(workspace, tmp_path, "three.yaml", {AGREED: True, TIMELINE: False})
    assert two == "do_not_proceed" != one
    assert f'class="verdict {two}">' in shown
    assert shown.count("<li>") >= 2 and len(re.findall(r'name="if" value="', shown)) == 2
    # Each supposed answer is marked among the toggles; removing one keeps the other.
    assert both.text.count('aria-current="true"') == 2
    remove = [html.unescape(h) for h in re.findall(r'<a class="remove" href="([^"]+)"', shown)]
    assert len(remove) == 2
    left = client.get(remove[1])
    assert left.status_code == 200 and f'class="verdict {one}">' in banner(left)
    assert (workspace / "three.yaml").read_bytes() == before


def keep_form(page) -> dict:
    form = re.search(r'<form method="post" action="([^"]+)" class="keep">(.*?)</form>', banner(page), re.S)
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(2))
    data: dict = {}
    for name, value in fields:
        data.setdefault(name, []).append(html.unescape(value))
    return form.group(1), data


def test_keep_writes_the_supposed_answers_and_the_real_verdict_matches(client, workspace):
    page = client.get("/a/three.yaml/report")
    first = follow(client, page, AGREED, key_of(AGREED, True, "three.yaml", workspace))
    both = follow(client, first, TIMELINE, key_of(TIMELINE, False, "three.yaml", workspace))
    shown_verdict = re.search(r'class="hypothetical-verdict">.*?class="verdict (\w+)"', banner(both), re.S).group(1)
    action, data = keep_form(both)
    response = client.post(action, data=data, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/a/three.yaml/report"
    stored = AllianceFile.open(workspace / "three.yaml").document.partners[1].private
    assert stored.specific_goals_agreed is True and stored.timeline_agreed is False
    assert evaluate_file(workspace / "three.yaml").verdict == shown_verdict == "do_not_proceed"
    after = client.get(response.headers["location"])
    assert not banner(after) and 'class="verdict-label">' + label("verdict.do_not_proceed") in after.text
    # The comments of the file are kept: the YAML editor wrote it.
    assert (workspace / "three.yaml").read_text(encoding="utf-8").startswith("# An alliance that has run")


def test_keep_from_a_stale_page_or_without_the_csrf_token_writes_nothing(client, workspace):
    page = client.get("/a/three.yaml/report")
    stale = follow(client, page, AGREED, key_of(AGREED, False, "three.yaml", workspace))
    fresh = follow(client, page, TIMELINE, key_of(TIMELINE, True, "three.yaml", workspace))
    action, data = keep_form(fresh)
    assert client.post(action, data={**data, "csrf": "forged"}).status_code == 403
    assert client.post(action, data=data, follow_redirects=False).status_code == 303
    saved = (workspace / "three.yaml").read_bytes()
    action, data = keep_form(stale)
    response = client.post(action, data=data)
    assert response.status_code == 409 and label("web.whatif.conflict") in response.text
    assert (workspace / "three.yaml").read_bytes() == saved


@pytest.mark.parametrize("value", [
    "nothing.here=0", "alliance.name=0", f"{GOALS}=9", f"{GOALS}=x", f"{GOALS}=-1", f"{GOALS}=", GOALS,
    f"{GOALS}=١", f"{GOALS}={'9' * 5000}", "=0", "partners[99].sector=0", "partners[1.private=0"])
def test_a_toggle_that_is_not_one_is_refused_with_a_message(client, workspace, value):
    before = (workspace / REVIEW).read_bytes()
    response = client.get(f"/a/{REVIEW}/report", params={"if": value})
    assert response.status_code == 400
    assert label("web.whatif.bad").split("{")[0] in response.text
    assert "Traceback" not in response.text
    assert (workspace / REVIEW).read_bytes() == before


def test_the_same_question_twice_is_refused(client):
    response = client.get(f"/a/{REVIEW}/report", params=[("if", f"{GOALS}=0"), ("if", f"{GOALS}=1")])
    assert response.status_code == 400 and "twice" in response.text


def test_a_keep_with_a_toggle_that_is_not_one_writes_nothing(client, workspace):
    page = client.get("/a/three.yaml/report")
    action, data = keep_form(follow(client, page, AGREED, key_of(AGREED, True, "three.yaml", workspace)))
    before = (workspace / "three.yaml").read_bytes()
    for toggles in (["alliance.name=0"], data["if"] + [f"{TIMELINE}=7"], data["if"] + ["<b>=0"]):
        response = client.post(action, data={**data, "if": toggles})
        assert response.status_code == 400 and label("web.whatif.bad").split("{")[0] in response.text
        assert "<b>" not in response.text
    assert (workspace / "three.yaml").read_bytes() == before  # all of them or none


def test_user_values_in_toggles_and_the_banner_are_escaped(client, workspace):
    page = client.get("/a/three.yaml/report")
    assert "<script>alert(1)</script>" not in page.text and "<b>Exporters</b>" not in page.text
    assert "&lt;b&gt;Exporters&lt;/b&gt;" in page.text  # in the toggles' questions
    shown = follow(client, page, GOALS, key_of(GOALS, (), "three.yaml", workspace))
    assert "<script>alert(1)</script>" not in shown.text and "&lt;script&gt;" in banner(shown)
    hostile = client.get(f"/a/{REVIEW}/report", params={"if": "<script>alert(1)</script>=0"})
    assert hostile.status_code == 400
    assert "<script>" not in hostile.text and "&lt;script&gt;" in hostile.text


def test_a_settled_verdict_has_no_toggles(client):
    page = client.get("/a/settled.yaml/report")
    assert page.status_code == 200
    assert label("web.whatif.none") in page.text and 'class="toggle' not in page.text


def test_what_if_speaks_arabic(client, workspace):
    client.get("/lang/ar")
    page = client.get(f"/a/{REVIEW}/report")
    assert label("web.whatif.heading", "ar") in page.text
    shown = banner(follow(client, page, GOALS, key_of(GOALS, (), REVIEW, workspace)))
    assert label("web.whatif.hypothetical", "ar") in shown and label("verdict.do_not_proceed", "ar") in shown


def test_a_stand_in_answer_is_supposed_but_never_kept(client, workspace):
    """A placeholder goal shows what a dated goal would do, but only the director can write the goal."""
    from tahaluf.consultation import REPRESENTATIVE_DATED_GOAL

    page = client.get("/a/three.yaml/report")
    supposed = follow(client, page, GOALS, key_of(GOALS, (REPRESENTATIVE_DATED_GOAL,), "three.yaml", workspace))
    assert supposed.status_code == 200
    shown = banner(supposed)
    assert html.escape(label("web.whatif.stand_in"), quote=False) in shown
    assert label("web.whatif.keep") not in shown  # no keep button
    # A keep posted anyway (the toggle's key by hand) is refused, and the file is untouched.
    action, data = keep_form(supposed)
    data["if"] = [f"{GOALS}={key_of(GOALS, (REPRESENTATIVE_DATED_GOAL,), 'three.yaml', workspace)}"]
    before = (workspace / "three.yaml").read_bytes()
    response = client.post(action, data=data, follow_redirects=False)
    assert response.status_code == 400 and GOALS in html.unescape(response.text)
    assert (workspace / "three.yaml").read_bytes() == before
