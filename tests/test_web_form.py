"""The full form (/a/FILE/form) and duplicating an assessment, over HTTP (Starlette's test client,
the real engine, the real files): the form is generated from the model (a field added to the
model shows up), worded by the knowledge base, saves through the same YAML editor as the
interview (comments kept, only what changed written), says an invalid value next to its field,
and refuses a stale tab; a duplicate is a byte-for-byte copy under a free name."""

from __future__ import annotations

import html
import re
import shutil
import typing
from html.parser import HTMLParser

import pytest

pytest.importorskip("starlette")
pytest.importorskip("multipart")

from pydantic import BaseModel
from starlette.testclient import TestClient
from support import EXAMPLES, csrf_of, label

from tahaluf import knowledge, model
from tahaluf.asking import question_text
from tahaluf.consultation import as_data, consult
from tahaluf.evaluation import evaluate_file
from tahaluf.files.alliance_file import AllianceFile
from tahaluf.schema_walker import unwrap
from tahaluf.web import fullform, fullform_view
from tahaluf.web.app import create_app
from tahaluf.web.history import History

EXAMPLE = "private-sector-offer.yaml"
# One item in every list of items the model has, so every field of the model is on the form.
EVERY_LIST = """\
# An assessment with one of everything (comments must survive a save).
respondent: Amal
respondents: [Amal, Omar]
disputes:
  - path: partners[0].sector
    answers:
      - respondent: Amal
        value: private
      - respondent: Omar
        value: ngo
as_of: 2027-03-01
organisation:
  name: Our NGO            # required
  core_objectives: [Clean water for all]
alliance:
  name: Water Alliance
  goals:
    - Train 400 workers    # a goal written as a sentence
  timeline:
    milestones:
      - what: First report
        date: 2027-09
  motive_evidence:
    numbers: twelve member groups
partners:
  - name: Acme Ltd         # the company
    sector: private
    government:
      approach: mixed
    private:
      goals:
        - goal: Fund ten clinics
concessions:
  - what: Drop our logo
review:
  events:
    - kind: went_to_media
actions:
  - what: Agree a timeline
evidence:
  - fact: partners[0].sector
    source: Its registration record
"""


@pytest.fixture
def workspace(tmp_path):
    space = tmp_path / "ws"
    space.mkdir()
    shutil.copy(EXAMPLES / EXAMPLE, space / EXAMPLE)
    (space / "every.yaml").write_text(EVERY_LIST, encoding="utf-8")
    return space


@pytest.fixture
def client(workspace):
    return TestClient(create_app(workspace, workers=0))


class _Browser(HTMLParser):
    """What a browser sends for the page's form when nothing is changed: every named input."""

    def __init__(self):
        super().__init__()
        self.sent: dict[str, list[str]] = {}
        self.names: set[str] = set()
        self._textarea: list | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attributes):
        a = dict(attributes)
        if "name" in a:
            self.names.add(a["name"])
        if tag == "input" and "name" in a:
            if a.get("type") in ("radio", "checkbox"):
                if "checked" in a:
                    self.sent.setdefault(a["name"], []).append(a.get("value", "on"))
            else:
                self.sent.setdefault(a["name"], []).append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = [a["name"], ""]
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and "selected" in a:
            self.sent.setdefault(self._select, []).append(a["value"])

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.sent.setdefault(self._textarea[0], []).append(self._textarea[1])
            self._textarea = None


def form_of(page: str) -> _Browser:
    parser = _Browser()
    parser.feed(page)
    return parser


def submit(client, name: str, page: str, action: str = "save", **changes):
    """Post the form as shown, with ``changes`` (input name -> value or list of values) made."""
    sent = form_of(page).sent
    for key, value in changes.items():
        sent[key] = value if isinstance(value, list) else [value]
    sent["action"] = [action]
    return client.post(f"/a/{name}/form", data=sent, follow_redirects=False)


def model_leaf_paths(root: type[BaseModel], prefix: str = "") -> list[str]:
    """Every fact of the model, walked here on its own (not with the app's walker): lists of
    items at their first item, a mapping with fixed keys at each key."""
    found = []
    for name, info in root.model_fields.items():
        path = f"{prefix}.{name}" if prefix else name
        inner = unwrap(info.annotation)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            found += model_leaf_paths(inner, path)
        elif typing.get_origin(inner) is list and isinstance(unwrap(typing.get_args(inner)[0]), type) \
                and issubclass(unwrap(typing.get_args(inner)[0]), BaseModel):
            found += model_leaf_paths(unwrap(typing.get_args(inner)[0]), f"{path}[0]")
        elif typing.get_origin(inner) is dict:
            found += [f"{path}.{key}" for key in typing.get_args(unwrap(typing.get_args(inner)[0]))]
        else:
            found.append(path)
    return found


