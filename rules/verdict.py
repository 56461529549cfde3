"""Levels 2 and 3 of the chain: findings -> gates, conditions, readiness -> verdict.

Red-flag gates (failed blockers) stay apart from the readiness scores: a
dimension can score well and the alliance still be stopped by one gate.
"""

from __future__ import annotations

from tahaluf.experta_compat import AS, EXISTS, MATCH, NOT, P, Rule
from tahaluf.knowledge import SEVERITIES
from tahaluf.rules.base import RuleSet
from tahaluf.rules.facts import Condition, Dimension, Finding, Gate, Readiness, Verdict

DERIVE_SALIENCE = 50
READINESS_SALIENCE = 10
WEAK_SALIENCE = 5
VERDICT_SALIENCE = -10

# The verdict policy, in one place: the rules below, the consultation's settledness and screening's
# statuses and reasons all read these names, so a change of how the verdict is reached is made here.
RED_FLAG = ("blocker",)  # a failed check of this force is a gate: do not proceed as proposed
DECISIVE = ("blocker", "major")  # a failed major check, or one of these still open, is a condition
# A failure of these checks is fixed by evidence, not by changing the alliance: a *verify* condition
# (rules/evidence.py). Never a red flag, whatever the severity.
VERIFY = ("EV01",)
SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}  # the gravest first

# How much one check weighs in its dimension's score, by the guide's force. An info
# finding weighs nothing: it informs, it never moves a score or raises a condition.
SEVERITY_WEIGHT = {"blocker": 3.0, "major": 2.0, "minor": 1.0, "info": 0.0, "strength": 1.0}
# The checks whose answer can move the verdict or a readiness score (a strength is only ever a pass).
SCORING = ("blocker", "major", "minor")
READY_AT, PARTIAL_AT = 80, 50
# A verdict read as the status of one candidate partner (screening, partner tables).
PARTNER_STATUS = {"proceed": "eligible", "conditions": "conditional", "do_not_proceed": "excluded"}


# The verdict rules below say: do_not_proceed when any gate exists, else conditions when any
# condition exists, else proceed. Every gate comes from one finding and every condition from
# one finding or one dimension, so over findings split by dimension the whole set's verdict
# is the worst of the parts' verdicts (screening derives it that way, part by part).
VERDICT_ORDER = ("proceed", "conditions", "do_not_proceed")


def worst_verdict(words) -> str:
    """The verdict of a whole set of findings from the verdicts of its parts (split by dimension)."""
    return max(words, key=VERDICT_ORDER.index, default="proceed")


def weighted_score(outcomes) -> int | None:
    """0-100: the severity-weighted share of assessed checks that passed; None if none was assessed.

    ``outcomes`` are (status, severity) pairs; not-assessed checks do not count.
    """
    assessed = [(status, severity) for status, severity in outcomes if status != "not_assessed"]
    total = sum(SEVERITY_WEIGHT[severity] for _, severity in assessed)
    passed = sum(SEVERITY_WEIGHT[severity] for status, severity in assessed if status == "pass")
    return round(100 * passed / total) if total else None


def score_bounds(outcomes) -> tuple[int | None, int | None, int | None]:
    """(low, high, coverage), each 0-100, over every check of a dimension, unknowns included.

    ``low`` counts every not-assessed check as failed, ``high`` as passed: whatever the
    open questions' answers, the score lies between them. ``coverage`` is the share of
    the dimension's weight that was assessed. All None when nothing weighs.
    """
    outcomes = list(outcomes)
    total = sum(SEVERITY_WEIGHT[severity] for _, severity in outcomes)
    if not total:
        return None, None, None
    passed = sum(SEVERITY_WEIGHT[severity] for status, severity in outcomes if status == "pass")
    unknown = sum(SEVERITY_WEIGHT[severity] for status, severity in outcomes if status == "not_assessed")
    return (round(100 * passed / total), round(100 * (passed + unknown) / total),
            round(100 * (total - unknown) / total))


def _band(score: int) -> str:
    return "ready" if score >= READY_AT else ("partial" if score >= PARTIAL_AT else "weak")


def readiness_level(low: int | None, high: int | None) -> str:
    """A dimension's level, said only when the open questions cannot change it.

    ``weak`` means weak even if every open check passed; ``ready`` / ``partial`` mean
    at least that even if every open check failed; when the answers could move the
    dimension across a band, it is ``not_enough_known``. Filling an open check with a
    passing answer raises ``low`` and leaves ``high``: the level never gets worse.
    """
    if low is None or high is None:
        return "not_enough_known"
    if _band(high) == "weak":
        return "weak"
    return _band(low) if _band(low) == _band(high) else "not_enough_known"


class Derivations(RuleSet):
    """Rules that reason over findings, never over the input directly."""

    @Rule(AS.finding << Finding(status="fail", severity=P(lambda s: s in RED_FLAG)), salience=DERIVE_SALIENCE)
    def gate_on_failed_blocker(self, finding):
        self.declare(Gate(id=self.next_id("G"), because=(finding["id"],)))

    @Rule(AS.finding << Finding(status="fail", severity=P(lambda s: s in DECISIVE and s not in RED_FLAG),
                                rule=P(lambda r: r not in VERIFY)), salience=DERIVE_SALIENCE)
    def condition_on_failed_major(self, finding):
        self.declare(Condition(id=self.next_id("C"), kind="fix", because=(finding["id"],)))

    @Rule(AS.finding << Finding(status="fail", rule=P(lambda r: r in VERIFY)), salience=DERIVE_SALIENCE)
    def condition_to_verify(self, finding):
        # A fact the verdict rests on is only claimed: confirm it, and the condition is met.
        self.declare(Condition(id=self.next_id("C"), kind="verify", because=(finding["id"],)))

    @Rule(AS.finding << Finding(status="not_assessed", severity=P(lambda s: s in DECISIVE)),
          salience=DERIVE_SALIENCE)
    def condition_on_unknown_decisive_fact(self, finding):
        # Unknown is not false: the alliance may go ahead once the fact is established.
        self.declare(Condition(id=self.next_id("C"), kind="establish", because=(finding["id"],)))

    @Rule(Dimension(name=MATCH.name), salience=READINESS_SALIENCE)
    def assess_readiness(self, name):
        mine = [f for f in self.findings_ledger if f["dimension"] == name]
        assessed = [f for f in mine if f["status"] != "not_assessed"]
        unknown = [f["id"] for f in mine if f["status"] == "not_assessed"]
        outcomes = [(f["status"], f["severity"]) for f in mine]
        low, high, coverage = score_bounds(outcomes)
        self.declare(Readiness(
            id=self.next_id("R"), dimension=name, score=weighted_score(outcomes),
            level=readiness_level(low, high), low=low, high=high, coverage=coverage,
            because=tuple(f["id"] for f in assessed), not_assessed=tuple(unknown),
        ))

    # The one aggregate rule by which minor findings raise a condition: a dimension
    # that would score under PARTIAL_AT even if every open check passed.
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
