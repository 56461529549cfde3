"""Facts as questions and answers, contradictions in words, nothing English in an Arabic report (issue 23).

A report shows every fact a finding rests on as its question and the answer in words
(«التنازل الأول — هل يمسّ أحد أهدافنا المركزية؟ نعم»), the line of the file in a small
note; paths stay in JSON. Every example is rendered and its text searched for paths,
rule slugs and (in Arabic) Latin words that are neither rule codes nor the user's own.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from support import EXAMPLES, build_document, page_text

from tahaluf.evaluation import evaluate_document, evaluate_file
from tahaluf.fact_words import describe_fact
from tahaluf.reports.brief import annex_command
from tahaluf.reports.formats import REPORT_FORMATS
from tahaluf.reports.render import render_report
from tahaluf.rules.base import REGISTRY

ALLIANCES = sorted(p for p in EXAMPLES.glob("*.yaml")
                   if "name" in (yaml.safe_load(p.read_text("utf-8")).get("alliance") or {}))
PATH_LIKE = re.compile(r"[a-z_]+\[(?:\d+|\*)\]|\b[a-z]+\.[a-z]+_[a-z_]+\b")
SLUGS = {spec.name for spec in REGISTRY.values()}
SLUG_LIKE = re.compile(r"\b[a-z]+(?:-[a-z]+){2,}\b")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
# Latin that may stand in an Arabic report: rule and guide codes, the explanation's ids (F12: a finding),
# the provenance (a digest, a version), the tool's name.
CODE = re.compile(r"\b(?:[A-Z]{2}\d{2}|G-[A-Z]+-\d+|[A-Z]\d+)\b|\b[0-9a-f]{12,64}\b|\d+\.\d+(?:\.\d+)?\+\w+")
ALLOWED = {"SHA", "Tahaluf"}


def _sentence(words) -> str:
    about = " — ".join(text for text, _ in words.about)
    return f"{about} — {words.question} {words.answer[0]}" if about else f"{words.question} {words.answer[0]}"


def test_a_fact_reads_as_its_question_and_answer():
    concession = describe_fact("concessions[0].touches_core_objective", True, "ar")
    assert _sentence(concession) == "التنازل الأول — هل يمسّ أحد أهدافنا المركزية؟ نعم"
    assert _sentence(describe_fact("concessions[1].touches_core_objective", True, "en")) == \
        "Second concession — Does it touch one of our core objectives? yes"
    document = build_document({"partners": [{"name": f"P{i}"} for i in range(5)] + [{"name": "Acme"}]})
    goals = describe_fact("partners[5].private.specific_goals_agreed", False, "ar", document)
    assert _sentence(goals) == "Acme — هل اتُّفق معه على أهداف محددة؟ لا"
    assert goals.about == (("Acme", True),)  # the user's name stays a user value (isolated in HTML)
    assert _sentence(describe_fact("partners[2].sector", "research_centre", "ar", document)).endswith("مركز بحوث")
    milestone = describe_fact("alliance.timeline.milestones[0].date", "2027-01-01", "ar")
    assert milestone.about[0][0] == "المحطة الأولى"


def _evaluations():
    for path in sorted((Path(__file__).parent / "rules").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text("utf-8"))["cases"]:
            yield evaluate_document(build_document(case.get("facts") or {}))
    for path in ALLIANCES:
        yield evaluate_file(path)


def test_every_fact_a_finding_rests_on_has_words():
    wordless = set()
    for evaluation in _evaluations():
        for finding in evaluation.inference.findings:
            for path, value in finding.evidence:
                for lang in ("en", "ar"):
                    text = _sentence(describe_fact(path, value, lang, evaluation.document))
                    if PATH_LIKE.search(text) or "{" in text:
                        wordless.add((path, text))
    assert not wordless, sorted(wordless)[:20]


@pytest.fixture(scope="module")
def core():
    return evaluate_file(EXAMPLES / "core-concession.yaml")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_report_gives_the_fact_in_words_and_its_line_in_a_note(core, fmt):
    line = core.lines["concessions[0].touches_core_objective"]
    arabic = render_report(core, fmt, "ar")
    assert "التنازل الأول — هل يمسّ أحد أهدافنا المركزية؟ نعم" in arabic
    assert f"السطر {line}" in arabic
    english = render_report(core, fmt, "en")
    assert "First concession — Does it touch one of our core objectives? yes" in english
    assert f"line {line}" in english
    for text in (arabic, english):
        assert "concessions[0]" not in text and "touches_core_objective" not in text
    assert '"concessions[0].touches_core_objective"' in render_report(core, "json", "en")  # paths stay in JSON


def test_the_terminal_shows_a_red_flags_facts_in_words(core):
    from rich.console import Console

    from tahaluf.reports.terminal import show
    from tahaluf.reports.viewmodel import build_report

    console = Console(record=True, width=200, height=200, color_system=None)
    show(build_report(core, "ar"), console)
    assert "التنازل الأول — هل يمسّ أحد أهدافنا المركزية؟ نعم" in console.export_text()


CONTRADICTION = """\
organisation:
  name: Forum
  core_objectives: [independent advocacy]
