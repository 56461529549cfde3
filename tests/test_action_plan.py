"""The action plan: proposed from a report, kept in the alliance file, followed, exported."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import openpyxl
import yaml
from icalendar import Calendar
from support import EXAMPLES

from tahaluf.cli import main
from tahaluf.evaluation import evaluate_file


def planned_file(tmp_path):
    path = tmp_path / "offer.yaml"
    shutil.copy(EXAMPLES / "private-sector-offer.yaml", path)
    assert main(["plan", str(path), "-q"]) == 0
    return path


def test_plan_proposes_one_action_per_next_step_and_keeps_the_directors_comments(tmp_path):
    path = planned_file(tmp_path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# A company offers to join")  # the director's own comments stay
    actions = yaml.safe_load(text)["actions"]
    evaluation = evaluate_file(path)
    assert evaluation.verdict == "do_not_proceed"
    assert actions[0]["because"] == "PR01" and actions[0]["subject"] == "MediPlus Pharmaceuticals"
    assert all(a["status"] == "open" and a["owner"] is None and a["due"] is None for a in actions)
    # Planning again adds nothing already planned.
    assert main(["plan", str(path), "-q"]) == 0
    assert len(yaml.safe_load(path.read_text(encoding="utf-8"))["actions"]) == len(actions)


def _set(path, **changes):
    """Edit the plan as a director would: give the first two actions owners, dates and statuses."""
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data["as_of"] = changes.pop("as_of")
    for index, values in changes.items():
        data["actions"][int(index[1:])].update(values)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_overdue_actions_count_against_readiness_and_done_ones_show(tmp_path, capsys):
    path = planned_file(tmp_path)
    _set(path, as_of="2027-03-01", a0={"owner": "Salma", "due": "2027-01-31", "status": "open"},
         a1={"owner": "nobody", "due": "2027-02-15", "status": "done"})
    evaluation = evaluate_file(path)
    ap01 = {f.subject: f.status for f in evaluation.inference.findings if f.rule == "AP01"}
    actions = yaml.safe_load(path.read_text(encoding="utf-8"))["actions"]
    assert ap01[actions[0]["what"]] == "fail" and ap01[actions[1]["what"]] == "pass"
    assert main(["evaluate", str(path), "--format", "md"]) == 0
    report = capsys.readouterr().out
    assert "## Action plan" in report and "2027-01-31 ⚠" in report and "| done |" in report


def test_the_plan_exports_as_a_spreadsheet_and_a_calendar_a_parser_accepts(tmp_path):
    path = planned_file(tmp_path)
    _set(path, as_of="2027-03-01", a0={"owner": "=HYPERLINK(\"x\")", "due": "2027-01-31", "status": "open"},
         a1={"due": "2027-02-15", "status": "done"})
    xlsx, ics = tmp_path / "plan.xlsx", tmp_path / "plan.ics"
    assert main(["plan", str(path), "-o", str(xlsx), "--lang", "ar"]) == 0
    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet.sheet_view.rightToLeft and sheet.cell(1, 1).value == "الإجراء"
    assert sheet.cell(2, 4).value == "=HYPERLINK(\"x\")" and sheet.cell(2, 4).data_type == "s"
    assert main(["plan", str(path), "-o", str(ics)]) == 0
    calendar = Calendar.from_ical(ics.read_bytes())
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert len(events) == 1  # the done action has no event
    assert events[0].decoded("dtstart").isoformat() == "2027-01-31"
    assert str(events[0]["summary"]).startswith("PR01: ")
    uid = str(events[0]["uid"])
    before = datetime.now(UTC).replace(microsecond=0)
    assert main(["plan", str(path), "-o", str(ics)]) == 0
    after = datetime.now(UTC)
    again = [c for c in Calendar.from_ical(ics.read_bytes()).walk() if c.name == "VEVENT"]
    assert str(again[0]["uid"]) == uid  # the same action, the same event
    assert before <= again[0].decoded("dtstamp") <= after  # DTSTAMP: when the calendar was exported (RFC 5545)
