"""The evidence behind facts (issue 25): a verdict is only as sound as what it rests on.

A passing blocker or major check rests on the facts its finding cites. When such a fact is
only *claimed* (someone says so; nothing in writing, nobody checked), or has no evidence at
all while the organisation requires evidence (evidence_rules.py), EV01 fails: a **verify**
condition (rules/verdict.py), met by evidence, never a red flag. EV02 notes evidence older
than the organisation's limit, for review. Neither reads nor changes a guide finding: they
run after every check, over the checks' own findings, and are scored in no dimension.
Nothing here runs unless the file lists evidence or evidence is required (rules/declare.py).
"""

from __future__ import annotations

import calendar
import datetime as _dt

from tahaluf.experta_compat import AS
from tahaluf.model import EVIDENCE_STATUSES
from tahaluf.rules.base import UNSCORED_DIMENSIONS, Outcome, RuleSet, check, supporting
from tahaluf.rules.facts import DecidingFact, EvidenceItem, EvidencePolicy
from tahaluf.rules.verdict import DECISIVE


def covers(evidenced: str, path: str) -> bool:
    """Evidence for a fact stands behind it and behind every fact under it (a partner's agreed
    terms, documented, cover each term)."""
    return path == evidenced or path.startswith((evidenced + ".", evidenced + "["))


def months_before(day: _dt.date, months: int) -> _dt.date:
    """The same day ``months`` earlier (the month's last day when it has no such day)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


class EvidenceRules(RuleSet):

    @supporting(AS.policy << EvidencePolicy())
    def gather_deciding_facts(self, policy):
        """Each known fact a passing blocker or major check cites, with the evidence behind it."""
        items = [f for f in self.facts.values() if isinstance(f, EvidenceItem)]
        deciding: dict[str, tuple] = {}
        for finding in self.findings_ledger:
            if finding["status"] != "pass" or finding["severity"] not in DECISIVE \
                    or finding["dimension"] in UNSCORED_DIMENSIONS:
                continue
            for path, value in finding["evidence"]:
                if value is not None and "." in path:  # a fact, not how many items a list holds
                    value0, rules = deciding.get(path, (value, ()))
                    deciding[path] = (value0, (*rules, finding["rule"]) if finding["rule"] not in rules else rules)
        for path, (value, rules) in sorted(deciding.items()):
            behind = [item for item in items if covers(item["fact"], path)]
            self.declare(DecidingFact(
                path=path, value=value, rules=rules, required=policy["required"],
                statuses=tuple(item["status"] for item in behind), sources=tuple(item["path"] for item in behind)))

    @check("EV01", "deciding-fact-verified", guidance=["G-PAR-4", "G-NRM-2"], dimension="evidence",
           after_checks=True, when=[AS.fact << DecidingFact()])
    def deciding_fact_verified(self, fact):
        """A fact that clears a red flag or a major check must be more than claimed.

        The guide asks an organisation to research its partners' past work before it joins
        (G-PAR-4), and to gather information and verify it, not relying on a single source,
        before acting (G-NRM-2). A verdict that rests on a fact nobody put in writing or
        checked rests on a claim: the fact is to be confirmed (a verify condition), which
        holds the verdict at `conditions` until evidence says more than "claimed". With no
        evidence at all it applies only when the organisation requires evidence.
        """
        statuses = fact["statuses"]
        if not statuses and not fact["required"]:
            return None
        best = max(statuses, key=EVIDENCE_STATUSES.index, default=None)
        params = (("fact", fact["path"]), ("value", fact["value"]), ("rules", ", ".join(fact["rules"])))
        cited = ((fact["path"], fact["value"]),)
        if best is None:
            return Outcome("fail", cited, params, message="no_evidence")
        return Outcome("fail" if best == "claimed" else "pass", cited, params)

    @check("EV02", "evidence-recent", guidance=["G-NRM-2"], dimension="evidence", after_checks=True,
           when=[AS.item << EvidenceItem()])
    def evidence_recent(self, item):
        """Evidence older than the organisation's limit is to be reviewed.

        Information is to be gathered and verified before acting (G-NRM-2): what a source
        said long ago may no longer hold. Evidence dated more than ``max_age_months`` before
        the day the facts stand at (``as_of``, else today) is noted for review; it informs and
        raises no condition. Undated evidence is not judged.
        """
        if item["date"] is None:
            return None
        limit = months_before(item["as_of"], item["max_age_months"])
        params = (("fact", item["fact"]), ("date", item["date"].isoformat()), ("months", item["max_age_months"]))
        return Outcome("fail" if item["date"] < limit else "pass", ((f"{item['path']}.date", item["date"]),), params)
