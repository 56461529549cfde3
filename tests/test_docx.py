"""The DOCX report (issue 23, the consultant's deliverable): the PDF's sections in the PDF's order,
right to left in Arabic (w:bidi paragraphs, w:bidiVisual tables, w:rtl runs), editable, its user
text written as text. Read back with python-docx, paragraphs and tables in body order."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import unicodedata
from functools import cache

import pytest
import yaml
from support import EXAMPLES, label

from tahaluf import cli, cli_commands
from tahaluf.evaluation import evaluate_file
from tahaluf.reports.render import render_report
from tahaluf.reports.viewmodel import build_report

docx = pytest.importorskip("docx")
from docx.oxml.ns import qn  # noqa: E402

ALLIANCES = sorted(p.name for p in EXAMPLES.glob("*.yaml")
                   if "name" in (yaml.safe_load(p.read_text("utf-8")).get("alliance") or {}))
LANGS = ("en", "ar")
PATH_LIKE = re.compile(r"[a-z_]+\[(?:\d+|\*)\]|\b[a-z]+\.[a-z]+_[a-z_]+\b")
SLUG_LIKE = re.compile(r"\b[a-z]+(?:-[a-z]+){2,}\b")
ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefc]")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@cache
def evaluation(name: str):
    return evaluate_file(EXAMPLES / name)


@cache
def rendered(name: str, lang: str, part: str = "brief") -> bytes:
    return render_report(evaluation(name), "docx", lang, part=part)


def body(data: bytes):
    return docx.Document(io.BytesIO(data)).element.body


def lines(data: bytes) -> list[str]:
    """The document's text in body order: a paragraph a line, a table row a line (cells joined by " | ")."""
    out = []
    for child in body(data).iterchildren():
        if child.tag == qn("w:p"):
            out.append(_text(child))
        elif child.tag == qn("w:tbl"):
            out += [" | ".join(_cell(cell) for cell in row.iter(qn("w:tc"))) for row in child.iter(qn("w:tr"))]
    return out


def _cell(cell) -> str:
    return " ".join(_text(paragraph) for paragraph in cell.iter(qn("w:p")))


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def headings(data: bytes) -> list[str]:
    """The section headings (paragraphs in a Heading style), in order."""
    document = docx.Document(io.BytesIO(data))
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


