"""The action plan (G-MNE-3, G-INTRO-1): steps followed, not written and forgotten.

An existing alliance is reviewed "to verify its impact" (G-INTRO-1), and monitoring data are
reviewed constantly "to improve planning and performance" (G-MNE-3): an action past its due
date and not done counts against the alliance's readiness.
"""

from tahaluf.experta_compat import AS
from tahaluf.rules.base import Outcome, RuleSet, check, status_of
from tahaluf.rules.facts import Action


class PlanRules(RuleSet):

    @check("AP01", "actions-on-time", guidance=["G-MNE-3", "G-INTRO-1"], dimension="monitoring_evaluation",
           when=[AS.action << Action()])
    def action_on_time(self, action):
        """Each action of the plan should be done by its due date.

        Reviewing the alliance (G-INTRO-1) and its monitoring data (G-MNE-3) is how
        a plan is followed: an open action past its due date (``as_of``, the date the
        facts stand at) is overdue. A dropped action says nothing; one without a due
        date, or with no ``as_of``, stays open.
        """
        status, due, as_of = action.get("status"), action.get("due"), action.get("as_of")
        if status == "dropped":
            return None
        path = action["path"]
        evidence = ((f"{path}.status", status), (f"{path}.due", due and due.isoformat()),
                    ("as_of", as_of and as_of.isoformat()))
        if status == "done":
            return Outcome("pass", evidence)
        overdue = due is not None and as_of is not None and due < as_of
        return Outcome(status_of(overdue, due is None or as_of is None), evidence,
                       params=(("due", due.isoformat() if due else "?"),))
