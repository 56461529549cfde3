"""What a policy file holds, once checked: its rules, their conditions and its examples (input layer)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tahaluf.evidence_rules import EvidenceRules

# A policy's severities on the guide's scale (rules/verdict.py): a red line fails like a blocker
# (a red flag), a condition like a major check, a note informs and never raises a condition.
SEVERITY_OF = {"red_line": "blocker", "condition": "major", "note": "info"}
OPERATORS = ("equals", "in", "contains", "greater_than", "less_than", "unknown")
LOGIC = ("all", "any", "not")
OUTCOME_KEYS = {"fail": "fail", "pass": "pass", "unknown": "not_assessed"}


@dataclass(frozen=True)
class Leaf:
    """One test of one fact: ``fact`` is a path (``partners[*].industries``), ``op`` one of OPERATORS."""

    fact: str
    op: str
    value: Any
    currency: str | None = None  # an amount compared in this currency only (another is never converted)


@dataclass(frozen=True)
class Logic:
    """``all`` / ``any`` of several conditions, or ``not`` one (``parts`` has one then)."""

    op: str
    parts: tuple[Leaf | Logic, ...]


Condition = Leaf | Logic


@dataclass(frozen=True)
class PolicyRule:
    id: str
    title: dict[str, str]
    text: dict[str, str]
    severity: str  # red_line | condition | note
    fails_when: Condition
    line: int | None = None

    @property
    def guide_severity(self) -> str:
        return SEVERITY_OF[self.severity]

    @property
    def per_partner(self) -> bool:
        """A rule that reads ``partners[*]`` judges each partner in turn (and each screened candidate)."""
        return any(leaf.fact.startswith("partners[*]") for leaf in leaves(self.fails_when))

    @property
    def reads_unknown(self) -> bool:
        """Whether it tests ``unknown:`` (the one test an answer can turn either way)."""
        return any(leaf.op == "unknown" for leaf in leaves(self.fails_when))

    @property
    def reads(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(leaf.fact for leaf in leaves(self.fails_when)))


@dataclass(frozen=True)
class Example:
    name: str
    given: dict
    expect: dict[str, tuple[str, ...]]  # fail / pass / unknown -> rule ids
    line: int | None = None


@dataclass(frozen=True)
class Policy:
    name: str
    rules: tuple[PolicyRule, ...]
    examples: tuple[Example, ...] = ()
    evidence: EvidenceRules = EvidenceRules.model_validate({})
    source_name: str = ""
    sha256: str = ""
    by_id: dict[str, PolicyRule] = field(default_factory=dict, compare=False, repr=False)

    def rule(self, rule_id: str) -> PolicyRule:
        return self.by_id[rule_id]


def leaves(condition: Condition):
    if isinstance(condition, Leaf):
        yield condition
    else:
        for part in condition.parts:
            yield from leaves(part)
