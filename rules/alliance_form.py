"""What makes it an alliance rather than a network (G-ALL-1..4): common goals, shared values, a fitting form."""

from tahaluf.experta_compat import AS, MATCH, P
from tahaluf.rules.base import (
    Outcome,
    RuleSet,
    check,
    goal_is_specific,
    if_applies,
    maybe,
    outcome,
    require_true,
    status_of,
)
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
        commitment among organisations, usually directed at a goal" (G-ALL-3): the
        shared issue (``purpose``) and the goals are both needed. An empty list,
        blank goals or a blank purpose fail; either unknown stays open.
        """
        goals, purpose = alliance.get("goals"), alliance.get("purpose")
        no_goals = goals is not None and not any(goal["goal"].strip() for goal in goals)
        no_issue = purpose is not None and not purpose.strip()
        return outcome(status_of(no_goals or no_issue, goals is None or purpose is None), alliance, "purpose", "goals",
                       message="no_shared_issue" if no_issue and not no_goals else None)

    @check("AL02", "shared-values", guidance=["G-ALL-2", "G-ALL-3"], dimension="motives_fit",
           when=[AS.alliance << Alliance()])
    def alliance_shared_values(self, alliance):
        """The members must share the same principles and values.

        Alliance building is "centred on a web of relationships among groups that
        share the same principles and values" (G-ALL-2); shared values and goals
        are what make an alliance stronger and more durable than a network (G-ALL-3).
        """
        return require_true(alliance, "shared_values")

    @check("AL03", "goal-alliance-is-committed", guidance=["G-ALL-3", "G-ALL-2"], dimension="form_governance",
           when=[AS.alliance << Alliance(purpose_kind=maybe(*GOAL_PURPOSES))])
    def goal_alliance_is_committed(self, alliance):
        """An alliance for a common goal, a campaign or a policy change rests on its members' commitment to that goal.

        An alliance is "a contractual commitment among organisations, usually
        directed at a goal" (G-ALL-3), its aim usually "a common goal or a specific
        campaign" (G-ALL-2). The commitment is what counts; a formal framework is
        optional («بل وقد تتخذ إطارًا رسميًا»), so an informal alliance committed to
        its goal passes, and a formal one whose members are not committed fails.
        """
        committed = alliance.get("committed_to_goal")
        status = "not_assessed" if committed is None else ("pass" if committed else "fail")
        return if_applies(alliance, "purpose_kind", "goal",
                          outcome(status, alliance, "committed_to_goal", "formality"))

    @check("AL04", "network-may-suffice", guidance=["G-ALL-3"], dimension="form_governance",
           when=[AS.alliance << Alliance(purpose_kind=P(lambda kind: kind in NETWORK_PURPOSES))])
    def network_may_suffice(self, alliance):
        """For information exchange or coordination alone, a network may serve better than a formal alliance.

        A network lives on continuous interaction among its members (G-NET-1); an
        alliance adds "a contractual commitment ... usually directed at a goal"
        (G-ALL-3). A formal alliance for exchange or coordination alone
        may commit members to more than the purpose needs: worth knowing, no more.
        """
        formality = alliance.get("formality")
        status = "not_assessed" if formality is None else ("fail" if formality == "formal" else "pass")
        return outcome(status, alliance, "formality", "purpose_kind")

    @check("AL05", "cross-sector-member-intended", guidance=["G-MOT-6", "G-ALL-1"],
           dimension="cross_sector_terms",
           when=[AS.partner << Partner(sector=P(lambda sector: sector in CROSS_SECTOR)),
                 Alliance(motives=MATCH.motives)],
           partner_level=True,
           reads=["partner.sector", "alliance.motives"])
    def cross_sector_member_intended(self, partner, motives):
        """A government or private-sector member should be there by design: cross-sector coordination
        stated as a motive.

        Coordinating strategies with other sectors is a motive of its own (G-MOT-6);
        identifying the motives "helps them find suitable partners" (G-ALL-1). When
        the motive is there, the member is a strength and the guide's terms for its
        sector apply. (That an alliance *may* include them, G-ALL-4, is a
        possibility, not a requirement: background, cited by no rule.)
        """
        evidence = ((f"{partner['path']}.sector", partner.get("sector")), ("alliance.motives", motives))
        if motives is None:
            return Outcome("not_assessed", evidence)
        return Outcome("pass" if "cross_sector_coordination" in motives else "fail", evidence)

    @check("AL06", "goals-are-measurable", guidance=["G-ALL-1", "G-PRV-2"], dimension="motives_fit",
           when=[AS.alliance << Alliance()])
    def goals_are_measurable(self, alliance):
        """Each common goal should say how it is measured or by when it is reached.

        An alliance works "to reach a common goal" (G-ALL-1), and goals come with "a
        timeline to achieve them" (G-PRV-2). "Raise awareness" with neither a measure
        nor a date is an intention, not a goal anyone can tell was reached. Specific
        (``goal_is_specific``, tahaluf/goals.py): a measure or a date given, or a sentence
        stating a quantity *and* a date ("400 workers trained by 2028-06"); a number in a
        name ("Phase 2 of the campaign", "Campaign 2027") is neither.
        """
        goals = alliance.get("goals")
        if not goals:
            return None  # unknown or none: AL01's question
        vague = [goal["goal"] for goal in goals if not goal_is_specific(goal)]
        return Outcome("fail" if vague else "pass", (("alliance.goals", tuple(g["goal"] for g in goals)),),
                       params=(("goal", vague[0] if vague else ""),))
