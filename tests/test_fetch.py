"""Fetching news pages and feeds from URLs: what a user pasting links would notice.

Everything runs against a local server (tests/feedserver.py); names like "news.test" reach it through
the Fetcher's resolver hook, never through DNS.
"""

import json
import socket
import threading
import time

import pytest
from feedserver import (
    Entry,
    FixtureServer,
    Route,
    article_page,
    atom_feed,
    redirect,
    rss1_feed,
    rss2_feed,
    tls_contexts,
)

from rag import fetch
from rag.errors import IngestError
from rag.fetch import Fetcher, FetchError, ValidatorCache, check_url, is_feed, parse_feed

ARTICLE = article_page(
    "Harbour bridge reopens after repairs",
    [
        "The Riverside harbour bridge reopened on Tuesday after eight months of repairs.",
        "Ferry services keep their summer timetable until June, the port authority said.",
    ],
    author="Ana Pereira",
    published="2024-05-01T09:00:00+01:00",
    outlet="Riverside Gazette",
)

ENTRIES = [
    Entry(
        "Harbour bridge reopens after repairs",
        "/news/bridge",  # relative: must come out absolute
        published="2024-05-01T23:30:00-05:00",  # 1 May where it was written, 2 May in UTC
        author="Ana Pereira",
        summary="<p>The <b>bridge</b> reopened &amp; traffic flowed again.</p>",
    ),
    Entry("Item without a link is dropped", "", published="2024-05-02T08:00:00+00:00"),
    Entry(
        "Library extends opening hours",
        "https://library.example/hours",
        published="2024-05-03T08:00:00+02:00",
        author="Tom Okafor",
        summary="Open until nine on weekdays.",
    ),
]


@pytest.fixture
def server():
    with FixtureServer() as srv:
        yield srv


def local(**kw) -> Fetcher:
    """A Fetcher allowed to reach the local test server, without the politeness delay."""
    kw.setdefault("allow_private", True)
    kw.setdefault("per_host_delay", 0)
    kw.setdefault("timeout", 5)
    return Fetcher(**kw)


def resolver(table: dict[str, list[str]], calls: list[str] | None = None):
    def resolve(host: str, port: int) -> list[str]:
        if calls is not None:
            calls.append(host)
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return table[host]

    return resolve


def treat_as_public(monkeypatch, *addresses: str) -> None:
    """Let the local server pass for a public site, so what happens at a later hop can be seen."""
    real = fetch.private_kind
    monkeypatch.setattr(fetch, "private_kind", lambda a: "" if a in addresses else real(a))


# --- pages, redirects, headers -------------------------------------------------------------------


def test_page_is_fetched_with_type_charset_and_validators(server):
    server.routes["/news/bridge"] = Route(
        body=ARTICLE, etag='"v1"', last_modified="Wed, 01 May 2024 08:00:00 GMT"
    )
    page = local().get(server.url("/news/bridge"))
    assert page.status == 200 and not page.not_modified
    assert page.url == server.url("/news/bridge")
    assert page.content_type == "text/html" and page.charset == "utf-8"
    assert page.body == ARTICLE.encode()
    assert page.etag == '"v1"' and page.last_modified == "Wed, 01 May 2024 08:00:00 GMT"
    assert isinstance(FetchError("x"), IngestError)


def test_request_says_who_is_asking_and_what_it_accepts(server):
    server.routes["/a"] = ARTICLE
    local(user_agent="newsrag-test/1").get(server.url("/a"))
    [(_, headers)] = server.hits
    assert headers["user-agent"] == "newsrag-test/1"
    assert headers["accept"].startswith("text/html, application/xhtml+xml, application/rss+xml")
    assert "application/pdf;q=0.8" in headers["accept"]
    assert headers["accept-encoding"] == "gzip"
    assert headers["host"] == f"127.0.0.1:{server.port}"


def test_redirects_are_followed_and_the_final_url_reported(server):
    server.routes["/old"] = redirect(server.url("/moved"), 301)
    server.routes["/moved"] = redirect("news/bridge#top", 308)  # relative to /moved
    server.routes["/news/bridge"] = ARTICLE
    page = local().get(server.url("/old#comments"))
    assert page.url == server.url("/news/bridge")
    assert page.body == ARTICLE.encode()
    assert server.paths() == ["/old", "/moved", "/news/bridge"]


