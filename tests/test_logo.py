"""The consultant's logo (issue 23): `--logo FILE` or the file's ``report: logo:``, a local PNG or
SVG only, size-limited, printed on the brief with who prepared it (HTML and PDF as a data URI the
PDF's fetcher serves and nothing else, DOCX as a picture). A bad logo is an input error naming the
file and the problem, and nothing is written."""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import zlib

import pytest
import yaml
from support import EXAMPLES, label

from tahaluf import cli, limits
from tahaluf.errors import InputError
from tahaluf.evaluation import evaluate_file
from tahaluf.logo import load_logo
from tahaluf.reports.render import render_report

EXAMPLE = EXAMPLES / "core-concession.yaml"
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40">'
       '<rect width="120" height="40" fill="#b83a30"/><circle cx="100" cy="20" r="14" fill="#fff"/></svg>')


def png(width: int = 120, height: int = 40, colour: bytes = b"\x1d\x4e\x89") -> bytes:
    """A solid RGB PNG, made by hand (no image library in the test's way)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + colour * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@pytest.fixture
def logos(tmp_path):
    (tmp_path / "logo.png").write_bytes(png())
    (tmp_path / "logo.svg").write_text(SVG, encoding="utf-8")
    return tmp_path


def test_a_png_and_an_svg_are_read_as_a_checked_png(logos):
    logo = load_logo(logos / "logo.png")
    assert (logo.width, logo.height) == (120, 40) and logo.data_uri.startswith("data:image/png;base64,")
    drawn = load_logo(logos / "logo.svg")
    assert drawn.png.startswith(b"\x89PNG") and drawn.height == limits.LOGO_SVG_PIXELS
    assert drawn.width == 3 * drawn.height  # the viewBox's shape


HOSTILE_SVGS = {
    "script": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><script>alert(1)</script></svg>',
    "external href": '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
                     'viewBox="0 0 9 9"><image xlink:href="file:///etc/passwd" width="9" height="9"/></svg>',
    "http href": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9">'
                 '<use href="http://127.0.0.1:9/x.svg#a"/></svg>',
    "foreignObject": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><foreignObject>'
                     '<iframe xmlns="http://www.w3.org/1999/xhtml" src="http://e.vil"/></foreignObject></svg>',
    "event handler": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9" onload="alert(1)"/>',
    "css url": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9">'
               '<rect width="9" height="9" style="fill:url(http://e.vil/x)"/></svg>',
    "style import": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9">'
                    '<style>@import "file:///etc/passwd";</style></svg>',
    "entity": '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
              '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><text>&x;</text></svg>',
    "stylesheet": '<?xml-stylesheet href="http://e.vil/s.css"?>'
                  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"/>',
}


@pytest.mark.parametrize("kind", sorted(HOSTILE_SVGS))
def test_an_svg_that_could_run_or_reach_out_is_refused_naming_the_file(kind, tmp_path):
    path = tmp_path / "hostile.svg"
    path.write_text(HOSTILE_SVGS[kind], encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_logo(path)
    assert str(path) in str(caught.value) and "logo refused" in str(caught.value)


def test_an_svg_referring_only_to_itself_is_drawn(tmp_path):
    path = tmp_path / "gradient.svg"
    path.write_text('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
                    'viewBox="0 0 40 40"><defs><linearGradient id="g"><stop offset="0" stop-color="#123"/>'
                    '</linearGradient><circle id="c" cx="20" cy="20" r="9"/></defs>'
                    '<rect width="40" height="40" fill="url(#g)"/><use xlink:href="#c"/></svg>', encoding="utf-8")
    assert load_logo(path).png.startswith(b"\x89PNG")


@pytest.mark.parametrize("case", ["too big", "not an image", "a renamed text file", "a damaged png",
                                  "too many pixels", "a folder", "missing"])
def test_a_bad_logo_is_refused_and_nothing_is_written(case, tmp_path, capsys):
    path = tmp_path / "logo.png"
    if case == "too big":
        path.write_bytes(png() + b"\0" * limits.LOGO_MAX_BYTES)
    elif case == "not an image":
        path.write_bytes(b"GIF89a" + b"\0" * 64)
    elif case == "a renamed text file":
        path.write_text("name: not a logo\n", encoding="utf-8")
    elif case == "a damaged png":
        path.write_bytes(png()[:60])
    elif case == "too many pixels":
        path.write_bytes(png(limits.LOGO_MAX_PIXELS + 1, 1))
    elif case == "a folder":
        path.mkdir()
    out = tmp_path / "brief.pdf"
    assert cli.main(["evaluate", str(EXAMPLE), "-o", str(out), "--logo", str(path), "-q"]) == 2
    error = capsys.readouterr().err
    assert str(path) in error and "logo refused" in error and len(error.splitlines()) == 1
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == (["logo.png"] if case != "missing" else [])


def _page_images(pdf: bytes) -> int:
    pypdf = pytest.importorskip("pypdf")
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].images)


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("kind", ["png", "svg"])
def test_the_logo_is_on_the_brief_in_html_pdf_and_docx(kind, lang, logos):
    evaluation = evaluate_file(EXAMPLE)
    logo = load_logo(logos / f"logo.{kind}")
    html = render_report(evaluation, "html", lang, by="Huda Salem, Salem Consulting", logo=logo)
    assert f'<img class="consultant-logo" src="{logo.data_uri}"' in html
    assert html.index("consultant-logo") < html.index(label("heading.who_next", lang))
    assert "Huda Salem" in html
    plain = render_report(evaluation, "pdf", lang, by="Huda Salem")
    pdf = render_report(evaluation, "pdf", lang, by="Huda Salem", logo=logo)
    assert _page_images(plain) == 0 and _page_images(pdf) == 1  # the logo, as an image XObject on page 1
    docx = pytest.importorskip("docx")
    document = docx.Document(io.BytesIO(render_report(evaluation, "docx", lang, by="Huda Salem", logo=logo)))
    assert len(document.inline_shapes) == 1
    images = [part for part in document.part.package.iter_parts() if part.content_type == "image/png"]
    assert [part.blob for part in images] == [logo.png]
    texts = [p.text for p in document.paragraphs]
    picture = next(i for i, p in enumerate(document.paragraphs) if p._p.xpath(".//pic:pic"))
    assert "Huda Salem" in texts[picture + 1]  # printed with who prepared it


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils not installed")
def test_the_logo_is_drawn_where_the_consultant_is(logos, tmp_path):
    """Page 1 rendered to an image: the logo's solid colour is there only when a logo is given."""
    evaluation = evaluate_file(EXAMPLE)
    from PIL import Image

    def blue_pixels(pdf: bytes) -> int:
        (tmp_path / "brief.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", "-singlefile",
                        str(tmp_path / "brief.pdf"), str(tmp_path / "page")], check=True)
        with Image.open(tmp_path / "page.png") as page:
            data = page.convert("RGB").tobytes()
        return sum(1 for i in range(0, len(data), 3)
                   if abs(data[i] - 0x1d) < 12 and abs(data[i + 1] - 0x4e) < 12 and abs(data[i + 2] - 0x89) < 12)

    logo = load_logo(logos / "logo.png")
    assert blue_pixels(render_report(evaluation, "pdf", "en", by="Huda", logo=logo)) > \
        blue_pixels(render_report(evaluation, "pdf", "en", by="Huda")) + 200


