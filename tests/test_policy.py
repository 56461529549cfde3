"""The organisation's own policy (issue 25): the file, its condition language, and what it may and may
not do to the guide's verdict."""

from __future__ import annotations

import copy
import hashlib
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import build_document
from test_soundness import partial_and_full

from tahaluf.cli import main
from tahaluf.consultation import consult
from tahaluf.evaluation import evaluate_document, evaluate_file
from tahaluf.policy import check_policy, load_policy
from tahaluf.policy.examples import run_examples
from tahaluf.policy.model import LOGIC, OPERATORS, leaves
from tahaluf.reports.render import render_report

HERE = Path(__file__).parent
EXAMPLE = HERE.parent / "examples" / "policies" / "policy.yaml"  # beside, not among, the alliance files
OPERATORS_FILE = HERE / "policy" / "operators.yaml"
SETTINGS = {"deadline": None, "derandomize": True, "max_examples": 60,
            "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}


# The condition language: every operator fails, passes and stays unknown ---------------------------


def test_every_operator_has_a_failing_a_passing_and_an_open_case():
    policy = load_policy(OPERATORS_FILE)
    results = run_examples(policy)
    assert [r.example.name for r in results if not r.passed] == []
    seen: dict[str, set[str]] = {}
    for example in policy.examples:
        for outcome, ids in example.expect.items():
            for rule_id in ids:
                seen.setdefault(rule_id, set()).add(outcome)
    ops = {}
    for rule in policy.rules:
        top = rule.fails_when
        op = top.op  # a test's operator, or all/any/not
        ops.setdefault(op, set()).update(seen.get(rule.id, set()))
    assert set(ops) >= {*OPERATORS, *LOGIC}
    for op, outcomes in ops.items():
        # `unknown:` is always known itself; its open case is the rule testing `unknown: false` (P7)
        wanted = {"fail", "pass"} if op == "unknown" else {"fail", "pass", "unknown"}
        assert outcomes >= wanted, (op, outcomes)
    unknown_tests = [rule for rule in policy.rules if any(leaf.op == "unknown" for leaf in leaves(rule.fails_when))]
    assert set().union(*(seen[rule.id] for rule in unknown_tests)) == {"fail", "pass", "unknown"}


def test_a_wrong_expectation_fails_the_policy_test(tmp_path, capsys):
    broken = tmp_path / "policy.yaml"
    broken.write_text(OPERATORS_FILE.read_text(encoding="utf-8").replace(
        "expect: {fail: [P6]}", "expect: {pass: [P6]}"), encoding="utf-8")
    assert main(["policy", "test", str(broken)]) == 1
    out = capsys.readouterr().out
    assert re.search(r"^L: +\d+ \| FAIL \| the unknown test fails while unknown", out, re.M)
    assert "P6: expected pass, got fail" in out and out.rstrip().endswith("4 passed, 1 failed")


# The shipped example policy ----------------------------------------------------------------------


def test_the_example_policy_checks_and_passes_its_own_tests(capsys):
    policy = load_policy(EXAMPLE)
    assert len(policy.rules) >= 10
    assert all(rule.title["en"] and rule.title["ar"] and rule.text["en"] and rule.text["ar"] for rule in policy.rules)
    assert {rule.severity for rule in policy.rules} == {"red_line", "condition", "note"}
    assert main(["policy", "check", str(EXAMPLE)]) == 0
    assert main(["policy", "test", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "ok (10 rules" in out and "FAIL" not in out


# policy check: every problem at once, FILE:LINE ----------------------------------------------------

BROKEN = """\
name: broken
rules:
  - id: P1
    title: {en: Arms}
    text: {en: No arms, ar: لا أسلحة}
    severity: redline
    fails_when:
      fact: partners[*].industry
      contains: arms
  - id: P1
    title: {en: x, ar: س}
    text: {en: x, ar: س}
    severity: note
    fails_when:
      any:
        - {fact: "partners[*].on_sanctions_list", equals: maybe}
        - {fact: "partners[*].funding_offered.amount", greater_than: lots}
        - {fact: "alliance.scope", equal: global}
examples:
  - name: x
    given: {}
    expect: {fail: [P9]}
"""


def test_policy_check_names_file_and_line_of_every_problem_with_did_you_mean(tmp_path, capsys):
    path = tmp_path / "policy.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    assert main(["policy", "check", str(path)]) == 2
    lines = capsys.readouterr().out.splitlines()
    assert all(re.match(re.escape(str(path)) + r":\d+: ", line) for line in lines), lines
    wanted = [(4, "the ar text is missing"), (6, "did you mean 'red_line'?"),
              (8, "did you mean 'partners[*].industries'?"), (10, "P1 is used by an earlier rule"),
              (16, "'maybe' is not yes/no"), (17, "valid integer"), (18, "did you mean 'equals'?"),
              (22, "'P9' is not a rule of this policy")]
    for line, problem in wanted:
        assert any(text.startswith(f"{path}:{line}: ") and problem in text for text in lines), (line, problem, lines)
    with pytest.raises(Exception) as raised:
        evaluate_with_policy_option(path)
    assert f"{path}:6:" in str(raised.value)


def evaluate_with_policy_option(policy_path):
    """What `evaluate --policy` does first: the policy read, or the error that names its line."""
    from tahaluf.cli_policy import load_policy_option

    return load_policy_option(str(policy_path))


_MUTATIONS = [
    ("fact: \"partners[*].sector\"", "fact: \"partners[*].sectr\""),
    ("severity: condition", "severity: conditon"),
    ("equals: private", "equal: private"),
    ("in: [medium, high]", "in: [medium, hihg]"),
    ("greater_than: 1000", "greater_than: a lot"),
    ("title: {en: any, ar: أيّ}", "title: {en: any}"),
    ("id: P12", "id: Q12"),
    ("less_than: 3}", "less_than: 3, currency: usd}"),
]


@settings(**{**SETTINGS, "max_examples": 30})
@given(st.lists(st.sampled_from(_MUTATIONS), min_size=1, max_size=4, unique=True))
def test_every_policy_mistake_is_reported_with_file_and_line(mutations):
    text = OPERATORS_FILE.read_text(encoding="utf-8")
    for old, new in mutations:
        text = text.replace(old, new, 1)
    folder = Path(__import__("tempfile").mkdtemp())
    path = folder / "mutated.yaml"
    path.write_text(text, encoding="utf-8")
    read = check_policy(path)
    assert read.policy is None and len(read.problems) >= len(mutations)
    for problem in read.problems:
        assert re.match(re.escape(str(path)) + r":\d+: ", str(problem)), str(problem)


# The policy in the engine: it only adds findings ---------------------------------------------------


def _guide_findings(evaluation):
    policy = evaluation.policy
    ids = set(policy.by_id) if policy else set()
    return sorted((f.rule, f.subject, f.status, f.severity, f.evidence) for f in evaluation.inference.findings
                  if f.rule not in ids)


@settings(**SETTINGS)
@given(partial_and_full())
def test_a_policy_never_changes_a_guide_finding_nor_lifts_a_red_flag(drawn):
    partial = drawn[0]
    document = build_document(copy.deepcopy(partial))
    policy = load_policy(EXAMPLE)
    alone, judged = evaluate_document(document), evaluate_document(document, policy=policy)
    assert _guide_findings(alone) == _guide_findings(judged)
    if alone.verdict == "do_not_proceed":
        assert judged.verdict == "do_not_proceed"
    order = ("proceed", "conditions", "do_not_proceed")
    assert order.index(judged.verdict) >= order.index(alone.verdict)


_RED_LINE_FACTS = ["partners[*].on_sanctions_list", "partners[*].child_or_forced_labour_allegations",
                   "partners[*].human_rights_abuse_allegations", "partners[*].board_approved",
                   "concessions[*].can_live_with", "alliance.committed_to_goal", "engagement.reciprocity"]


def _red_line(fact: str, value: str, negate: bool) -> str:
    test = f'{{fact: "{fact}", equals: "{value}"}}'
    condition = f"{{not: {test}}}" if negate else test
    return (f"rules:\n  - id: P1\n    title: {{en: t, ar: ع}}\n    text: {{en: t, ar: ع}}\n"
            f"    severity: red_line\n    fails_when: {condition}\n")


@settings(**SETTINGS)
@given(partial_and_full(), st.sampled_from(_RED_LINE_FACTS), st.sampled_from(["yes", "no"]), st.booleans(),
       st.data())
def test_an_unknown_fact_of_a_policy_red_line_never_gives_proceed(drawn, fact, value, negate, data):
    partial = drawn[0]
    folder = Path(__import__("tempfile").mkdtemp())
    (folder / "p.yaml").write_text(_red_line(fact, value, negate), encoding="utf-8")
    policy = load_policy(folder / "p.yaml")
    found = evaluate_document(build_document(copy.deepcopy(partial)), policy=policy)
    mine = [f for f in found.inference.findings if f.rule == "P1"]
    if any(f.status == "not_assessed" for f in mine):
        assert found.verdict != "proceed"
        assert any(c.kind == "establish" and c.because[0] in {f.id for f in mine} for c in found.inference.conditions)
    if any(f.status == "fail" for f in mine):
        assert found.verdict == "do_not_proceed"
    if found.verdict == "proceed":  # then no answer to the facts it reads can fail it
        completed = copy.deepcopy(partial)
        section, _, field = fact.partition("[*].") if "[*]" in fact else fact.partition(".")
        items = completed.get(section) if "[*]" in fact else [completed.setdefault(section, {})]
        for item in items or ():
            if item.get(field) is None:
                item[field] = data.draw(st.sampled_from([True, False]))
        after = evaluate_document(build_document(completed), policy=policy)
        assert all(f.status != "fail" for f in after.inference.findings if f.rule == "P1")


# In the views: cited as the policy, never as the guide; hashed in the stamp --------------------------

ACME = {"organisation": {"name": "Our NGO", "currency": "USD"}, "alliance": {"name": "Clean Water"},
        "partners": [{"name": "Acme Tobacco", "sector": "private", "industries": ["tobacco"]}]}


def test_a_policy_red_line_is_a_red_flag_cited_as_the_policy_in_json_markdown_and_the_stamp():
    policy = load_policy(EXAMPLE)
    evaluation = evaluate_document(build_document(copy.deepcopy(ACME)), policy=policy)
    assert evaluation.verdict == "do_not_proceed"
    data = json.loads(render_report(evaluation, "json", "en"))
    p2 = next(f for f in data["findings"] if f["rule"] == "P2")
    assert p2["source"] == "policy" and p2["guidance"] == [] and p2["severity"] == "blocker"
    assert p2["policy"]["cited"] == "Your policy: P2 — No tobacco industry"
    assert data["policy"]["sha256"] == hashlib.sha256(EXAMPLE.read_bytes()).hexdigest()
    assert next(s for s in data["next_steps"] if s["rule"] == "P2")["source"] == "policy"
    for lang in ("en", "ar"):
        text = render_report(evaluation, "md", lang)
        cited = {"en": "Your policy: P2 — No tobacco industry", "ar": "سياستكم: P2 — لا شراكة مع صناعة التبغ"}[lang]
        assert cited in text and policy.sha256 in text
        assert "G-" not in next(line for line in text.splitlines() if cited in line)


@pytest.mark.parametrize("name", ["core-concession.yaml", "climate-labour-alliance.yaml"])
def test_without_a_policy_the_json_says_nothing_of_one(name):
    data = json.loads(render_report(evaluate_file(HERE.parent / "examples" / name), "json", "en"))
    assert "policy" not in data and all("source" not in f for f in data["findings"] + data["not_assessed"])


def test_the_consultation_asks_the_facts_an_open_policy_rule_reads():
    policy = load_policy(EXAMPLE)
    data = copy.deepcopy(ACME)
    data["partners"][0]["industries"] = ["retail"]
    current = consult(build_document(data), policy=policy)
    asked = {q.path: q for q in current.questions}
    assert "partners[0].on_sanctions_list" in asked and "P3" in asked["partners[0].on_sanctions_list"].rules
    assert current.verdict == "conditions" and not current.settled
    assert "partners[0].on_sanctions_list" in {q.path for q in current.deciding}


def test_screening_applies_the_policy_per_candidate(tmp_path):
    from tahaluf.screening import screen_file

    candidates = tmp_path / "c.csv"
    candidates.write_text("name,sector,industries,on_sanctions_list\nAcme Arms,private,arms,no\n"
                          "Water Union,union,,no\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    screen_file(candidates, HERE.parent / "examples" / "screening-org.yaml", output=str(out), jobs=1,
                progress=False, policy=load_policy(EXAMPLE))
    rows = {row.split(",")[2]: row for row in out.read_text(encoding="utf-8").splitlines()[1:]}
    assert ",excluded," in rows["Acme Arms"]
    assert "goes against your policy: No arms or weapons makers" in rows["Acme Arms"]
    assert ",excluded," not in rows["Water Union"]


def test_the_readme_policy_example_runs_as_written(capsys):
    from support import ROOT

    block = (ROOT / "README.md").read_text(encoding="utf-8").split("<!-- policy-example -->", 1)[1]
    lines = block.split("```sh\n", 1)[1].split("\n```", 1)[0].strip().splitlines()
    assert len(lines) == 4
    import os
    import shlex

    here = os.getcwd()
    os.chdir(ROOT)
    try:
        for line in lines:
            words = shlex.split(line.split("#", 1)[0])
            assert words[0] == "tahaluf" and main(words[1:]) == 0, line
    finally:
        os.chdir(here)
    out = capsys.readouterr().out
    assert "5 passed, 0 failed" in out and "Your policy: P" in out


def test_the_web_workspace_judges_its_policy(tmp_path):
    import yaml
    from starlette.testclient import TestClient

    from tahaluf.web import work
    from tahaluf.web.app import create_app

    workspace = tmp_path / "space"
    workspace.mkdir()
    (workspace / "acme.yaml").write_text(yaml.safe_dump(ACME, allow_unicode=True), encoding="utf-8")
    try:
        client = TestClient(create_app(workspace, workers=0, policy=load_policy(EXAMPLE)))
        page = client.get("/a/acme.yaml/report").text
        assert "Your policy: P2 — No tobacco industry" in page
        assert client.get("/a/acme.yaml").status_code == 200
        consultation = work.where(workspace / "acme.yaml", "acme.yaml")[2]  # what the question page asks
        assert "partners[0].on_sanctions_list" in {q.path for q in consultation.questions}
    finally:
        work._SETTINGS["policy"] = None  # the server's setting: not for the next test's server
