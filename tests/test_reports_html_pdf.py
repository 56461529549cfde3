"""The HTML and PDF reports, looked at in their real output (issue #4).

PDF text is extracted with pypdf and pdftotext (poppler), page 1 is rasterised with
pdftoppm and inspected with Pillow; hostile inputs must print as text and make
WeasyPrint fetch nothing but the package's own stylesheet.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import textwrap
import unicodedata
from pathlib import Path

import pytest
from support import EXAMPLES

from tahaluf.evaluation import evaluate_file
from tahaluf.reports import viewmodel, views
from tahaluf.reports.html import ASSETS, render_html
from tahaluf.reports.viewmodel import build_report
from tahaluf.reports.views import ChartRow, ExplainLine

pdf = pytest.importorskip("tahaluf.reports.pdf")
pypdf = pytest.importorskip("pypdf")
Image = pytest.importorskip("PIL.Image")

POPPLER = shutil.which("pdftotext") and shutil.which("pdftoppm")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdftoppm) not installed")

EXAMPLE = EXAMPLES / "climate-labour-alliance.yaml"
TEMPLATE = Path(viewmodel.__file__).parent / "templates" / "report.html.j2"

# An alliance that fails: a blocker (core concession), majors, unknowns, a weak dimension.
FAILING = """\
organisation:
  name: Arab Women's Rights Forum
  core_objectives: [independent advocacy, community health]
  staff_time_allocated: yes
alliance:
  name: Climate & Labour Alliance 2027
  purpose_kind: campaign
  goals: [a national just-transition law by 2028]
  formality: formal
  stage: proposed
  motives: [numbers, legitimacy_and_reach]
  shared_values: yes
partners:
  - name: الاتحاد العام لنقابات العمال
    sector: union
    past_work_reviewed: yes
    past_statements_reviewed: yes
    values_alignment: high
    reputation_risk: low
  - name: PetroGulf Holdings Ltd.
    sector: private
    past_work_reviewed: yes
    past_statements_reviewed: no
    values_alignment: low
    reputation_risk: high
    private:
      specific_goals_agreed: no
concessions:
  - what: Drop public criticism of fossil-fuel subsidies
    asked_by: PetroGulf Holdings Ltd.
    touches_core_objective: yes
    core_objective: independent advocacy
    can_live_with: no
monitoring:
  planned_from_start: no
  owner: nobody
  review_rhythm: annual
  lessons_shared: no
"""

# Every printed free-text field tries markup, local files, the network and a bidi override.
HOSTILE = """\
organisation:
  name: "Org <style>body { display: none }</style>"
  core_objectives: [independent advocacy]
alliance:
  name: "Alliance <link rel=attachment href=\\"file:///etc/passwd\\"> \\u202eevil"
partners:
  - name: "<script>alert(1)</script>"
    sector: private
    past_work_reviewed: no
    past_statements_reviewed: no
    reputation_risk: high
  - name: "Acme\\u202eCorp <img src=\\"file:///etc/passwd\\">"
    sector: ngo
    values_alignment: low
concessions:
  - what: '<img src="http://127.0.0.1:9/x.png"> <link rel=attachment href="file:///etc/passwd">'
    touches_core_objective: yes
    core_objective: independent advocacy
governance:
  spokesperson: '<iframe src="file:///etc/passwd"></iframe>'
