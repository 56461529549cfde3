"""The report's view-model classes: plain data a template prints (sorted, grouped, labelled and
translated by reports/viewmodel.py, which builds them from an Evaluation)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tahaluf.knowledge import SEVERITIES
from tahaluf.rules.verdict import PARTNER_STATUS
from tahaluf.user_messages import Message

if TYPE_CHECKING:
    from tahaluf.logo import Logo

# For the HTML/PDF report: CSS classes come from these fixed sets (never from user values),
# and chart geometry is computed here, so the template only prints numbers.
_SEVERITY_CLASS = {name: f"sev-{name}" for name in SEVERITIES}
_STATUS_CLASS = {name: f"status-{name}" for name in ("fail", "pass", "not_assessed")}
_KIND_CLASS = {name: f"kind-{name}" for name in ("fix", "verify", "establish", "strengthen")}
STEP_KINDS = ("red_flag", "fix", "verify", "establish", "strengthen", "question", "keep")  # the order of the next steps
_STEP_CLASS = {name: f"step-{name}" for name in STEP_KINDS}
_LEVEL_CLASS = {name: f"level-{name}" for name in ("ready", "partial", "weak", "not_assessed", "not_enough_known")}
_PARTNER_CLASS = {name: f"partner-{name}" for name in ("eligible", "conditional", "excluded")}
_VERDICT_CLASS = {name: f"verdict-{name}" for name in PARTNER_STATUS}
_LEVEL_FILL = {"ready": "#2f7d4f", "partial": "#c98a16", "weak": "#b83a30", "not_assessed": "#9aa3ad",
               "not_enough_known": "#9aa3ad"}
MAX_DEPTH_CLASS = 4


def _css_class(table: dict[str, str], key: str) -> str:
    return table.get(key, "unknown")


@dataclass(frozen=True)
class Quote:
    """A guide item's words: ``text`` in the report's language, ``other`` in the other one."""

    id: str
    text: str
    other: str
    why: str = ""  # what the quote is: "" for the guide's words (label.why), else its own label (a policy's)


@dataclass(frozen=True)
class Fact:
    path: str  # for JSON and the file's own details only
    value: str
    words: Message = Message(())  # the fact's question and the answer, in the report's language
    line: str = ""  # "line 22": where the file says it, a small note ("" when no line is known)


@dataclass(frozen=True)
class FindingView:
    id: str
    rule: str
    name: str
    severity: str
    severity_label: str
    status: str
    status_label: str
    dimension: str
    dimension_label: str
    subject: str
    message: Message
    fix: str
    question: Message
    guidance: tuple[Quote, ...]
    evidence: tuple[Fact, ...]

    @property
    def severity_class(self) -> str:
        return _css_class(_SEVERITY_CLASS, self.severity)

    @property
    def status_class(self) -> str:
        return _css_class(_STATUS_CLASS, self.status)

    @property
    def needs_action(self) -> bool:
        """A failed check has something to do; a strength or an open question does not (yet)."""
        return self.status == "fail"

    folded = False
    subjects = ()


@dataclass(frozen=True)
class Fold:
    """One check that failed (or is unknown) for many partners or concessions, printed once:
    what it checks, the first of them by name and how many more; the partners table has them all.
    Shaped like the FindingView or ConditionView it stands for, so a template prints either."""

    rule: str
    name: str
    severity: str
    severity_label: str
    dimension_label: str
    message: str  # the check's summary, in the report's language
    fix: str
    guidance: tuple[Quote, ...]
    subjects: tuple[str, ...]
    count: int
    count_text: str  # "Concerns 37"
    more: str  # "and 25 more", or ""
    kind: str = ""  # for a folded condition
    kind_label: str = ""
    needs_action: bool = False
    folded = True

    @property
    def severity_class(self) -> str:
        return _css_class(_SEVERITY_CLASS, self.severity)

    @property
    def kind_class(self) -> str:
        return _css_class(_KIND_CLASS, self.kind)

    @property
    def text(self) -> str:
        return self.message

    @property
    def question(self) -> str:
        return self.message

    @property
    def guidance_ids(self) -> str:
        return ", ".join(q.id for q in self.guidance)


@dataclass(frozen=True)
class StrengthRow:
    """One met check, with every partner or concession it was met for."""

    rule: str
    text: str | Message
    subjects: tuple[str, ...]
    guidance: tuple[Quote, ...]


@dataclass(frozen=True)
class SeverityGroup:
    severity: str
    label: str
    findings: tuple[FindingView, ...]
    rows: tuple[StrengthRow, ...] = ()
    entries: tuple = ()  # the findings to print: a check concerning many subjects as one Fold

    @property
    def severity_class(self) -> str:
        return _css_class(_SEVERITY_CLASS, self.severity)

    @property
    def count(self) -> int:
        return len(self.findings)

    @property
    def compact(self) -> bool:
        """Strengths print as one table row each (no action, no quote): a long report stays readable."""
        return self.severity == "strength"


@dataclass(frozen=True)
class ConditionView:
    id: str
    kind: str
    kind_label: str
    text: Message
    fix: str
    rule: str
    guidance: str
    finding: str = ""  # the finding it rests on ("" for a dimension to strengthen)
    subject: str = ""  # the partner or concession it is about (none for a readiness condition)

    folded = False
    subjects = ()
    more = ""

    @property
    def kind_class(self) -> str:
        return _css_class(_KIND_CLASS, self.kind)

    @property
    def guidance_ids(self) -> str:
        return self.guidance


@dataclass(frozen=True)
class ActionView:
    """One step of the action plan as the report prints it; ``overdue`` from AP01's finding."""

    what: str
    rule: str
    subject: str
    owner: str
    due: str
    status_label: str
    overdue: bool

    @property
    def row_class(self) -> str:
        return "overdue" if self.overdue else ""

    @property
    def due_text(self) -> str:
        """The due date, marked when the action is overdue."""
        return f"{self.due} ⚠" if self.overdue else self.due


