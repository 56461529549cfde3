"""Identifying partners and the concessions they ask (G-PAR-1..4, G-PAR-9)."""

from tahaluf.experta_compat import AS
from tahaluf.rules.base import Outcome, RuleSet, check, if_applies, outcome, require, require_true
from tahaluf.rules.facts import Alliance, Concession, Partner


class PartnerRules(RuleSet):

    @check("PA01", "no-core-concession", guidance=["G-PAR-3"], dimension="motives_fit",
           when=[AS.concession << Concession()], partner_level=True,
           reads=["concessions", "concession.touches_core_objective", "concession.core_objective", "concession.what"])
    def no_core_concession(self, concession):
        """A concession must not touch the core of our organisation's central objectives.

        "Concessions must not touch the core of the organisation's central
        objectives" (G-PAR-3): a concession that does is a blocker, whatever else
        the alliance offers. One of the card's three headline rules. When the
        concessions were left out, one stands open: "will any touch them?"
        """
        return if_applies(concession, "asked", True, require(
            concession, "touches_core_objective", lambda touches: touches is False,
            params=(("core_objective", concession.get("core_objective") or "?"),)))

    @check("PA02", "concession-we-can-live-with", guidance=["G-PAR-2"], dimension="motives_fit",
           when=[AS.concession << Concession()], partner_level=True,
           reads=["concessions", "concession.can_live_with", "concession.what"])
    def concession_we_can_live_with(self, concession):
        """For each concession, ask how far the organisation can live with it (G-PAR-2)."""
        return if_applies(concession, "asked", True, require_true(concession, "can_live_with"))

    @check("PA03", "partner-due-diligence", guidance=["G-PAR-4"], dimension="partners_due_diligence",
           when=[AS.partner << Partner()], partner_level=True,
           reads=["partner.past_work_reviewed", "partner.past_statements_reviewed"])
    def partner_due_diligence(self, partner):
        """Before joining, research each partner's past work and prior statements (G-PAR-4).

        They show its work, the values it grew from and how it works.
        """
        return require_true(partner, "past_work_reviewed", "past_statements_reviewed",
                            messages={"past_statements_reviewed": "statements_not_reviewed"})

    @check("PA04", "partner-values-alignment", guidance=["G-PAR-1", "G-ALL-2"],
           dimension="partners_due_diligence", when=[AS.partner << Partner()], partner_level=True,
           reads=["partner.values_alignment"])
    def partner_values_alignment(self, partner):
        """A partner whose values align poorly may deviate from the values the alliance rests on.

        Alliances are built among groups sharing principles and values (G-ALL-2); a
        member may stray from them and affect the others (G-PAR-1).
        """
        return require(partner, "values_alignment", lambda level: level != "low")

    @check("PA05", "partner-reputation-risk", guidance=["G-PAR-1"], dimension="partners_due_diligence",
           when=[AS.partner << Partner()], partner_level=True,
           reads=["partner.reputation_risk"])
    def partner_reputation_risk(self, partner):
        """A partner with a high reputation risk exposes every member: one member can be affected by
        another's behaviour (G-PAR-1)."""
        return require(partner, "reputation_risk", lambda level: level != "high")

    @check("PA06", "deviation-risk-understood", guidance=["G-PAR-1"], dimension="partners_due_diligence",
           when=[AS.partner << Partner()], partner_level=True,
           reads=["partner.values_alignment"])
    def deviation_risk_understood(self, partner):
        """Only a strong values alignment keeps a partner's risk of deviation in check, at any scope.

        Alliances are complex and sensitive «سواء محلية أو على المستوى القومي أو ما أبعد»
        (G-PAR-1): local ones as much as national or wider. A medium alignment is
        worth watching (minor); a low one is PA04's major finding, not repeated here.
        """
        status = {"high": "pass", "medium": "fail"}.get(partner.get("values_alignment"), "not_assessed")
        if partner.get("values_alignment") == "low":
            return None
        return outcome(status, partner, "values_alignment")

    @check("PA07", "partner-strengths-known", guidance=["G-PAR-9"], dimension="partners_due_diligence",
           when=[AS.partner << Partner()], partner_level=True,
           reads=["partner.strengths", "partner.weaknesses", "partner.contribution"])
    def partner_strengths_known(self, partner):
        """Each partner's strengths, weaknesses and what it would add should be identified (G-PAR-9).

        The meetings are "the chance to identify each potential member's strengths and
        weaknesses, and what each would add": all three. No strengths or a blank
        contribution fails; weaknesses may truly be none (``[]``), but must be asked.
        """
        strengths, weaknesses = partner.get("strengths"), partner.get("weaknesses")
        contribution = partner.get("contribution")
        fields = ("strengths", "weaknesses", "contribution")
        if strengths is not None and not any(strengths):
            return outcome("fail", partner, *fields)
        if contribution is not None and not contribution.strip():
            return outcome("fail", partner, *fields, message="no_contribution")
        if strengths is None or contribution is None or weaknesses is None:
            return outcome("not_assessed", partner, *fields)
        return outcome("pass", partner, *fields)

    @check("PA08", "partners-identified", guidance=["G-PAR-4", "G-ALL-1"], dimension="partners_due_diligence",
           when=[AS.alliance << Alliance()])
    def partners_identified(self, alliance):
        """The partners must be known before the alliance can be judged.

        Every partner is to be researched before joining (G-PAR-4), and an alliance
        is a coming together of several parties (G-ALL-1). With the partners left out,
        no partner check can run, so none of them can clear the alliance: a blocker or
        major finding may hide behind any partner not yet named.
        """
        if not alliance.get("partners_known"):
            return Outcome("not_assessed", (("partners", None),))
        count = alliance.get("partner_count")
        return Outcome("pass" if count else "fail", (("partners", count),))

    @check("PA09", "partner-met", guidance=["G-PAR-5", "G-PAR-7"], dimension="communication",
           when=[AS.partner << Partner()], partner_level=True,
           reads=["partner.met"])
    def partner_met(self, partner):
        """Each potential ally should have been met, bilaterally or in a group meeting.

        Communication with the potential allies goes "through bilateral meetings or
        group meetings of all potential allies" (G-PAR-7), with channels kept open
        through the debates (G-PAR-5): the alliance-wide answer can hide one partner
        never met.
        """
        return require_true(partner, "met")
