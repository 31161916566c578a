"""Pure parts of the browser app and of uploads: HTML rendering, safe names, passages, streaming."""

import io
from dataclasses import replace

import pytest

from rag import uploads
from rag.types import Answer, Citation, Document, DocumentInfo, Metadata, Passage, SentenceCheck
from ui import render

HOSTILE = (
    '<script>alert(1)</script><img src=x onerror="alert(2)"> *bold* [link](javascript:alert(3))'
)


def answer(text, n_citations=1, **kw):
    cites = tuple(
        Citation(n=i, source=f"a{i}.txt", title=HOSTILE, quote=HOSTILE, start=0, end=10)
        for i in range(1, n_citations + 1)
    )
    return Answer("q", text, abstained=False, citations=cites, **kw)


def test_message_escapes_article_text_and_links_only_real_markers():
    html = render.message_html(answer(f"{HOSTILE} [1] and [7]"), turn=3)
    assert "<script" not in html and "<img" not in html and 'onerror="' not in html
    assert "&lt;script&gt;" in html
    assert html.count('class="rag-cite"') == 1 and 'href="#rag-c-3-1"' in html
    assert "[7]" in html  # not a citation of this answer: left as text
    assert "\n" not in html  # one HTML block: Markdown leaves it alone


def test_kinds_are_distinct():
    assert 'class="rag-msg rag-answer"' in render.message_html(answer("x [1]"), 1)
    refused = render.message_html(Answer("q", "The sources don't say.", abstained=True), 1)
    assert "rag-abstain" in refused and "Not in the sources" in refused
    differ = render.message_html(
        answer("The sources differ:\nA [1]\nB [2]", 2, disagreement=True), 1
    )
    assert (
        "rag-disagree" in differ
        and "Sources disagree" in differ
        and "The sources differ:" not in differ
    )


def test_passage_highlights_the_quote_in_escaped_context():
    cit = replace(
        answer("x [1]").citations[0],
        url="javascript:alert(1)",
        outlet="<b>Outlet</b>",
        published="2024-12-08",
    )
    context = Passage("<i>before</i> ", "the <quote>", " after", clipped_before=True)
    html = render.passage_html(2, cit, context)
    assert 'id="rag-c-2-1"' in html
    assert "<mark>the &lt;quote&gt;</mark>" in html
    assert "&lt;i&gt;before&lt;/i&gt;" in html and "&lt;b&gt;Outlet&lt;/b&gt;" in html
    assert "<a " not in html  # only http(s) links become links
    assert "8 Dec 2024" in html


@pytest.mark.parametrize(
    "url, kept",
    [
        ("https://example.org/a?b=1", True),
        ("http://x.y/", True),
        ("javascript:alert(1)", False),
        ('https://x.y/"onmouseover="a', False),
        ("ftp://x.y/", False),
    ],
)
def test_safe_url(url, kept):
    assert (render.safe_url(url) == url) is kept


