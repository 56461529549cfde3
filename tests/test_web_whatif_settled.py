"""The web what-if on any verdict (issue 22): on a settled one too, a director can suppose another
answer to a fact of a red flag or a failed condition and see the verdict it gives. The answers that
would change the verdict are the toggles (the reasoning layer's what_it_takes.supposable decides);
the rest sit under "more"; no two toggles read the same; none shows a path or a rule slug."""

from __future__ import annotations

import html
import re

import pytest
import yaml

pytest.importorskip("starlette")
pytest.importorskip("multipart")

from starlette.testclient import TestClient
from support import EXAMPLES, label, set_language, workspace_with
from test_diff_words import PARTNER, machine_words, question

from tahaluf import knowledge
from tahaluf.web.app import create_app

SETTLED = "private-sector-offer.yaml"  # do not proceed, settled: the company has not agreed a timeline


def section(page: str, name: str) -> str:
    match = re.search(rf'<details class="{name}"[^>]*>(.*?)</details>', page, re.S)
    return match.group(1) if match else ""


def texts(fragment: str, css: str) -> list[str]:
    """The texts of the paragraphs of class ``css``, a toggle's consequence left out."""
    return [html.unescape(re.sub(r"<[^>]+>", "", re.sub(r'<span class="meta">.*?</span>', "", m))).strip()
            for m in re.findall(rf'<p class="{css}">(.*?)</p>', fragment, re.S)]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_settled_verdict_offers_the_answers_that_would_change_it(tmp_path, lang):
    workspace = workspace_with(tmp_path, SETTLED)
    before = (workspace / SETTLED).read_bytes()
    client = TestClient(create_app(workspace))
    set_language(client, lang)
    page = client.get(f"/a/{SETTLED}/report").text
    toggles = section(page, "toggles")
    about = label("interview.about_partner", lang).replace("{subject}", PARTNER)
    timeline = about.replace("{question}", question("partners[].private.timeline_agreed", lang))
    assert texts(toggles, "toggle-question") == [timeline]
    # Its answer "yes" (the file says no) and the verdict it gives; "no" is the file's, not offered.
    gives = label("web.whatif.gives", lang).replace("{verdict}", label("verdict.conditions", lang))
    link = re.search(r'<a class="toggle" href="([^"]+)">' + re.escape(label("label.yes", lang))
                     + r' <span class="gives">' + re.escape(gives), toggles)
    assert link and f">{label('label.no', lang)}<" not in toggles
    more = section(page, "more")  # the failed condition's fact: alone, it changes nothing
    statements = question("partners[].past_statements_reviewed", lang)
    assert about.replace("{question}", statements) in texts(more, "toggle-question")

    supposed = client.get(html.unescape(link.group(1))).text
    banner = re.search(r'<div class="hypothesis".*?</form>', supposed, re.S).group(0)
    assert re.search(r'class="verdict conditions">' + re.escape(label("verdict.conditions", lang)), banner)
    # From there, what else it would take: the goals, now asked; agree dated ones too.
    goals = section(supposed, "toggles")
    assert about.replace("{question}", question("partners[].private.goals", lang)) in texts(goals, "toggle-question")
    dated = re.search(r'<a class="toggle" href="([^"]+)">' + re.escape(label("whatif.answer.dated_goal", lang)), goals)
    supposed = client.get(html.unescape(dated.group(1))).text
    banner = re.search(r'<div class="hypothesis".*?</form>', supposed, re.S).group(0)
    flag = knowledge.findings()["PR01"].message_for("no_timeline")(lang).replace("{subject}", PARTNER)
    plain = html.unescape(re.sub(r"<[^>]+>", " ", banner))
    assert label("diff.line.resolved", lang).replace("{text}", flag) in plain
    assert machine_words(plain, lang) == []
    assert label("web.whatif.stand_in", lang) in html.unescape(banner)  # a stand-in goal: not to be kept as is
    assert (workspace / SETTLED).read_bytes() == before


def open_private_terms(tmp_path):
    """The private-sector example with the company's goals and timeline not yet known: one check
    (PR01) waits on three facts, which once read as three identical toggles."""
    workspace = workspace_with(tmp_path, SETTLED)
    data = yaml.safe_load((workspace / SETTLED).read_text(encoding="utf-8"))
    for key in ("specific_goals_agreed", "timeline_agreed"):
        data["partners"][0]["private"].pop(key)
    (workspace / "open-terms.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                               encoding="utf-8")
    return workspace


@pytest.mark.parametrize("example", ["open-terms.yaml", *sorted(p.name for p in EXAMPLES.glob("*.yaml"))])
def test_no_two_toggles_read_the_same_and_none_shows_a_path(tmp_path, example):
    workspace = open_private_terms(tmp_path) if example == "open-terms.yaml" else workspace_with(tmp_path, example)
    client = TestClient(create_app(workspace))
    for lang in ("en", "ar"):
        set_language(client, lang)
        page = client.get(f"/a/{example}/report").text
        whatif = re.search(r'<section id="whatif".*?</section>', page, re.S).group(0)
        shown = texts(whatif, "toggle-question")
        assert len(shown) == len(set(shown)), [t for t in shown if shown.count(t) > 1]
        assert machine_words(html.unescape(re.sub(r"<[^>]+>", " ", whatif)), lang) == []


def test_keeping_a_supposed_answer_to_a_known_fact_writes_it(tmp_path):
    from test_web_whatif import keep_form

    from tahaluf.evaluation import evaluate_file

    workspace = workspace_with(tmp_path, SETTLED)
    client = TestClient(create_app(workspace))
    toggles = section(client.get(f"/a/{SETTLED}/report").text, "toggles")
    link = re.search(r'<a class="toggle" href="([^"]+)">' + re.escape(label("label.yes")), toggles).group(1)
    supposed = client.get(html.unescape(link))
    action, data = keep_form(supposed)
    assert data["if"] == ["partners[0].private.timeline_agreed=0"]
    response = client.post(action, data=data, follow_redirects=False)
    assert response.status_code == 303
    assert evaluate_file(workspace / SETTLED).document.partners[0].private.timeline_agreed is True
    assert evaluate_file(workspace / SETTLED).verdict == "conditions"
