"""Each partner-level check reads only what it declares (``@check(reads=...)``).

Screening reuses a check's outcome for every candidate that agrees with an earlier one on
the facts the check declares it reads (screening/reuse.py). That is honest only if the
outcome truly depends on nothing else: for every partner-level check, two candidates are
drawn from the model itself (partner, its government and private terms, the concession,
the alliance, our organisation), the second is given the first's values for exactly the
declared reads, and the check's findings — status, severity, subject, evidence, message
parameters, conditions — must come out the same from a real engine.
"""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from model_strategies import model_data

from tahaluf.model import Alliance, Concession, Organisation, Partner
from tahaluf.rules import load_all
from tahaluf.rules.base import GIVEN, REGISTRY
from tahaluf.rules.base import given as given_read
from tahaluf.rules.declare import candidate_facts
from tahaluf.rules.engine import infer

load_all()
PARTNER_CHECKS = sorted(code for code, spec in REGISTRY.items() if spec.partner_level)
SETTINGS = {"deadline": None, "derandomize": True, "max_examples": 50,
            "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
            "phases": [Phase.explicit, Phase.reuse, Phase.generate]}
STATES = ("unknown", "none", "one")  # the concessions left out, none asked, one asked


@st.composite
def candidates(draw) -> dict:
    return {"organisation": model_data(draw, Organisation), "alliance": model_data(draw, Alliance),
            "partner": model_data(draw, Partner), "concession": model_data(draw, Concession),
            "concessions": draw(st.sampled_from(STATES))}


def _given(section: dict | None) -> bool:
    """What a ``given:`` read sees: whether any fact of the section is given."""
    return bool(section) and any(value is not None for value in section.values())


def _set(data: dict, key: str, source: dict) -> None:
    if key in source:
        data[key] = copy.deepcopy(source[key])
    else:
        data.pop(key, None)


def with_reads_of(first: dict, second: dict, reads) -> dict:
    """``second`` with ``first``'s values for exactly the facts in ``reads``."""
    mixed = copy.deepcopy(second)
    mixed["partner"]["name"] = first["partner"]["name"]  # who it is, not a fact about it
    for read in reads:
        if read.startswith(GIVEN):
            section = read[len(GIVEN):].split(".")[1]
            if _given(first["partner"].get(section)) != _given(mixed["partner"].get(section)):
                _set(mixed["partner"], section, first["partner"])
            continue
        root, *path = read.split(".")
        if root == "concessions":
            mixed["concessions"] = first["concessions"]
        elif root == "concession":
            mixed["concessions"] = first["concessions"]
            _set(mixed["concession"], path[0], first["concession"])
        elif root in ("alliance", "organisation"):
            _set(mixed[root], path[0], first[root])
        elif len(path) == 1:  # partner.field, or a whole section
            _set(mixed["partner"], path[0], first["partner"])
        else:  # partner.section.field: the section may be absent on either side
            section, field = path
            if field in (first["partner"].get(section) or {}):
                mixed["partner"].setdefault(section, {})[field] = copy.deepcopy(first["partner"][section][field])
            elif mixed["partner"].get(section):
                mixed["partner"][section].pop(field, None)
    return mixed


def run(candidate: dict):
    """The partner-level engine's findings on one candidate."""
    concessions = {"unknown": None, "none": [], "one": [Concession(**candidate["concession"])]}
    declared = candidate_facts(Organisation(**candidate["organisation"]), Alliance(**candidate["alliance"]),
                               Partner(**candidate["partner"]), concessions[candidate["concessions"]])
    return infer(declared, level="partner").findings


def findings_of(code: str, findings) -> list[tuple]:
    return [(f.status, f.severity, f.subject, f.evidence, f.params, f.applies_if) for f in findings if f.rule == code]


def outcome_unchanged(code: str, reads, first: dict, second: dict) -> bool:
    return findings_of(code, run(first)) == findings_of(code, run(with_reads_of(first, second, reads)))


@settings(**SETTINGS)
@given(first=candidates(), second=candidates())
def test_every_partner_level_check_depends_on_nothing_it_does_not_declare(first, second):
    found = run(first)
    for code in PARTNER_CHECKS:
        mixed = with_reads_of(first, second, REGISTRY[code].reads)
        assert findings_of(code, found) == findings_of(code, run(mixed)), code


def _candidate(partner: dict, concession: dict | None = None) -> dict:
    return {"organisation": {"name": "Test NGO", "core_objectives": ["independent advocacy"]},
            "alliance": {"name": "Test alliance"}, "partner": {"name": "Acme", **partner},
            "concession": concession or {"what": "Soften our statements"},
            "concessions": "one" if concession else "unknown"}


# Two candidates that differ in one fact a check reads, that fact, and the check.
CONTROLS = [
    ("PA07", "partner.weaknesses", {"strengths": ["reach"], "contribution": "Field data"},
     {"strengths": ["reach"], "contribution": "Field data", "weaknesses": ["slow"]}, None, None),
    ("PR01", "partner.private.goals", {"sector": "private", "private": {"timeline_agreed": True, "goals": ["Be kind"]}},
     {"sector": "private", "private": {"timeline_agreed": True, "goals": ["Train 400 workers by 2028"]}}, None, None),
    ("PA01", "concession.core_objective", {}, {},
     {"what": "Stop reports", "touches_core_objective": True, "core_objective": "independent advocacy"},
     {"what": "Stop reports", "touches_core_objective": True}),
    ("CX04", given_read("partner.private"), {"sector": "ngo", "private": {"timeline_agreed": True}},
     {"sector": "ngo"}, None, None),
]


@pytest.mark.parametrize("code, left_out, first, second, first_concession, second_concession", CONTROLS,
                         ids=[control[0] for control in CONTROLS])
def test_the_property_catches_a_read_left_out(code, left_out, first, second, first_concession, second_concession):
    """The control: the same pair passes with the check's declared reads and fails with one left out."""
    first, second = _candidate(first, first_concession), _candidate(second, second_concession)
    reads = [read for read in REGISTRY[code].reads if read != left_out]
    assert len(reads) == len(REGISTRY[code].reads) - 1
    assert outcome_unchanged(code, REGISTRY[code].reads, first, second)
    assert not outcome_unchanged(code, reads, first, second)


def test_every_partner_level_check_declares_reads_a_screening_key_can_answer():
    from tahaluf.screening.inference import new_reuse

    reuse = new_reuse()
    assert [code for code, _ in reuse.checks] == [c for c in REGISTRY if REGISTRY[c].partner_level]
    assert all(REGISTRY[code].reads for code in PARTNER_CHECKS)


def test_a_read_that_names_no_fact_is_refused_at_once():
    from tahaluf.screening.reuse import Layout

    layout = Layout()
    for bad in ("partner.colour", "partner.government.mood", "alliance.weather", given_read("partner.nothing")):
        with pytest.raises(ValueError, match="XX01: reads"):
            layout.projection("XX01", [bad])
    with pytest.raises(ValueError, match="must declare the facts it reads"):
        from tahaluf.rules.base import check

        check("XX02", "no-reads", guidance=["G-PAR-4"], dimension="partners_due_diligence", when=[],
              partner_level=True)
