"""``sitrep serve``: a local web app over a situation store.

The app opens the store read-only and reads what each page shows with the constant, parameterised
statements in :mod:`sitrep.web.queries`. Document pages reuse the report's views (``report.js``
and ``_views.html.j2``) over the situation of the documents they show. Documents are untrusted:
Jinja escapes every string in HTML, :func:`~sitrep.web.report.script_json` escapes the JSON a page
embeds, the scripts never write HTML from data, and every response carries a Content-Security-Policy
that allows scripts and styles from the app's own ``/static`` files only.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, HTTPException, Path as PathParam, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from . import queries as Q
from .report import HERE, STATIC, _assets, comention_edges, script_json

CSP = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'none'",
    "connect-src 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
])
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")
TABS = ("documents", "events", "clusters")
PER_PAGE = (10, 25, 50, 100)
MAX_SITUATION_DOCS = 50
DEFAULT_SITUATION_DOCS = 25
TEXT_MAX = 200


class SecurityHeaders:
    """Adds the security headers to every response, errors included (pure ASGI, outermost)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in SECURITY_HEADERS if h[0] not in names]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if started:
                raise
            logging.getLogger("sitrep.serve").exception("error while answering %s", scope.get("path"))
            await send_with_headers({"type": "http.response.start", "status": 500,
                                     "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
            await send({"type": "http.response.body", "body": b"sitrep serve: internal error (see the server log)\n"})


# ---- static files: a fixed table of names, so no request path ever reaches the file system ---------

def _basemap_script() -> str:
    # A plain script that hands the basemap to report.js; cached by the browser across pages.
    return "window.SITREP_BASEMAP = " + _assets()["basemap_json"] + ";\n"


@lru_cache(maxsize=1)
def static_files() -> dict[str, tuple[bytes, str]]:
    assets = _assets()
    js, css = "text/javascript; charset=utf-8", "text/css; charset=utf-8"
    files = {
        "sitrep.css": ((assets["css"] + "\n" + (STATIC / "serve.css").read_text(encoding="utf-8")).encode(), css),
        "leaflet.js": (assets["leaflet_js"].encode(), js),
        "report.js": (assets["report_js"].encode(), js),
        "serve.js": ((STATIC / "serve.js").read_text(encoding="utf-8").encode(), js),
        "basemap.js": (_basemap_script().encode(), js),
    }
    return files


@lru_cache(maxsize=1)
def static_versions() -> dict[str, str]:
    """A short content hash per file, appended to its URL so that a new sitrep busts the cache."""
    return {name: hashlib.sha256(body).hexdigest()[:12] for name, (body, _) in static_files().items()}


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=True,
                      undefined=StrictUndefined, keep_trailing_newline=True)
    env.globals["static"] = lambda name: f"/static/{name}?v={static_versions()[name]}"
    env.globals["quote"] = _quote
    env.filters["short_source"] = short_source
    env.globals["doc_label"] = doc_label
    env.filters["humanize"] = lambda s: str(s or "").replace("_", " ")
    return env


def short_source(source: Any) -> str:
    """A file path shown by its name (the full path goes in a tooltip); anything else as it is."""
    text = str(source or "")
    if "/" in text or "\\" in text:
        return re.split(r"[\\/]", text)[-1] or text
    return text


def doc_label(doc: Any) -> str:
    """What a document is called on screen: its title, else its file's name, else its id."""
    get = doc.get if isinstance(doc, dict) else (lambda k: getattr(doc, k, None))
    return get("title") or short_source(get("source")) or get("id") or ""


def render(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    from .. import __version__

    html = _environment().get_template(template).render(version=__version__, **context)
    return HTMLResponse(html, status_code=status)


# ---- request validation -------------------------------------------------------------------------

def _text(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if any(ord(c) < 32 for c in value):
        raise HTTPException(422, "filters cannot contain control characters")
    return value or None


def _date(value: str | None, name: str) -> date | None:
    """A YYYY-MM-DD date; an empty field (a form left blank) is no filter."""
    if value is None or not value.strip():
        return None
    try:
        if len(value.strip()) != 10:
            raise ValueError
        return date.fromisoformat(value.strip())
    except ValueError:
        raise HTTPException(422, f"{name}: {value!r} is not a date (YYYY-MM-DD)") from None


def _filters(q, actor, place, type_, publisher, date_from, date_to, *, types: tuple[str, ...]) -> Q.Filters:
    type_ = _text(type_)
    if type_ is not None and type_ not in types:
        raise HTTPException(422, f"type: {type_!r} is not an event type (PLOVER, or one found in this store)")
    date_from, date_to = _date(date_from, "date_from"), _date(date_to, "date_to")
    if date_from and date_to and date_from > date_to:
        raise HTTPException(422, "date_from is after date_to")
    return Q.Filters(q=_text(q), actor=_text(actor), place=_text(place), type=type_,
                     publisher=_text(publisher), date_from=date_from, date_to=date_to)


def _filter_args(f: Q.Filters) -> dict[str, str]:
    out = {"q": f.q, "actor": f.actor, "place": f.place, "type": f.type, "publisher": f.publisher,
           "date_from": f.date_from.isoformat() if f.date_from else None,
           "date_to": f.date_to.isoformat() if f.date_to else None}
    return {k: v for k, v in out.items() if v}


def _url(path: str, **params: Any) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return path + ("?" + urlencode(clean, doseq=True) if clean else "")


def span_url(doc: str, start: Any, end: Any) -> str:
    """The document page, scrolled to and highlighting one span."""
    base = _url("/doc/" + _quote(doc))
    if isinstance(start, int) and isinstance(end, int):
        return base + "#" + urlencode({"s": start, "e": end})
    return base


def _quote(segment: str) -> str:
    from urllib.parse import quote

    return quote(segment, safe="")


class _StoreHolder:
    """The app's one read-only connection, used by one request at a time.

    DuckDB marks a connection unusable after an internal error; the holder then opens the store
    again and retries the request's reads once, so one bad moment does not take the app down.
    """

    def __init__(self, path: str | Path):
        from ..store import open_store

        self._open = lambda: open_store(path, read_only=True)
        self.store = self._open()
        self.lock = threading.Lock()

    def run(self, work):
        from ..errors import StoreError

        with self.lock:
            try:
                return work(self.store)
            except StoreError as exc:
                if "INTERNAL Error" not in str(exc) and "invalidated" not in str(exc):
                    raise
                logging.getLogger("sitrep.serve").warning("reopening the store after: %s", exc)
                self.store.close()
                self.store = self._open()
                return work(self.store)

    def close(self) -> None:
        self.store.close()


def create_app(db_path: str | Path, *, allowed_hosts: tuple[str, ...] | list[str] | None = None) -> FastAPI:
    """The web app over the store at ``db_path``, opened read-only for the app's lifetime.

    ``allowed_hosts`` are the Host headers answered (default: loopback names); others get 400,
    which keeps a web page from reaching the app through DNS rebinding.
    """
    holder = _StoreHolder(db_path)
    lock = holder.lock
    app = FastAPI(title="sitrep", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.store_holder = holder
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts or LOOPBACK_HOSTS))
    app.add_middleware(SecurityHeaders)  # added last: outermost, so every response gets the headers
    _environment().globals["span_url"] = span_url

    def read(sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        return holder.run(lambda store: Q.records(store, sql, params))

    # the store cannot change while the app holds it open, so its event types are read once
    types = tuple(sorted({*Q.event_types(), *(r["type"] for r in read(Q.STORED_EVENT_TYPES, {}))}))

    def corpus_filters(
        q: str | None = Query(None, max_length=TEXT_MAX),
        actor: str | None = Query(None, max_length=TEXT_MAX),
        place: str | None = Query(None, max_length=TEXT_MAX),
        type: str | None = Query(None, max_length=40),
        publisher: str | None = Query(None, max_length=500),
        date_from: str | None = Query(None, max_length=10),
        date_to: str | None = Query(None, max_length=10),
    ) -> Q.Filters:
        """The filter parameters /corpus and /situation share, checked once (a FastAPI dependency)."""
        return _filters(q, actor, place, type, publisher, date_from, date_to, types=types)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path"))
            problems.append(f"{where}: {err.get('msg', 'invalid')}")
        return render("serve/error.html.j2", 422, title="Invalid request", code=422, problems=problems)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        titles = {404: "Not found", 405: "Method not allowed", 422: "Invalid request", 400: "Bad request"}
        detail = str(exc.detail) if isinstance(exc, HTTPException) else "There is no page here."
        headers = getattr(exc, "headers", None) or {}
        response = render("serve/error.html.j2", exc.status_code, title=titles.get(exc.status_code, "Error"),
                          code=exc.status_code, problems=[detail])
        response.headers.update(headers)
        return response

    @app.get("/", include_in_schema=False)
    def home():
        return RedirectResponse("/corpus", status_code=302)

    @app.get("/static/{name}")
    def static(name: str = PathParam(max_length=40)):
        found = static_files().get(name)
        if found is None:
            raise HTTPException(404, "no such static file")
        body, media = found
        return Response(body, media_type=media, headers={"cache-control": "public, max-age=86400"})

    @app.get("/corpus", response_class=HTMLResponse)
    def corpus(
        tab: str = Query("documents", pattern="^(documents|events|clusters)$"),
        f: Q.Filters = Depends(corpus_filters),
        page: int = Query(1, ge=1, le=100_000),
        per_page: int = Query(25, ge=1, le=100),
    ):
        params = {**f.params(), "limit": per_page, "offset": (page - 1) * per_page}
        args = _filter_args(f)
        totals = read(Q.TOTALS, {})[0]
        context: dict[str, Any] = {"tab": tab, "f": f, "args": args, "totals": totals, "page": page,
                                   "per_page": per_page,
                                   "per_page_options": sorted({*PER_PAGE, per_page}),
                                   "event_types": types,
                                   "publishers": read(Q.PUBLISHERS, {}), "tabs": TABS}
        fparams = f.params()
        if tab == "documents":
            rows = read(Q.DOCUMENTS_PAGE, params)
            counts = {r["id"]: r for r in read(Q.DOCUMENT_COUNTS, {"ids": [r["id"] for r in rows]})} if rows else {}
            context.update(rows=rows, counts=counts, top_actors=read(Q.TOP_ACTORS, fparams),
                           top_places=read(Q.TOP_PLACES, fparams))
        elif tab == "events":
            rows = read(Q.EVENTS_PAGE, params)
            actors: dict[str, list[dict]] = {}
            for r in read(Q.EVENT_ACTORS, {"ids": [r["id"] for r in rows]}) if rows else ():
                actors.setdefault(r["event_id"], []).append(r)
            context.update(rows=rows, event_actors=actors)
        else:
            context.update(rows=read(Q.CLUSTERS_PAGE, params))
        total_sql = {"documents": Q.DOCUMENTS_TOTAL, "events": Q.EVENTS_TOTAL, "clusters": Q.CLUSTERS_TOTAL}[tab]
        total = read(total_sql, fparams)[0]["total"] if context["rows"] or page == 1 else 0
        pages = max(1, -(-total // per_page))
        if page > 1 and not context["rows"]:
            raise HTTPException(404, f"page {page} is past the last page of these results")

        def page_url(n: int | None = None, **over: Any) -> str:
            merged = {**args, "tab": tab, "per_page": per_page if per_page != 25 else None,
                      "page": n if n and n > 1 else None, **over}
            return _url("/corpus", **merged)

        context.update(total=total, pages=pages, page_url=page_url,
                       situation_url=_url("/situation", **args), situation_docs=DEFAULT_SITUATION_DOCS, filters_active=f.active())
        return render("serve/corpus.html.j2", title="Corpus", **context)

    @app.get("/doc/{doc_id}", response_class=HTMLResponse)
    def document(doc_id: str = PathParam(min_length=1, max_length=500)):
        found = read(Q.DOCUMENT, {"id": doc_id})
        if not found:
            raise HTTPException(404, f"no document with id {doc_id!r} in this store")
        doc = found[0]
        data = holder.run(lambda store: Q.situation_payload(store, [doc_id]))
        techniques = read(Q.DOCUMENT_TECHNIQUES, {"id": doc_id})
        words = Q.word_count(doc["text"])
        summary: dict[str, dict[str, Any]] = {}
        for t in techniques:
            entry = summary.setdefault(t["technique"], {"technique": t["technique"], "count": 0, "spans": []})
            entry["count"] += 1
            entry["spans"].append(t)
        rhetoric = sorted(summary.values(), key=lambda e: (-e["count"], e["technique"]))
        for entry in rhetoric:
            entry["density"] = entry["count"] * 1000 / words if words else 0.0
        return _situation_page(
            "serve/document.html.j2", data, title=doc_label(doc), doc=doc, words=words,
            rhetoric=rhetoric, technique_total=len(techniques),
            density=len(techniques) * 1000 / words if words else 0.0,
            clusters=read(Q.DOCUMENT_CLUSTERS, {"id": doc_id}),
        )

    @app.get("/situation", response_class=HTMLResponse)
    def situation(
        doc: list[str] = Query([], max_length=MAX_SITUATION_DOCS),
        f: Q.Filters = Depends(corpus_filters),
        limit: int = Query(DEFAULT_SITUATION_DOCS, ge=1, le=MAX_SITUATION_DOCS),
    ):
        if any(len(d) > 500 or not d for d in doc):
            raise HTTPException(422, "doc: each id must be 1 to 500 characters")
        if doc:
            ids = [r["id"] for r in read(Q.EXISTING_DOCUMENTS, {"ids": sorted(set(doc))})]
        else:
            ids = [r["id"] for r in read(Q.DOCUMENT_IDS, {**f.params(), "limit": limit})]
        data = holder.run(lambda store: Q.situation_payload(store, ids))
        return _situation_page("serve/situation.html.j2", data, title=f"{len(ids)} documents", f=f,
                               args=_filter_args(f), corpus_url=_url("/corpus", **_filter_args(f)), limit=limit,
                               picked=bool(doc))

    @app.get("/cluster/{cluster_id}", response_class=HTMLResponse)
    def cluster(cluster_id: str = PathParam(min_length=1, max_length=500)):
        found = read(Q.CLUSTER, {"id": cluster_id})
        if not found:
            raise HTTPException(404, f"no event cluster with id {cluster_id!r} in this store")
        members = read(Q.CLUSTER_MEMBERS, {"id": cluster_id})
        ids = [m["id"] for m in members]
        actors: dict[str, list[dict]] = {}
        figures: dict[str, list[dict]] = {}
        if ids:
            for r in read(Q.EVENT_ACTORS, {"ids": ids}):
                actors.setdefault(r["event_id"], []).append(r)
            for r in read(Q.EVENT_QUANTITIES, {"ids": ids}):
                figures.setdefault(r["owner_id"], []).append(r)
        # A unit is in conflict when the members that report it do not agree on the value.
        by_unit: dict[str, set[float]] = {}
        for rows in figures.values():
            for r in rows:
                by_unit.setdefault(r["unit"], set()).add(r["value"])
        conflicts = sorted(u for u, values in by_unit.items() if len(values) > 1)
        units = sorted(by_unit)
        return render("serve/cluster.html.j2", title=found[0]["label"] or "Event cluster", cluster=found[0],
                      members=members, event_actors=actors, figures=figures, units=units, conflicts=conflicts)

    def _situation_page(template: str, data: dict[str, Any], **context: Any) -> HTMLResponse:
        payload = {"situation": data, "comentions": comention_edges(data),
                   "meta": {"title": context.get("title", "sitrep")}}
        summary = [("documents", len(data["documents"])), ("actors", len(data["actors"])),
                   ("places", len(data["places"])), ("events", len(data["events"])),
                   ("claims", len(data["claims"]))]
        return render(template, data_json=script_json(payload), summary=summary, **context)

    return app
