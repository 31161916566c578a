"""Pages and feeds ingested by URL from a real local HTTP server: items, errors per item, 304s, watch."""

import json
import os
import subprocess
import sys

import pytest
from feedserver import Entry, FixtureServer, Route, article_page, atom_feed, rss2_feed

from rag.watch import Watcher, parse_every

FERRY = [
    "The Calder Island ferry will run twice a day from Monday after the harbour board approved a new timetable, officials said.",
    "Harbour master Ines Palgrave said the second crossing would leave Port Aske at 17:30 and carry up to 240 passengers.",
    "Islanders had campaigned for an evening service for three years, collecting 1,900 signatures.",
]
MARKET = [
    "The Aske farmers' market will move to the old rope works in April because the square is being repaved, the town council said.",
    "Stallholder Morag Keene said 42 traders had signed up for the first market in the new hall.",
    "The council said the repaving would cost 310,000 pounds and take eleven weeks.",
]
LIBRARY = [
    "Aske library will open on Sundays from next month after volunteers offered to staff the desk, the county said.",
    "Librarian Tomas Reid said 26 volunteers had completed training and the Sunday hours would run from noon to four.",
    "The county said the pilot would be reviewed after six months.",
]


@pytest.fixture(autouse=True)
def _allow_local(monkeypatch):
    # The fixture server is on 127.0.0.1, which a server must otherwise refuse to fetch.
    monkeypatch.setenv("RAG_ALLOW_PRIVATE_URLS", "1")


@pytest.fixture
def site():
    with FixtureServer() as srv:
        srv.routes["/ferry.html"] = Route(
            article_page(
                "Calder Island ferry to run twice a day",
                FERRY,
                author="Ailsa Brodie",
                published="2025-02-10T08:00:00Z",
                outlet="Aske Gazette",
            ),
            etag='"ferry-1"',
        )
        srv.routes["/market.html"] = article_page(
            "Farmers' market moves to the rope works", MARKET, outlet="Aske Gazette"
        )
        srv.routes["/library.html"] = article_page(
            "Library opens on Sundays", LIBRARY, published="2025-02-12"
        )
        srv.routes["/gone.html"] = Route("not here", status=404, content_type="text/plain")
        srv.routes["/slow.html"] = Route(article_page("Slow", MARKET), delay=5.0)
        srv.routes["/photo.jpg"] = Route(
            b"\xff\xd8\xff\xe0" + b"0" * 100, content_type="image/jpeg"
        )
        yield srv


def _feed(srv, paths, kind=rss2_feed):
    entries = [
        Entry(title=f"Item {p}", link=srv.url(p), published="2025-02-12T09:00:00Z", author="Desk")
        for p in paths
    ]
    return Route(kind("Aske Gazette", srv.url("/"), entries), content_type="application/rss+xml")


@pytest.fixture
def web(fresh):
    from rag.assistant import Assistant
    from rag.settings import Settings

    a, _, emb = fresh
    a.close()
    a = Assistant(Settings(index_dir=a.index_dir, fetch_timeout=1.5, fetch_delay=0.0), embedder=emb)
    yield a
    a.close()


def test_a_page_url_is_ingested_with_its_metadata_and_answers(web, site):
    url = site.url("/ferry.html")
    report = web.ingest([url])
    assert report.added == [url] and not report.failed
    ans = web.ask("How many passengers can the second ferry crossing carry?")
    assert "240 passengers" in ans.text
    c = ans.citations[0]
    assert (c.source, c.url, c.outlet, c.author, c.published) == (
        url,
        url,
        "Aske Gazette",
        "Ailsa Brodie",
        "2025-02-10",
    )
    assert web.index.registry.document(c.doc_id).text[c.start : c.end] == c.quote