def _normal(text: str) -> str:
    """For matching against pdftotext: letters only (pdftotext moves brackets and digits in Arabic lines, splits
    marks off their letters), without case (CSS upper-cases some headings)."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if unicodedata.category(c).startswith("L")).casefold()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ALLIANCES)
def test_every_example_renders_in_both_languages(name, lang):
    report = build_report(evaluation(name), lang)
    for part in ("brief", "full"):
        data = rendered(name, lang, part)
        assert data.startswith(b"PK\x03\x04")
        text = "\n".join(lines(data))
        assert report.verdict_label in text and label("heading.who_next", lang) in text
        assert (label("heading.annex", lang) in text) == (part == "full")
        slugs = {s for s in SLUG_LIKE.findall(text) if s in _slugs()}
        assert not PATH_LIKE.findall(text) and not slugs, (PATH_LIKE.findall(text), slugs)
    if lang == "ar":
        from test_fact_words import _english_in  # the PDF's allowlist: codes, the user's own words

        assert not _english_in("\n".join(lines(rendered(name, lang, "full"))), EXAMPLES / name)


@cache
def _slugs() -> frozenset[str]:
    from tahaluf.rules.base import REGISTRY

    return frozenset(spec.name for spec in REGISTRY.values())


needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")


def _in_order(sections: list[str], text: str) -> None:
    """Each section heading is found in ``text`` after the one before it."""
    where, haystack = 0, _normal(text)
    for heading in sections:
        found = haystack.find(_normal(heading), where)
        assert found >= 0, (heading, "not found after the sections before it")
        where = found + 1


def _pdf_text(name: str, lang: str, part: str, tmp_path) -> str:
    pdf = tmp_path / f"{name}.{lang}.{part}.pdf"
    pdf.write_bytes(render_report(evaluation(name), "pdf", lang, part=part))
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


@needs_poppler
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ALLIANCES)
def test_the_brief_has_the_pdf_briefs_sections_in_its_order(name, lang, tmp_path):
    pdf = _pdf_text(name, lang, "brief", tmp_path)
    sections = headings(rendered(name, lang))
    _in_order([label("heading.verdict", lang), *sections], pdf)
    # ... and no section of the PDF's brief is missing from the DOCX
    keys = ("heading.red_flags", "heading.conditions", "heading.keep_sound", "evidence.heading", "heading.who_next",
            "heading.readiness")
    assert [label(k, lang) for k in keys if _normal(label(k, lang)) in _normal(pdf)] == sections
    text = lines(rendered(name, lang))
    assert text.index(label("heading.verdict", lang)) < text.index(label("heading.who_next", lang))


@needs_poppler
@pytest.mark.parametrize("lang", LANGS)
def test_the_full_report_has_the_pdf_sections_in_its_order(lang, tmp_path):
    name = ALLIANCES[0]
    sections = headings(rendered(name, lang, "full"))
    assert label("heading.annex", lang) in sections and label("heading.appendix", lang) in sections
    _in_order(sections, _pdf_text(name, lang, "full", tmp_path))


@pytest.mark.parametrize("lang", LANGS)
def test_arabic_is_right_to_left_and_english_is_not(lang):
    root = body(rendered(ALLIANCES[0], lang, "full"))
    paragraphs = list(root.iter(qn("w:p")))
    tables = list(root.iter(qn("w:tbl")))
    runs = [r for r in root.iter(qn("w:r")) if _text(r)]
    rtl_runs = [r for r in runs if r.find(f"{W}rPr/{W}rtl") is not None]
    assert paragraphs and tables and runs
    section = root.find(qn("w:sectPr"))
    if lang == "ar":
        assert all(p.find(f"{W}pPr/{W}bidi") is not None for p in paragraphs)
        assert all(t.find(f"{W}tblPr/{W}bidiVisual") is not None for t in tables)
        assert section.find(qn("w:bidi")) is not None
        # every run with Arabic letters is right to left; only user values in Latin letters are not
        assert all(r in rtl_runs for r in runs if ARABIC.search(_text(r)))
        assert len(rtl_runs) > 0.5 * len(runs)  # the rest: codes, numbers, names in Latin letters
    else:
        assert not any(p.find(f"{W}pPr/{W}bidi") is not None for p in paragraphs)
        assert not any(t.find(f"{W}tblPr/{W}bidiVisual") is not None for t in tables)
        assert section.find(qn("w:bidi")) is None
        assert all(ARABIC.search(_text(r)) for r in rtl_runs)  # only a user's Arabic value


@pytest.mark.parametrize("lang", LANGS)
def test_the_document_names_its_language_title_and_fonts(lang):
    data = rendered(ALLIANCES[0], lang)
    document = docx.Document(io.BytesIO(data))
    report = build_report(evaluation(ALLIANCES[0]), lang)
    core = document.core_properties
    assert core.language == lang
    assert report.alliance in core.title and label("heading.brief", lang) in core.title
    assert core.subject == report.verdict_label
    styles = document.styles.element
    fonts = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert fonts.get(qn("w:cs")) == "Amiri" and fonts.get(qn("w:ascii")) == "DejaVu Sans"
    language = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert language.get(qn("w:bidi")) == "ar-SA"
    assert language.get(qn("w:val")) == ("ar-SA" if lang == "ar" else "en-GB")


HOSTILE = "<script>alert(1)</script> =cmd|' /C calc'!A0 &amp; \x07\x1b\x00bell\ufffe"


def test_a_hostile_name_survives_as_text(tmp_path):
    data = yaml.safe_load((EXAMPLES / ALLIANCES[0]).read_text(encoding="utf-8"))
    data["alliance"]["name"] = HOSTILE
    data["report"] = {"name": "=HYPERLINK(\"http://e.vil\")", "organisation": "<b>Advisers</b>"}
    source = tmp_path / "hostile.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    for lang in LANGS:
        out = tmp_path / f"report.{lang}.docx"
        assert cli.main(["evaluate", str(source), "-o", str(out), "--lang", lang, "--full", "-q"]) == 0
        text = "\n".join(lines(out.read_bytes()))
        assert "<script>alert(1)</script> =cmd|' /C calc'!A0 &amp; bell" in text
        assert "=HYPERLINK(\"http://e.vil\")" in text and "<b>Advisers</b>" in text
        document = docx.Document(str(out))
        assert document.core_properties.author == "=HYPERLINK(\"http://e.vil\")"
        xml = document.element.xml
        assert "<script>" not in xml and "&lt;script&gt;" in xml and "instrText" not in xml
    # What the file's loader lets through is cleaned already; the renderer strips XML 1.0's forbidden
    # characters from whatever reaches it.
    report = dataclasses.replace(build_report(evaluation(ALLIANCES[0])), alliance=HOSTILE)
    from tahaluf.reports.docx import render_docx

    assert "<script>alert(1)</script> =cmd|' /C calc'!A0 &amp; bell" in lines(render_docx(report))


def test_the_cli_writes_docx_atomically_and_refuses_the_terminal(tmp_path, monkeypatch):
    out = tmp_path / "report.docx"
    out.write_bytes(b"old")
    assert cli.main(["evaluate", str(EXAMPLES / ALLIANCES[0]), "-o", str(out), "-q"]) == 0
    assert out.read_bytes().startswith(b"PK") and not [p for p in tmp_path.iterdir() if p != out]
    assert label("heading.annex") not in "\n".join(lines(out.read_bytes()))  # the brief, as for PDF
    monkeypatch.setattr(cli_commands, "_stdout_is_terminal", lambda: True)
    assert cli.main(["evaluate", str(EXAMPLES / ALLIANCES[0]), "--format", "docx", "-q"]) == 2


OFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(not OFFICE, reason="LibreOffice (soffice) not installed")
@pytest.mark.parametrize("lang", LANGS)
def test_libreoffice_reads_it_in_order(lang, tmp_path):
    source = tmp_path / f"report.{lang}.docx"
    source.write_bytes(rendered(ALLIANCES[0], lang, "full"))
    profile = (tmp_path / "profile").as_uri()
    subprocess.run([OFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "txt:Text (encoded):UTF8",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)
    text = (tmp_path / f"report.{lang}.txt").read_text(encoding="utf-8-sig")
    _in_order(headings(source.read_bytes()), text)
    subprocess.run([OFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)
    assert (tmp_path / f"report.{lang}.pdf").read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize("lang", LANGS)
def test_the_briefs_annex_command_writes_the_same_format(lang):
    """The brief names the command that writes its annex: a DOCX brief's names a DOCX file, not a PDF."""
    text = "\n".join(lines(rendered("private-sector-offer.yaml", lang)))
    assert "-o report.docx --full" in text and "report.pdf" not in text
