"""From a validated document to the facts declared in working memory."""

from __future__ import annotations

from collections.abc import Iterator

from tahaluf import model
from tahaluf.model import AllianceDocument, Concession, Organisation, Partner
from tahaluf.rules import facts

# section name -> (its input model, its fact type)
_SECTIONS = {
    "engagement": (model.Engagement, facts.Engagement),
    "understanding": (model.Understanding, facts.Understanding),
    "governance": (model.Governance, facts.Governance),
    "monitoring": (model.Monitoring, facts.Monitoring),
    "review": (model.Review, facts.Review),
}


def _dump(model) -> dict:
    return model.model_dump(mode="python")


def organisation_fact(organisation: Organisation) -> facts.Organisation:
    return facts.Organisation(path="organisation", **_dump(organisation))


def alliance_fact(alliance: model.Alliance, partners: list | None) -> facts.Alliance:
    return facts.Alliance(path="alliance", partners_known=partners is not None,
                          partner_count=None if partners is None else len(partners), **_dump(alliance))


def partner_fact(partner: Partner, index: int) -> facts.Partner:
    return facts.Partner(path=f"partners[{index}]", index=index, **_dump(partner))


# Concessions left out: one possible concession stands for all that may be asked, so the
# concession checks (PA01's blocker among them) stay open instead of silently not running.
UNKNOWN_CONCESSION = dict.fromkeys(model.Concession.model_fields)


def concession_facts(concessions: list[Concession] | None) -> Iterator:
    yield facts.Concessions(path="concessions", count=None if concessions is None else len(concessions))
    if concessions is None:
        yield facts.Concession(path="concessions", index=-1, asked=None, **UNKNOWN_CONCESSION)
    for index, concession in enumerate(concessions or ()):
        yield facts.Concession(path=f"concessions[{index}]", index=index, asked=True, **_dump(concession))


def document_facts(document: AllianceDocument) -> list:
    """Every section is declared, empty ones too, so rules can say 'not assessed'."""
    declared = [
        organisation_fact(document.organisation),
        alliance_fact(document.alliance, document.partners),
    ]
    declared += [partner_fact(p, i) for i, p in enumerate(document.partners or ())]
    declared += list(concession_facts(document.concessions))
    for section, (section_model, fact_type) in _SECTIONS.items():
        given = getattr(document, section) or section_model()  # left out: every fact unknown
        declared.append(fact_type(path=section, **_dump(given)))
    declared += list(event_facts(document.review.events if document.review else None))
    declared += list(motive_facts(document.alliance))
    declared += [facts.Action(path=f"actions[{index}]", index=index, as_of=document.as_of, **_dump(action))
                 for index, action in enumerate(document.actions or ())]
    declared += [facts.Dispute(path=f"disputes[{index}]", name=dispute.path, disputed=dispute.path,
                               answers=tuple((a.respondent, a.value if not isinstance(a.value, list)
                                              else "; ".join(a.value)) for a in dispute.answers))
                 for index, dispute in enumerate(document.disputes or ())]
    return declared


PRIMARY_MOTIVES = ("numbers", "internal_strengthening", "legitimacy_and_reach", "mutual_benefit", "stability",
                   "cross_sector_coordination")  # G-MOT-1..6


def motive_facts(alliance: model.Alliance) -> Iterator:
    """Each primary motive stated, with what shows the alliance will deliver it (None: not said)."""
    evidence = alliance.motive_evidence or {}
    for motive in alliance.motives or ():
        if motive in PRIMARY_MOTIVES:
            yield facts.Motive(path=f"alliance.motive_evidence.{motive}", name=motive, evidence=evidence.get(motive))


# Events left out: one possible event stands for what may have happened, so the checks that
# judge events (NR06, NR07 major) stay open for an alliance that exists or may exist.
UNKNOWN_EVENT = dict.fromkeys(model.Event.model_fields)


def event_facts(events: list[model.Event] | None) -> Iterator:
    if events is None:
        yield facts.Event(path="review.events", index=-1, name=None, **UNKNOWN_EVENT)
    for index, event in enumerate(events or ()):
        yield facts.Event(path=f"review.events[{index}]", index=index, name=event.who, **_dump(event))


def candidate_facts(organisation: Organisation, alliance: model.Alliance, partner: Partner,
                    concessions: list[Concession] | None) -> list:
    """One candidate partner in its alliance context: what the partner-level engine judges."""
    return [organisation_fact(organisation), alliance_fact(alliance, [partner]),
            partner_fact(partner, 0), *concession_facts(concessions)]


def evidence_facts(document: AllianceDocument, required: bool, max_age_months: int, today) -> list:
    """The evidence behind facts and what is asked of it (rules/evidence.py): nothing at all when
    the file lists no evidence and none is required, so such a file is judged as before."""
    if not document.evidence and not required:
        return []
    as_of = document.as_of or today
    declared: list = [facts.EvidencePolicy(required=required, max_age_months=max_age_months, as_of=as_of)]
    declared += [facts.EvidenceItem(path=f"evidence[{index}]", index=index, name=item.fact, as_of=as_of,
                                    max_age_months=max_age_months, **_dump(item))
                 for index, item in enumerate(document.evidence or ())]
    return declared