def test_a_feed_ingests_every_item_and_reports_each_bad_one(web, site):
    items = ["/ferry.html", "/gone.html", "/slow.html", "/photo.jpg", "/market.html"]
    site.routes["/feed.xml"] = _feed(site, items)
    report = web.ingest([site.url("/feed.xml")])
    assert sorted(report.added) == sorted([site.url("/ferry.html"), site.url("/market.html")])
    failed = dict(report.failed)
    assert "404" in failed[site.url("/gone.html")]
    assert "timed out" in failed[site.url("/slow.html")]
    assert "image/jpeg" in failed[site.url("/photo.jpg")]
    # The feed's metadata fills what a page does not state.
    rows = {r.source: r for r in web.sources()}
    assert rows[site.url("/market.html")].published == "2025-02-12"
    assert rows[site.url("/market.html")].author == "Desk"


def test_a_feed_that_gains_items_adds_only_the_new_ones_and_asks_with_validators(web, site):
    site.routes["/feed.xml"] = _feed(site, ["/ferry.html"], kind=atom_feed)
    assert web.ingest([site.url("/feed.xml")]).added == [site.url("/ferry.html")]
    site.routes["/feed.xml"] = _feed(site, ["/ferry.html", "/library.html"], kind=atom_feed)
    site.hits.clear()
    report = web.ingest([site.url("/feed.xml")])
    assert report.added == [site.url("/library.html")]
    assert report.unchanged == [site.url("/ferry.html")]
    ferry_hits = [h for p, h in site.hits if p == "/ferry.html"]
    assert ferry_hits and ferry_hits[0].get("if-none-match") == '"ferry-1"'  # answered with a 304
    assert "Sunday" in web.ask("When will Aske library open on Sundays?").text


def test_urls_into_the_local_network_are_refused_unless_allowed(web, site, monkeypatch):
    from rag.assistant import Assistant
    from rag.settings import Settings

    monkeypatch.delenv("RAG_ALLOW_PRIVATE_URLS")
    a = Assistant(Settings(index_dir=web.index_dir / "strict"), embedder=web.embedder)
    try:
        report = a.ingest([site.url("/ferry.html"), "file:///etc/passwd"])
    finally:
        a.close()
    failed = dict(report.failed)
    assert "RAG_ALLOW_PRIVATE_URLS" in failed[site.url("/ferry.html")]
    assert "file:///etc/passwd" in failed  # not a URL we fetch: not a file either


def test_a_revised_page_at_the_same_url_replaces_the_old_text(web, site):
    url = site.url("/library.html")
    web.ingest([url])
    site.routes["/library.html"] = article_page(
        "Library opens on Sundays", [LIBRARY[0], LIBRARY[1].replace("26", "31"), LIBRARY[2]]
    )
    report = web.ingest([url])
    assert report.updated == [url]
    assert "31 volunteers" in web.ask("How many volunteers completed training?").text


def test_watch_keeps_a_feed_current(web, site):
    site.routes["/feed.xml"] = _feed(site, ["/ferry.html"])
    reports = []
    w = Watcher(web, [site.url("/feed.xml")], every=0.2, on_report=reports.append)
    w.run(rounds=1)
    site.routes["/feed.xml"] = _feed(site, ["/ferry.html", "/market.html"])
    w.run(rounds=2)
    assert reports[0].added == [site.url("/ferry.html")]
    assert reports[1].added == [site.url("/market.html")]


def test_watch_intervals_read_like_people_write_them():
    assert parse_every("15m") == 900 and parse_every("30s") == 30 and parse_every("2h") == 7200
    assert parse_every("90") == 90
    for bad in ("soon", "0s", "-5m", "5 minutes"):
        with pytest.raises(ValueError):
            parse_every(bad)