@dataclass(frozen=True)
class NextStep:
    """One numbered step of "what to do next": a red flag, a condition or a question to answer."""

    number: int
    kind: str  # one of STEP_KINDS
    kind_label: str
    text: Message  # what was found, or the question to answer
    change: str  # what would have to change / what to do ("" for a bare question)
    rule: str  # "" for a dimension to strengthen
    subject: str
    guidance: tuple[Quote, ...]  # the guide's words (red flags quote them in full)
    finding: str = ""  # the finding it rests on, if any
    separator: str = ", "  # between list items, in the report's language

    @property
    def kind_class(self) -> str:
        return _css_class(_STEP_CLASS, self.kind)

    @property
    def guidance_ids(self) -> str:
        return self.separator.join(q.id for q in self.guidance)

    @property
    def is_red_flag(self) -> bool:
        return self.kind == "red_flag"


@dataclass(frozen=True)
class ReadinessView:
    dimension: str
    label: str
    score: int | None
    score_text: str
    level: str
    level_label: str
    bar: int  # 0-100, width of the chart bar
    assessed: int
    not_assessed: int
    coverage: int | None = None  # share (0-100) of the dimension's weight that was assessed
    low: int | None = None  # the score if every open check failed
    high: int | None = None  # ... and if every open check passed
    known_text: str = ""  # how much of the dimension could be assessed: "40%"

    @property
    def level_class(self) -> str:
        return _css_class(_LEVEL_CLASS, self.level)


@dataclass(frozen=True)
class PartnerView:
    index: int
    name: str
    sector: str
    status: str
    status_label: str
    blockers: int
    majors: int
    minors: int
    not_assessed: int
    sector_label: str = ""  # the sector in the report's language (``sector`` stays the input's code)

    @property
    def status_class(self) -> str:
        return _css_class(_PARTNER_CLASS, self.status)


@dataclass(frozen=True)
class ExplainLine:
    depth: int
    id: str
    text: Message

    @property
    def depth_class(self) -> str:
        return f"depth-{max(0, min(int(self.depth), MAX_DEPTH_CLASS))}"


@dataclass(frozen=True)
class Consultant:
    """Who prepared the report (the file's ``report:`` section or ``--by``): user text, printed escaped."""

    name: str = ""
    organisation: str = ""
    recommendation: str = ""
    logo: Logo | None = None  # a checked logo (a PNG), for HTML, PDF and DOCX

    @property
    def logo_src(self):
        """The logo's data URI for an <img>, escaped (as markup: no break is put into it)."""
        from markupsafe import escape

        return escape(self.logo.data_uri) if self.logo is not None else ""


