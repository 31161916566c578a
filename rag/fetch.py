"""Fetch news pages and feeds over HTTP(S) for ingest, without letting a URL reach what it should not.

A URL typed by a user, found in a feed, or given by a redirect is untrusted. So every hop is checked
before anything is sent: only http/https, no credentials, and no address that points back into the
machine or its network (loopback, private, link-local such as the cloud metadata service at
169.254.169.254, ...) unless RAG_ALLOW_PRIVATE_URLS=1. The host is resolved once and the connection
goes to the very address that was checked, so a DNS answer that changes between check and connect
(DNS rebinding) cannot smuggle a private address in. Each request has one overall deadline and a size
limit, and requests to the same host are spaced out so a crawl stays polite.

Only the standard library speaks HTTP; feedparser reads RSS and Atom.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import ipaddress
import json
import os
import re
import socket
import ssl
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from pathlib import Path
from urllib.parse import quote, urldefrag, urljoin, urlsplit

from rag.errors import ConfigError, IngestError
from rag.types import iso_date

ALLOW_PRIVATE_ENV = "RAG_ALLOW_PRIVATE_URLS"
USER_AGENT = "newsrag/0.1 (+offline news assistant)"
ACCEPT = (
    "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, "
    "application/xml;q=0.9, application/pdf;q=0.8, */*;q=0.5"
)
REDIRECTS = {301, 302, 303, 307, 308}
FEED_TYPES = {
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/rss",
    "text/rss+xml",
}

# A resolver maps (host, port) to IP address strings. The default asks the system (getaddrinfo);
# tests pass their own so names like "news.test" work offline. Its answers are checked like any other.
Resolver = Callable[[str, int], Iterable[str]]


class FetchError(IngestError):
    """A URL could not be fetched or read; the message is the reason shown to the user for that URL."""


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # final URL, after redirects, without #fragment
    status: int  # a 2xx status (normally 200), or 304 when the cached validators still match
    content_type: str  # "text/html": lower case, no parameters; "" if the server sent none
    charset: str  # from Content-Type, lower case; "" if absent
    body: bytes  # decoded from gzip/deflate; b"" for 304
    etag: str
    last_modified: str

    @property
    def not_modified(self) -> bool:
        """The copy fetched last time is still current: nothing to re-ingest."""
        return self.status == 304


# --- which URLs may be fetched -----------------------------------------------------------------

# well-known prefix: the last 32 bits are an IPv4 address
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# local-use translation: leads into the network
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: someone's internal network


def private_kind(address: str) -> str:
    """Why an IP address must not be fetched without RAG_ALLOW_PRIVATE_URLS ("loopback",
    "link-local", ...), or "" for an ordinary public address. IPv6 forms that carry an IPv4 address
    (IPv4-mapped, 6to4, Teredo, NAT64) are judged by the IPv4 address they lead to."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        embedded: list[ipaddress.IPv4Address] = []
        if ip.ipv4_mapped:
            embedded.append(ip.ipv4_mapped)
        if ip.sixtofour:
            embedded.append(ip.sixtofour)
        if ip.teredo:
            embedded.extend(ip.teredo)
        if ip in _NAT64:
            embedded.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        for inner in embedded:
            kind = private_kind(str(inner))
            if kind:
                return f"{kind}, written as IPv6"
        if ip in _NAT64_LOCAL:
            return "private"
    # Order matters only for the message: the most specific reason first.
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if ip.is_private:
        return "private"
    if ip.is_reserved:
        return "reserved"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED:
        return "shared carrier-grade NAT"
    if not ip.is_global:
        return "not public"
    return ""


