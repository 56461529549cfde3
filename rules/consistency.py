"""Input consistency (CX): facts that cannot both be true.

A contradiction is a finding of its own, naming both input paths (the report adds
their lines). It never passes or stays open: it fails when both facts are given and
disagree, and says nothing otherwise. It scores no readiness dimension; a major one
raises a condition to fix, so a contradiction touching a blocker's facts makes the
verdict ``conditions`` at best.
"""

from tahaluf.experta_compat import AS
from tahaluf.rules.base import Outcome, RuleSet, check, given, value_at
from tahaluf.rules.facts import Alliance, Concession, Partner, Review
from tahaluf.rules.private_sector import goals_look_specific

# A partner's terms belong to one sector: `government:` terms on a company (or the reverse)
# mean the sector or the terms are wrong.
_TERMS_SECTOR = {"government": "government", "private": "private"}


def _contradiction(first: tuple[str, object], second: tuple[str, object]) -> Outcome:
    return Outcome("fail", (first, second), params=(("first_path", first[0]), ("second_path", second[0])))


class ConsistencyRules(RuleSet):

    @check("CX01", "concession-touch-contradiction", guidance=["G-PAR-3"], dimension="consistency",
           fails_only=True,
           when=[AS.concession << Concession(touches_core_objective=False)], partner_level=True,
           reads=["concessions", "concession.touches_core_objective", "concession.core_objective", "concession.what"])
    def concession_names_objective_it_does_not_touch(self, concession):
        """A concession said not to touch a core objective, yet naming the core objective it touches.

        PA01 (G-PAR-3, a blocker) passes on ``touches_core_objective: no``; naming a
        core objective in the same concession says the opposite, so the blocker's
        pass cannot be trusted until one of the two is corrected.
        """
        objective = concession.get("core_objective")
        if not objective:
            return None
        path = concession["path"]
        return _contradiction((f"{path}.touches_core_objective", False), (f"{path}.core_objective", objective))

    @check("CX02", "shared-values-contradiction", guidance=["G-ALL-2"], dimension="consistency",
           fails_only=True,
           when=[AS.alliance << Alliance(shared_values=True), AS.partner << Partner(values_alignment="low")],
           partner_level=True,
           reads=["alliance.shared_values", "partner.values_alignment"])
    def shared_values_yet_partner_misaligned(self, alliance, partner):
        """The members are said to share principles and values, yet a partner's values align poorly.

        Alliances are built among groups sharing the same principles and values
        (G-ALL-2): both cannot hold, and AL02 and PA04 would judge the same question
        two ways.
        """
        return _contradiction(("alliance.shared_values", True), (f"{partner['path']}.values_alignment", "low"))

    @check("CX03", "timeline-in-order", guidance=["G-PRV-2"], dimension="consistency",
           fails_only=True,
           when=[AS.alliance << Alliance()])
    def timeline_in_order(self, alliance):
        """The alliance's timeline must end after it starts, with every milestone inside it.

        Goals come with "a timeline to achieve them" (G-PRV-2): a timeline that ends
        before it starts, or a milestone outside it, cannot be followed.
        """
        start, end = value_at(alliance, "timeline.start"), value_at(alliance, "timeline.end")
        if start and end and end < start:
            return _contradiction(("alliance.timeline.start", start.isoformat()),
                                  ("alliance.timeline.end", end.isoformat()))
        for index, milestone in enumerate(value_at(alliance, "timeline.milestones") or ()):
            day = milestone.get("date")
            bound = (("start", start) if start and day and day < start
                     else ("end", end) if end and day and day > end else None)
            if bound:
                return _contradiction((f"alliance.timeline.milestones[{index}].date", day.isoformat()),
                                      (f"alliance.timeline.{bound[0]}", bound[1].isoformat()))
        return None

    @check("CX04", "sector-terms-contradiction", guidance=["G-PRV-2", "G-GOV-7"], dimension="consistency",
           fails_only=True,
           when=[AS.partner << Partner()], partner_level=True,
           reads=["partner.sector", given("partner.government"), given("partner.private")])
    def sector_terms_contradiction(self, partner):
        """A partner's sector and the terms given for it must agree.

        Government terms (G-GOV-1..7) on a company, or private-sector terms
        (G-PRV-1..2) on a government body or an NGO, mean the sector or the terms are
        wrong; PR01, a blocker, is decided by which one is right.
        """
        sector = partner.get("sector")
        if sector is None:
            return None
        for terms, belongs_to in _TERMS_SECTOR.items():
            stated = partner.get(terms)
            if stated and any(value is not None for value in stated.values()) and sector != belongs_to:
                return _contradiction((f"{partner['path']}.sector", sector), (f"{partner['path']}.{terms}", "…"))
        return None

    @check("CX05", "stage-review-contradiction", guidance=["G-INTRO-1"], dimension="consistency",
           fails_only=True,
           when=[AS.alliance << Alliance(stage="proposed"), AS.review << Review()])
    def review_of_a_proposed_alliance(self, review, alliance):
        """A proposed alliance cannot have a review of its impact or events of its own.

        Reviewing "to verify their impact" is for existing alliances (G-INTRO-1): a
        review of a proposed one means the stage or the review is wrong.
        """
        given = [name for name in ("impact_reviewed", "goals_still_shared", "members_deviated", "events")
                 if review.get(name)]
        if not given:
            return None
        return _contradiction(("alliance.stage", "proposed"), (f"review.{given[0]}", review.get(given[0]) is not None))

    @check("CX06", "specific-goals-contradiction", guidance=["G-PRV-2"], dimension="consistency",
           fails_only=True,
           when=[AS.partner << Partner()], partner_level=True,
           reads=["partner.private.specific_goals_agreed", "partner.private.goals"])
    def specific_goals_contradiction(self, partner):
        """A partner said not to have agreed specific goals, yet with goals listed that look specific.

        G-PRV-2 allows a private-sector alliance only on specific goals and a timeline.
        PR01, a blocker, fails on the explicit "no" and keeps failing until one of the
        two is corrected: goals written down are not agreed goals, and an agreement
        denied is not made by listing goals.
        """
        if value_at(partner, "private.specific_goals_agreed") is not False:
            return None
        goals = value_at(partner, "private.goals")
        if not goals_look_specific(goals):
            return None
        path = f"{partner['path']}.private"
        return _contradiction((f"{path}.specific_goals_agreed", False),
                              (f"{path}.goals", tuple(g["goal"] for g in goals)))
