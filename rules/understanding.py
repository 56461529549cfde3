"""Decision-making, understanding (G-DEC-1..5): a shared base and goals, mapped interests, known partners."""

from tahaluf.experta_compat import AS
from tahaluf.rules.base import RuleSet, check, require, require_true
from tahaluf.rules.facts import Organisation, Partner, Understanding


class UnderstandingRules(RuleSet):

    @check("DC01", "shared-base", guidance=["G-DEC-1"], dimension="decision_making",
           when=[AS.understanding << Understanding()])
    def understanding_shared_base(self, understanding):
        """Members should have a shared base to work from, whatever their differences.

        "A shared base among the members, whatever their differences, speeds up
        decisions" (G-DEC-1).
        """
        return require_true(understanding, "shared_base")

    @check("DC02", "goals-understood-by-all", guidance=["G-DEC-2"], dimension="decision_making",
           when=[AS.understanding << Understanding()])
    def understanding_goals_understood(self, understanding):
        """Every member should be fully aware of the alliance's goals (G-DEC-2: "shared
        understanding: every member is fully aware of the goals")."""
        return require_true(understanding, "goals_understood_by_all")

    @check("DC03", "new-members-checked-against-goals", guidance=["G-DEC-2"], dimension="decision_making",
           when=[AS.understanding << Understanding()])
    def understanding_new_members_checked(self, understanding):
        """Admitting a new member should mean going back to the alliance's goals.

        Strategic decisions "such as admitting new members mean going back to reaffirm
        the alliance's goals": will this member benefit the alliance, and how
        effective will it be? (G-DEC-2)
        """
        return require_true(understanding, "new_members_checked_against_goals")

    @check("DC04", "conflicting-interests-mapped", guidance=["G-DEC-4"], dimension="decision_making",
           when=[AS.understanding << Understanding()])
    def understanding_conflicts_mapped(self, understanding):
        """Members should make clear where they disagree and their interests conflict.

        "Members should make clear the areas they share ... and those where they
        disagree and their interests conflict" (G-DEC-4). The shared areas are judged
        with the alliance's form by FM02 (G-FRM-2); this rule checks the conflicts.
        """
        return require_true(understanding, "conflicting_interests_mapped")

    @check("DC05", "partner-decision-process-understood", guidance=["G-DEC-3"], dimension="decision_making",
           when=[AS.partner << Partner()], partner_level=True,
           reads=["partner.decision_process_understood", "partner.understands_our_decisions",
                  "partner.effect_on_procedures_understood"])
    def partner_decision_process_understood(self, partner):
        """We should understand how each partner takes decisions inside its own organisation.

        "Each member should understand how the other members take decisions inside
        their own organisations, and the effect each member has on the alliance's
        procedures and work" (G-DEC-3): in both directions (it knows how we decide),
        and with its effect on the procedures.
        """
        return require_true(partner, "decision_process_understood", "understands_our_decisions",
                            "effect_on_procedures_understood",
                            messages={"understands_our_decisions": "not_understood_by_partner",
                                      "effect_on_procedures_understood": "effect_not_understood"})

    @check("DC06", "partner-constraints-declared", guidance=["G-DEC-5"], dimension="decision_making",
           when=[AS.partner << Partner()], partner_level=True,
           reads=["partner.constraints_declared"])
    def partner_constraints_declared(self, partner):
        """Each partner should state at the outset what may limit its part in decisions.

        "Each member should state at the outset the constraints that may stand in the
        way of its taking part in effective decisions" (G-DEC-5).
        """
        return require_true(partner, "constraints_declared")

    @check("DC07", "our-decision-process-stated", guidance=["G-DEC-3"], dimension="decision_making",
           when=[AS.organisation << Organisation()])
    def our_decision_process_stated(self, organisation):
        """We should be able to tell the other members how our own organisation takes decisions.

        Understanding runs both ways: "each member should understand how the other
        members take decisions inside their own organisations" (G-DEC-3), ours
        included; it starts with our saying how we decide.
        """
        return require(organisation, "decision_process", lambda text: bool(text.strip()))
