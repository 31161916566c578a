"""A local web server for tests that fetch pages and feeds: nothing leaves 127.0.0.1.

    with FixtureServer() as srv:
        srv.routes["/news/a"] = Route(body=article_page("Title", ["Text."]), etag='"v1"')
        srv.routes["/feed.xml"] = Route(body=rss2_feed("Outlet", srv.url("/"), entries),
                                        content_type="application/rss+xml")
        srv.routes["/old"] = redirect("/news/a")
        Fetcher(allow_private=True).get(srv.url("/news/a"))
        srv.hits  # [(path, {lower-case header: value}), ...]

Routes may be changed while the server runs (a feed gaining items). Responses are written by hand,
byte for byte, so a route can misbehave on purpose: trickle, stall, lie about its size, omit it.
"""

from __future__ import annotations

import contextlib
import gzip as gzip_module
import http
import ssl
import threading
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr


@dataclass
class Route:
    """What the server answers for one path."""

    body: bytes | str = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"  # "" sends no Content-Type
    etag: str = ""  # with an ETag, a matching If-None-Match gets a 304
    last_modified: str = ""  # HTTP date; an If-Modified-Since at or after it gets a 304
    location: str = ""  # Location header (use with a 3xx status, or see redirect())
    gzip: bool = False  # send the body gzip-compressed with Content-Encoding: gzip
    delay: float = 0.0  # seconds to wait before answering at all
    delay_per_byte: float = 0.0  # trickle the body one byte at a time
    trickle_headers: bool = False  # ... and the status line and headers too
    send_length: bool = True  # False: no Content-Length, the body ends when the connection closes
    chunked: bool = False  # Transfer-Encoding: chunked (overrides send_length)
    headers: dict[str, str] = field(default_factory=dict)  # anything else to send

    def data(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


def redirect(location: str, status: int = 302) -> Route:
    return Route(status=status, location=location, body=b"", content_type="")


def _matches(route: Route, headers) -> bool:
    """Whether the client's validators say it already has this version (so: 304)."""
    inm = headers.get("If-None-Match")
    if inm is not None and route.etag:
        tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
        return "*" in tags or route.etag.removeprefix("W/") in tags
    ims = headers.get("If-Modified-Since")
    if ims and route.last_modified:
        try:
            return parsedate_to_datetime(ims) >= parsedate_to_datetime(route.last_modified)
        except (TypeError, ValueError):
            return ims == route.last_modified
    return False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format, *args):
        pass  # keep test output clean

    def do_GET(self):
        fixture = self.server.fixture
        fixture.hits.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        route = fixture.routes.get(self.path) or fixture.routes.get(urlsplit(self.path).path)
        if route is None:
            route = Route(status=404, body="no such page", content_type="text/plain")
        elif isinstance(route, bytes | str):
            route = Route(body=route)
        # OSError: the client gave up (a timeout test), nothing to report.
        with contextlib.suppress(OSError):
            self._answer(route, fixture._stop)
        self.close_connection = True

    def _answer(self, route: Route, stop: threading.Event) -> None:
        status, body = route.status, route.data()
        headers: list[tuple[str, str]] = []
        if route.etag:
            headers.append(("ETag", route.etag))
        if route.last_modified:
            headers.append(("Last-Modified", route.last_modified))
        if route.location:
            headers.append(("Location", route.location))
        if 200 <= status < 300 and _matches(route, self.headers):
            status, body = 304, b""
        else:
            if route.content_type:
                headers.append(("Content-Type", route.content_type))
            if route.gzip and body:
                body = gzip_module.compress(body)
                headers.append(("Content-Encoding", "gzip"))
            if route.chunked:
                headers.append(("Transfer-Encoding", "chunked"))
            elif route.send_length:
                headers.append(("Content-Length", str(len(body))))
        headers.extend(route.headers.items())
        headers.append(("Connection", "close"))
        try:
            phrase = http.HTTPStatus(status).phrase
        except ValueError:
            phrase = "Unknown"
        head = f"HTTP/1.1 {status} {phrase}\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"

        if route.delay and stop.wait(route.delay):
            return
        self._send(
            head.encode("latin-1"), route.delay_per_byte if route.trickle_headers else 0, stop
        )
        if status == 304:
            return
        if route.chunked:
            step = 7  # small chunks, so a client really has to put them together
            for i in range(0, len(body), step):
                piece = body[i : i + step]
                self._send(b"%x\r\n" % len(piece) + piece + b"\r\n", route.delay_per_byte, stop)
            self._send(b"0\r\n\r\n", 0, stop)
        else:
            self._send(body, route.delay_per_byte, stop)

    def _send(self, data: bytes, per_byte: float, stop: threading.Event) -> None:
        if not per_byte:
            self.wfile.write(data)
            return
        for i in range(len(data)):
            if stop.wait(per_byte):
                return
            self.wfile.write(data[i : i + 1])


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fixture: FixtureServer

    def handle_error(self, request, client_address):
        pass  # broken connections are what some tests are about


