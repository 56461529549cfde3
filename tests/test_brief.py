"""Issue 23: a board brief first, scores that agree with the verdict, a proceed report that says
what keeps it sound, and a Markdown report a reader can scan (one item per line)."""

from __future__ import annotations

import re
import shutil
from functools import cache
from pathlib import Path

import pytest
from support import EXAMPLES, label

from tahaluf.evaluation import evaluate_file
from tahaluf.reports.render import render_report
from tahaluf.reports.viewmodel import build_report

EXAMPLE_FILES = sorted(path.name for path in EXAMPLES.glob("*.yaml"))
LANGS = ("en", "ar")


@cache
def evaluation(name: str):
    return evaluate_file(EXAMPLES / name)


def verdict_of(name: str) -> str:
    return evaluation(name).verdict


DO_NOT_PROCEED = [name for name in EXAMPLE_FILES if verdict_of(name) == "do_not_proceed"]
PROCEED = [name for name in EXAMPLE_FILES if verdict_of(name) == "proceed"]


def test_the_shipped_examples_cover_each_verdict():
    assert DO_NOT_PROCEED and PROCEED
    assert any(verdict_of(name) == "conditions" for name in EXAMPLE_FILES)


# The brief ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", DO_NOT_PROCEED)
def test_a_do_not_proceed_brief_fits_two_pdf_pages(name, lang, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    data = render_report(evaluation(name), "pdf", lang, part="brief")
    path = tmp_path / "brief.pdf"
    path.write_bytes(data)
    reader = pypdf.PdfReader(path)
    assert len(reader.pages) <= 2
    text = " ".join(page.extract_text() for page in reader.pages)
    # Only what must change: none of the "conditions to establish" of a case already answered no.
    assert label("heading.conditions", lang) not in text
    if shutil.which("pdfinfo"):
        import subprocess

        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) <= 2


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_the_brief_holds_the_verdict_flags_who_does_what_and_the_method(name, lang):
    from tahaluf.reports.brief import build_brief

    report = build_report(evaluation(name), lang)
    brief = build_brief(report)
    assert brief.verdict_label == report.verdict_label
    flags = report.red_flags
    assert bool(brief.red_flags) == bool(flags)
    for step in brief.red_flags:
        assert step.change and step.guidance  # what must change, in the guide's words
    if report.verdict == "do_not_proceed":
        assert brief.conditions == ()
    elif report.verdict == "conditions":
        assert brief.conditions
    else:
        assert brief.keep_sound
    assert brief.who_next and all(step.who and step.what for step in brief.who_next)
    assert report.knowledge_version in str(brief.method)
    assert str(report.coverage) in str(brief.method) or report.coverage == 100
    assert len(brief.readiness) == len(report.readiness)


def test_the_markdown_brief_is_the_first_part_of_the_full_report():
    name = DO_NOT_PROCEED[0]
    brief = render_report(evaluation(name), "md", "en", part="brief")
    full = render_report(evaluation(name), "md", "en")
    assert full.startswith(brief.rstrip("\n").rsplit("\n---", 1)[0][:200])
    assert len(full) > 2 * len(brief)
    assert label("heading.annex") in full and label("heading.annex") not in brief