# Generated from the model, worded by the knowledge base --------------------------------------------


def test_the_form_has_an_input_for_every_fact_of_the_model(client):
    page = client.get("/a/every.yaml/form")
    assert page.status_code == 200
    names = form_of(page.text).names
    expected = model_leaf_paths(model.AllianceDocument)
    assert len(expected) > 130
    assert [path for path in expected if path not in names] == []


def test_a_field_added_to_the_model_shows_up_in_the_form():
    class Partner(model.Partner):
        trusted_by_donors: bool | None = None

    class Governance(model.Governance):
        meeting_place: model.Name | None = None

    class Document(model.AllianceDocument):
        partners: list[Partner] | None = None
        governance: Governance | None = None
        founded: model.Day | None = None

    root = fullform.schema(Document)
    data = {"organisation": {"name": "Our NGO"}, "alliance": {"name": "A"},
            "partners": [{"name": "Acme", "trusted_by_donors": True}]}
    t = {key: text("en") for key, text in knowledge.labels().items()}
    sections = fullform_view.view(fullform.state_of(data, t, root), "en", t, root=root)
    fields = {}

    def walk(nodes):
        for node in nodes:
            fields[node["name"]] = node
            walk(node.get("children", []))
            for row in node.get("rows", []):
                walk(row["children"])

    for section in sections:
        walk(section["nodes"])
    assert fields["partners[0].trusted_by_donors"]["widget"] == "bool"
    assert [o["checked"] for o in fields["partners[0].trusted_by_donors"]["options"]] == [True, False, False]
    assert fields["governance.meeting_place"]["widget"] == "text"
    assert fields["founded"]["widget"] == "date"
    # and every field of the extended model has its input
    assert set(fullform.leaf_names(root, {"partners": 1})) >= {"partners[0].trusted_by_donors", "founded",
                                                              "governance.meeting_place"}


def knowledge_keys(node, found: list[str]) -> list[str]:
    for child in node.children:
        found.append(child.key)
        if isinstance(child, fullform.Group):
            knowledge_keys(child, found)
        elif isinstance(child, fullform.Items):
            knowledge_keys(child.item, found)
    return found


def test_every_field_is_worded_in_both_languages_and_no_wording_is_stale():
    keys = knowledge_keys(fullform.schema(), [])
    words = knowledge.fields()
    assert [key for key in keys if key not in words] == []
    assert [key for key in words if key not in keys] == []
    for key, text in words.items():
        assert text.en.strip() and text.ar.strip(), key
        assert re.search("[\u0600-\u06ff]", text.ar), key
    for node in (c for c in _all_nodes(fullform.schema()) if isinstance(c, fullform.Items)):
        assert words[node.key].item and words[node.key].add, node.key


def _all_nodes(group):
    for child in group.children:
        yield child
        if isinstance(child, fullform.Group):
            yield from _all_nodes(child)
        elif isinstance(child, fullform.Items):
            yield from _all_nodes(child.item)


def test_sections_in_the_models_order_with_the_knowledge_wording(client):
    page = client.get(f"/a/{EXAMPLE}/form").text
    titles = re.findall(r'<section class="form-section" id="s-([^"]+)">\s*<h2>([^<]*)</h2>', page)
    top = [name for name in model.AllianceDocument.model_fields
           if name not in ("respondent", "respondents", "as_of")]
    assert [section for section, _ in titles] == ["assessment"] + top
    assert titles[1:] == [(name, html.escape(knowledge.fields()[name].en, quote=False)) for name in top]
    # a choice: its answers in the labels' words, and "don't know" (empty) for unknown
    scope = re.search(r'<fieldset class="choice radio" id="f-alliance-scope".*?</fieldset>', page, re.S).group(0)
    assert 'value="local" checked' in scope and label("choice.national") in scope
    assert 'value=""' in scope and label("web.dont_know") in html.unescape(scope)
    # the guide's items that the fact tests, in the page's language
    assert knowledge.guide_items()["G-PRV-2"].en[:40] in html.unescape(page)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_questions_still_open_are_asked_at_their_fields_in_the_interviews_words(client, workspace, lang):
    client.get(f"/lang/{lang}")
    store = AllianceFile.open(workspace / EXAMPLE)
    questions = consult(store.document).questions
    assert len(questions) > 10
    page = client.get(f"/a/{EXAMPLE}/form").text
    t = {key: text(lang) for key, text in knowledge.labels().items()}
    for question in questions:
        box = re.search(f'id="{fullform_view.html_id(question.path)}".*?</div>', page, re.S).group(0)
        assert question_text(question, store.data, lang, t) in html.unescape(box), question.path
    assert page.count('class="asked"') == len(questions)