class FixtureServer:
    """ThreadingHTTPServer on 127.0.0.1 (a free port) in a daemon thread; a context manager.

    `routes` maps a path ("/a", or "/a?x=1" to match a query exactly) to a Route, or to plain
    bytes/str served as text/html. `hits` lists every request as (path, headers with lower-case
    names). With an `ssl_context` (server side) it speaks HTTPS."""

    def __init__(
        self, routes: dict[str, Route | bytes | str] | None = None, ssl_context=None
    ) -> None:
        self.routes: dict[str, Route | bytes | str] = dict(routes or {})
        self.hits: list[tuple[str, dict[str, str]]] = []
        self._stop = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fixture = self
        self.scheme = "http"
        if ssl_context is not None:
            self._server.socket = ssl_context.wrap_socket(self._server.socket, server_side=True)
            self.scheme = "https"
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        """Absolute URL of `path` on this server; `host` names it differently (with a resolver)."""
        return f"{self.scheme}://{host}:{self.port}{path}"

    def paths(self) -> list[str]:
        return [path for path, _ in self.hits]

    def start(self) -> FixtureServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()  # ends trickling answers too
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FixtureServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# --- content ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One feed item. Dates are ISO 8601 with an offset, e.g. "2024-05-01T09:30:00+02:00"."""

    title: str
    link: str
    published: str = ""
    updated: str = ""
    author: str = ""  # "Name", or "name@example.com (Name)" for an RSS 2.0 <author>
    summary: str = ""  # may hold HTML; it is escaped into the XML like real feeds do


def _rfc822(iso: str) -> str:
    return format_datetime(datetime.fromisoformat(iso))


def rss2_feed(title: str, link: str, entries: list[Entry], description: str = "") -> str:
    """RSS 2.0: pubDate in RFC 822, <author> when it holds an e-mail address, else dc:creator."""
    items = []
    for e in entries:
        parts = [f"<title>{escape(e.title)}</title>"]
        if e.link:
            parts.append(f"<link>{escape(e.link)}</link><guid>{escape(e.link)}</guid>")
        if e.published:
            parts.append(f"<pubDate>{_rfc822(e.published)}</pubDate>")
        if e.author:
            tag = "author" if "@" in e.author else "dc:creator"
            parts.append(f"<{tag}>{escape(e.author)}</{tag}>")
        if e.summary:
            parts.append(f"<description>{escape(e.summary)}</description>")
        items.append("<item>" + "".join(parts) + "</item>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>{escape(title)}</title><link>{escape(link)}</link>"
        f"<description>{escape(description or title)}</description>"
        + "\n".join(items)
        + "</channel></rss>"
    )


