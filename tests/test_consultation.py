"""The consultation core (consultation.py) against the real engine.

1. Settled means settled: whenever the core says so, random answers to every open question
   (and to the questions those answers open in turn) never change the verdict. Answers
   that raise a contradiction (a CX finding) stop the walk: they are mistakes to correct,
   not states of the alliance (the README's promise leaves them out the same way).
2. What-if is evaluate: the verdict the core gives for an answer equals `evaluate_file` on
   the alliance file with that answer written in (round-trip, as the interview writes it).
"""

from __future__ import annotations

import test_soundness as soundness
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from support import EXAMPLES, build_document

from tahaluf.consultation import (
    answer_value,
    consult,
    director_stage,
    document_of,
    outcome_of,
    parse_path,
    path_to_proceed,
    whatif,
    with_answer,
)
from tahaluf.errors import InputError
from tahaluf.evaluation import evaluate_document, evaluate_file
from tahaluf.files.alliance_file import AllianceFile

SETTINGS = soundness.SETTINGS


def _random_answer(draw, question):
    kind = question.kind
    if kind == "bool":
        return draw(st.sampled_from([True, False, None]))
    if kind == "choice":
        return draw(st.sampled_from([*question.choices, None]))
    if kind == "choices":
        return draw(st.lists(st.sampled_from(question.choices), max_size=3, unique=True))
    if kind == "texts":
        return draw(st.sampled_from([[], ["A regional survey"], None]))
    if kind == "goals":
        return draw(st.sampled_from([[], ["Raise awareness"], ["400 workers trained by 2028"],
                                     [{"goal": "Train workers", "measure": "certificates"}], None]))
    if kind == "person":
        return draw(st.sampled_from([False, "Sara Haddad", None]))
    if kind == "date":
        return f"2027-{draw(st.integers(1, 12)):02d}"
    if kind == "number":
        return draw(st.integers(1, 9))
    if kind == "items":
        if question.path == "partners":
            sector = draw(st.sampled_from(["ngo", "private", "government", None]))
            item = {"name": "Newcomer", **({"sector": sector} if sector else {})}
        elif question.path == "concessions":
            item = {"what": "Soften our statements"}
        else:
            item = {"kind": draw(st.sampled_from(["went_to_media", "spoke_without_mandate", "took_sole_credit",
                                                  "missed_meetings"]))}
        return draw(st.sampled_from([[], [item]]))
    return draw(st.sampled_from(["", "A regional survey", None]))


def _contradictions(evaluation) -> set:
    return {(f.rule, f.subject) for f in evaluation.inference.findings
            if f.rule.startswith("CX") and f.status == "fail"}


@settings(max_examples=150, **SETTINGS)
@given(soundness.partial_and_full(), st.data())
def test_a_settled_verdict_stands_whatever_the_open_questions_answers(drawn, data):
    start = consult(build_document(drawn[0]))
    if not start.settled:
        assert start.deciding, "not settled, yet no question said to decide"
        return
    assert not start.deciding
    known_mistakes = _contradictions(start.evaluation)
    current = start
    for _ in range(3):
        if not current.questions:
            break
        answered = current.data
        for question in current.questions:
            if data.draw(st.booleans()):
                answered = with_answer(answered, question.parts,
                                       answer_value(question, _random_answer(data.draw, question)))
        try:
            evaluation = evaluate_document(document_of(answered))
        except InputError:
            return
        if _contradictions(evaluation) - known_mistakes:
            return
        assert evaluation.verdict == start.verdict, (start.reason, start.verdict, evaluation.verdict, answered)
        current = consult(answered, evaluation)


