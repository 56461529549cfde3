"""Issue 10, bullet 1: the report leads with what to do.

The first section after the verdict is one numbered "next steps" list: the red flags
(with the guide's words and what would have to change), then the conditions, then the
questions to answer; the summary names the red flags; a check is never both a failure
and a strength for the same subject; the same order in Markdown, HTML, PDF and JSON.
"""

from __future__ import annotations

import json
import re

import pytest
from support import EXAMPLES, build_document

from tahaluf.evaluation import evaluate_document, evaluate_file
from tahaluf.reports.html import render_html
from tahaluf.reports.render import render_report
from tahaluf.reports.viewmodel import build_report, headline, next_steps

DO_NOT_PROCEED = ["core-concession.yaml", "private-sector-offer.yaml"]
RED_FLAG = {"core-concession.yaml": ("PA01", "G-PAR-3"), "private-sector-offer.yaml": ("PR01", "G-PRV-2")}


def _kinds(steps) -> list[str]:
    return [step.kind for step in steps]


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("name", DO_NOT_PROCEED + ["government-confrontation.yaml", "existing-alliance-review.yaml"])
def test_next_steps_are_red_flags_then_conditions_then_questions(name, lang):
    evaluation = evaluate_file(EXAMPLES / name)
    steps = next_steps(evaluation, lang)
    kinds = _kinds(steps)
    order = {"red_flag": 0, "fix": 1, "establish": 1, "strengthen": 1, "question": 2}
    assert [order[k] for k in kinds] == sorted(order[k] for k in kinds), kinds
    inference = evaluation.inference
    assert kinds.count("red_flag") == len(inference.gates)
    assert sum(k in ("fix", "establish", "strengthen") for k in kinds) == len(inference.conditions)
    # every open question is asked once: as a condition to establish, or as a question
    unknown = {f.id for f in inference.findings if f.status == "not_assessed"}
    asked = [step.finding for step in steps if step.kind in ("establish", "question")]
    assert sorted(asked) == sorted(unknown)


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("name", DO_NOT_PROCEED)
def test_a_red_flag_carries_the_guide_words_and_what_would_have_to_change(name, lang):
    rule, guide_id = RED_FLAG[name]
    report = build_report(evaluate_file(EXAMPLES / name), lang)
    [flag] = [s for s in report.next_steps if s.kind == "red_flag"]
    assert flag.rule == rule and flag.number == 1
    assert [q.id for q in flag.guidance] == [guide_id] and flag.guidance[0].text
    assert flag.change and str(flag.text)
    # the summary names the red flag: its rule and what was found
    assert rule in str(report.summary) and str(flag.text) in str(report.summary)


def test_headline_is_its_own_function_and_names_each_red_flag():
    evaluation = evaluate_file(EXAMPLES / "core-concession.yaml")
    text = str(headline(evaluation, "en"))
    assert "PA01" in text and "Stop publishing our monitoring reports" in text
    assert str(headline(evaluation, "ar")).count("PA01") == 1
    proceed = evaluate_file(EXAMPLES / "climate-labour-alliance.yaml")
    assert "PA01" not in str(headline(proceed, "en"))


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("name", DO_NOT_PROCEED)
def test_markdown_opens_with_the_red_flags_then_the_next_steps(name, lang):
    rule, guide_id = RED_FLAG[name]
    evaluation = evaluate_file(EXAMPLES / name)
    report = build_report(evaluation, lang)
    text = render_report(evaluation, "md", lang)
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    assert headings[0] == report.labels["heading.red_flags"], headings  # the brief's first section
    annex = text.split(f"# {report.labels['heading.annex']}", 1)[1]
    assert re.findall(r"^## (.+)$", annex, flags=re.M)[0] == report.labels["heading.next_steps"]
    section = annex.split("\n## ")[1]
    flag, first_condition = section.index(rule), section.index(report.labels["condition.fix"])
    assert flag < first_condition, "the red flag comes before the conditions"
    assert guide_id in section[:first_condition]
    question = report.labels["step.question"]
    assert section.index(report.labels["condition.establish"]) < section.index(question)
    assert re.search(r"^1\. ", section, flags=re.M)
    assert not re.search(r"^1\. ", section[section.index("\n2. "):], flags=re.M)


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("name", DO_NOT_PROCEED)
def test_html_opens_with_the_next_steps_in_the_same_order(name, lang):
    rule, _ = RED_FLAG[name]
    report = build_report(evaluate_file(EXAMPLES / name), lang)
    html = render_html(report)
    labels = report.labels
    positions = [html.index(f'<p class="verdict-label">{report.verdict_label}</p>'),
                 html.index(f"<h2>{labels['heading.red_flags']}</h2>"),
                 html.index(f"<bdi>{rule}</bdi>"),
                 html.index(f'<h2 id="readiness">{labels["heading.readiness"]}</h2>'),
                 html.index(f"<h2>{labels['heading.next_steps']}</h2>"),  # the annex
                 html.index(labels["condition.fix"] + "</span>"),
                 html.index(labels["step.question"] + "</span>")]
    assert positions == sorted(positions)
    assert f"<h2>{labels['heading.conditions']}</h2>" not in html  # one list, not two


