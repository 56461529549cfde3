"""What each `tahaluf` command does, for cli.py: each takes the parsed arguments, calls the library
and writes what it returns; errors go up to cli.main, which maps them to exit codes."""

from __future__ import annotations

import os
import re
import shlex
import sys

from tahaluf.errors import InputError, UsageError
from tahaluf.reports.formats import DEFAULT_FORMAT, REPORT_FORMATS, report_suffixes

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _stdin_is_terminal() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _note(args, text: str) -> None:
    """A progress line on standard error, unless --quiet (errors are never silenced)."""
    if not args.quiet:
        print(text, file=sys.stderr)


# Commands -----------------------------------------------------------------------------------


def cmd_evaluate(args) -> None:
    from tahaluf.files.output import check_target, format_for, to_stdout, write_output

    _refuse_write_protected(args, args.output)
    fmt = format_for(args.output, args.format, report_suffixes(), DEFAULT_FORMAT)
    on_terminal = to_stdout(args.output) and _stdout_is_terminal()
    if on_terminal and REPORT_FORMATS[fmt].binary:
        raise UsageError(f"{fmt.upper()} is binary: give -o report.{fmt} rather than writing it to the terminal")
    inputs = () if args.file == "-" else (args.file,)
    if not to_stdout(args.output):
        from pathlib import Path

        check_target(Path(args.output), inputs)  # before the work: a device, a folder, the input itself
    evaluation = _evaluated(args.file, args.set or [], _evidence_rules(args))
    if on_terminal and args.format is None:
        _show_on_terminal(evaluation, args)
        return
    from tahaluf.logo import logo_for
    from tahaluf.reports.render import render_report

    logo = logo_for(args.logo, evaluation.document, args.file)  # checked before anything is written
    part = "brief" if args.brief else "full" if args.full else None  # None: each format's default
    write_output(render_report(evaluation, fmt, args.lang, explain=args.explain, anonymous=args.anonymous,
                               part=part, by=args.by, logo=logo),
                 args.output, inputs)


def cmd_merge(args) -> None:
    from pathlib import Path

    from tahaluf import knowledge, limits
    from tahaluf.files.output import write_output
    from tahaluf.loader import load_model, load_yaml, validate
    from tahaluf.merge import MergeError, merge_documents, merged_yaml
    from tahaluf.model import AllianceDocument

    _refuse_write_protected(args, args.output)
    if len(args.files) > limits.MAX_RESPONDENTS:  # before reading any: `check` would refuse the result
        raise UsageError(f"{len(args.files)} files: a merged assessment holds at most "
                         f"{limits.MAX_RESPONDENTS} respondents; merge in groups of at most {limits.MAX_RESPONDENTS}")
    named = []
    for path in args.files:
        document = load_model(path, AllianceDocument)
        named.append((document.respondent or Path(path).stem, document))
    try:
        merged = merge_documents(named)
    except MergeError as error:
        raise UsageError(str(error)) from None
    text = merged_yaml(merged)
    try:  # never write a file that `check` and `evaluate` would refuse (the union may pass a limit)
        if len(text.encode("utf-8")) > limits.ALLIANCE_MAX_BYTES:
            raise UsageError(f"the merged assessment would exceed {limits.ALLIANCE_MAX_BYTES:,} bytes, the limit")
        validate(AllianceDocument, *load_yaml(text, "merged", collect=True), "merged")
    except InputError as error:
        raise UsageError(f"the merged assessment would not be a valid file ({error.lines[0]}); "
                         "nothing written") from None
    write_output(text, args.output, [path for path in args.files if path != "-"])
    _note(args, f"merged {knowledge.count_phrase('respondent_file', len(named), 'en')}; "
                f"{knowledge.count_phrase('disputed_fact', len(merged.get('disputes', [])), 'en')}")


