"""The input format: facts about a proposed (or existing) alliance, validated by pydantic.

Every fact may be left out. A missing fact is *unknown* (``None``), never false:
the rules report it as "not assessed" instead of assuming the best or the worst.
An empty list is a known "none" (``concessions: []`` means none were asked).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator

from tahaluf import answers, limits
from tahaluf.fact_paths import fact_path_problem
from tahaluf.goals import read_timeline

# User text is cleaned at the door (model_values.py): re-exported here, where the sections use them.
from tahaluf.model_values import (
    Day,
    Name,
    PersonOrNobody,
    Text,
    TextList,
    clean_text,
)

Sector = Literal[
    "ngo", "government", "private", "union", "university", "research_centre",
    "consumer_organisation", "media", "other",
]
Level = Literal["low", "medium", "high"]
Size = Literal["small", "medium", "large"]
Motive = Literal[
    "numbers",                 # G-MOT-1
    "internal_strengthening",  # G-MOT-2
    "legitimacy_and_reach",    # G-MOT-3
    "mutual_benefit",          # G-MOT-4
    "stability",               # G-MOT-5
    "cross_sector_coordination",  # G-MOT-6
    "media_attention",         # G-MOT-7 (incidental)
    "wider_audience",          # G-MOT-8 (incidental)
    "civil_society_reach",     # G-MOT-9 (incidental)
]


# A partner's industries, for the organisation's own exclusion criteria (issue 25): modelled on common
# NGO due-diligence lists (the UN business-partner criteria and the like); `other` for the rest.
Industry = Literal[
    "arms", "tobacco", "alcohol", "gambling", "adult_entertainment", "fossil_fuel_extraction", "mining",
    "nuclear_weapons", "private_military_security", "predatory_lending", "pharmaceuticals", "agriculture",
    "food_and_beverages", "finance", "technology", "telecommunications", "construction", "renewable_energy",
    "media", "retail", "other",
]
# An ISO 4217 currency code (USD, EUR, JOD): amounts in different currencies are never compared.
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]


class Strict(BaseModel):
    """Unknown keys are errors: a misspelt fact must not silently become 'unknown'.

    Answers may be Arabic wherever a field expects a fixed answer (yes/no or a choice):
    نعم، لا، لا أعرف (unknown), منخفض، القطاع الخاص … read as the English value
    (knowledge/answers.yaml), for every model, before pydantic validates it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _arabic_answers_in_english(cls, data):
        return answers.to_english(cls, data)


class Organisation(Strict):
    """Our organisation: the one asking whether to enter the alliance."""

    name: Name
    core_objectives: TextList | None = None
    size: Size | None = None
    decision_process: Text | None = Field(None, description="How our organisation takes decisions.")
    staff_time_allocated: bool | None = Field(
        None, description="Staff time has been set aside for alliance work (G-INTRO-1)."
    )
    currency: Currency | None = Field(
        None, description="Our currency (ISO 4217: USD, EUR, JOD): an amount written as a bare number is in it.")


class Goal(Strict):
    """A goal that is a goal: what, how it is measured, and by when (G-ALL-1, G-PRV-2).

    Specific (tahaluf/goals.py) when it has a measure or a date, or, written as a sentence,
    when the sentence states a quantity *and* a date ("400 workers trained by 2028-06").
    """

    goal: Text
    measure: Text | None = Field(
        None, description="How you will know it is reached (a goal with a measure is specific).")
    by: Day | None = Field(
        None, description="When it is to be reached (2027-09 or 2027-09-30; a goal with a date is specific).")


def _goal_from_text(value):
    return {"goal": value} if isinstance(value, str) else value


GoalItem = Annotated[Goal, BeforeValidator(_goal_from_text)]
GoalList = Annotated[list[GoalItem], Field(max_length=100)]


class Milestone(Strict):
    what: Text
    date: Day | None = None


class Timeline(Strict):
    """When the alliance's goals are to be reached. A plain sentence is read for its dates
    (start, end, or a duration) and kept as the note (tahaluf/goals.py: read_timeline)."""

    start: Day | None = None
    end: Day | None = None
    duration_months: Annotated[int, Field(ge=1, le=1200)] | None = Field(
        None, description="How many months it lasts, when only that is said ('for 18 months').")
    milestones: Annotated[list[Milestone], Field(max_length=100)] | None = None
    note: Text | None = None


