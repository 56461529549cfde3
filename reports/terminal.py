"""The report on a terminal: the verdict, the red flags, the conditions and the first
questions, laid out by rich to fit one screen, then where the full report is.

Only the view-model's words are printed, each as a rich ``Text`` (never as markup, so
a name with brackets cannot restyle the screen). When everything does not fit, the
questions are cut first, then the conditions, then the details of each step, and a
line says how many more there are.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from tahaluf.reports.views import NextStep, ReportView

_VERDICT_STYLE = {"proceed": "green", "conditions": "yellow", "do_not_proceed": "red"}
_KIND_STYLE = {"red_flag": "bold red", "fix": "bold dark_orange", "verify": "bold cyan", "establish": "bold blue",
               "strengthen": "bold magenta", "question": "bold"}


@dataclass(frozen=True)
class _Fit:
    """How much of each list to show."""

    conditions: int
    questions: int
    details: bool  # a step's "what to do" and a red flag's guide words


# From the most generous to the tightest: the first that fits the screen is used.
_FITS = (
    _Fit(99, 3, True), _Fit(8, 3, True), _Fit(6, 2, True), _Fit(6, 2, False), _Fit(4, 1, False),
    _Fit(3, 0, False), _Fit(2, 0, False), _Fit(1, 0, False), _Fit(0, 0, False),
)


def _step(step: NextStep, labels: dict[str, str], details: bool, facts: dict | None = None) -> RenderableType:
    """One numbered step; wrapped lines hang under its text, not under its number."""
    head = Text()
    if step.kind in ("fix", "verify", "establish", "strengthen"):  # red flags and questions have their own heading
        head.append(f"{step.kind_label} " if step.rule else f"{step.kind_label}  ",
                    style=_KIND_STYLE.get(step.kind, "bold"))
    if step.rule:
        head.append(f"{step.rule}  ", style="cyan")
    head.append(str(step.text))
    lines: list[RenderableType] = [head]
    if details or step.is_red_flag:  # a red flag always keeps the guide's words and what must change
        if step.is_red_flag:
            lines += [Text.assemble((quote.id, "cyan"), " ", (quote.text, "italic")) for quote in step.guidance]
        if step.kind == "verify" and step.finding in (facts or {}):  # what stands behind the fact now
            lines.append(Text(str(facts[step.finding]), style="dim"))  # type: ignore[index]
        if step.kind in ("red_flag", "fix"):  # the facts it rests on, as their questions and answers
            lines += [Text.assemble((f"{labels['label.evidence']}: ", "bold"), str(fact.words),
                                    (f" ({fact.line})" if fact.line else "", "dim"))
                      for fact in (facts or {}).get(step.finding, ())]
        if step.change:
            key = labels["label.must_change"] if step.is_red_flag else labels["label.fix"]
            lines.append(Text.assemble((f"{key}: ", "bold"), step.change))
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(justify="right", width=3, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text(f"{step.number}.", style=_KIND_STYLE.get(step.kind, "bold")), Group(*lines))
    return grid


def _more(count: int, labels: dict[str, str]) -> Text:
    return Text(f"     … +{count} {labels['terminal.more']}", style="dim")


def _section(title: str, steps: tuple[NextStep, ...], shown: int, labels: dict[str, str],
             details: bool, facts: dict | None = None) -> list[RenderableType]:
    if not steps:
        return []
    out: list[RenderableType] = [Text(f"{title} ({len(steps)})", style="bold underline")]
    out += [_step(step, labels, details, facts) for step in steps[:shown]]
    if len(steps) > shown:
        out.append(_more(len(steps) - shown, labels))
    return out


def _layout(report: ReportView, hints: tuple[str, ...], fit: _Fit) -> Group:
    labels = report.labels
    steps = report.next_steps
    flags = tuple(s for s in steps if s.kind == "red_flag")
    conditions = tuple(s for s in steps if s.kind in ("fix", "verify", "establish", "strengthen"))
    questions = tuple(s for s in steps if s.kind == "question")
    style = _VERDICT_STYLE.get(report.verdict, "white")
    heading = Text.assemble((report.verdict_label, f"bold {style}"))
    about = Text(f"{report.alliance} · {report.organisation} · {labels['label.checks_assessed']}: {report.score_text}",
                 style="dim")
    parts: list[RenderableType] = [
        Panel(Group(heading, about, Text(str(report.summary))), title=labels["heading.verdict"],
              title_align="left", border_style=style),
    ]
    facts: dict = {finding.id: finding.evidence for finding in report.findings}
    facts.update({row.finding: row.line for row in report.evidence if row.verify})
    parts += _section(labels["heading.red_flags"], flags, len(flags), labels, fit.details, facts)
    parts += _section(labels["heading.conditions"], conditions, fit.conditions, labels, fit.details, facts)
    parts += _section(labels["heading.questions"], questions, fit.questions, labels, False)
    if not steps:
        parts.append(Text(labels["label.none"]))
    parts.append(Text(labels["terminal.full_report"], style="bold"))
    parts += [Text(f"  {hint}", style="green") for hint in hints]
    return Group(*parts)


def _height(renderable: RenderableType, width: int) -> int:
    console = Console(file=io.StringIO(), width=width, color_system=None, legacy_windows=False)
    with console.capture() as capture:
        console.print(renderable)
    return capture.get().count("\n")


def show(report: ReportView, console: Console, hints: tuple[str, ...] = ()) -> None:
    """Print the report on ``console`` within one screen (its height less one line for the prompt)."""
    room = max(console.height - 1, 8)
    layout = None
    for fit in _FITS:
        layout = _layout(report, hints, fit)
        if _height(layout, console.width) <= room:
            break
    console.print(layout)