def test_redirect_loop_stops_after_max_redirects(server):
    server.routes["/a"] = redirect("/b")
    server.routes["/b"] = redirect("/a")
    with pytest.raises(FetchError, match="more than 3 redirects"):
        local(max_redirects=3).get(server.url("/a"))
    assert len(server.hits) == 4


def test_spaces_and_non_ascii_in_a_pasted_url_are_escaped(server):
    server.routes["/news/caf%C3%A9%20reopens"] = ARTICLE
    page = local().get(server.url("/news/café reopens"))
    assert page.body == ARTICLE.encode()


# --- refusing what must not be fetched -----------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://ftp.example.com/news.txt",
        "gopher://example.com/1",
        "javascript:alert(1)",
        "data:text/html,<p>hi</p>",
        "example.com/news",
    ],
)
def test_only_http_and_https_urls_are_fetched(url):
    with pytest.raises(FetchError, match="only http and https URLs can be fetched"):
        check_url(url, allow_private=True)
    with pytest.raises(FetchError, match="only http and https"):
        local().get(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.5/",
        "http://172.16.4.1/",
        "http://192.168.1.1/admin",
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata service
        "http://127.0.0.1:8080/",
        "http://0.0.0.0/",
        "http://100.64.0.1/",
        "http://224.0.0.1/",
        "http://[::1]/",
        "http://[::]/",
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://[::ffff:127.0.0.1]/",  # IPv4-mapped
        "http://[::ffff:10.0.0.1]/",
        "http://[2002:7f00:1::]/",  # 6to4 around 127.0.0.1
        "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",  # Teredo, client 127.0.0.1
        "http://[64:ff9b::a00:1]/",  # NAT64 of 10.0.0.1
        "http://2130706433/",  # 127.0.0.1 written as one number
        "http://localhost/",
    ],
)
def test_private_and_special_addresses_are_refused(url):
    with pytest.raises(FetchError) as e:
        check_url(url, allow_private=False)
    assert "private address" in str(e.value)
    assert "set RAG_ALLOW_PRIVATE_URLS=1 to allow it" in str(e.value)


def test_public_addresses_pass_and_allow_private_lets_private_ones_through():
    assert check_url("https://93.184.216.34/news", allow_private=False) == (
        "93.184.216.34",
        443,
        ["93.184.216.34"],
    )
    assert check_url("http://10.0.0.5:8080/", allow_private=True) == (
        "10.0.0.5",
        8080,
        ["10.0.0.5"],
    )


def test_a_name_with_any_private_address_is_refused_naming_it():
    dns = resolver({"mixed.example": ["93.184.216.34", "10.0.0.5"]})
    with pytest.raises(
        FetchError, match=r"mixed\.example resolves to a private address 10\.0\.0\.5"
    ):
        check_url("https://mixed.example/", allow_private=False, resolver=dns)


def test_unresolvable_host_and_credentials_are_refused_with_a_reason():
    with pytest.raises(FetchError, match="cannot resolve host nowhere.example"):
        check_url("http://nowhere.example/", allow_private=False, resolver=resolver({}))
    with pytest.raises(FetchError, match="user name or password"):
        check_url("http://user:secret@93.184.216.34/", allow_private=False)
    with pytest.raises(FetchError, match="no host name"):
        check_url("http:///news", allow_private=False)


def test_local_server_is_refused_by_default_and_allowed_by_the_environment(server, monkeypatch):
    server.routes["/a"] = ARTICLE
    monkeypatch.delenv("RAG_ALLOW_PRIVATE_URLS", raising=False)
    with pytest.raises(FetchError, match="127.0.0.1 is a private address"):
        Fetcher(per_host_delay=0).get(server.url("/a"))
    assert server.hits == []  # refused before connecting
    monkeypatch.setenv("RAG_ALLOW_PRIVATE_URLS", "1")
    assert Fetcher(per_host_delay=0).get(server.url("/a")).status == 200


