"""The evidence behind facts (issue 25): the loader's check of `evidence:`, the verify condition
(EV01), the consultation, the views, and three properties over random documents."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from model_strategies import model_data
from rich.console import Console
from support import build_document
from test_soundness import SETTINGS

from tahaluf.consultation import consult
from tahaluf.errors import InputErrors
from tahaluf.evaluation import evaluate_document, evaluate_file
from tahaluf.evidence_rules import EvidenceRules
from tahaluf.model import EVIDENCE_STATUSES, AllianceDocument
from tahaluf.neighbours import Neighbourhood
from tahaluf.reports.json_report import render_json
from tahaluf.reports.markdown import render_markdown
from tahaluf.reports.terminal import show
from tahaluf.reports.viewmodel import build_report
from tahaluf.rules.declare import document_facts
from tahaluf.rules.engine import infer
from tahaluf.rules.verdict import DECISIVE

# A document that proceeds on the guide's rules: every decisive check passes.
SOUND = "examples/evidence.yaml"
REQUIRED = EvidenceRules(required=True)


def _deciding(evaluation) -> dict[str, object]:
    """The known facts that passing blocker and major guide checks cite."""
    return {path: value for f in evaluation.inference.findings
            if f.status == "pass" and f.severity in DECISIVE and not f.rule.startswith(("EV", "CX", "DS"))
            for path, value in f.evidence if value is not None and "." in path}


def test_a_misspelt_fact_is_refused_with_its_line_and_a_guess(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("organisation: {name: Org}\nalliance: {name: A}\nevidence:\n"
                    "  - fact: concessions[0].touches_core_objectiv\n    source: a call\n"
                    "  - fact: partners[0].sector[1]\n    source: a call\n", encoding="utf-8")
    with pytest.raises(InputErrors) as raised:
        evaluate_file(path)
    said = str(raised.value)
    assert ":4: evidence[0].fact:" in said
    assert "did you mean 'concessions[0].touches_core_objective'?" in said
    assert ":6: evidence[1].fact:" in said and "is not a list" in said


def _sound():
    evaluation = evaluate_file(SOUND)
    return evaluation.document.model_dump(mode="json", exclude_none=True)


def test_the_example_proceeds_without_its_evidence_and_is_held_by_one_claim():
    data = _sound()
    claimed = [e for e in data["evidence"] if e["status"] == "claimed"]
    assert claimed, "the example keeps one claimed fact, for the README"
    data["evidence"] = [e for e in data["evidence"] if e["status"] != "claimed"]
    assert evaluate_document(AllianceDocument.model_validate(data)).verdict == "proceed"
    evaluation = evaluate_file(SOUND)
    assert evaluation.verdict == "conditions"
    assert {c.kind for c in evaluation.inference.conditions} == {"verify"}
    assert not evaluation.inference.gates  # a verify condition is never a red flag


def test_a_verify_condition_is_met_by_evidence_and_asked_by_the_consultation():
    evaluation = evaluate_file(SOUND)
    consultation = consult(evaluation.document, evaluation)
    assert not consultation.settled and consultation.reason == "evidence_open"
    facts = {dict(f.params)["fact"] for f in consultation.to_verify}
    data = _sound()
    for entry in data["evidence"]:
        if entry["fact"] in facts:
            entry["status"] = "documented"
    assert evaluate_document(AllianceDocument.model_validate(data)).verdict == "proceed"


def test_the_views_show_each_deciding_fact_with_its_source():
    evaluation = evaluate_file(SOUND)
    report = build_report(evaluation, "en")
    assert report.evidence and report.evidence[0].verify  # the facts to verify first
    markdown = render_markdown(report)
    assert "## Evidence behind the deciding facts" in markdown
    assert "source: " in markdown and "(claimed" in markdown
    log = json.loads(render_json(report))["evidence"]
    assert {row["status"] for row in log} >= {"claimed", "documented"}
    assert all(row["sources"] and row["text"] for row in log if row["status"] != "none")
    arabic = render_markdown(build_report(evaluation, "ar"))
    assert "الأدلة على الوقائع الحاسمة" in arabic and "مُدّعى" in arabic
    screen = io.StringIO()
    show(report, Console(file=screen, width=120, height=60, color_system=None))
    assert "Verify" in screen.getvalue() and "source: " in screen.getvalue()


def test_the_brief_has_one_line_per_deciding_fact():
    report = build_report(evaluate_file(SOUND), "en")
    brief = render_markdown(report, part="brief")
    section = brief.split("## Evidence behind the deciding facts", 1)[1].split("##", 1)[0]
    assert len([line for line in section.splitlines() if line.startswith("- ")]) == len(report.evidence)


def test_no_evidence_no_trace():
    document = build_document({"concessions": [{"what": "Logo", "touches_core_objective": False}]})
    report = build_report(evaluate_document(document), "en")
    assert report.evidence == () and "evidence" not in json.loads(render_json(report))


def test_a_what_if_near_a_file_with_evidence_judges_its_evidence_too():
    base = evaluate_file(SOUND)
    data = _sound()
    data["evidence"] = data["evidence"][1:]
    document = AllianceDocument.model_validate(data)
    near = Neighbourhood(base).evaluate(document)
    assert near.inference.conditions == evaluate_document(document).inference.conditions


# Properties --------------------------------------------------------------------------------------


@st.composite
def documents_with_evidence(draw):
    """A random document, and evidence of random status for some of the facts its checks decide on."""
    document = AllianceDocument.model_validate(model_data(draw, AllianceDocument))
    deciding = sorted(_deciding(evaluate_document(document)))
    chosen = draw(st.lists(st.sampled_from(deciding), unique=True, max_size=4)) if deciding else []
    evidence = [{"fact": path, "source": "a phone call", "status": draw(st.sampled_from(EVIDENCE_STATUSES))}
                for path in chosen]
    data = document.model_dump(mode="json", exclude_none=True)
    return document, AllianceDocument.model_validate({**data, "evidence": evidence} if evidence else data)


@settings(max_examples=60, **SETTINGS)
@given(documents_with_evidence())
def test_an_unverified_deciding_fact_never_proceeds_without_a_verify_condition(pair):
    _, document = pair
    evaluation = evaluate_document(document, evidence_rules=REQUIRED)
    best = {}
    for entry in document.evidence or ():
        best[entry.fact] = max(best.get(entry.fact, "claimed"), entry.status, key=EVIDENCE_STATUSES.index)
    unverified = {path for path in _deciding(evaluation) if best.get(path, "claimed") == "claimed"}
    verify = {dict(f.params)["fact"] for c in evaluation.inference.conditions if c.kind == "verify"
              for f in evaluation.inference.findings if f.id == c.because[0]}
    assert verify == unverified
    if unverified:
        assert evaluation.verdict != "proceed"


@settings(max_examples=60, **SETTINGS)
@given(documents_with_evidence(), st.booleans())
def test_evidence_never_lowers_a_guide_finding(pair, required):
    bare, document = pair
    rules = EvidenceRules(required=required)
    plain = evaluate_document(bare).inference
    judged = evaluate_document(document, evidence_rules=rules).inference

    def guide(inference):
        return sorted((f.rule, f.subject, f.status, f.severity, f.evidence) for f in inference.findings
                      if not f.rule.startswith("EV"))

    assert guide(judged) == guide(plain)
    assert len(judged.gates) == len(plain.gates)
    order = ("proceed", "conditions", "do_not_proceed")
    assert order.index(judged.verdict) >= order.index(plain.verdict)


@settings(max_examples=40, **SETTINGS)
@given(documents_with_evidence(), st.integers(1, 120))
def test_without_evidence_the_outputs_are_byte_identical(pair, months):
    bare, _ = pair
    before = infer(document_facts(bare))  # the engine as it ran before evidence existed
    evaluation = evaluate_document(bare, evidence_rules=EvidenceRules(max_age_months=months))
    assert evaluation.inference == before
    again = evaluate_document(bare)
    for lang in ("en", "ar"):
        assert render_json(build_report(evaluation, lang)) == render_json(build_report(again, lang))
        assert render_markdown(build_report(evaluation, lang)) == render_markdown(build_report(again, lang))


def test_the_diff_says_who_changed_an_answer_and_on_what_evidence(tmp_path):
    from tahaluf.diff import compare, snapshot_of_file
    from tahaluf.reports.diff_report import render_diff_json, render_diff_markdown

    old = tmp_path / "old.yaml"
    old.write_text(Path(SOUND).read_text(encoding="utf-8").replace("approach: cooperative", "approach: mixed", 1),
                   encoding="utf-8")
    comparison = compare(snapshot_of_file(str(old)), snapshot_of_file(SOUND))
    assert not any(path.startswith("evidence") for path, _, _ in comparison.facts)  # evidence is no answer
    markdown = render_diff_markdown(comparison)
    line = next(line for line in markdown.splitlines() if "mixed → cooperative" in line)
    assert "Sara Haddad, on the evidence of: The ministry's liaison officer" in line and "(claimed)" in line
    facts = json.loads(render_diff_json(comparison))["facts"]
    assert next(f for f in facts if f["after"] == "cooperative")["evidence"]["by"] == "Sara Haddad"


def test_screening_reads_a_source_per_candidate_and_names_the_facts_to_verify(tmp_path):
    import csv
    import subprocess
    import sys

    with open("examples/candidates.csv", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    extra = [["source", "checked_on", "status"], ["Their website", "2026-03", ""],
             ["Our due-diligence file", "2026-09-10", "verified"]]
    path = tmp_path / "c.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(row + more for row, more in zip(rows[:3], extra))
    plain = tmp_path / "p.csv"
    with open(plain, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows[:3])

    def screened(source):
        done = subprocess.run([sys.executable, "-m", "tahaluf", "-q", "screen", str(source), "--org",
                               "examples/screening-org.yaml", "--format", "csv", "-o", "-", "--jobs", "1"],
                              capture_output=True, text=True, check=True)
        return {row["name"]: row for row in csv.DictReader(io.StringIO(done.stdout))}

    before, after = screened(plain), screened(path)
    claimed, verified = rows[1][0], rows[2][0]
    assert before[claimed]["status"] == "eligible" and after[claimed]["status"] == "conditional"
    assert "EV01" in after[claimed]["failed"] and "Confirm in writing" in after[claimed]["reason"]
    assert {**after[verified], "rank": ""} == {**before[verified], "rank": ""}  # verified: nothing to confirm


def test_the_interview_asks_how_you_know_and_keeps_the_answer(tmp_path):
    from tahaluf.cli_interview import run

    file = tmp_path / "alliance.yaml"
    file.write_text("organisation:\n  name: Hope NGO\nalliance:\n  name: Clean Air Alliance\n", encoding="utf-8")
    script = ["q"]
    first: list[str] = []

    def ask(prompt):
        if prompt.startswith("How do you know?"):
            return "Minutes of the March board meeting"
        if prompt.startswith("Is it claimed"):
            return "documented"
        if not first:  # the first question: answer it as a partner would be named, or yes
            first.append(prompt)
            return "yes"
        return script.pop(0) if script else "q"

    run(str(file), "en", ask=ask, say=lambda line: None, evidence=True)
    document = evaluate_file(file).document
    if document.evidence:  # the first answer fitted its question: its source was kept with it
        (entry,) = document.evidence
        assert entry.source == "Minutes of the March board meeting" and entry.status == "documented"
        assert entry.fact and "." in entry.fact
    else:
        pytest.fail(f"the first answer did not fit: {first}")


def test_the_history_keeps_the_sources_with_the_facts(tmp_path):
    from tahaluf.diff import compare, snapshot_keys, snapshot_of_evaluation, snapshot_of_file, snapshot_of_report
    from tahaluf.reports.diff_report import fact_lines

    old = tmp_path / "old.yaml"
    old.write_text(Path(SOUND).read_text(encoding="utf-8").replace("approach: cooperative", "approach: mixed", 1),
                   encoding="utf-8")
    later = snapshot_of_evaluation(evaluate_file(SOUND))
    keys = json.loads(json.dumps(snapshot_keys(later)))  # as the history stores them
    stored = snapshot_of_report("kept", {"verdict": later.verdict, "keys": keys})
    lines = fact_lines(compare(snapshot_of_file(str(old)), stored), "ar")
    assert any("Sara Haddad" in line.source and "مُدّعى" in line.source for line in lines)
