"""Issue 10, bullet 4: "Arabic (English)" names keep their brackets and their order.

Every shipped example names something "عربي (English)". In an English (left-to-right)
report such a name reads Arabic, then the English in brackets, left to right; in an
Arabic report it reads right to left: Arabic first (rightmost), then the English in
brackets to its left. Checked where it is laid out: in Chromium (the positions of the
characters on screen), in the PDF (pdftotext's word boxes and a page image) and in the
XLSX (the cells' reading order).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from support import EXAMPLES

from tahaluf.evaluation import evaluate_file
from tahaluf.reports.html import render_html
from tahaluf.reports.viewmodel import build_report

ARABIC = re.compile("[\u0600-\u06ff]")
CLIMATE = EXAMPLES / "climate-labour-alliance.yaml"
ALLIANCE = "تحالف المناخ وسوق العمل في الإقليم الشمالي (Northern Region Climate & Jobs Alliance)"
ORGANISATION = "جمعية التنمية المستدامة (Sustainable Development Association)"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--disable-sync"]


def mixed_names() -> set[str]:
    """The shipped examples' own names that mix Arabic and Latin letters."""
    import yaml

    names = set()
    for path in EXAMPLES.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found = [data["organisation"]["name"], data["alliance"]["name"]]
        found += [p["name"] for p in data.get("partners") or []]
        names |= {n for n in found if ARABIC.search(n) and re.search("[A-Za-z]", n)}
    return names


def test_the_examples_do_name_things_in_both_scripts():
    assert {ALLIANCE, ORGANISATION} <= mixed_names() and len(mixed_names()) >= 8


# In the browser ---------------------------------------------------------------------------------

CHARACTER_BOXES = """
(root) => {
  const out = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    for (let i = 0; i < node.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const box = range.getBoundingClientRect();
      out.push([node.data[i], box.left, box.right, Math.round(box.top)]);
    }
  }
  return out;
}
"""


def check_order(boxes: list, direction: str, name: str) -> bool:
    """The laid-out characters of one name, in logical order: scripts and brackets where a reader expects them.

    Returns whether both scripts shared a line (a long name may wrap between them)."""
    text = "".join(char for char, *_ in boxes)
    assert text == name, (text, name)
    first_latin = re.search("[A-Za-z]", text).start()
    if ARABIC.search(text[first_latin:]):  # "English (عربي)": the other way round
        pytest.fail(f"unexpected name shape {name!r}")
    arabic = [box for box in boxes[:first_latin] if ARABIC.match(box[0])]
    latin = boxes[first_latin]
    same_line = [box for box in arabic if box[3] == latin[3]]
    if direction == "ltr":  # left to right: the Arabic, then the English
        assert all(box[2] <= latin[1] + 0.5 for box in same_line), f"Arabic is not left of the English in {name!r}"
    else:  # right to left: the Arabic, then the English to its left
        assert all(latin[2] <= box[1] + 0.5 for box in same_line), f"Arabic is not right of the English in {name!r}"
    if "(" not in text:
        return bool(same_line)
    opening, closing = text.index("("), text.rindex(")")
    bracket, first, last, close = boxes[opening], boxes[opening + 1], boxes[closing - 1], boxes[closing]
    assert bracket[3] == first[3] and last[3] == close[3]
    if direction == "ltr":  # "(" left of the English it opens, ")" right of it
        assert bracket[2] <= first[1] + 0.5, f"'(' is not left of the English in {name!r}"
        assert last[2] <= close[1] + 0.5, f"')' is not right of the English in {name!r}"
    else:  # mirrored: "(" right of the English, ")" at its left
        assert first[2] <= bracket[1] + 0.5, f"'(' is not right of the English in {name!r}"
        assert close[2] <= last[1] + 0.5, f"')' is not left of the English in {name!r}"
    return bool(same_line)


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        pytest.skip("Debian's chromium is not installed")
    with playwright.sync_playwright() as driver:
        instance = driver.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
        yield instance
        instance.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_mixed_names_keep_their_brackets_and_order_in_the_browser(browser, tmp_path, lang):
    names = mixed_names()
    direction = "rtl" if lang == "ar" else "ltr"
    page = browser.new_page(viewport={"width": 820, "height": 1000})
    checked, side_by_side = set(), 0
    try:
        for example in sorted(EXAMPLES.glob("*.yaml")):
            path = tmp_path / f"{example.stem}-{lang}.html"
            path.write_text(render_html(build_report(evaluate_file(example), lang)), encoding="utf-8")
            page.goto(path.as_uri())
            for element in page.query_selector_all("bdi"):
                name = element.text_content()
                if name in names:
                    side_by_side += check_order(element.evaluate(CHARACTER_BOXES), direction, name)
                    checked.add(name)
        page.goto((tmp_path / f"climate-labour-alliance-{lang}.html").as_uri())
        page.screenshot(path=str(tmp_path / f"climate-{lang}.png"))
    finally:
        page.close()
    assert checked == names and side_by_side >= len(names)


