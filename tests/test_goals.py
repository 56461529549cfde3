"""What makes a goal specific, and timelines written as sentences (tahaluf/goals.py).

The two tables under tests/goals/ are the examples, in English and Arabic: each goal goes
through the model and AL06 (the rule that judges it), each timeline sentence through the model.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from support import EXAMPLES, build_document

from tahaluf.cli import main
from tahaluf.evaluation import evaluate_document
from tahaluf.goals import timeline_is_defined
from tahaluf.rules.base import goal_is_specific

TABLES = Path(__file__).parent / "goals"
SPECIFIC = yaml.safe_load((TABLES / "specific.yaml").read_text(encoding="utf-8"))
TIMELINES = yaml.safe_load((TABLES / "timelines.yaml").read_text(encoding="utf-8"))


def _id(case: dict, key: str) -> str:
    value = case[key]
    return str(value if isinstance(value, str) else value.get("goal"))[:40]


def test_the_tables_are_big_enough_and_half_arabic():
    def arabic(text):
        return any("\u0600" <= char <= "\u06ff" for char in str(text))
    assert len(SPECIFIC) >= 20 and 2 * sum(arabic(case["goal"]) for case in SPECIFIC) >= len(SPECIFIC)
    assert len(TIMELINES) >= 12 and 2 * sum(arabic(case["sentence"]) for case in TIMELINES) >= len(TIMELINES)
    assert all(case.get("why") for case in SPECIFIC)


@pytest.mark.parametrize("case", SPECIFIC, ids=[_id(case, "goal") for case in SPECIFIC])
def test_goal_is_specific(case):
    document = build_document({"alliance": {"goals": [case["goal"]]}})
    [goal] = document.alliance.goals
    assert goal_is_specific(goal.model_dump()) is case["specific"], case["why"]
    [al06] = [f for f in evaluate_document(document).inference.findings if f.rule == "AL06"]
    assert al06.status == ("pass" if case["specific"] else "fail"), case["why"]


def _day(value) -> dt.date | None:
    return value if value is None or isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


@pytest.mark.parametrize("case", TIMELINES, ids=[_id(case, "sentence") for case in TIMELINES])
def test_timeline_sentence_is_read_for_its_dates(case):
    timeline = build_document({"alliance": {"timeline": case["sentence"]}}).alliance.timeline
    assert timeline.note == case["sentence"]  # the sentence is kept
    assert (timeline.start, timeline.end, timeline.duration_months) == (
        _day(case.get("start")), _day(case.get("end")), case.get("duration_months"))
    defined = case.get("defined", True)
    assert timeline_is_defined(timeline.model_dump()) is defined


def test_timeline_is_defined_by_an_end_a_duration_or_a_dated_milestone():
    assert not timeline_is_defined(None) and not timeline_is_defined({"note": "later"})
    assert not timeline_is_defined({"start": dt.date(2027, 1, 1)})
    assert timeline_is_defined({"end": dt.date(2027, 1, 1)}) and timeline_is_defined({"duration_months": 6})
    assert timeline_is_defined({"milestones": [{"what": "Report", "date": dt.date(2027, 6, 1)}]})
    assert not timeline_is_defined({"milestones": [{"what": "Report"}]})


def test_a_structured_timeline_is_not_reread():
    timeline = build_document({"alliance": {"timeline": {"note": "from 2026-01 to 2028-06"}}}).alliance.timeline
    assert (timeline.start, timeline.end) == (None, None)


@pytest.mark.parametrize("sentence", ["from 2028-06 to 2026-01", "من حزيران 2028 إلى كانون الثاني 2026"])
def test_a_sentence_range_that_ends_before_it_starts_is_the_timeline_contradiction(tmp_path, capsys, sentence):
    text = (EXAMPLES / "climate-labour-alliance.yaml").read_text(encoding="utf-8")
    block = text[text.index("  timeline:\n"):text.index("  scope:")]
    path = tmp_path / "a.yaml"
    path.write_text(text.replace(block, f"  timeline: {sentence}\n"), encoding="utf-8")
    assert main(["evaluate", str(path), "--format", "json"]) == 0
    [cx03] = [f for f in json.loads(capsys.readouterr().out)["findings"] if f["rule"] == "CX03"]
    line = text.splitlines().index("  timeline:") + 1  # the sentence's line
    # both facts in words, each with its line (issue 23)
    assert f"On line {line} you said “Start: " in cx03["message"]
    assert f"but on line {line} you said “End: " in cx03["message"]


def test_what_ifs_stand_in_goals_are_one_vague_and_one_specific():
    """What-if tries a vague goal and a specific one: the specific one must pass the same rule."""
    from tahaluf.consultation import REPRESENTATIVE_DATED_GOAL, REPRESENTATIVE_GOAL

    assert not goal_is_specific({"goal": REPRESENTATIVE_GOAL})
    assert goal_is_specific({"goal": REPRESENTATIVE_DATED_GOAL})
