"""The consultant's logo (`evaluate --logo FILE`, or the file's ``report: logo:``), printed on the
brief beside who prepared it: a local PNG or SVG file, checked before any report is written.

A PNG must be one (signature, a readable image, sane dimensions). An SVG is refused if it could
reach outside itself or run anything — a script, a foreignObject, an event handler, a DTD or entity,
a style sheet processing instruction, a reference (href, url()) that is not to its own elements —
and is then drawn to a PNG (CairoSVG, which fetches nothing unless told to). So every report embeds
the same checked PNG, as a data URI in HTML and PDF and as a picture in DOCX: WeasyPrint never
parses the user's SVG, and may still read nothing but the package's assets and that one image.
"""

from __future__ import annotations

import base64
import io
import re
import stat
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

from tahaluf import limits
from tahaluf.errors import InputError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "{http://www.w3.org/2000/svg}"
# Elements that run code or pull in other documents (SVG's own and HTML's, which a foreignObject could hold).
_REFUSED_ELEMENTS = frozenset({"script", "foreignObject", "iframe", "embed", "object", "audio", "video",
                               "handler", "listener", "animation"})
_URL = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)
_IMPORT = re.compile(r"@import", re.IGNORECASE)
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px|pt|pc|mm|cm|in)?\s*$")
_MAX_RATIO = 8  # a logo at most 8 times as wide as high, or as high as wide


@dataclass(frozen=True)
class Logo:
    """A checked logo as a PNG: what the HTML, PDF and DOCX reports embed."""

    png: bytes
    width: int
    height: int
    source: str  # the file it was read from, for messages

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


def _refuse(path: Path, problem: str) -> InputError:
    return InputError(str(path), None, None, f"logo refused: {problem}")


