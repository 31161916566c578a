"""URLs and feeds to records: a page is one article; a feed (RSS 1.0/2.0, Atom) is every item's article.

The network part lives in ``rag.fetch`` (what may be fetched, how long, how much); this module turns
what came back into ``Record``s the ingest pipeline stores like files. A record's origin is its URL,
so fetching the same page again updates it in place, and a page that did not change (HTTP 304) is
not fetched twice. Per item, a failure is reported and the feed's other items go on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rag.errors import IngestError
from rag.fetch import Feed, FeedItem, Fetched, Fetcher, is_feed, parse_feed
from rag.loaders import Record, decode
from rag.types import Metadata


def is_url(value: object) -> bool:
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))


@dataclass
class Loaded:
    """What one URL gave: records to store, and per-URL outcomes for the report."""

    records: list[Record] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    feed_items: list[str] = field(default_factory=list)  # a feed's item URLs, still listed in it
    # (asked URL, final URL, etag, last-modified) of each page fetched whole: kept by the ingest
    # only once the page is stored, so a failed store is fetched in full next time
    validators: list[tuple[str, str, str, str]] = field(default_factory=list)
    feed: bool = False  # the URL is a feed


def load_url(url: str, fetcher: Fetcher, stored: Callable[[str], bool]) -> Loaded:
    """Fetch ``url``: an article page, a PDF or a feed. ``stored(url)``: whether the index already
    holds that URL's article, or read it as a feed before (only then may the server answer "not
    modified")."""
    out = Loaded()
    try:
        got = fetcher.get(url, conditional=stored(url))
    except IngestError as e:
        out.failed.append((url, str(e)))
        return out
    if got.not_modified:
        out.unchanged.append(url)
        return out
    if is_feed(got.content_type, got.body):
        try:
            feed = parse_feed(got.body, got.url)
        except IngestError as e:
            out.failed.append((url, str(e)))
            return out
        out.feed = True
        for item in feed.items:
            out.feed_items.append(item.url)
            _load_item(item, feed, fetcher, stored, out)
        if not out.failed:  # a failed item must be tried again: the feed is fetched whole next time
            out.validators.append((url, got.url, got.etag, got.last_modified))
        return out
    try:
        out.records.append(record_of(got, url))
        out.validators.append((url, got.url, got.etag, got.last_modified))
    except IngestError as e:
        out.failed.append((url, str(e)))
    return out


def _load_item(
    item: FeedItem, feed: Feed, fetcher: Fetcher, stored: Callable[[str], bool], out: Loaded
) -> None:
    try:
        got = fetcher.get(item.url, conditional=stored(item.url))
        if got.not_modified:
            out.unchanged.append(item.url)
            return
        rec = record_of(got, item.url)
    except IngestError as e:
        out.failed.append((item.url, str(e)))
        return
    out.validators.append((item.url, got.url, got.etag, got.last_modified))
    # What the page states wins; the feed fills the gaps (many pages have no byline markup).
    given = Metadata(
        title=item.title,
        outlet=feed.title,
        author=item.author,
        published=item.published,
        url=item.url,
        updated=item.updated,
    )
    meta = Metadata(**{f: getattr(rec.meta, f) or getattr(given, f) for f in Metadata.__slots__})
    out.records.append(Record(rec.origin, rec.source, rec.path, rec.text, meta, rec.pages))


def record_of(got: Fetched, asked: str) -> Record:
    """A fetched page or PDF as a record whose origin is the URL asked for (a redirect's target may
    change from one fetch to the next; what the user asked for does not)."""
    kind = got.content_type
    body = got.body
    if kind == "application/pdf" or body[:5] == b"%PDF-":
        from rag.pdf import extract_pdf

        text, pages, meta = extract_pdf(body, asked)
        meta = Metadata(**{**_fields(meta), "url": meta.url or got.url})
        return Record(asked, asked, asked, text, meta, pages)
    if is_feed(kind, body):
        raise IngestError("a feed, not an article (feeds inside feeds are not followed)")
    if kind == "text/plain":
        return Record(asked, asked, asked, _text(body, got.charset, asked), Metadata(url=got.url))
    if kind not in _PAGES:
        raise IngestError(f"not an article: the server sent {kind}")
    html = _text(body, got.charset, asked)
    from rag.html import extract

    text, meta = extract(html, got.url)
    if not text.strip():
        raise IngestError("no article text found on the page")
    if not meta.url:
        meta = Metadata(**{**_fields(meta), "url": got.url})
    return Record(asked, asked, asked, text, meta)


# What a news page is served as ("" when the server does not say: the content decides).
_PAGES = {"", "text/html", "application/xhtml+xml", "application/xml", "text/xml"}


def _fields(meta: Metadata) -> dict[str, str]:
    return {f: getattr(meta, f) for f in Metadata.__slots__}


def _text(body: bytes, charset: str, name: str) -> str:
    if charset:
        try:
            return body.decode(charset).replace("\r\n", "\n").replace("\r", "\n")
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(body, name)
