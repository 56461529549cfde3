"""`tahaluf diff OLD NEW`: a review a year later, between alliance files or JSON reports."""

from __future__ import annotations

import json
import shutil

import yaml
from support import EXAMPLES

from tahaluf.cli import main


def test_a_review_shows_the_verdict_findings_facts_and_actions_that_changed(tmp_path, capsys):
    old = tmp_path / "2026.yaml"
    shutil.copy(EXAMPLES / "private-sector-offer.yaml", old)
    assert main(["plan", str(old), "-q"]) == 0
    data = yaml.safe_load(old.read_text(encoding="utf-8"))
    data["as_of"] = "2027-03-01"
    data["actions"][0].update(due="2027-06-30", status="open")
    data["actions"][1].update(due="2027-06-30", status="open")  # not yet due in 2027-03
    old.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    # A year later: the company agreed its goals and timeline; one action done, the other late.
    new_data = yaml.safe_load(old.read_text(encoding="utf-8"))
    new_data["as_of"] = "2028-03-01"
    company = next(p for p in new_data["partners"] if p.get("sector") == "private")
    company["private"].update(goals=[{"goal": "12 clinics equipped", "by": "2027-12"}], timeline_agreed=True,
                              specific_goals_agreed=True)
    new_data["actions"][0]["status"] = "done"
    new = tmp_path / "2027.yaml"
    new.write_text(yaml.safe_dump(new_data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    assert main(["diff", str(old), str(new), "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["verdict"] == {"before": "do_not_proceed", "after": "conditions", "changed": True}
    assert any(c["rule"] == "PR01" and c["before"] == "fail" for c in result["resolved"])
    assert any(f["path"].endswith("private.timeline_agreed") for f in result["facts"])
    assert result["actions_done"] == [data["actions"][0]["what"]]
    assert result["actions_overdue"] == [data["actions"][1]["what"]]

    assert main(["diff", str(old), str(new), "--lang", "ar"]) == 0
    arabic = capsys.readouterr().out
    assert "ما الذي تغيّر بين التقييمين" in arabic and "عدم المضي قدماً" in arabic


def test_json_reports_compare_as_well_as_files(tmp_path, capsys):
    reports = []
    for name in ("core-concession.yaml", "climate-labour-alliance.yaml"):
        out = tmp_path / f"{name}.json"
        assert main(["evaluate", str(EXAMPLES / name), "-o", str(out)]) == 0
        reports.append(str(out))
    assert main(["diff", *reports, "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["verdict"]["before"] == "do_not_proceed" and result["verdict"]["after"] == "proceed"
    assert any(c["rule"] == "PA01" for c in result["resolved"])
    assert main(["diff", reports[0], str(EXAMPLES / "core-concession.yaml"), "--format", "json"]) == 0
    same = json.loads(capsys.readouterr().out)
    assert same["verdict"]["changed"] is False and same["added"] == [] and same["resolved"] == []


def test_a_json_file_that_is_no_report_is_a_clear_error(tmp_path, capsys):
    bogus = tmp_path / "x.json"
    bogus.write_text('{"hello": 1}', encoding="utf-8")
    assert main(["diff", str(bogus), str(EXAMPLES / "core-concession.yaml")]) == 2
    err = capsys.readouterr().err
    assert "not a Tahaluf JSON report" in err and "Traceback" not in err


def test_a_fact_that_one_report_no_longer_cites_is_not_a_change():
    from tahaluf.diff import compare, snapshot_of_report

    def report(verdict, facts):
        return {"verdict": verdict, "findings": [{"rule": "PR01", "subject": "Acme", "status": "fail",
                                                   "severity": "blocker", "facts": facts}]}
    # A failed check cites only the facts that decide it: the flag it cited while open is not "gone".
    before = snapshot_of_report("a", report("conditions", {"p.flag": "yes", "p.timeline": None}))
    after = snapshot_of_report("a", report("do_not_proceed", {"p.timeline": "no"}))
    assert compare(before, after).facts == (("p.timeline", None, "no"),)