# One document for each kind of settled and open verdict, so the property's kinds are all met
# whatever the generator happens to draw; each settled one is checked answer by answer.
KINDS = {
    "fixed_red_flag": {"partners": [{"name": "Acme", "sector": "private",
                                     "private": {"specific_goals_agreed": False, "timeline_agreed": False}}]},
    "fixed_condition": {"partners": [{"name": "Green Hands", "sector": "ngo", "past_work_reviewed": False}],
                        "concessions": [], "alliance": {"stage": "proposed"}},
    "red_flag_possible": {"partners": [{"name": "Green Hands", "sector": "ngo", "past_work_reviewed": False},
                                       {"name": "Acme"}], "concessions": [], "alliance": {"stage": "proposed"}},
    "conditions_open": {"partners": [{"name": "Green Hands", "sector": "ngo"}], "concessions": [],
                        "alliance": {"stage": "proposed"}},
}


def test_every_kind_of_settled_and_open_verdict_is_met_and_settled_ones_hold_answer_by_answer():
    for reason, facts in KINDS.items():
        start = consult(build_document(facts))
        assert start.reason == reason, (reason, start.reason)
        if not start.settled:
            continue
        everything = start.data
        for question in start.questions:
            for answer in question.answers():
                alone = with_answer(start.data, question.parts, answer_value(question, answer))
                try:
                    evaluation = evaluate_document(document_of(alone))
                except InputError:
                    continue
                if not _contradictions(evaluation) - _contradictions(start.evaluation):
                    assert evaluation.verdict == start.verdict, (reason, question.path, answer)
            everything = with_answer(everything, question.parts,
                                     answer_value(question, question.answers()[0]))
        assert evaluate_document(document_of(everything)).verdict == start.verdict, reason


@settings(max_examples=40, **SETTINGS)
@given(soundness.partial_and_full(), st.data())
def test_whatif_is_evaluate_on_the_file_with_the_answer_written_in(tmp_path_factory, drawn, data):
    document = build_document(drawn[0])
    consultation = consult(document)
    if not consultation.questions:
        return
    question = data.draw(st.sampled_from(consultation.questions))
    answer = data.draw(st.sampled_from(question.answers()))
    try:
        predicted = outcome_of(consultation, question, answer)
    except InputError:
        return
    path = tmp_path_factory.mktemp("whatif") / "alliance.yaml"
    path.write_text("# the director's own note\n" + yaml.safe_dump(consultation.data, allow_unicode=True,
                                                                      sort_keys=False), encoding="utf-8")
    store = AllianceFile.open(path)
    store.set(question.parts, answer_value(question, answer))
    assert "# the director's own note" in path.read_text(encoding="utf-8")
    assert evaluate_file(path).verdict == predicted.verdict, (question.path, answer)


# The shipped examples: settledness and the path to proceed, as a director meets them. ------------


def _example(name):
    evaluation = evaluate_file(EXAMPLES / name)
    return consult(evaluation.document, evaluation)


def test_a_red_flag_no_answer_can_lift_is_settled_and_no_path_leads_to_proceed():
    consultation = _example("private-sector-offer.yaml")
    assert consultation.verdict == "do_not_proceed" and consultation.settled
    path = path_to_proceed(consultation)
    assert not path.found and path.reason == "fixed_red_flag" and "PR01" in path.blocking
    # Every single answer to every open question keeps the verdict (the real engine, one by one).
    for question in consultation.questions[:15]:
        assert {o.verdict for o in whatif(consultation, question)} == {"do_not_proceed"}, question.path


