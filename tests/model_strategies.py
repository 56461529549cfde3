"""Hypothesis strategies that draw input data from the pydantic model itself: every field of
every section, so a new field is covered without editing a test (test_soundness.py,
test_check_reads.py)."""

from __future__ import annotations

import typing
from datetime import date

from hypothesis import strategies as st
from pydantic import BaseModel

from tahaluf.model import Alliance, Concession, Organisation, Partner

OBJECTIVES = ["independent advocacy", "community health"]


def unwrap(annotation):
    """The concrete types an annotation admits (Optional, Annotated and unions undone)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return [t for arg in typing.get_args(annotation) for t in unwrap(arg) if t is not type(None)]
    return [annotation]


def value(draw, annotation, name: str):
    kind = draw(st.sampled_from(unwrap(annotation)))
    origin = typing.get_origin(kind)
    if kind is bool:
        return draw(st.sampled_from([True, True, False]))
    if origin is typing.Literal:
        return draw(st.sampled_from(typing.get_args(kind)))
    if kind is int:
        return draw(st.integers(1, 9))
    if kind is date:
        return date(2027, draw(st.integers(1, 12)), 1)
    if kind is str:
        if name == "core_objective":
            return draw(st.sampled_from(OBJECTIVES))
        return draw(st.sampled_from(["A regional survey", "Ministry of Labour", "Water Union"]))
    if origin is list:
        (item,) = typing.get_args(kind)
        if name == "core_objectives":
            return list(OBJECTIVES)
        return [value(draw, item, name) for _ in range(draw(st.integers(0, 2)))]
    if origin is dict:
        keys, item = typing.get_args(kind)
        chosen = draw(st.lists(st.sampled_from(typing.get_args(unwrap(keys)[0])), max_size=3, unique=True))
        return {key: value(draw, item, name) for key in chosen}
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return model_data(draw, kind)
    raise AssertionError(f"no generator for {kind!r} ({name})")


def model_data(draw, model: type[BaseModel]) -> dict:
    data = {}
    for name, field in model.model_fields.items():
        if name in ("respondent", "respondents", "disputes", "evidence"):
            # who answered, not what: merging respondents is tests/test_respondents.py's; where a
            # fact came from is tests/test_evidence.py's (an entry names a fact path of its own)
            continue
        if field.is_required() or draw(st.booleans()) or draw(st.booleans()):
            data[name] = value(draw, field.annotation, name)
    if model is Organisation:
        data.update(name="Test NGO", core_objectives=list(OBJECTIVES))
    if model is Alliance:
        data["name"] = "Test alliance"
        data.pop("timeline", None)  # dates are CX03's, not a blocker's: kept out of completions
    if model is Concession:
        data.setdefault("what", "Soften our statements")
    if model is Partner:
        data["name"] = draw(st.sampled_from(["Acme", "Ministry of Labour", "Water Union", "Green Hands"]))
    return data