def _timeline_from_text(value):
    return read_timeline(value) if isinstance(value, str) else value


class Alliance(Strict):
    """The alliance itself."""

    name: Name
    purpose: Text | None = None
    purpose_kind: Literal["campaign", "common_goal", "policy_change", "information_exchange",
                          "coordination"] | None = None
    goals: GoalList | None = Field(
        None, description="Each {goal, measure, by} with a measure or a date, or a sentence stating a "
                          "quantity and a date ('400 workers trained by 2028-06'); any other is only an "
                          "intention (AL06). A number in a name ('Phase 2', 'Campaign 2027') is neither.")
    timeline: Annotated[Timeline, BeforeValidator(_timeline_from_text)] | None = Field(
        None, description="start, end (2027-01 or 2027-01-15), duration_months, milestones (what, date) and a "
                          "note; a plain sentence ('from 2026-01 to 2028-06', 'for 18 months') is read for its "
                          "dates and kept as the note.")
    scope: Literal["local", "national", "regional", "global"] | None = None
    formality: Literal["informal", "network", "formal"] | None = Field(
        None, description="formal = a contractual commitment among the members (G-ALL-3)."
    )
    stage: Literal["proposed", "existing"] | None = None
    motives: Annotated[list[Motive], Field(max_length=20)] | None = None
    motive_evidence: dict[Motive, Text] | None = Field(
        None, description="For each motive, what shows the alliance will deliver it (G-MOT-1..6): e.g. "
                          "internal_strengthening: 'two staff seconded to the joint research unit'.")
    one_strategy_agreed: bool | None = Field(
        None, description="The members agree one strategy, so the collective message spreads (G-MOT-8).")
    committed_to_goal: bool | None = Field(
        None, description="The members are committed to the common goal (the contractual commitment of G-ALL-3, "
                          "which need not be a formal framework).")
    shared_values: bool | None = Field(None, description="Members share the same principles and values (G-ALL-2).")


class GovernmentTerms(Strict):
    """What the guide asks about a government partner (G-GOV-1..7)."""

    structure_mapped: bool | None = None
    decision_makers_identified: bool | None = None
    approach: Literal["cooperative", "confrontational", "mixed"] | None = None
    information_channel: bool | None = None
    invited_to_events: bool | None = None
    brings_advocates_together: bool | None = Field(
        None, description="We bring its members together with advocates of the issue (G-GOV-6)."
    )
    grassroots_role: bool | None = Field(
        None, description="Our part is grassroots work complementing its regulations and laws (G-GOV-7)."
    )
    framework_agreed: bool | None = None


CompanyGain = Literal[
    "logo_on_materials",    # its logo on our materials
    "product_endorsement",  # our endorsement of its products
    "our_data",             # our data
    "our_contacts",         # our contacts or members
    "exclusivity",          # exclusivity: we work with no competitor
    "image_only",           # association with our name, nothing more
]


class PrivateTerms(Strict):
    """What the guide asks about a private-sector partner (G-PRV-1..2)."""

    specific_goals_agreed: bool | None = None
    goals: GoalList | None = Field(
        None, description="The goals agreed with the company, each with a measure or a date (or a sentence "
                          "stating a quantity and a date).")
    timeline_agreed: bool | None = None
    benefit_to_us: Text | None = Field(None, description="What our organisation gains, beyond the company's image.")
    benefit_measure: Text | None = Field(None, description="How we will check later that we gained it.")
    company_gets: Annotated[list[CompanyGain], Field(max_length=10)] | None = Field(
        None, description="What the company gets from us (G-PRV-1); [] if nothing.")
    integrity_safeguards: bool | None = Field(
        None, description="Terms protect our integrity: no endorsement, control of our name and logo."
    )


class Money(Strict):
    """An amount of money; without a currency it is in the organisation's (organisation.currency)."""

    amount: Annotated[int, Field(ge=0, le=10**15)] | None = None  # whole units; left out: unknown
    currency: Currency | None = None


def _money_from_number(value):
    # The strict loader hands a scalar over as written ("50000"): a bare amount is a number, in any case.
    if isinstance(value, str) and re.fullmatch(r"\s*\d[\d_,]*\s*", value):
        return {"amount": value.replace(",", "").replace("_", "").strip()}
    return {"amount": value} if isinstance(value, int) and not isinstance(value, bool) else value


