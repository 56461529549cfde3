"""Communicating with potential allies (G-PAR-5..8): open channels, active listening, meetings with a
clear message, and an agenda."""

from tahaluf.experta_compat import AS, P
from tahaluf.rules.base import RuleSet, check, outcome, require_true
from tahaluf.rules.facts import Engagement


class CommunicationRules(RuleSet):

    @check("CM01", "channels-kept-open", guidance=["G-PAR-5"], dimension="communication",
           when=[AS.engagement << Engagement()])
    def channels_kept_open(self, engagement):
        """Channels of communication with the potential allies should stay open through the debates.

        "Then comes communication and bringing views closer; debates will follow,
        so keep channels of communication open" (G-PAR-5).
        """
        return require_true(engagement, "channels_open")

    @check("CM02", "active-listening", guidance=["G-PAR-6"], dimension="communication",
           when=[AS.engagement << Engagement()])
    def active_listening_practised(self, engagement):
        """We should practise active listening with the potential allies.

        "Practise active listening: without prejudgment where possible,
        concentrating on what is said rather than on 'how will I reply?'" (G-PAR-6).
        """
        return require_true(engagement, "active_listening")

    @check("CM03", "meetings-with-clear-message", guidance=["G-PAR-7"], dimension="communication",
           when=[AS.engagement << Engagement()])
    def meetings_with_clear_message(self, engagement):
        """We should meet the potential allies, bilaterally or as a group, with a clear message.

        "Communicate through bilateral meetings or group meetings of all potential
        allies; this needs a clear message on the importance of the alliance and
        the needs behind it" (G-PAR-7). Holding no meetings fails whatever the
        message; so does having no clear message.
        """
        meetings, message = engagement.get("meetings"), engagement.get("clear_message")
        if meetings == "none":
            return outcome("fail", engagement, "meetings", "clear_message")
        if message is False:
            return outcome("fail", engagement, "meetings", "clear_message", message="no_clear_message")
        if meetings is None or message is None:
            return outcome("not_assessed", engagement, "meetings", "clear_message")
        return outcome("pass", engagement, "meetings", "clear_message")

    @check("CM04", "meeting-agenda-prepared", guidance=["G-PAR-8"], dimension="communication",
           when=[AS.engagement << Engagement(meetings=P(lambda meetings: meetings != "none"))])  # None: open
    def meeting_agenda_prepared(self, engagement):
        """Meetings with the potential allies should follow a prepared agenda.

        "Prepare an agenda for meetings, so that each discussion stays on its
        topics" (G-PAR-8). Does not apply when no meetings are held (CM03 reports that).
        """
        return require_true(engagement, "agenda_prepared")
