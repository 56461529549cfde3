"""Malformed input gives one clear line naming file, line and field, and exit code 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tahaluf.cli import main
from tahaluf.errors import InputError
from tahaluf.evaluation import evaluate_file
from tahaluf.loader import MAX_INPUT_BYTES

VALID_HEAD = "organisation:\n  name: Nahda\nalliance:\n  name: Water for all\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "alliance.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "line", "expected"), [
    (VALID_HEAD + "partners:\n  - name: A\n  - name: B\n  - name: C\n    sector: privat\n", 9,
     "partners[2].sector: 'privat' is not one of 'ngo', 'government', 'private'"),
    (VALID_HEAD + "partners:\n  - name: A\n    sectr: ngo\n", 7,
     "partners[0].sectr: unknown field (did you mean 'sector'?)"),
    (VALID_HEAD + "alliance:\n  name: again\n", 5, "alliance: duplicate key (first given on line 3)"),
    ("organisation: &org\n  name: Nahda\nalliance:\n  name: x\n", 1, "YAML anchors (&name) are not accepted"),
    ("organisation:\n  name: Nahda\nalliance:\n  name: [unclosed\n", 4, "unclosed bracket"),
    (VALID_HEAD + "partners:\n  - name: A\n    past_work_reviewed: maybe\n", 7,
     "partners[0].past_work_reviewed: 'maybe' is not yes/no"),
    (VALID_HEAD + "governance: !!python/object:os.system {}\n", 5, "YAML tag"),
    (VALID_HEAD + "alliance2: \"a\x00b\"\n", 5, "character U+0000 is not allowed in YAML"),
    ("- a\n- b\n", 1, "input should be a valid dictionary"),
    ("organisation:\n  core_objectives: [a]\nalliance:\n  name: x\n", 1,
     "organisation.name: required field is missing"),
])
def test_bad_input_names_file_line_and_field(tmp_path, text, line, expected):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        evaluate_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert expected in message
    assert "\n" not in message


def test_alias_is_refused_with_its_line(tmp_path):
    text = "organisation:\n  name: Nahda\n  core_objectives: &o [a]\nalliance:\n  name: x\n  goals: *o\n"
    with pytest.raises(InputError, match=r":3: .*anchors"):
        evaluate_file(write(tmp_path, text))


def test_no_norway_problem_names_and_numbers_keep_their_spelling(tmp_path):
    text = ("organisation:\n  name: NO\n  core_objectives: [010, yes]\nalliance:\n  name: 'on'\n"
            "governance:\n  steering_committee:\n    quorum: 010\n    ground_rules: NO\n")
    evaluation = evaluate_file(write(tmp_path, text))
    document = evaluation.document
    assert document.organisation.name == "NO"
    assert document.organisation.core_objectives == ["010", "yes"]
    assert document.alliance.name == "on"
    assert document.governance.steering_committee.quorum == 10  # decimal, not octal
    assert document.governance.steering_committee.ground_rules is False


def test_oversized_and_non_utf8_input(tmp_path):
    big = write(tmp_path, VALID_HEAD + "# " + "x" * MAX_INPUT_BYTES + "\n")
    with pytest.raises(InputError, match="larger than"):
        evaluate_file(big)
    binary = tmp_path / "latin1.yaml"
    binary.write_bytes(b"organisation:\n  name: caf\xe9\n")
    with pytest.raises(InputError, match=r":2: not valid UTF-8"):
        evaluate_file(binary)


def test_bidi_controls_are_stripped_from_user_text(tmp_path):
    evaluation = evaluate_file(write(tmp_path, "organisation:\n  name: \"A\u202eB\u2066C\"\nalliance:\n  name: x\n"))
    assert evaluation.document.organisation.name == "ABC"


def test_cli_exit_code_2_and_one_line_no_traceback(tmp_path):
    path = write(tmp_path, VALID_HEAD + "alliance:\n  name: again\n")
    result = subprocess.run([sys.executable, "-m", "tahaluf.cli", "evaluate", str(path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"{path}:5: alliance: duplicate key" in result.stderr


def test_missing_file_is_an_input_error(tmp_path, capsys):
    assert main(["evaluate", str(tmp_path / "nope.yaml")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_every_structural_and_validation_problem_is_reported_in_one_run(tmp_path):
    from tahaluf.errors import InputErrors

    text = ("organisation:\n  name: Nahda\n  core_objectives: &o [a]\n  size: huge\nalliance:\n  name: x\n"
            "  goals: *o\n  name: again\ngovernance: !!python/object:os.system {}\n")
    with pytest.raises(InputErrors) as caught:
        evaluate_file(write(tmp_path, text))
    lines = caught.value.lines
    assert [line.split(":")[1] for line in lines] == ["3", "4", "7", "8", "9"], lines
    assert "anchors" in lines[0] and "huge" in lines[1] and "aliases" in lines[2]
    assert "duplicate key" in lines[3] and "YAML tag" in lines[4]
