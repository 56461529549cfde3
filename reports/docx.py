"""The DOCX report (python-docx): the board brief and, with part "full", the full report as an
annex, drawn from the same view model as the PDF, in the same sections and order, editable in Word
and LibreOffice.

Arabic is written right to left as Word expects it: every paragraph ``w:bidi``, every table
``w:bidiVisual``, the section ``w:bidi``; runs of our own words ``w:rtl`` (and a user value whose
first strong letter is right-to-left, in either language; one in both scripts follows the report),
the document's language ``ar-SA``.
Fonts with Arabic (Amiri for complex script, DejaVu Sans otherwise) are named in the styles.
User text is written as text (python-docx escapes it); what XML 1.0 cannot hold is stripped.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_DIRECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from tahaluf.reports.html import is_mixed
from tahaluf.reports.views import ReportView
from tahaluf.user_messages import Message

LATIN_FONT = "DejaVu Sans"
ARABIC_FONT = "Amiri"
PRODUCT = "Tahaluf · تحالف"  # the tool's name, as the PDF's masthead prints it
LOGO_HEIGHT = Cm(1.6)  # the consultant's logo on the brief, as in the PDF
# XML 1.0 forbids C0 controls but tab/LF/CR, lone surrogates and U+FFFE/FFFF; bidi controls are
# dropped too (Trojan Source), as the PDF does: direction comes from w:rtl and w:bidi alone.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]")
VERDICT_COLOUR = {"proceed": RGBColor(0x2F, 0x7D, 0x4F), "conditions": RGBColor(0xC9, 0x8A, 0x16),
                   "do_not_proceed": RGBColor(0xB8, 0x3A, 0x30)}
GREY = RGBColor(0x5B, 0x64, 0x6E)

# Element orders of the OOXML schema (Word refuses a file whose children are out of order).
_PPR_AFTER_BIDI = ("w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
                   "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
                   "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
                   "w:pPrChange")
_RPR_AFTER_SZCS = ("w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl",
                   "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")
_RPR_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")
_SECT_AFTER_BIDI = ("w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")


def xml_text(text: object) -> str:
    """``text`` as XML 1.0 can hold it."""
    return _NOT_XML.sub("", str(text))


def starts_right_to_left(text: str) -> bool:
    """The first strong letter is right-to-left (Arabic, Hebrew): how a user value is laid out."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def _child(parent, tag: str, successors: tuple[str, ...], **attributes: str):
    """``parent``'s ``tag`` child (added in schema order if missing), with ``attributes`` set."""
    element = parent.find(qn(tag))
    if element is None:
        element = OxmlElement(tag)
        parent.insert_element_before(element, *successors)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