def _system_resolver(host: str, port: int) -> list[str]:
    return [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def check_url(
    url: str, allow_private: bool, *, resolver: Resolver | None = None
) -> tuple[str, int, list[str]]:
    """(host, port, resolved IP addresses) of a URL that may be fetched, or FetchError saying why not.

    The host comes back in its ASCII (IDNA) form, ready for a Host header and TLS. Every resolved
    address is checked, not just the first: the connection may go to any of them."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as e:
        raise FetchError(f"not a valid URL ({e})") from e
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        got = f"{scheme}:" if scheme else "no scheme; start it with https://"
        raise FetchError(f"only http and https URLs can be fetched (got {got})")
    # Credentials in a URL end up in logs and reports, and a user:pass@ prefix is a classic way to
    # disguise where a link really goes.
    if "@" in parts.netloc:
        raise FetchError(
            "URLs with a user name or password cannot be fetched; remove the 'user:pass@'"
        )
    host = parts.hostname or ""
    if not host:
        raise FetchError("the URL has no host name")
    port = port or (443 if scheme == "https" else 80)

    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [str(literal)]
    else:
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError as e:
            raise FetchError(f"invalid host name {host!r}") from e
        try:
            found = (resolver or _system_resolver)(host, port)
            addresses = list(
                dict.fromkeys(str(ipaddress.ip_address(str(a).split("%")[0])) for a in found)
            )
        except (OSError, UnicodeError, ValueError) as e:
            reason = getattr(e, "strerror", None) or str(e)
            raise FetchError(
                f"cannot resolve host {host} ({reason}); check the URL and the network connection"
            ) from e
        if not addresses:
            raise FetchError(
                f"cannot resolve host {host}; check the URL and the network connection"
            )

    if not allow_private:
        for address in addresses:
            kind = private_kind(address)
            if kind:
                where = (
                    f"{host} is a private address"
                    if literal is not None
                    else f"{host} resolves to a private address {address}"
                )
                raise FetchError(f"{where} ({kind}); set {ALLOW_PRIVATE_ENV}=1 to allow it")
    return host, port, addresses


def _env_allows_private() -> bool:
    return os.environ.get(ALLOW_PRIVATE_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


# --- validators ----------------------------------------------------------------------------------


class ValidatorCache:
    """ETag / Last-Modified per URL, persisted as JSON at `path` (None: in memory only), so the next
    run can ask "changed since?" and get a cheap 304 for pages and feeds that did not change.

    Writes are atomic (temp file + os.replace): an interrupted run leaves the old file, never half
    of one. A file that cannot be read is treated as empty, because losing validators only costs a
    full re-download."""

    def __init__(self, path: Path | None):
        self.path = Path(path) if path is not None else None
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[str, str]] = self._load()
        self._dirty = False

    def _load(self) -> dict[str, tuple[str, str]]:
        if self.path is None or not self.path.is_file():
            return {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        urls = raw.get("urls") if isinstance(raw, dict) else None
        if not isinstance(urls, dict):
            return {}
        return {
            url: (str(v.get("etag") or ""), str(v.get("last_modified") or ""))
            for url, v in urls.items()
            if isinstance(v, dict)
        }

    def get(self, url: str) -> tuple[str, str]:
        """(etag, last_modified) stored for the URL, ("", "") when unknown."""
        with self._lock:
            return self._entries.get(url, ("", ""))

    def put(self, url: str, etag: str, last_modified: str) -> None:
        """Remember the validators of the copy just fetched; both empty forgets the URL."""
        value = (etag or "", last_modified or "")
        with self._lock:
            if value == ("", ""):
                changed = self._entries.pop(url, None) is not None
            else:
                changed = self._entries.get(url) != value
                self._entries[url] = value
            self._dirty = self._dirty or changed

    def save(self) -> None:
        """Write the file if anything changed. IngestError when the folder is not writable."""
        if self.path is None:
            return
        with self._lock:
            if not self._dirty:
                return
            data = {
                "version": 1,
                "urls": {
                    url: {"etag": etag, "last_modified": lm}
                    for url, (etag, lm) in sorted(self._entries.items())
                },
            }
            tmp = None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(
                    dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp"
                )
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    json.dump(data, f, ensure_ascii=False, indent=1)
                os.replace(tmp, self.path)
            except OSError as e:
                if tmp is not None:
                    Path(tmp).unlink(missing_ok=True)
                raise IngestError(
                    f"cannot write the fetch cache {self.path} ({e.strerror or e}); "
                    "check that its folder is writable"
                ) from e
            self._dirty = False


# --- fetching ----------------------------------------------------------------------------------


class _Deadline:
    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def extend(self, seconds: float) -> None:
        self.end += seconds


class _Timeout(Exception):
    """Internal: the overall deadline passed (turned into FetchError with the configured timeout)."""


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a checked IP address, with TLS (SNI and certificate check) for the host name.

    http.client would resolve the name itself when connecting; connecting to the IP and naming the
    host only to TLS is what keeps the check and the connection on the same address."""

    def __init__(
        self, ip: str, port: int, server_hostname: str, timeout: float, context: ssl.SSLContext
    ):
        super().__init__(ip, port, timeout=timeout, context=context)
        self._server_hostname = server_hostname
        self._pinned_context = context

    def connect(self) -> None:
        sock = socket.create_connection((self.host, self.port), self.timeout, self.source_address)
        try:
            self.sock = self._pinned_context.wrap_socket(
                sock, server_hostname=self._server_hostname
            )
        except BaseException:
            sock.close()
            raise


def _split_content_type(value: str) -> tuple[str, str]:
    kind, _, params = (value or "").partition(";")
    charset = ""
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'").lower()
    return kind.strip().lower(), charset


def _request_target(url: str) -> str:
    parts = urlsplit(url)
    # Spaces and non-ASCII in a pasted URL would make http.client refuse the request line; existing
    # %-escapes are kept as they are.
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="/?%:@!$&'()*+,;=-._~")
    return f"{path}?{query}" if query else path


