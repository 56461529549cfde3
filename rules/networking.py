"""Networking (G-NET-1..4): continuous contact with the members, and information shared openly.

G-NET-5 (receiving information without suspicion) is an attitude no fact can show
in advance: the guide keeps it as background and no rule encodes it.
"""

from tahaluf.experta_compat import AS
from tahaluf.rules.base import RuleSet, check, require_true
from tahaluf.rules.facts import Engagement


class NetworkingRules(RuleSet):

    @check("NT01", "networking-is-continuous", guidance=["G-NET-1", "G-NET-2"], dimension="communication",
           when=[AS.engagement << Engagement()])
    def networking_is_continuous(self, engagement):
        """We should be in regular, continuous contact with the other members.

        Networking is "continuous interaction with the network's members", and "a
        network lasts only through continuous communication that lets it grow and
        have influence" (G-NET-1); it is "a continuous process: meeting new people,
        organisations, politicians or experts, and developing relationships with
        them" (G-NET-2).
        """
        return require_true(engagement, "regular_communication")

    @check("NT02", "information-shared-transparently", guidance=["G-NET-3", "G-NET-4"], dimension="communication",
           when=[AS.engagement << Engagement()])
    def information_shared_transparently(self, engagement):
        """Information should be shared with the members openly and transparently.

        Networking "takes effort from participants: each understands that sharing
        information or news with the network pays off for everyone" (G-NET-3), and
        it needs "transparency of information exchange between members" (G-NET-4).
        """
        return require_true(engagement, "information_shared_transparently")
