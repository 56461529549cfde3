"""Identifying partners and the concessions they ask (G-PAR-1..4, G-PAR-9)."""

from tahaluf.experta_compat import AS, P
from tahaluf.rules.base import RuleSet, check, outcome, require, require_true
from tahaluf.rules.facts import Alliance, Concession, Partner


class PartnerRules(RuleSet):

    @check("PA01", "no-core-concession", guidance=["G-PAR-3"], dimension="motives_fit",
           when=[AS.concession << Concession()], partner_level=True)
    def no_core_concession(self, concession):
        """A concession must not touch the core of our organisation's central objectives.

        "Concessions must not touch the core of the organisation's central
        objectives" (G-PAR-3): a concession that does is a blocker, whatever else
        the alliance offers. One of the card's three headline rules.
        """
        return require(concession, "touches_core_objective", lambda touches: touches is False,
                       params=(("core_objective", concession.get("core_objective") or "?"),))

    @check("PA02", "concession-we-can-live-with", guidance=["G-PAR-2"], dimension="motives_fit",
           when=[AS.concession << Concession()], partner_level=True)
    def concession_we_can_live_with(self, concession):
        """For each concession, ask how far the organisation can live with it (G-PAR-2)."""
        return require_true(concession, "can_live_with")

    @check("PA03", "partner-due-diligence", guidance=["G-PAR-4"], dimension="partners_due_diligence",
           when=[AS.partner << Partner()], partner_level=True)
    def partner_due_diligence(self, partner):
        """Before joining, research each partner's past work and prior statements (G-PAR-4).

        They show its work, the values it grew from and how it works.
        """
        return require_true(partner, "past_work_reviewed", "past_statements_reviewed")

    @check("PA04", "partner-values-alignment", guidance=["G-PAR-1", "G-ALL-2"],
           dimension="partners_due_diligence", when=[AS.partner << Partner()], partner_level=True)
    def partner_values_alignment(self, partner):
        """A partner whose values align poorly may deviate from the values the alliance rests on.

        Alliances are built among groups sharing principles and values (G-ALL-2); a
        member may stray from them and affect the others (G-PAR-1).
        """
        return require(partner, "values_alignment", lambda level: level != "low")

    @check("PA05", "partner-reputation-risk", guidance=["G-PAR-1"], dimension="partners_due_diligence",
           when=[AS.partner << Partner()], partner_level=True)
    def partner_reputation_risk(self, partner):
        """A partner with a high reputation risk exposes every member: one member can be affected by
        another's behaviour (G-PAR-1)."""
        return require(partner, "reputation_risk", lambda level: level != "high")

    @check("PA06", "deviation-risk-grows-with-scope", guidance=["G-PAR-1"], dimension="partners_due_diligence",
           when=[AS.alliance << Alliance(scope=P(lambda scope: scope in ("regional", "global"))),
                 AS.partner << Partner()], partner_level=True)
    def deviation_risk_grows_with_scope(self, alliance, partner):
        """At regional or global scope, only partners of strong values alignment keep the risk of
        deviation in check: the wider the alliance, the more complex and sensitive (G-PAR-1)."""
        status = {"high": "pass", "medium": "fail", "low": "fail"}.get(partner.get("values_alignment"), "not_assessed")
        return outcome(status, partner, "values_alignment", params=(("scope", alliance["scope"]),))

    @check("PA07", "partner-strengths-known", guidance=["G-PAR-9"], dimension="partners_due_diligence",
           when=[AS.partner << Partner()], partner_level=True)
    def partner_strengths_known(self, partner):
        """Each partner's strengths, weaknesses and what it would add should be identified (G-PAR-9)."""
        strengths, contribution = partner.get("strengths"), partner.get("contribution")
        if strengths is None and contribution is None:
            return outcome("not_assessed", partner, "strengths", "contribution")
        known = bool(strengths) and bool(contribution)
        return outcome("pass" if known else "fail", partner, "strengths", "contribution")