def test_rag_ingest_and_watch_take_urls_on_the_command_line(site, tmp_path):
    site.routes["/feed.xml"] = _feed(site, ["/ferry.html", "/gone.html"])
    env = {**os.environ, "RAG_ALLOW_PRIVATE_URLS": "1", "RAG_FETCH_DELAY": "0"}
    index = str(tmp_path / "idx")
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "rag.cli",
            "--index",
            index,
            "ingest",
            "--json",
            site.url("/feed.xml"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["added"] == [site.url("/ferry.html")]
    assert "404" in out.stderr
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "rag.cli",
            "--index",
            index,
            "watch",
            "--every",
            "1s",
            "--rounds",
            "1",
            site.url("/feed.xml"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "unchanged 1" in out.stdout


@pytest.mark.slow
def test_rag_serve_watch_ingests_a_feed_while_serving(site, tmp_path):
    """`rag serve --watch FEED --every 1s`: an item the feed gains later is answerable without a
    restart."""
    import time

    import httpx

    from eval.servers import start_rag_server

    site.routes["/feed.xml"] = _feed(site, ["/ferry.html"])
    srv = start_rag_server(
        "watch",
        tmp_path / "served",
        "--watch",
        site.url("/feed.xml"),
        "--every",
        "1s",
        env={"RAG_ALLOW_PRIVATE_URLS": "1", "RAG_FETCH_DELAY": "0"},
    )
    try:

        def sources() -> set[str]:
            return {d["source"] for d in httpx.get(srv.url + "/api/documents").json()}

        def wait_for(url: str) -> None:
            deadline = time.time() + 60
            while url not in sources():
                assert time.time() < deadline, f"{url} never ingested:\n{srv.log_tail()}"
                time.sleep(0.5)

        wait_for(site.url("/ferry.html"))
        site.routes["/feed.xml"] = _feed(site, ["/ferry.html", "/library.html"])
        wait_for(site.url("/library.html"))
        ans = httpx.post(
            srv.url + "/api/ask", json={"question": "How many volunteers completed training?"}
        ).json()
        assert "26 volunteers" in ans["text"]
    finally:
        srv.stop()


def test_an_update_that_failed_to_store_is_fetched_whole_next_time(web, site):
    """Validators are kept only once the page is in the index: a round that could not store the new
    text must not turn the next round into a 304 that keeps the old text."""
    import fcntl

    from rag.errors import StoreError

    url = site.url("/ferry.html")
    web.ingest([url])
    site.routes["/ferry.html"] = Route(
        article_page("Ferry", [FERRY[0], FERRY[1].replace("240", "310"), FERRY[2]]),
        etag='"ferry-2"',
    )
    with open(web.index_dir / "ingest.lock", "w") as held:  # another process is ingesting
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(StoreError):
            web.ingest([url])
    assert web.ingest([url]).updated == [url]
    assert (
        "310 passengers" in web.ask("How many passengers can the second ferry crossing carry?").text
    )


def test_items_that_are_not_articles_are_refused_with_a_reason(web, site):
    site.routes["/inner.xml"] = _feed(site, ["/ferry.html"])
    site.routes["/menu.html"] = (
        "<html><body><nav>Home | Sport</nav><footer>Aske</footer></body></html>"
    )
    site.routes["/app.js"] = Route("var x = 1;", content_type="text/javascript")
    site.routes["/feed.xml"] = _feed(site, ["/inner.xml", "/menu.html", "/app.js", "/market.html"])
    report = web.ingest([site.url("/feed.xml")])
    failed = dict(report.failed)
    assert "a feed, not an article" in failed[site.url("/inner.xml")]
    assert "no article text" in failed[site.url("/menu.html")]
    assert "text/javascript" in failed[site.url("/app.js")]
    assert report.added == [site.url("/market.html")]


def test_hostile_markup_is_a_reason_not_a_crash(web, tmp_path):
    deep = "[" * 5000 + "]" * 5000
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "deep.html").write_text(
        f'<html><head><script type="application/ld+json">{deep}</script></head><body><article>'
        + "".join(f"<p>{s}</p>" for s in MARKET)
        + "</article></body></html>",
        encoding="utf-8",
    )
    (folder / "good.txt").write_text("\n\n".join(LIBRARY), encoding="utf-8")
    report = web.ingest([folder])
    assert sorted(report.added) == ["deep.html", "good.txt"] and not report.failed
