"""How many questions a consultation asks before its verdict is settled (benchmarks/consultation.py).

A simulated director knows the truth (a complete document) and answers each question the
consultation asks, in its order, with the truth's value — or "don't know" when the truth has
none (the question is then passed, as the interview passes it). Two counts per case: the
questions asked until the verdict is *settled*, and until no question that could change the
verdict is left unasked ("only refining": the interview's offer to stop). A case that never
gets there counts its cap.

Cases: the empty template answered "yes / the first choice" throughout (a director who knows
nothing yet); each shipped example, started from its names only with the example as the
truth; and generated truths (seeded: the same cases on every branch).
"""

from __future__ import annotations

import copy
import random
import typing
from datetime import date
from pathlib import Path

from pydantic import BaseModel

from tahaluf import consultation
from tahaluf.consultation import answer_value, consult, document_of, value_at, with_answer
from tahaluf.loader import load_yaml
from tahaluf.model import Alliance, AllianceDocument, Concession, Organisation, Partner

ROOT = Path(__file__).resolve().parent.parent
CAP = 150
OBJECTIVES = ["independent advocacy", "community health"]
# Example files that are not one alliance's assessment.
NOT_ALLIANCES = ("screening-org.yaml",)
NOT_ASKED = ("respondent", "respondents", "disputes", "as_of")


def _names_only(truth: dict) -> dict:
    """Where a director starts: our name and core objectives, the alliance's and partners' names."""
    start = {"organisation": {"name": truth["organisation"]["name"]}, "alliance": {"name": truth["alliance"]["name"]}}
    if truth["organisation"].get("core_objectives"):
        start["organisation"]["core_objectives"] = list(truth["organisation"]["core_objectives"])
    if truth.get("partners"):
        start["partners"] = [{"name": p["name"]} for p in truth["partners"]]
    return start


def _known(truth: dict | None, parts: tuple) -> typing.Any:
    """The truth's answer at ``parts`` (None: the director does not know)."""
    if truth is None:
        return None
    value = value_at(truth, parts)
    return copy.deepcopy(value) if value is not None else None


def known_answer(truth: dict | None, question) -> typing.Any:
    """The director's answer: the truth's (None: don't know); with no truth, yes / the first choice / a sentence."""
    if truth is not None:
        return _known(truth, question.parts)
    answer = answer_value(question, question.answers()[0])
    if question.kind in ("text", "person") and not answer:
        answer = answer_value(question, question.answers()[-1])
    return answer


def _still_deciding(current, passed: set[str]) -> tuple:
    if hasattr(consultation, "still_deciding"):
        return consultation.still_deciding(current, passed)
    return tuple(q for q in current.deciding if q.path not in passed)  # before the moving count


def walk(start: dict, truth: dict | None) -> tuple[int, int, str]:
    """(questions to settled, questions to only refining, final verdict) for one director."""
    data, passed, asked = copy.deepcopy(start), set(), 0
    refining_at = None
    while asked < CAP:
        current = consult(data)
        if refining_at is None and not _still_deciding(current, passed):
            refining_at = asked
        if current.settled:
            return asked, refining_at, current.verdict
        question = next((q for q in current.questions if q.path not in passed), None)
        if question is None:
            break
        asked += 1
        answer = known_answer(truth, question)
        if answer is None:
            passed.add(question.path)
            continue
        try:
            answered = with_answer(data, question.parts, answer)
            document_of(answered)
        except Exception:  # an answer the truth cannot give here (a list item beyond the truth's): don't know
            passed.add(question.path)
            continue
        data = answered
    return CAP if asked >= CAP else asked, refining_at if refining_at is not None else asked, consult(data).verdict


def _value(rng: random.Random, annotation, name: str):
    kinds = _unwrap(annotation)
    kind = rng.choice(kinds)
    origin = typing.get_origin(kind)
    if kind is bool:
        return rng.choice([True, True, False])
    if origin is typing.Literal:
        return rng.choice(typing.get_args(kind))
    if kind is int:
        return rng.randint(1, 9)
    if kind is date:
        return f"2027-{rng.randint(1, 12):02d}-01"
    if kind is str:
        return rng.choice(["A regional survey", "Ministry of Labour", "Water Union"])
    if origin is list:
        (item,) = typing.get_args(kind)
        return [_value(rng, item, name) for _ in range(rng.randint(0, 2))]
    if origin is dict:
        keys, item = typing.get_args(kind)
        chosen = rng.sample(typing.get_args(_unwrap(keys)[0]), rng.randint(0, 2))
        return {key: _value(rng, item, name) for key in chosen}
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return _model(rng, kind)
    return None


def _unwrap(annotation) -> list:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, __import__("types").UnionType):
        return [t for arg in typing.get_args(annotation) for t in _unwrap(arg) if t is not type(None)]
    return [annotation]


def _model(rng: random.Random, model: type[BaseModel]) -> dict:
    data = {}
    for name, field in model.model_fields.items():
        if name in NOT_ASKED or name == "timeline":
            continue
        if field.is_required() or rng.random() < 0.75:
            value = _value(rng, field.annotation, name)
            if value is not None:
                data[name] = value
    if model is Organisation:
        data.update(name="Test NGO", core_objectives=list(OBJECTIVES))
    if model is Alliance:
        data["name"] = "Test alliance"
    if model is Concession:
        data.setdefault("what", "Soften our statements")
    if model is Partner:
        data["name"] = rng.choice(["Acme", "Ministry of Labour", "Water Union", "Green Hands"])
    return data


def generated(count: int, seed: int = 22) -> list[tuple[str, dict, dict]]:
    """``count`` truths drawn from the input model (seeded), each valid, started from names only."""
    rng, cases = random.Random(seed), []
    while len(cases) < count:
        truth = _model(rng, AllianceDocument)
        for index, partner in enumerate(truth.get("partners") or []):
            partner["name"] = f"{partner['name']} {index}"
        try:
            consult(truth)
        except Exception:  # a drawn combination the loader refuses: draw again
            continue
        cases.append((f"generated-{len(cases)}", _names_only(truth), truth))
    return cases


def cases(count: int) -> list[tuple[str, dict, dict | None]]:
    template, _ = load_yaml((ROOT / "knowledge" / "alliance-template.yaml").read_text(encoding="utf-8"), "template")
    found = [("empty template", template, None)]
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        if path.name in NOT_ALLIANCES:
            continue
        truth, _ = load_yaml(path.read_text(encoding="utf-8"), path.name)
        found.append((path.name, _names_only(truth), truth))
    return found + generated(count)


def report(count: int) -> dict:
    """Questions to settled and to only refining, case by case, with a summary of the generated ones."""
    rows = {}
    for name, start, truth in cases(count):
        settled, refining, verdict = walk(start, truth)
        rows[name] = {"settled": settled, "refining": refining, "verdict": verdict}
    return rows
