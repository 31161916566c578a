"""Reading .txt/.md/.html/.json/.jsonl, and refusing what is not an article, with a reason."""

import json

import pytest

from rag.errors import IngestError
from rag.loaders import load_file


def test_html_drops_scripts_styles_and_navigation_and_reads_metadata(tmp_path):
    page = tmp_path / "a.html"
    page.write_text(
        """<html><head><title>Ignored title</title>
        <meta property="og:title" content="Rebels reach Homs">
        <meta property="og:site_name" content="Example News">
        <meta name="author" content="Jane Roe">
        <meta property="article:published_time" content="2024-12-07T10:00:00Z">
        <style>p{color:red}</style><script>alert('x')</script></head>
        <body><nav>Home | World</nav><article><h1>Rebels reach Homs</h1>
        <p>The rebels reached <b>Homs</b> on Saturday.</p><p>Residents fled north.</p></article>
        <footer>© Example</footer></body></html>""",
        encoding="utf-8",
    )
    [rec] = load_file(page)
    assert (
        "alert" not in rec.text and "color:red" not in rec.text and "Home | World" not in rec.text
    )
    assert "The rebels reached Homs on Saturday." in rec.text
    assert rec.meta.title == "Rebels reach Homs"
    assert rec.meta.outlet == "Example News" and rec.meta.author == "Jane Roe"
    assert rec.meta.published == "2024-12-07"


def test_jsonl_records_each_become_a_document(tmp_path):
    f = tmp_path / "feed.jsonl"
    rows = [
        {
            "title": "One",
            "text": "First story text here.",
            "outlet": "Wire",
            "published": "2024-12-01",
        },
        {"title": "No text"},
        {"title": "Two", "content": "Second story text."},
    ]
    f.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    recs = load_file(f)
    assert [r.source for r in recs] == ["feed.jsonl#0", "feed.jsonl#2"]
    assert recs[0].meta.outlet == "Wire" and recs[0].meta.published == "2024-12-01"


@pytest.mark.parametrize(
    "name,content,reason",
    [
        ("empty.txt", b"", "empty"),
        ("fake.txt", b"%PDF-1.4\x00\x00binary", "binary"),
        ("bad.json", b'{"text": "unterminated', "malformed JSON"),
        ("notext.json", b'{"title": "x"}', "no record with a text field"),
        ("image.png", b"\x89PNG", "unsupported file type"),
    ],
)
def test_unusable_files_are_refused_with_a_reason(tmp_path, name, content, reason):
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(IngestError, match=reason):
        load_file(f)


def test_non_utf8_text_is_decoded(tmp_path):
    f = tmp_path / "latin.txt"
    f.write_bytes(
        "Erdoğan? no: café in Genève.".encode().decode("utf-8").replace("ğ", "g").encode("cp1252")
    )
    [rec] = load_file(f)
    assert "café" in rec.text and "Genève" in rec.text
