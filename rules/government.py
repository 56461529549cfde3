"""Government partners (G-GOV): cooperation, not confrontation, on an agreed framework."""

from tahaluf.experta_compat import AS
from tahaluf.rules.base import RuleSet, check, if_applies, maybe, outcome, require, require_true
from tahaluf.rules.facts import Alliance, Partner


class GovernmentRules(RuleSet):

    @check("GV01", "government-structure-mapped", guidance=["G-GOV-1"], dimension="cross_sector_terms",
           when=[AS.partner << Partner(sector=maybe("government"))], partner_level=True,
           reads=["partner.sector", "partner.government.structure_mapped"])
    def government_structure_mapped(self, partner):
        """The structure of a government partner must be learned, to know whom to coordinate with (G-GOV-1)."""
        return if_applies(partner, "sector", "government", require_true(partner, "government.structure_mapped"))

    @check("GV02", "government-decision-makers", guidance=["G-GOV-2"], dimension="cross_sector_terms",
           when=[AS.partner << Partner(sector=maybe("government"))], partner_level=True,
           reads=["partner.sector", "partner.government.decision_makers_identified"])
    def government_decision_makers(self, partner):
        """The decision makers who can support our work must be identified (G-GOV-2)."""
        return if_applies(partner, "sector", "government",
                          require_true(partner, "government.decision_makers_identified"))

    @check("GV03", "government-cooperation-not-confrontation", guidance=["G-GOV-3"],
           dimension="cross_sector_terms", when=[AS.partner << Partner(sector=maybe("government"))], partner_level=True,
           reads=["partner.sector", "partner.government.approach"])
    def government_cooperation_not_confrontation(self, partner):
        """The approach to a government partner must be cooperative, not confrontational.

        «لا تعتمد أسلوب المواجهة بل التعاون» (G-GOV-3) is a bare prohibition and one of
        the card's three headline rules: a confrontational approach stops the alliance as
        proposed (blocker); a mixed approach is a major finding to fix first.
        """
        approach = (partner.get("government") or {}).get("approach")
        result = require(partner, "government.approach", lambda value: value == "cooperative",
                         params=(("approach", approach),))
        if approach == "mixed":
            result = result._replace(severity="major")
        return if_applies(partner, "sector", "government", result)

    @check("GV04", "government-information-flow", guidance=["G-GOV-4"], dimension="communication",
           when=[AS.partner << Partner(sector=maybe("government"))], partner_level=True,
           reads=["partner.sector", "partner.government.information_channel"])
    def government_information_flow(self, partner):
        """A channel must keep information flowing smoothly with a government partner (G-GOV-4)."""
        return if_applies(partner, "sector", "government", require_true(partner, "government.information_channel"))

    @check("GV05", "government-invited-to-events", guidance=["G-GOV-5"], dimension="communication",
           when=[AS.partner << Partner(sector=maybe("government"))], partner_level=True,
           reads=["partner.sector", "partner.government.invited_to_events"])
    def government_invited_to_events(self, partner):
        """Government bodies should be invited to take part in the events we organise (G-GOV-5)."""
        return if_applies(partner, "sector", "government", require_true(partner, "government.invited_to_events"))

    @check("GV06", "government-policy-dialogue", guidance=["G-GOV-6"], dimension="cross_sector_terms",
           when=[AS.alliance << Alliance(purpose_kind=maybe("policy_change")),
                 AS.partner << Partner(sector=maybe("government"))], partner_level=True,
           reads=["alliance.purpose_kind", "partner.sector", "partner.government.brings_advocates_together"])
    def government_policy_dialogue(self, alliance, partner):
        """An alliance to change policies or laws should bring the institution's members together with
        advocates of the issue, to discuss it and make proposals (G-GOV-6)."""
        result = if_applies(partner, "sector", "government",
                            require_true(partner, "government.brings_advocates_together"))
        return if_applies(alliance, "purpose_kind", "policy_change", result)

    @check("GV07", "government-framework-agreed", guidance=["G-GOV-7"], dimension="cross_sector_terms",
           when=[AS.partner << Partner(sector=maybe("government"))], partner_level=True,
           reads=["partner.sector", "partner.government.framework_agreed", "partner.government.grassroots_role"])
    def government_framework_agreed(self, partner):
        """The general framework of the work must be agreed with a government partner (G-GOV-7).

        The guide gives our part as an example, grassroots work complementing its
        regulations and laws: another part is worth noting (info), not a failure.
        """
        terms = partner.get("government") or {}
        framework, grassroots = terms.get("framework_agreed"), terms.get("grassroots_role")
        if framework is False:
            result = outcome("fail", partner, "government.framework_agreed", "government.grassroots_role")
        elif framework and grassroots is False:
            # The grassroots role is the guide's example of our part («وليكن مثلاً»), not a
            # requirement: worth saying, never a condition.
            result = outcome("fail", partner, "government.framework_agreed", "government.grassroots_role",
                             message="other_role")
            result = result._replace(severity="info")
        elif framework is None:
            result = outcome("not_assessed", partner, "government.framework_agreed")
        else:
            result = outcome("pass", partner, "government.framework_agreed", "government.grassroots_role")
        return if_applies(partner, "sector", "government", result)
