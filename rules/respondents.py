"""Several respondents, one assessment (G-DEC-1, G-DEC-3): a disagreement is a finding.

Partnership self-assessment tools average their respondents and lose the disagreement.
Here a fact the respondents disagree on stays unknown in the merged assessment (so every
check it decides stays open), and DS01 says so, as heavy as what it decides.
"""

from tahaluf.experta_compat import AS
from tahaluf.rules.base import Outcome, RuleSet, check
from tahaluf.rules.facts import Dispute

_RANK = ("info", "minor", "major", "blocker")
# A disagreement is a condition to settle, never a red flag by itself: the facts it leaves
# open keep a blocker's check open, which is what holds the verdict at `conditions`.
_HIGHEST = "major"


def _within(path: str, disputed: str) -> bool:
    return path == disputed or path.startswith((disputed + ".", disputed + "["))


class RespondentRules(RuleSet):

    @check("DS01", "respondents-agree", guidance=["G-DEC-1", "G-DEC-3"], dimension="consistency",
           fails_only=True, after_checks=True, when=[AS.dispute << Dispute()])
    def respondents_agree(self, dispute):
        """The respondents must agree on a fact before it can decide anything.

        A shared base among the members speeds up decisions (G-DEC-1), and each must
        understand how the others see and decide (G-DEC-3). When the people answering
        for one organisation disagree on a fact, the fact is not known: the checks it
        decides stay open, and the disagreement is reported with the severity of the
        heaviest of them (a blocker's fact: major, so the verdict is `conditions` at best).
        """
        disputed = dispute["disputed"]
        decided = [f["severity"] for f in self.findings_ledger
                   if f["rule"] != "DS01" and any(_within(path, disputed) for path, _ in f["evidence"])]
        weight = max(decided, key=_RANK.index) if decided else "minor"
        severity = min(weight, _HIGHEST, key=_RANK.index)
        return Outcome("fail", ((dispute["path"], disputed), (disputed, None)),
                       params=(("path", disputed), ("answers", dispute["answers"])), severity=severity)