def test_the_questions_rank_red_flags_first():
    data = {"organisation": {"name": "Us"}, "alliance": {"name": "A"},
            "partners": [{"name": "Acme"}, {"name": "Ministry"}]}
    consultation = consult(build_document(data))
    assert not consultation.settled and consultation.verdict == "conditions"
    # A director's order (issue 22): what the alliance is for, the partners' sectors, our core
    # objectives (build_document writes them), what is asked of us; then the checks, red flags first, then conditions...
    paths = [q.path for q in consultation.questions]
    # A partner's red flags come right after its sector once it is known; unknown, after what is asked of us.
    assert paths[:3] == ["alliance.purpose", "partners[0].sector", "partners[1].sector"]
    assert paths.index("concessions") < paths.index("partners[0].government.approach") < paths.index("alliance.stage")
    known = consult(build_document({**data,
                                    "partners": [{"name": "Acme", "sector": "government"}, {"name": "Ministry"}]}))
    paths = [q.path for q in known.questions]
    assert paths[:3] == ["alliance.purpose", "partners[0].government.approach", "partners[1].sector"]
    checks = [q for q in consultation.questions if director_stage(q.path) == 4]
    severities = [q.severity for q in checks if q in consultation.deciding]
    assert severities == sorted(severities, key=["blocker", "major", "minor", "info"].index)
    concessions, sector = consultation.question("concessions"), consultation.question("partners[0].sector")
    assert concessions.kind == "items"
    assert sector.kind == "choice" and sector.gateway
    assert {"PR01", "GV03"} <= set(sector.rules)
    # What each answer to the sector would give: a company with nothing agreed stays open, not failed.
    sector = consultation.question("partners[0].sector")
    verdicts = {o.answer: o.verdict for o in whatif(consultation, sector)}
    assert set(verdicts) == set(sector.choices) and set(verdicts.values()) == {"conditions"}
    timeline = consultation.question("partners[0].private.timeline_agreed")
    assert timeline.kind == "bool"


def test_the_path_to_proceed_is_made_of_answers_that_lead_there():
    data = {"organisation": {"name": "Us"}, "alliance": {"name": "A"}, "partners": [{"name": "Acme"}]}
    consultation = consult(build_document(data))
    path = path_to_proceed(consultation, max_steps=60)
    assert path.found, path
    answered = consultation.data
    for text, value in path.answers:
        answered = with_answer(answered, parse_path(text), value)
    assert evaluate_document(document_of(answered)).verdict == "proceed"
    assert len(path.answers) < len(consultation.questions)


def test_paths_parse_and_refuse():
    assert parse_path("partners[0].private.timeline_agreed") == ("partners", 0, "private", "timeline_agreed")
    for bad in ("partners[x]", "[0]", "a..b", "a.", ""):
        try:
            parse_path(bad)
        except ValueError:
            continue
        raise AssertionError(bad)


def test_with_answer_leaves_the_original_alone():
    data = {"organisation": {"name": "Us"}, "alliance": {"name": "A"}}
    changed = with_answer(data, ("governance", "steering_committee", "exists"), True)
    assert changed["governance"] == {"steering_committee": {"exists": True}} and "governance" not in data
    assert with_answer(changed, ("governance", "steering_committee", "exists"), None)["governance"] == {
        "steering_committee": {}} and changed["governance"]["steering_committee"] == {"exists": True}


# The commands: evaluate --set and whatif, through the real CLI. ----------------------------------


def _cli(*args):
    import os
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "tahaluf.cli", *args], capture_output=True, text=True,
                          env=os.environ)


def test_evaluate_set_changes_facts_without_touching_the_file():
    example = EXAMPLES / "climate-labour-alliance.yaml"
    before = example.read_bytes()
    changed = _cli("evaluate", str(example), "--format", "json",
                   "--set", "partners[0].government.approach=confrontational")
    assert changed.returncode == 0, changed.stderr
    import json

    report = json.loads(changed.stdout)
    assert report["verdict"] == "do_not_proceed" and any(s["rule"] == "GV03" for s in report["next_steps"])
    assert example.read_bytes() == before
    bad = _cli("evaluate", str(example), "--format", "json", "--set", "partners[0].sector=bogus")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
    assert bad.stderr.startswith("tahaluf: --set: partners[0].sector: 'bogus' is not one of")


def test_whatif_says_why_no_path_leads_to_proceed():
    import json

    out = _cli("whatif", str(EXAMPLES / "private-sector-offer.yaml"), "--format", "json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["verdict"] == "do_not_proceed" and result["settled"]
    assert result["path_to_proceed"] == {"found": False, "reason": "fixed_red_flag", "blocking": ["PR01"],
                                         "answers": []}