def test_the_arabic_form_is_right_to_left_and_in_arabic(client):
    client.get("/lang/ar")
    page = client.get(f"/a/{EXAMPLE}/form").text
    assert re.search(r'<html lang="ar" dir="rtl">', page)
    assert knowledge.fields()["organisation.name"].ar in page
    assert knowledge.fields()["partners"].add.ar in page
    assert label("web.dont_know", "ar") in page and label("choice.proposed", "ar") in page
    assert label("web.form", "ar") in page and label("web.form.save", "ar") in page


def test_the_question_page_and_the_report_link_to_the_form(client):
    for lang in ("en", "ar"):
        client.get(f"/lang/{lang}")
        for url in (f"/a/{EXAMPLE}", f"/a/{EXAMPLE}/report"):
            page = client.get(url).text
            assert f'<a class="full-form-link" href="/a/{EXAMPLE}/form">' in page or \
                   f'<a href="/a/{EXAMPLE}/form">{label("web.form", lang)}</a>' in page, (lang, url)
            assert label("web.form", lang) in page


# Saving --------------------------------------------------------------------------------------------


def test_an_unchanged_form_writes_nothing(client, workspace):
    for name in (EXAMPLE, "every.yaml"):
        before = (workspace / name).read_bytes()
        response = submit(client, name, client.get(f"/a/{name}/form").text)
        assert response.status_code == 303 and response.headers["location"] == f"/a/{name}/form?saved=1"
        assert (workspace / name).read_bytes() == before


def test_a_saved_form_is_what_evaluate_reads_and_the_comments_stay(client, workspace):
    path = workspace / "every.yaml"
    comments = [line.split("#", 1)[1] for line in path.read_text().splitlines() if "#" in line]
    page = client.get("/a/every.yaml/form").text
    response = submit(client, "every.yaml", page, **{
        "organisation.size": "large", "alliance.scope": "national", "alliance.stage": "proposed",
        "alliance.motives": ["numbers", "stability"], "partners[0].met": "no",
        "partners[0].strengths": "Funding\r\nLogistics", "partners[0].government.approach": "",
        "governance.spokesperson": "nobody", "governance.steering_committee.quorum": "5",
        "monitoring.what_is_monitored": "", "alliance.goals[0].measure": "certificates issued",
        "organisation.decision_process": "The board votes"})
    assert response.status_code == 303, response.text
    document = evaluate_file(path).document
    assert document.organisation.size == "large" and document.alliance.scope == "national"
    assert document.alliance.motives == ["numbers", "stability"]
    assert document.partners[0].met is False and document.partners[0].strengths == ["Funding", "Logistics"]
    assert document.partners[0].government.approach is None
    assert document.governance.spokesperson is False and document.governance.steering_committee.quorum == 5
    assert document.alliance.goals[0].goal == "Train 400 workers"
    assert document.alliance.goals[0].measure == "certificates issued"
    assert document.organisation.decision_process == "The board votes"
    assert document.partners[0].name == "Acme Ltd" and document.partners[0].private.goals[0].goal == "Fund ten clinics"
    text = path.read_text()
    assert all(comment in text for comment in comments)
    # the form now shows what the file holds
    shown = form_of(client.get("/a/every.yaml/form").text).sent
    assert shown["organisation.size"] == ["large"] and shown["partners[0].met"] == ["no"]
    assert shown["partners[0].strengths"] == ["Funding\nLogistics"]


def test_known_none_and_unknown_are_kept_apart(client, workspace):
    path = workspace / "every.yaml"
    page = client.get("/a/every.yaml/form").text
    response = submit(client, "every.yaml", page, none=["partners[0].weaknesses", "partners[0].private.company_gets"],
                      **{"concessions[0].can_live_with": "yes"})
    assert response.status_code == 303
    partner = evaluate_file(path).document.partners[0]
    assert partner.weaknesses == [] and partner.private.company_gets == [] and partner.strengths is None
    page = client.get("/a/every.yaml/form").text
    assert 'name="none" value="partners[0].weaknesses" checked' in page
    response = submit(client, "every.yaml", page, none=[])
    assert response.status_code == 303
    assert evaluate_file(path).document.partners[0].weaknesses is None


