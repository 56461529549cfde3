"""`tahaluf diff --lang ar` through a real pseudo-terminal (pexpect): an Arabic review of the shipped
Arabic example a few answers later reads in Arabic only: no Latin word but the rule codes (small
tags) and the user's own names, which come from the file."""

from __future__ import annotations

import os
import re
import sys

import pexpect
from support import EXAMPLES, ROOT, label

CODE = re.compile(r"^[A-Z]{2}\d\d$")


def test_an_arabic_diff_in_a_terminal_has_no_latin_word_but_codes_and_names(tmp_path):
    source = (EXAMPLES / "climate-labour-alliance.ar.yaml").read_text(encoding="utf-8")
    old, new = tmp_path / "قبل.yaml", tmp_path / "بعد.yaml"
    # A year before, staff time was not yet known; a year later the partners' statements were not
    # reviewed, and the alliance is not committed to its goal.
    old.write_text(source.replace("  staff_time_allocated: نعم\n", ""), encoding="utf-8")
    new.write_text(source.replace("past_statements_reviewed: نعم", "past_statements_reviewed: لا", 1)
                   .replace("committed_to_goal: نعم", "committed_to_goal: لا"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", str(ROOT.parent)), "COLUMNS": "120"}
    child = pexpect.spawn(sys.executable, ["-m", "tahaluf.cli", "diff", str(old), str(new), "--lang", "ar"],
                          cwd=str(tmp_path), env=env, encoding="utf-8", timeout=60, dimensions=(50, 120))
    child.expect(pexpect.EOF)
    child.close()
    out = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", child.before.replace("\r\n", "\n"))  # a terminal's colours
    assert child.exitstatus == 0, out
    assert label("diff.heading", "ar") in out
    body = out.split(str(new), 1)[1]  # after the two file names, which are the user's
    users = set(re.findall(r"[A-Za-z]+", source))  # names and words the director wrote in the file
    latin = [word for word in re.findall(r"[A-Za-z][A-Za-z0-9]*", body) if not CODE.match(word) and word not in users]
    assert latin == []
    assert f"{label('label.unknown', 'ar')} ← {label('label.yes', 'ar')}" in body  # staff time: unknown, then yes
    assert re.search(r"\b[A-Z]{2}\d\d\b", body)  # a finding's code, as a tag
