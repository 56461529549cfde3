"""The engine: built once, reset per evaluation, guarded against runaway chains, chaining in levels."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import build_document

from tahaluf.cli import main
from tahaluf.errors import RunawayRulesError
from tahaluf.evaluation import evaluate_document, evaluate_file
from tahaluf.rules import engine as engine_module
from tahaluf.rules.declare import candidate_facts

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def outcomes(evaluation):
    return sorted((f.rule, f.subject, f.status) for f in evaluation.inference.findings)


def test_one_engine_is_reused_and_reset_between_evaluations():
    first = evaluate_file(EXAMPLES / "core-concession.yaml")
    engine = engine_module.engine_for("alliance")
    other = evaluate_file(EXAMPLES / "climate-labour-alliance.yaml")
    again = evaluate_file(EXAMPLES / "core-concession.yaml")
    assert engine_module.engine_for("alliance") is engine
    assert outcomes(first) == outcomes(again) and first.verdict == again.verdict == "do_not_proceed"
    assert other.verdict == "proceed"


def test_partner_engine_interleaved_with_the_alliance_engine_gives_the_same_conclusions():
    document = build_document({"partners": [{"name": "Acme", "sector": "private",
                                             "private": {"specific_goals_agreed": True, "timeline_agreed": False}}]})
    partner_facts = candidate_facts(document.organisation, document.alliance, document.partners[0], [])
    alone = engine_module.infer(partner_facts, level="partner")
    evaluate_document(document)  # the alliance engine runs in between
    again = engine_module.infer(partner_facts, level="partner")
    assert alone == again
    assert alone.verdict == "do_not_proceed"
    partner_rules = {f.rule for f in alone.findings}
    assert "PR01" in partner_rules
    assert all(engine_module.REGISTRY[code].partner_level for code in partner_rules)


def test_runaway_chain_is_stopped_with_a_clear_error(monkeypatch, capsys):
    monkeypatch.setattr(engine_module, "MAX_STEPS", 3)
    with pytest.raises(RunawayRulesError, match="did not settle within 3 steps"):
        evaluate_file(EXAMPLES / "core-concession.yaml")
    assert main(["evaluate", str(EXAMPLES / "core-concession.yaml")]) == 3
    assert "did not settle" in capsys.readouterr().err


def test_verdict_rests_on_derived_facts_not_on_input():
    evaluation = evaluate_document(build_document({"partners": [
        {"name": "Ministry of Environment", "sector": "government", "government": {"approach": "mixed"}}]}))
    inference = evaluation.inference
    findings = {f.id: f for f in inference.findings}
    derived = {d.id: d for d in (*inference.gates, *inference.conditions, *inference.readiness)}
    assert inference.verdict == "conditions" and inference.verdict_because
    for ident in inference.verdict_because:  # level 3 -> level 2 -> level 1
        node = derived[ident]
        assert all(cause in findings or cause in derived for cause in node.because)
    gv03 = next(f for f in inference.findings if f.rule == "GV03")
    assert gv03.severity == "major"  # mixed; confrontational would be a blocker
    assert any(c.because == (gv03.id,) and c.kind == "fix" for c in inference.conditions)


def test_unknown_decisive_fact_is_a_condition_not_a_failure():
    evaluation = evaluate_document(build_document(
        {"partners": [{"name": "Acme", "sector": "private", "private": {"specific_goals_agreed": True}}]}))
    pr01 = next(f for f in evaluation.inference.findings if f.rule == "PR01")
    assert pr01.status == "not_assessed"
    assert evaluation.verdict == "conditions"
    assert any(c.kind == "establish" and c.because == (pr01.id,) for c in evaluation.inference.conditions)
