"""Issue 10, bullet 3: a command line that behaves like the tools people know.

The format follows -o's extension (a contradicting --format is an error); '-' is standard
input (evaluate, screen) and standard output (-o); `init -` prints the template;
`python -m tahaluf`; --quiet; shell completion generated from the parser; --help with
examples; --lang wherever text is printed; `tahaluf check` lists every error.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import EXAMPLES

from tahaluf.cli import main

CORE = EXAMPLES / "core-concession.yaml"


def run(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tahaluf", *args], input=stdin, capture_output=True,
                          timeout=120, cwd=cwd)


# The format follows -o ------------------------------------------------------------------------


@pytest.mark.parametrize(("suffix", "starts"), [(".pdf", b"%PDF-"), (".html", b"<!DOCTYPE html>"),
                                                 (".json", b"{"), (".md", b"# ")])
def test_evaluate_takes_its_format_from_the_output_extension(tmp_path, suffix, starts):
    out = tmp_path / f"report{suffix}"
    result = run("evaluate", str(CORE), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(starts)


def test_a_format_that_contradicts_the_extension_is_an_error(tmp_path, capsys):
    out = tmp_path / "report.pdf"
    assert main(["evaluate", str(CORE), "--format", "md", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "report.pdf" in err and "md" in err and err.count("\n") == 1
    assert not out.exists()
    assert main(["evaluate", str(CORE), "--format", "pdf", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF-")


def test_screen_refuses_an_extension_it_cannot_write(tmp_path, capsys):
    out = tmp_path / "s.pdf"
    assert main(["screen", str(EXAMPLES / "candidates.csv"), "--org", str(EXAMPLES / "screening-org.yaml"),
                 "-o", str(out), "--jobs", "1"]) == 2
    assert "s.pdf" in capsys.readouterr().err and not out.exists()
    assert main(["screen", str(EXAMPLES / "candidates.csv"), "--org", str(EXAMPLES / "screening-org.yaml"),
                 "-o", str(tmp_path / "s.csv"), "--format", "xlsx", "--jobs", "1"]) == 2


# '-' is standard input and standard output -------------------------------------------------------


def test_evaluate_reads_standard_input():
    result = run("evaluate", "-", "--format", "json", stdin=CORE.read_bytes())
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["verdict"] == "do_not_proceed" and data["input"]["file"] == "<stdin>"


def test_bad_standard_input_is_named_stdin():
    result = run("evaluate", "-", stdin=b"organisation:\n  name: x\nalliance:\n  name: y\n  nam: y\n")
    assert result.returncode == 2
    assert result.stderr.decode() == "tahaluf: <stdin>:5: alliance.nam: unknown field (did you mean 'name'?)\n"


def test_dash_output_is_standard_output(tmp_path):
    result = run("evaluate", str(CORE), "--format", "json", "-o", "-", cwd=tmp_path)
    assert result.returncode == 0 and json.loads(result.stdout)["verdict"] == "do_not_proceed"
    assert not (tmp_path / "-").exists()


def test_screen_reads_standard_input_with_an_input_format(tmp_path):
    org = str(EXAMPLES / "screening-org.yaml")
    data = (EXAMPLES / "candidates.csv").read_bytes()
    result = run("screen", "-", "--input-format", "csv", "--org", org, "--jobs", "1", "-o", "-", stdin=data)
    assert result.returncode == 0, result.stderr
    piped = result.stdout.decode("utf-8-sig").splitlines()
    direct = run("screen", str(EXAMPLES / "candidates.csv"), "--org", org, "--jobs", "1")
    assert direct.returncode == 0, direct.stderr
    assert piped == direct.stdout.decode("utf-8-sig").splitlines() and len(piped) > 3
    missing = run("screen", "-", "--org", org, stdin=data)
    assert missing.returncode == 2 and b"--input-format" in missing.stderr


def test_init_dash_prints_the_template(tmp_path):
    result = run("init", "-", cwd=tmp_path)
    assert result.returncode == 0 and b"organisation:" in result.stdout
    assert not (tmp_path / "-").exists() and result.stderr == b""


# python -m tahaluf, --quiet, completion, --help ---------------------------------------------------


def test_python_dash_m_tahaluf_runs():
    result = run("--version")
    assert result.returncode == 0 and result.stdout.startswith(b"tahaluf ")


def test_quiet_silences_the_progress_lines(tmp_path):
    noisy = run("init", str(tmp_path / "a.yaml"))
    assert noisy.returncode == 0 and noisy.stderr
    quiet = run("init", "--quiet", str(tmp_path / "b.yaml"))
    assert quiet.returncode == 0 and quiet.stderr == b"" and (tmp_path / "b.yaml").exists()
    quiet = run("--quiet", "screen", str(EXAMPLES / "candidates.csv"), "--org", str(EXAMPLES / "screening-org.yaml"),
                "--jobs", "1")
    assert quiet.returncode == 0 and quiet.stderr == b"" and quiet.stdout
    # errors are never silenced
    failed = run("evaluate", "--quiet", str(tmp_path / "missing.yaml"))
    assert failed.returncode == 2 and b"missing.yaml" in failed.stderr


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_shell_completion_is_generated_from_the_parser(shell, tmp_path):
    result = run("completion", shell)
    assert result.returncode == 0, result.stderr
    script = result.stdout.decode()
    for word in ("evaluate", "screen", "check", "--input-format", "--lang"):
        assert word in script, word
    if shell == "bash":
        assert subprocess.run(["bash", "-n"], input=script, text=True).returncode == 0
        # the function it defines completes our subcommands
        probe = tmp_path / "probe.sh"
        probe.write_text(script + '\nCOMP_WORDS=(tahaluf ev); COMP_CWORD=1; COMP_LINE="tahaluf ev"; COMP_POINT=10\n'
                         'complete -p tahaluf >/dev/null && $(complete -p tahaluf | sed "s/.*-F \\([^ ]*\\) .*/\\1/") '
                         'tahaluf ev tahaluf; printf "%s\\n" "${COMPREPLY[@]}"\n', encoding="utf-8")
        out = subprocess.run(["bash", str(probe)], capture_output=True, text=True)
        assert "evaluate" in out.stdout.split(), (out.stdout, out.stderr)
    elif shutil.which("zsh"):
        assert subprocess.run(["zsh", "-n"], input=script, text=True).returncode == 0
    else:
        assert script.startswith("#compdef tahaluf")


@pytest.mark.parametrize("command", [[], ["evaluate"], ["screen"], ["check"]])
def test_help_shows_examples(command):
    result = run(*command, "--help")
    assert result.returncode == 0
    text = result.stdout.decode()
    assert "Examples:" in text and "tahaluf " + (command[0] if command else "evaluate") in text.split("Examples:")[1]


# --lang wherever text is printed; explain in plain words ------------------------------------------


def test_rules_and_explain_speak_arabic(capsys):
    assert main(["rules", "--lang", "ar"]) == 0
    listing = capsys.readouterr().out
    assert "لا يمس أي تنازل الأهداف المركزية" in listing and "No concession touches" not in listing
    assert main(["explain", "PR01", "--lang", "ar"]) == 0
    text = capsys.readouterr().out
    assert "شروط التعاون مع القطاعات الأخرى" in text and "مانع" in text


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("code", ["PR01", "PA01", "GV03", "MO03", "MN02"])
def test_explain_has_no_raw_placeholders_or_internal_words(capsys, code, lang):
    assert main(["explain", code, "--lang", lang]) == 0
    text = capsys.readouterr().out
    assert "{" not in text and "}" not in text
    for internal in ("cross_sector_terms", "partners_due_diligence", "motives_fit", "monitoring_evaluation",
                     "the card", "headline rules", "blocker    Dimension"):
        assert internal not in text, internal


# tahaluf check: every error in every file --------------------------------------------------------

TWO_MISTAKES = """\
organisation:
  name: Nahda
  size: huge