"""

CODE = re.compile(r"(?<![A-Z0-9])[A-Z]{2}\d\d(?![0-9])")
GUIDE_ID = re.compile(r"G-[A-Z]+-\d+")
VERDICT_RGB = {"proceed": (47, 125, 79), "conditions": (169, 98, 8), "do_not_proceed": (168, 38, 28)}


# Helpers -------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Comparable words: NFKC, no format characters (bidi marks) or combining marks (harakat)."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cf", "Mn"))
    return " ".join(text.split())


def pdf_texts(path: Path, page: int | None = None) -> list[str]:
    """The PDF's text (or one page's, from 1) as pypdf and pdftotext each see it (they differ on Arabic)."""
    pages = pypdf.PdfReader(path).pages
    chosen = pages if page is None else [pages[page - 1]]
    texts = ["\n".join(p.extract_text() or "" for p in chosen)]
    if POPPLER:
        where = [] if page is None else ["-f", str(page), "-l", str(page)]
        texts.append(subprocess.run(["pdftotext", "-enc", "UTF-8", *where, str(path), "-"], check=True,
                                    capture_output=True, text=True).stdout)
    return [normalise(text) for text in texts]


def found(pattern: re.Pattern, texts: list[str]) -> set[str]:
    return set().union(*(pattern.findall(text) for text in texts))


def words_present(phrase: str, texts: list[str]) -> bool:
    """Every word of ``phrase`` occurs in one of the extractions (RTL may reorder or split lines),
    or the phrase does once spaces are ignored (extractors may split an Arabic word at a ligature)."""
    phrase = normalise(phrase)
    words = set(phrase.split())
    return any(words <= set(text.split()) or phrase.replace(" ", "") in text.replace(" ", "") for text in texts)


def page_png(path: Path, page: int, tmp_path: Path, dpi: int = 40) -> Image.Image:
    prefix = tmp_path / f"{path.stem}-p{page}"
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
                    str(path), str(prefix)], check=True)
    return Image.open(f"{prefix}.png").convert("RGB")


def word_boxes(path: Path, page: int) -> list[tuple[float, float, str]]:
    """(xMin, xMax, word) of each word on a page, and the page width first as ('', width)."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
                         check=True, capture_output=True, text=True).stdout
    return [(float(a), float(b), normalise(w)) for a, b, w in
            re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', out)]


def page_width(path: Path) -> float:
    box = pypdf.PdfReader(path).pages[0].mediabox
    return float(box.width)


# Fixtures ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("inputs")
    paths = {"failing": folder / "failing.yaml", "hostile": folder / "hostile.yaml"}
    paths["failing"].write_text(FAILING, encoding="utf-8")
    paths["hostile"].write_text(HOSTILE, encoding="utf-8")
    if EXAMPLE.exists():
        paths["example"] = EXAMPLE
    return paths


@pytest.fixture(scope="module")
def reports(inputs) -> dict[tuple[str, str], views.ReportView]:
    return {(name, lang): build_report(evaluate_file(path), lang)
            for name, path in inputs.items() for lang in ("en", "ar")}


@pytest.fixture(scope="module")
def pdfs(reports, tmp_path_factory) -> dict[tuple[str, str], Path]:
    """PDFs rendered once per module (WeasyPrint takes about a second each), lazily."""
    folder = tmp_path_factory.mktemp("pdf")
    cache: dict[tuple[str, str], Path] = {}

    class Lazy(dict):
        def __missing__(self, key):
            path = folder / f"{key[0]}-{key[1]}.pdf"
            path.write_bytes(pdf.render_pdf(reports[key]))  # the full report: the brief, then the annex
            self[key] = path
            return path

        def labels(self, lang):
            return reports["failing", lang].labels

    return Lazy(cache)


CASES = [("failing", "en"), ("failing", "ar"), ("example", "en"), ("example", "ar")]


def _need(inputs, name):
    if name not in inputs:
        pytest.skip(f"{EXAMPLE} is not there")


# HTML ----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_html_has_every_part_in_the_reading_order(inputs, reports, name, lang):
    _need(inputs, name)
    report = reports[name, lang]
    html = render_html(report)
    direction = "rtl" if lang == "ar" else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert report.verdict_label in html and report.verdict_class in html
    labels = report.labels
    # The board brief first (its readiness chart included), then the full report as an annex.
    order = ['<h1 class="alliance"><bdi', f'<p class="verdict-label">{report.verdict_label}</p>',
             f"<h2>{labels['heading.who_next']}</h2>", f'<h2 id="readiness">{labels["heading.readiness"]}</h2>',
             f">{labels['heading.annex']}</h2>", f"<h2>{labels['heading.next_steps']}</h2>",
             f"<h2>{labels['heading.findings']}</h2>", f"<h2>{labels['heading.partners']}</h2>",
             f"<h2>{labels['heading.not_assessed']}</h2>", f"<h2>{labels['heading.appendix']}</h2>",
             f"<h3>{labels['heading.explanation']}</h3>", f">{labels['label.knowledge_version']}</th>",
             f">{labels['label.input_hash']}</th>"]
    positions = [html.index(part) for part in order]
    assert positions == sorted(positions)
    for finding in (*report.findings, *report.not_assessed):
        assert f"<bdi>{finding.rule}</bdi>" in html
    for quote in {q.id for f in report.findings for q in f.guidance}:
        assert quote in html
    assert report.source_sha256 in html and report.knowledge_version in html
    assert html.count("<svg class=\"bar\"") == len(report.readiness)


def test_html_prints_user_values_inside_bdi_and_never_in_styles(inputs, reports):
    report = reports["failing", "ar"]
    html = render_html(report)
    assert "<bdi>Climate &amp; Labour Alliance 2027</bdi>" in html
    assert "<bdi>PetroGulf Holdings Ltd.</bdi>" in html
    assert "<bdi>Arab Women&#39;s Rights Forum</bdi>" in html
    assert re.search(r"<[^>]+\sstyle\s*=", html) is None
    assert "style=" not in TEMPLATE.read_text(encoding="utf-8")
    # SVG attributes carry numbers and fixed colours only.
    for value in re.findall(r'<rect x="([^"]*)" y="0" width="([^"]*)" height="10" fill="([^"]*)"', html):
        assert value[0].isdigit() and value[1].isdigit() and re.fullmatch(r"#[0-9a-f]{6}", value[2])


def test_hostile_names_print_as_text_in_html(reports):
    html = render_html(reports["hostile", "en"])
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<bdi>&lt;script&gt;alert(1)&lt;/script&gt;</bdi>" in html
    for tag in ("<img", "<link", "<iframe", "<style>body"):
        assert tag not in html
    assert "\u202e" not in html
    assert "file:///etc/passwd" in html  # as escaped text, inside an attribute nowhere
    assert re.search(r"""(src|href)\s*=\s*["']?(file|http)""", html) is None


# PDF -----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_pdf_text_has_verdict_findings_and_guide_numbers(inputs, reports, pdfs, name, lang):
    _need(inputs, name)
    report, path = reports[name, lang], pdfs[name, lang]
    assert path.read_bytes().startswith(b"%PDF-")
    texts = pdf_texts(path)
    assert words_present(report.verdict_label, texts), (report.verdict_label, texts[-1][:400])
    expected = {f.rule for f in (*report.findings, *report.not_assessed)}
    assert expected <= found(CODE, texts), expected - found(CODE, texts)
    quotes = {q.id for f in report.findings for q in f.guidance}
    assert quotes <= found(GUIDE_ID, texts), quotes - found(GUIDE_ID, texts)
    assert report.source_sha256 in " ".join(texts).replace(" ", "")


def test_pdf_arabic_text_is_arabic_and_user_values_survive(reports, pdfs):
    report, path = reports["failing", "ar"], pdfs["failing", "ar"]
    texts = pdf_texts(path)
    for phrase in (report.labels["heading.findings"], report.labels["heading.partners"],
                   report.labels["severity.blocker"], "PetroGulf Holdings Ltd.", "الاتحاد العام لنقابات العمال"):
        assert words_present(phrase, texts), phrase


@needs_poppler
@pytest.mark.parametrize(("name", "lang"), CASES)
def test_pdf_page_one_is_drawn_with_the_verdict_colour(inputs, reports, pdfs, tmp_path, name, lang):
    _need(inputs, name)
    image = page_png(pdfs[name, lang], 1, tmp_path)
    raw = image.tobytes()
    pixels = [tuple(raw[i:i + 3]) for i in range(0, len(raw), 3)]
    ink = sum(1 for p in pixels if min(p) < 235)
    assert ink > 0.03 * len(pixels), "page 1 looks blank"
    target = VERDICT_RGB[reports[name, lang].verdict]
    verdict = sum(1 for p in pixels if all(abs(a - b) < 12 for a, b in zip(p, target)))
    assert verdict > 0.02 * len(pixels), "no verdict-coloured block on the cover"


@needs_poppler
def test_pdf_arabic_is_right_to_left_and_english_left_to_right(pdfs):
    for lang in ("ar", "en"):
        path = pdfs["failing", lang]
        width = page_width(path)
        # the annex's next steps: each line starts at the reading start (left in English, right in Arabic)
        annex = next(page for page in range(2, 12) if words_present(pdfs.labels(lang)["heading.annex"],
                                                                     pdf_texts(path, page)))
        out = subprocess.run(["pdftotext", "-bbox", "-f", str(annex), "-l", str(annex), str(path), "-"],
                             check=True, capture_output=True, text=True).stdout
        lines: dict[int, list[tuple[float, float]]] = {}
        for x_min, y_min, x_max in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"', out):
            lines.setdefault(round(float(y_min)), []).append((float(x_min), float(x_max)))
        starts = [min(x for x, _ in words) for words in lines.values()]
        ends = [max(x for _, x in words) for words in lines.values()]
        if lang == "ar":
            assert sum(e > 0.85 * width for e in ends) > 0.6 * len(lines), ends
        else:
            assert sum(s < 0.15 * width for s in starts) > 0.6 * len(lines), starts


@needs_poppler
@pytest.mark.parametrize(("name", "lang"), CASES)
def test_pdf_cover_opens_with_the_verdict_and_the_brief(inputs, reports, pdfs, name, lang):
    _need(inputs, name)
    report, path = reports[name, lang], pdfs[name, lang]
    page_one = pdf_texts(path, 1)
    first = report.labels["heading.red_flags" if report.red_flags else "heading.who_next"]
    for phrase in (report.verdict_label, first):
        assert words_present(phrase, page_one), phrase
    assert any(len(set(normalise(str(report.summary)).split()) & set(text.split())) > 5 for text in page_one)
    # the overview (figures at a glance, contents with page numbers) follows the next steps
    overview = next(page for page in range(2, 9)
                    if words_present(report.labels["label.contents"], pdf_texts(path, page)))
    assert words_present(report.labels["heading.explanation"], pdf_texts(path, overview))


@needs_poppler
def test_pdf_page_numbers_read_left_to_right_in_arabic(pdfs):
    texts = pdf_texts(pdfs["failing", "ar"])
    pages = len(pypdf.PdfReader(pdfs["failing", "ar"]).pages)
    assert f"2 / {pages}" in texts[-1]


# Hostile input: nothing fetched, nothing attached -----------------------------------


def test_hostile_pdf_fetches_only_the_stylesheet_and_attaches_nothing(reports, monkeypatch, tmp_path):
    asked: list[str] = []
    original = pdf.AssetFetcher.fetch

    def recording(self, url, headers=None):
        asked.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(pdf.AssetFetcher, "fetch", recording)
    data = pdf.render_pdf(reports["hostile", "en"])
    assert asked, "the stylesheet should come through the fetcher"
    for url in asked:
        assert pdf.asset_path(url).parent == pdf.ASSETS_DIR
    assert {Path(pdf.asset_path(url)).name for url in asked} == {"report.css"}

    reader = pypdf.PdfReader(io.BytesIO(data))
    assert not reader.attachments
    assert b"/EmbeddedFile" not in data and b"/URI" not in data and b"/Launch" not in data
    assert b"/GoToR" not in data and b"/FileAttachment" not in data  # links are internal (contents) only
    passwd = Path("/etc/passwd")
    if passwd.exists():
        assert passwd.read_bytes()[:32] not in data
    path = tmp_path / "hostile.pdf"
    path.write_bytes(data)
    text = " ".join(pdf_texts(path))
    assert "<script>alert(1)</script>" in text.replace(" ", "") or "alert(1)" in text
    assert "\u202e" not in "".join(p.extract_text() for p in reader.pages)


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://127.0.0.1:9/x.png",
    "https://example.org/report.css",
    "ftp://127.0.0.1/x",
    "data:text/css,body{display:none}",
    "file://localhost/etc/passwd",
    "file://evil.example/" + str(ASSETS / "report.css"),
    (ASSETS / "report.css").as_uri() + "?x=1",
    (ASSETS / "report.css").as_uri() + "/../../../../../../etc/passwd",
    (ASSETS / "..").as_uri() + "/html.py",
    (ASSETS / "report.css").as_uri().replace("report.css", "%2e%2e/html.py"),
    (ASSETS / "no-such-file.css").as_uri(),
    ASSETS.as_uri(),
])
def test_fetcher_refuses_everything_but_its_assets(url):
    fetcher = pdf.AssetFetcher()
    with pytest.raises(pdf.RefusedURL):
        fetcher.fetch(url)
    with pytest.raises(pdf.RefusedURL):
        fetcher(url)


