"""Deciding the alliance's form (G-FRM-1..6): who decides what, what we achieve together and in which form,
roles, funding, reporting lines.

G-FRM-5 (how disagreements are dealt with) is judged with G-PRC-4 by PC04 in
procedures.py, and the "how are decisions made" half of G-FRM-1 by PC01; the
alliance's goals and the fit of its form to its purpose are AL01/AL03/AL04's
(alliance_form.py). Each fact is checked by one rule only.
"""

from tahaluf.experta_compat import AS
from tahaluf.rules.base import Outcome, RuleSet, check, outcome, require_true, status_of
from tahaluf.rules.facts import Alliance, Governance, Understanding


class FormRules(RuleSet):

    @check("FM01", "decision-scope-defined", guidance=["G-FRM-1"], dimension="form_governance",
           when=[AS.governance << Governance()])
    def form_decision_scope_defined(self, governance):
        """It must be settled who decides, and on which matters.

        "Who decides, on which matters, and how are decisions made?" (G-FRM-1) is the
        first question in deciding the alliance's form. This rule checks the *who* and
        *which matters*; the decision method itself is PC01's test.
        """
        return require_true(governance, "decision_scope_defined")

    @check("FM02", "cooperation-areas-and-form", guidance=["G-FRM-2", "G-DEC-4"], dimension="form_governance",
           when=[AS.alliance << Alliance(), AS.understanding << Understanding()])
    def form_cooperation_areas_and_form(self, alliance, understanding):
        """The members must know what they can achieve together, and have chosen a form for it.

        "What can we achieve together, and which organisational form fits?" (G-FRM-2):
        what they can achieve together is the areas "where they want and are able to
        cooperate" (G-DEC-4), mapped by the members, and written down as what they
        can achieve together (``joint_achievements``); the form is the alliance's
        formality. Stated goals are AL01's test and the form's fit to the purpose
        AL03/AL04's: this rule does not judge them again.
        """
        shared, formality = understanding.get("shared_areas_mapped"), alliance.get("formality")
        achievements = understanding.get("joint_achievements")
        nothing_together = achievements is not None and not any(achievements)
        status = status_of(shared is False or nothing_together,
                           shared is None or formality is None or achievements is None)
        evidence = ((f"{understanding['path']}.joint_achievements", achievements),
                    (f"{understanding['path']}.shared_areas_mapped", shared),
                    (f"{alliance['path']}.formality", formality))
        # Each cause its message: areas not mapped (the default), or nothing to achieve together.
        return Outcome(status, evidence,
                       message="nothing_together" if nothing_together and shared is not False else None)

    @check("FM03", "roles-assigned", guidance=["G-FRM-3"], dimension="form_governance",
           when=[AS.governance << Governance()])
    def form_roles_assigned(self, governance):
        """Members must have said who takes on which functions and activities (G-FRM-3:
        "Who would like to take on which functions and activities?")."""
        return require_true(governance, "roles_assigned")

    @check("FM04", "funding-agreed", guidance=["G-FRM-4"], dimension="form_governance",
           when=[AS.governance << Governance()])
    def form_funding_agreed(self, governance):
        """How the alliance's activities are funded must be agreed (G-FRM-4: "How are the
        activities funded?"). The agreement decides; the stated funding is cited with it."""
        agreed = governance.get("funding_agreed")
        status = "not_assessed" if agreed is None else ("pass" if agreed else "fail")
        return outcome(status, governance, "funding_agreed", "funding")

    @check("FM05", "reporting-lines-defined", guidance=["G-FRM-6"], dimension="form_governance",
           when=[AS.governance << Governance()])
    def form_reporting_lines_defined(self, governance):
        """The staff entrusted with the alliance's functions must know to whom they report
        (G-FRM-6: "Which staff will be entrusted with functions, and to whom will they report?")."""
        return require_true(governance, "reporting_lines_defined")
