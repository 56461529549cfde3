"""Reviewing an existing alliance, and the staff load of a new one (G-INTRO-1).

"Entering alliances, and reviewing existing ones to verify their impact, is an
important part of every NGO's work. It is demanding and adds to staff's daily load."
"""

from tahaluf.experta_compat import AS
from tahaluf.rules.base import RuleSet, check, if_applies, maybe, require, require_true
from tahaluf.rules.facts import Alliance, Organisation, Review


class ReviewRules(RuleSet):

    @check("RV01", "impact-reviewed", guidance=["G-INTRO-1"], dimension="monitoring_evaluation",
           when=[AS.alliance << Alliance(stage=maybe("existing")), AS.review << Review()])
    def existing_alliance_impact_reviewed(self, review, alliance):
        """An existing alliance must be reviewed to verify its impact before deciding to stay in it.

        Reviewing existing alliances "to verify their impact" is "an important part
        of every NGO's work" (G-INTRO-1).
        """
        return if_applies(alliance, "stage", "existing", require_true(review, "impact_reviewed"))

    @check("RV02", "goals-still-shared", guidance=["G-INTRO-1", "G-DEC-2"], dimension="decision_making",
           when=[AS.alliance << Alliance(stage=maybe("existing")), AS.review << Review()])
    def existing_alliance_goals_still_shared(self, review, alliance):
        """In an existing alliance, the members must still share its goals.

        A review verifies the alliance still does what it was built for (G-INTRO-1);
        shared understanding means "every member is fully aware of the goals", and
        strategic decisions go back to reaffirm them (G-DEC-2).
        """
        return if_applies(alliance, "stage", "existing", require_true(review, "goals_still_shared"))

    @check("RV03", "no-member-deviated", guidance=["G-INTRO-1", "G-PAR-1", "G-ALL-2"],
           dimension="partners_due_diligence",
           when=[AS.alliance << Alliance(stage=maybe("existing")), AS.review << Review()])
    def existing_alliance_no_member_deviated(self, review, alliance):
        """In an existing alliance, no member should have strayed from the founding values or goals.

        "One member can be affected by another member's behaviour, and a member may
        deviate from the values and goals the alliance was founded on" (G-PAR-1): a
        review (G-INTRO-1) must say whether that has happened. A member that strayed
        breaks the shared principles and values alliance building rests on (G-ALL-2).
        """
        return if_applies(alliance, "stage", "existing",
                          require(review, "members_deviated", lambda deviated: deviated is False))

    @check("RV04", "staff-time-allocated", guidance=["G-INTRO-1"], dimension="form_governance",
           when=[AS.alliance << Alliance(stage=maybe("proposed")), AS.organisation << Organisation()])
    def proposed_alliance_staff_time(self, organisation, alliance):
        """Before entering a proposed alliance, staff time should be set aside for its work.

        Alliance work "is demanding and adds to staff's daily load" (G-INTRO-1):
        without time set aside, it competes with everything else staff do.
        """
        return if_applies(alliance, "stage", "proposed", require_true(organisation, "staff_time_allocated"))
