"""Issue 10, bullet 5: Arabic all the way.

In --lang ar every label, status word, sector, level and choice is Arabic (the XLSX's
headers and sheet direction included), lists take the Arabic comma, and no wording needs
to agree in gender with a name the user typed.
"""

from __future__ import annotations

import re
import typing

import pytest
import yaml
from support import EXAMPLES, ROOT

from tahaluf import knowledge, model
from tahaluf.evaluation import evaluate_file
from tahaluf.reports.html import render_html
from tahaluf.reports.render import render_report
from tahaluf.reports.viewmodel import build_report

ARABIC = re.compile("[\u0600-\u06ff]")


def choices() -> set[str]:
    """Every value a choice field of the input format can take."""
    found: set[str] = set()

    def walk(annotation):
        if typing.get_origin(annotation) is typing.Literal:
            found.update(value for value in typing.get_args(annotation) if isinstance(value, str))
            return
        for arg in typing.get_args(annotation):
            walk(arg)
        if isinstance(annotation, type) and issubclass(annotation, model.BaseModel):
            for field in annotation.model_fields.values():
                walk(field.annotation)

    walk(model.AllianceDocument)
    return found


def test_every_choice_has_words_in_both_languages():
    labels = knowledge.labels()
    for value in choices():
        label = labels.get(f"choice.{value}") or labels.get(f"sector.{value}")
        assert label is not None, value
        assert ARABIC.search(label.ar) and not ARABIC.search(label.en), value


def _plain(text: str) -> str:
    """The report's words as a reader sees them, less what stays as written: markup and the
    stylesheet, the guide quoted in its other language (Markdown's ``>`` lines), and input paths
    (``partners[0].sector``)."""
    text = re.sub(r"<style>.*?</style>|<[^>]+>", " ", text, flags=re.S)
    text = re.sub(r"^\s*> .*$", " ", text, flags=re.M)
    text = re.sub(r"[a-z_]+(\\?\[[0-9*]+\\?\])?(\.[a-z_\\]+)+|[a-z_\\]+(\\?\[[0-9*]+\\?\])", " ", text)
    return text


@pytest.mark.parametrize("name", ["government-confrontation.yaml", "climate-labour-alliance.yaml",
                                  "private-sector-offer.yaml", "existing-alliance-review.yaml"])
def test_an_arabic_report_prints_no_english_choice_words(name):
    evaluation = evaluate_file(EXAMPLES / name)
    user = {evaluation.document.organisation.name, evaluation.document.alliance.name}
    user |= {p.name for p in evaluation.document.partners or ()}
    user |= {c.what for c in evaluation.document.concessions or ()}
    user |= {g.goal for g in evaluation.document.alliance.goals or ()}
    for fmt in ("md", "html"):
        text = render_report(evaluation, fmt, "ar")
        for value in user:
            text = text.replace(value, " ").replace(value.replace("&", "&amp;").replace("'", "&#39;"), " ")
        text = _plain(text)
        for value in choices():
            assert not re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", text), (fmt, value)


def test_an_arabic_report_names_sectors_levels_and_approaches_in_arabic():
    evaluation = evaluate_file(EXAMPLES / "government-confrontation.yaml")
    report = build_report(evaluation, "ar")
    gv03 = next(f for f in report.findings if f.rule == "GV03")
    assert "تصادمي" in str(gv03.message)
    md = render_report(evaluation, "md", "ar")
    assert "جهة حكومية" in md.split("\n## ")[-3] or "جهة حكومية" in md
    # a list of choices reads with the Arabic comma
    motives = next(f for f in report.findings if f.rule == "MO03").evidence
    listed = next(fact.value for fact in motives if fact.path == "alliance.motives")
    assert "، " in listed and ", " not in listed


def test_no_arabic_wording_agrees_in_gender_with_a_users_name():
    """A name the user typed is always introduced by a word of ours — the partner, the alliance,
    the concession, the organisation — or follows a preposition or a noun it belongs to, so no
    verb or adjective ever has to agree with the name itself (a ministry is feminine, a union
    masculine)."""
    introducers = {
        "الشريك", "التحالف", "التنازل", "منظمة", "الجهة", "العضو", "الإجراء",  # our nouns: the verb agrees with them
        "لـ", "مع", "في", "تجاه", "من", "لدى", "عن", "إلى", "وبين", "بشأن",  # prepositions
        "أعضاء", "قيم", "قوة", "تركيبة", "رسالة", "غرض", "الخاص", "الحكومية", "لسمعة",  # nouns it belongs to
    }
    for path in sorted((ROOT / "knowledge" / "findings").glob("*.yaml")):
        for code, entry in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            variants = [variant.get("ar", "") for variant in (entry.get("messages") or {}).values()]
            for part, text in [(part, (entry.get(part) or {}).get("ar", ""))
                               for part in ("summary", "message", "passed", "fix", "question")] + \
                    [("messages", text) for text in variants]:
                for match in re.finditer(r"(\S*)\s*«?\{subject\}", text):
                    before = match.group(1).strip("«")
                    assert before in introducers, f"{code} {part}: «{before} {{subject}}» in {text!r}"


# Screening: XLSX and HTML --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def arabic_screening(tmp_path_factory):
    from tahaluf.screening import screen_file

    folder = tmp_path_factory.mktemp("screen-ar")
    outputs = {}
    for fmt in ("xlsx", "html"):
        out = folder / f"screening.{fmt}"
        screen_file(EXAMPLES / "candidates.csv", EXAMPLES / "screening-org.yaml", output=str(out), jobs=1,
                    lang="ar", progress=False)
        outputs[fmt] = out
    return outputs


def test_arabic_xlsx_has_arabic_headers_statuses_sectors_and_reads_right_to_left(arabic_screening):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(arabic_screening["xlsx"])
    for sheet in book.worksheets:
        assert sheet.sheet_view.rightToLeft, sheet.title
        assert ARABIC.search(sheet.title), sheet.title
        header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
        assert all(ARABIC.search(str(value)) or value == "#" for value in header), header
    results = book.worksheets[0]
    header = [cell.value for cell in next(results.iter_rows(max_row=1))]
    status, sector = header.index("الحالة"), header.index("القطاع")
    rows = list(results.iter_rows(min_row=2, values_only=True))
    assert {row[status] for row in rows} <= {"مؤهل", "مشروط", "مستبعد"}
    assert {row[sector] for row in rows if row[sector]} <= {
        knowledge.labels()[f"sector.{s}"].ar for s in ("ngo", "government", "private", "union", "university",
                                                      "research_centre", "consumer_organisation", "media", "other")}
    summary = book.worksheets[1]
    for item, _ in summary.iter_rows(min_row=2, values_only=True):
        assert ARABIC.search(item) or re.match(r"[A-Z]{2}\d\d", item), item


def test_arabic_screening_html_shows_sectors_in_arabic(arabic_screening):
    html = arabic_screening["html"].read_text(encoding="utf-8")
    cells = re.findall(r'<td class="num">\d+</td><td class="num">\d+</td><td><bdi>[^<]*</bdi></td><td>([^<]*)</td>',
                       html)
    assert cells and all(ARABIC.search(cell) for cell in cells if cell), cells
    assert ">ngo<" not in html and ">government<" not in html


def test_english_outputs_stay_english():
    html = render_html(build_report(evaluate_file(EXAMPLES / "government-confrontation.yaml"), "en"))
    assert "confrontational" in html and "تصادمي" not in html
