"""Write examples/candidates.xlsx from examples/candidates.csv (the same candidates, as a spreadsheet).

    python examples/make_candidates_xlsx.py [CSV] [XLSX]

Cells are typed as a spreadsheet user would type them: yes/no stay text, empty
cells stay empty. Run it again after editing the CSV.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> None:
    source = Path(argv[0]) if argv else HERE / "candidates.csv"
    target = Path(argv[1]) if len(argv) > 1 else HERE / "candidates.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.title = "candidates"
    with open(source, encoding="utf-8-sig", newline="") as stream:
        for number, row in enumerate(csv.reader(stream)):
            # An empty CSV cell becomes an empty spreadsheet cell (unknown), not "".
            sheet.append([cell if cell != "" else None for cell in row])
            if number == 0:
                for cell in sheet[1]:
                    cell.font = Font(bold=True)
    # Every text stays a text cell (openpyxl would store a text starting with '=' as a formula).
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    sheet.column_dimensions["A"].width = 42
    book.save(target)
    print(f"wrote {target}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
