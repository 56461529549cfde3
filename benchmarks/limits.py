"""Time and peak memory at the limits: the largest document to PDF, the largest XLSX screened.

    python benchmarks/limits.py [--runs N] [--xlsx-runs N] [--no-xlsx]

* **PDF**: the largest alliance file the limits allow (limits.py: MAX_PARTNERS partners and
  MAX_CONCESSIONS concessions, every text at its length cap, each failing every check it
  can, as much as fits ALLIANCE_MAX_BYTES) through `tahaluf evaluate --format pdf`, in
  Arabic and English. Goal: under 30 s and under 1 GB per run.
* **XLSX**: the largest candidates workbook the limits allow (its first sheet unpacks to
  just under XLSX_MAX_UNZIPPED_BYTES), screened to CSV with the default --jobs.

Each run is the whole `tahaluf` process (start-up included); peak memory is the
kernel's figure for the process and the workers it waited for (wait4's ru_maxrss, the
largest of them). Prints every run, then best and worst.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from corpus import largest_fitting_document, run_cli  # noqa: E402  (the test suite's generator and runner)

from tahaluf import limits  # noqa: E402

PDF_GOAL_SECONDS, PDF_GOAL_MB = 30.0, 1024
COLUMNS = ["name", "sector", "past_work_reviewed", "past_statements_reviewed", "values_alignment", "reputation_risk",
           "strengths", "contribution"]


def report(label: str, runs: list) -> None:
    for number, run in enumerate(runs, 1):
        print(f"  run {number}: {run.seconds:.2f} s, peak {run.peak_mb:.0f} MB")
    best, worst = min(runs, key=lambda r: r.seconds), max(runs, key=lambda r: r.seconds)
    print(f"{label}: best {best.seconds:.2f} s, worst {worst.seconds:.2f} s; "
          f"peak memory {min(r.peak_mb for r in runs):.0f}-{max(r.peak_mb for r in runs):.0f} MB")


def _cell(column: int, row: int, text: str) -> str:
    letter = chr(ord("A") + column)
    return f'<c r="{letter}{row}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def largest_xlsx(path: Path) -> int:
    """A workbook whose sheet unpacks to just under the limit (written straight as XML: openpyxl
    would take minutes); realistic rows with repeating profiles. Returns the candidate rows."""
    budget = limits.XLSX_MAX_UNZIPPED_BYTES - 64 * 1024
    head = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxml'
            'formats.org/spreadsheetml/2006/main"><sheetData>')
    tail = "</sheetData></worksheet>"
    sectors, answers, levels = ("ngo", "private", "union", "media"), ("yes", "no", "yes"), ("high", "medium", "low")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.open'
                      'xmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
                      'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application'
                      '/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-office'
                      'document.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" Content'
                      'Type="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        book.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.open'
                      'xmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxml'
                      'formats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                      '</Relationships>')
        book.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxml'
                      'formats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
                      '2006/relationships"><sheets><sheet name="candidates" sheetId="1" r:id="rId1"/></sheets>'
                      '</workbook>')
        book.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http'
                      '://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
                      'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/'
                      'sheet1.xml"/></Relationships>')
        rows = 0
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            written = len(head) + len(tail)
            sheet.write(head.encode())
            header = "".join(_cell(c, 1, name) for c, name in enumerate(COLUMNS))
            sheet.write(f'<row r="1">{header}</row>'.encode())
            row = 1
            while row < limits.XLSX_MAX_ROWS:
                row += 1
                i = row - 2
                values = [f"جمعية المرشح {i} Candidate {i}", sectors[i % 4], answers[i % 3], answers[(i // 3) % 3],
                          levels[(i // 9) % 3], levels[(i // 27) % 3], "reach; research", f"Field data {i}"]
                line = f'<row r="{row}">' + "".join(_cell(c, row, v) for c, v in enumerate(values)) + "</row>"
                data = line.encode("utf-8")
                if written + len(data) > budget:
                    break
                sheet.write(data)
                written += len(data)
                rows += 1
            sheet.write(tail.encode())
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="PDF runs per language")
    parser.add_argument("--xlsx-runs", type=int, default=1)
    parser.add_argument("--no-xlsx", action="store_true")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="limits-bench-") as name:
        folder = Path(name)
        document = folder / "largest.yaml"
        document.write_text(largest_fitting_document(), encoding="utf-8")
        print(f"largest document: {document.stat().st_size:,} bytes, {limits.MAX_PARTNERS} partners, "
              f"{limits.MAX_CONCESSIONS} concessions")
        met = True
        for lang in ("ar", "en"):
            runs = []
            for _ in range(args.runs):
                run = run_cli(["evaluate", str(document), "--format", "pdf", "--lang", lang, "-o", "largest.pdf"],
                              folder, timeout=600)
                if run.code != 0:
                    raise SystemExit(run.err)
                runs.append(run)
            report(f"PDF ({lang})", runs)
            met &= all(r.seconds < PDF_GOAL_SECONDS and r.peak_mb < PDF_GOAL_MB for r in runs)
        print(f"goal: under {PDF_GOAL_SECONDS:.0f} s and {PDF_GOAL_MB} MB: {'met' if met else 'NOT met'}")

        if not args.no_xlsx:
            workbook = folder / "largest.xlsx"
            rows = largest_xlsx(workbook)
            with zipfile.ZipFile(workbook) as book:
                unpacked = sum(part.file_size for part in book.infolist())
            print(f"largest workbook: {workbook.stat().st_size:,} bytes packed, {unpacked:,} unpacked, {rows:,} rows")
            org = ROOT / "examples" / "screening-org.yaml"
            runs = []
            for _ in range(args.xlsx_runs):
                run = run_cli(["screen", str(workbook), "--org", str(org), "-o", "screened.csv"], folder, timeout=3600)
                if run.code != 0:
                    raise SystemExit(run.err)
                runs.append(run)
            report("screen XLSX", runs)
            print(f"  {rows / min(r.seconds for r in runs):,.0f} rows/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
