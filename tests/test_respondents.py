"""Several respondents, one assessment: `tahaluf merge`, disagreement as a finding, --anonymous."""

from __future__ import annotations

import itertools

import pytest
import yaml
from support import build_document

from tahaluf.cli import main
from tahaluf.evaluation import evaluate_file
from tahaluf.merge import MergeError, merge_documents

PRIVATE = {"name": "Acme", "sector": "private",
           "private": {"goals": [{"goal": "12 clinics equipped", "by": "2027-12"}]}}


def respondent(name: str, timeline: bool, roles: bool, extra: dict | None = None) -> tuple[str, object]:
    data = {"respondent": name, "alliance": {"stage": "proposed"},
            "partners": [{**PRIVATE, "private": {**PRIVATE["private"], "timeline_agreed": timeline}}],
            "governance": {"roles_assigned": roles}, "concessions": [], **(extra or {})}
    return name, build_document(data)


def run(tmp_path, named, *options) -> tuple[dict, str]:
    paths = []
    for name, document in named:
        path = tmp_path / f"{name}.yaml"
        path.write_text(yaml.safe_dump(document.model_dump(mode="json", exclude_none=True), allow_unicode=True),
                        encoding="utf-8")
        paths.append(str(path))
    merged = tmp_path / "merged.yaml"
    assert main(["merge", *paths, "-o", str(merged), "-q"]) == 0
    return yaml.safe_load(merged.read_text(encoding="utf-8")), str(merged)


def ds01(evaluation) -> list:
    return [f for f in evaluation.inference.findings if f.rule == "DS01"]


def test_three_respondents_agreeing_give_the_one_assessment(tmp_path):
    named = [respondent(name, True, True) for name in ("Amal", "Basel", "Carla")]
    merged, path = run(tmp_path, named)
    assert merged["respondents"] == ["Amal", "Basel", "Carla"] and "disputes" not in merged
    evaluation = evaluate_file(path)
    assert ds01(evaluation) == []
    assert evaluation.verdict == evaluate_file_of(tmp_path, named[0]).verdict


def evaluate_file_of(tmp_path, named_one):
    name, document = named_one
    path = tmp_path / f"{name}-alone.yaml"
    path.write_text(yaml.safe_dump(document.model_dump(mode="json", exclude_none=True)), encoding="utf-8")
    return evaluate_file(path)


def test_disagreeing_on_a_minor_fact_is_a_minor_finding_and_the_verdict_holds(tmp_path):
    named = [respondent("Amal", True, True), respondent("Basel", True, False), respondent("Carla", True, True)]
    merged, path = run(tmp_path, named)
    [dispute] = merged["disputes"]
    assert dispute["path"] == "governance.roles_assigned"
    assert [(a["respondent"], a["value"]) for a in dispute["answers"]] == [("Amal", "yes"), ("Basel", "no"),
                                                                          ("Carla", "yes")]
    [finding] = ds01(evaluate_file(path))
    assert finding.severity == "minor"
    assert evaluate_file(path).verdict == evaluate_file_of(tmp_path, named[0]).verdict


def test_disagreeing_on_a_blockers_fact_makes_it_conditions_at_best(tmp_path):
    # Basel alone would stop the alliance (no timeline: PR01); the others agree it has one.
    named = [respondent("Amal", True, True), respondent("Basel", False, True), respondent("Carla", True, True)]
    assert evaluate_file_of(tmp_path, named[1]).verdict == "do_not_proceed"
    _, path = run(tmp_path, named)
    evaluation = evaluate_file(path)
    assert evaluation.verdict == "conditions"
    [finding] = ds01(evaluation)
    assert finding.severity == "major"
    pr01 = [f for f in evaluation.inference.findings if f.rule == "PR01"]
    assert [f.status for f in pr01] == ["not_assessed"]  # the disputed fact stays open


def test_the_merge_keeps_every_answer_and_ignores_the_order_of_the_files():
    named = [respondent("Amal", True, True, {"engagement": {"channels_open": True}}),
             respondent("Basel", False, False, {"engagement": {"channels_open": False, "active_listening": True}}),
             respondent("Carla", True, False)]
    results = [merge_documents(list(order)) for order in itertools.permutations(named)]
    assert all(result == results[0] for result in results)
    said = {(d["path"], a["respondent"], a["value"]) for d in results[0]["disputes"] for a in d["answers"]}
    assert ("engagement.channels_open", "Basel", "no") in said and ("engagement.channels_open", "Amal", "yes") in said
    assert results[0]["engagement"]["active_listening"] is True  # said by one, contradicted by none: stands


def test_anonymous_reports_name_respondents_by_number(tmp_path, capsys):
    _, path = run(tmp_path, [respondent("Amal", True, True), respondent("Basel", True, False)])
    assert main(["evaluate", path, "--format", "md", "--anonymous"]) == 0
    anonymous = capsys.readouterr().out
    assert "Where the respondents disagree" in anonymous
    assert "Respondent 1: yes" in anonymous and "Amal" not in anonymous and "Basel" not in anonymous
    assert main(["evaluate", path, "--format", "md"]) == 0
    assert "Amal: yes; Basel: no" in capsys.readouterr().out


def test_a_respondent_named_twice_is_a_clear_error():
    with pytest.raises(MergeError, match="named twice: Amal"):
        merge_documents([respondent("Amal", True, True), respondent("Amal", False, True)])
