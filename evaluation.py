"""The library's front door: evaluate one alliance file (or document) with the rule base."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from tahaluf.loader import SourceMap, display_name, load_yaml, read_text, validate
from tahaluf.model import AllianceDocument
from tahaluf.rules.declare import document_facts
from tahaluf.rules.engine import Inference, infer
from tahaluf.schema_walker import format_path


@dataclass(frozen=True)
class Evaluation:
    """One evaluated alliance: the input, what the rules concluded, and how to reproduce it."""

    document: AllianceDocument
    inference: Inference
    source_name: str
    source_sha256: str
    # Input path ("partners[0].sector") -> its line in the file, for pointing at facts.
    lines: dict[str, int | None] = field(default_factory=dict, compare=False, repr=False)

    @property
    def verdict(self) -> str:
        return self.inference.verdict


def evaluate_document(document: AllianceDocument, source_name: str = "<document>", source_sha256: str = "",
                      source: SourceMap | None = None) -> Evaluation:
    lines = {format_path(path): line for path, line in source.lines.items()} if source else {}
    return Evaluation(document, infer(document_facts(document)), source_name, source_sha256, lines)


def evaluate_file(path: str | Path) -> Evaluation:
    """Read, validate and evaluate one alliance YAML file, '-' for standard input (raises InputError
    on bad input, InputErrors listing every problem when there are several)."""
    name = display_name(path)
    text = read_text(Path(path))
    data, source = load_yaml(text, name, collect=True)
    document = validate(AllianceDocument, data, source, name)
    return evaluate_document(document, name, hashlib.sha256(text.encode("utf-8")).hexdigest(), source)