def test_fetcher_serves_its_stylesheet():
    response = pdf.AssetFetcher().fetch((ASSETS / "report.css").as_uri())
    assert response.content_type == "text/css" and b"@page" in response.read()


def test_markup_that_slipped_through_would_stop_the_pdf(monkeypatch):
    """Defence in depth: even unescaped markup could not make WeasyPrint read a file."""
    from tahaluf.errors import RenderError

    for source in ('<link rel="attachment" href="file:///etc/passwd">',
                   '<img src="file:///etc/passwd">', '<img src="http://127.0.0.1:9/x.png">',
                   '<style>@import url("file:///etc/passwd");</style>'):
        monkeypatch.setattr(pdf, "html_document", lambda report, source=source, **kw: source)
        with pytest.raises(RenderError):
            pdf.render_pdf(None)


def test_bdi_becomes_an_isolate_weasyprint_honours():
    html = 'a <bdi>x</bdi> b <bdi class="mono">y\u202e</bdi> <bdi><bdi class="k">z</bdi></bdi>'
    assert pdf.isolate_user_values(html) == (
        'a \u2068x\u2069 b <bdi class="mono">\u2068y\u2069</bdi> '
        '\u2068<bdi class="k">\u2068z\u2069</bdi>\u2069')


# View-model additions ------------------------------------------------------------------


