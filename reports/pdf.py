"""The PDF report: the HTML report laid out by WeasyPrint, which may read nothing but our own assets.

WeasyPrint would otherwise fetch any URL a document names (file, http(s), ftp, data),
follow redirects and embed ``<link rel=attachment>`` files in the PDF (security notes,
item 1). Here every fetch goes through :class:`AssetFetcher`, which serves only files
whose resolved path lies inside ``reports/assets/`` and refuses everything else; a
refused fetch stops the rendering (nothing is written) rather than being skipped.
"""

from __future__ import annotations

import gc
import re
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from tahaluf.errors import RenderError
from tahaluf.reports.html import ASSETS, html_document
from tahaluf.reports.views import ReportView

ASSETS_DIR = ASSETS.resolve()
CONTENT_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}

# WeasyPrint 70 does not isolate <bdi> elements in its bidi algorithm (unicode-bidi is
# parsed, not applied), but Pango honours the isolate characters FSI (U+2068) ... PDI
# (U+2069), which mean the same. So for the PDF each <bdi> becomes FSI ... PDI: a bare
# <bdi> is replaced by the characters (an inline element per value also costs layout
# time), one with a class keeps its element around them. User text never contains the
# characters (model.clean_text strips bidi controls; stripped again here) nor a literal
# "<bdi" (autoescape), so every <bdi> below comes from our template or Message.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_BDI_TAG = re.compile(r"<bdi(\s[^>]*)?>|</bdi>")
_FSI, _PDI = "\u2068", "\u2069"
# A <bdi dir=...> (a mixed-direction value, see html.direct_mixed_values) is isolated in that direction.
_ISOLATE = {"ltr": "\u2066", "rtl": "\u2067"}
_DIR = re.compile(r'\sdir="(ltr|rtl)"')
_CLASS = re.compile(r'\sclass="')


class RefusedURL(ValueError):
    """A URL outside the report's own assets."""


def asset_path(url: str) -> Path:
    """The file a ``file://`` URL names, if it is one of our assets; else :class:`RefusedURL`."""
    try:
        parts = urlsplit(url)
    except ValueError as error:
        raise RefusedURL(f"refused malformed URL {url!r}") from error
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost") or parts.query or parts.fragment:
        raise RefusedURL(f"refused {url!r}: the report may read only its own assets")
    try:
        path = Path(url2pathname(parts.path)).resolve()
    except (OSError, ValueError) as error:
        raise RefusedURL(f"refused {url!r}") from error
    if not path.is_relative_to(ASSETS_DIR) or not path.is_file() or path.suffix not in CONTENT_TYPES:
        raise RefusedURL(f"refused {url!r}: not one of the report's assets")
    return path


class AssetFetcher(URLFetcher):
    """WeasyPrint's fetcher, restricted to files inside ``reports/assets/``: no network, no redirects.
    ``images``: data URIs it may serve besides (the consultant's logo, checked by logo.py), each as
    the PNG it was made from; any other data URI is refused like any other URL."""

    def __init__(self, images: dict[str, bytes] | None = None) -> None:
        super().__init__(timeout=1, allowed_protocols={"file"}, allow_redirects=False, fail_on_errors=True)
        self.images = dict(images or {})

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url in self.images:
            return URLFetcherResponse(url, self.images[url], {"Content-Type": "image/png"}, 200)
        path = asset_path(url)  # never calls URLFetcher.fetch: nothing else can be opened
        return URLFetcherResponse(path.as_uri(), path.read_bytes(),
                                  {"Content-Type": CONTENT_TYPES[path.suffix]}, 200)


def isolate_user_values(html: str) -> str:
    """Make each ``<bdi>`` an isolate WeasyPrint honours: ``<bdi>x</bdi>`` -> FSI x PDI, and
    ``<bdi class=c>x</bdi>`` -> ``<bdi class=c>`` FSI x PDI ``</bdi>`` (it keeps its style);
    ``dir="ltr"`` / ``dir="rtl"`` isolates with LRI / RLI instead of FSI."""
    html = _BIDI_CONTROLS.sub("", html)
    out: list[str] = []
    keeps: list[bool] = []  # per open <bdi>: does its element stay?
    last = 0
    for tag in _BDI_TAG.finditer(html):
        out.append(html[last:tag.start()])
        last = tag.end()
        if tag.group(0) == "</bdi>":
            out.append(_PDI + "</bdi>" if keeps and keeps.pop() else _PDI)
        else:
            attributes = tag.group(1) or ""
            direction = _DIR.search(attributes)
            opening = _ISOLATE[direction.group(1)] if direction else _FSI
            keeps.append(bool(_CLASS.search(attributes)))
            out.append(tag.group(0) + opening if keeps[-1] else opening)
    out.append(html[last:])
    return "".join(out)


def render_pdf(report: ReportView, part: str = "full") -> bytes:
    """``part``: "brief" (the board brief alone, as `evaluate -o x.pdf` writes it) or "full"."""
    source = isolate_user_values(html_document(report, inline_stylesheet=False, part=part))
    logo = getattr(getattr(report, "consultant", None), "logo", None)
    fetcher = AssetFetcher({logo.data_uri: logo.png} if logo is not None else None)
    collecting = gc.isenabled()
    gc.disable()  # layout allocates boxes by the hundred thousand: cyclic GC passes cost ~8% for nothing
    try:
        document = HTML(string=source, base_url=ASSETS_DIR.as_uri() + "/", url_fetcher=fetcher)
        # PDF/UA-1: tagged, with the title (from <title>) and the language (from <html lang>)
        # in its metadata, for screen readers and archives.
        return document.write_pdf(font_config=FontConfiguration(), pdf_variant="pdf/ua-1")
    except FatalURLFetchingError as error:  # a refused URL: never expected, since all markup is ours
        cause = error.__cause__ or error
        raise RenderError(f"PDF report not written: {cause}") from None
    except (RecursionError, ValueError, ArithmeticError, OSError) as error:
        raise RenderError(f"PDF report not written: {type(error).__name__}: {error}") from error
    finally:
        if collecting:
            gc.enable()
