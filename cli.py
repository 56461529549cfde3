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
from tahaluf.cli_commands import (
    cmd_check,
    cmd_diff,
    cmd_evaluate,
    cmd_explain,
    cmd_guide,
    cmd_init,
    cmd_interview,
    cmd_merge,
    cmd_plan,
    cmd_rules,
    cmd_schema,
    cmd_screen,
    cmd_serve,
    cmd_whatif,
)
from tahaluf.cli_examples import EXAMPLES
from tahaluf.errors import TahalufError
from tahaluf.languages import language_codes
from tahaluf.reports.formats import REPORT_FORMATS

LANGS = language_codes()
SHELLS = ("bash", "zsh")


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
    evaluate.add_argument("--require-evidence", action="store_true",
                          help="a fact that clears a red flag or a major check needs evidence (see `evidence:`)")
    evaluate.add_argument("--evidence-max-age", type=int, metavar="MONTHS",
                          help="evidence older than this is noted for review (default: 12)")

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
    interview.add_argument("--ask-evidence", action="store_true",
                           help="after each answer, ask how you know it (Enter skips): kept under `evidence:`")

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