def _one_or_more(value):
    """A single choice written alone (`industries: arms`) is a list of one."""
    return [value] if isinstance(value, str) else value


class Partner(Strict):
    """One prospective (or current) member of the alliance."""

    name: Name
    sector: Sector | None = None
    past_work_reviewed: bool | None = Field(None, description="Due diligence on its past work (G-PAR-4).")
    past_statements_reviewed: bool | None = Field(None, description="Due diligence on its prior statements (G-PAR-4).")
    values_alignment: Level | None = None
    reputation_risk: Level | None = None
    size: Size | None = None
    strengths: TextList | None = None
    weaknesses: TextList | None = None
    contribution: Text | None = Field(None, description="What it would add to the alliance (G-PAR-9).")
    met: bool | None = Field(None, description="We have met it, bilaterally or in a group meeting (G-PAR-5..7).")
    decision_process_understood: bool | None = Field(None, description="We know how it takes decisions (G-DEC-3).")
    understands_our_decisions: bool | None = Field(None, description="It knows how we take decisions (G-DEC-3).")
    effect_on_procedures_understood: bool | None = Field(
        None, description="We understand the effect it will have on the alliance's procedures (G-DEC-3).")
    constraints_declared: bool | None = Field(
        None, description="It stated what may limit its part in decisions (G-DEC-5).")
    government: GovernmentTerms | None = None
    private: PrivateTerms | None = None
    # Facts the organisation's own policy may read (issue 25); no guide rule reads them.
    industries: Annotated[list[Industry], Field(max_length=30), BeforeValidator(_one_or_more)] | None = Field(
        None, description="The industries it works in (arms, tobacco, gambling, ...); [] if none of these.")
    funding_offered: Annotated[Money, BeforeValidator(_money_from_number)] | None = Field(
        None, description="The money it offers the alliance or us: {amount, currency}, or a number in our currency.")
    on_sanctions_list: bool | None = Field(
        None, description="It (or its owners) is on a sanctions list (UN Security Council, national lists).")
    child_or_forced_labour_allegations: bool | None = Field(
        None, description="Credible allegations of child or forced labour against it or its supply chain.")
    human_rights_abuse_allegations: bool | None = Field(
        None, description="Credible allegations of human-rights abuses against it.")
    board_approved: bool | None = Field(None, description="Our board has approved partnering with it.")


class Concession(Strict):
    """Something the alliance asks us to give up or change."""

    what: Text
    asked_by: Name | None = None
    touches_core_objective: bool | None = None
    core_objective: Text | None = Field(None, description="Which of our core objectives it touches.")
    can_live_with: bool | None = Field(None, description="We can live with it over the alliance's life (G-PAR-2).")


class Engagement(Strict):
    """How we communicate with the potential allies (G-NET, G-PAR-5..8)."""

    regular_communication: bool | None = None
    talks_with_relevant_groups: bool | None = Field(
        None, description="We talk with the groups relevant to the issue to hear their views (G-NET-1).")
    meets_new_people: bool | None = Field(
        None, description="We keep meeting new people, organisations, politicians or experts (G-NET-2).")
    contact_base_growing: bool | None = Field(None, description="Our base of contacts is growing (G-NET-2).")
    members_put_in_effort: bool | None = Field(None, description="Members put effort into the network (G-NET-3).")
    reciprocity: bool | None = Field(
        None, description="Members share information knowing it pays off for everyone, not one way (G-NET-3).")
    channels_open: bool | None = None
    information_shared_transparently: bool | None = None
    active_listening: bool | None = None
    meetings: Literal["bilateral", "group", "both", "none"] | None = None
    clear_message: bool | None = Field(None, description="A clear message on why the alliance matters (G-PAR-7).")
    agenda_prepared: bool | None = None


class Understanding(Strict):
    """The shared understanding behind decisions (G-DEC-1, 2, 4)."""

    shared_base: bool | None = None
    goals_understood_by_all: bool | None = None
    new_members_checked_against_goals: bool | None = None
    shared_areas_mapped: bool | None = None
    joint_achievements: TextList | None = Field(
        None, description="What the members can achieve together (G-FRM-2).")
    conflicting_interests_mapped: bool | None = None


