"""Issue 8's reproductions, each on the shipped climate-labour-alliance.yaml with one or two facts
changed: partly filled files must never get the dangerous answer."""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest
import yaml
from support import EXAMPLES, build_document

from tahaluf.cli import main
from tahaluf.evaluation import evaluate_document
from tahaluf.rules.declare import candidate_facts
from tahaluf.rules.engine import infer
from tahaluf.rules.verdict import PARTNER_STATUS

CLIMATE = yaml.safe_load((EXAMPLES / "climate-labour-alliance.yaml").read_text(encoding="utf-8"))
MINISTRY = 0  # partners[0] is the Ministry of Labour


def climate(change) -> dict:
    data = copy.deepcopy(CLIMATE)
    change(data)
    return data


def evaluate(data: dict):
    return evaluate_document(build_document(data))


def by_rule(evaluation, rule: str) -> list:
    return [f for f in evaluation.inference.findings if f.rule == rule]


def establishes(evaluation, rule: str) -> bool:
    ids = {f.id for f in by_rule(evaluation, rule)}
    return any(c.kind == "establish" and c.because[0] in ids for c in evaluation.inference.conditions)


def test_the_example_itself_still_proceeds():
    assert evaluate(CLIMATE).verdict == "proceed"


def test_sector_left_out_with_a_confrontational_approach_is_not_proceed():
    def change(data):
        ministry = data["partners"][MINISTRY]
        del ministry["sector"]
        ministry["government"]["approach"] = "confrontational"
    evaluation = evaluate(climate(change))
    assert evaluation.verdict == "conditions"
    [gv03] = list(by_rule(evaluation, "GV03"))
    assert gv03.status == "not_assessed" and dict(gv03.applies_if) == {"sector": "government"}
    assert establishes(evaluation, "GV03")


def test_screening_a_company_with_no_timeline_and_a_blank_sector_is_not_ranked_above_the_same_company():
    document = build_document({"partners": [{"name": "Acme", "private": {"specific_goals_agreed": True,
                                                                         "timeline_agreed": False}}],
                               "concessions": []})
    blank = infer(candidate_facts(document.organisation, document.alliance, document.partners[0], []), "partner")
    known = document.partners[0].model_copy(update={"sector": "private"})
    private = infer(candidate_facts(document.organisation, document.alliance, known, []), "partner")
    assert PARTNER_STATUS[private.verdict] == "excluded"
    assert PARTNER_STATUS[blank.verdict] == "conditional"  # open: "if Acme is a company"
    assert any(f.rule == "PR01" and f.status == "not_assessed" for f in blank.findings)


def test_concessions_left_out_keep_the_pa01_blocker_open():
    evaluation = evaluate(climate(lambda data: data.pop("concessions", None)))
    assert evaluation.verdict == "conditions"
    [pa01] = by_rule(evaluation, "PA01")
    assert pa01.status == "not_assessed" and pa01.subject == "concessions"
    assert establishes(evaluation, "PA01")


def test_stage_left_out_keeps_the_review_rules_open():
    evaluation = evaluate(climate(lambda data: data["alliance"].pop("stage")))
    for rule in ("RV01", "RV02", "RV03"):  # if the alliance exists: open, and asked as such
        [finding] = by_rule(evaluation, rule)
        assert finding.status == "not_assessed" and dict(finding.applies_if) == {"stage": "existing"}, rule
    # Staff time is set aside: RV04 holds whatever the stage.
    assert [f.status for f in by_rule(evaluation, "RV04")] == ["pass"]
    no_time = evaluate(climate(lambda data: (data["alliance"].pop("stage"),
                                             data["organisation"].update(staff_time_allocated=False))))
    [rv04] = by_rule(no_time, "RV04")
    assert rv04.status == "not_assessed" and dict(rv04.applies_if) == {"stage": "proposed"}


def test_pa07_with_contribution_unknown_is_not_assessed():
    evaluation = evaluate(climate(lambda data: data["partners"][1].pop("contribution")))
    statuses = {f.subject: f.status for f in by_rule(evaluation, "PA07")}
    assert statuses["Green Horizons Network"] == "not_assessed"


