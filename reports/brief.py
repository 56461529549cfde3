"""The board brief: what a board reads first (issue 23), drawn from the report's view-model.

The verdict and its headline; each red flag in the guide's words with what would have to change;
the conditions that matter for the verdict (none on a "do not proceed": only what must change);
on a "proceed", what keeps it sound; who does what next; readiness per dimension as a range with
how much is known; and one line on the method. Templates print it as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from tahaluf import limits
from tahaluf.reports.views import ActionView, ChartRow, ConditionView, NextStep, ReportView
from tahaluf.user_messages import Message, fill

ROLES = ("board", "director", "assessor")
BRIEF_ACTIONS = 4  # open actions of the plan named on the brief, soonest first
BRIEF_ESTABLISH = 5
# Facts to establish are listed on a conditions brief; the rest are counted (annex).
ANNEX_COMMAND = "tahaluf evaluate FILE -o report{suffix} --full"  # in the format being read (a .docx brief names .docx)


def annex_command(suffix: str) -> str:
    return ANNEX_COMMAND.format(suffix=suffix)


@dataclass(frozen=True)
class WhoStep:
    """One line of "who does what next": a role (or a named owner from the plan) and the step."""

    who: str
    what: str
    due: str = ""
    user: bool = False  # who and what come from the user's plan (printed isolated), not from labels


@dataclass(frozen=True)
class BriefView:
    report: ReportView
    red_flags: tuple[NextStep, ...]
    conditions: tuple  # ConditionView or Fold, as the full report prints them
    conditions_more: str  # "and 28 facts still to establish (see the annex)", or ""
    keep_sound: tuple[NextStep, ...]
    who_next: tuple[WhoStep, ...]
    readiness: tuple[ChartRow, ...]
    method: Message
    annex_note: Message

    @property
    def verdict_label(self) -> str:
        return self.report.verdict_label

    @property
    def labels(self) -> dict[str, str]:
        return self.report.labels


def _conditions(report: ReportView) -> tuple[tuple, str]:
    """What must be met before a "proceed on conditions": every fix and dimension to strengthen,
    and the first facts to establish (the annex lists every one)."""
    if report.verdict != "conditions":
        return (), ""
    shown = [c for c in report.conditions_shown if getattr(c, "kind", "") != "establish"]
    establish = [c for c in report.conditions_shown if getattr(c, "kind", "") == "establish"]
    shown += establish[:BRIEF_ESTABLISH]
    rest = sum(getattr(c, "count", 1) for c in establish[BRIEF_ESTABLISH:])
    more = report.labels["brief.conditions_more"].replace("{count}", str(rest)) if rest else ""
    return tuple(shown), more


def _who_next(report: ReportView) -> tuple[WhoStep, ...]:
    labels = report.labels
    steps = [WhoStep(labels[f"role.{role}"], labels[f"who.{report.verdict}.{role}"]) for role in ROLES]
    planned = sorted((a for a in report.actions if a.owner and a.status_label != labels.get("plan.status.done")
                      and a.status_label != labels.get("plan.status.dropped")),
                     key=lambda a: (a.due or "9999", a.what))
    steps += [_planned(a) for a in planned[:BRIEF_ACTIONS]]
    return tuple(steps)


def _planned(action: ActionView) -> WhoStep:
    most = limits.REPORT_SUBJECT_CHARS * 2
    what = action.what if len(action.what) <= most else action.what[:most - 1] + "…"
    return WhoStep(action.owner, what, action.due_text, user=True)


def build_brief(report: ReportView) -> BriefView:
    labels = report.labels
    conditions, more = _conditions(report)
    # The version and the command are printed isolated (left to right inside an Arabic sentence).
    method = fill(labels["brief.method"].replace("{guide}", report.guide_title)
                  .replace("{assessed}", report.score_text), {"version": report.knowledge_version})
    return BriefView(
        report=report,
        red_flags=tuple(step for step in report.next_steps_shown if step.is_red_flag),
        conditions=conditions, conditions_more=more,
        keep_sound=tuple(step for step in report.next_steps_shown if step.kind == "keep"),
        who_next=_who_next(report), readiness=report.chart, method=method,
        annex_note=fill(labels["brief.annex_note"], {"command": annex_command(report.annex_suffix)}),
    )


__all__ = ["BriefView", "ConditionView", "WhoStep", "annex_command", "build_brief"]
