"""The examples each command's --help ends with (the `tahaluf` command's own under "tahaluf")."""

EXAMPLES = {
    "tahaluf": """\
Examples:
  tahaluf init alliance.yaml                     a commented template to fill in
  tahaluf check alliance.yaml                    every mistake in the file, with its line
  tahaluf evaluate alliance.yaml                 the advice on this terminal
  tahaluf evaluate alliance.yaml -o report.pdf   the full report (the format follows the extension)
  tahaluf screen candidates.csv --org org.yaml -o screening.xlsx
  tahaluf completion bash > ~/.local/share/bash-completion/completions/tahaluf""",
    "evaluate": """\
Examples:
  tahaluf evaluate alliance.yaml                          on a terminal: the verdict and what to do
  tahaluf evaluate alliance.yaml --lang ar -o report.pdf  the full report in Arabic, as PDF
  tahaluf evaluate alliance.yaml --format md | less       the full report as Markdown
  tahaluf evaluate alliance.yaml --format json --explain  for programs, with the chain of reasons
  tahaluf evaluate alliance.yaml --set partners[0].sector=private   as if that fact were so
  cat alliance.yaml | tahaluf evaluate - -o report.html   read standard input""",
    "interview": """\
Examples:
  tahaluf interview alliance.yaml              start (or resume) the questions for this file
  tahaluf interview alliance.yaml --lang ar    in Arabic""",
    "whatif": """\
Examples:
  tahaluf whatif alliance.yaml                 the verdict, the answers that would change it, what it takes to proceed
  tahaluf whatif alliance.yaml --all --format json""",
    "screen": """\
Examples:
  tahaluf screen --template candidates.xlsx --lang ar            a sheet to fill in: questions, dropdowns
  tahaluf screen candidates.csv --org org.yaml                    CSV on standard output
  tahaluf screen candidates.xlsx --org org.yaml -o screening.xlsx
  tahaluf screen candidates.csv --org org.yaml --lang ar -o screening.html
  some-export | tahaluf screen - --input-format jsonl --org org.yaml -o screening.csv
  tahaluf screen registry.csv --org org.yaml -o screening.csv --dask tcp://10.0.0.5:8786   on a Dask cluster""",
    "check": """\
Examples:
  tahaluf check alliance.yaml                  every mistake, as FILE:LINE: field: problem
  tahaluf check examples/*.yaml                many files at once; exit 2 if any has a mistake
  cat alliance.yaml | tahaluf check -""",
    "policy": """\
Examples:
  tahaluf policy check examples/policies/policy.yaml    every problem, as FILE:LINE: where: problem; exit 2
  tahaluf policy test examples/policies/policy.yaml     run the policy's own examples; exit 1 if one fails
  tahaluf evaluate alliance.yaml --policy examples/policies/policy.yaml""",
    "init": """\
Examples:
  tahaluf init alliance.yaml
  tahaluf init - | less                        read the template without writing a file""",
    "rules": """\
Examples:
  tahaluf rules
  tahaluf rules --lang ar
  tahaluf rules --format json""",
    "explain": """\
Examples:
  tahaluf explain PR01
  tahaluf explain pa01 --lang ar""",
    "guide": """\
Examples:
  tahaluf guide
  tahaluf guide --format json""",
    "serve": """\
Examples:
  tahaluf serve examples                       the shipped examples at http://127.0.0.1:8765/
  tahaluf serve my-assessments --port 9000 --open
  tahaluf serve examples --host 0.0.0.0 --allow-host myhost.lan   other machines too, as http://myhost.lan:8765/,
                                                                 only with the access token printed""",
    "completion": """\
Examples:
  tahaluf completion bash > ~/.local/share/bash-completion/completions/tahaluf
  tahaluf completion zsh > "${fpath[1]}/_tahaluf\"""",
}
