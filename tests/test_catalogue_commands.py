"""`tahaluf rules`, `explain`, `guide`, `schema` and `init` through the real CLI."""

from __future__ import annotations

import json

from tahaluf.cli import main
from tahaluf.rules.base import REGISTRY


def test_rules_json_lists_every_rule(capsys):
    assert main(["rules", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["code"] for r in rows} == set(REGISTRY)
    pr01 = next(r for r in rows if r["code"] == "PR01")
    assert pr01 == {**pr01, "name": "private-goals-and-timeline", "severity": "blocker", "guidance": ["G-PRV-2"]}


def test_explain_prints_the_guide_in_both_languages(capsys):
    assert main(["explain", "pa01"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("PA01 (no-core-concession)")
    assert "Concessions must not touch the core" in out
    assert "صميم الأهداف المركزية" in out


def test_explain_unknown_code_is_a_usage_error(capsys):
    assert main(["explain", "ZZ99"]) == 2
    assert "no rule 'ZZ99'" in capsys.readouterr().err


def test_guide_json_is_the_traceability_matrix(capsys):
    assert main(["guide", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["items"]) == 63
    prv2 = next(i for i in data["items"] if i["id"] == "G-PRV-2")
    assert "PR01" in prv2["rules"] and prv2["background"] is None
    for item in data["items"]:
        assert set(item) >= {"id", "rules", "background"}
        assert item["rules"] or item["background"]


def test_schema_is_json_schema_of_the_input(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["required"] == ["organisation", "alliance"]
    assert schema["additionalProperties"] is False


def test_init_writes_a_template_that_evaluates(tmp_path, capsys):
    target = tmp_path / "alliance.yaml"
    assert main(["init", str(target)]) == 0
    assert main(["init", str(target)]) == 2  # never overwrites silently
    assert main(["evaluate", str(target), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["verdict"] == "conditions"  # everything unknown: establish the facts first
    assert report["not_assessed"]


def test_the_template_evaluated_as_written_states_nothing(tmp_path):
    """`tahaluf init`'s file, evaluated before anything is filled in, fails no check."""
    from tahaluf.evaluation import evaluate_file

    path = tmp_path / "alliance.yaml"
    assert main(["init", str(path)]) == 0
    evaluation = evaluate_file(path)
    assert [f.rule for f in evaluation.inference.findings if f.status == "fail"] == []
    assert evaluation.verdict == "conditions"  # everything is unknown: establish, never proceed


def test_the_template_lists_every_field_of_the_schema():
    import re
    import typing

    from pydantic import BaseModel

    from tahaluf import knowledge
    from tahaluf.model import AllianceDocument

    template = (knowledge.HERE / "alliance-template.yaml").read_text(encoding="utf-8")
    keys = set(re.findall(r"^[ #-]*([a-z_]+):", template, flags=re.M))

    def models(annotation):
        for arg in (typing.get_args(annotation) or (annotation,)):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                yield arg
            elif typing.get_args(arg):
                yield from models(arg)

    missing, seen, todo = [], set(), [AllianceDocument]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, field in model.model_fields.items():
            if name not in keys:
                missing.append(f"{model.__name__}.{name}")
            todo.extend(models(field.annotation))
    assert missing == []