def test_redirect_to_a_private_address_is_refused(server, monkeypatch):
    treat_as_public(monkeypatch, "127.0.0.1")
    dns = resolver({"public.example": ["127.0.0.1"], "intranet.example": ["192.168.0.7"]})
    server.routes["/metadata"] = redirect("http://169.254.169.254/latest/meta-data/")
    server.routes["/intranet"] = redirect("http://intranet.example/admin")
    server.routes["/mapped"] = redirect("http://[::ffff:10.0.0.1]/")
    fetcher = local(allow_private=False, resolver=dns)
    for path, address in [
        ("/metadata", "169.254.169.254"),
        ("/intranet", "192.168.0.7"),
        ("/mapped", "::ffff:10.0.0.1"),
    ]:
        with pytest.raises(FetchError) as e:
            fetcher.get(f"http://public.example:{server.port}{path}")
        assert "redirected to http://" in str(e.value) and address in str(e.value)
        assert "RAG_ALLOW_PRIVATE_URLS" in str(e.value)
    assert server.paths() == ["/metadata", "/intranet", "/mapped"]


def test_connection_goes_to_the_address_that_was_checked(server, monkeypatch):
    # DNS rebinding: the name answers with a public address for the check and a private one later.
    treat_as_public(monkeypatch, "127.0.0.1")
    answers = iter([["127.0.0.1"], ["10.0.0.5"]])
    calls: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        calls.append(host)
        return next(answers)

    server.routes["/a"] = ARTICLE
    fetcher = local(allow_private=False, resolver=rebinding)
    assert fetcher.get(f"http://rebind.example:{server.port}/a").body == ARTICLE.encode()
    assert calls == ["rebind.example"]  # resolved once; connected to that very address
    assert server.hits[0][1]["host"] == f"rebind.example:{server.port}"
    with pytest.raises(FetchError, match="private address 10.0.0.5"):
        fetcher.get(f"http://rebind.example:{server.port}/a")


def test_https_checks_the_certificate_for_the_name_while_connecting_to_the_address(tmp_path):
    contexts = tls_contexts(tmp_path)
    if contexts is None:
        pytest.skip("needs the openssl command to make a test certificate")
    server_ctx, client_ctx = contexts
    dns = resolver({"news.test": ["127.0.0.1"], "other.test": ["127.0.0.1"]})
    with FixtureServer({"/a": ARTICLE}, ssl_context=server_ctx) as srv:
        page = local(resolver=dns, ssl_context=client_ctx).get(srv.url("/a", host="news.test"))
        assert page.body == ARTICLE.encode() and page.url.startswith("https://news.test:")
        with pytest.raises(FetchError, match="TLS certificate of other.test is not valid"):
            local(resolver=dns, ssl_context=client_ctx).get(srv.url("/a", host="other.test"))
        with pytest.raises(FetchError, match="TLS certificate of news.test is not valid"):
            local(resolver=dns).get(srv.url("/a", host="news.test"))  # the system's CAs


# --- failures ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status, text", [(404, "HTTP 404 Not Found"), (503, "HTTP 503 Service Unavailable")]
)
def test_http_errors_name_the_status(server, status, text):
    server.routes["/gone"] = Route(status=status, body="sorry")
    with pytest.raises(FetchError, match=text):
        local().get(server.url("/gone"))
    with pytest.raises(FetchError, match="HTTP 404 Not Found; check the URL"):
        local().get(server.url("/never-existed"))


def test_connection_refused_is_reported():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError, match=f"connection refused by 127.0.0.1:{port}"):
        local().get(f"http://127.0.0.1:{port}/")


@pytest.mark.parametrize(
    "route",
    [
        Route(body=ARTICLE, delay_per_byte=0.2),  # body trickles in
        Route(body=ARTICLE, delay_per_byte=0.2, trickle_headers=True),  # even the headers do
        Route(body=ARTICLE, delay=10),  # no answer at all
    ],
    ids=["body", "headers", "silent"],
)
def test_slow_server_times_out_near_the_timeout(server, route):
    server.routes["/slow"] = route
    start = time.monotonic()
    with pytest.raises(FetchError, match="timed out after 1 s"):
        local(timeout=1.0).get(server.url("/slow"))
    assert 0.9 < time.monotonic() - start < 3


@pytest.mark.parametrize(
    "route",
    [
        Route(body=b"x" * 5000),
        Route(body=b"x" * 5000, send_length=False),
        Route(body=b"x" * 5000, chunked=True),
        Route(body=b"\0" * 2_000_000, gzip=True),  # a few kB on the wire
    ],
    ids=["content-length", "no-length", "chunked", "gzip-bomb"],
)
def test_oversize_body_is_refused(server, route):
    server.routes["/big"] = route
    with pytest.raises(FetchError, match="limit of 4,000 bytes"):
        local(max_bytes=4000).get(server.url("/big"))