@dataclass(frozen=True)
class ReportView:
    lang: str
    direction: str
    title: str
    guide_title: str
    alliance: str
    organisation: str
    date: str
    verdict: str
    verdict_label: str
    summary: Message
    score: int | None
    coverage: int | None  # share (0-100) of the scored checks' weight that was assessed
    score_with_coverage: str  # "only 16% of the checks could be assessed": no overall number (issue 23)
    next_steps: tuple[NextStep, ...]
    conditions: tuple[ConditionView, ...]
    readiness: tuple[ReadinessView, ...]
    groups: tuple[SeverityGroup, ...]
    findings: tuple[FindingView, ...]
    not_assessed: tuple[FindingView, ...]
    disagreements: tuple[FindingView, ...]  # DS01 findings, most consequential first
    actions: tuple[ActionView, ...]  # the plan kept in the file (`tahaluf plan`)
    partners: tuple[PartnerView, ...]
    explanation: tuple[ExplainLine, ...]
    explanation_brief: tuple[ExplainLine, ...]
    knowledge_version: str
    tahaluf_version: str
    source_name: str
    source_sha256: str
    labels: dict[str, str] = field(repr=False)
    evidence: tuple = ()  # reports/evidence_view.py: the deciding facts and their sources (issue 25)
    conditions_shown: tuple = ()  # conditions to print (HTML, PDF, Markdown): many of one check as one Fold
    not_assessed_shown: tuple = ()
    next_steps_shown: tuple[NextStep, ...] = ()  # the steps to print: many of one check as one step
    consultant: Consultant | None = None  # who prepared it, on the brief
    annex_suffix: str = ".pdf"  # the format being written: the brief's command for the annex writes the same
    # The organisation's own policy, when one was judged (--policy): named and hashed in the stamp.
    policy_name: str = ""
    policy_sha256: str = ""
    policy_rules: tuple[str, ...] = ()  # its rule ids: the JSON marks their findings `source: policy`
    # The guide's original words are quoted beside each item (a report not in the guide's language).
    quotes_original: bool = False
    # Said of each quote where the report's language has the guide as a working translation (languages.yaml).
    translation_note: str = ""

    @property
    def verdict_class(self) -> str:
        return _css_class(_VERDICT_CLASS, self.verdict)

    @property
    def brief(self):
        """The board brief drawn from this report (reports/brief.py): its first pages."""
        from tahaluf.reports.brief import build_brief

        return build_brief(self)

    @property
    def score_text(self) -> str:
        return self.score_with_coverage

    @property
    def conditions_count(self) -> int:
        return len(self.conditions)

    @property
    def red_flags(self) -> tuple[NextStep, ...]:
        return tuple(step for step in self.next_steps if step.kind == "red_flag")

    @property
    def not_assessed_groups(self) -> tuple[SeverityGroup, ...]:
        """The open checks by dimension, in the readiness table's order (one item per line)."""
        order = [d.label for d in self.readiness]
        by_label: dict[str, list] = {}
        for entry in self.not_assessed_shown:
            by_label.setdefault(entry.dimension_label, []).append(entry)
        ranked = sorted(by_label, key=lambda name: order.index(name) if name in order else len(order))
        return tuple(SeverityGroup("", name, (), (), tuple(by_label[name])) for name in ranked)

    @property
    def not_assessed_count(self) -> int:
        return len(self.not_assessed)

    @property
    def chart(self) -> tuple[ChartRow, ...]:
        """The readiness chart: one bar per dimension, in a 0-100 wide SVG box, growing from the reading start."""
        return tuple(ChartRow.of(r, self.direction) for r in self.readiness)


@dataclass(frozen=True)
class ChartRow:
    """One bar of the readiness chart: the numbers and colour an SVG ``<rect>`` needs, nothing from the user."""

    label: str
    score_text: str
    level_label: str
    level_class: str
    x: int  # 0-100: where the bar starts (0 left-to-right; 100 - width right-to-left)
    width: int  # 0-100: the low end of the range (every open check failed)
    fill: str  # a colour from a fixed set, by readiness level
    assessed: bool
    range_x: int = 0  # the part of the range the open checks could still add, drawn lighter
    range_width: int = 0
    known_text: str = ""

    @classmethod
    def of(cls, view: ReadinessView, direction: str) -> ChartRow:
        low = max(0, min(100, int(view.low if view.low is not None else view.bar)))
        high = max(low, min(100, int(view.high if view.high is not None else low)))
        rtl = direction == "rtl"
        return cls(label=view.label, score_text=view.score_text, level_label=view.level_label,
                   level_class=view.level_class, x=100 - low if rtl else 0, width=low,
                   fill=_LEVEL_FILL.get(view.level, _LEVEL_FILL["not_assessed"]), assessed=view.score is not None,
                   range_x=100 - high if rtl else low, range_width=high - low, known_text=view.known_text)
