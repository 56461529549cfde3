"""The schema walker (tahaluf/schema_walker.py): a path's grammar, type, kind, choices, length and wording,
and the one reader and writer of a value at a path."""

from __future__ import annotations

import typing

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from model_strategies import model_data, value

from tahaluf import knowledge, limits
from tahaluf import schema_walker as schema
from tahaluf.model import AllianceDocument, Partner, Sector

# Who answered is merging's business (tests/test_respondents.py), as in model_strategies.
LEAVES = [path for path in schema.leaf_paths() if path[0] not in ("respondent", "respondents", "disputes")]
documents = st.composite(model_data)
values = st.composite(value)


def test_every_field_of_the_model_has_a_leaf_path():
    assert len(LEAVES) > 100
    assert ("partners", 0, "private", "goals", 0, "measure") in LEAVES
    assert ("alliance", "motive_evidence", "numbers") in LEAVES
    assert ("governance", "steering_committee", "quorum") in LEAVES
    assert all(schema.annotation_at(path) is not None for path in LEAVES)


@pytest.mark.parametrize(("text", "path"), [
    ("partners[0].sector", ("partners", 0, "sector")),
    ("partners[*].size", ("partners", "*", "size")),
    ("alliance.goals[12].by", ("alliance", "goals", 12, "by")),
    ("as_of", ("as_of",)),
])
def test_a_path_is_parsed_and_formatted_back(text, path):
    assert schema.parse_path(text) == path
    assert schema.format_path(path) == text.replace("[*]", ".*")  # '*' is parsed, never written back


@pytest.mark.parametrize("bad", ["", "[0]", "partners..name", "partners[x]", ".as_of", "a b["])
def test_what_is_not_a_path_is_refused(bad):
    with pytest.raises(ValueError):
        schema.parse_path(bad)


@given(st.sampled_from(LEAVES), st.integers(0, 500))
def test_every_leaf_path_round_trips_through_its_text(path, index):
    concrete = tuple(index if isinstance(part, int) else part for part in path)
    assert schema.parse_path(schema.format_path(concrete)) == concrete


@pytest.mark.parametrize(("path", "kind", "choices"), [
    (("partners", 0, "sector"), "choice", typing.get_args(Sector)),
    (("partners", 0, "met"), "bool", ()),
    (("organisation", "core_objectives"), "texts", ()),
    (("alliance", "motives"), "choices", typing.get_args(typing.get_args(
        schema.annotation_at(("alliance", "motives")))[0])),
    (("alliance", "goals"), "goals", ()),
    (("review", "events"), "items", ()),
    (("governance", "spokesperson"), "person", ()),
    (("disputes", 0, "answers", 0, "value"), "lines_or_text", ()),
    (("governance", "steering_committee"), "section", ()),
    (("governance", "steering_committee", "quorum"), "number", ()),
    (("as_of",), "date", ()),
    (("partners", "*", "contribution"), "text", ()),
])
def test_the_kind_of_each_sort_of_field(path, kind, choices):
    assert schema.kind_of(schema.annotation_at(path)) == (kind, choices)


def test_a_mapping_keyed_by_choices_has_its_keys_as_choices():
    kind, keys = schema.kind_of(schema.annotation_at(("alliance", "motive_evidence")))
    assert kind == "mapping" and "internal_strengthening" in keys
    assert schema.kind_of(schema.annotation_at(("alliance", "motive_evidence", "numbers")))[0] == "text"


def test_no_such_field_is_a_key_error():
    for path in [("partners", "sector"), ("alliance", "nonsense"), ("as_of", 0), ("alliance", "motive_evidence", "x")]:
        with pytest.raises(KeyError):
            schema.annotation_at(path)
        assert schema.annotation_or_none(path) is None


def test_lengths_come_from_the_constraints():
    fields = schema.fields_of(AllianceDocument)
    assert fields["partners"].max_length == limits.MAX_PARTNERS
    assert schema.fields_of(Partner)["name"].max_length == limits.NAME_MAX_CHARS
    assert schema.fields_of(Partner)["contribution"].max_length == limits.TEXT_MAX_CHARS
    assert schema.fields_of(Partner)["met"].max_length is None
    assert fields["organisation"].required and not fields["partners"].required


