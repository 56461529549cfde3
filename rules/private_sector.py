"""Private-sector partners (G-PRV): possible only on specific goals and a timeline."""

from tahaluf.experta_compat import AS
from tahaluf.rules.base import RuleSet, check, if_applies, maybe, require, require_true
from tahaluf.rules.facts import Partner


class PrivateSectorRules(RuleSet):

    @check("PR01", "private-goals-and-timeline", guidance=["G-PRV-2"], dimension="cross_sector_terms",
           when=[AS.partner << Partner(sector=maybe("private"))], partner_level=True)
    def private_goals_and_timeline(self, partner):
        """A private-sector partner must have agreed specific goals *and* a timeline to reach them.

        The guide allows an alliance with the private sector only on that condition
        (G-PRV-2); without it the alliance risks serving the company's image alone.
        One of the card's three headline rules: a failure is a blocker. When the
        partner's sector is unknown, the check stands open as "if it is a company".
        """
        return if_applies(partner, "sector", "private",
                          require_true(partner, "private.specific_goals_agreed", "private.timeline_agreed"))

    @check("PR02", "private-benefit-to-us", guidance=["G-PRV-1"], dimension="cross_sector_terms",
           when=[AS.partner << Partner(sector=maybe("private"))], partner_level=True)
    def private_benefit_to_us(self, partner):
        """What our organisation gains from a private-sector partner must be stated.

        The standing fear (G-PRV-1) is an alliance that improves the company's
        image while the NGO gains nothing; naming the benefit answers it.
        """
        return if_applies(partner, "sector", "private",
                          require(partner, "private.benefit_to_us", lambda text: bool(text.strip())))

    @check("PR03", "private-integrity-safeguards", guidance=["G-PRV-1"], dimension="cross_sector_terms",
           when=[AS.partner << Partner(sector=maybe("private"))], partner_level=True)
    def private_integrity_safeguards(self, partner):
        """Terms with a private-sector partner must protect our integrity.

        G-PRV-1 warns the alliance may harm the NGO's integrity: safeguards such as
        no endorsement and control over the use of our name must be agreed.
        """
        return if_applies(partner, "sector", "private", require_true(partner, "private.integrity_safeguards"))