def test_add_a_partner_then_save_it(client, workspace):
    path = workspace / EXAMPLE
    before = path.read_bytes()
    page = client.get(f"/a/{EXAMPLE}/form").text
    added = submit(client, EXAMPLE, page, action="add:partners", **{"organisation.decision_process": "By consensus"})
    assert added.status_code == 200 and path.read_bytes() == before  # nothing written yet
    assert re.search(r'<input id="f-partners-2--name" name="partners\[2\]\.name" value="" dir="auto"[^>]*autofocus',
                     added.text)
    assert ">By consensus</textarea>" in added.text  # what was typed before adding is still there
    saved = submit(client, EXAMPLE, added.text, **{"partners[2].name": "Water Workers Union",
                                                  "partners[2].sector": "union"})
    assert saved.status_code == 303, saved.text
    document = evaluate_file(path).document
    assert [p.name for p in document.partners][2] == "Water Workers Union" and document.partners[2].sector == "union"
    assert document.organisation.decision_process == "By consensus"
    # a row added and left empty is not a partner
    page = client.get(f"/a/{EXAMPLE}/form").text
    added = submit(client, EXAMPLE, page, action="add:partners")
    assert submit(client, EXAMPLE, added.text).status_code == 303
    assert len(evaluate_file(path).document.partners) == 3


def test_remove_a_partner_and_errors_stay_on_the_row_shown(client, workspace):
    path = workspace / EXAMPLE
    names = [p.name for p in evaluate_file(path).document.partners]
    page = client.get(f"/a/{EXAMPLE}/form").text
    # removing the first partner and blanking the second's name: the error is the second row's
    bad = submit(client, EXAMPLE, page, remove=["partners[0]"], **{"partners[1].name": ""})
    assert bad.status_code == 400
    field = re.search(r'id="f-partners-1--name".*?</div>', bad.text, re.S).group(0)
    assert 'class="field-error"' in field
    assert 'name="remove" value="partners[0]" checked' in bad.text
    ok = submit(client, EXAMPLE, page, remove=["partners[0]"])
    assert ok.status_code == 303
    assert [p.name for p in evaluate_file(path).document.partners] == names[1:]


def test_an_invalid_value_is_refused_next_to_its_field_and_nothing_is_lost(client, workspace):
    path = workspace / EXAMPLE
    before = path.read_bytes()
    page = client.get(f"/a/{EXAMPLE}/form").text
    response = submit(client, EXAMPLE, page, **{"governance.steering_committee.quorum": "many",
                                                "alliance.stage": "maybe",
                                                "organisation.decision_process": "The board votes"})
    assert response.status_code == 400
    assert path.read_bytes() == before
    assert label("web.form.invalid") in response.text
    quorum = re.search(r'id="f-governance-steering_committee-quorum".*?</div>', response.text, re.S).group(0)
    assert re.search(r'class="field-error"[^>]*>[^<]*integer', quorum)
    stage = re.search(r'id="f-alliance-stage".*?</div>', response.text, re.S).group(0)
    assert "is not one of" in stage and 'value="maybe" checked' in stage
    # the list of problems names each field, linked to it
    assert 'href="#f-governance-steering_committee-quorum"' in response.text
    assert "governance.steering_committee.quorum" in response.text
    # what was typed is still in the form
    assert 'value="many"' in response.text and "The board votes" in response.text


def test_a_concession_naming_an_unknown_objective_is_a_problem_of_the_whole_file(client, workspace):
    page = client.get(f"/a/{EXAMPLE}/form").text
    response = submit(client, EXAMPLE, page, **{"concessions[0].core_objective": "Something else"})
    assert response.status_code == 400
    assert label("web.form.whole_file") in response.text and "not in organisation.core_objectives" in response.text


def test_a_stale_tab_is_told_and_overwrites_nothing(client, workspace):
    path = workspace / EXAMPLE
    first = client.get(f"/a/{EXAMPLE}/form").text
    second = client.get(f"/a/{EXAMPLE}/form").text
    assert submit(client, EXAMPLE, second, **{"alliance.scope": "regional"}).status_code == 303
    response = submit(client, EXAMPLE, first, **{"alliance.scope": "global", "organisation.decision_process": "Vote"})
    assert response.status_code == 409
    assert label("web.form.conflict") in response.text
    document = evaluate_file(path).document
    assert document.alliance.scope == "regional" and document.organisation.decision_process is None
    # the loser's values are listed, and the form shows the file as it stands now
    unsaved = re.search(r'<ul class="unsaved">.*?</ul>', response.text, re.S).group(0)
    assert "global" in unsaved and "Vote" in unsaved
    assert form_of(response.text).sent["alliance.scope"] == ["regional"]
    # an interview answer also makes the form's version stale
    page = client.get(f"/a/{EXAMPLE}/form").text
    AllianceFile.open(path).set(("monitoring", "lessons_shared"), True)
    assert submit(client, EXAMPLE, page, **{"alliance.scope": "local"}).status_code == 409