def test_a_sections_fields_required_first_and_its_field_names():
    assert schema.field_paths(("review", "events", 0))[0] == ("review", "events", 0, "kind")
    assert schema.field_names(("partners", 3, "government")) == list(schema.fields_of(
        schema.annotation_at(("partners", 0, "government"))))
    assert schema.field_names(("partners", 0, "name")) == []
    assert schema.field_names(("nonsense",)) == []


def test_every_leaf_is_worded_in_the_knowledge_base():
    fields = knowledge.fields()
    missing = [schema.wording_key(path) for path in LEAVES
               if schema.kind_of(schema.annotation_at(path[:-1]))[0] != "mapping"
               and schema.wording_key(path) not in fields]
    assert not missing
    assert schema.wording_key(("partners", 4, "private", "goals", "*", "by")) == "partners[].private.goals[].by"


def test_the_writer_grows_lists_and_makes_sections():
    data: dict = {}
    schema.write(data, ("partners", 2, "government", "approach"), "mixed")
    assert data == {"partners": [{}, {}, {"government": {"approach": "mixed"}}]}
    schema.write(data, ("partners", 3), {"name": "Acme"})
    assert schema.value_at(data, ("partners", 3, "name")) == "Acme"
    schema.write(data, ("alliance", "goals", 0), "a goal")
    assert data["alliance"] == {"goals": ["a goal"]}
    schema.write(data, ("alliance", "goals", 0, "by"), "2027-06")  # a goal written as its sentence gets a date
    assert data["alliance"] == {"goals": [{"goal": "a goal", "by": "2027-06"}]}


def test_the_writer_removes_and_forgets():
    data = {"partners": [{"name": "A", "met": True}, {"name": "B"}]}
    schema.write(data, ("partners", 0), schema.REMOVED)
    assert data == {"partners": [{"name": "B"}]}
    copy = schema.with_value(data, ("partners", 0, "name"), None)
    assert copy == {"partners": [{}]} and data == {"partners": [{"name": "B"}]}  # a copy: the original is kept
    schema.write(data, ("partners", 0, "name"), None, none_removes=False)
    assert data == {"partners": [{"name": None}]}  # a round-trip file keeps the key, as null
    schema.write(data, ("partners", 0, "met"), None, none_removes=False)
    assert "met" not in data["partners"][0]  # a key that was not there is not added


def test_the_reader_finds_nothing_where_nothing_is():
    data = {"partners": [{"name": "A"}], "alliance": "not a section"}
    assert schema.value_at(data, ("partners", 0, "name")) == "A"
    for path in [("partners", 1, "name"), ("partners", "name"), ("alliance", "name"), ("governance", "x")]:
        assert schema.value_at(data, path) is None


def _fitting(draw, path: tuple):
    """A value the model accepts at ``path``."""
    owner = schema.annotation_at(path[:-1])
    if schema.kind_of(owner)[0] == "mapping":
        return "two staff seconded"
    if path[0] == "evidence" and path[-1] == "fact":  # the evidence behind a fact names a fact path of the model
        return draw(st.sampled_from(["alliance.name", "partners[0].sector", "organisation.core_objectives"]))
    spec = schema.fields_of(owner)[path[-1]]
    return draw(values(spec.annotation, spec.name))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_every_leaf_written_then_read_gives_it_back_and_the_document_validates(data):
    path = data.draw(st.sampled_from(LEAVES), label="path")
    document = data.draw(documents(AllianceDocument))
    for depth, part in enumerate(path):
        if isinstance(part, int) and schema.value_at(document, path[:depth + 1]) is None:
            # an item the path goes through: made whole first (the list grows to hold it)
            item = data.draw(documents(schema.annotation_at(path[:depth + 1])))
            if path[0] == "evidence":  # an entry names a fact path of the model (model_strategies leaves it out)
                item = {**item, "fact": "alliance.name"}
            schema.write(document, path[:depth + 1], item)
    answer = _fitting(data.draw, path)
    written = schema.with_value(document, path, answer)
    assert schema.value_at(written, path) == answer
    validated = AllianceDocument.model_validate(written)
    assert schema.value_at(validated.model_dump(), path) == answer