def _host_header(host: str, port: int, scheme: str) -> str:
    name = f"[{host}]" if ":" in host else host
    return name if port == (443 if scheme == "https" else 80) else f"{name}:{port}"


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n:,} bytes"


_HINTS = {
    401: "the page needs a login",
    403: "the site refuses this request (it may block automated access)",
    404: "check the URL",
    410: "the page was removed",
    429: "the site asks to slow down; try again later",
}


class Fetcher:
    """GET web pages and feeds safely; one Fetcher may be shared by threads.

    `resolver` (host, port) -> IP strings replaces getaddrinfo, for tests; what it returns is
    checked exactly like a DNS answer. `ssl_context` replaces ssl.create_default_context(), for
    tests with their own certificate authority."""

    def __init__(
        self,
        *,
        timeout: float = 15.0,
        max_bytes: int = 10_000_000,
        per_host_delay: float = 1.0,
        max_redirects: int = 5,
        allow_private: bool | None = None,
        cache: ValidatorCache | None = None,
        user_agent: str = USER_AGENT,
        resolver: Resolver | None = None,
        ssl_context: ssl.SSLContext | None = None,
        remember: bool = True,
    ):
        """``remember``: store a 200's validators in ``cache`` at once. An ingest passes False and
        stores them itself once the page is safely in the index: validators saved for a page that
        then failed to store would turn every later fetch into a 304 and lose the update."""
        self.remember = remember
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.per_host_delay = per_host_delay
        self.max_redirects = max_redirects
        self.allow_private = _env_allows_private() if allow_private is None else allow_private
        self.cache = cache
        self.user_agent = user_agent
        self._resolver = resolver
        self._ssl_context = ssl_context
        self._lock = threading.Lock()
        self._next_start: dict[tuple[str, int], float] = {}

    def get(self, url: str, conditional: bool = True) -> Fetched:
        """GET `url`, following redirects. FetchError for anything that stops it (refused address,
        HTTP error, timeout, too large, network failure).

        With `conditional` the validators remembered for the URL are sent, and an unchanged page
        comes back as a 304 with an empty body. Validators of every 200 are remembered (when a
        cache was given) whether or not the request was conditional."""
        deadline = _Deadline(self.timeout)
        # The fragment never reaches the server; dropping it keeps one cache entry per page.
        current = urldefrag(url.strip()).url
        for hop in range(self.max_redirects + 1):
            try:
                host, port, addresses = check_url(
                    current, self.allow_private, resolver=self._resolver
                )
            except FetchError as e:
                if hop == 0:
                    raise
                raise FetchError(f"redirected to {current}, which is refused: {e}") from e
            # Politeness waits are not the server's fault: they do not count against the timeout.
            deadline.extend(self._wait_turn(host, port))
            try:
                result = self._exchange(current, host, port, addresses, conditional, deadline)
            except _Timeout:
                raise FetchError(
                    f"timed out after {self.timeout:g} s; the server is too slow or not answering"
                ) from None
            if isinstance(result, Fetched):
                return result
            current = urljoin(current, result)
        raise FetchError(
            f"more than {self.max_redirects} redirects (the last one went to {current})"
        )

    def _wait_turn(self, host: str, port: int) -> float:
        """Sleep until this host may be asked again; returns the seconds waited. A slot is reserved
        under the lock and slept on outside it, so threads queue up without blocking other hosts."""
        key = (host.lower(), port)
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_start.get(key, 0.0))
            self._next_start[key] = start + self.per_host_delay
        wait = start - now
        if wait > 0:
            time.sleep(wait)
        return max(wait, 0.0)

    def _context(self) -> ssl.SSLContext:
        with self._lock:
            if self._ssl_context is None:
                self._ssl_context = ssl.create_default_context()
            return self._ssl_context

    def _headers(self, url: str, host_header: str, conditional: bool) -> tuple[dict, bool]:
        headers = {
            "Host": host_header,
            "User-Agent": self.user_agent,
            "Accept": ACCEPT,
            "Accept-Encoding": "gzip",
            "Connection": "close",
        }
        sent = False
        if conditional and self.cache is not None:
            etag, last_modified = self.cache.get(url)
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            sent = bool(etag or last_modified)
        return headers, sent

    def _exchange(
        self,
        url: str,
        host: str,
        port: int,
        addresses: list[str],
        conditional: bool,
        deadline: _Deadline,
    ) -> Fetched | str:
        """One request to one of the checked addresses: a Fetched, or the Location to go to next."""
        scheme = urlsplit(url).scheme.lower()
        headers, validators_sent = self._headers(url, _host_header(host, port, scheme), conditional)
        remaining = deadline.remaining()
        if remaining <= 0:
            raise _Timeout
        expired = threading.Event()
        conn: http.client.HTTPConnection | None = None

        def expire() -> None:
            # A server trickling a byte at a time never trips a per-read socket timeout; shutting
            # the socket down wakes the blocked read, wherever http.client is in the response.
            expired.set()
            sock = conn.sock if conn is not None else None
            if sock is not None:
                with contextlib.suppress(OSError):
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)  # bypass SSLSocket's version

        watchdog = threading.Timer(remaining, expire)
        watchdog.daemon = True
        watchdog.start()
        try:
            conn = self._connect(scheme, host, port, addresses, deadline)
            if expired.is_set():
                raise _Timeout
            conn.putrequest("GET", _request_target(url), skip_host=True, skip_accept_encoding=True)
            for name, value in headers.items():
                conn.putheader(name, value)
            conn.endheaders()
            resp = conn.getresponse()
            return self._handle(url, resp, conn, validators_sent, deadline)
        except (FetchError, _Timeout):
            raise
        except TimeoutError:
            raise _Timeout from None
        except (OSError, http.client.HTTPException, ValueError) as e:
            if expired.is_set():
                raise _Timeout from None
            raise FetchError(_network_reason(e, host, port)) from e
        finally:
            watchdog.cancel()
            if conn is not None:
                conn.close()

    def _connect(
        self, scheme: str, host: str, port: int, addresses: list[str], deadline: _Deadline
    ) -> http.client.HTTPConnection:
        """Connect to the first checked address that answers (as create_connection would, but
        never resolving the name again)."""
        error: OSError | None = None
        for ip in addresses:
            remaining = deadline.remaining()
            if remaining <= 0:
                raise _Timeout
            if scheme == "https":
                conn: http.client.HTTPConnection = _PinnedHTTPSConnection(
                    ip, port, host, remaining, self._context()
                )
            else:
                conn = http.client.HTTPConnection(ip, port, timeout=remaining)
            try:
                conn.connect()
                return conn
            except ssl.SSLError:
                conn.close()
                raise  # the same certificate would be served from the other addresses
            except OSError as e:
                conn.close()
                error = e
        assert error is not None  # check_url never returns an empty list
        raise error

    def _handle(
        self,
        url: str,
        resp: http.client.HTTPResponse,
        conn: http.client.HTTPConnection,
        validators_sent: bool,
        deadline: _Deadline,
    ) -> Fetched | str:
        status = resp.status
        reason = (resp.reason or "").strip()
        if not reason:
            try:
                reason = HTTPStatus(status).phrase
            except ValueError:
                reason = ""
        etag = resp.getheader("ETag", "") or ""
        last_modified = resp.getheader("Last-Modified", "") or ""

        if status in REDIRECTS:
            location = (resp.getheader("Location") or "").strip()
            if not location:
                raise FetchError(f"HTTP {status} {reason} without a Location to follow")
            # http.client reads headers as latin-1; a UTF-8 Location is the common case.
            with contextlib.suppress(UnicodeError):
                location = location.encode("latin-1").decode("utf-8")
            return urldefrag(location).url
        if status == 304:
            if not validators_sent:
                # Nothing was asked conditionally, so there is no earlier copy this could refer to.
                raise FetchError(
                    "HTTP 304 Not Modified, but no earlier copy of this URL is known; "
                    "fetch it again without conditional headers"
                )
            cached_etag, cached_lm = self.cache.get(url) if self.cache else ("", "")
            return Fetched(url, 304, "", "", b"", etag or cached_etag, last_modified or cached_lm)
        if status >= 400:
            hint = _HINTS.get(status) or (
                "a server error; try again later" if status >= 500 else ""
            )
            raise FetchError(f"HTTP {status} {reason}".strip() + (f"; {hint}" if hint else ""))
        if not 200 <= status < 300:
            raise FetchError(f"HTTP {status} {reason}: unexpected answer, nothing to read")

        body = self._read_body(resp, conn, deadline)
        content_type, charset = _split_content_type(resp.getheader("Content-Type", "") or "")
        if self.cache is not None and self.remember:
            self.cache.put(url, etag, last_modified)
            # Saved at once, so an ingest stopped half way keeps what it learned.
            self.cache.save()
        return Fetched(url, status, content_type, charset, body, etag, last_modified)

    def _read_body(
        self, resp: http.client.HTTPResponse, conn: http.client.HTTPConnection, deadline: _Deadline
    ) -> bytes:
        limit = self.max_bytes
        declared = (resp.getheader("Content-Length") or "").strip()
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(
                f"the response is {_size(int(declared))}, more than the limit of {_size(limit)}"
            )
        chunks: list[bytes] = []
        total = 0
        while True:
            remaining = deadline.remaining()
            if remaining <= 0:
                raise _Timeout
            if conn.sock is not None:
                conn.sock.settimeout(remaining)
            # read1 returns what has arrived instead of waiting for a full buffer, so the
            # deadline and the size limit are checked as the body comes in.
            chunk = resp.read1(65536)
            if not chunk:
                # http.client returns b"" when the connection closes, even short of the length
                # the server announced: a cut-off page must not pass for the whole page.
                if (
                    declared.isdigit()
                    and not resp.getheader("Content-Encoding")
                    and total < int(declared)
                ):
                    raise FetchError(
                        f"the connection closed after {_size(total)} of {_size(int(declared))}"
                    )
                break
            total += len(chunk)
            if total > limit:
                raise FetchError(f"the response is more than the limit of {_size(limit)}")
            chunks.append(chunk)
        return self._decode(b"".join(chunks), resp.getheader("Content-Encoding", "") or "")

    def _decode(self, raw: bytes, encoding: str) -> bytes:
        encoding = encoding.strip().lower()
        if encoding in ("", "identity") or not raw:
            return raw
        if encoding in ("gzip", "x-gzip"):
            attempts = [16 + zlib.MAX_WBITS]
        elif encoding == "deflate":
            # "deflate" is meant to be zlib-wrapped, but some servers send it raw.
            attempts = [zlib.MAX_WBITS, -zlib.MAX_WBITS]
        else:
            raise FetchError(f"the server sent {encoding}-encoded content, which cannot be decoded")
        limit = self.max_bytes
        for wbits in attempts:
            d = zlib.decompressobj(wbits)
            try:
                # max_length caps the output: a small compressed bomb cannot fill the memory.
                out = d.decompress(raw, limit + 1)
            except zlib.error:
                continue
            if len(out) > limit:
                raise FetchError(
                    f"the response decompresses to more than the limit of {_size(limit)}"
                )
            if not d.eof:
                raise FetchError(f"the {encoding} response was cut off before its end")
            return out
        raise FetchError(f"the {encoding} response is corrupt and cannot be decompressed")