@pytest.mark.parametrize(
    "name, safe",
    [
        ("report.txt", "report.txt"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\me\\news.md", "news.md"),
        ("<img src=x onerror=alert(1)>.html", "_img src_x onerror_alert(1)_.html"),
        ("tab\there\x00.txt", "tabhere.txt"),
        ("  .hidden.txt", "hidden.txt"),
        ("..", ""),
    ],
)
def test_safe_name(name, safe):
    assert uploads.safe_name(name) == safe


def test_save_refuses_bad_uploads_and_keeps_good_ones(tmp_path):
    ok = uploads.save("a.txt", io.BytesIO(b"hello world"), tmp_path, max_bytes=100)
    assert ok == tmp_path / "a.txt" and ok.read_bytes() == b"hello world"
    assert isinstance(
        uploads.save("b.txt", io.BytesIO(b"x" * 101), tmp_path, max_bytes=100), uploads.Rejected
    )
    assert isinstance(
        uploads.save("c.exe", io.BytesIO(b"MZ"), tmp_path, max_bytes=100), uploads.Rejected
    )
    assert isinstance(
        uploads.save("d.txt", io.BytesIO(b""), tmp_path, max_bytes=100), uploads.Rejected
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]  # no temp files left behind


def test_passage_context_is_verbatim(assistant):
    ans = assistant.ask("When did HTS enter Aleppo?")
    assert ans.citations
    longer = 0
    for c in ans.citations:
        ctx = assistant.passage(c)
        doc = assistant.index.registry.document(c.doc_id)
        assert ctx.quote == c.quote
        joined = ctx.before + ctx.quote + ctx.after
        assert doc.text[c.start - len(ctx.before) : c.end + len(ctx.after)] == joined
        longer += len(joined) > len(c.quote)
    assert longer  # at least one quote sits inside a longer paragraph


def test_stream_yields_the_answer_text_then_the_answer(assistant):
    stream = assistant.stream("When did Bashar al-Assad leave the country?")
    assert stream.answer is None
    pieces = list(stream)
    assert "".join(pieces) == stream.answer.text and stream.answer.citations


def test_add_uploads_reports_each_file_and_keeps_only_ingested_ones(fresh):
    a, _, _ = fresh
    report, rows = a.add_uploads(
        [
            (
                "good.txt",
                io.BytesIO(
                    b"Headline\n\nThe Varnel ferry leaves at 7 am every Tuesday, the port said.\n"
                ),
            ),
            ("chrome.txt", io.BytesIO(b"Leave a Comment\nSubscribe now\n#news #syria\n")),
            ("../bad.pdf", io.BytesIO(b"%PDF")),
        ]
    )
    status = {r.source: r.status for r in rows}
    assert status == {"good.txt": "added", "chrome.txt": "failed", "bad.pdf": "failed"}
    assert sorted(p.name for p in a.uploads_dir.iterdir()) == ["good.txt"]
    doc_id = a.sources()[0].doc_id
    assert a.delete(doc_id) and not (a.uploads_dir / "good.txt").exists()


def test_generated_answer_marks_unsupported_sentences():
    ans = answer(
        "A happened. [1] B happened.",
        backend="llm:openai:x",
        standalone_question="When did <b>A</b> happen?",
        sentences=(
            SentenceCheck("A happened. [1]", (1,), supported=True, support=0.9),
            SentenceCheck(
                "B happened.",
                (),
                supported=False,
                support=0.1,
                problems=("cites no source", "<script>"),
            ),
        ),
    )
    html = render.message_html(ans, turn=1)
    assert html.count("rag-unsupported") == 1 and "could not be verified" in html
    assert 'title="Not supported by its sources: cites no source; &lt;script&gt;"' in html
    assert "Understood as: When did &lt;b&gt;A&lt;/b&gt; happen?" in html


def test_fallback_answer_says_the_model_was_unreachable():
    html = render.message_html(answer("x [1]", backend="extractive (LLM unavailable)"), turn=1)
    assert "could not be reached" in html


def test_library_shows_a_bounded_page_of_a_large_archive_and_finds_the_rest():
    from ui.app import LIBRARY_ROWS, ChatApp

    class Archive:
        def sources(self):
            return [
                DocumentInfo.of(
                    Document(
                        f"id{i}", f"r{i:05d}.txt", "", "text", Metadata(title=f"Report {i}"), ()
                    ),
                    chunks=3,
                    story=[f"id{i}"],
                )
                for i in range(3 * LIBRARY_ROWS)
            ]

        class index:
            @staticmethod
            def count():
                return 3 * LIBRARY_ROWS, 9 * LIBRARY_ROWS

    app = ChatApp(Archive())
    stats, rows, _ = app.library()
    assert len(rows) == LIBRARY_ROWS and f"Showing the first {LIBRARY_ROWS}" in stats
    stats, rows, _ = app.library("r00577")
    assert [r[5] for r in rows] == ["r00577.txt"] and "1 match" in stats and "Showing" not in stats


def test_a_when_answer_links_to_its_timeline_with_the_words_escaped():
    html = render.message_html(answer("x [1]"), 1, timeline=('al-"Sham" <b>', 3))
    assert 'href="#rag-tl:al-%22Sham%22%20%3Cb%3E"' in html
    assert "3 dated events about “al-&quot;Sham&quot; &lt;b&gt;”" in html
    assert "rag-tl-link" not in render.message_html(answer("x [1]"), 1)