class SteeringCommittee(Strict):
    exists: bool | None = None
    meeting_length: Text | None = None
    regularity: Text | None = None
    ground_rules: bool | None = None
    quorum: Annotated[int, Field(ge=1, le=1000)] | None = None


class Governance(Strict):
    """Form, norms and procedures (G-FRM, G-NRM, G-PRC)."""

    decision_method: Literal["consensus", "majority", "qualified_majority", "lead_member", "other"] | None = None
    decision_scope_defined: bool | None = Field(None, description="Who decides on which matters (G-FRM-1).")
    decision_procedure_known_to_all: bool | None = None
    decision_procedure_clear: bool | None = None
    decision_procedure_accepted_by_all: bool | None = None
    decision_procedure_applied: bool | None = Field(None, description="Applied thoroughly and consistently (G-PRC-1).")
    steering_committee: SteeringCommittee | None = None
    executive_mandate_defined: bool | None = None
    conflict_mechanism: Literal["mediator", "arbitrator", "committee", "none"] | None = None
    mediator_independent: bool | None = Field(None, description="The mediator or arbitrator is independent (G-PRC-4).")
    reopening_rule: bool | None = None
    spokesperson: PersonOrNobody | None = Field(None, description="Who speaks for the alliance; `nobody` if no one.")
    speaking_mandate_rule: bool | None = None  # only members the alliance mandated speak in its name (G-NRM-3)
    spokesperson_mandated: bool | None = Field(
        None, description="The alliance itself gave the spokesperson this role (G-NRM-3: «إن لم يكل التحالف»).")
    spokesperson_limits_agreed: bool | None = Field(
        None, description="What the spokesperson may say in the alliance's name is agreed (G-NRM-3).")
    media_disagreement_rule: bool | None = None
    credit_sharing: bool | None = None
    praise_rhythm: Literal["often", "quarterly", "annual", "never"] | None = Field(
        None, description="How often those who work hard are praised (G-NRM-5: often, not once a year).")
    diversity_respected: bool | None = Field(
        None, description="Members respect their diversity: different procedures, beliefs and ways of working, "
                          "large and small members alike (G-NRM-1).")
    funding: Text | None = None
    funding_agreed: bool | None = None
    roles_assigned: bool | None = None
    tasks_divided_by_capacity: bool | None = None
    reporting_lines_defined: bool | None = None
    information_verified_from_several_sources: bool | None = None


class Monitoring(Strict):
    """Monitoring and evaluation (G-MNE)."""

    planned_from_start: bool | None = None
    in_place: bool | None = Field(None, description="For an existing alliance: M&E is in place now (G-MNE-1).")
    owner: PersonOrNobody | None = Field(None, description="Who is responsible for M&E; `nobody` if no one is.")
    owner_role_defined: bool | None = Field(
        None, description="What is expected of the process and of its owner is written down (G-MNE-2).")
    what_is_monitored: TextList | None = None
    review_rhythm: Literal["monthly", "quarterly", "biannual", "annual", "none"] | None = None
    lessons_shared: bool | None = None


EventKind = Literal[
    "went_to_media",          # a member took a disagreement to the media (G-NRM-4)
    "spoke_without_mandate",  # a member spoke in the alliance's name without a mandate (G-NRM-3)
    "took_sole_credit",       # a member took the credit for a shared success (G-NRM-5)
    "missed_meetings",        # a member kept missing the steering committee's meetings (G-PRC-2)
]


class Event(Strict):
    """Something that happened in an existing alliance, which its norms or procedures judge."""

    kind: EventKind
    who: Name | None = None
    when: Day | None = None
    note: Text | None = None


class Review(Strict):
    """For an existing alliance under review (G-INTRO-1)."""

    impact_reviewed: bool | None = None
    goals_still_shared: bool | None = None
    members_deviated: bool | None = Field(
        None, description="A member strayed from the founding values or goals (G-PAR-1).")
    events: Annotated[list[Event], Field(max_length=200)] | None = Field(
        None, description="What happened that the norms judge; [] if nothing did.")


class ReportBy(Strict):
    """Who prepared the report for the board, and their own short recommendation (printed on the brief)."""

    name: Name | None = None
    organisation: Name | None = None
    recommendation: Annotated[str, StringConstraints(max_length=limits.REPORT_RECOMMENDATION_CHARS),
                              AfterValidator(clean_text)] | None = None
    logo: Annotated[str, StringConstraints(max_length=1000), AfterValidator(clean_text)] | None = Field(
        None, description="A PNG or SVG file (at most 512 KB), beside this file: printed on the brief (--logo).")


