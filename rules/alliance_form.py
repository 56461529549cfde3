"""What makes it an alliance rather than a network (G-ALL-1..4): common goals, shared values, a fitting form."""

from tahaluf.experta_compat import AS, MATCH, P
from tahaluf.rules.base import Outcome, RuleSet, check, outcome, require, require_true
from tahaluf.rules.facts import Alliance, Partner

# Purposes that aim at a goal or a campaign (G-ALL-2, G-ALL-3) and those a network serves (G-NET-1..4).
GOAL_PURPOSES = frozenset({"campaign", "common_goal", "policy_change"})
NETWORK_PURPOSES = frozenset({"information_exchange", "coordination"})
CROSS_SECTOR = frozenset({"government", "private"})


class AllianceFormRules(RuleSet):

    @check("AL01", "common-goal-stated", guidance=["G-ALL-1", "G-ALL-3"], dimension="motives_fit",
           when=[AS.alliance << Alliance()])
    def common_goal_stated(self, alliance):
        """The alliance must have stated goals: a common goal is what makes it an alliance.

        An alliance is a group "working together on solutions to a shared issue — to
        reach a common goal or solve a common problem" (G-ALL-1), "a contractual
        commitment among organisations, usually directed at a goal" (G-ALL-3). An
        empty list, or goals that are blank, fails.
        """
        return require(alliance, "goals", lambda goals: any(goal.strip() for goal in goals))

    @check("AL02", "shared-values", guidance=["G-ALL-2", "G-ALL-3"], dimension="motives_fit",
           when=[AS.alliance << Alliance()])
    def alliance_shared_values(self, alliance):
        """The members must share the same principles and values.

        Alliance building is "centred on a web of relationships among groups that
        share the same principles and values" (G-ALL-2); shared values and goals
        are what make an alliance stronger and more durable than a network (G-ALL-3).
        """
        return require_true(alliance, "shared_values")

    @check("AL03", "goal-alliance-is-contractual", guidance=["G-ALL-3", "G-ALL-2"], dimension="form_governance",
           when=[AS.alliance << Alliance(purpose_kind=P(lambda kind: kind in GOAL_PURPOSES))])
    def goal_alliance_is_contractual(self, alliance):
        """An alliance for a common goal, a campaign or a policy change should rest on a contractual commitment.

        An alliance is "a contractual commitment among organisations, usually
        directed at a goal" (G-ALL-3), and its aim is usually "a common goal or a
        specific campaign" (G-ALL-2). Pursued informally or as a loose network, such
        an aim lacks the commitment that makes an alliance hold. Only ``formal``
        formality is a contractual commitment.
        """
        formality = alliance.get("formality")
        status = "not_assessed" if formality is None else ("pass" if formality == "formal" else "fail")
        return outcome(status, alliance, "formality", "purpose_kind")

    @check("AL04", "network-may-suffice", guidance=["G-ALL-3", "G-NET-1"], dimension="form_governance",
           when=[AS.alliance << Alliance(purpose_kind=P(lambda kind: kind in NETWORK_PURPOSES))])
    def network_may_suffice(self, alliance):
        """For information exchange or coordination alone, a network may serve better than a formal alliance.

        A network lives on "continuous interaction with the network's members"
        (G-NET-1); an alliance adds "a contractual commitment ... usually directed
        at a goal" (G-ALL-3). A formal alliance for exchange or coordination alone
        may commit members to more than the purpose needs: worth knowing, no more.
        """
        formality = alliance.get("formality")
        status = "not_assessed" if formality is None else ("fail" if formality == "formal" else "pass")
        return outcome(status, alliance, "formality", "purpose_kind")

    @check("AL05", "cross-sector-member-intended", guidance=["G-ALL-4", "G-MOT-6", "G-ALL-1"],
           dimension="cross_sector_terms",
           when=[AS.partner << Partner(sector=P(lambda sector: sector in CROSS_SECTOR)),
                 Alliance(motives=MATCH.motives)],
           partner_level=True)
    def cross_sector_member_intended(self, partner, motives):
        """A government or private-sector member should be there by design: cross-sector coordination stated as a motive.

        "An alliance may include NGOs together with private-sector organisations
        and/or government institutions" (G-ALL-4), and coordinating strategies with
        other sectors is a motive of its own (G-MOT-6); identifying the motives
        "helps them find suitable partners" (G-ALL-1). When the motive is there, the
        member is a strength and the guide's terms for its sector apply.
        """
        evidence = ((f"{partner['path']}.sector", partner.get("sector")), ("alliance.motives", motives))
        if motives is None:
            return Outcome("not_assessed", evidence)
        return Outcome("pass" if "cross_sector_coordination" in motives else "fail", evidence)