def test_the_files_report_section_names_the_logo_beside_it(logos, capsys):
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["report"] = {"name": "Huda Salem", "logo": "logo.svg"}
    source = logos / "alliance.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = logos / "brief.html"
    assert cli.main(["evaluate", str(source), "-o", str(out), "-q"]) == 0
    assert 'class="consultant-logo" src="data:image/png;base64,' in out.read_text(encoding="utf-8")
    # --logo wins over the file's; a file's logo that is not there is an error naming it
    assert cli.main(["evaluate", str(source), "-o", str(out), "--logo", str(logos / "logo.png"), "-q"]) == 0
    assert load_logo(logos / "logo.png").data_uri in out.read_text(encoding="utf-8")
    data["report"]["logo"] = "missing.png"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert cli.main(["evaluate", str(source), "-o", str(logos / "other.html"), "-q"]) == 2
    assert str(logos / "missing.png") in capsys.readouterr().err and not (logos / "other.html").exists()


def test_the_pdf_fetcher_serves_the_logo_and_no_other_data_uri():
    pytest.importorskip("weasyprint")
    from tahaluf.reports.pdf import AssetFetcher, RefusedURL

    fetcher = AssetFetcher({"data:image/png;base64,AAAA": b"png"})
    response = fetcher.fetch("data:image/png;base64,AAAA")
    assert response.read() == b"png" and response.headers["Content-Type"] == "image/png"
    with pytest.raises(RefusedURL):
        fetcher.fetch("data:image/svg+xml;base64,PHN2Zy8+")
