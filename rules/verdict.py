"""Levels 2 and 3 of the chain: findings -> gates, conditions, readiness -> verdict.

Red-flag gates (failed blockers) stay apart from the readiness scores: a
dimension can score well and the alliance still be stopped by one gate.
"""

from __future__ import annotations

from tahaluf.experta_compat import AS, EXISTS, MATCH, NOT, Rule, P
from tahaluf.rules.facts import Condition, Dimension, Finding, Gate, Readiness, Verdict

DERIVE_SALIENCE = 50
READINESS_SALIENCE = 10
WEAK_SALIENCE = 5
VERDICT_SALIENCE = -10

# How much one check weighs in its dimension's score, by the guide's force.
SEVERITY_WEIGHT = {"blocker": 3.0, "major": 2.0, "minor": 1.0, "info": 0.5, "strength": 1.0}
READY_AT, PARTIAL_AT = 80, 50
# A verdict read as the status of one candidate partner (screening, partner tables).
PARTNER_STATUS = {"proceed": "eligible", "conditions": "conditional", "do_not_proceed": "excluded"}


def weighted_score(outcomes) -> int | None:
    """0-100: the severity-weighted share of assessed checks that passed; None if none was assessed.

    ``outcomes`` are (status, severity) pairs; not-assessed checks do not count.
    """
    assessed = [(status, severity) for status, severity in outcomes if status != "not_assessed"]
    total = sum(SEVERITY_WEIGHT[severity] for _, severity in assessed)
    passed = sum(SEVERITY_WEIGHT[severity] for status, severity in assessed if status == "pass")
    return round(100 * passed / total) if total else None


def readiness_level(score: float | None) -> str:
    if score is None:
        return "not_assessed"
    return "ready" if score >= READY_AT else ("partial" if score >= PARTIAL_AT else "weak")


class Derivations:
    """Rules that reason over findings, never over the input directly."""

    @Rule(AS.finding << Finding(status="fail", severity="blocker"), salience=DERIVE_SALIENCE)
    def gate_on_failed_blocker(self, finding):
        self.declare(Gate(id=self.next_id("G"), because=(finding["id"],)))

    @Rule(AS.finding << Finding(status="fail", severity="major"), salience=DERIVE_SALIENCE)
    def condition_on_failed_major(self, finding):
        self.declare(Condition(id=self.next_id("C"), kind="fix", because=(finding["id"],)))

    @Rule(AS.finding << Finding(status="not_assessed", severity=P(lambda s: s in ("blocker", "major"))),
          salience=DERIVE_SALIENCE)
    def condition_on_unknown_decisive_fact(self, finding):
        # Unknown is not false: the alliance may go ahead once the fact is established.
        self.declare(Condition(id=self.next_id("C"), kind="establish", because=(finding["id"],)))

    @Rule(Dimension(name=MATCH.name), salience=READINESS_SALIENCE)
    def assess_readiness(self, name):
        mine = [f for f in self.findings_ledger if f["dimension"] == name]
        assessed = [f for f in mine if f["status"] != "not_assessed"]
        unknown = [f["id"] for f in mine if f["status"] == "not_assessed"]
        score = weighted_score((f["status"], f["severity"]) for f in mine)
        self.declare(Readiness(
            id=self.next_id("R"), dimension=name, score=score, level=readiness_level(score),
            because=tuple(f["id"] for f in assessed), not_assessed=tuple(unknown),
        ))

    @Rule(AS.readiness << Readiness(level="weak"), salience=WEAK_SALIENCE)
    def condition_on_weak_dimension(self, readiness):
        self.declare(Condition(id=self.next_id("C"), kind="strengthen", dimension=readiness["dimension"],
                               because=(readiness["id"],)))

    @Rule(EXISTS(Gate()), salience=VERDICT_SALIENCE)
    def verdict_do_not_proceed(self):
        self.declare(Verdict(word="do_not_proceed", because=self.ids_of(Gate)))

    @Rule(NOT(Gate()), EXISTS(Condition()), salience=VERDICT_SALIENCE)
    def verdict_conditions(self):
        self.declare(Verdict(word="conditions", because=self.ids_of(Condition)))

    @Rule(NOT(Gate()), NOT(Condition()), salience=VERDICT_SALIENCE)
    def verdict_proceed(self):
        self.declare(Verdict(word="proceed", because=self.ids_of(Readiness)))