def test_hostile_values_are_escaped(client, workspace):
    page = client.get(f"/a/{EXAMPLE}/form").text
    response = submit(client, EXAMPLE, page, **{
        "alliance.purpose": '<script>alert("x")</script>', "partners[0].name": '"><img src=x onerror=alert(1)>'})
    assert response.status_code == 303
    page = client.get(f"/a/{EXAMPLE}/form").text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert 'value="&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"' in page
    assert "<bdi>&#34;&gt;&lt;img src=x onerror=alert(1)&gt;</bdi>" in page  # the partner's row title
    assert evaluate_file(workspace / EXAMPLE).document.partners[0].name == '"><img src=x onerror=alert(1)>'
    # a hostile value sent for a choice is refused, and shown escaped
    response = submit(client, EXAMPLE, page, **{"alliance.scope": "<b>x</b>"})
    assert response.status_code == 400 and "<b>x</b>" not in response.text


def test_the_form_posts_need_the_csrf_token_and_stay_in_the_workspace(client, workspace):
    before = (workspace / EXAMPLE).read_bytes()
    page = client.get(f"/a/{EXAMPLE}/form").text
    sent = form_of(page).sent
    del sent["csrf"]
    assert client.post(f"/a/{EXAMPLE}/form", data=sent).status_code == 403
    assert (workspace / EXAMPLE).read_bytes() == before
    for name in ("..%2F..%2Fetc%2Fpasswd", ".hidden.yaml", "x.txt", "missing.yaml"):
        assert client.get(f"/a/{name}/form").status_code in (400, 404)
        assert client.post(f"/a/{name}/form", data={"csrf": csrf_of(page)}).status_code in (400, 404)


def test_a_sentence_timeline_keeps_its_words_when_a_date_is_added(client, workspace):
    path = workspace / "sentence.yaml"
    path.write_text("organisation:\n  name: O\nalliance:\n  name: A\n  timeline: Two years from the launch\n"
                    "  goals: [Train 400 workers]\n")
    page = client.get("/a/sentence.yaml/form").text
    assert submit(client, "sentence.yaml", page, **{"alliance.timeline.start": "2027-01"}).status_code == 303
    alliance = evaluate_file(path).document.alliance
    assert alliance.timeline.note == "Two years from the launch" and str(alliance.timeline.start) == "2027-01-01"
    assert "goals: [Train 400 workers]" in path.read_text()  # untouched: as the file wrote it


# Duplicate ----------------------------------------------------------------------------------------------


def test_duplicate_is_a_byte_for_byte_copy_under_a_new_name(client, workspace):
    original = workspace / EXAMPLE
    index = client.get("/").text
    assert f'action="/a/{EXAMPLE}/duplicate"' in index and label("web.duplicate") in index
    client.get(f"/a/{EXAMPLE}/report")  # the original has history
    response = client.post(f"/a/{EXAMPLE}/duplicate", data={"csrf": csrf_of(index)}, follow_redirects=False)
    assert response.status_code == 303
    copy = workspace / "private-sector-offer-copy.yaml"
    assert response.headers["location"] == f"/a/{copy.name}"
    assert copy.read_bytes() == original.read_bytes()
    a, b = evaluate_file(original), evaluate_file(copy)
    assert a.verdict == b.verdict and [(f.rule, f.status) for f in a.inference.findings] == \
        [(f.rule, f.status) for f in b.inference.findings]
    assert History(workspace).of(copy.name) == [] and History(workspace).of(EXAMPLE) != []
    report = client.get(f"/a/{EXAMPLE}/report").text
    assert f'action="/a/{EXAMPLE}/duplicate"' in report
    again = client.post(f"/a/{EXAMPLE}/duplicate", data={"csrf": csrf_of(report)}, follow_redirects=False)
    assert again.headers["location"] == "/a/private-sector-offer-copy-2.yaml"
    assert (workspace / "private-sector-offer-copy-2.yaml").read_bytes() == original.read_bytes()
    assert client.get(again.headers["location"]).status_code == 200
    assert not list(workspace.glob(".copy-*"))


