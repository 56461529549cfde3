"""The DOCX report's sections, in the PDF's order (templates brief_body.html.j2, report_body.html.j2):
the brief, then the full report as an annex. Prints the view model as it is: every word from the
catalogues, every value the user wrote marked as such (laid out by its own letters)."""

from __future__ import annotations

from docx.shared import Cm

from tahaluf.reports.docx import GREY, PRODUCT, VERDICT_COLOUR, DocxWriter, user


def write_brief(w: DocxWriter, part: str) -> None:
    r, t, b = w.report, w.t, w.report.brief
    w.paragraph(PRODUCT, bold=True, colour=GREY)
    w.paragraph(f"{t['label.based_on']}: {r.guide_title}", colour=GREY, size=9)
    w.paragraph(f"{t['heading.brief']} · {r.title}", colour=GREY)
    title = w.document.add_heading(level=0)
    w.direct(title)
    w.run(title, r.alliance, user=True)
    w.table(None, [(t["label.organisation"], user(r.organisation)), (t["label.date"], user(r.date)),
                   (t["label.checks_assessed"], r.score_text)])
    w.paragraph()

    w.paragraph(t["heading.verdict"], bold=True, colour=GREY)
    w.paragraph(r.verdict_label, bold=True, size=16, colour=VERDICT_COLOUR.get(r.verdict))
    w.paragraph(r.summary)
    _consultant(w)

    if b.red_flags:
        w.heading(t["heading.red_flags"], 2)
        for step in b.red_flags:
            w.paragraph(step.kind_label, " ", user(step.rule), " · ", step.guidance_ids, bold=True)
            w.paragraph(step.text)
            for q in step.guidance:
                _quote(w, q)
            w.paragraph(f"{t['label.must_change']}: ", step.change)
    if b.conditions:
        w.heading(t["heading.conditions"], 2)
        for c in b.conditions:
            count = f" ({c.count_text})" if c.folded else ""
            w.paragraph(f"{c.kind_label} ", user(c.rule) if c.rule else "", " " if c.rule else "", c.text, count,
                        style="List Bullet")
        if b.conditions_more:
            w.paragraph(b.conditions_more, colour=GREY)
    if b.keep_sound:
        w.heading(t["heading.keep_sound"], 2)
        for step in b.keep_sound:
            w.paragraph(step.text, style="List Bullet")

    if b.report.evidence:  # one line per deciding fact and what stands behind it (issue 25)
        w.heading(t["evidence.heading"], 2)
        for e in b.report.evidence:
            w.paragraph(e.fact, " — ", e.line, style="List Bullet")
    w.heading(t["heading.who_next"], 2)
    if any(s.user for s in b.who_next):  # a named owner and a due date from the plan: three columns
        table = w.table(None, [(user(s.who), user(s.what), user(s.due)) if s.user else (s.who, s.what, "")
                               for s in b.who_next])
        for row, step in zip(table.rows, b.who_next):
            if not step.user:  # as the PDF's colspan
                row.cells[1].merge(row.cells[2])
    else:
        w.table(None, [(s.who, s.what) for s in b.who_next])
    w.heading(t["heading.readiness"], 2)
    w.table((t["label.dimension"], t["label.range"], t["label.known"], t["label.level"]),
            [(row.label, row.score_text, user(row.known_text), row.level_label) for row in b.readiness])
    w.paragraph(t["brief.readiness_note"], colour=GREY, size=9)
    w.paragraph(b.method, colour=GREY, size=9)
    if part == "brief":
        w.paragraph(b.annex_note, colour=GREY, size=9)


def _consultant(w: DocxWriter) -> None:
    """Who prepared it, with their logo: user values, printed as text."""
    consultant, t = w.report.consultant, w.t
    if not consultant:
        return
    logo = getattr(consultant, "logo", None)
    if logo is not None:
        w.picture(w.paragraph(), logo.png, t["brief.logo"])
    if consultant.name or consultant.organisation:
        line = w.paragraph(f"{t['brief.prepared_by']}: ", user(consultant.name))
        if consultant.organisation:
            w.add(line, " · ")
            w.add(line, user(consultant.organisation))
    if consultant.recommendation:
        w.paragraph(f"{t['brief.recommendation']}: ", user(consultant.recommendation))


def _quote(w: DocxWriter, q, container=None) -> None:
    line = w.paragraph(user(q.id), " ", container=container, colour=GREY)
    w.add(line, q.text)
    for run in line.runs[2:]:
        run.italic = True


def write_annex(w: DocxWriter) -> None:
    r, t = w.report, w.t
    w.heading(t["heading.annex"], 1).paragraph_format.page_break_before = True  # as the PDF's annex

    w.heading(t["heading.next_steps"], 2)
    w.paragraph(t["label.next_steps_note"], colour=GREY)
    for step in r.next_steps_shown:
        refs = (" ", user(step.rule), " · ", step.guidance_ids) if step.rule and step.guidance else \
            (" ", user(step.rule)) if step.rule else ()
        w.paragraph(user(step.number), ". ", step.kind_label, *refs, bold=True)
        w.paragraph(step.text)
        if step.is_red_flag:
            for q in step.guidance:
                _quote(w, q)
            w.paragraph(f"{t['label.must_change']}: ", step.change)
        elif step.change:
            w.paragraph(f"{t['label.fix']}: ", step.change)
    if not r.next_steps_shown:
        w.paragraph(t["label.none"])

    _overview(w)
    _findings(w)
    _partners(w)
    if r.actions:
        w.heading(t["plan.heading"], 2)
        w.table((t["plan.what"], t["label.rule"], t["plan.owner"], t["plan.due"], t["label.status"]),
                [(user(a.what), user(a.rule), user(a.owner), user(a.due_text), a.status_label) for a in r.actions])
    if r.disagreements:
        w.heading(t["heading.disagreements"], 2)
        w.table(None, [(user(f.rule), f.severity_label, f.message) for f in r.disagreements])
    _not_assessed(w)
    _appendix(w)