def test_chart_bars_grow_from_the_reading_start():
    view = views.ReadinessView("communication", "Communication", 30, "30/100", "weak", "Weak", 30, 1, 0)
    ltr, rtl = ChartRow.of(view, "ltr"), ChartRow.of(view, "rtl")
    assert (ltr.x, ltr.width, rtl.x, rtl.width) == (0, 30, 70, 30)
    assert ltr.fill.startswith("#") and ltr.level_class == "level-weak"


def test_css_classes_come_from_fixed_sets(reports):
    assert [ExplainLine(d, "", None).depth_class for d in (0, 3, 9, -1)] == ["depth-0", "depth-3", "depth-4", "depth-0"]
    for report in reports.values():
        assert report.verdict_class in {"verdict-proceed", "verdict-conditions", "verdict-do_not_proceed"}
        for group in report.groups:
            assert group.severity_class == f"sev-{group.severity}"
        for partner in report.partners:
            assert partner.status_class in {"partner-eligible", "partner-conditional", "partner-excluded"}


def test_strengthen_condition_keeps_its_score_one_number(reports):
    """An isolated '0' before '/100' would read '100/0' in Arabic."""
    conditions = [c for c in reports["failing", "ar"].conditions if c.kind == "strengthen"]
    assert conditions
    for condition in conditions:
        assert any(re.search(r"\d+/100", text) and not user for text, user in condition.text.parts)


