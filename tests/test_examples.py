"""The shipped examples give the verdicts the README promises, through the real CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tahaluf.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run_json(name: str, capsys, *extra: str) -> dict:
    assert main(["evaluate", str(EXAMPLES / name), "--format", "json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def cited(report: dict, guidance: str) -> list[dict]:
    return [f for f in report["findings"] if guidance in f["guidance"] and f["status"] == "fail"]


def test_climate_labour_alliance_proceeds(capsys):
    report = run_json("climate-labour-alliance.yaml", capsys)
    open_findings = [(f["rule"], f["message"]) for f in report["findings"] if f["status"] != "pass"]
    assert report["verdict"] == "proceed", open_findings
    assert report["conditions"] == []
    assert report["not_assessed"] == []
    assert all(f["severity"] == "strength" for f in report["findings"])


def test_private_sector_offer_without_timeline_does_not_proceed(capsys):
    report = run_json("private-sector-offer.yaml", capsys)
    assert report["verdict"] == "do_not_proceed"
    [finding] = [f for f in cited(report, "G-PRV-2") if f["rule"] == "PR01"]
    assert finding["severity"] == "blocker"
    assert finding["subject"] == "MediPlus Pharmaceuticals"
    # the partner table follows the engine's gates: the company is excluded, the clinic society is not
    status = {p["name"]: p["status"] for p in report["partners"]}
    assert status["MediPlus Pharmaceuticals"] == "excluded"
    assert status["جمعية الهلال للرعاية الصحية (Al-Hilal Health Care Society)"] == "eligible"


def test_core_concession_does_not_proceed(capsys):
    report = run_json("core-concession.yaml", capsys)
    assert report["verdict"] == "do_not_proceed"
    [finding] = cited(report, "G-PAR-3")
    assert finding["severity"] == "blocker"
    [quote] = finding["guide"]
    assert quote["id"] == "G-PAR-3" and "core" in quote["en"] and "صميم" in quote["ar"]


def test_government_confrontation_is_a_red_flag(capsys):
    # «لا تعتمد أسلوب المواجهة بل التعاون» (G-GOV-3): a confrontational approach is a blocker.
    report = run_json("government-confrontation.yaml", capsys)
    assert report["verdict"] == "do_not_proceed"
    [finding] = cited(report, "G-GOV-3")
    assert finding["severity"] == "blocker" and finding["rule"] == "GV03"


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_markdown_report_in_both_languages(capsys, lang):
    assert main(["evaluate", str(EXAMPLES / "core-concession.yaml"), "--lang", lang, "--explain"]) == 0
    out = capsys.readouterr().out
    assert "G-PAR-3" in out and "PA01" in out
    # the guide's words: an English report quotes the Arabic original too, an Arabic one only the Arabic (issue 23)
    assert "صميم الأهداف المركزية" in out
    if lang == "ar":
        assert "عدم المضي قدماً" in out and "Concessions must not touch the core" not in out
    else:
        assert "Do not proceed as proposed" in out and "Concessions must not touch the core" in out


def test_explain_chain_reaches_the_input_facts(capsys):
    report = run_json("core-concession.yaml", capsys, "--explain")
    lines = report["explanation"]
    assert lines[0]["depth"] == 0
    gate = next(line for line in lines if line["id"].startswith("G"))
    finding = lines[lines.index(gate) + 1]
    assert finding["depth"] == gate["depth"] + 1
    # the fact in words (issue 23); its path stays in the finding's facts
    assert "First concession — Does it touch one of our core objectives? yes" in finding["text"]
    assert "concessions[0].touches_core_objective" in next(
        f for f in report["findings"] if f["id"] == finding["id"])["facts"]


def test_output_file_is_written_atomically_and_replaced_only_on_success(tmp_path, capsys):
    out = tmp_path / "report.json"
    out.write_text("previous", encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text("organisation: [\n", encoding="utf-8")
    assert main(["evaluate", str(bad), "--format", "json", "-o", str(out)]) == 2
    assert out.read_text(encoding="utf-8") == "previous"
    assert main(["evaluate", str(EXAMPLES / "core-concession.yaml"), "--format", "json", "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["verdict"] == "do_not_proceed"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_markdown_escapes_user_text(tmp_path, capsys):
    path = tmp_path / "hostile.yaml"
    path.write_text(
        "organisation:\n  name: 'Evil | [click](javascript:alert(1)) <script>x</script>'\n"
        "alliance:\n  name: x\npartners:\n  - name: \"A|B\\nC\"\n    sector: private\n"
        "    private: {specific_goals_agreed: no}\n", encoding="utf-8")
    assert main(["evaluate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "<script>" not in out and "[click](javascript" not in out
    assert "Evil \\| \\[click\\]" in out
    assert "| A\\|B C |" in out


def test_python_cli_py_runs_from_a_checkout():
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run([sys.executable, str(root / "cli.py"), "evaluate",
                             str(EXAMPLES / "core-concession.yaml"), "--format", "json"],
                            capture_output=True, text=True, cwd="/", timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["verdict"] == "do_not_proceed"


def test_existing_alliance_under_review_needs_its_impact_reviewed(capsys):
    report = run_json("existing-alliance-review.yaml", capsys)
    assert report["verdict"] == "conditions"
    failed = {f["rule"] for f in report["findings"] if f["status"] == "fail"}
    assert {"RV01", "RV03"} <= failed  # impact never reviewed; a member deviated
    assert cited(report, "G-INTRO-1")
    assert not any(f["rule"] == "RV04" for f in report["findings"] + report["not_assessed"])  # proposed only


def test_unwritable_output_is_one_line_and_exit_2(capsys):
    assert main(["evaluate", str(EXAMPLES / "core-concession.yaml"), "-o", "/proc/tahaluf-report.json"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tahaluf: /proc/tahaluf-report.json: cannot write here") and err.count("\n") == 1
