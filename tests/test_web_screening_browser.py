"""The screening table in a real browser (Debian's chromium driven by Playwright), English and Arabic:
a mixed Arabic/English name keeps its order, codes listed in an Arabic page keep theirs (each its own
isolate: never «;PR01 PR02»), in the web page and in the HTML output; the workspace lists an organisation
file for screening apart from the assessments. Positions are measured on the page, and screenshots kept
(TAHALUF_SCREENSHOTS=dir)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

pytest.importorskip("starlette")
playwright = pytest.importorskip("playwright.sync_api")

from support import EXAMPLES, label  # noqa: E402
from test_web_browser import ARGS, CHROMIUM, not_blank, page_in, screenshots  # noqa: E402

from tahaluf.screening import screen_file  # noqa: E402

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason="chromium is needed (see the README's test command)")

# Right to left: «وزارة الصحة» first (rightmost), the dash, then «مديرية الدواء».
MIXED = "وزارة الصحة — مديرية الدواء"
LATIN_FIRST = "Ministry of Health — وزارة الصحة"
HEADER = ["name", "sector", "private.specific_goals_agreed"]
ROWS = [{"name": MIXED, "sector": "government"}, {"name": LATIN_FIRST, "sector": "ngo"},
        {"name": "Company", "sector": "private", "private.specific_goals_agreed": "yes"}]

# The centre (x, y) of each given piece of text inside an element, in the order given (null: not found).
CENTRES = """(element, pieces) => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT), nodes = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node);
  return pieces.map(piece => {
    for (const node of nodes) {
      const at = node.data.indexOf(piece);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at); range.setEnd(node, at + piece.length);
      const box = range.getBoundingClientRect();
      return [(box.left + box.right) / 2, (box.top + box.bottom) / 2];
    }
    return null;
  });
}"""


def _candidates(tmp_path) -> Path:
    path = tmp_path / "mixed.csv"
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, HEADER)
        writer.writeheader()
        writer.writerows(ROWS)
    return path


def _in_order(centres, rtl: bool) -> bool:
    """Whether the pieces read in the order given: each on a later line than the one before, or on
    its line and further along it (leftwards right to left)."""
    if None in centres:
        return False
    for (x1, y1), (x2, y2) in zip(centres, centres[1:]):
        same_line = abs(y1 - y2) < 4
        if not ((not same_line and y2 > y1) or (same_line and (x2 < x1 if rtl else x2 > x1))):
            return False
    return True


def _check_order(page, row_selector: str, lang: str) -> None:
    """The mixed names read in their own order; in Arabic the codes run right to left, separator between."""
    mixed = page.locator(row_selector, has_text=MIXED).first
    name = mixed.locator("td", has_text=MIXED).first
    centres = name.evaluate(CENTRES, ["وزارة الصحة", "—", "مديرية الدواء"])
    assert _in_order(centres, rtl=True), centres
    # ... and so does it inside the reason, an English sentence on an English page.
    reason = mixed.locator("td", has_text="؟" if lang == "ar" else "?").first
    centres = reason.evaluate(CENTRES, ["وزارة الصحة", "—", "مديرية"])
    assert _in_order(centres, rtl=True), centres
    latin = page.locator(row_selector, has_text=LATIN_FIRST).first.locator("td", has_text=LATIN_FIRST).first
    centres = latin.evaluate(CENTRES, ["Ministry of Health", "—", "وزارة الصحة"])
    assert _in_order(centres, rtl=False), centres  # a Latin-first name runs left to right, its Arabic part last
    cells = mixed.locator("td:has(bdi.code)")
    codes = next(cells.nth(i) for i in range(cells.count()) if cells.nth(i).locator("bdi.code").count() >= 2)
    shown = codes.locator("bdi.code").all_inner_texts()
    separator = label("label.item_separator", lang).strip()
    centres = codes.evaluate(CENTRES, [shown[0], separator, shown[1]])
    assert _in_order(centres, rtl=lang == "ar"), (shown, centres)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_screening_table_keeps_names_and_codes_in_order(server, tmp_path, lang):
    address, workspace = server
    workspace.mkdir(exist_ok=True)
    shutil.copy(EXAMPLES / "screening-org.yaml", workspace / "screening-org.yaml")
    shutil.copy(EXAMPLES / "core-concession.yaml", workspace / "core-concession.yaml")
    source = _candidates(tmp_path)
    html = tmp_path / "screening.html"
    screen_file(source, EXAMPLES / "screening-org.yaml", output=str(html), jobs=1, progress=False, lang=lang)
    shots = screenshots(tmp_path)
    problems: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = page_in(browser, address, lang, problems, width=1400)
        try:
            page.goto(address)
            # The organisation file for screening is not offered as an assessment, but listed for screening.
            assessments = page.locator("table.assessments").first.inner_text()
            assert "core-concession.yaml" in assessments and "screening-org.yaml" not in assessments
            assert "screening-org.yaml" in page.locator("section.screening-orgs").inner_text()
            page.screenshot(path=shots / f"workspace-{lang}.png", full_page=True)
            page.goto(address + "screen")
            assert page.locator("select[name=org] option", has_text="screening-org.yaml").count() == 1
            page.set_input_files("input[name=candidates]", str(source))
            page.click("button.primary")
            page.wait_for_selector("table.screening", timeout=60_000)
            page.screenshot(path=shots / f"screen-mixed-{lang}.png", full_page=True)
            _check_order(page, "table.screening tbody tr", lang)
            page.goto(html.as_uri())
            page.screenshot(path=shots / f"screen-html-{lang}.png", full_page=True)
            _check_order(page, "#screening tbody tr", lang)
        finally:
            browser.close()
    assert problems == []
    for shot in shots.glob(f"*-{lang}.png"):
        assert not_blank(shot), shot


def test_an_organisation_file_for_screening_is_known_by_its_shape():
    """Our organisation and the alliance described, no partner: for screening. A new assessment (its two
    names alone), one that says it has no partner (partners: []) or anything else is an assessment."""
    from tahaluf.model import AllianceDocument
    from tahaluf.screening.pipeline import load_context
    from tahaluf.web.workspace import for_screening

    organisation, alliance = load_context(EXAMPLES / "screening-org.yaml")
    described = {"organisation": organisation.model_dump(exclude_unset=True),
                 "alliance": alliance.model_dump(exclude_unset=True)}
    assert for_screening(AllianceDocument.model_validate(described))
    assert not for_screening(AllianceDocument.model_validate({**described, "partners": []}))
    assert not for_screening(AllianceDocument.model_validate({**described, "engagement": {"clear_message": True}}))
    bare = {"organisation": {"name": "O"}, "alliance": {"name": "A"}}
    assert not for_screening(AllianceDocument.model_validate(bare))
