"""The hostile corpus, second round (issue 21): more of `tahaluf` as a whole process against
hostile input and a hostile system. Each case asserts the exit code, one line on standard
error, no traceback and nothing changed on disk but what is expected (see test_hostile_corpus)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corpus import Snapshot, run_cli
from support import EXAMPLES
from test_hostile_corpus import assert_untouched, one_line_error

ALLIANCE = EXAMPLES / "core-concession.yaml"


def folder_with_alliance(tmp_path: Path) -> Path:
    shutil.copy(ALLIANCE, tmp_path / "in.yaml")
    return tmp_path


# 11. Tracebacks -----------------------------------------------------------------------------------


def test_set_past_the_end_of_a_list_says_how_many_and_how_to_add_one(tmp_path):
    folder = folder_with_alliance(tmp_path)
    snapshot = Snapshot(folder)
    run = run_cli(["evaluate", "in.yaml", "--set", "partners[5].name=x"], folder)
    one_line_error(run, 2, "the list partners has 1 item; add one with --set partners[1]")
    assert_untouched(snapshot, run)


def test_set_one_past_the_end_adds_an_item(tmp_path):
    folder = folder_with_alliance(tmp_path)
    run = run_cli(["evaluate", "in.yaml", "--format", "json", "--set", "partners[1].name=Newcomer"], folder)
    assert run.code == 0, run.err
    assert "Newcomer" in run.out.decode()


NOT_REPORTS = {
    "list": ("[1, 2]", "an array"),
    "string": ('"text"', "a string"),
    "null": ("null", "null"),
    "deep": ("[" * 10_000 + "]" * 10_000, "nested too deeply"),
    "deep-object": ('{"a":' * 10_000 + "1" + "}" * 10_000, "nested too deeply"),
}


@pytest.mark.parametrize("name", list(NOT_REPORTS))
def test_diff_with_a_json_side_that_is_not_a_report(name, tmp_path):
    folder = folder_with_alliance(tmp_path)
    text, fragment = NOT_REPORTS[name]
    (folder / "side.json").write_text(text, encoding="utf-8")
    snapshot = Snapshot(folder)
    run = run_cli(["diff", "in.yaml", "side.json"], folder)
    one_line_error(run, 2, fragment)
    assert "side.json: not a Tahaluf JSON report" in run.err
    assert_untouched(snapshot, run)