alliance:
  name: Water for all
  formality: formall
partners:
  - name: A
    sectr: ngo
"""


def test_check_lists_every_error_in_every_file(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(TWO_MISTAKES, encoding="utf-8")
    also = tmp_path / "dup.yaml"
    also.write_text("organisation:\n  name: a\n  name: b\nalliance:\n  name: x\n  scope: everywhere\n",
                    encoding="utf-8")
    assert main(["check", str(bad), str(also), str(CORE)]) == 2
    out = capsys.readouterr()
    lines = (out.out + out.err).splitlines()
    assert (f"{bad}:3: organisation.size: 'huge' is not one of 'small', 'medium' or 'large' "
            "(in Arabic: صغيرة، متوسط، كبيرة)") in lines
    assert any(line.startswith(f"{bad}:6: alliance.formality: 'formall'") for line in lines)
    assert any(line.startswith(f"{bad}:9: partners[0].sectr: unknown field") for line in lines)
    assert any(line.startswith(f"{also}:3: organisation.name: duplicate key") for line in lines)
    assert any(line.startswith(f"{also}:6: alliance.scope:") for line in lines)
    assert not any(str(CORE) in line and "ok" not in line for line in lines)
    assert main(["check", str(CORE)]) == 0


def test_evaluate_reports_every_error_too(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(TWO_MISTAKES, encoding="utf-8")
    assert main(["evaluate", str(bad)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert [line.split(":")[2] for line in err] == ["3", "6", "9"], err
    assert all(line.startswith(f"tahaluf: {bad}:") for line in err)


def test_an_unclosed_quote_is_reported_where_it_opens(tmp_path):
    from tahaluf.errors import InputError
    from tahaluf.evaluation import evaluate_file

    path = tmp_path / "quote.yaml"
    path.write_text('organisation:\n  name: "Nahda\nalliance:\n  name: Water\n\npartners: []\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        evaluate_file(path)
    assert str(caught.value).startswith(f"{path}:2: "), str(caught.value)
    assert "quote" in str(caught.value)


def test_check_reads_standard_input():
    result = run("check", "-", stdin=TWO_MISTAKES.encode())
    assert result.returncode == 2
    assert result.stdout.decode().count("<stdin>:") + result.stderr.decode().count("<stdin>:") == 3