def _network_reason(e: BaseException, host: str, port: int) -> str:
    if isinstance(e, ssl.SSLCertVerificationError):
        why = e.verify_message or e.reason or str(e)
        return (
            f"the TLS certificate of {host} is not valid ({why}); "
            "the site is misconfigured or is not the site it claims to be"
        )
    if isinstance(e, ssl.SSLError):
        return f"the TLS connection to {host} failed ({e.reason or e})"
    if isinstance(e, ConnectionRefusedError):
        return f"connection refused by {host}:{port}; the server is down or not listening there"
    if isinstance(e, http.client.RemoteDisconnected):
        return f"{host} closed the connection without answering"
    if isinstance(e, ConnectionResetError | BrokenPipeError):
        return f"{host} reset the connection"
    if isinstance(e, http.client.IncompleteRead):
        return f"{host} closed the connection before the response was complete"
    if isinstance(e, http.client.HTTPException | ValueError):
        return f"{host} sent a malformed HTTP response ({type(e).__name__}: {e})"
    reason = getattr(e, "strerror", None) or str(e) or type(e).__name__
    return f"network error talking to {host}:{port} ({reason})"


# --- feeds -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeedItem:
    url: str  # absolute http(s) link of the item's article, resolved against the feed URL
    title: str
    author: str  # names joined with ", "; "" if the feed names nobody
    published: str  # ISO date YYYY-MM-DD as the feed states it (publisher's local date), or ""
    updated: str  # ISO date or ""
    summary: str  # plain text of the item's summary (or content), "" if none