@pytest.mark.parametrize("facts", [
    {"governance": {"roles_assigned": False}},
    {"governance": {"roles_assigned": False}, "alliance": {"purpose_kind": "common_goal", "formality": "formal"}},
    {"alliance": {"purpose_kind": "coordination", "formality": "formal"}},  # AL04, an info check, alone
], ids=["roles-alone", "roles-with-AL03", "AL04-alone"])
def test_fewer_facts_never_raise_a_strengthen_condition(facts):
    evaluation = evaluate(facts)
    assert not [c for c in evaluation.inference.conditions if c.kind == "strengthen"]
    levels = {r.dimension: r.level for r in evaluation.inference.readiness}
    assert levels["form_governance"] == "not_enough_known"


def test_a_ready_headline_never_sits_beside_conditions():
    # Everything assessed passes, yet decisive facts are open: no dimension may say "ready"
    # while an open major check could still fail it.
    evaluation = evaluate(climate(lambda data: data.pop("monitoring")))
    assert evaluation.verdict == "conditions"
    levels = {r.dimension: r.level for r in evaluation.inference.readiness}
    assert levels["monitoring_evaluation"] == "not_enough_known"


@pytest.mark.parametrize(("change", "rule"), [
    (lambda d: d.setdefault("concessions", []).append(
        {"what": "Soften our statements", "touches_core_objective": False,
         "core_objective": CLIMATE["organisation"]["core_objectives"][0]}), "CX01"),
    (lambda d: d["partners"][1].update(values_alignment="low"), "CX02"),
    (lambda d: d["alliance"].update(timeline={"start": "2028-06", "end": "2027-01"}), "CX03"),
], ids=["touch-no-yet-named", "shared-values-yet-low", "timeline-backwards"])
def test_contradictions_are_findings_that_block_proceed(change, rule):
    evaluation = evaluate(climate(change))
    [finding] = by_rule(evaluation, rule)
    assert finding.status == "fail" and evaluation.verdict != "proceed"
    paths = [path for path, _ in finding.evidence]
    assert len(paths) == 2 and paths[0] != paths[1]


def test_contradiction_names_both_paths_with_their_lines(tmp_path, capsys):
    text = (EXAMPLES / "climate-labour-alliance.yaml").read_text(encoding="utf-8")
    assert "    start: 2027-01\n    end: 2028-06\n" in text
    path = tmp_path / "a.yaml"
    path.write_text(text.replace("    start: 2027-01\n    end: 2028-06\n", "    start: 2028-06\n    end: 2027-01\n"),
                    encoding="utf-8")
    assert main(["evaluate", str(path), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    [cx03] = [f for f in report["findings"] if f["rule"] == "CX03"]
    start = text.splitlines().index("    start: 2027-01") + 1
    # both facts in words, each with its line (issue 23)
    assert f"On line {start} you said “Start: 2028-06" in cx03["message"]
    assert f"but on line {start + 1} you said “End: 2027-01" in cx03["message"]


def test_mn01_on_an_existing_alliance_can_be_cleared():
    data = {"alliance": {"stage": "existing"}, "monitoring": {"planned_from_start": False, "in_place": True}}
    [mn01] = by_rule(evaluate(data), "MN01")
    assert mn01.status == "pass"


def test_mn02_fails_when_nobody_owns_monitoring():
    [mn02] = by_rule(evaluate({"monitoring": {"owner": "nobody", "what_is_monitored": ["jobs"]}}), "MN02")
    assert mn02.status == "fail"


def test_existing_alliance_events_are_judged():
    data = {"alliance": {"stage": "existing"},
            "review": {"events": [{"kind": "went_to_media", "who": "Water Union", "when": "2026-03"}]}}
    evaluation = evaluate(data)
    [nr06] = [f for f in by_rule(evaluation, "NR06") if f.status == "fail"]
    assert nr06.subject == "Water Union" and evaluation.verdict != "proceed"


def test_the_same_input_gives_byte_identical_json_in_two_processes():
    command = [sys.executable, "-m", "tahaluf.cli", "evaluate", str(EXAMPLES / "existing-alliance-review.yaml"),
               "--format", "json", "--explain"]
    first, second = (subprocess.run(command, capture_output=True, check=True).stdout for _ in range(2))
    assert first == second
