"""A policy's own examples, run through the same engine as an evaluation (``tahaluf policy test``)."""

from __future__ import annotations

from dataclasses import dataclass

from tahaluf.errors import InputError
from tahaluf.evaluation import Evaluation, evaluate_document
from tahaluf.loader import SourceMap, validate
from tahaluf.model import AllianceDocument
from tahaluf.policy.model import OUTCOME_KEYS, Example, Policy

# An example gives only what its rules read: the two names the input format requires are filled in.
_DEFAULT_NAMES = {"organisation": {"name": "Our organisation"}, "alliance": {"name": "The alliance"}}


@dataclass(frozen=True)
class ExampleResult:
    example: Example
    mismatches: tuple[tuple[str, str, str], ...]  # (rule id, expected, got)
    error: str = ""

    @property
    def passed(self) -> bool:
        return not self.mismatches and not self.error


def policy_outcomes(evaluation: Evaluation) -> dict[str, str]:
    """Each policy rule's outcome over the alliance: fail if it failed for any subject, else unknown if
    it stayed open for any, else pass (a rule about partners, with none, holds)."""
    policy = evaluation.policy
    outcomes = dict.fromkeys((rule.id for rule in policy.rules), "pass") if policy else {}
    for finding in evaluation.inference.findings:
        if finding.rule in outcomes and outcomes[finding.rule] != "fail" and finding.status != "pass":
            outcomes[finding.rule] = "fail" if finding.status == "fail" else "unknown"
    return outcomes


def run_example(policy: Policy, example: Example) -> ExampleResult:
    data = {**{key: dict(value) for key, value in _DEFAULT_NAMES.items()}, **example.given}
    for key, value in _DEFAULT_NAMES.items():
        if isinstance(data.get(key), dict):
            data[key] = {**value, **data[key]}
    try:
        document = validate(AllianceDocument, data, SourceMap(), policy.source_name)
    except InputError as exc:
        return ExampleResult(example, (), "; ".join(line.split(": ", 1)[-1] for line in exc.lines))
    got = policy_outcomes(evaluate_document(document, policy=policy))
    wanted = {rule_id: outcome for outcome, ids in example.expect.items() for rule_id in ids}
    return ExampleResult(example, tuple((rule_id, outcome, got[rule_id]) for rule_id, outcome in wanted.items()
                                        if got[rule_id] != outcome))


def run_examples(policy: Policy) -> list[ExampleResult]:
    return [run_example(policy, example) for example in policy.examples]


assert set(OUTCOME_KEYS) == {"fail", "pass", "unknown"}  # the words an example's expect uses