@dataclass(frozen=True, slots=True)
class Feed:
    title: str  # the feed's title: a candidate for the outlet name
    url: str
    items: tuple[FeedItem, ...]


_SKIP_PROLOG = re.compile(
    r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)", re.S | re.I
)
_FIRST_TAG = re.compile(r"\s*<([A-Za-z_][\w.:-]*)")


def _root_element(body: bytes) -> str:
    head = body[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", "ignore")
    else:
        text = head.decode("latin-1").removeprefix("\xef\xbb\xbf")
    pos = 0
    while m := _SKIP_PROLOG.match(text, pos):
        if m.end() == pos:
            break
        pos = m.end()
    m = _FIRST_TAG.match(text, pos)
    return m.group(1) if m else ""


def is_feed(content_type: str, body: bytes) -> bool:
    """An RSS, RSS 1.0 (RDF) or Atom document: by its content type, or by its root element (many
    feeds are served as text/xml or even text/html)."""
    if _split_content_type(content_type)[0] in FEED_TYPES:
        return True
    root = _root_element(body)
    local = root.rsplit(":", 1)[-1].lower()
    return local in ("rss", "feed", "rdf")


def _plain(html: str) -> str:
    if "<" in html or "&" in html:
        from bs4 import BeautifulSoup

        html = BeautifulSoup(html, "html.parser").get_text(" ")
    return " ".join(html.split())


def _date(entry, key: str) -> str:
    """The date as the feed writes it: '2024-05-01T23:30:00-05:00' is 1 May, not 2 May in UTC."""
    # dict.get: feedparser's own get() answers "updated" with the published date when there is none.
    raw = str(dict.get(entry, key) or "").strip()
    if raw:
        found = iso_date(raw)
        if found:
            return found
        try:
            return parsedate_to_datetime(raw).date().isoformat()
        except (TypeError, ValueError, IndexError):
            pass
    parsed = dict.get(entry, f"{key}_parsed")
    return time.strftime("%Y-%m-%d", parsed) if parsed else ""


def _author(entry) -> str:
    names = [
        _plain(str(a.get("name") or "")) for a in entry.get("authors") or [] if isinstance(a, dict)
    ]
    names = [n for n in dict.fromkeys(names) if n]
    return ", ".join(names) if names else _plain(str(entry.get("author") or ""))


def parse_feed(body: bytes, url: str) -> Feed:
    """RSS 0.9x/1.0/2.0 or Atom -> Feed. Items without an http(s) link are dropped (there is no
    article to fetch), and a link listed twice is kept once. FetchError("not a feed ...") when the
    body holds no feed."""
    try:
        import feedparser
    except ImportError as e:
        raise ConfigError("reading feeds needs feedparser: pip install feedparser") from e

    if not body.strip():
        raise FetchError("not a feed: the response is empty")
    # A file object, never bytes or str: feedparser treats a string as a URL or a file name to open.
    parsed = feedparser.parse(io.BytesIO(body), response_headers={"content-location": url})
    problem = parsed.get("bozo_exception")
    # "no Content-type specified" only says that no HTTP headers were passed in: not a fault.
    if isinstance(problem, feedparser.NonXMLContentType):
        problem = None
    if not parsed.get("entries") and (problem or not parsed.get("version")):
        detail = f" ({problem})" if problem else ""
        raise FetchError(
            f"not a feed: no RSS or Atom items found{detail}; give the URL of a feed or an article"
        )
    # RSS 0.90/1.0 have no publication date of their own: the item's dc:date is it, but feedparser
    # files dc:date under "updated".
    dc_date_is_published = parsed.version in ("rss090", "rss10")
    items: list[FeedItem] = []
    seen: set[str] = set()
    for entry in parsed.entries:
        link = str(entry.get("link") or "").strip()
        if not link:
            continue
        link = urljoin(url, link)
        if urlsplit(link).scheme.lower() not in ("http", "https") or link in seen:
            continue
        seen.add(link)
        summary = entry.get("summary") or ""
        if not summary and entry.get("content"):
            summary = entry["content"][0].get("value") or ""
        published, updated = _date(entry, "published"), _date(entry, "updated")
        if dc_date_is_published and not published:
            published = updated
        items.append(
            FeedItem(
                url=link,
                title=_plain(str(entry.get("title") or "")),
                author=_author(entry),
                published=published,
                updated=updated,
                summary=_plain(str(summary)),
            )
        )
    return Feed(title=_plain(str(parsed.feed.get("title") or "")), url=url, items=tuple(items))
