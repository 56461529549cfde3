"""Networking (G-NET-1..4): continuous contact with the members, and information shared openly.

G-NET-5 (receiving information without suspicion) is an attitude no fact can show
in advance: the guide keeps it as background and no rule encodes it.
"""

from tahaluf.experta_compat import AS
from tahaluf.rules.base import RuleSet, check, require_true
from tahaluf.rules.facts import Engagement


class NetworkingRules(RuleSet):

    @check("NT01", "networking-is-continuous", guidance=["G-NET-1"], dimension="communication",
           when=[AS.engagement << Engagement()])
    def networking_is_continuous(self, engagement):
        """We should be in regular, continuous contact with the other members.

        Networking is "continuous interaction with the network's members", and "a
        network lasts only through continuous communication that lets it grow and
        have influence" (G-NET-1). Meeting new people is NT04's (G-NET-2).
        """
        return require_true(engagement, "regular_communication")

    @check("NT02", "information-shared-transparently", guidance=["G-NET-4"], dimension="communication",
           when=[AS.engagement << Engagement()])
    def information_shared_transparently(self, engagement):
        """Information should be shared with the members openly and transparently.

        Networking needs "transparency of information exchange between members"
        (G-NET-4); the effort and reciprocity behind it are NT05's (G-NET-3).
        """
        return require_true(engagement, "information_shared_transparently")

    @check("NT03", "relevant-groups-consulted", guidance=["G-NET-1"], dimension="communication",
           when=[AS.engagement << Engagement()])
    def relevant_groups_consulted(self, engagement):
        """We should talk with the groups relevant to the issue to hear their views.

        "Talking with relevant groups to get their views is a good starting point
        for creating a network" (G-NET-1).
        """
        return require_true(engagement, "talks_with_relevant_groups")

    @check("NT04", "contacts-growing", guidance=["G-NET-2"], dimension="communication",
           when=[AS.engagement << Engagement()])
    def contacts_growing(self, engagement):
        """We should keep meeting new people — organisations, politicians, experts — and our contacts should grow.

        Networking is "a continuous process: meeting new people, organisations,
        politicians or experts, and developing relationships with them" (G-NET-2).
        """
        return require_true(engagement, "meets_new_people", "contact_base_growing",
                            messages={"contact_base_growing": "contacts_not_growing"})

    @check("NT05", "effort-and-reciprocity", guidance=["G-NET-3"], dimension="communication",
           when=[AS.engagement << Engagement()])
    def effort_and_reciprocity(self, engagement):
        """Members should put effort into the network, and share knowing it pays off for all.

        Networking "takes effort from participants: each understands that sharing
        information or news with the network pays off for everyone" (G-NET-3): the
        effort and the reciprocity are two facts, and both must hold.
        """
        return require_true(engagement, "members_put_in_effort", "reciprocity", messages={"reciprocity": "one_way"})
