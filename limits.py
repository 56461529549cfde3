"""Every budget the program keeps, in one place (the README's "Limits" section lists them).

Each is far above what a real alliance file or candidate list needs and low enough
that a hostile file is refused before the expensive step: a refusal is one line
naming the limit and the file, exit code 2, in well under a second. The loader, the
screening readers and the report view-model read their numbers from here.
"""

from __future__ import annotations

import os

# Alliance files (`evaluate FILE`, `screen --org FILE`) ------------------------------------------
ALLIANCE_MAX_BYTES = 1_000_000
ALLIANCE_MAX_YAML_VALUES = 50_000  # scalars, lists and mappings, keys included
YAML_MAX_DEPTH = 20
YAML_MAX_SCALAR_CHARS = 10_000  # any one value, before the model's own caps below
MAX_PARTNERS = 100
MAX_CONCESSIONS = 100
NAME_MAX_CHARS = 200
TEXT_MAX_CHARS = 2_000
LIST_MAX_ITEMS = 100
MAX_RESPONDENTS = 100  # `merge`: a merged assessment names at most this many

# Candidate lists (`screen CANDIDATES`) ----------------------------------------------------------
CANDIDATES_MAX_BYTES = 200 * 1024 * 1024  # CSV, XLSX, JSONL: streamed
CANDIDATES_YAML_MAX_BYTES = 10 * 1024 * 1024  # YAML: parsed a candidate at a time, in two passes
CANDIDATE_MAX_YAML_VALUES = 5_000  # one candidate of a YAML list
CANDIDATES_YAML_MAX_ROWS = 100_000  # YAML is for short lists: CSV, XLSX and JSONL go to MAX_ROWS
MAX_ROWS = 2_000_000
CSV_MAX_CELL_CHARS = 32_767  # what one spreadsheet cell can hold
CSV_MAX_ROW_CHARS = 1_048_576
JSONL_MAX_LINE_BYTES = 1_048_576
XLSX_MAX_ROWS = 1_048_576  # a sheet's own limit, header included (also used when writing)
XLSX_MAX_COLUMNS = 1_024  # declared or used by the first sheet
XLSX_MAX_UNZIPPED_BYTES = 256 * 1024 * 1024  # all parts together, from the zip directory
XLSX_MAX_STRINGS_BYTES = 64 * 1024 * 1024  # the shared strings, which openpyxl reads whole
XLSX_MAX_PART_BYTES = 32 * 1024 * 1024  # any other part but the sheets (styles, workbook ...): read whole
XLSX_MAX_RATIO = 100  # unpacked / packed size of any part over 1 MiB (a zip bomb packs ~1000:1)
XLSX_RATIO_FLOOR_BYTES = 1024 * 1024

# Reports (HTML, PDF, Markdown) ------------------------------------------------------------------
REPORT_FOLD_AT = 5  # a check failing (or unknown) for more partners/concessions than this is printed once
REPORT_FOLD_NAMES = 12  # ... naming this many of them (the partners table lists every one)
REPORT_SUBJECT_CHARS = 80  # a name or concession quoted in a folded list or the appendix is cut here
REPORT_RECOMMENDATION_CHARS = 600  # the consultant's own recommendation on the brief (report.recommendation)
REPORT_WORD_CHARS = 64  # a longer run without a space gets break opportunities (HTML and PDF)
LOGO_MAX_BYTES = 512 * 1024  # the consultant's logo (--logo, report.logo): a PNG or SVG file at most this big
LOGO_MAX_PIXELS = 4096  # ... a PNG at most this many pixels on each side
LOGO_SVG_PIXELS = 240  # ... an SVG drawn this many pixels high (1.6 cm on the brief at ~380 dpi)

# The web app (`tahaluf serve`) ----------------------------------------------------------------------
WEB_UPLOAD_MAX_BYTES = 10 * 1024 * 1024  # one candidate list, streamed to a file of the workspace
WEB_SCREEN_MAX_ROWS = 200_000  # rows of one uploaded list; more: `tahaluf screen` on the command line
WEB_MAX_JOBS = 20  # screenings kept per server; the oldest finished one is removed beyond this
WEB_RESULTS_MAX_AGE = 24 * 3600  # seconds a finished screening's result files are kept (and a crashed server's)

# Processes ----------------------------------------------------------------------------------------
JOBS_PER_CORE = 2  # --jobs above this many per usable core is lowered (the work is CPU-bound)


def usable_cores() -> int:
    """Cores this process may run on (its affinity), not the machine's count."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def max_jobs() -> int:
    return JOBS_PER_CORE * usable_cores()
