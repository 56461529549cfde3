"""Batch screening: many candidate partners, one row each, through the partner-level rule base.

Each candidate is a row of partner facts (columns named like ``model.Partner``'s
fields, nested ones dotted: ``government.approach``) plus the concession it would
ask (``concession.what`` ...). It is validated with pydantic, declared with our
organisation and the alliance context from ORG.yaml, and judged by
``rules.engine.infer(..., level="partner")``: the same rule objects as ``evaluate``.

How it scales (see benchmarks/screening.py):

* **Streamed.** Rows are read one at a time, judged in chunks and spooled to
  temporary files bucketed by (status, score): the best-first order is the
  concatenation of the buckets. Only a bounded window of chunks and a bounded
  cache are ever in memory.
* **Memoised.** The rules read only a candidate's *profile*: its booleans and
  levels, and of its free text (name, contribution, strengths, what the
  concession is ...) only whether it is there. Rows with one profile share one
  inference (an LRU cache, looked up before any experta work). The engine runs
  on the profile with a marker (``"\\x00" + column``; user text can never contain
  NUL) in place of each text; a finding's subject or parameters that carry a
  marker are filled in with the row's own text when the reason is written.
* **Reused by parts.** A new profile is rarely new in every part: each
  partner-level check declares the facts it reads (``@check(reads=...)``), and its
  outcome is kept by those facts alone; the derivations' verdict is kept by the
  outcomes of each dimension's checks. A profile whose every part has been seen is
  judged by lookups in this process; experta runs only on a part never seen (and
  decides every outcome the first time). tests/test_check_reads.py proves the
  declarations; tests/test_screening_reuse.py finds the results unchanged.
* **Parallel.** A multiprocessing pool, one partner engine per worker process
  (``infer`` resets it per candidate); ``jobs=1`` runs in this process; or, with
  ``dask=ADDRESS``, the tasks of a Dask cluster (this process still reads and writes).

The stages, in the order a row meets them (one module each):

* ``readers``: CSV, XLSX, JSONL and YAML read a row at a time.
* ``columns``: the columns, derived from the model; the header's checks (a header may be the
  column's code or its wording in fields.yaml, in either language); the choice columns' words.
* ``rows``: a row's values validated into models, or its problems.
* ``profiles``: what the rules read of a row (its profile key) and the stand-ins judged for it.
* ``inference``: a profile judged by the rules into a Verdict; the verdict cache.
* ``reuse``: the checks' outcomes and the dimensions' verdicts already seen, by what they read.
* ``workers``: the pool of worker processes and its size.
* ``cluster``: the same judging as tasks on a Dask cluster (``--dask``; Dask imported only then).
* ``screener``: the row loop tying these together, in a bounded window.
* ``ordering``: the spool that yields the results best first.
* ``summary``: counts and common reasons, as text and as sheet rows.
* ``results`` and ``writers``: the results and rejected rows written out.
* ``progress`` and ``interrupts``: the progress bar; SIGTERM/SIGHUP as Ctrl-C.
* ``pipeline``: ``screen_file``, the entry point, running them in turn.

Beside them, ``template`` writes the candidates sheet to fill in (``tahaluf screen --template``).
"""

from __future__ import annotations

from tahaluf.screening.columns import CHOICES, COLUMNS, LIST, SECTIONS, TEXT, VALUE, check_columns
from tahaluf.screening.inference import Verdict, judge_keys
from tahaluf.screening.pipeline import load_context, output_format, screen_file
from tahaluf.screening.profiles import models_from_key, profile_key
from tahaluf.screening.readers import RowProblem, open_candidates
from tahaluf.screening.rows import Candidate, parse_row
from tahaluf.screening.summary import Summary
from tahaluf.screening.workers import worker_count

__all__ = [
    "CHOICES", "COLUMNS", "LIST", "SECTIONS", "TEXT", "VALUE", "Candidate", "RowProblem", "Summary", "Verdict",
    "check_columns", "judge_keys", "load_context", "models_from_key", "open_candidates", "output_format",
    "parse_row", "profile_key", "screen_file", "worker_count",
]