def test_json_keeps_its_fields_and_adds_the_next_steps():
    evaluation = evaluate_file(EXAMPLES / "core-concession.yaml")
    data = json.loads(render_report(evaluation, "json", "en"))
    assert data["conditions"] and data["verdict"] == "do_not_proceed"
    kinds = [step["kind"] for step in data["next_steps"]]
    assert kinds[0] == "red_flag" and data["next_steps"][0]["rule"] == "PA01"
    assert "PA01" in data["summary"]


# A check is never both a failure and a strength for the same subject ------------------------

TWO_CONCESSIONS = {
    "organisation": {"name": "Our NGO", "core_objectives": ["independent advocacy"]},
    "alliance": {"name": "Mixed alliance"},
    "partners": [
        {"name": "Acme Ltd.", "sector": "private", "past_work_reviewed": True, "past_statements_reviewed": False},
        {"name": "Good Partner", "sector": "ngo", "past_work_reviewed": True, "past_statements_reviewed": True},
    ],
    "concessions": [
        {"what": "Drop our advocacy", "asked_by": "Acme Ltd.", "touches_core_objective": True,
         "core_objective": "independent advocacy", "can_live_with": False},
        {"what": "Show their logo", "asked_by": "Acme Ltd.", "touches_core_objective": False, "can_live_with": True},
    ],
}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_check_is_never_both_a_failure_and_a_strength_for_the_same_subject(lang):
    evaluation = evaluate_document(build_document(TWO_CONCESSIONS))
    report = build_report(evaluation, lang)
    failed = {(f.rule, f.subject) for f in report.findings if f.status == "fail"}
    assert ("PA01", "Drop our advocacy") in failed and ("PA03", "Acme Ltd.") in failed
    [strengths] = [g for g in report.groups if g.severity == "strength"]
    for row in strengths.rows:
        for subject in row.subjects:
            assert (row.rule, subject) not in failed
    # A rule that failed for someone is not listed with its blanket summary ("no concession
    # touches our core objectives"): what held is said of the subject it held for.
    texts = {row.rule: str(row.text) for row in strengths.rows}
    from tahaluf import knowledge

    summaries = knowledge.findings()
    for rule in ("PA01", "PA03"):
        assert summaries[rule].summary(lang) not in texts.get(rule, "")
    assert "Show their logo" in texts["PA01"] and "Good Partner" in texts["PA03"]
    html = render_html(report)
    assert summaries["PA01"].summary(lang) not in html


# The PDF: the red flags on the first page, in both languages --------------------------------


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_pdf_first_page_shows_the_red_flags(lang, tmp_path):
    from test_reports_html_pdf import needs_poppler, page_png, pdf_texts, words_present  # noqa: F401

    pdf = pytest.importorskip("tahaluf.reports.pdf")
    import shutil

    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils not installed")
    report = build_report(evaluate_file(EXAMPLES / "core-concession.yaml"), lang)
    path = tmp_path / f"core-concession-{lang}.pdf"
    path.write_bytes(pdf.render_pdf(report))
    page_one = pdf_texts(path, 1)
    [flag] = [s for s in report.next_steps if s.kind == "red_flag"]
    assert any("PA01" in text and "G-PAR-3" in text for text in page_one)
    for phrase in (report.labels["heading.red_flags"], report.labels["step.red_flag"], flag.change,
                   flag.guidance[0].text):
        assert words_present(phrase, page_one), phrase
    # in reading order: verdict, then the heading, then the red flag, then what must change
    text = page_one[-1]
    marks = [text.find("PA01"), text.find("G-PAR-3")]
    assert -1 not in marks
    image = page_png(path, 1, tmp_path, dpi=60)
    image.save(tmp_path / f"page1-{lang}.png")
