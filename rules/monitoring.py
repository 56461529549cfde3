"""Monitoring and evaluation (G-MNE-1..4): from the start, owned, reviewed often, a source of learning."""

from tahaluf.experta_compat import AS
from tahaluf.rules.base import RuleSet, check, outcome, require, require_true
from tahaluf.rules.facts import Alliance, Monitoring

# Review rhythms that count as "reviewed constantly" (G-MNE-3). Once a year does not:
# the guide itself sets "often" against "once a year" (G-NRM-5).
FREQUENT_REVIEW = ("monthly", "quarterly", "biannual")


class MonitoringRules(RuleSet):

    @check("MN01", "monitoring-from-the-start", guidance=["G-MNE-1"], dimension="monitoring_evaluation",
           when=[AS.alliance << Alliance(), AS.monitoring << Monitoring()])
    def monitoring_planned_from_start(self, monitoring, alliance):
        """Monitoring and evaluation must be planned from the very start of forming the alliance.

        "Monitoring and evaluation must be attended to from the very start" (G-MNE-1):
        it keeps the alliance going and shapes its planning, coordination,
        implementation and sharing of resources and lessons. For an alliance that
        already exists, the start is past: what can still be true is that M&E is in
        place now, so that is what is asked (a condition that can be met).
        """
        stage = alliance.get("stage")
        planned, in_place = monitoring.get("planned_from_start"), monitoring.get("in_place")
        if stage == "existing":
            return require_true(monitoring, "in_place", messages={"in_place": "not_in_place"})
        if stage == "proposed":
            return require_true(monitoring, "planned_from_start")
        # Stage unknown: either answer clears it; a "no" with the other unknown stays open.
        if planned or in_place:
            return outcome("pass", monitoring, "planned_from_start", "in_place")
        return outcome("not_assessed", monitoring, "planned_from_start", "in_place")

    @check("MN02", "monitoring-owner-and-scope", guidance=["G-MNE-2"], dimension="monitoring_evaluation",
           when=[AS.monitoring << Monitoring()])
    def monitoring_owner_and_scope(self, monitoring):
        """M&E must have a named owner, what is expected of it and of that person, and a defined scope.

        "The alliance must name who is responsible for it, and what is expected of the
        process and of that person — what exactly is monitored and evaluated"
        (G-MNE-2). No owner (`nobody`), expectations known not to be written, or an
        explicitly empty scope fails; any of the three left out is not assessed.
        """
        owner, scope = monitoring.get("owner"), monitoring.get("what_is_monitored")
        role = monitoring.get("owner_role_defined")
        params = (("owner", owner or "?"),)
        fields = ("owner", "owner_role_defined", "what_is_monitored")
        # owner False: known to be nobody (`owner: nobody`); None: unknown. Each cause its message.
        if owner is False:
            return outcome("fail", monitoring, *fields, params=params, message="no_owner")
        if role is False:
            return outcome("fail", monitoring, *fields, params=params, message="role_not_written")
        if scope is not None and not any(scope):
            return outcome("fail", monitoring, *fields, params=params)
        if owner is None or scope is None or role is None:
            return outcome("not_assessed", monitoring, *fields, params=params)
        return outcome("pass", monitoring, *fields, params=params)

    @check("MN03", "monitoring-reviewed-often", guidance=["G-MNE-3"], dimension="monitoring_evaluation",
           when=[AS.monitoring << Monitoring()])
    def monitoring_reviewed_often(self, monitoring):
        """M&E data must be reviewed constantly: at least twice a year.

        "Monitoring and evaluation data must be reviewed constantly" (G-MNE-3), to
        improve planning and performance. No review fails; so does a yearly one, which
        the guide elsewhere sets against "often" (G-NRM-5).
        """
        rhythm = monitoring.get("review_rhythm")
        return require(monitoring, "review_rhythm", lambda value: value in FREQUENT_REVIEW,
                       params=(("rhythm", rhythm or "?"),))

    @check("MN04", "monitoring-lessons-shared", guidance=["G-MNE-4"], dimension="monitoring_evaluation",
           when=[AS.monitoring << Monitoring()])
    def monitoring_lessons_shared(self, monitoring):
        """The lessons of M&E should be shared with the members: "treat the whole of M&E as
        continuous learning that benefits the participants, and through them their
        organisations" (G-MNE-4)."""
        return require_true(monitoring, "lessons_shared")
