"""The web app in a real browser (Debian's chromium driven by Playwright), against `tahaluf serve`
started as a director would start it: an Arabic consultation from nothing to a settled verdict,
the report, the Arabic PDF downloaded and its text checked; any console error fails the test.
Screenshots are kept in the test's tmp folder (TAHALUF_SCREENSHOTS=dir to keep them elsewhere)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("starlette")
playwright = pytest.importorskip("playwright.sync_api")

from PIL import Image  # noqa: E402
from support import label  # noqa: E402

from tahaluf.evaluation import evaluate_file  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists() or not shutil.which("pdftotext"),
                                reason="chromium and poppler-utils are needed (see the README's test command)")


def screenshots(tmp_path: Path) -> Path:
    """Where a test keeps its screenshots (TAHALUF_SCREENSHOTS=dir to keep them elsewhere)."""
    shots = Path(os.environ.get("TAHALUF_SCREENSHOTS") or tmp_path / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    return shots


def watch(page, problems: list[str]) -> None:
    """Collect every console error, page error and HTTP error of ``page`` into ``problems``."""
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", lambda response: response.status >= 400
            and problems.append(f"{response.status} {response.url}"))


def page_in(browser, address: str, lang: str, problems: list[str], width: int = 1100):
    """A watched page of a new context whose language cookie is ``lang``."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies([{"name": "tahaluf_lang", "value": lang, "url": address}])
    page = context.new_page()
    watch(page, problems)
    return page


def not_blank(path: Path) -> bool:
    with Image.open(path) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    return colours is None or len(colours) > 20


def test_an_arabic_consultation_from_nothing_to_a_verdict_and_its_pdf(server, tmp_path):
    address, workspace = server
    shots = screenshots(tmp_path)
    problems: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(accept_downloads=True, viewport={"width": 1100, "height": 900}).new_page()
        watch(page, problems)
        try:
            page.goto(address)
            page.screenshot(path=shots / "list-en.png", full_page=True)
            page.click("a.lang")
            assert page.get_attribute("html", "dir") == "rtl"
            page.fill("input[name=organisation]", "منظمة الأمل")
            page.fill("input[name=alliance]", "تحالف المياه النظيفة")
            page.press("input[name=alliance]", "Enter")

            page.wait_for_selector("h1.question")
            page.screenshot(path=shots / "question-ar.png", full_page=True)
            # Right to left: the side panel stands to the left of the question.
            assert page.locator("aside.panel").bounding_box()["x"] < page.locator("section.ask").bounding_box()["x"]
            font = page.evaluate("getComputedStyle(document.documentElement).fontFamily")
            assert "Amiri" in font
            # A director's order (issue 22): the alliance is proposed; what it is for, its goals, the
            # partners, our core objectives, what is asked of us: "none" to lists, "no" to yes/no.
            settled = label("interview.settled", "ar").split("{verdict}")[0]
            for _ in range(12):
                if page.text_content("aside.panel .status").startswith(settled):
                    break
                page.wait_for_selector("h1.question")
                for value in ("proposed", "no"):
                    if page.locator(f"input[name=answer][value={value}]").count():
                        page.check(f"input[name=answer][value={value}]")
                        break
                else:
                    page.fill("[name=answer]", "لا شيء")
                page.click("button.primary")

            status = page.text_content("aside.panel .status")
            verdict = evaluate_file(next(workspace.glob("*.yaml"))).verdict
            assert status.startswith(settled) and label(f"verdict.{verdict}", "ar") in status
            page.screenshot(path=shots / "settled-ar.png", full_page=True)

            page.click("aside.panel a.button")
            page.wait_for_selector("div.report")
            assert label(f"verdict.{verdict}", "ar") in page.text_content("div.report .verdict-label")
            page.screenshot(path=shots / "report-ar.png")
            with page.expect_download() as download_info:
                page.click("a[href$='/download/pdf/ar']")
            pdf = tmp_path / "report.pdf"
            download_info.value.save_as(pdf)
        finally:
            browser.close()
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "المياه" in text and "النظيفة" in text
    assert label(f"verdict.{verdict}", "ar").split()[0] in text
    assert problems == []
    for shot in shots.glob("*.png"):
        assert not_blank(shot), shot


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_screening_upload_progress_sort_and_history_in_the_browser(server, tmp_path, lang):
    """Upload the example candidates, wait on the refreshing progress page, sort by score with the
    column's link using only the keyboard, and see the history page; no console error."""
    address, workspace = server
    shutil.copy(EXAMPLES / "screening-org.yaml", workspace / "screening-org.yaml")
    shots = screenshots(tmp_path)
    problems: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
        watch(page, problems)
        try:
            page.goto(address)
            if lang == "ar":
                page.click("a.lang")
            page.click(f"text={label('web.screen', lang)}")
            assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
            page.set_input_files("input[name=candidates]", str(EXAMPLES / "candidates.csv"))
            page.screenshot(path=shots / f"screen-form-{lang}.png", full_page=True)
            page.click("button.primary")
            page.wait_for_selector("table.screening", timeout=60_000)  # the meta refresh brings the result
            page.screenshot(path=shots / f"screen-result-{lang}.png", full_page=True)
            headers = page.locator("table.screening th a")
            titles = [headers.nth(i).text_content().strip() for i in range(headers.count())]
            assert len(titles) >= 10
            score = 5  # rank, row, name, sector, status, score: the CSV's column order in either language
            # The keyboard alone: focus the score column's link and press Enter, twice (descending).
            for _ in range(2):
                headers.nth(score).focus()
                page.keyboard.press("Enter")
                page.wait_for_load_state()
            assert page.locator("table.screening th").nth(score).get_attribute("aria-sort") == "descending"
            cells = page.locator(f"table.screening tbody tr td:nth-child({score + 1})")
            values = [float(v) for v in (cells.nth(i).text_content().strip() for i in range(cells.count())) if v]
            assert len(values) > 3 and values == sorted(values, reverse=True)
            page.screenshot(path=shots / f"screen-sorted-{lang}.png", full_page=True)
            page.goto(address + "a/screening-org.yaml/history")
            assert page.locator("ol.history li").count() >= 1
            page.screenshot(path=shots / f"history-{lang}.png", full_page=True)
        finally:
            browser.close()
    assert problems == []
    for shot in shots.glob(f"*-{lang}.png"):
        assert not_blank(shot), shot