def cmd_plan(args) -> None:
    """Propose one action per next step into FILE, or export the plan (xlsx, ics)."""
    from pathlib import Path

    from tahaluf import knowledge
    from tahaluf.evaluation import evaluate_file
    from tahaluf.files.alliance_file import add_actions
    from tahaluf.files.output import format_for, write_output
    from tahaluf.reports import plan

    editing = args.output is None and args.format is None
    _refuse_write_protected(args, args.file if editing else args.output)
    evaluation = evaluate_file(args.file)
    if editing:
        proposed = plan.proposed_actions(evaluation, args.lang)
        add_actions(Path(args.file), proposed)
        _note(args, f"{args.file}: {knowledge.count_phrase('proposed_action', len(proposed), 'en')}; "
                    "give each an owner and a due date")
        return
    fmt = format_for(args.output, args.format, {".xlsx": "xlsx", ".ics": "ics"}, "ics")
    document = evaluation.document
    write_output(plan.plan_xlsx(document, args.lang) if fmt == "xlsx" else plan.plan_ics(document), args.output,
                 [args.file])


def _refuse_write_protected(args, path: str | None) -> None:
    """A write-protected output or alliance file is refused, unless --force (before any work)."""
    from tahaluf.files.output import refuse_write_protected, to_stdout

    if path is not None and not to_stdout(path):
        refuse_write_protected(path, args.force)


def _evidence_rules(args):
    """What --require-evidence and --evidence-max-age ask of the evidence behind facts (a policy
    file will give it instead, issue 25); the defaults when neither is given."""
    from tahaluf.evidence_rules import EvidenceRules

    max_age = getattr(args, "evidence_max_age", None)
    if max_age is not None and not 1 <= max_age <= 120:
        raise UsageError(f"--evidence-max-age {max_age}: give a number of months from 1 to 120")
    return EvidenceRules(required=bool(getattr(args, "require_evidence", False)),
                         **({"max_age_months": max_age} if max_age is not None else {}))


def _evaluated(file: str, assignments: list[str], evidence_rules=None):
    """FILE's evaluation, under the facts changed by --set PATH=VALUE (the file is not touched)."""
    from tahaluf.evaluation import evaluate_document, evaluate_file

    evaluation = evaluate_file(file, evidence_rules=evidence_rules)
    if not assignments:
        return evaluation
    from tahaluf.consultation import as_data, with_changes

    document = with_changes(as_data(evaluation.document), assignments)
    return evaluate_document(document, evaluation.source_name + " (--set)", evaluation.source_sha256,
                             evidence_rules=evidence_rules)


def cmd_interview(args) -> int:
    from tahaluf.cli_interview import run, saved_line

    _refuse_write_protected(args, args.file)
    try:
        run(args.file, args.lang, evidence=args.ask_evidence)
    except KeyboardInterrupt:
        print("\n" + saved_line(args.file, args.lang), file=sys.stderr)
        return 130
    except EOFError:  # the terminal closed: every answer given is already in the file
        print(("\n" if _stdin_is_terminal() else "") + saved_line(args.file, args.lang), file=sys.stderr)
        return 0 if os.path.exists(args.file) else 1  # no input at all: nothing was made
    return 0


def cmd_whatif(args) -> None:
    from tahaluf.reports.whatif import render_whatif

    evaluation = _evaluated(args.file, args.set or [])
    sys.stdout.write(render_whatif(evaluation, args.lang, args.format, every=args.all))


def cmd_diff(args) -> None:
    from tahaluf.diff import compare, snapshot_of_file
    from tahaluf.files.output import format_for, to_stdout, write_output
    from tahaluf.reports.diff_report import render_diff_json, render_diff_markdown

    _refuse_write_protected(args, args.output)
    comparison = compare(snapshot_of_file(args.old), snapshot_of_file(args.new))
    fmt = format_for(args.output, args.format, {".md": "md", ".json": "json"}, "md")
    text = render_diff_json(comparison) if fmt == "json" else render_diff_markdown(comparison, args.lang)
    if fmt == "md" and args.format is None and to_stdout(args.output) and _stdout_is_terminal():
        from rich.console import Console
        from rich.markdown import Markdown

        Console(highlight=False).print(Markdown(text))
        return
    write_output(text, args.output, [path for path in (args.old, args.new) if path != "-"])


def _show_on_terminal(evaluation, args) -> None:
    from rich.console import Console

    from tahaluf.reports.terminal import show
    from tahaluf.reports.viewmodel import build_report

    source = shlex.quote(_CONTROL.sub("?", args.file))
    lang = f" --lang {args.lang}" if args.lang != "en" else ""
    hints = (f"tahaluf evaluate {source}{lang} --format md | less -R",
             f"tahaluf evaluate {source}{lang} -o report.pdf")
    show(build_report(evaluation, args.lang, args.anonymous), Console(highlight=False), hints)


