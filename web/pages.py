"""What every page of the web app shares: the templates, the user's language and session, a page or
a message rendered in that language, the address of a named route, the bounded CSRF-checked form of
every POST, and a download's file name. (The area modules, such as question_pages.py, build on these.)"""

from __future__ import annotations

import functools
import urllib.parse
from pathlib import Path

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from tahaluf import knowledge
from tahaluf.errors import InputError
from tahaluf.reports.html import direct_mixed_values
from tahaluf.reports.templating import TEMPLATES as REPORT_TEMPLATES
from tahaluf.web.security import LANG_COOKIE, MAX_FORM_BYTES, Session

HERE = Path(__file__).resolve().parent


@functools.cache
def environment() -> jinja2.Environment:
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(HERE / "templates"),
                                  jinja2.FileSystemLoader(REPORT_TEMPLATES)])
    return jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True)


def labels_for(lang: str) -> dict[str, str]:
    return {key: text(lang) for key, text in knowledge.labels().items()}


def lang_of(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE)
    return lang if lang in knowledge.languages() else knowledge.default_language()


def session_of(request: Request) -> Session:
    return request.scope["state"]["session"]


def path_for(request: Request, route: str, /, **params: str) -> str:
    """The address (path only) of the route named ``route``: every link and form target of the app is
    built here from the routes' names, never by hand. Each value is quoted as one segment (a file's
    name may hold spaces or Arabic), but a mount's ``path``, which may hold folders."""
    quoted = {key: value if key == "path" else urllib.parse.quote(str(value), safe="") for key, value in params.items()}
    return str(request.app.url_path_for(route, **quoted))


def render_page(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
    lang = lang_of(request)
    t = labels_for(lang)
    here = request.url.path + (("?" + request.url.query) if request.url.query else "")
    html = environment().get_template(template).render(
        lang=lang, direction=knowledge.direction(lang), t=t, csrf=session_of(request).csrf,
        other_languages=other_languages(request, lang, here), path_for=functools.partial(path_for, request),
        **context)
    return HTMLResponse(direct_mixed_values(html, knowledge.direction(lang)), status_code=status)


def other_languages(request: Request, lang: str, here: str) -> list[dict[str, str]]:
    """The language menu: every other language, by its own name, back to this page."""
    back = "?next=" + urllib.parse.quote(here, safe="")
    return [{"code": code, "name": language.name, "url": path_for(request, "lang", lang=code) + back}
            for code, language in knowledge.languages().items() if code != lang]


def message_page(request: Request, key: str, status: int) -> HTMLResponse:
    return render_page(request, "message.html.j2", status=status, message=labels_for(lang_of(request))[key])


def invalid_page(request: Request, error: InputError, path: Path, name: str) -> HTMLResponse:
    """The file is not valid input: the loader's problems, and the file itself to download."""
    return render_page(request, "invalid.html.j2", status=422, name=name, problems=problems_of(error, path, name))


def form_post(handler=None, *, max_bytes: int = MAX_FORM_BYTES, max_fields: int = 100):
    """Every POST: a bounded form carrying this session's CSRF token; else 403 and nothing done."""
    if handler is None:  # @form_post(max_bytes=..., max_fields=...): a larger form
        return functools.partial(form_post, max_bytes=max_bytes, max_fields=max_fields)

    @functools.wraps(handler)
    async def wrapped(self, request: Request):
        length = request.headers.get("content-length")
        if length is None or not length.isdigit() or int(length) > max_bytes:
            return message_page(request, "web.forbidden", 413 if length and length.isdigit() else 411)
        form = await request.form(max_files=0, max_fields=max_fields)
        if not session_of(request).csrf_ok(form.get("csrf")):
            return message_page(request, "web.forbidden", 403)
        return await handler(self, request, form)
    return wrapped


def problems_of(error: InputError, path: Path, name: str) -> list[str]:
    """The loader's lines, naming the file as the workspace does (not by the server's own path)."""
    return [line.replace(str(path), name) for line in (getattr(error, "lines", None) or [str(error)])]


def attachment(filename: str) -> str:
    ascii_name = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in filename)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{urllib.parse.quote(filename)}"
