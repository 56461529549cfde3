"""The fact types in working memory.

Input facts (one per section of the input document, one per partner and concession)
are declared from the validated document; every one carries a ``path`` so a finding
can point back at the exact input value. Derived facts are declared by rules.
"""

from tahaluf.experta_compat import Fact


class Organisation(Fact):
    """Our organisation."""

class Alliance(Fact):
    """The alliance as proposed (or as it exists)."""

class Partner(Fact):
    """One partner; ``index`` keeps identical partners distinct."""

class Concession(Fact):
    """One concession asked of us."""

class Concessions(Fact):
    """Whether concessions are known at all: ``count`` is None when the list was left out."""

class Engagement(Fact):
    """How we communicate with the potential allies."""

class Understanding(Fact):
    """Shared understanding among members."""

class Governance(Fact):
    """Form, norms and procedures."""

class Monitoring(Fact):
    """Monitoring and evaluation arrangements."""

class Review(Fact):
    """Review of an existing alliance."""

class Motive(Fact):
    """One primary motive stated for the alliance, with its evidence (``name`` is the motive)."""

class Action(Fact):
    """One step of the action plan, with the date the facts stand at (``as_of``)."""

class Dispute(Fact):
    """A fact the respondents disagree on (a merged assessment's ``disputes``)."""

class Event(Fact):
    """Something that happened in an existing alliance (review.events): ``name`` is who did it."""

class EvidencePolicy(Fact):
    """What the evidence behind facts must be (evidence_rules.py), with the day the facts stand at:
    declared only when the file lists evidence or evidence is required (issue 25)."""

class EvidenceItem(Fact):
    """One entry of the file's ``evidence:``: where one fact came from, and how far it was checked."""

# Derived facts -------------------------------------------------------------------

class Finding(Fact):
    """Level 1: what one rule concluded about one subject (fail, pass or not_assessed)."""

class Dimension(Fact):
    """A readiness dimension to be assessed once all findings are in."""

class Readiness(Fact):
    """Level 2: the score of one dimension, resting on its findings."""

class Gate(Fact):
    """Level 2: a red flag (a failed blocker) that stops the alliance as proposed."""

class Condition(Fact):
    """Level 2/3: something to settle before proceeding."""

class DecidingFact(Fact):
    """A known fact that a passing blocker or major check rests on, with the evidence behind it."""

class Verdict(Fact):
    """Level 3: proceed, conditions or do_not_proceed."""
