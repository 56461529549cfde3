"""The report formats are one table (reports/formats.py): the CLI's --format choices and -o
extensions, the renderer and the web downloads all come from it, so a format added as one row is
offered everywhere the CLI offers formats."""

from __future__ import annotations

import json

import pytest
from support import EXAMPLES

from tahaluf import cli
from tahaluf.reports import formats
from tahaluf.reports.formats import REPORT_FORMATS, ReportFormat, report_suffixes
from tahaluf.web import app as web_app

EXAMPLE = EXAMPLES / "core-concession.yaml"
STARTS = {"md": b"# ", "json": b"{", "html": b"<!DOCTYPE html>", "pdf": b"%PDF-", "docx": b"PK\x03\x04"}


def test_every_format_in_the_table_is_written_by_its_extension(tmp_path):
    assert set(STARTS) <= set(REPORT_FORMATS)
    for name, row in REPORT_FORMATS.items():
        assert row.suffix.startswith(".") and report_suffixes()[row.suffix] == name
        out = tmp_path / f"report{row.suffix}"
        assert cli.main(["evaluate", str(EXAMPLE), "-o", str(out), "-q"]) == 0
        assert out.read_bytes().startswith(STARTS[name]), name


def test_the_web_downloads_take_their_types_from_the_table():
    offered = {name for name, row in REPORT_FORMATS.items() if row.on_web}
    assert offered >= {"pdf", "docx", "json"}
    for name in offered:
        assert web_app.DOWNLOADS[name] == REPORT_FORMATS[name].content_type


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_report_page_offers_every_document_in_every_language_and_each_downloads(tmp_path, lang):
    import re
    import shutil

    from starlette.testclient import TestClient

    from tahaluf import knowledge

    shutil.copy(EXAMPLE, tmp_path / EXAMPLE.name)
    t = {key: text(lang) for key, text in knowledge.labels().items()}
    with TestClient(web_app.create_app(tmp_path, workers=0), base_url="http://127.0.0.1") as client:
        client.get(f"/lang/{lang}")
        page = client.get(f"/a/{EXAMPLE.name}/report").text
        links = dict(re.findall(r'<a class="button" href="([^"]+)" download>([^<]+)<', page))
        for name, row in REPORT_FORMATS.items():
            codes = knowledge.language_codes() if row.on_web == "documents" else (lang,) if row.on_web else ()
            for code in codes:
                href = f"/a/{EXAMPLE.name}/download/{name}/{code}"
                assert t[f"format.{name}"] in links[href]
                assert row.on_web == "data" or t[f"language.{code}"] in links[href]
            if row.on_web == "documents":
                response = client.get(f"/a/{EXAMPLE.name}/download/{name}/{knowledge.language_codes()[-1]}")
                assert response.status_code == 200 and response.content.startswith(STARTS[name])
                assert response.headers["content-type"] == row.content_type


def _plain_text(report, explain=False):
    """A throwaway renderer: the verdict and the findings' codes, one per line."""
    return "\n".join([report.verdict_label, *(f.rule for g in report.groups for f in g.entries)]) + "\n"


def test_a_format_added_as_one_row_is_offered_by_the_cli(tmp_path, monkeypatch, capsys):
    row = ReportFormat("txt", (".txt",), False, "text/plain; charset=utf-8", f"{__name__}:_plain_text", explains=True)
    monkeypatch.setitem(formats.REPORT_FORMATS, "txt", row)
    out = tmp_path / "report.txt"
    assert cli.main(["evaluate", str(EXAMPLE), "-o", str(out), "-q"]) == 0  # by the extension
    text = out.read_text(encoding="utf-8")
    expected = json.loads(_json_of(tmp_path))
    assert text.splitlines()[0] and any(f["rule"] in text for f in expected["findings"])
    assert cli.main(["evaluate", str(EXAMPLE), "--format", "txt", "-q"]) == 0  # by --format
    assert capsys.readouterr().out == text


def _json_of(tmp_path) -> str:
    out = tmp_path / "report.json"
    assert cli.main(["evaluate", str(EXAMPLE), "-o", str(out), "-q"]) == 0
    return out.read_text(encoding="utf-8")


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown format"):
        formats.report_format("odt")
