"""Reading PDFs: body text in reading order, hyphenation undone, running heads gone, page offsets
exact, metadata read, and unreadable files refused with a reason a user can act on.

Fixtures are generated (``eval.pdf_fixtures``) with labels that are the truth: which paragraphs exist,
on which page each begins, which words the layout broke at a line end.
"""

import random
import subprocess
import sys
from bisect import bisect_right

import pytest

from eval.pdf_fixtures import build
from rag.errors import IngestError
from rag.pdf import assemble, extract_pdf, pdf_date
from rag.types import Citation, Document, Metadata, Span

READABLE = [
    "weekly_report.pdf",
    "two_column.pdf",
    "two_column_rows.pdf",
    "hyphenated.pdf",
    "press_release.pdf",
    "metadata.pdf",
    "owner_password.pdf",
    "footnotes.pdf",
]
# A compound broken at its own hyphen that the document never spells whole: closed up (documented).
UNRECOGNISED = {"long-overdue": "longoverdue"}


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdfs")
    labels = build(folder)
    data = {name: (folder / name).read_bytes() for name in labels}
    extracted = {name: extract_pdf(data[name], name) for name in READABLE}
    return labels, data, extracted


def expected(paragraph: str) -> str:
    for compound, closed in UNRECOGNISED.items():
        paragraph = paragraph.replace(compound, closed)
    return paragraph


@pytest.mark.parametrize("name", READABLE)
def test_every_paragraph_comes_out_whole_and_in_reading_order(fixtures, name):
    labels, _, extracted = fixtures
    text, _, _ = extracted[name]
    paragraphs = text.split("\n\n")
    want = [expected(p) for p in labels[name]["paragraphs"]]
    assert [p for p in paragraphs if p in want] == want


def test_two_columns_read_column_one_then_column_two(fixtures):
    """Also when the producer wrote the page row by row across the columns."""
    labels, _, extracted = fixtures
    for name in ("two_column.pdf", "two_column_rows.pdf"):
        text = extracted[name][0]
        positions = [text.find(p) for p in labels[name]["paragraphs"]]
        assert -1 not in positions and positions == sorted(positions), name
    # The ferry story continues mid-paragraph from the foot of column 1 to the top of column 2.
    assert "was held by video link. Islanders said" in extracted["two_column.pdf"][0]


def test_table_rows_stay_rows(fixtures):
    labels, _, extracted = fixtures
    paragraphs = extracted["press_release.pdf"][0].split("\n\n")
    for row in labels["press_release.pdf"]["table_rows"]:
        assert row in paragraphs


def test_line_end_hyphenation_is_undone_and_compounds_keep_their_hyphen(fixtures):
    labels, _, extracted = fixtures
    text = extracted["hyphenated.pdf"][0]
    for word in labels["hyphenated.pdf"]["hyphenated"]:
        assert f" {word}" in text or f"{word} " in text, word
    assert "infra-" not in text and "re- serves" not in text
    # Kept: a compound-only first element, the document's own spelling, a capital after the hyphen;
    # this one also crosses a page break.
    for compound in ("well-known", "state-owned quarry had not", "Anglo-Dutch"):
        assert compound in text
    assert "close - twenty-two to nineteen - and" in text  # a spaced dash is not a word break
    assert "longoverdue" in text  # the documented cost of the rule: no evidence, closed up


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["the COVID-", "19 figures"], "the COVID-19 figures"),
        (["send an e-", "mail today"], "send an e-mail today"),
        (["a 10-", "year plan"], "a 10-year plan"),
        (["a state-of-the-", "art hall"], "a state-of-the-art hall"),
        (["some forty-", "five boats"], "some forty-five boats"),
        (["the self-", "funded plan"], "the self-funded plan"),
        (["the work-", "ers came"], "the workers came"),
        (["soft hyphen infra\u00ad", "structure here"], "soft hyphen infrastructure here"),
    ],
)
def test_hyphen_rule(lines, joined):
    text, _ = assemble(["\n".join(lines)])
    assert text == joined


def test_running_headers_footers_and_page_numbers_are_dropped(fixtures):
    labels, _, extracted = fixtures
    for name in (
        "weekly_report.pdf",
        "two_column.pdf",
        "two_column_rows.pdf",
        "hyphenated.pdf",
        "footnotes.pdf",
    ):
        text = extracted[name][0]
        lines = {p.strip() for p in text.split("\n\n")}
        for head in set(labels[name]["headers"]):
            assert head not in lines, (name, head)
            if not head.strip("- ").isdigit():
                assert head not in text, (name, head)
    # Footnotes sit at the foot of the page but are text, markers included.
    assert "1 Figures are taken from the audited statement" in extracted["footnotes.pdf"][0]
    assert "slightly less than it had planned.1 Social care" in extracted["footnotes.pdf"][0]


@pytest.mark.parametrize("name", READABLE)
def test_page_starts_put_each_paragraph_on_its_page(fixtures, name):
    labels, _, extracted = fixtures
    text, starts, _ = extracted[name]
    assert len(starts) == labels[name]["pages"] and starts[0] == 0
    assert list(starts) == sorted(starts) and starts[-1] <= len(text)
    for paragraph, page in zip(labels[name]["paragraphs"], labels[name]["para_pages"], strict=True):
        at = text.find(expected(paragraph))
        assert bisect_right(starts, at) == page, paragraph[:40]


