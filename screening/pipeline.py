"""The pipeline: screen_file checks the options, then reads, screens, orders and writes."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from tahaluf.errors import InputError, UsageError
from tahaluf.files.output import OutputSet, check_target
from tahaluf.languages import language_codes
from tahaluf.model import Alliance, Organisation
from tahaluf.screening.columns import check_columns
from tahaluf.screening.inference import DEFAULT_CACHE_SIZE, new_reuse
from tahaluf.screening.interrupts import signals_interrupt
from tahaluf.screening.ordering import Spool
from tahaluf.screening.progress import ProgressBar
from tahaluf.screening.readers import open_candidates
from tahaluf.screening.results import write_results
from tahaluf.screening.screener import Screener
from tahaluf.screening.summary import Summary
from tahaluf.screening.workers import Judge, worker_count
from tahaluf.screening.writers import OUTPUT_FORMATS, OUTPUT_SUFFIXES, ErrorSink

if TYPE_CHECKING:
    from tahaluf.screening.cluster import DaskJudge

CHUNK_ROWS = 256


class TooManyRows(InputError):
    """More candidate rows than a caller's own limit (``max_rows``): nothing is written."""

    def __init__(self, file: str, line: int | None, limit: int):
        super().__init__(file, line, None, f"more than {limit:,} candidate rows, the limit here: split the file")
        self.limit = limit

    def __reduce__(self):  # raised in a worker process, caught in the web server
        return TooManyRows, (self.file, self.line, self.limit)


def load_context(path: str | Path) -> tuple[Organisation, Alliance]:
    """Our organisation and the alliance from an alliance YAML file (its partners are ignored)."""
    from tahaluf.loader import load_yaml, read_text, validate
    from tahaluf.model import AllianceDocument

    name = str(path)
    data, source = load_yaml(read_text(Path(path)), name, collect=True)
    if isinstance(data, dict):
        data = {key: value for key, value in data.items() if key != "partners"}
    document = validate(AllianceDocument, data, source, name)
    return document.organisation, document.alliance


def output_format(fmt: str | None, output: str | None) -> str:
    """The format asked for, else the one -o's extension names, else CSV (see files.output.format_for)."""
    from tahaluf.files.output import format_for

    if fmt is not None and fmt not in OUTPUT_FORMATS:
        raise UsageError(f"unknown format {fmt!r}: use one of {', '.join(OUTPUT_FORMATS)}")
    return format_for(output, fmt, OUTPUT_SUFFIXES, "csv")


def screen_file(candidates: str | Path, org: str | Path, *, output: str | None = None, fmt: str | None = None,
                jobs: int | None = None, lang: str = "en", errors: str | None = None,
                progress: bool | None = None, cache_size: int = DEFAULT_CACHE_SIZE,
                input_format: str | None = None, reuse: bool = True, dask: str | None = None,
                dask_timeout: float | None = None,
                also: tuple[str | Path, ...] = (), max_rows: int | None = None) -> Summary:
    """Screen every candidate of ``candidates`` and write the best-first results.

    Raises InputError for whole-file problems (unreadable file, unknown column)
    and UsageError for bad options, before any row is screened. Bad rows are
    counted and reported, never fatal. Output goes to ``output`` (atomically) or
    standard output; rejected rows to ``errors`` (default ``<output>.errors.csv``).
    ``candidates`` may be '-' (standard input), with ``input_format``. ``reuse`` off runs the
    engine in full for every distinct profile (the checks' outcomes are not reused: see reuse.py).
    ``also`` names more result files, each in the format its extension says, written from the
    same screening and committed with the output (the web app's CSV and XLSX in one run).
    ``dask``, a Dask scheduler's address, judges the profiles on that cluster instead
    of ``jobs`` local processes (see screening.cluster); the output is the same. It must answer
    within ``dask_timeout`` seconds (default 10).
    ``max_rows`` lowers the row limit (the web app's, limits.WEB_SCREEN_MAX_ROWS): TooManyRows past it.
    """
    started = time.perf_counter()
    if lang not in language_codes():
        raise UsageError(f"unknown language {lang!r}: use en or ar")
    if dask is not None:
        if jobs is not None:
            raise UsageError("--jobs and --dask exclude each other: with --dask the cluster's workers judge "
                             "(give each its processes with dask worker --nworkers)")
        jobs_note = None
        if dask_timeout is not None and not dask_timeout > 0:
            raise UsageError("--dask-timeout must be a number of seconds above 0")
    elif dask_timeout is not None:
        raise UsageError("--dask-timeout needs --dask")
    else:
        jobs, jobs_note = worker_count(jobs)
    fmt = output_format(fmt, output)
    out = None if output in (None, "-") else Path(output)
    if errors is None and out is not None:
        errors = f"{out}.errors.csv"
    errors_path = Path(errors) if errors else None
    inputs = tuple(path for path in (candidates, org) if str(path) != "-")
    extra = [(output_format(None, str(path)), Path(path)) for path in also]
    if extra and out is None:
        raise UsageError("more result files need the output written to a file (-o), not to standard output")
    for target in (out, errors_path, *(path for _, path in extra)):
        if target is not None:
            check_target(target, inputs)
    if out is not None and errors_path is not None and out.resolve() == errors_path.resolve():
        raise UsageError(f"{out}: the output and the errors file must differ")
    targets = [target for target in (out, errors_path, *(path for _, path in extra)) if target is not None]
    if extra and len({target.resolve() for target in targets}) < len(targets):
        raise UsageError(f"{out}: every result file and the errors file must differ")
    if fmt == "xlsx" and out is None and sys.stdout.isatty():
        raise UsageError("XLSX is binary: give -o FILE.xlsx rather than writing it to the terminal")

    if str(candidates) == "-" and input_format is None:
        raise UsageError("candidates on standard input: say their format with --input-format (csv, xlsx, jsonl, yaml)")

    dask_options = None
    if dask is not None:
        from tahaluf.screening.cluster import DEFAULT_TIMEOUT, check_scheduler

        dask_options = (dask, DEFAULT_TIMEOUT if dask_timeout is None else dask_timeout)
        check_scheduler(*dask_options)  # before any work: one line, within the timeout
    with signals_interrupt():
        return _screen_file(candidates, org, fmt, out, jobs, lang, errors_path, progress, cache_size, started,
                            input_format, inputs, jobs_note, reuse, dask_options, extra, max_rows)