alliance:
  name: Coalition
  stage: proposed
concessions:
  - what: Soften our statements
    touches_core_objective: no
    core_objective: independent advocacy
"""


def test_a_contradiction_quotes_both_facts_in_words_with_their_lines(tmp_path):
    path = tmp_path / "alliance.yaml"
    path.write_text(CONTRADICTION, encoding="utf-8")
    evaluation = evaluate_file(path)
    cx = next(f for f in evaluation.inference.findings if f.rule == "CX01")
    first, second = (evaluation.lines[p] for p, _ in cx.evidence)
    arabic, english = render_report(evaluation, "md", "ar"), render_report(evaluation, "md", "en")
    assert f"ذكرتم في السطر {first} أن" in arabic and f"لكنكم ذكرتم في السطر {second}" in arabic
    assert "التنازل الأول — هل يمسّ أحد أهدافنا المركزية؟ لا" in arabic
    assert f"On line {first} you said" in english and f"but on line {second} you said" in english
    for text in (arabic, english):
        assert not PATH_LIKE.search(text), PATH_LIKE.findall(text)


def html_text(html: str) -> str:
    return page_text(html)


def _user_words(path: Path) -> set[str]:
    """Every Latin word the user wrote in the file (names, goals, notes): theirs to print."""
    words: set[str] = set(LATIN_WORD.findall(str(path)))  # the input file's name, printed as provenance

    def walk(node):
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str):
            words.update(LATIN_WORD.findall(node))

    walk(yaml.safe_load(path.read_text("utf-8")))
    return words


def _english_in(text: str, path: Path) -> list[str]:
    # a command to type is code, like a rule's code: the brief names the one that writes the annex
    commands = " ".join(annex_command(row.suffix) for row in REPORT_FORMATS.values())
    allowed = _user_words(path) | ALLOWED | set(LATIN_WORD.findall(commands))
    text = re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", " ", text)  # pdftotext's direction marks
    # a long name cut short with "…" (which pdftotext may move to the other end of the line)
    cut = {word for word in LATIN_WORD.findall(text) if "…" in text and len(word) > 2
           and any(user.startswith(word) for user in allowed)}
    return sorted({w for w in LATIN_WORD.findall(CODE.sub(" ", text)) if w not in allowed | cut})


def _paths_and_slugs(text: str) -> list[str]:
    return sorted(set(PATH_LIKE.findall(text)) | {s for s in SLUG_LIKE.findall(text) if s in SLUGS})


@pytest.mark.parametrize("example", ALLIANCES, ids=lambda p: p.stem)
def test_no_english_in_an_arabic_report_nor_paths_in_any(example):
    evaluation = evaluate_file(example)
    texts = {(fmt, lang): render_report(evaluation, fmt, lang, explain=True) if fmt == "md"
             else html_text(render_report(evaluation, fmt, lang)) for fmt in ("md", "html") for lang in ("en", "ar")}
    for (fmt, lang), text in texts.items():
        assert not _paths_and_slugs(text), (fmt, lang, _paths_and_slugs(text))
        if lang == "ar":
            assert not _english_in(text, example), (fmt, _english_in(text, example))


needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")


@needs_poppler
@pytest.mark.parametrize("example", ALLIANCES, ids=lambda p: p.stem)
def test_no_english_in_an_arabic_pdf(example, tmp_path):
    """The brief (PDF's default), and for the first example the full report too."""
    pytest.importorskip("tahaluf.reports.pdf")
    pdf = tmp_path / "report.pdf"
    part = "full" if example == ALLIANCES[0] else "brief"
    pdf.write_bytes(render_report(evaluate_file(example), "pdf", "ar", part=part))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert not _paths_and_slugs(text), _paths_and_slugs(text)
    assert not _english_in(text, example), _english_in(text, example)


def test_a_disagreement_names_the_fact_by_its_question_and_the_answers_in_words():
    evaluation = evaluate_document(build_document({
        "respondents": ["Amal", "Basel"],
        "disputes": [{"path": "partners[0].private.timeline_agreed",
                      "answers": [{"respondent": "Amal", "value": "yes"}, {"respondent": "Basel", "value": "no"}]}],
        "partners": [{"name": "Acme", "sector": "private", "private": {"specific_goals_agreed": True}}]}))
    arabic = render_report(evaluation, "md", "ar")
    assert "Acme — هل اتُّفق معه على خطة زمنية؟" in arabic
    assert "Amal: نعم؛ Basel: لا" in arabic
    for lang in ("en", "ar"):
        text = render_report(evaluation, "md", lang, explain=True)
        assert not _paths_and_slugs(text), _paths_and_slugs(text)
