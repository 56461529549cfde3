"""The `tahaluf` command: parse arguments, call the library, map its errors to exit codes.

Exit codes: 0 done; 1 an input/output failure (disk full, a file vanished: nothing
half-written is left); 2 bad input or usage; 3 the rules did not settle; 4 a report
could not be rendered; 130 interrupted (Ctrl-C, SIGTERM, SIGHUP); 141 standard output
closed before the end (broken pipe, e.g. `| head`).

Conventions: '-' is standard input as a file to read and standard output as ``-o``;
the format follows ``-o``'s extension; on a terminal, `evaluate` shows a one-screen
view (``--format md`` gives the raw Markdown) and binary formats refuse to print.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sys

if __package__ in (None, ""):  # `python cli.py` from a checkout: load this folder as the package
    import importlib.util
    import pathlib

    _root = pathlib.Path(__file__).resolve().parent
    _spec = importlib.util.spec_from_file_location("tahaluf", _root / "__init__.py",
                                                   submodule_search_locations=[str(_root)])
    assert _spec is not None and _spec.loader is not None  # a file location always has both
    _package = importlib.util.module_from_spec(_spec)
    sys.modules["tahaluf"] = _package
    _spec.loader.exec_module(_package)

from tahaluf import __version__
from tahaluf.cli_examples import EXAMPLES
from tahaluf.errors import InputError, TahalufError, UsageError
from tahaluf.languages import language_codes
from tahaluf.reports.formats import DEFAULT_FORMAT, REPORT_FORMATS, report_suffixes

LANGS = language_codes()
SHELLS = ("bash", "zsh")
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
    from tahaluf.reports.output import check_target, format_for, to_stdout, write_output

    _refuse_write_protected(args, args.output)
    fmt = format_for(args.output, args.format, report_suffixes(), DEFAULT_FORMAT)
    on_terminal = to_stdout(args.output) and _stdout_is_terminal()
    if on_terminal and REPORT_FORMATS[fmt].binary:
        raise UsageError(f"{fmt.upper()} is binary: give -o report.{fmt} rather than writing it to the terminal")
    inputs = () if args.file == "-" else (args.file,)
    if not to_stdout(args.output):
        from pathlib import Path

        check_target(Path(args.output), inputs)  # before the work: a device, a folder, the input itself
    evaluation = _evaluated(args.file, args.set or [])
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
    from tahaluf.loader import load_model, load_yaml, validate
    from tahaluf.merge import MergeError, merge_documents, merged_yaml
    from tahaluf.model import AllianceDocument
    from tahaluf.reports.output import write_output

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
    from tahaluf.reports import plan
    from tahaluf.reports.output import format_for, write_output

    editing = args.output is None and args.format is None
    _refuse_write_protected(args, args.file if editing else args.output)
    evaluation = evaluate_file(args.file)
    if editing:
        proposed = plan.proposed_actions(evaluation, args.lang)
        plan.add_to_file(Path(args.file), proposed)
        _note(args, f"{args.file}: {knowledge.count_phrase('proposed_action', len(proposed), 'en')}; "
                    "give each an owner and a due date")
        return
    fmt = format_for(args.output, args.format, {".xlsx": "xlsx", ".ics": "ics"}, "ics")
    document = evaluation.document
    write_output(plan.plan_xlsx(document, args.lang) if fmt == "xlsx" else plan.plan_ics(document), args.output,
                 [args.file])


def _refuse_write_protected(args, path: str | None) -> None:
    """A write-protected output or alliance file is refused, unless --force (before any work)."""
    from tahaluf.reports.output import refuse_write_protected, to_stdout

    if path is not None and not to_stdout(path):
        refuse_write_protected(path, args.force)


def _evaluated(file: str, assignments: list[str]):
    """FILE's evaluation, under the facts changed by --set PATH=VALUE (the file is not touched)."""
    from tahaluf.evaluation import evaluate_document, evaluate_file

    evaluation = evaluate_file(file)
    if not assignments:
        return evaluation
    from tahaluf.consultation import as_data, with_changes

    document = with_changes(as_data(evaluation.document), assignments)
    return evaluate_document(document, evaluation.source_name + " (--set)", evaluation.source_sha256)


