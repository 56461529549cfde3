"""`tahaluf diff` in a director's words (issue 22): a changed fact is its question and its answers in
the reader's language, a finding that changed status its message ("Resolved: …"); never a path, a
rule slug or "GV03 (Blocker): Not assessed → not checked". Codes only as small tags; JSON keeps paths."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from support import EXAMPLES, label

from tahaluf import knowledge
from tahaluf.cli import main
from tahaluf.rules.base import REGISTRY

PATH_LIKE = (re.compile(r"[a-z_]+\[\d+\]"), re.compile(r"\b[a-z]+\.[a-z]+_[a-z_]+\b"))
PARTNER = "MediPlus Pharmaceuticals"


def machine_words(text: str, lang: str) -> list[str]:
    """Whatever a director must not read: paths, rule slugs, statuses as the machine words them."""
    found = [match for pattern in PATH_LIKE for match in pattern.findall(text)]
    found += [spec.name for spec in REGISTRY.values() if re.search(rf"\b{re.escape(spec.name)}\b", text)]
    found += [word for word in (label("diff.absent", lang), label("status.not_assessed", lang)) if word in text]
    found += re.findall(r"\b[A-Z]{2}\d\d \(", text)  # "GV03 (Blocker)"
    return found


def question(path: str, lang: str) -> str:
    words = knowledge.fields()[path]
    return (words.question or words)(lang)


def review_changes(lang: str) -> list[str]:
    """What changed between the review's two states, as every view must word it: two facts as their
    questions and answers, then the red flag lifted in the report's words."""
    arrow = label("diff.arrow", lang)
    about = label("interview.about_partner", lang).replace("{subject}", PARTNER)
    timeline = about.replace("{question}", question("partners[].private.timeline_agreed", lang))
    understood = question("understanding.goals_understood_by_all", lang)
    flag = knowledge.findings()["PR01"].message_for("no_timeline")(lang).replace("{subject}", PARTNER)
    return [f"{timeline} {label('label.no', lang)} {arrow} {label('label.yes', lang)}",
            f"{understood} {label('label.unknown', lang)} {arrow} {label('label.no', lang)}",
            label("diff.line.resolved", lang).replace("{text}", flag)]


@pytest.fixture
def review(tmp_path):
    """The shipped private-sector example, and the same a few answers later: the company agreed a
    timeline, and the members turned out not all to understand the goals (unknown before)."""
    data = yaml.safe_load((EXAMPLES / "private-sector-offer.yaml").read_text(encoding="utf-8"))
    old = tmp_path / "old.yaml"
    old.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    data["partners"][0]["private"].update(timeline_agreed=True,
                                          goals=[{"goal": "12 clinics equipped", "by": "2027-12"}])
    data.setdefault("understanding", {})["goals_understood_by_all"] = False
    new = tmp_path / "new.yaml"
    new.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return str(old), str(new)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_diff_words_facts_as_questions_and_findings_as_messages(review, capsys, lang):
    assert main(["diff", *review, "--lang", lang]) == 0
    out = capsys.readouterr().out
    body = out.split("\n", 3)[3]  # after the heading and the two file names (the user's own)
    assert machine_words(body, lang) == []
    for line in review_changes(lang):
        assert line in out
    # The red flag lifted, in the words the report gave it; its code a tag after it.
    assert f"{review_changes(lang)[-1]} `PR01`" in out
    # The check that now fails, by its message.
    assert knowledge.findings()["DC02"].message(lang) in out


def test_diff_json_keeps_paths_and_codes(review, capsys):
    assert main(["diff", *review, "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert {"path": "partners[0].private.timeline_agreed", "before": False, "after": True} in result["facts"]
    assert any(c["rule"] == "PR01" and c["before"] == "fail" for c in result["resolved"])


def test_a_government_approach_changed_reads_as_its_question(tmp_path, capsys):
    source = (EXAMPLES / "government-confrontation.yaml").read_text(encoding="utf-8")
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(source, encoding="utf-8")
    new.write_text(source.replace("approach: confrontational", "approach: cooperative"), encoding="utf-8")
    assert main(["diff", str(old), str(new), "--lang", "ar"]) == 0
    out = capsys.readouterr().out
    assert machine_words(out.split("\n", 3)[3], "ar") == []
    assert (f"{question('partners[].government.approach', 'ar')} {label('choice.confrontational', 'ar')} ← "
            f"{label('choice.cooperative', 'ar')}") in out
    assert label("diff.line.resolved", "ar").replace("{text}", "") in out and "`GV03`" in out
