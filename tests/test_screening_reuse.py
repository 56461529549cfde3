"""Reusing checks' outcomes changes nothing: a few thousand random candidates screened both ways.

One way reuses what earlier candidates taught (screening/reuse.py: each check's outcome by
the facts it reads, verdicts by dimension); the other runs a fresh engine for every
candidate (``reuse=False``, ``cache_size=0``). The candidates are drawn over every column
the model gives a candidates file (so a new fact is drawn without editing this file), with
blanks, Arabic and English answers, goals, lists and texts.
"""

from __future__ import annotations

import csv
import random
import typing
from pathlib import Path

import pytest
from model_strategies import unwrap
from support import EXAMPLES

from tahaluf.model import Concession, GovernmentTerms, Partner, PrivateTerms
from tahaluf.screening import COLUMNS, inference, parse_row, profile_key, screen_file
from tahaluf.screening.pipeline import load_context

ORG = EXAMPLES / "screening-org.yaml"
CORE_OBJECTIVES = load_context(ORG)[0].core_objectives
MODELS = {"": Partner, "government": GovernmentTerms, "private": PrivateTerms, "concession": Concession}
TEXTS = ["Field data from clinics", "بيانات ميدانية", "Legal analysis"]
GOALS = ["Train 400 workers by 2028", "Raise awareness", "خفض الأسعار 10% بحلول 2027"]
BLANK_SHARE = 0.35


def _cell(rng: random.Random, column: str, concession: bool) -> str:
    section, field, _ = COLUMNS[column]
    if field == "name" or (section == "concession" and not concession):
        return ""
    if column == "concession.what":
        return rng.choice(TEXTS)  # a concession is what it asks
    if rng.random() < BLANK_SHARE:
        return ""
    if column == "concession.core_objective":
        return rng.choice(CORE_OBJECTIVES)  # one of ours (another is a rejected row)
    annotation = MODELS[section].model_fields[field].annotation
    kind = rng.choice(unwrap(annotation))
    origin = typing.get_origin(kind)
    if kind is bool:
        return rng.choice(["yes", "no", "نعم", "لا", "yes"])
    if origin is typing.Literal:
        return rng.choice(typing.get_args(kind))
    if origin is list:
        (item,) = typing.get_args(kind)
        options = [value for choice in unwrap(item) if typing.get_origin(choice) is typing.Literal
                   for value in typing.get_args(choice)]
        if options:
            return "; ".join(rng.sample(options, rng.randint(0, min(3, len(options)))))
        if field == "goals":
            return "; ".join(rng.sample(GOALS, rng.randint(1, 2)))
        return "; ".join(rng.sample(TEXTS, rng.randint(0, 2)))
    if kind is str:
        return rng.choice(TEXTS + [" "])
    return ""


def random_rows(count: int, seed: int) -> tuple[list[str], list[list[str]]]:
    rng = random.Random(seed)
    header = list(COLUMNS)
    rows = []
    for index in range(count):
        concession = rng.random() < 0.4
        row = [_cell(rng, column, concession) for column in header]
        row[header.index("name")] = f"Candidate {index}"
        rows.append(row)
    return header, rows


def write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_a_few_thousand_random_candidates_screen_the_same_with_reuse_and_with_a_fresh_engine_each(tmp_path):
    header, rows = random_rows(3000, seed=11)
    source = write(tmp_path / "candidates.csv", header, rows)
    reused, fresh = tmp_path / "reused.csv", tmp_path / "fresh.csv"
    reused_summary = screen_file(source, ORG, output=str(reused), jobs=2, progress=False)
    fresh_summary = screen_file(source, ORG, output=str(fresh), jobs=2, progress=False, reuse=False, cache_size=0)
    # Statuses, scores, failed and open rules, guidance and reasons, row by row, ranked the same.
    assert reused.read_bytes() == fresh.read_bytes()
    assert reused_summary.rejected == fresh_summary.rejected
    assert reused_summary.counts == fresh_summary.counts and reused_summary.reasons == fresh_summary.reasons
    assert len({row[header.index("sector")] for row in rows}) > 5 and sum(reused_summary.counts.values()) > 2500
    # The point of it: many distinct profiles were judged without an engine run, even in a
    # file as varied as this one (every column drawn independently).
    assert fresh_summary.engine_runs == fresh_summary.inferences > 2500
    assert reused_summary.inferences == fresh_summary.inferences
    assert reused_summary.engine_runs < 0.75 * reused_summary.inferences


def test_a_worker_judges_profiles_the_same_from_reused_outcomes_and_from_fresh_runs(tmp_path):
    """The worker's own reuse (profiles sent before the screener learned): verdict by verdict."""
    header, rows = random_rows(1500, seed=12)
    organisation, alliance = load_context(ORG)
    core = frozenset(organisation.core_objectives or ())
    keys = []
    for row in rows:
        parsed = parse_row(dict(zip(header, row)), True, core)
        if not isinstance(parsed, list):
            keys.append(profile_key(*parsed))
    keys = list(dict.fromkeys(keys))
    assert len(keys) > 1000
    context = (organisation.model_dump(mode="python"), alliance.model_dump(mode="python"))
    inference.prepare(*context, reuse=True)
    reused = inference.judge_keys(keys)
    reuse = inference._WORKER["reuse"]
    inference.prepare(*context, reuse=False)
    fresh = inference.judge_keys(keys)
    assert [v._replace(findings=None) for v in reused] == [v._replace(findings=None) for v in fresh]
    assert reuse.hits > 0.3 * len(keys)  # many were lookups, in a file this varied


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_shipped_example_screens_the_same_with_and_without_reuse(tmp_path, jobs):
    outputs = []
    for reuse in (True, False):
        out = tmp_path / f"{reuse}-{jobs}.csv"
        screen_file(EXAMPLES / "candidates.csv", ORG, output=str(out), jobs=jobs, progress=False, reuse=reuse)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