def test_the_cli_writes_a_brief_pdf_and_the_annex_only_when_asked(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    from tahaluf.cli import main

    name = DO_NOT_PROCEED[0]
    brief, full = tmp_path / "brief.pdf", tmp_path / "full.pdf"
    assert main(["evaluate", str(EXAMPLES / name), "-o", str(brief), "--brief", "-q"]) in (0, None)
    assert main(["evaluate", str(EXAMPLES / name), "-o", str(full), "--full", "-q"]) in (0, None)
    assert len(pypdf.PdfReader(brief).pages) <= 2 < len(pypdf.PdfReader(full).pages)


# Scores that agree with the verdict -----------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_no_overall_score_stands_beside_the_verdict(name, lang):
    report = build_report(evaluation(name), lang)
    markdown = render_report(evaluation(name), "md", lang)
    head = markdown.split("\n## ", 1)[0]
    assert "/100" not in head and "من 100" not in head
    for row in report.readiness:
        if row.score is not None and row.low != row.high:
            assert str(row.low) in row.score_text and str(row.high) in row.score_text


def test_the_arabic_share_says_only_so_much_could_be_assessed():
    report = build_report(evaluation(DO_NOT_PROCEED[0]), "ar")
    assert report.coverage < 50
    assert f"لم يتسنَّ تقييم سوى {report.coverage}% من الفحوص" in report.score_text
    assert "مما قُيِّم" not in render_report(evaluation(DO_NOT_PROCEED[0]), "md", "ar")


# What keeps a proceed sound -----------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", PROCEED)
def test_a_proceed_report_says_what_keeps_it_sound(name, lang):
    report = build_report(evaluation(name), lang)
    assert report.next_steps_shown
    markdown = render_report(evaluation(name), "md", lang)
    steps = markdown.split(f"## {label('heading.next_steps', lang)}", 1)[1].split("\n## ", 1)[0]
    assert f"\n{label('label.none', lang)}\n" not in steps
    owner = evaluation(name).document.monitoring.owner
    if owner:
        assert owner in markdown.replace("\\", "")


# The Markdown report, one item per line --------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_no_markdown_line_is_over_400_characters(name, lang):
    markdown = render_report(evaluation(name), "md", lang)
    long = [line[:80] for line in markdown.splitlines() if len(line) > 400]
    assert not long


def test_the_not_assessed_section_is_grouped_by_dimension():
    name = max(EXAMPLE_FILES, key=lambda n: sum(f.status == "not_assessed" for f in evaluation(n).inference.findings))
    markdown = render_report(evaluation(name), "md", "en")
    section = markdown.split(f"## {label('heading.not_assessed')}", 1)[1].split("\n## ", 1)[0]
    headings = re.findall(r"^### (.+)$", section, re.M)
    assert len(headings) >= 2
    assert all(any(label(f"dimension.{d}") == h for d in _dimensions()) for h in headings)


def _dimensions():
    from tahaluf.rules.base import DIMENSIONS

    return (*DIMENSIONS, "consistency")


# Screening: score and order agree with status ------------------------------------------------


def test_screening_scores_agree_with_status(tmp_path):
    import csv

    from tahaluf.screening import screen_file

    out = tmp_path / "out.csv"
    screen_file(EXAMPLES / "candidates.csv", EXAMPLES / "screening-org.yaml", output=str(out), jobs=1, progress=False)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    _assert_banded([(r["status"], int(r["score"]) if r["score"] else None) for r in rows])


def _assert_banded(pairs):
    order = ("excluded", "conditional", "eligible")
    # a blank score (nothing could be assessed) is no number to misread; every other is in its band
    scores = {status: [s for st, s in pairs if st == status and s is not None] for status in order}
    for worse, better in zip(order, order[1:]):
        if scores[worse] and scores[better]:
            assert max(scores[worse]) < min(scores[better]), (worse, better, scores)


def test_screening_score_bands_hold_for_any_findings():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from tahaluf.rules.base import DIMENSIONS
    from tahaluf.rules.verdict import PARTNER_STATUS
    from tahaluf.screening.inference import verdict_of

    class F:  # the fields verdict_of reads from a finding
        def __init__(self, status, severity, dimension, n):
            self.status, self.severity, self.dimension = status, severity, dimension
            self.rule, self.subject, self.params, self.message = "PR01", f"s{n}", (), None
            self.evidence = ()  # the facts it rests on (the deciding facts, issue 25)

    finding = st.tuples(st.sampled_from(("pass", "fail", "not_assessed")),
                        st.sampled_from(("blocker", "major", "minor", "info")), st.sampled_from(DIMENSIONS))
    candidate = st.tuples(st.lists(finding, max_size=12), st.sampled_from(tuple(PARTNER_STATUS)))

    @settings(max_examples=200, deadline=None)
    @given(st.lists(candidate, min_size=2, max_size=8))
    def check(candidates):
        verdicts = [verdict_of([F(*f, n) for n, f in enumerate(findings)], word) for findings, word in candidates]
        _assert_banded([(v.status, v.score) for v in verdicts])

    check()


# The PDF's metadata ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_pdf_is_tagged_with_its_title_and_language(lang, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    report = build_report(evaluation(DO_NOT_PROCEED[0]), lang)
    path = tmp_path / "brief.pdf"
    path.write_bytes(render_report(evaluation(DO_NOT_PROCEED[0]), "pdf", lang))
    reader = pypdf.PdfReader(path)
    root = reader.trailer["/Root"]
    assert root.get("/Lang") == lang
    assert report.alliance in reader.metadata.title and label("heading.brief", lang) in reader.metadata.title
    assert root.get("/MarkInfo", {}).get("/Marked") and "/StructTreeRoot" in root
    assert reader.metadata.get("/Subject") == report.verdict_label


# The consultant's block -----------------------------------------------------------------------

HOSTILE_BY = {"name": "Rana <script>alert(1)</script>", "organisation": "**Advisers** [x](http://e.vil)",
              "recommendation": "Decline, then <b>renegotiate</b> PA01 | with the ministry."}


def _with_report_section(tmp_path) -> Path:
    import yaml

    data = yaml.safe_load((EXAMPLES / DO_NOT_PROCEED[0]).read_text(encoding="utf-8"))
    data["report"] = HOSTILE_BY
    path = tmp_path / "by.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("lang", LANGS)
def test_the_consultants_block_is_printed_escaped_on_the_brief(lang, tmp_path):
    from tahaluf.reports.html import render_html
    from tahaluf.reports.markdown import render_markdown

    report = build_report(evaluate_file(_with_report_section(tmp_path)), lang)
    html = render_html(report, "brief")
    assert "<script>" not in html and "<b>renegotiate" not in html
    assert "Rana &lt;script&gt;" in html and "&lt;b&gt;renegotiate&lt;/b&gt;" in html
    assert label("brief.prepared_by", lang) in html
    markdown = render_markdown(report, part="brief")
    assert "\\*\\*Advisers\\*\\* \\[x\\](http://e.vil)" in markdown and "PA01 \\| with" in markdown
    pypdf = pytest.importorskip("pypdf")
    path = tmp_path / "brief.pdf"
    path.write_bytes(render_report(evaluate_file(_with_report_section(tmp_path)), "pdf", lang))
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    assert "renegotiate" in text and len(pypdf.PdfReader(path).pages) <= 2


def test_by_names_who_prepared_it_over_the_file(tmp_path, capsys):
    from tahaluf.cli import main

    out = tmp_path / "brief.md"
    assert main(["evaluate", str(_with_report_section(tmp_path)), "-o", str(out), "--brief",
                 "--by", "Huda Salem، Salem Consulting", "-q"]) in (0, None)
    text = out.read_text(encoding="utf-8")
    assert "Huda Salem · Salem Consulting" in text and "Rana" not in text
    assert "renegotiate" in text  # the file's recommendation is kept