class Action(Strict):
    """One step of the alliance's action plan (`tahaluf plan` proposes them from the report)."""

    what: Text
    because: Annotated[str, StringConstraints(max_length=20)] | None = Field(
        None, description="The rule whose red flag, condition or question it answers (e.g. PR01).")
    subject: Name | None = Field(None, description="The partner or concession it is about.")
    owner: PersonOrNobody | None = None
    due: Day | None = None
    status: Literal["open", "done", "dropped"] | None = None
    done_on: Day | None = None


class Answer(Strict):
    """What one respondent answered to a fact the respondents disagree on (as written)."""

    respondent: Name
    value: Text | list[Text] | None = None


class Dispute(Strict):
    """A fact the respondents disagree on: left unknown in the merged assessment, with who said what."""

    path: Annotated[str, StringConstraints(max_length=300)]
    answers: Annotated[list[Answer], Field(min_length=2, max_length=limits.MAX_RESPONDENTS)]


EvidenceKind = Literal["document", "meeting", "person", "public_record"]
# The order matters: each status says more than the one before it (rules/evidence.py reads it so).
EVIDENCE_STATUSES = ("claimed", "documented", "verified")


def _known_fact(path: str) -> str:
    problem = fact_path_problem(path.strip(), AllianceDocument)  # defined below; read when a file is validated
    if problem:
        raise ValueError(problem)
    return path.strip()


class Evidence(Strict):
    """Where one fact came from (issue 25): a fact the verdict rests on that is only claimed is to be verified."""

    fact: Annotated[str, StringConstraints(min_length=1, max_length=300), AfterValidator(_known_fact)] = Field(
        description="The fact it stands behind, as findings name it (partners[0].private.timeline_agreed).")
    source: Text = Field(description="What or who says so: a document, a meeting, a person, a public record.")
    kind: EvidenceKind | None = None
    date: Day | None = Field(None, description="When the source said it (2026-05 or 2026-05-14).")
    status: Literal["claimed", "documented", "verified"] = Field(
        "claimed", description="claimed (someone says so), documented (in writing), verified (checked by us).")
    by: Name | None = Field(None, description="Who recorded this evidence.")


class AllianceDocument(Strict):
    """The whole input file."""

    respondent: Name | None = Field(None, description="Who answered this file (one respondent of several).")
    respondents: Annotated[list[Name], Field(max_length=limits.MAX_RESPONDENTS)] | None = Field(
        None, description="In a merged assessment: everyone who answered (`tahaluf merge`).")
    disputes: Annotated[list[Dispute], Field(max_length=2000)] | None = Field(
        None, description="In a merged assessment: the facts the respondents disagree on.")
    as_of: Day | None = Field(None, description="The date the facts stand at: actions due before it are overdue.")
    organisation: Organisation
    alliance: Alliance
    partners: Annotated[list[Partner], Field(max_length=limits.MAX_PARTNERS)] | None = None
    concessions: Annotated[list[Concession], Field(max_length=limits.MAX_CONCESSIONS)] | None = None
    engagement: Engagement | None = None
    understanding: Understanding | None = None
    governance: Governance | None = None
    monitoring: Monitoring | None = None
    review: Review | None = None
    report: ReportBy | None = Field(
        None, description="Who prepared the report (name, organisation) and their short recommendation: on the brief.")
    actions: Annotated[list[Action], Field(max_length=500)] | None = Field(
        None, description="The action plan: each next step with an owner, a due date and a status.")
    evidence: Annotated[list[Evidence], Field(max_length=2000)] | None = Field(
        None, description="Where facts came from: each {fact, source, kind, date, status, by}.")

    @model_validator(mode="after")
    def _concessions_name_our_objectives(self) -> AllianceDocument:
        known = set(self.organisation.core_objectives or ())
        for concession in self.concessions or ():
            if concession.core_objective and known and concession.core_objective not in known:
                raise ValueError(
                    f"concession '{concession.what}' names core objective "
                    f"'{concession.core_objective}', which is not in organisation.core_objectives"
                )
        return self