def rss1_feed(title: str, link: str, entries: list[Entry]) -> str:
    """RSS 1.0 (RDF): dates and authors in Dublin Core (dc:date, dc:creator)."""
    seq = "".join(f"<rdf:li rdf:resource={quoteattr(e.link)}/>" for e in entries if e.link)
    items = []
    for e in entries:
        about = f" rdf:about={quoteattr(e.link)}" if e.link else ""
        parts = [f"<title>{escape(e.title)}</title>"]
        if e.link:
            parts.append(f"<link>{escape(e.link)}</link>")
        if e.published:
            parts.append(f"<dc:date>{escape(e.published)}</dc:date>")
        if e.author:
            parts.append(f"<dc:creator>{escape(e.author)}</dc:creator>")
        if e.summary:
            parts.append(f"<description>{escape(e.summary)}</description>")
        items.append(f"<item{about}>" + "".join(parts) + "</item>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel rdf:about={quoteattr(link)}><title>{escape(title)}</title>"
        f"<link>{escape(link)}</link><description>{escape(title)}</description>"
        f"<items><rdf:Seq>{seq}</rdf:Seq></items></channel>" + "\n".join(items) + "</rdf:RDF>"
    )


def atom_feed(title: str, link: str, entries: list[Entry]) -> str:
    """Atom 1.0: <published> and <updated> (updated defaults to published, as Atom requires one)."""
    items = []
    for i, e in enumerate(entries):
        updated = e.updated or e.published or "2024-01-01T00:00:00Z"
        parts = [f"<title>{escape(e.title)}</title>", f"<id>urn:fixture:{i}</id>"]
        if e.link:
            parts.append(f'<link rel="alternate" href={quoteattr(e.link)}/>')
        if e.published:
            parts.append(f"<published>{escape(e.published)}</published>")
        parts.append(f"<updated>{escape(updated)}</updated>")
        if e.author:
            parts.append(f"<author><name>{escape(e.author)}</name></author>")
        if e.summary:
            parts.append(f'<summary type="html">{escape(e.summary)}</summary>')
        items.append("<entry>" + "".join(parts) + "</entry>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><link href={quoteattr(link)}/><id>{escape(link)}</id>"
        "<updated>2024-01-01T00:00:00Z</updated>" + "\n".join(items) + "</feed>"
    )


def article_page(
    title: str, paragraphs: list[str], *, author: str = "", published: str = "", outlet: str = ""
) -> str:
    """A small news article page, with the metadata tags the HTML loader reads."""
    meta = [f'<meta property="og:title" content={quoteattr(title)}>']
    if outlet:
        meta.append(f'<meta property="og:site_name" content={quoteattr(outlet)}>')
    if author:
        meta.append(f'<meta name="author" content={quoteattr(author)}>')
    if published:
        meta.append(f'<meta property="article:published_time" content={quoteattr(published)}>')
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        + "".join(meta)
        + f"</head><body><nav>Home | Local | Weather</nav><article><h1>{escape(title)}</h1>"
        + body
        + "</article><footer>Fixture News</footer></body></html>"
    )


def tls_contexts(tmp_path) -> tuple[ssl.SSLContext, ssl.SSLContext] | None:
    """(server context for "news.test", client context trusting only its test CA), made with the
    openssl command; None when openssl is missing."""
    import shutil
    import subprocess

    if not shutil.which("openssl"):
        return None
    conf = tmp_path / "leaf.cnf"
    conf.write_text(
        "[req]\ndistinguished_name=dn\n[dn]\n[leaf]\nbasicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
        "subjectAltName=DNS:news.test\n"
        "[ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n"
        "subjectKeyIdentifier=hash\n"
    )
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]

    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=tmp_path)

    run("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=Fixture Test CA", "-config", str(conf), "-extensions", "ca")  # fmt: skip
    run("req", "-new", *ec, "-keyout", "leaf.key", "-out", "leaf.csr",
        "-subj", "/CN=news.test", "-config", str(conf))  # fmt: skip
    run("x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "leaf.pem", "-days", "2",
        "-extfile", str(conf), "-extensions", "leaf")  # fmt: skip
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(tmp_path / "leaf.pem", tmp_path / "leaf.key")
    client = ssl.create_default_context(cafile=str(tmp_path / "ca.pem"))
    return server, client