def _overview(w: DocxWriter) -> None:
    r, t = w.report, w.t
    w.heading(t["label.at_a_glance"], 2)
    figures = [(t["heading.red_flags"], len(r.red_flags)), (t["heading.conditions"], r.conditions_count),
               *((group.label, group.count) for group in r.groups), (t["heading.not_assessed"], r.not_assessed_count)]
    w.table(tuple(caption for caption, _ in figures), [tuple(user(count) for _, count in figures)])
    w.heading(t["label.contents"], 2)
    for key in ("heading.next_steps", "heading.readiness", "heading.findings", "heading.partners",
                "heading.not_assessed"):
        w.paragraph(t[key], style="List Number")
    w.paragraph(f"{t['heading.appendix']}: {t['heading.explanation']}", style="List Number")


def _findings(w: DocxWriter) -> None:
    r, t = w.report, w.t
    w.heading(t["heading.findings"], 2)
    if not r.groups:
        w.paragraph(t["label.none"])
    separator = t["label.list_separator"]
    for group in r.groups:
        w.heading(f"{group.label} ({group.count})", 3)
        if group.compact:
            w.table((t["label.rule"], t["label.found"], t["label.guide_items"]),
                    [(user(row.rule), _with_subjects(row, separator), " ".join(q.id for q in row.guidance))
                     for row in group.rows])
            continue
        for f in group.entries:
            about = (f.count_text,) if f.folded else (f"{t['label.concerns']}: ", user(f.subject))
            w.paragraph(user(f.rule), " ", f.dimension_label, " · ", *about, bold=True)
            rows = [(t["label.found"], f.message)]
            if f.folded:
                names = _names(f.subjects, separator) + ((" " + f.more,) if f.more else ())
                rows.append((t["label.concerns"], names))
            rows.append((t["label.why"], [(user(q.id), " ", q.text) for q in f.guidance]))
            if f.needs_action:
                rows.append((t["label.fix"], f.fix))
            if not f.folded:
                rows.append((t["label.evidence"], [(fact.words, f" ({fact.line})" if fact.line else "")
                                                   for fact in f.evidence]))
            w.table(None, rows)
            w.paragraph()


def _names(subjects, separator: str) -> tuple:
    pieces: list = []
    for index, subject in enumerate(subjects):
        pieces += [separator] if index else []
        pieces.append(user(subject))
    return tuple(pieces)


def _with_subjects(row, separator: str) -> tuple:
    if not row.subjects:
        return (row.text,)
    return (row.text, " (", *_names(row.subjects, separator), ")")


def _partners(w: DocxWriter) -> None:
    r, t = w.report, w.t
    w.heading(t["heading.partners"], 2)
    rows = [(user(p.name), p.sector_label, p.status_label, user(p.blockers), user(p.majors), user(p.minors),
             user(p.not_assessed)) for p in r.partners]
    w.table((t["label.partner"], t["label.sector"], t["label.status"], t["severity.blocker"], t["severity.major"],
             t["severity.minor"], t["status.not_assessed"]), rows or [(t["label.none"], "", "", "", "", "", "")])


def _not_assessed(w: DocxWriter) -> None:
    r, t = w.report, w.t
    w.heading(t["heading.not_assessed"], 2)
    w.paragraph(t["label.not_assessed_note"], colour=GREY)
    separator = t["label.list_separator"]
    rows: list[tuple] = []
    for f in r.not_assessed_shown:
        question = (f.question,)
        if f.folded:
            question += (f" ({f.count_text}: ", *_names(f.subjects, separator), f" {f.more})" if f.more else ")")
        rows.append((user(f.rule), f.severity_label, f.dimension_label, question))
    w.table((t["label.rule"], t["label.severity"], t["label.dimension"], t["label.question"]),
            rows or [(t["label.none"], "", "", "")])


def _appendix(w: DocxWriter) -> None:
    r, t = w.report, w.t
    w.heading(t["heading.appendix"], 2)
    w.heading(t["heading.explanation"], 3)
    w.paragraph(t["label.explanation_note"], colour=GREY)
    for line in r.explanation_brief:
        # w:ind w:left is the paragraph's start: the right margin in a w:bidi paragraph
        w.paragraph(line.text, size=9).paragraph_format.left_indent = Cm(0.5 * min(int(line.depth), 4))
    w.table(None, [(t["label.knowledge_version"], user(r.knowledge_version)),
                   (t["label.input_file"], user(r.source_name)),
                   (t["label.input_hash"], user(r.source_sha256)),
                   (t["label.tahaluf_version"], user(r.tahaluf_version))])
    w.paragraph(t["label.reproduce"], colour=GREY)

