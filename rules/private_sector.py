"""Private-sector partners (G-PRV): possible only on specific goals and a timeline."""

from tahaluf.experta_compat import AS
from tahaluf.rules.base import (
    Outcome,
    RuleSet,
    check,
    goal_is_specific,
    if_applies,
    maybe,
    outcome,
    status_of,
    value_at,
)
from tahaluf.rules.facts import Partner

# What a company may get from us that needs safeguards (our name, data, contacts, exclusivity).
_GAINS_NEEDING_SAFEGUARDS = frozenset({"logo_on_materials", "our_data", "our_contacts", "exclusivity", "image_only"})


_CAUSE_MESSAGE = {"specific_goals_agreed": None, "goals": "vague_goals", "timeline_agreed": "no_timeline"}


def goals_look_specific(goals) -> bool:
    """Listed goals that are all specific (at least one): what a "yes" to specific goals needs."""
    return bool(goals) and all(goal_is_specific(goal) for goal in goals)


def _goals_and_timeline(partner) -> Outcome:
    """Specific goals and a timeline, judged on the goals themselves where they are listed.

    An explicit "no" to specific goals fails, whatever goals are listed beside it (goals
    that look specific beside it are CX06's contradiction, never a pass). Otherwise listed
    goals are judged (each must be specific); a "yes" without them stays open (which
    goals?). A fail cites only the facts that decide it, so no other answer can undo it
    (what settles a consultation reads exactly that).
    """
    flag, goals = value_at(partner, "private.specific_goals_agreed"), value_at(partner, "private.goals")
    timeline = value_at(partner, "private.timeline_agreed")
    path = f"{partner['path']}.private"
    listed = None if goals is None else tuple(g["goal"] for g in goals)
    failed: list[tuple[str, object]] = [(f"{path}.specific_goals_agreed", flag)] if flag is False else []
    if goals is not None and flag is not False and not goals_look_specific(goals):
        failed.append((f"{path}.goals", listed))
    if timeline is False:
        failed.append((f"{path}.timeline_agreed", timeline))
    if failed:
        # One message per cause, the first that holds: a "no", goals that are not specific, no timeline.
        cause = failed[0][0].rsplit(".", 1)[1]
        return Outcome("fail", tuple(failed), message=_CAUSE_MESSAGE[cause])
    evidence = ((f"{path}.specific_goals_agreed", flag), (f"{path}.goals", listed),
                (f"{path}.timeline_agreed", timeline))
    if goals is None or timeline is None:
        return Outcome("not_assessed", evidence)
    return Outcome("pass", evidence)


class PrivateSectorRules(RuleSet):

    @check("PR01", "private-goals-and-timeline", guidance=["G-PRV-2"], dimension="cross_sector_terms",
           when=[AS.partner << Partner(sector=maybe("private"))], partner_level=True,
           reads=["partner.sector", "partner.private.specific_goals_agreed", "partner.private.goals",
                  "partner.private.timeline_agreed"])
    def private_goals_and_timeline(self, partner):
        """A private-sector partner must have agreed specific goals *and* a timeline to reach them.

        Specific (tahaluf/goals.py) means each goal says what will be reached with a measure or a
        date, or states a quantity and a date; a number in a name is neither: the goals are judged, not a
        self-declared "yes" (which stays open until the goals are listed). An explicit "no"
        stands whatever goals are listed beside it (CX06 names that contradiction).

        The guide allows an alliance with the private sector only on that condition
        (G-PRV-2); without it the alliance risks serving the company's image alone.
        One of the card's three headline rules: a failure is a blocker. When the
        partner's sector is unknown, the check stands open as "if it is a company".
        """
        return if_applies(partner, "sector", "private", _goals_and_timeline(partner))

    @check("PR02", "private-benefit-to-us", guidance=["G-PRV-1"], dimension="cross_sector_terms",
           when=[AS.partner << Partner(sector=maybe("private"))], partner_level=True,
           reads=["partner.sector", "partner.private.benefit_to_us", "partner.private.benefit_measure"])
    def private_benefit_to_us(self, partner):
        """What our organisation gains from a private-sector partner must be stated, in terms we can check later.

        The standing fear (G-PRV-1) is an alliance that improves the company's image
        while the NGO gains nothing: a benefit answers it only with a way to check
        later that it came (``benefit_measure``), not as any non-empty text.
        """
        benefit, measure = value_at(partner, "private.benefit_to_us"), value_at(partner, "private.benefit_measure")
        no_benefit = benefit is not None and not benefit.strip()
        no_measure = measure is not None and not measure.strip()
        status = status_of(no_benefit or no_measure, benefit is None or measure is None)
        return if_applies(partner, "sector", "private",
                          outcome(status, partner, "private.benefit_to_us", "private.benefit_measure",
                                  message="no_measure" if no_measure and not no_benefit else None))

    @check("PR03", "private-integrity-safeguards", guidance=["G-PRV-1"], dimension="cross_sector_terms",
           when=[AS.partner << Partner(sector=maybe("private"))], partner_level=True,
           reads=["partner.sector", "partner.private.company_gets", "partner.private.integrity_safeguards"])
    def private_integrity_safeguards(self, partner):
        """Terms with a private-sector partner must protect our integrity, given what the company gets.

        G-PRV-1 warns the alliance "may even harm the NGO's integrity". Endorsing its
        products fails outright; its logo on our materials, our data or contacts,
        exclusivity, or our name for its image need agreed safeguards; a company that
        gets none of these needs none.
        """
        gets, safeguards = value_at(partner, "private.company_gets"), value_at(partner, "private.integrity_safeguards")
        fields = ("private.company_gets", "private.integrity_safeguards")
        if gets is not None and "product_endorsement" in gets:
            # Endorsing its products is what harms integrity, whatever safeguards are agreed.
            result = outcome("fail", partner, *fields, message="endorsement")
        elif gets is not None and not set(gets) & _GAINS_NEEDING_SAFEGUARDS:
            result = outcome("pass", partner, *fields)  # it gets nothing that could harm us
        else:
            status = "not_assessed" if safeguards is None else ("pass" if safeguards else "fail")
            result = outcome(status, partner, *fields)
        return if_applies(partner, "sector", "private", result)
