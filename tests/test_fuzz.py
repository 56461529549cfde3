"""Property tests (hypothesis), a bounded number of examples each so they run in CI:
the YAML loader, the CSV and JSONL row readers and the writers never fail but as
documented, and never let a bad row stop the others."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tahaluf.errors import InputError
from tahaluf.files.cells import neutralise, restore
from tahaluf.loader import load_yaml, validate
from tahaluf.model import AllianceDocument
from tahaluf.screening.readers import _ESCAPED_BYTE, CsvReader, JsonlReader, RowProblem
from tahaluf.screening.writers import ERROR_COLUMNS, ErrorSink, text_target, write_csv, write_jsonl

FUZZ = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

YAML_PIECES = st.sampled_from([
    "organisation:", "alliance:", "partners:", "  - name: ", "  name: ", "    sector: ", "ngo", "private", "yes", "no",
    "~", "null", "&a ", "*a", "!!str ", "!!python/object:os.system ", "[", "]", "{", "}", ",", ": ", "- ", "\n",
    "  ", "'", '"', "#", "---", "...", "? ", "|", ">", "\t", "\u202e", "\x00", "تحالف", "0x1", "010", "2024-02-30",
])


@FUZZ
@given(st.lists(YAML_PIECES, max_size=40).map("".join) | st.text(max_size=300))
def test_the_yaml_loader_gives_data_or_input_error_lines(text):
    """Data, or InputError(s): one ``FILE:LINE: …`` line per problem, never another exception."""
    def one_line_each(error: InputError) -> None:
        assert error.lines and all("\n" not in line and line.startswith("fuzz.yaml") for line in error.lines)

    try:
        data, source = load_yaml(text, "fuzz.yaml", collect=True)
    except InputError as error:
        one_line_each(error)
        return
    assert data is None or isinstance(data, (dict, list, str))
    try:
        validate(AllianceDocument, data, source, "fuzz.yaml")
    except InputError as error:
        one_line_each(error)


CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30) | st.sampled_from(
    ["=1+1", "@SUM(A1)", "-5", "+x", "\ttab", "a,b", 'say "hi"', "line\nbreak", "\r", "ngo", "yes", ""])


def _rows_from(path: Path) -> list[tuple[int, object]]:
    with CsvReader(path) as reader:
        return list(reader.rows())


@FUZZ
@given(rows=st.lists(st.lists(CELL, min_size=1, max_size=4), max_size=8),
       junk=st.lists(st.tuples(st.integers(0, 7), st.binary(min_size=1, max_size=6)), max_size=3))
def test_csv_rows_each_read_or_rejected_alone(tmp_path_factory, rows, junk):
    """Every record comes back as values or as its own RowProblem, numbered in order; bytes that
    are not UTF-8 reject their row only."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["name", "sector", "strengths", "contribution"])
    writer.writerows(rows)
    lines = buffer.getvalue().encode("utf-8").split(b"\r\n")
    for index, data in junk:  # undecodable or odd bytes inside a record's line
        target = 1 + index % max(len(lines) - 1, 1)
        lines[target] = lines[target] + data.replace(b"\n", b"").replace(b"\r", b"").replace(b'"', b"")
    path = tmp_path_factory.mktemp("csv") / "c.csv"
    path.write_bytes(b"\r\n".join(lines))
    numbers = []
    for row, values in _rows_from(path):
        numbers.append(row)
        assert isinstance(values, (dict, RowProblem))
        if isinstance(values, dict):  # a row with undecodable bytes never passes on
            assert not any(_ESCAPED_BYTE.search(value) for value in values.values())
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


@FUZZ
@given(st.lists(st.one_of(
    st.dictionaries(st.sampled_from(["name", "sector", "Name", "government.approach", "strengths"]),
                    st.one_of(st.text(max_size=10), st.none(), st.booleans(), st.integers(),
                              st.lists(st.text(max_size=5))),
                    max_size=4).map(json.dumps),
    st.sampled_from(['{"name": "a", "name": "b"}', '{"government": {"approach": "x"}, "government.approach": "y"}',
                     "[1, 2]", "nul", '"text"', "{", "{}", ""]),
    st.binary(max_size=20).map(lambda b: b.decode("latin-1")),
), max_size=10))
def test_jsonl_lines_each_read_or_rejected_alone(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("jsonl") / "c.jsonl"
    path.write_bytes("\n".join(line.replace("\n", " ").replace("\r", " ") for line in lines).encode("utf-8", "replace"))
    with JsonlReader(path) as reader:
        rows = list(reader.rows())
    assert [row for row, _ in rows] == sorted(row for row, _ in rows)
    for _, values in rows:
        assert isinstance(values, (dict, RowProblem))


RECORD = st.tuples(st.integers(2, 10**6), CELL, st.one_of(st.none(), CELL),
                   st.sampled_from(["eligible", "conditional", "excluded"]), st.one_of(st.none(), st.integers(0, 100)),
                   st.lists(CELL, max_size=3).map(tuple), st.lists(CELL, max_size=3).map(tuple),
                   st.lists(CELL, max_size=3).map(tuple), st.lists(st.tuples(CELL, st.booleans()), max_size=3))


@FUZZ
@given(st.lists(RECORD.map(list), max_size=12))
def test_writers_round_trip_and_neutralise_formulas(tmp_path_factory, records):
    folder = tmp_path_factory.mktemp("out")
    with text_target(folder / "o.csv") as stream:
        write_csv(stream, records)
    with open(folder / "o.csv", encoding="utf-8-sig", newline="") as stream:
        read = list(csv.reader(stream))
    assert len(read) == len(records) + 1
    for cells, record in zip(read[1:], records):
        for cell in cells[2:4] + cells[6:]:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n")) or cell == ""
        assert restore(cells[2]) == record[1]  # the guard is undone exactly (the web table shows names so)
    with text_target(folder / "o.jsonl", bom=False) as stream:
        write_jsonl(stream, records)
    lines = (folder / "o.jsonl").read_text(encoding="utf-8").split("\n")[:-1]  # not splitlines: U+0085 is text
    assert [json.loads(line)["name"] for line in lines] == [record[1] for record in records]


@FUZZ
@given(st.lists(st.tuples(st.integers(2, 999), CELL, CELL), max_size=6))
def test_errors_file_exists_only_with_errors_and_is_neutralised(tmp_path_factory, problems):
    from tahaluf.files.output import OutputSet

    folder = tmp_path_factory.mktemp("errors")
    with OutputSet() as outputs, ErrorSink(folder / "e.csv", outputs) as sink:
        for row, field, problem in problems:
            sink.add(row, field, problem)
        sink.finish()
    if not problems:
        assert not (folder / "e.csv").exists()
        return
    with open(folder / "e.csv", encoding="utf-8-sig", newline="") as stream:
        read = list(csv.reader(stream))
    assert read[0] == list(ERROR_COLUMNS) and len(read) == len(problems) + 1
    assert [cells[1] for cells in read[1:]] == [neutralise(field) for _, field, _ in problems]
    assert [p.name for p in folder.iterdir()] == ["e.csv"]


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__])