def cmd_check(args) -> int:
    from tahaluf.loader import display_name, load_model
    from tahaluf.model import AllianceDocument

    failed = False
    for path in args.files:
        try:
            load_model(path, AllianceDocument)
        except InputError as error:
            failed = True
            for line in error.lines:
                print(line)
        else:
            if not args.quiet:
                print(f"{display_name(path)}: ok")
    return 2 if failed else 0


def cmd_schema(args) -> None:
    from tahaluf.catalogue import json_schema

    sys.stdout.write(json_schema())


def cmd_init(args) -> None:
    from tahaluf.catalogue import template_text, write_template
    from tahaluf.files.output import to_stdout

    if to_stdout(args.output):
        sys.stdout.write(template_text(args.lang))
        return
    write_template(args.output, force=args.force, lang=args.lang)
    _note(args, f"wrote {args.output}")


def cmd_rules(args) -> None:
    from tahaluf.catalogue import rules_listing

    sys.stdout.write(rules_listing(args.format, args.lang))


def cmd_explain(args) -> None:
    from tahaluf.catalogue import rule_documentation

    sys.stdout.write(rule_documentation(args.code, args.lang))


def cmd_guide(args) -> None:
    from tahaluf.catalogue import guide_listing

    sys.stdout.write(guide_listing(args.format, args.lang))


def cmd_screen(args) -> None:
    from tahaluf.screening import screen_file

    if args.template is not None:
        from tahaluf.screening.template import write_template

        if args.candidates is not None or args.org is not None:
            raise UsageError("--template writes a candidates sheet to fill in: give it no CANDIDATES or --org")
        write_template(args.template, lang=args.lang, force=args.force)
        _note(args, f"wrote {args.template}")
        return
    if args.candidates is None or args.org is None:
        raise UsageError("screen needs CANDIDATES and --org ORG.yaml (or --template FILE for a sheet to fill in)")
    _refuse_write_protected(args, args.output)
    default_errors = None if args.output in (None, "-") else f"{args.output}.errors.csv"
    _refuse_write_protected(args, args.errors or default_errors)
    summary = screen_file(args.candidates, args.org, output=args.output, fmt=args.format, jobs=args.jobs,
                          lang=args.lang, errors=args.errors, input_format=args.input_format,
                          progress=False if args.quiet else None, dask=args.dask,
                          dask_timeout=args.dask_timeout)
    _note(args, summary.text())


def cmd_serve(args) -> None:
    try:
        from tahaluf.web.app import create_app
        from tahaluf.web.frontdoor import allowed_hosts
        from tahaluf.web.security import is_loopback, new_token
        from tahaluf.web.server import run
    except ImportError as error:  # the optional extra is not installed
        raise UsageError(f"the web app needs its extra: pip install 'tahaluf[web]' ({error.name} missing)") from None
    # Reachable from other machines: only with the access token printed here.
    token = None if is_loopback(args.host) else new_token()
    # Only the names it is reached by: a page that points its own name at this address is refused.
    hosts = allowed_hosts(args.host, args.port, args.allow_host or ())
    if args.workers is not None and args.workers < 0:
        raise UsageError("--workers must be 0 or more")
    app = create_app(args.workspace, token, args.workers, hosts=hosts)
    shown = f"[{args.host}]" if ":" in args.host else args.host
    address = f"http://{shown}:{args.port}/" + (f"?token={token}" if token else "")
    print(f"tahaluf: serving {args.workspace} at {address} (Ctrl-C to stop)", file=sys.stderr, flush=True)
    if token:
        print(f"tahaluf: listening on {args.host}: every request needs the access token {token}",
              file=sys.stderr, flush=True)
        print(f"tahaluf: answering requests addressed to {', '.join(sorted(hosts))} only (more with --allow-host)",
              file=sys.stderr, flush=True)
    if args.open:
        import threading
        import webbrowser

        threading.Timer(0.8, webbrowser.open, (address,)).start()
    run(app, args.host, args.port)