def _screen_file(candidates, org, fmt, out, jobs, lang, errors_path, progress, cache_size, started,
                 input_format=None, inputs=(), jobs_note=None, reuse=True, dask=None, extra=(),
                 max_rows=None) -> Summary:
    organisation, alliance = load_context(org)
    core_objectives = frozenset(organisation.core_objectives or ())
    summary = Summary(source="<stdin>" if str(candidates) == "-" else str(candidates), lang=lang,
                      errors_file=str(errors_path) if errors_path else None, output=str(out) if out else None,
                      jobs_lowered=jobs_note)
    with open_candidates(candidates, input_format) as reader:
        concession_columns = check_columns(reader)  # whole-file problems stop here, before any row
        spool = Spool()
        # The results and the errors file are committed together at the end, or neither is.
        outputs = OutputSet(inputs)
        try:
            with ErrorSink(errors_path, outputs) as sink:
                _screen_rows(reader, organisation, alliance, concession_columns, core_objectives, jobs,
                             cache_size, spool, sink, summary,
                             sys.stderr.isatty() if progress is None else progress, reuse, dask, max_rows)
                sink.finish()
            summary.blank_rows = reader.blank_rows
            summary.error_preview, summary.problems = sink.preview, sink.count
            summary.seconds = time.perf_counter() - started
            write_results(spool.records(), fmt, out, summary, lang, outputs, spool.folder)
            for extra_fmt, extra_out in extra:  # the spool reads again from its start
                write_results(spool.records(), extra_fmt, extra_out, summary, lang, outputs, spool.folder)
            outputs.commit()
        except BaseException as error:
            outputs.discard(error)  # a full disk names the output it was for
            raise
        finally:
            spool.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _screen_rows(reader, organisation, alliance, concession_columns, core_objectives, jobs, cache_size,
                 spool: Spool, sink: ErrorSink, summary: Summary, show_progress: bool, reuse: bool = True,
                 dask: tuple[str, float] | None = None, max_rows: int | None = None) -> None:
    judge: Judge | DaskJudge
    if dask is not None:
        from tahaluf.screening.cluster import DaskJudge  # imports Dask: only when asked for

        address, timeout = dask
        judge = DaskJudge(organisation, alliance, address, reuse, timeout)
        jobs = max(2, judge.slots)  # the cluster's threads: the window keeps them all busy
    else:
        # Before the progress bar: the workers fork with no thread about. A worker's own reuse
        # (in this process too, with jobs=1) judges a job's later profiles by what its earlier taught.
        judge = Judge(organisation, alliance, jobs, reuse)
    bar = ProgressBar(show_progress, f"screening {Path(reader.name).name}")
    screener = Screener(judge, jobs, cache_size, spool, sink, summary, concession_columns, core_objectives,
                        new_reuse() if reuse else None)
    ok = False
    try:
        chunk: list = []
        rows = 0
        for row, values in reader.rows():
            if max_rows is not None and rows + len(chunk) >= max_rows:
                raise TooManyRows(reader.name, row, max_rows)
            chunk.append((row, values))
            if len(chunk) >= CHUNK_ROWS:
                rows += len(chunk)
                screener.dispatch(chunk)
                chunk = []
                bar.update(summary.rows_in, rows, reader.position())
        if chunk:
            screener.dispatch(chunk)
        screener.finish()
        bar.update(summary.rows_in, summary.rows_in, (1, 1))
        ok = True
    finally:
        bar.stop()
        judge.close(ok)