def test_body_at_the_size_limit_is_accepted(server):
    server.routes["/exact"] = Route(body=b"y" * 4000, send_length=False)
    assert len(local(max_bytes=4000).get(server.url("/exact")).body) == 4000


def test_gzip_and_chunked_responses_are_decoded(server):
    server.routes["/gz"] = Route(body=ARTICLE, gzip=True, chunked=True)
    assert local().get(server.url("/gz")).body == ARTICLE.encode()


# --- politeness and caching --------------------------------------------------------------------


def test_requests_to_one_host_are_spaced_out_but_other_hosts_do_not_wait(server):
    server.routes["/a"] = ARTICLE
    dns = resolver({"news.test": ["127.0.0.1"], "other.test": ["127.0.0.1"]})
    fetcher = local(per_host_delay=0.3, resolver=dns)
    start = time.monotonic()
    fetcher.get(server.url("/a", host="news.test"))
    fetcher.get(server.url("/a", host="news.test"))
    assert time.monotonic() - start >= 0.3
    start = time.monotonic()
    fetcher.get(server.url("/a", host="other.test"))
    assert time.monotonic() - start < 0.25


def test_threads_sharing_a_fetcher_still_space_out_one_host(server):
    server.routes["/a"] = ARTICLE
    fetcher = local(per_host_delay=0.2)
    start = time.monotonic()
    threads = [threading.Thread(target=fetcher.get, args=(server.url("/a"),)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(server.hits) == 3
    assert time.monotonic() - start >= 0.4


def test_unchanged_page_is_not_downloaded_again_even_by_a_new_fetcher(server, tmp_path):
    cache_file = tmp_path / "state" / "validators.json"
    server.routes["/a"] = Route(body=ARTICLE, etag='"v1"')
    server.routes["/b"] = Route(body=ARTICLE, last_modified="Wed, 01 May 2024 08:00:00 GMT")
    first = local(cache=ValidatorCache(cache_file))
    assert first.get(server.url("/a")).status == 200
    assert first.get(server.url("/b")).status == 200
    assert json.loads(cache_file.read_text())["urls"][server.url("/a")]["etag"] == '"v1"'

    second = local(cache=ValidatorCache(cache_file))
    a, b = second.get(server.url("/a")), second.get(server.url("/b"))
    assert a.not_modified and a.status == 304 and a.body == b"" and a.etag == '"v1"'
    assert b.not_modified and b.last_modified == "Wed, 01 May 2024 08:00:00 GMT"
    assert server.hits[2][1]["if-none-match"] == '"v1"'
    assert server.hits[3][1]["if-modified-since"] == "Wed, 01 May 2024 08:00:00 GMT"

    server.routes["/a"] = Route(body="<p>Corrected story.</p>", etag='"v2"')
    changed = second.get(server.url("/a"))
    assert changed.status == 200 and changed.body == b"<p>Corrected story.</p>"
    assert ValidatorCache(cache_file).get(server.url("/a")) == ('"v2"', "")
    forced = second.get(server.url("/a"), conditional=False)
    assert forced.status == 200 and "if-none-match" not in server.hits[-1][1]
    assert [p.name for p in cache_file.parent.iterdir()] == ["validators.json"]  # no temp files


def test_304_for_a_url_never_fetched_before_is_an_error(server):
    server.routes["/odd"] = Route(status=304)
    with pytest.raises(FetchError, match="no earlier copy"):
        local(cache=ValidatorCache(None)).get(server.url("/odd"))


def test_damaged_cache_file_is_ignored(tmp_path):
    path = tmp_path / "validators.json"
    path.write_text("{not json")
    cache = ValidatorCache(path)
    assert cache.get("http://news.test/a") == ("", "")
    cache.put("http://news.test/a", '"x"', "")
    cache.save()
    assert ValidatorCache(path).get("http://news.test/a") == ('"x"', "")


# --- feeds -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "build, content_type",
    [
        (rss2_feed, "application/rss+xml"),
        (rss1_feed, "application/rdf+xml"),
        (atom_feed, "application/atom+xml"),
    ],
    ids=["rss2", "rss1-rdf", "atom"],
)
def test_feed_items_come_with_absolute_links_dates_and_authors(server, build, content_type):
    server.routes["/feeds/main.xml"] = Route(
        body=build("Riverside Gazette", server.url("/"), ENTRIES), content_type=content_type
    )
    page = local().get(server.url("/feeds/main.xml"))
    assert is_feed(page.content_type, page.body)
    feed = parse_feed(page.body, page.url)
    assert feed.title == "Riverside Gazette" and feed.url == server.url("/feeds/main.xml")
    assert [i.url for i in feed.items] == [
        server.url("/news/bridge"),
        "https://library.example/hours",
    ]
    bridge, library = feed.items
    assert bridge.title == "Harbour bridge reopens after repairs"
    assert bridge.published == "2024-05-01"  # the date where it was written
    assert bridge.author == "Ana Pereira" and library.author == "Tom Okafor"
    assert library.published == "2024-05-03"
    assert bridge.summary == "The bridge reopened & traffic flowed again."
    if build is rss2_feed:
        assert bridge.updated == ""  # RSS 2.0 states no update date: none is made up
    else:
        assert bridge.updated == "2024-05-01"


def test_rss_author_with_email_gives_the_name():
    body = rss2_feed(
        "Gazette",
        "http://news.test/",
        [Entry("A", "http://news.test/a", author="ed@news.test (Ed Lim)")],
    ).encode()
    [item] = parse_feed(body, "http://news.test/feed").items
    assert item.author == "Ed Lim"


def test_feed_that_gains_items_shows_them_on_the_next_fetch(server):
    feed_url = server.url("/feed.xml")
    old = [ENTRIES[0]]
    server.routes["/feed.xml"] = Route(body=rss2_feed("Gazette", server.url("/"), old), etag='"1"')
    fetcher = local(cache=ValidatorCache(None))
    first = parse_feed(fetcher.get(feed_url).body, feed_url)
    assert len(first.items) == 1
    assert fetcher.get(feed_url).not_modified

    new = Entry("Night market returns", "/news/market", published="2024-05-04T18:00:00+00:00")
    server.routes["/feed.xml"] = Route(
        body=rss2_feed("Gazette", server.url("/"), [new, *old]), etag='"2"'
    )
    again = fetcher.get(feed_url)
    assert again.status == 200
    items = parse_feed(again.body, again.url).items
    assert [i.title for i in items] == ["Night market returns", ENTRIES[0].title]
    assert items[0].url == server.url("/news/market") and items[0].published == "2024-05-04"


def test_a_page_that_is_not_a_feed_says_so(server):
    server.routes["/a"] = ARTICLE
    page = local().get(server.url("/a"))
    assert not is_feed(page.content_type, page.body)
    with pytest.raises(FetchError, match="not a feed"):
        parse_feed(page.body, page.url)
    # feedparser opens a string it is given as a file name: a body naming a local file stays text.
    with pytest.raises(FetchError, match="not a feed"):
        parse_feed(b"/etc/hostname", "http://news.test/feed")


def test_empty_but_valid_feed_has_no_items():
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    assert parse_feed(body, "http://news.test/feed").items == ()


@pytest.mark.parametrize(
    "content_type, body, expected",
    [
        ("application/rss+xml", b"", True),
        ("text/xml", b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- hi --><rss version="2.0">', True),
        ("text/html", b'<feed xmlns="http://www.w3.org/2005/Atom">', True),
        ("", b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="x">', True),
        ("text/xml", b"<?xml version='1.0'?><!DOCTYPE rss><rss>", True),
        ("text/html", b"<!doctype html><html><body><rss></rss></body></html>", False),
        ("application/xml", b"<?xml version='1.0'?><sitemap/>", False),
        ("application/pdf", b"%PDF-1.7", False),
    ],
)
def test_feeds_are_recognised_by_type_or_root_element(content_type, body, expected):
    assert is_feed(content_type, body) is expected


def test_a_page_cut_off_before_its_announced_length_is_refused(server):
    """A connection that drops mid-page must not pass for the whole page."""
    server.routes["/short"] = Route(
        body=b"z" * 400, send_length=False, headers={"Content-Length": "4073"}
    )
    with pytest.raises(FetchError, match="closed after 400 bytes of 4,073 bytes"):
        local().get(server.url("/short"))
