"""The README's recipe "Adding a rule: one method in rules/, one entry in knowledge/findings/, one
fixture file", done for real: in a copy of the package, a throwaway rule is added as three new files
and nothing else, and then found everywhere a rule appears — the rule list, `explain`, a report's
findings and next steps, and its own fixtures run by pytest. (Adding a format: tests/test_formats.py.)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RULE = '''
"""A throwaway area, added by tests/test_recipes.py to prove the recipe."""

from tahaluf.experta_compat import AS
from tahaluf.rules.base import RuleSet, check, require_true
from tahaluf.rules.facts import Engagement


class ThrowawayRules(RuleSet):

    @check("CM90", "agenda-shared-beforehand", guidance=["G-PAR-8"], dimension="communication",
           when=[AS.engagement << Engagement()])
    def agenda_shared_beforehand(self, engagement):
        """The agenda is prepared before the meetings (a throwaway rule for the recipe's test)."""
        return require_true(engagement, "agenda_prepared")
'''

KNOWLEDGE = '''
CM90:
  severity: minor
  summary:
    en: The throwaway agenda rule is met.
    ar: قاعدة جدول الأعمال التجريبية مستوفاة.
    fr: La règle d’essai de l’ordre du jour est respectée.
  message:
    en: "Throwaway rule failed: no agenda is prepared."
    ar: "لم تُستوفَ القاعدة التجريبية: لا جدول أعمال مُعَدّ."
    fr: "Règle d’essai non respectée : aucun ordre du jour n’est préparé."
  fix:
    en: Prepare the throwaway agenda.
    ar: أعدّوا جدول الأعمال التجريبي.
    fr: Préparez l’ordre du jour d’essai.
  question:
    en: Is an agenda prepared for the meetings (throwaway)?
    ar: هل أُعِدّ جدول أعمال للاجتماعات (تجريبي)؟
    fr: Un ordre du jour est-il préparé pour les réunions (essai) ?
'''

FIXTURE = '''
rule: CM90
cases:
  - name: an agenda is prepared
    expect: pass
    facts:
      engagement: {agenda_prepared: true}
  - name: no agenda
    expect: fail
    facts:
      engagement: {agenda_prepared: false}
  - name: not known
    expect: not_assessed
    facts:
      engagement: {meetings: bilateral}
'''

ALLIANCE = '''
organisation: {name: Our NGO, core_objectives: [Clean water for every village]}
alliance: {name: River alliance, stage: proposed}
partners: [{name: Water Users Union, sector: ngo}]
engagement: {meetings: bilateral, agenda_prepared: false}
'''


def _copy_of_the_package(tmp_path: Path) -> Path:
    target = tmp_path / "site" / "tahaluf"
    shutil.copytree(ROOT, target, ignore=shutil.ignore_patterns(
        ".git", ".venv", "__pycache__", "*.egg-info", ".hypothesis", "benchmarks", "examples", "docs"))
    return target


def _run(package: Path, *arguments: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(package.parent), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, *arguments], cwd=package, env=environment, capture_output=True,
                          text=True, timeout=300)


def test_adding_a_rule_is_one_rule_one_knowledge_entry_one_fixture(tmp_path):
    package = _copy_of_the_package(tmp_path)
    (package / "rules" / "throwaway.py").write_text(textwrap.dedent(RULE), encoding="utf-8")
    (package / "knowledge" / "findings" / "throwaway.yaml").write_text(KNOWLEDGE, encoding="utf-8")
    (package / "tests" / "rules" / "CM90.yaml").write_text(FIXTURE, encoding="utf-8")
    alliance = tmp_path / "alliance.yaml"
    alliance.write_text(ALLIANCE, encoding="utf-8")

    where = _run(package, "-c", "import tahaluf; print(tahaluf.__file__)")
    assert where.stdout.strip() == str(package / "__init__.py"), where.stderr  # the copy, not the checkout

    listed = _run(package, "-m", "tahaluf", "rules")
    assert listed.returncode == 0, listed.stderr
    assert "CM90" in listed.stdout and "agenda-shared-beforehand" in listed.stdout

    explained = _run(package, "-m", "tahaluf", "explain", "CM90", "--lang", "ar")
    assert explained.returncode == 0, explained.stderr
    assert "قاعدة جدول الأعمال التجريبية" in explained.stdout

    report = _run(package, "-m", "tahaluf", "evaluate", str(alliance), "--format", "json")
    findings = [f for f in json.loads(report.stdout)["findings"] if f["rule"] == "CM90"]
    assert [f["status"] for f in findings] == ["fail"], report.stderr
    markdown = _run(package, "-m", "tahaluf", "evaluate", str(alliance))
    assert "Throwaway rule failed: no agenda is prepared." in markdown.stdout
    assert "Prepare the throwaway agenda." in markdown.stdout

    fixtures = _run(package, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:xdist",
                    "tests/test_rule_fixtures.py", "-k", "CM90")
    assert fixtures.returncode == 0, fixtures.stdout[-2000:]
    assert "3 passed" in fixtures.stdout