def test_a_duplicate_does_not_take_a_deleted_assessments_name_and_history(client, workspace):
    token = csrf_of(client.get("/").text)
    first = client.post(f"/a/{EXAMPLE}/duplicate", data={"csrf": token}, follow_redirects=False)
    copy = first.headers["location"].removeprefix("/a/")
    client.get(f"/a/{copy}/report")  # its history
    client.post(f"/a/{copy}/delete", data={"csrf": token})
    assert not (workspace / copy).exists()
    second = client.post(f"/a/{EXAMPLE}/duplicate", data={"csrf": token}, follow_redirects=False)
    assert second.headers["location"] == "/a/private-sector-offer-copy-2.yaml"


def test_duplicate_refuses_a_bad_or_absent_name_and_a_missing_token(client, workspace):
    token = csrf_of(client.get("/").text)
    before = sorted(p.name for p in workspace.iterdir())
    for name, status, key in (("missing.yaml", 404, "web.not_found"), ("..%2Fx.yaml", 400, "web.refused"),
                              (".hidden.yaml", 400, "web.refused"), ("x.txt", 400, "web.refused")):
        response = client.post(f"/a/{name}/duplicate", data={"csrf": token})
        assert response.status_code in (status, 404), name
        assert label(key) in response.text or label("web.not_found") in response.text
    for data in ({}, {"csrf": ""}, {"csrf": token + "x"}):
        response = client.post(f"/a/{EXAMPLE}/duplicate", data=data)
        assert response.status_code == 403 and label("web.forbidden") in response.text
    assert sorted(p.name for p in workspace.iterdir()) == before


def test_a_duplicate_of_a_long_name_stays_within_the_name_limit(client, workspace):
    long_name = ("تحالف-" * 10) + "x.yaml"
    assert len(long_name.encode()) <= 120
    shutil.copy(workspace / EXAMPLE, workspace / long_name)
    token = csrf_of(client.get("/").text)
    response = client.post(f"/a/{long_name}/duplicate", data={"csrf": token}, follow_redirects=False)
    assert response.status_code == 303
    made = [p for p in workspace.iterdir() if p.name.endswith("-copy.yaml") and p.name != long_name]
    assert len(made) == 1 and len(made[0].name.encode()) <= 120
    assert made[0].read_bytes() == (workspace / EXAMPLE).read_bytes()


def test_the_form_values_come_from_the_validated_document(workspace):
    """Arabic answers in the file show as the form's own choices (and are not rewritten)."""
    path = workspace / "arabic.yaml"
    path.write_text("organisation:\n  name: منظمتنا\n  size: صغيرة\nalliance:\n  name: تحالف\n  stage: مقترح\n"
                    "governance:\n  spokesperson: لا أحد\n", encoding="utf-8")
    t = {key: text("ar") for key, text in knowledge.labels().items()}
    state = fullform.state_of(as_data(AllianceFile.open(path).document), t)
    assert state.values["organisation.size"] == ("small",) and state.values["alliance.stage"] == ("proposed",)
    assert state.values["governance.spokesperson"] == (label("plan.nobody", "ar"),)


def test_an_invalid_file_is_not_shown_as_a_form_and_not_written(client, workspace):
    path = workspace / "broken.yaml"
    path.write_text("organisation:\n  name: X\nalliance:\n  name: Y\n  stage: maybe\n")
    page = client.get("/a/broken.yaml/form")
    assert page.status_code == 422 and "broken.yaml:5" in page.text
    token = csrf_of(client.get("/").text)
    response = client.post("/a/broken.yaml/form", data={"csrf": token, "version": "0" * 64,
                                                        "alliance.stage": "proposed", "action": "save"})
    assert response.status_code == 422 and path.read_text().endswith("stage: maybe\n")


def test_the_arabic_form_says_an_invalid_value_in_arabic(client, workspace):
    """The loader's message is the catalogue's: on the Arabic page, in Arabic, next to its field."""
    client.get("/lang/ar")
    page = client.get(f"/a/{EXAMPLE}/form").text
    response = submit(client, EXAMPLE, page, **{"alliance.stage": "maybe"})
    assert response.status_code == 400
    stage = re.search(r'id="f-alliance-stage".*?</div>', response.text, re.S).group(0)
    assert "ليست من القيم المقبولة" in stage and "is not one of" not in stage
