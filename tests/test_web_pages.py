"""Every page of the web app in a real browser (Debian's chromium driven by Playwright), in English and
Arabic: a full-page screenshot each, not blank; Arabic pages right to left (html[dir=rtl], the main
column's direction, its text starting at the right edge); no console error and no HTTP error except
the deliberate ones (the 404 page, the invalid file's page). The pages come from the app's own route
table: a GET route without a page here fails the test, so a page added later is not forgotten.
Screenshots go to TAHALUF_SCREENSHOTS (a folder) when set, else to the test's tmp folder."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
import yaml

pytest.importorskip("starlette")

from starlette.routing import Route
from test_web_browser import ARGS, CHROMIUM, EXAMPLES, not_blank, playwright, screenshots

from tahaluf.files.alliance_file import AllianceFile
from tahaluf.web.app import create_app

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason="chromium is needed (see the README's test command)")

# GET routes that are not pages: a redirect and file downloads (tested over HTTP in test_web*.py).
NOT_PAGES = {"/lang/{lang}", "/a/{name}/download/{fmt}/{lang}", "/screen/{job}/download/{kind}"}
# Each page of the tour: (screenshot name, route it shows). The addresses are found as a director would.
TOUR = [("list", "/"), ("question", "/a/{name}"), ("question-settled", "/a/{name}"), ("why", "/a/{name}/why"),
        ("report", "/a/{name}/report"), ("report-whatif", "/a/{name}/report"), ("history", "/a/{name}/history"),
        ("screen-form", "/screen"), ("screen-wait", "/screen/{job}"), ("screen-result", "/screen/{job}"),
        ("not-found", "/a/{name}"), ("invalid", "/a/{name}"), ("form", "/a/{name}/form")]
EXPECTED_ERRORS = {"not-found": 404, "invalid": 422}  # deliberate: the page says what is wrong
# Candidates enough that screening takes a few seconds: the progress page is seen before the result.
WAIT_ROWS = 12_000


def get_routes(tmp_path) -> set[str]:
    app = create_app(tmp_path / "routes", workers=0)
    return {route.path for route in app.app.routes if isinstance(route, Route) and "GET" in (route.methods or ())}


def test_every_get_route_is_a_page_of_the_tour_or_a_download(tmp_path):
    routes = get_routes(tmp_path)
    missing = routes - NOT_PAGES - {route for _, route in TOUR}
    assert not missing, f"GET routes with no page in the screenshot tour: {sorted(missing)}: add them to TOUR"


def many_candidates(target: Path) -> Path:
    rows = list(csv.reader(io.StringIO((EXAMPLES / "candidates.csv").read_text(encoding="utf-8"))))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(rows[0])
    for number in range(WAIT_ROWS):
        row = list(rows[1 + number % (len(rows) - 1)])
        row[0] = f"{row[0]} {number}"
        writer.writerow(row)
    target.write_text(out.getvalue(), encoding="utf-8")
    return target


# The main column's direction and where its first heading's text starts: at the right edge in Arabic.
LAYOUT = """() => {
  const main = document.querySelector("main");
  const style = getComputedStyle(main);
  const left = main.getBoundingClientRect().left + parseFloat(style.paddingLeft);
  const right = main.getBoundingClientRect().right - parseFloat(style.paddingRight);
  const first = [...main.querySelectorAll("h1, h2, p")].find(e => e.offsetParent !== null && e.textContent.trim());
  const range = document.createRange();
  range.selectNodeContents(first);
  const line = range.getClientRects()[0];
  return {direction: style.direction, dir: document.documentElement.dir, tag: first.tagName,
          leftGap: line.left - left, rightGap: right - line.right};
}"""
# Text a reader sees on the page that is not a user's value, a code or a file name: it must be in the
# page's language. Latin words in it on an Arabic page are untranslated English.
LATIN_WORDS = """() => {
  const words = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const parent = node.parentElement;
    if (!parent || parent.closest("bdi, code, .mono, script, style, svg, [lang=en], [dir=ltr], option")) continue;
    if (parent.offsetParent === null && getComputedStyle(parent).position !== "fixed") continue;
    for (const word of node.textContent.match(/[A-Za-z]{3,}/g) || []) words.push(word);
  }
  return words;
}"""
CODE_VALUE = re.compile(r"[a-z_]+|\d[\d.-]*")  # an enumerated answer (sector, stage...) or a number


def user_words(workspace: Path, candidates: Path) -> set[str]:
    """The words of the director's own free text (names, purposes, goals) in the files the pages show:
    a user's value, in whatever language it was written. Enumerated codes are not among them."""
    texts: list[str] = []

    def collect(value) -> None:
        if isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)
        elif isinstance(value, str) and not CODE_VALUE.fullmatch(value):
            texts.append(value)

    for path in workspace.glob("*.yaml"):
        collect(yaml.safe_load(path.read_text(encoding="utf-8")))
    with candidates.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            collect(dict(row))
    from tahaluf.languages import languages

    texts += [language.name for language in languages().values()]  # the menu names each language in itself
    return {word for text in texts for word in re.findall(r"[A-Za-z]{3,}", text)}


