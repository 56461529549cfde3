"""Decision-making, norms (G-NRM-1..5): tasks by capacity, verified information, one voice, credit shared."""

from tahaluf.experta_compat import AS
from tahaluf.rules.base import Outcome, RuleSet, check, judge_event, maybe, outcome, require_true, status_of
from tahaluf.rules.facts import Alliance, Event, Governance, Organisation, Partner


class NormRules(RuleSet):

    @check("NR01", "tasks-divided-by-capacity", guidance=["G-NRM-1"], dimension="form_governance",
           when=[AS.governance << Governance()])
    def norms_tasks_divided_by_capacity(self, governance):
        """Tasks should be divided according to what each member, large or small, can do.

        "The alliance cannot expect uniform procedures and beliefs from its members":
        large organisations sit beside small ones, their ways of working differ, "and
        tasks are divided according to that difference" (G-NRM-1).
        """
        return require_true(governance, "tasks_divided_by_capacity")

    @check("NR02", "information-verified-from-several-sources", guidance=["G-NRM-2"],
           dimension="decision_making", when=[AS.governance << Governance()])
    def norms_information_verified(self, governance):
        """Before acting, the alliance should verify its information from more than one source.

        "Gather information and verify it; do not rely on a single source; hear
        different points of view before deciding" (G-NRM-2).
        """
        return require_true(governance, "information_verified_from_several_sources")

    @check("NR03", "mandated-voice-only", guidance=["G-NRM-3"], dimension="communication",
           when=[AS.governance << Governance()])
    def norms_mandated_voice_only(self, governance):
        """Only a member the alliance has mandated may speak in its name, within agreed limits.

        "No member may speak in the alliance's name unless the alliance has mandated
        it" (G-NRM-3, «إن لم يكل التحالف … بهذا الدور»): joint work needs one voice.
        The agreed rule decides for the members. A spokesperson is needed only "where
        needed" (`spokesperson: nobody` is no failure), but a named one shows no
        mandate by being named: the alliance must have given them the role
        (``spokesperson_mandated``) and agreed what they may say in its name
        (``spokesperson_limits_agreed``); open until both are known, failing when
        either is no. Each failure says its own cause.
        """
        rule, spokesperson = governance.get("speaking_mandate_rule"), governance.get("spokesperson")
        mandated, limits = governance.get("spokesperson_mandated"), governance.get("spokesperson_limits_agreed")
        fields: tuple[str, ...] = ("speaking_mandate_rule", "spokesperson")
        if spokesperson is not False:  # a spokesperson named, or perhaps one: their mandate counts
            fields += ("spokesperson_mandated", "spokesperson_limits_agreed")
        params = (("spokesperson", spokesperson),) if spokesperson else ()
        if rule is False:
            return outcome("fail", governance, *fields, params=params)
        if spokesperson is not False and mandated is False:
            return outcome("fail", governance, *fields, params=params, message="not_mandated")
        if spokesperson is not False and limits is False:
            return outcome("fail", governance, *fields, params=params, message="no_limits")
        if (spokesperson is not False and mandated and limits) or (not spokesperson and rule):
            return outcome("pass", governance, *fields, params=params)
        if spokesperson:  # named, the mandate or its limits not yet shown
            return outcome("not_assessed", governance, *fields, params=params, message="mandate_not_shown")
        return outcome("not_assessed", governance, *fields, params=params)

    @check("NR04", "no-disagreement-in-media", guidance=["G-NRM-4"], dimension="communication",
           when=[AS.governance << Governance()])
    def norms_no_disagreement_in_media(self, governance):
        """Members should agree to settle disagreements inside the alliance, not in the media.

        "Members do not go to the media to express disagreement with the alliance; a
        disagreement is resolved inside the alliance" (G-NRM-4).
        """
        return require_true(governance, "media_disagreement_rule")

    @check("NR05", "credit-shared", guidance=["G-NRM-5"], dimension="communication",
           when=[AS.governance << Governance()])
    def norms_credit_shared(self, governance):
        """Credit and successes should be shared, and hard work praised often.

        "Share credit and successes: those who work hard should be praised, often
        rather than once a year" (G-NRM-5): credit shared, and praise more often than
        yearly. Sharing refused, or praise once a year or never, fails.
        """
        credit, rhythm = governance.get("credit_sharing"), governance.get("praise_rhythm")
        rare = rhythm in ("annual", "never")
        status = status_of(credit is False or rare, credit is None or rhythm is None)
        return outcome(status, governance, "credit_sharing", "praise_rhythm",
                       message="praise_rare" if rare and credit is not False else None)

    # What happened in an existing alliance (review.events), judged by the same norms.

    @check("NR06", "no-member-went-to-media", guidance=["G-NRM-4"], dimension="communication",
           fails_only=True,
           when=[AS.alliance << Alliance(stage=maybe("existing")), AS.event << Event(kind=maybe("went_to_media"))])
    def event_member_went_to_media(self, event, alliance):
        """A member took a disagreement with the alliance to the media.

        "Members do not go to the media to express disagreement with the alliance; a
        disagreement is resolved inside the alliance" (G-NRM-4): a categorical norm,
        broken here, whatever rule was agreed on paper.
        """
        return judge_event(event, alliance)

    @check("NR07", "no-member-spoke-without-mandate", guidance=["G-NRM-3"], dimension="communication",
           fails_only=True,
           when=[AS.alliance << Alliance(stage=maybe("existing")),
                 AS.event << Event(kind=maybe("spoke_without_mandate"))])
    def event_member_spoke_without_mandate(self, event, alliance):
        """A member spoke in the alliance's name without its mandate.

        "No member may speak in the alliance's name unless the alliance has mandated
        it" (G-NRM-3): broken here.
        """
        return judge_event(event, alliance)

    @check("NR08", "no-member-took-sole-credit", guidance=["G-NRM-5"], dimension="communication",
           fails_only=True,
           when=[AS.alliance << Alliance(stage=maybe("existing")), AS.event << Event(kind=maybe("took_sole_credit"))])
    def event_member_took_sole_credit(self, event, alliance):
        """A member took for itself the credit for a shared success; the guide asks that credit
        and successes be shared (G-NRM-5)."""
        return judge_event(event, alliance)

    @check("NR09", "diversity-respected", guidance=["G-NRM-1"], dimension="form_governance", memory=["Partner"],
           when=[AS.organisation << Organisation(), AS.governance << Governance()])
    def norms_diversity_respected(self, organisation, governance):
        """Members must respect their diversity: their different procedures, beliefs and ways of working.

        "The alliance cannot expect uniform procedures and beliefs from its members;
        members must respect their diversity and learn to benefit from it" (G-NRM-1).
        Large organisations beside small ones are the guide's example («مثلاً»), not the
        condition: respect is judged whenever it is answered, whatever the members'
        sizes. The message names the sizes when large and small members are known to mix.
        """
        partners = [f for f in self.facts.values() if isinstance(f, Partner)]
        sizes = {organisation.get("size"), *(p.get("size") for p in partners)}
        respected = governance.get("diversity_respected")
        evidence: tuple = (("governance.diversity_respected", respected),)
        status = status_of(respected is False, respected is None)
        if {"small", "large"} <= sizes and status != "pass":  # the sizes only word the message: cited then
            evidence += (("organisation.size", organisation.get("size")),
                         ("partners[*].size", tuple(p.get("size") or "?" for p in partners)))
            return Outcome(status, evidence, message="large_and_small")
        return Outcome(status, evidence)