class DocxWriter:
    """Paragraphs, tables and runs in the report's direction; the sections are in reports/docx_sections.py."""

    def __init__(self, report: ReportView, part: str = "brief"):
        self.report, self.part = report, part
        self.t = report.labels
        self.rtl = report.direction == "rtl"
        self.document = Document()
        self._page()
        self._styles()
        self._properties()

    # The document --------------------------------------------------------------------------

    def _page(self) -> None:
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4, as the PDF
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Cm(2))
        section.top_margin = section.bottom_margin = Cm(1.8)
        if self.rtl:
            _child(section._sectPr, "w:bidi", _SECT_AFTER_BIDI)

    def _styles(self) -> None:
        styles = self.document.styles
        defaults = styles.element.find(qn("w:docDefaults"))
        rpr_default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
        if rpr_default is not None and rpr_default.find(qn("w:rPr")) is not None:
            self._fonts(rpr_default.find(qn("w:rPr")))
        for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "Table Grid"):
            try:
                style = styles[name]
            except KeyError:
                continue
            self._fonts(style.element.get_or_add_rPr())
        normal = styles["Normal"]
        normal.font.size = Pt(10)
        self._complex_size(normal.element.get_or_add_rPr(), 10)
        for name, size in (("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11)):
            self._complex_size(styles[name].element.get_or_add_rPr(), size)

    def _fonts(self, rpr) -> None:
        """Our fonts over the template's theme fonts; the language for Arabic text (``w:bidi``)."""
        fonts = rpr.get_or_add_rFonts()
        for theme in ("asciiTheme", "hAnsiTheme", "cstheme", "eastAsiaTheme"):
            fonts.attrib.pop(qn(f"w:{theme}"), None)
        for slot in ("ascii", "hAnsi", "eastAsia"):
            fonts.set(qn(f"w:{slot}"), LATIN_FONT)
        fonts.set(qn("w:cs"), ARABIC_FONT)
        lang = {"val": "ar-SA" if self.rtl else "en-GB", "bidi": "ar-SA"}
        _child(rpr, "w:lang", _RPR_AFTER_LANG, **lang)

    @staticmethod
    def _complex_size(rpr, points: int) -> None:
        _child(rpr, "w:szCs", _RPR_AFTER_SZCS, val=str(points * 2))

    def _properties(self) -> None:
        """Title, language and subject (the verdict) as the PDF's metadata has them; author below."""
        core = self.document.core_properties
        heading = self.t["heading.brief"] if self.part == "brief" else self.report.title  # as the PDF's <title>
        core.title = xml_text(f"{heading}: {self.report.alliance}")[:255]
        core.language = self.report.lang
        core.subject = xml_text(self.report.verdict_label)
        core.author = ""
        core.last_modified_by = ""
        core.comments = ""
        core.keywords = ""
        now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        core.created = core.modified = now  # not the template's 2013
        consultant = self.report.consultant
        if consultant and consultant.name:
            core.author = xml_text(consultant.name)[:255]

    def to_bytes(self) -> bytes:
        package = self.document.part.package
        for key in [key for key, rel in package.rels.items() if rel.reltype.endswith("/thumbnail")]:
            del package.rels[key]  # the template's preview of an empty page, not of this report
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()

    # Paragraphs and runs -------------------------------------------------------------------

    def paragraph(self, *pieces, style: str | None = None, container=None, bold: bool = False,
                  size: float | None = None, colour: RGBColor | None = None):
        """One paragraph of ``pieces``: our words (str), a user value (``user(text)``) or a Message."""
        paragraph = (container or self.document).add_paragraph(style=style)
        self.direct(paragraph)
        for piece in pieces:
            self.add(paragraph, piece, bold=bold, size=size, colour=colour)
        return paragraph

    def heading(self, text: str, level: int):
        paragraph = self.document.add_heading(level=level)
        self.direct(paragraph)
        self.run(paragraph, text, user=False)
        return paragraph

    def direct(self, paragraph) -> None:
        if self.rtl:
            _child(paragraph._p.get_or_add_pPr(), "w:bidi", _PPR_AFTER_BIDI)

    def add(self, paragraph, piece, **style) -> None:
        if isinstance(piece, Message):
            for text, is_user in piece.parts:
                self.run(paragraph, text, user=is_user, **style)
        elif isinstance(piece, UserText):
            self.run(paragraph, piece.text, user=True, **style)
        elif piece:
            self.run(paragraph, str(piece), user=False, **style)

    def run(self, paragraph, text: str, user: bool, bold: bool = False, size: float | None = None,
            colour: RGBColor | None = None):
        text = xml_text(text)
        if not text:
            return None
        # Our words follow the report's direction; a user value its own first strong letter, or
        # the report's direction when it has letters of both (as the HTML's direct_mixed_values).
        rtl = (self.rtl if is_mixed(text) else starts_right_to_left(text)) if user else self.rtl
        if user and rtl != self.rtl:
            # A mark of the report's direction on each side keeps the value from taking the words
            # around it along (Word has no <bdi>): "Prepared by: NAME · ORGANISATION" stays in order.
            mark = "\u200f" if self.rtl else "\u200e"
            text = f"{mark}{text}{mark}"
        run = paragraph.add_run(text)
        if rtl:
            run.font.rtl = True
        if bold:
            run.font.bold = True
            run.font.cs_bold = True
        if size:
            run.font.size = Pt(size)
            self._complex_size(run._r.get_or_add_rPr(), int(size))
        if colour is not None:
            run.font.color.rgb = colour
        return run

    # Tables --------------------------------------------------------------------------------

    def table(self, header: tuple | None, rows: list[tuple]):
        """A grid: ``header`` (our words) in bold, then ``rows`` of pieces; laid out right to left in Arabic."""
        width = len(header) if header else max(len(row) for row in rows)
        table = self.document.add_table(rows=0, cols=width)
        table.style = self.document.styles["Table Grid"]
        if self.rtl:
            table.table_direction = WD_TABLE_DIRECTION.RTL
        for index, row in enumerate(([header] if header else []) + rows):
            cells = table.add_row().cells
            for cell, piece in zip(cells, row):
                # a cell: one piece, a tuple of pieces (one paragraph) or a list of paragraphs
                for number, line in enumerate(piece if isinstance(piece, list) else [piece]):
                    paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
                    self.direct(paragraph)
                    for part in line if isinstance(line, tuple) else (line,):
                        self.add(paragraph, part, bold=bool(header) and index == 0)
        return table

    def picture(self, paragraph, data: bytes, description: str) -> None:
        run = paragraph.add_run()
        shape = run.add_picture(io.BytesIO(data), height=LOGO_HEIGHT)
        properties = shape._inline.docPr
        properties.set("name", "logo")
        properties.set("descr", xml_text(description))


class UserText(str):
    """Text the user wrote (a name, a date they gave): laid out by its own letters."""

    @property
    def text(self) -> str:
        return str(self)


def user(value: object) -> UserText:
    return UserText(str(value))


def render_docx(report: ReportView, part: str = "brief") -> bytes:
    """``part``: "brief" (the board brief alone, the default as for PDF) or "full" (the full report as an annex)."""
    from tahaluf.reports.docx_sections import write_annex, write_brief

    writer = DocxWriter(report, part)
    write_brief(writer, part)
    if part != "brief":
        write_annex(writer)
    return writer.to_bytes()


__all__ = ["DocxWriter", "render_docx", "starts_right_to_left", "user", "xml_text", "GREY", "VERDICT_COLOUR"]