def visit(page, shots: Path, name: str, lang: str, findings: dict) -> None:
    page.wait_for_load_state("networkidle")
    shot = shots / f"{name}-{lang}.png"
    page.screenshot(path=shot, full_page=True)
    assert not_blank(shot), shot
    layout = page.evaluate(LAYOUT)
    expected = "rtl" if lang == "ar" else "ltr"
    assert layout["dir"] == expected and layout["direction"] == expected, (name, layout)
    start, end = ("rightGap", "leftGap") if lang == "ar" else ("leftGap", "rightGap")
    assert layout[start] <= layout[end] + 1 and layout[start] < 40, (name, layout)  # text starts at the start edge
    if lang == "ar":
        findings[name] = page.evaluate(LATIN_WORDS)  # judged at the end, against the director's own words


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_page_in_both_languages(server, tmp_path, lang):
    address, workspace = server
    routes = get_routes(tmp_path)
    shutil.copy(EXAMPLES / "existing-alliance-review.yaml", workspace / "review.yaml")
    shutil.copy(EXAMPLES / "climate-labour-alliance.ar.yaml", workspace / "settled.yaml")
    shutil.copy(EXAMPLES / "screening-org.yaml", workspace / "our-organisation.yaml")
    AllianceFile.create(workspace / "new.yaml", "منظمة الأمل" if lang == "ar" else "Hope NGO",
                        "تحالف المياه" if lang == "ar" else "Clean Water Alliance")
    (workspace / "broken.yaml").write_text("organisation:\n  name: X\nalliance:\n  name: Y\n  stage: maybe\n")
    candidates = many_candidates(tmp_path / "candidates.csv")
    shots = screenshots(tmp_path)
    problems: list[str] = []
    seen: set[str] = set()
    latin: dict[str, list[str]] = {}
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
        current = {"name": "list"}

        def on_console(message):
            expected = EXPECTED_ERRORS.get(current["name"])
            # The browser logs the deliberate error status of the page itself; anything else is a problem.
            if message.type == "error" and not (expected and f"status of {expected} " in message.text):
                problems.append(f"{message.text} ({current['name']})")
        page.on("console", on_console)
        page.on("pageerror", lambda error: problems.append(str(error)))

        def on_response(response):
            expected = EXPECTED_ERRORS.get(current["name"])
            deliberate = response.status == expected and response.request.is_navigation_request()
            if response.status >= 400 and not deliberate:
                problems.append(f"{response.status} {response.url} ({current['name']})")
        page.on("response", on_response)

        def tour(name: str, url: str | None = None) -> None:
            current["name"] = name
            if url is not None:
                page.goto(address.rstrip("/") + url)
            visit(page, shots, name, lang, latin)
            seen.add(name)

        try:
            page.goto(f"{address}lang/{lang}?next=/")
            tour("list")
            tour("question", "/a/new.yaml")
            why = page.get_attribute("a.why", "href")
            tour("question-settled", "/a/settled.yaml")
            assert page.locator("form.answer").count() == 0  # settled: no question left to ask
            tour("why", why)
            tour("report", "/a/review.yaml/report")
            toggle = page.get_attribute("a.toggle", "href")
            tour("report-whatif", toggle)
            assert page.locator(".hypothesis").count() == 1
            page.click("form.keep button")  # keep: the answer is written, the history gets a second state
            page.wait_for_selector("section.since")
            assert page.locator(".hypothesis").count() == 0
            tour("history", "/a/review.yaml/history")
            assert page.locator("ol.history li.step").count() == 2
            if "/a/{name}/form" in routes:
                tour("form", "/a/new.yaml/form")
            tour("screen-form", "/screen")
            page.set_input_files("input[name=candidates]", str(candidates))
            page.select_option("select[name=org]", "our-organisation.yaml")
            current["name"] = "screen-wait"
            page.click("button.primary")
            page.wait_for_selector("p.status[role=status]")  # the progress page, before the result
            tour("screen-wait")
            page.wait_for_selector("table.screening", timeout=120_000)  # the page reloads itself until done
            tour("screen-result")
            tour("not-found", "/a/missing.yaml")
            tour("invalid", "/a/broken.yaml")
        finally:
            browser.close()
    assert problems == []
    own = user_words(workspace, candidates)
    untranslated = {name: sorted({w for w in words if w not in own and not w.isupper()})
                    for name, words in latin.items()}
    untranslated = {name: words for name, words in untranslated.items() if words}
    assert not untranslated, f"English words on Arabic pages: {untranslated}"
    assert seen >= {name for name, route in TOUR if route in routes}
