"""The organisation's own policy, judged by the same engine as the guide (issue 25).

One generic rule over declared facts: each ``PolicyRule`` fact (one per rule of the policy given) is
judged over the alliance's facts in working memory; a rule that reads ``partners[*]`` once per partner
(and once over an unknown partner while the partners are unknown, so that a red line cannot go unasked).
Its finding is a finding like a check's — a red line's severity is the red flag's, a condition's the
major check's, a note's info — so the derivations in verdict.py turn it into a gate, a condition to fix
or a fact to establish exactly as they do the guide's. A policy only adds findings: it never reads,
changes or removes one of the guide's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tahaluf.experta_compat import AS, Rule
from tahaluf.policy.conditions import judge
from tahaluf.rules import facts
from tahaluf.rules.base import AFTER_CHECKS_SALIENCE, CHECK_SALIENCE, status_of

# After every check of the guide (its findings keep their ids and order), before the derivations.
POLICY_SALIENCE = (CHECK_SALIENCE + AFTER_CHECKS_SALIENCE) // 2
POLICY_DIMENSION = "policy"
_SECTIONS = {facts.Organisation: "organisation", facts.Alliance: "alliance", facts.Engagement: "engagement",
             facts.Understanding: "understanding", facts.Governance: "governance",
             facts.Monitoring: "monitoring", facts.Review: "review"}
_BOOKKEEPING = ("path", "index", "partners_known", "partner_count", "asked")


def _plain(fact: Any) -> dict:
    return {key: value for key, value in fact.as_dict().items() if key not in _BOOKKEEPING}


def memory_view(engine: Any) -> dict:
    """The alliance's facts in working memory as one document (lists unknown stay None)."""
    view: dict[str, Any] = {}
    partners: list = []
    concessions: list | None = []
    for fact in engine.facts.values():
        kind = type(fact)
        if kind in _SECTIONS:
            view[_SECTIONS[kind]] = _plain(fact)
            if kind is facts.Alliance and not fact.get("partners_known"):
                partners = None  # type: ignore[assignment]
        elif kind is facts.Partner and partners is not None:
            partners.append((fact["index"], _plain(fact)))
        elif kind is facts.Concessions and fact.get("count") is None:
            concessions = None
        elif kind is facts.Concession and concessions is not None and fact.get("index", -1) >= 0:
            concessions.append((fact["index"], _plain(fact)))
    view["partners"] = None if partners is None else [item for _, item in sorted(partners, key=lambda p: p[0])]
    view["concessions"] = None if concessions is None else [item for _, item in sorted(concessions,
                                                                                        key=lambda c: c[0])]
    return view


class PolicyChecks:
    """The generic policy rule (mixed into every composed engine; silent without PolicyRule facts)."""

    policy: Any = None
    # Provided by the engine this is mixed into (rules/engine.py's _Base and experta's KnowledgeEngine).
    findings_ledger: list[dict]
    next_id: Callable[[str], str]
    declare: Callable[..., Any]

    @Rule(AS.rule << facts.PolicyRule(per_partner=False), salience=POLICY_SALIENCE)
    def policy_rule_of_the_alliance(self, rule):
        self.judge_policy_rule(rule["id"], None, "")

    @Rule(AS.rule << facts.PolicyRule(per_partner=True), AS.partner << facts.Partner(), salience=POLICY_SALIENCE)
    def policy_rule_of_a_partner(self, rule, partner):
        self.judge_policy_rule(rule["id"], partner["index"], partner["name"])

    @Rule(AS.rule << facts.PolicyRule(per_partner=True), facts.Alliance(partners_known=False),
          salience=POLICY_SALIENCE)
    def policy_rule_of_unknown_partners(self, rule):
        # The partners are unknown: any of them could breach a red line, so it stays open.
        self.judge_policy_rule(rule["id"], None, "partners")

    def judge_policy_rule(self, rule_id: str, partner: int | None, subject: str) -> None:
        rule = self.policy.rule(rule_id)
        view = memory_view(self)
        value, cited = judge(rule.fails_when, view, partner)
        answerable = rule.reads_unknown and judge(rule.fails_when, view, partner, answerable=True)[0] is None
        if value is False and answerable:
            value = None  # it holds only while a fact stays unknown: an answer could make it fail
        status = status_of(value is True, value is None)
        if status == "fail" and not answerable:  # decided by known facts: cite only those (as base.outcome does)
            cited = [(path, fact) for path, fact in cited if fact is not None]
        finding = {
            "id": self.next_id("F"), "rule": rule_id, "status": status, "severity": rule.guide_severity,
            "dimension": POLICY_DIMENSION, "subject": subject, "evidence": tuple(_first_of_each(cited)),
            "params": (), "applies_if": (), "message": None,
        }
        self.findings_ledger.append(finding)
        if status != "pass":
            self.declare(facts.Finding(**finding))


def _first_of_each(cited: list) -> list:
    """Each fact once, in the order read; a list's value as a tuple (a finding's facts are frozen)."""
    seen: dict[str, Any] = {}
    for path, value in cited:
        seen.setdefault(path, tuple(value) if isinstance(value, list) else value)
    return list(seen.items())


def policy_facts(policy: Any) -> list:
    """One fact per rule of the policy (none without a policy: the engine then runs as before)."""
    if policy is None:
        return []
    return [facts.PolicyRule(id=rule.id, per_partner=rule.per_partner) for rule in policy.rules]
