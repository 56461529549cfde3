"""Runs every rule fixture in tests/rules/: one YAML file per rule, collected automatically.

Each case declares facts (a partial alliance document, completed with the
required names) and the outcome the rule must reach: fail, pass, not_assessed,
or absent (the rule must not apply); optionally the ``severity`` of that outcome
and, for a rule open because whether it applies is unknown, the unknown fact
(``applies_if: sector``). A case that fails or stays open for a cause with its own
message names that message's key (``message: no_owner``); without one, the finding
must use the rule's default message. A case may set what is asked of the evidence behind facts
(``evidence_rules: {required: true}``, evidence_rules.py). A real engine runs every case.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from support import build_document

from tahaluf.evaluation import evaluate_document
from tahaluf.evidence_rules import EvidenceRules

FIXTURES = sorted((Path(__file__).parent / "rules").glob("*.yaml"))
EXPECTATIONS = {"fail", "pass", "not_assessed", "absent"}


def _cases():
    for path in FIXTURES:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for number, case in enumerate(spec["cases"], 1):
            yield pytest.param(spec["rule"], case, id=f"{spec['rule']}-{number}-{case['name']}")


@pytest.mark.parametrize(("rule", "case"), list(_cases()))
def test_rule_fixture(rule, case):
    assert case["expect"] in EXPECTATIONS, f"unknown expectation {case['expect']!r}"
    evaluation = evaluate_document(build_document(case.get("facts") or {}),
                                   evidence_rules=EvidenceRules(**case.get("evidence_rules", {})))
    fired = [f for f in evaluation.inference.findings if f.rule == rule]
    if "subject" in case:
        fired = [f for f in fired if f.subject == case["subject"]]
    if case["expect"] == "absent":
        assert fired == [], f"{rule} should not apply, but concluded {[f.status for f in fired]}"
    else:
        assert fired, f"{rule} did not fire"
        assert {f.status for f in fired} == {case["expect"]}, [(f.subject, f.status, f.evidence) for f in fired]
        if "severity" in case:  # an outcome the guide weighs apart from the rule's own severity
            assert {f.severity for f in fired} == {case["severity"]}
        if "applies_if" in case:  # open only because whether the rule applies is unknown
            assert all(case["applies_if"] in dict(f.applies_if) for f in fired), [f.applies_if for f in fired]
        if case["expect"] != "pass":  # the message said is the one for this case's cause
            assert {f.message for f in fired} == {case.get("message")}, [(f.subject, f.message) for f in fired]


def test_fixture_files_are_named_after_their_rule():
    for path in FIXTURES:
        assert yaml.safe_load(path.read_text(encoding="utf-8"))["rule"] == path.stem