def test_a_quote_after_a_page_break_is_cited_on_the_later_page(fixtures):
    """The weekly report's third paragraph runs from page 1 onto page 2."""
    _, _, extracted = fixtures
    text, starts, meta = extracted["weekly_report.pdf"]
    doc = Document(
        "d", "weekly_report.pdf", "/x/weekly_report.pdf", text, meta, (Span(0, len(text)),), starts
    )
    before = text.index("who chairs the environment committee")
    after = text.index("town could not wait for another winter")
    assert text[before:after].count("\n") == 0  # one paragraph
    quote = "We have had the studies"
    start = text.index(quote)
    citation = Citation.of(1, doc, start, start + len(quote))
    assert citation.quote == quote and citation.page == 2
    assert doc.page_at(before) == 1 and doc.page_at(text.index("Readers can also view")) == 4


@pytest.mark.parametrize("name", READABLE)
def test_text_is_clean_paragraphs_that_slice_back_verbatim(fixtures, name):
    """The offset contract: text[start:end] of any paragraph is that paragraph, character for character."""
    _, _, extracted = fixtures
    text, _, _ = extracted[name]
    start = 0
    for paragraph in text.split("\n\n"):
        end = start + len(paragraph)
        assert text[start:end] == paragraph
        assert (
            paragraph
            and paragraph == paragraph.strip()
            and "\n" not in paragraph
            and "  " not in paragraph
        )
        start = end + 2
    assert start - 2 == len(text)


def test_metadata_from_the_info_dictionary(fixtures):
    labels, _, extracted = fixtures
    meta = extracted["metadata.pdf"][2]
    assert meta.title == "Spring timetable brings later ferries to Skellan Isle"
    assert meta.author == "Odile Brackwater"
    # Made at 00:15 on 2 April, UTC+1: the date the file states, not the UTC date (1 April).
    assert meta.published == "2031-04-02" == labels["metadata.pdf"]["published"]
    plain = extracted["weekly_report.pdf"][2]
    assert plain.title == "" and plain.author == "" and plain.published == "2031-03-21"
    assert isinstance(plain, Metadata)


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("D:20310402001500+01'00'", "2031-04-02"),
        ("20311231", "2031-12-31"),
        ("D:2031", ""),
        ("D:20311341120000Z", ""),
        ("yesterday", ""),
        (None, ""),
    ],
)
def test_pdf_date(value, iso):
    assert pdf_date(value) == iso


def test_owner_password_only_still_reads(fixtures):
    _, _, extracted = fixtures
    assert "The Brenmoor marathon will follow a new route" in extracted["owner_password.pdf"][0]


def test_user_password_is_refused(fixtures):
    _, data, _ = fixtures
    with pytest.raises(IngestError, match="password-protected PDF; save an unprotected copy"):
        extract_pdf(data["user_password.pdf"], "user_password.pdf")


def test_scanned_pdf_is_refused_with_the_ocr_advice(fixtures):
    _, data, _ = fixtures
    with pytest.raises(
        IngestError, match=r"no text layer \(a scanned PDF\?\); run OCR first, e.g. ocrmypdf"
    ):
        extract_pdf(data["scanned.pdf"], "scanned.pdf")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"Just some text that is not a PDF at all.", "not a PDF"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "not a PDF"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n", "damaged PDF"),
    ],
)
def test_garbage_is_refused(data, reason):
    with pytest.raises(IngestError, match=reason):
        extract_pdf(data)


def test_a_truncated_pdf_is_refused_as_damaged(fixtures):
    _, data, _ = fixtures
    whole = data["weekly_report.pdf"]
    with pytest.raises(IngestError, match="damaged PDF"):
        extract_pdf(whole[: len(whole) * 3 // 4])


def test_a_page_number_alone_is_too_little_text():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.text(20, 20, "Draft - see attachment")
    with pytest.raises(IngestError, match="too little text"):
        extract_pdf(bytes(pdf.output()))


def test_no_library_exception_escapes_on_corrupted_bytes(fixtures):
    _, data, _ = fixtures
    rng = random.Random(7)
    whole = bytearray(data["footnotes.pdf"])
    for _ in range(40):
        broken = bytearray(whole)
        for _ in range(rng.randint(1, 20)):
            broken[rng.randrange(len(broken))] = rng.randrange(256)
        try:
            text, starts, _ = extract_pdf(bytes(broken))
        except IngestError:
            continue
        assert starts[0] == 0 and all(s <= len(text) for s in starts)


def test_the_pdf_library_is_imported_only_when_a_pdf_is_read():
    code = "import sys, rag.pdf; print('pypdfium2' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_pdf_ingests_and_its_answers_cite_the_page(fresh, tmp_path):
    """Through the whole pipeline: `rag ingest report.pdf`, then a question whose answer is on
    page 3 cites page 3, verbatim at its offsets."""
    a, _, _ = fresh
    folder = tmp_path / "pdfs"
    folder.mkdir()
    build(folder)
    report = a.ingest([folder / "weekly_report.pdf", folder / "scanned.pdf"])
    assert report.added == ["weekly_report.pdf"]
    assert "OCR" in dict(report.failed)["scanned.pdf"]
    ans = a.ask("How much will the national flood fund pay for the river wall?")
    assert "£2.5 million" in ans.text
    c = ans.citations[0]
    assert c.page == 3 and c.source == "weekly_report.pdf"
    doc = a.index.registry.document(c.doc_id)
    assert doc.text[c.start : c.end] == c.quote and len(doc.pages) == 4
    row = next(r for r in a.sources() if r.source == "weekly_report.pdf")
    assert row.pages == 4