def load_logo(path: str | Path) -> Logo:
    """The logo in ``path``, checked (and an SVG drawn to a PNG); else an InputError naming the file."""
    path = Path(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise _refuse(path, "not a regular file")
        if info.st_size > limits.LOGO_MAX_BYTES:
            raise _refuse(path, f"{info.st_size} bytes, over the limit of {limits.LOGO_MAX_BYTES // 1024} KB")
        with path.open("rb") as handle:
            data = handle.read(limits.LOGO_MAX_BYTES + 1)
    except OSError as error:
        raise _refuse(path, error.strerror or str(error)) from None
    if len(data) > limits.LOGO_MAX_BYTES:  # grew since stat
        raise _refuse(path, f"over the limit of {limits.LOGO_MAX_BYTES // 1024} KB")
    if data.startswith(PNG_SIGNATURE):
        width, height = check_png(data, path)
        return Logo(data, width, height, str(path))
    if _looks_like_svg(data):
        return _svg_logo(data, path)
    raise _refuse(path, "not a PNG or SVG image")


def check_png(data: bytes, path: Path) -> tuple[int, int]:
    """A PNG's width and height, from its header, once the whole image has been read."""
    if len(data) < 33 or data[12:16] != b"IHDR":
        raise _refuse(path, "a damaged PNG (no image header)")
    width, height = struct.unpack(">II", data[16:24])
    if not (1 <= width <= limits.LOGO_MAX_PIXELS and 1 <= height <= limits.LOGO_MAX_PIXELS):
        raise _refuse(path, f"{width}×{height} pixels; at most {limits.LOGO_MAX_PIXELS} on each side")
    if not _whole_png(data):
        raise _refuse(path, "a damaged or truncated PNG")
    from PIL import Image  # WeasyPrint's own dependency

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG" or image.size != (width, height):
                raise ValueError("not a PNG")
            image.load()  # decodes every pixel: a truncated or corrupt image fails here
    except Exception as error:  # Pillow raises many kinds for a damaged image
        raise _refuse(path, f"a damaged PNG ({type(error).__name__})") from None
    return width, height


def _whole_png(data: bytes) -> bool:
    """Every chunk whole with its checksum, image data present, and the end chunk last. (Pillow
    alone would not say: WeasyPrint sets its LOAD_TRUNCATED_IMAGES for the whole process.)"""
    offset, seen = len(PNG_SIGNATURE), set()
    while offset + 12 <= len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        end = offset + 12 + length
        if end > len(data) or struct.unpack(">I", data[end - 4:end])[0] != zlib.crc32(data[offset + 4:end - 4]):
            return False
        seen.add(kind)
        if kind == b"IEND":
            return b"IDAT" in seen
        offset = end
    return False


def _looks_like_svg(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg")) and b"<svg" in data[:65536].lower()


def check_svg(data: bytes, path: Path):
    """The SVG's root element if nothing in it can run or reach outside it; else an InputError."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    if b"<?xml-stylesheet" in data:
        raise _refuse(path, "an SVG may not load a style sheet (xml-stylesheet)")
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise _refuse(path, "an SVG may not declare a DTD or entities") from None
    except Exception as error:  # ParseError, ValueError on a bad encoding ...
        raise _refuse(path, f"not a readable SVG ({type(error).__name__})") from None
    if root.tag != f"{SVG_NS}svg":
        raise _refuse(path, "not an SVG image (its root is not an <svg> element)")
    for element in root.iter():
        name = str(element.tag).rpartition("}")[2]
        if name in _REFUSED_ELEMENTS:
            raise _refuse(path, f"an SVG may not contain <{name}>")
        if name == "style" and (_IMPORT.search(element.text or "") or _external_url(element.text or "")):
            raise _refuse(path, "an SVG's style may not import or reference other files")
        for attribute, value in element.attrib.items():
            local = attribute.rpartition("}")[2].lower()
            if local.startswith("on"):
                raise _refuse(path, f"an SVG may not hold event handlers ({local})")
            if local == "href" and not value.strip().startswith("#"):
                raise _refuse(path, "an SVG may not reference anything outside itself (href)")
            if _external_url(value):
                raise _refuse(path, "an SVG may not reference anything outside itself (url())")
    return root


def _external_url(text: str) -> bool:
    return any(not target.startswith("#") for target in _URL.findall(text))


def _ratio(root) -> float | None:
    """Width over height: from the viewBox, else from the width and height attributes."""
    box = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        if len(box) == 4 and float(box[2]) > 0 and float(box[3]) > 0:
            return float(box[2]) / float(box[3])
    except ValueError:
        pass
    width, height = (_LENGTH.match(root.get(side) or "") for side in ("width", "height"))
    if width and height and float(width.group(1)) > 0 and float(height.group(1)) > 0 \
            and width.group(2) == height.group(2):
        return float(width.group(1)) / float(height.group(1))
    return None


def _svg_logo(data: bytes, path: Path) -> Logo:
    root = check_svg(data, path)
    ratio = _ratio(root)
    if ratio is None:
        raise _refuse(path, "an SVG needs a viewBox (or a width and height) to be drawn")
    if not 1 / _MAX_RATIO <= ratio <= _MAX_RATIO:
        raise _refuse(path, f"too narrow or too wide for a logo (at most {_MAX_RATIO} to 1)")
    height = limits.LOGO_SVG_PIXELS
    width = max(1, round(height * ratio))
    import cairosvg

    try:  # unsafe=False (the default): no entities, no fetching but data: URLs, which the check refused
        png = cairosvg.svg2png(bytestring=data, output_width=width, output_height=height, unsafe=False)
    except Exception as error:  # CairoSVG raises whatever its parser or cairo raises
        raise _refuse(path, f"the SVG could not be drawn ({type(error).__name__})") from None
    return Logo(png, width, height, str(path))


def logo_for(given: str | None, document, source: str) -> Logo | None:
    """The logo of `evaluate`: ``--logo`` (as given), else the file's ``report: logo:`` (beside the
    file, or the working folder for standard input); None when neither names one."""
    if given:
        return load_logo(given)
    named = getattr(getattr(document, "report", None), "logo", None)
    if not named:
        return None
    folder = Path(".") if source in ("-", "") else Path(source).parent
    return load_logo(folder / named)