# In the PDF ---------------------------------------------------------------------------------------


def words_on_page(path: Path, page: int) -> list[tuple[float, float, float, str]]:
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
                         check=True, capture_output=True, text=True).stdout
    return [(float(a), float(b), round(float(y)), w) for a, y, b, w in
            re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', out)]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_mixed_names_keep_their_brackets_and_order_in_the_pdf(tmp_path, lang):
    pdf = pytest.importorskip("tahaluf.reports.pdf")
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils not installed")
    path = tmp_path / f"climate-{lang}.pdf"
    path.write_bytes(pdf.render_pdf(build_report(evaluate_file(CLIMATE), lang)))
    words = words_on_page(path, 1)
    texts = [w for *_, w in words]
    # pdftotext gives each line's words left to right, with the brackets' own code points. Laid
    # out left to right, "عربي (English)" yields "(English" ... "English)"; laid out right to
    # left, the brackets are drawn mirrored, so they come out as ")English" ... "English(",
    # the opening one on the right next to the Arabic. A mirror of the report's direction is
    # exactly the bug: "(Northern" / "Alliance)" split across lines in an English report.
    if lang == "en":
        expected, wrong = ("(Northern", "Alliance)", "(Sustainable", "Association)"), \
            ("Northern)", "(Alliance", ")Sustainable", "Association(")
        openers = ("(Northern", "(Sustainable")
    else:
        expected, wrong = (")Sustainable", "Association("), ("(Sustainable", "Association)")
        openers = ("Association(",)
    for word in expected:
        assert word in texts, (word, texts[:60])
    for word in wrong:
        assert word not in texts, word
    for opener in openers:
        x_min, x_max, line, _ = next(w for w in words if w[3] == opener)
        arabic = [w for w in words if w[2] == line and ARABIC.search(w[3])]
        assert arabic, opener
        if lang == "en":  # the Arabic, then "(English"
            assert all(w[1] <= x_min + 0.5 for w in arabic), f"Arabic is not left of {opener}"
        else:  # "English(" then, to its right, the Arabic
            assert all(x_max <= w[0] + 0.5 for w in arabic), f"Arabic is not right of {opener}"
    image = tmp_path / "page1"
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", str(path), str(image)],
                   check=True)
    assert Path(f"{image}.png").stat().st_size > 10_000


# In the spreadsheet -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_mixed_names_read_in_the_sheet_language_in_xlsx(tmp_path, lang):
    openpyxl = pytest.importorskip("openpyxl")
    from tahaluf.screening import screen_file

    out = tmp_path / f"screening-{lang}.xlsx"
    screen_file(EXAMPLES / "candidates.csv", EXAMPLES / "screening-org.yaml", output=str(out), jobs=1, lang=lang,
                progress=False)
    book = openpyxl.load_workbook(out)
    sheet = book.worksheets[0]
    assert bool(sheet.sheet_view.rightToLeft) == (lang == "ar")
    expected = 2 if lang == "ar" else 1  # Excel's reading order: 1 left to right, 2 right to left
    mixed = 0
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and ARABIC.search(cell.value) and re.search("[A-Za-z]", cell.value):
                assert cell.alignment.readingOrder == expected, (cell.coordinate, cell.value)
                mixed += 1
    assert mixed >= 3