# Light imports: JSON, Markdown and HTML never load WeasyPrint --------------------------------


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120)


def test_html_module_does_not_import_weasyprint():
    result = _run("""
        import sys
        import tahaluf.reports.html
        assert "weasyprint" not in sys.modules, "tahaluf.reports.html imported weasyprint"
    """)
    assert result.returncode == 0, result.stderr


def test_json_markdown_and_html_reports_do_not_import_weasyprint(inputs):
    path = inputs.get("example", inputs["failing"])
    result = _run(f"""
        import sys
        from tahaluf.evaluation import evaluate_file
        from tahaluf.reports.render import render_report
        evaluation = evaluate_file({str(path)!r})
        for fmt in ("json", "md", "html"):
            render_report(evaluation, fmt, "ar")
            assert "weasyprint" not in sys.modules, fmt + " imported weasyprint"
    """)
    assert result.returncode == 0, result.stderr


# The command line, end to end ------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "lang"), [("pdf", "ar"), ("html", "en")])
def test_cli_writes_the_report(inputs, tmp_path, fmt, lang):
    out = tmp_path / f"report.{fmt}"
    result = subprocess.run([sys.executable, "-m", "tahaluf.cli", "evaluate", str(inputs["failing"]),
                             "--format", fmt, "--lang", lang, "-o", str(out), "--full"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    if fmt == "pdf":
        assert data.startswith(b"%PDF-") and len(pypdf.PdfReader(out).pages) >= 4
    else:
        assert data.startswith(b"<!DOCTYPE html>") and b"<style>" in data and b'<link rel="stylesheet"' not in data
    assert not list(tmp_path.glob(".*.tmp"))


def test_strengths_fold_into_one_row_per_rule_naming_every_partner():
    report = build_report(evaluate_file(EXAMPLE), "en")
    [group] = [g for g in report.groups if g.severity == "strength"]
    rules = [row.rule for row in group.rows]
    assert len(rules) == len(set(rules)) == len({f.rule for f in group.findings})
    due_diligence = next(row for row in group.rows if row.rule == "PA03")
    partners = [p.name for p in report.partners]
    assert set(due_diligence.subjects) == set(partners)
    html = render_html(report)
    assert html.count(">PA03<") == 1
    assert "<bdi>Green Horizons Network</bdi>" in html