def cmd_interview(args) -> int:
    from tahaluf.reports.interview import run, saved_line

    _refuse_write_protected(args, args.file)
    try:
        run(args.file, args.lang)
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
    from tahaluf.reports.diff_report import render_diff_json, render_diff_markdown
    from tahaluf.reports.output import format_for, to_stdout, write_output

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
    from tahaluf.reports.output import to_stdout

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


def cmd_completion(args) -> None:
    import shtab

    parser = build_parser()
    for action in parser.file_actions:
        action.complete = shtab.FILE  # type: ignore[attr-defined]  # shtab's own attribute, unknown to argparse's stubs
    sys.stdout.write(shtab.complete(parser, shell=args.shell))


# The parser ----------------------------------------------------------------------------------


def _command(commands, common, name: str, help_text: str, run) -> argparse.ArgumentParser:
    parser = commands.add_parser(name, help=help_text, description=help_text[:1].upper() + help_text[1:] + ".",
                                 parents=[common], epilog=EXAMPLES.get(name),
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.set_defaults(run=run)
    return parser


def _force(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true",
                        help="replace a write-protected output (or FILE) anyway, as cp -f would")


class _Parser(argparse.ArgumentParser):
    file_actions: list[argparse.Action]  # the arguments that name files: completed as files by the shell


def build_parser() -> _Parser:
    parser = _Parser(
        prog="tahaluf", description="Advice on whether, and on what terms, to enter a proposed alliance.",
        epilog=EXAMPLES["tahaluf"], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"tahaluf {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress or summary lines on standard error")
    # The same option after a command; SUPPRESS keeps a command from resetting the one given before it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                        help="no progress or summary lines on standard error")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    files: list[argparse.Action] = []

    evaluate = _command(commands, common, "evaluate", "evaluate one alliance file and give the advice", cmd_evaluate)
    files.append(evaluate.add_argument("file", help="alliance YAML file (see `tahaluf init`); '-' for standard input"))
    evaluate.add_argument("--format", choices=tuple(REPORT_FORMATS),
                          help="report format (default: from the -o extension; else a terminal view on a "
                               "terminal and Markdown elsewhere)")
    evaluate.add_argument("--lang", choices=LANGS, default="en", help="report language (default: en)")
    files.append(evaluate.add_argument("-o", "--output", metavar="OUT",
                                       help="write here (atomically) instead of standard output ('-')"))
    _force(evaluate)
    evaluate.add_argument("--explain", action="store_true", help="show how the verdict was derived, down to the facts")
    evaluate.add_argument("--by", metavar="'NAME, ORGANISATION'",
                          help="who prepared the report, printed on the brief (else the file's report: section)")
    files.append(evaluate.add_argument(
        "--logo", metavar="FILE", help="a PNG or SVG logo (at most 512 KB) printed with who prepared it on the "
                                       "HTML, PDF and DOCX brief (else the file's report: logo:)"))
    part = evaluate.add_mutually_exclusive_group()
    part.add_argument("--brief", action="store_true",
                      help="the board brief alone (verdict, red flags, who does what next): the default for PDF")
    part.add_argument("--full", action="store_true",
                      help="the brief and then the full report as an annex: the default for Markdown and HTML")
    evaluate.add_argument("--anonymous", action="store_true",
                          help="in a merged assessment, name the respondents by number")

    plan_ = _command(commands, common, "plan", "propose the action plan into FILE, or export it", cmd_plan)
    files.append(plan_.add_argument("file", help="alliance YAML file; its `actions:` are added to or exported"))
    plan_.add_argument("--format", choices=("xlsx", "ics"), help="export the plan (default: from the -o extension)")
    _force(plan_)
    plan_.add_argument("--lang", choices=LANGS, default="en", help="language of the proposed actions (default: en)")
    files.append(plan_.add_argument("-o", "--output", metavar="OUT", help="export here instead of editing FILE"))

    diff = _command(commands, common, "diff", "compare two assessments of one alliance", cmd_diff)
    files.append(diff.add_argument("old", help="the earlier alliance file or JSON report"))
    files.append(diff.add_argument("new", help="the later alliance file or JSON report"))
    diff.add_argument("--format", choices=("md", "json"), help="output format (default: from -o, else md)")
    _force(diff)
    diff.add_argument("--lang", choices=LANGS, default="en", help="language (default: en)")
    files.append(diff.add_argument("-o", "--output", metavar="OUT", help="write here (atomically)"))

    merge = _command(commands, common, "merge", "merge several respondents' files about one alliance", cmd_merge)
    files.append(merge.add_argument("files", nargs="+", metavar="FILE",
                                    help="each respondent's alliance file "
                                         "(`respondent:` names them, else the file name)"))
    files.append(merge.add_argument("-o", "--output", metavar="OUT",
                                    help="write the merged assessment here (atomically) instead of standard output"))
    _force(merge)
    evaluate.add_argument("--set", action="append", metavar="PATH=VALUE",
                          help="evaluate as if this fact were so (repeatable; the file is not changed), "
                               "e.g. --set partners[0].sector=private; an empty VALUE makes it unknown")

    interview = _command(commands, common, "interview",
                         "answer, one question at a time, only what can change the verdict", cmd_interview)
    files.append(interview.add_argument("file", nargs="?", default="alliance.yaml",
                                        help="alliance file to start from or create (default: alliance.yaml); "
                                             "each answer is saved in it at once"))
    _force(interview)
    interview.add_argument("--lang", choices=LANGS, default="en", help="language of the questions (default: en)")

    whatif = _command(commands, common, "whatif",
                      "the verdict, the answers that would change it, and what it would take to proceed",
                      cmd_whatif)
    files.append(whatif.add_argument("file", help="alliance YAML file; '-' for standard input"))
    whatif.add_argument("--format", choices=("text", "json"), default="text")
    whatif.add_argument("--lang", choices=LANGS, default="en")
    whatif.add_argument("--all", action="store_true",
                        help="the full table: every open question, each answer's verdict, the fields' paths")
    whatif.add_argument("--set", action="append", metavar="PATH=VALUE", help="as for evaluate")

    check = _command(commands, common, "check", "validate alliance files without evaluating them", cmd_check)
    files.append(check.add_argument("files", nargs="+", metavar="FILE",
                                    help="alliance YAML files; '-' for standard input"))

    _command(commands, common, "schema", "print the JSON Schema of the input format", cmd_schema)

    init = _command(commands, common, "init", "write a commented alliance template to fill in", cmd_init)
    files.append(init.add_argument("output", nargs="?", default="alliance.yaml",
                                   help="file to write (default: alliance.yaml); '-' prints it"))
    init.add_argument("--force", action="store_true", help="replace an existing file")
    init.add_argument("--lang", choices=LANGS, default="en",
                      help="language of the comments and questions; keys stay English (default: en)")

    rules = _command(commands, common, "rules", "list every rule", cmd_rules)
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.add_argument("--lang", choices=LANGS, default="en", help="language of the summaries (default: en)")

    explain = _command(commands, common, "explain", "print one rule's documentation with the guide's words",
                       cmd_explain)
    explain.add_argument("code", help="rule code, e.g. PR01")
    explain.add_argument("--lang", choices=LANGS, default="en", help="language (default: en)")

    guide = _command(commands, common, "guide", "print the guide item by item with the rules that encode it",
                     cmd_guide)
    guide.add_argument("--format", choices=("text", "json"), default="text")
    guide.add_argument("--lang", choices=LANGS, default="en")

    screen = _command(commands, common, "screen", "screen a list of candidate partners, best first", cmd_screen)
    files.append(screen.add_argument(
        "candidates", nargs="?",
        help="candidates: CSV, XLSX, JSONL or YAML, one candidate partner a row; '-' for standard input"))
    screen.add_argument("--input-format", choices=("csv", "xlsx", "jsonl", "yaml"),
                        help="format of CANDIDATES (default: from its extension; needed for '-')")
    files.append(screen.add_argument("--org",
                                     help="alliance YAML giving our organisation and the alliance (required)"))
    files.append(screen.add_argument(
        "--template", metavar="FILE",
        help="write a candidates sheet to fill in (.xlsx: questions, dropdowns, an example row; or .csv) "
             "in --lang, instead of screening; an existing FILE only with --force"))
    files.append(screen.add_argument("-o", "--output", metavar="OUT",
                                     help="write here (atomically) instead of standard output ('-')"))
    screen.add_argument("--format", choices=("csv", "xlsx", "jsonl", "html"),
                        help="output format (default: from the -o extension, else csv)")
    screen.add_argument("--jobs", type=int, help="worker processes (default: every core; 1 = in-process)")
    screen.add_argument("--dask", metavar="ADDRESS",
                        help="judge on the Dask cluster whose scheduler is at ADDRESS, e.g. tcp://10.0.0.5:8786, "
                             "instead of --jobs (needs pip install 'tahaluf[dask]')")
    screen.add_argument("--dask-timeout", type=float, metavar="SECONDS",
                        help="with --dask: give up when the scheduler has not answered (or has no worker) "
                             "within SECONDS (default: 10)")
    _force(screen)
    screen.add_argument("--lang", choices=LANGS, default="en",
                        help="language of the reasons, the XLSX and HTML, and of a --template (default: en)")
    files.append(screen.add_argument(
        "--errors", metavar="ERRORS_FILE",
        help="CSV of rejected rows (default: OUT.errors.csv with -o, else only summarised)"))

    serve = _command(commands, common, "serve", "the consultation and the reports in a browser, on this machine",
                     cmd_serve)
    files.append(serve.add_argument("workspace", nargs="?", default="tahaluf-workspace",
                                    help="folder of alliance YAML files (default: tahaluf-workspace; created if "
                                         "missing)"))
    serve.add_argument("--port", type=int, default=8765, help="port (default: 8765)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1, this machine only); any other needs the "
                            "access token printed at start")
    serve.add_argument("--allow-host", action="append", metavar="NAME",
                       help="answer requests addressed to NAME too (repeatable; NAME or NAME:PORT), e.g. this "
                            "machine's name on the network; by default only 127.0.0.1, localhost, [::1] and --host")
    serve.add_argument("--open", action="store_true", help="open the address in the default browser")
    serve.add_argument("--workers", type=int, default=None, metavar="N",
                       help="processes that evaluate and render (default: one per core; 0: none, all in the "
                            "server's one thread)")

    completion = _command(commands, common, "completion", "print a shell completion script", cmd_completion)
    completion.add_argument("shell", choices=SHELLS)

    parser.file_actions = files
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args) or 0
    except TahalufError as error:
        for line in getattr(error, "lines", None) or [str(error)]:
            print(f"tahaluf: {line}", file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:  # before OSError, of which it is one: the reader of our output went away
        _silence_stdout()
        print("tahaluf: standard output closed before the end (broken pipe)", file=sys.stderr)
        return 141
    except OSError as error:  # a disk full, a file vanished mid-run: one line, never a traceback
        where = f"{error.filename}: " if error.filename else ""
        print(f"tahaluf: {where}{error.strerror or error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("tahaluf: interrupted", file=sys.stderr)
        return 130


def _silence_stdout() -> None:
    """Point standard output at the null device, so the interpreter's last flush at exit
    cannot fail again on the closed pipe (and print a traceback)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
