"""Decision-making, procedures (G-PRC-1..5): a known procedure, a regulated committee, a clear executive
mandate, conflict resolution agreed in advance, and conditions for reopening a decision."""

from tahaluf.experta_compat import AS
from tahaluf.rules.base import Outcome, RuleSet, check, judge_event, maybe, outcome, require_true, status_of, value_at
from tahaluf.rules.facts import Alliance, Event, Governance

# What G-PRC-1 asks of the decision procedure, beyond its existence.
_PROCEDURE_QUALITIES = ("decision_procedure_known_to_all", "decision_procedure_clear",
                        "decision_procedure_accepted_by_all", "decision_procedure_applied")
_QUALITY_MESSAGE = {"decision_procedure_clear": "not_clear", "decision_procedure_accepted_by_all": "not_accepted",
                    "decision_procedure_applied": "not_applied"}
_COMMITTEE_RULES = (
    "steering_committee.meeting_length", "steering_committee.regularity",
    "steering_committee.ground_rules", "steering_committee.quorum",
)


def _unless_no_committee(governance, failed: Outcome) -> Outcome:
    """A failure that "no steering committee" would lift cites whether there is one while it is
    unknown: the consultation cannot call it settled (a failure cites what decides it)."""
    if value_at(governance, "steering_committee.exists") is not None:
        return failed
    return failed._replace(evidence=(*failed.evidence, (f"{governance['path']}.steering_committee.exists", None)))


class ProcedureRules(RuleSet):

    @check("PC01", "decision-procedure-known-to-all", guidance=["G-PRC-1", "G-FRM-1"],
           dimension="decision_making", when=[AS.governance << Governance()])
    def procedures_decision_procedure_known(self, governance):
        """How decisions are made must be decided early, and known to every member.

        "Members decide early how decisions are made in the alliance; every member
        knows the procedure, and it is clear, accepted by all, and applied thoroughly
        and consistently" (G-PRC-1) — the "how are decisions made?" of G-FRM-1. Each
        of the four qualities is a fact; any known to be missing fails.
        """
        method = governance.get("decision_method")
        qualities = [governance.get(name) for name in _PROCEDURE_QUALITIES]
        status = status_of(False in qualities, method is None or None in qualities)
        # The first quality missing says the cause: not known to all (the default), not clear, ...
        missing = next((name for name, value in zip(_PROCEDURE_QUALITIES, qualities) if value is False), None)
        return outcome(status, governance, "decision_method", *_PROCEDURE_QUALITIES,
                       message=_QUALITY_MESSAGE.get(missing) if status == "fail" and missing else None)

    @check("PC02", "steering-committee-rules", guidance=["G-PRC-2"], dimension="form_governance",
           when=[AS.governance << Governance()])
    def procedures_steering_committee_rules(self, governance):
        """A steering committee must have decided how its meetings run: length, regularity,
        ground rules and quorum.

        "Decide how the steering committee's meetings are run ... Procedural questions
        of this kind can cause sharp conflicts" (G-PRC-2). Does not apply when the
        alliance has no steering committee; not assessed when it is unknown whether
        it has one.
        """
        committee = governance.get("steering_committee")
        if value_at(governance, "steering_committee.exists") is False:
            return None
        if committee is None:
            return outcome("not_assessed", governance, "steering_committee")
        values = [value_at(governance, name) for name in _COMMITTEE_RULES]
        if committee.get("ground_rules") is False:
            return _unless_no_committee(governance, outcome("fail", governance, *_COMMITTEE_RULES))
        if "" in values:
            return _unless_no_committee(governance, outcome("fail", governance, *_COMMITTEE_RULES,
                                                            message="blank_rule"))
        return outcome("not_assessed" if None in values else "pass", governance, *_COMMITTEE_RULES)

    @check("PC03", "executive-mandate-defined", guidance=["G-PRC-3"], dimension="decision_making",
           when=[AS.governance << Governance()])
    def procedures_executive_mandate(self, governance):
        """The executive arm's freedom to decide should be defined by type of decision.

        "Make clear the areas and degree of decision-making freedom of the alliance's
        executive arm, by type of decision" (G-PRC-3).
        """
        return require_true(governance, "executive_mandate_defined")

    @check("PC04", "conflict-resolution-agreed", guidance=["G-PRC-4", "G-FRM-5"], dimension="decision_making",
           when=[AS.governance << Governance()])
    def procedures_conflict_resolution(self, governance):
        """A way to settle sharp conflicts — a mediator, an arbitrator or a committee — should be
        agreed in advance.

        "How are disagreements dealt with?" (G-FRM-5). Where members cannot resolve a
        significant disagreement alone, "turn to an independent mediator, an arbitrator
        or a committee. Better to agree these procedures before such a problem arises"
        (G-PRC-4). "none" fails; so does a mediator or arbitrator who is not
        independent, the guide's word for them.
        """
        mechanism, independent = governance.get("conflict_mechanism"), governance.get("mediator_independent")
        fields = ("conflict_mechanism", "mediator_independent")
        if mechanism == "none":
            return outcome("fail", governance, *fields)
        if mechanism in ("mediator", "arbitrator") and independent is False:
            return outcome("fail", governance, *fields, message="not_independent")
        if mechanism is None or (mechanism in ("mediator", "arbitrator") and independent is None):
            return outcome("not_assessed", governance, *fields)
        return outcome("pass", governance, *fields)

    @check("PC05", "reopening-conditions-agreed", guidance=["G-PRC-5"], dimension="decision_making",
           when=[AS.governance << Governance()])
    def procedures_reopening_conditions(self, governance):
        """Members should agree when a decision already approved may be reopened (G-PRC-5:
        "Agree the conditions under which a decision already approved may be reopened")."""
        return require_true(governance, "reopening_rule")

    @check("PC06", "steering-meetings-attended", guidance=["G-PRC-2"], dimension="form_governance",
           fails_only=True,
           when=[AS.alliance << Alliance(stage=maybe("existing")), AS.event << Event(kind=maybe("missed_meetings"))])
    def event_member_missed_meetings(self, event, alliance):
        """A member kept missing the steering committee's meetings (review.events).

        How the committee's meetings run, and who must attend them, is procedure the
        guide asks to settle, because such questions "can cause sharp conflicts"
        (G-PRC-2): a member who keeps missing them leaves decisions to the others.
        """
        return judge_event(event, alliance)
