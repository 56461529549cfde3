"""The action plan as files: proposed from the report's next steps (kept in the alliance file by
files/alliance_file.add_actions), exported as a spreadsheet and as an iCalendar file of due dates.

The steps and their order come from the view-model's ``next_steps`` (red flags, then
conditions, then questions); this module only turns them into entries and bytes.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from tahaluf import knowledge
from tahaluf.evaluation import Evaluation
from tahaluf.files.cells import formula_like
from tahaluf.model import AllianceDocument
from tahaluf.reports.viewmodel import build_report


def proposed_actions(evaluation: Evaluation, lang: str = "en") -> list[dict]:
    """One action per next step not already in the plan (matched by rule and subject), for the
    director to give an owner and a due date."""
    planned = {(a.because, a.subject) for a in evaluation.document.actions or ()}
    sections = AllianceDocument.model_fields
    proposed = []
    for step in build_report(evaluation, lang).next_steps:
        key = (step.rule or None, step.subject if step.subject and step.subject not in sections else None)
        if key in planned or step.rule == "AP01":  # the plan's own follow-up is not a new action
            continue
        planned.add(key)
        what = step.change or str(step.text)
        # A partner or concession is named; a section (``engagement``) is no subject of its own.
        subject = key[1]
        proposed.append({"what": what, **({"because": step.rule} if step.rule else {}),
                         **({"subject": subject} if subject else {}),
                         "owner": None, "due": None, "status": "open"})
    return proposed


def _rows(document: AllianceDocument, lang: str) -> tuple[list[str], list[list]]:
    labels = {key: text(lang) for key, text in knowledge.labels().items()}
    header = [labels[key] for key in ("plan.what", "label.rule", "plan.subject", "plan.owner", "plan.due",
                                      "label.status")]
    rows = []
    for action in document.actions or ():
        owner = labels["plan.nobody"] if action.owner is False else (action.owner or "")
        status = labels[f"plan.status.{action.status}"] if action.status else ""
        rows.append([action.what, action.because or "", action.subject or "", owner,
                     action.due.isoformat() if action.due else "", status])
    return header, rows


def plan_xlsx(document: AllianceDocument, lang: str = "en") -> bytes:
    from openpyxl import Workbook

    header, rows = _rows(document, lang)
    book = Workbook()
    sheet = book.active
    sheet.title = knowledge.labels()["plan.heading"](lang)[:31]
    sheet.sheet_view.rightToLeft = knowledge.direction(lang) == "rtl"
    sheet.append(header)
    for number, row in enumerate(rows, 2):
        for column, value in enumerate(row, 1):
            cell = sheet.cell(row=number, column=column, value=value)
            if isinstance(value, str) and formula_like(value):
                cell.data_type = "s"  # text, never a formula, shown as typed
                cell.quotePrefix = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def plan_ics(document: AllianceDocument, exported: datetime | None = None) -> bytes:
    """An all-day event on each open action's due date (done and dropped ones are left out).
    Each DTSTAMP is ``exported`` (default: now, UTC), as RFC 5545 asks: when the calendar was made."""
    import hashlib

    from icalendar import Calendar, Event

    stamp = (exported or datetime.now(UTC)).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", "-//Tahaluf//action plan//EN")
    calendar.add("version", "2.0")
    for action in document.actions or ():
        if action.due is None or action.status in ("done", "dropped"):
            continue
        event = Event()
        # A stable uid: the same action gives the same event when the file is exported again.
        digest = hashlib.sha256(f"{document.alliance.name}|{action.because}|{action.subject}|{action.what}"
                                .encode()).hexdigest()[:24]
        event.add("uid", f"{digest}@tahaluf")
        event.add("summary", f"{action.because + ': ' if action.because else ''}{action.what}")
        event.add("dtstart", action.due)
        event.add("dtend", action.due + timedelta(days=1))
        event.add("dtstamp", stamp)
        if action.owner:
            event.add("description", f"Owner: {action.owner}")
        calendar.add_component(event)
    return calendar.to_ical()

