"""PDF -> the text offsets refer to, where each page begins in it, and the metadata the file states.

Library: pypdfium2 (PDFium, Chrome's PDF engine), chosen by measurement (``python -m eval.pdf_choice``,
fixtures in ``eval/pdf_fixtures.py``). With our post-processing on its plain text it matched pypdf and
pdfminer.six on hyphenation and running heads, kept table rows whole (pdfminer scrambles them by
column) and was 2x faster than pypdf and 10x faster than pdfminer; pdfminer's layout analysis read
more paragraphs right, and what that analysis knows (where lines sit) PDFium reports too. So this
module reads each line's position from PDFium and decides paragraphs itself; end to end it reads
the fixtures better than any library's plain text, at about half of PDFium's raw speed.

Steps, each with its reason:

- lines with geometry (``_pdfium_boxes``): PDFium's lines in content-stream order, with extent and
  type size. A raised footnote marker that PDFium puts on a line of its own is put back on its line. A
  page written row by row across two columns (some producers do) is read column by column;
- running headers/footers and page numbers dropped (``_drop_running``): a line among the top or bottom
  three of a page whose text, digits aside, recurs there on at least half the pages, or at the same
  end of two consecutive pages (running heads that change by section); page-number lines ('7',
  'Page 2 of 4', '- 3 -') among the top or bottom three of any page;
- paragraphs (``_breaks``): a first-line indent, a new type size, a table row or extra space starts
  one; so does a line after a short one; a full line runs on, also across a page or column break (the
  page offset then falls inside the paragraph, as the page break does);
- line-end hyphenation undone (``_join_hyphen``): "infra-" + "structure" -> "infrastructure", with
  compounds kept ("well-known", "Anglo-Dutch", and any spelt with a hyphen elsewhere in the document).

Given up: text in images (a scan needs OCR first); reading order beyond "column by column" (a sidebar
or caption set beside the story is read where the content stream puts it); a compound broken at its
own hyphen that the document never spells whole elsewhere loses its hyphen ("long-overdue" ->
"longoverdue"); paragraphs that are marked by nothing (no indent, no space) and end on a full line
run into the next.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass
from itertools import pairwise

from rag.errors import IngestError
from rag.types import Metadata, iso_date
from rag.vocab import TENS

# Fewer letters than this in the whole document is not an article worth indexing.
MIN_LETTERS = 100

# PDFium is not thread-safe, not even across documents: one call at a time in the process.
_PDFIUM = threading.Lock()

_SCANNED = "no text layer (a scanned PDF?); run OCR first, e.g. ocrmypdf, then ingest the result"
_LOCKED = "password-protected PDF; save an unprotected copy"

# -- lines ---------------------------------------------------------------------------------------

_LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
    }
)
# Controls other than newline/form feed, and the private marks some producers leave in text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufeff\ufffd\uffff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_SOFT_INSIDE = re.compile(r"\u00ad(?!$)")


@dataclass(frozen=True, slots=True)
class Line:
    """One printed line, and what its position says about paragraph boundaries where that is known."""

    text: str
    gap: bool = False  # more space above it than the usual leading, in the same column
    jump: bool = False  # a column change before it, or a blank line from the library (either one)
    new: bool = False  # certainly starts a paragraph: first-line indent, new type size, table row
    fill: float | None = None  # share of its column's width it covers; None: judge by characters


def _clean(text: str) -> str:
    """Whitespace folded, ligatures spelled out, controls and invisible soft hyphens dropped (a soft
    hyphen at the end of a line marks hyphenation and stays for ``_join_hyphen``)."""
    text = _CONTROL.sub("", text.translate(_LIGATURES))
    return _SOFT_INSIDE.sub("", _SPACES.sub(" ", text).strip())


def text_lines(page: str) -> list[Line]:
    """A library's plain text of one page -> its lines. Empty lines are dropped but remembered: a
    library that separates text blocks with a blank line (pdfminer) tells us where a block ends."""
    page = (
        page.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "-\n").replace("\f", "\n")
    )
    out: list[Line] = []
    gap = False
    for raw in page.split("\n"):
        line = _clean(raw)
        if line:
            out.append(Line(line, jump=gap and bool(out)))
            gap = False
        else:
            gap = True
    return out


# -- running headers, footers and page numbers ----------------------------------------------------

_ZONE = 3  # lines at the top and at the bottom of a page where running heads and folios sit
_FOLIO = re.compile(
    r"(?:(?:page|p\.|pg\.?|seite|pagina|página)\s*)?\d{1,4}(?:\s*(?:of|/|von|de)\s*\d{1,4})?"
    r"|[-–—]\s*\d{1,4}\s*[-–—]",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")


def _running_key(line: str) -> str:
    return _DIGITS.sub("#", line.lower())


def _drop_running(pages: list[list[Line]]) -> list[list[Line]]:
    """Pages without their running headers/footers and page numbers.

    Only lines in the top or bottom ``_ZONE`` lines are candidates: a sentence of the body that happens
    to repeat is left alone. Digits are ignored when comparing, so "Page 2 of 4" and "Page 3 of 4" are
    one running line."""
    seen: dict[str, int] = {}
    tops = [{_running_key(x.text) for x in lines[:_ZONE]} for lines in pages]
    bottoms = [{_running_key(x.text) for x in lines[-_ZONE:]} for lines in pages]
    for top, bottom in zip(tops, bottoms, strict=True):
        for key in top | bottom:
            seen[key] = seen.get(key, 0) + 1
    half = max(2, (len(pages) + 1) // 2)
    running = {k for k, n in seen.items() if n >= half and len(k) <= 120}
    # Running heads that change by section ("Chapter 2: Results 14") repeat only over a few pages:
    # also a line at the same end of two consecutive pages. It needs letters: "#." (a year ending a
    # footnote) recurs by chance.
    for zone in (tops, bottoms):
        for a, b in pairwise(zone):
            running |= {k for k in a & b if sum(c.isalpha() for c in k) >= 3 and len(k) <= 120}
    out = []
    for lines in pages:
        top = min(_ZONE, len(lines))
        bottom = max(top, len(lines) - _ZONE)
        kept: list[Line] = []
        dropped = False
        for i, x in enumerate(lines):
            if (i < top or i >= bottom) and (
                _running_key(x.text) in running or _FOLIO.fullmatch(x.text)
            ):
                dropped = True
                continue
            # What the layout said about this line was said relative to the line just dropped.
            kept.append(Line(x.text, fill=x.fill) if dropped else x)
            dropped = False
        out.append(kept)
    return out


# -- paragraphs and hyphenation --------------------------------------------------------------------

_BULLETS = set("•◦▪▫●○■□‣⁃∙")
_ENDS_SENTENCE = re.compile(r"[.!?:;][\"'”’)\]]*$")
_HYPHEN_END = re.compile(r"(?<![\w-])((?:[^\W_]+-)*[^\W_]+)[-\u00ad]$")
_FIRST_WORD = re.compile(r"[^\W\d_]+")
_WORDS = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# First elements that make a compound, not a syllable, when a line ends on their hyphen: the joined
# form is (almost) never a word. A list of prefixes that are also syllables ("pre-", "ex-", "pro-")
# would be wrong too often ("ex-plained", "pro-vide").
_COMPOUND_HEADS = {"self", "well", "non", "anti", "half", "twenty", *TENS}


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    """How the document itself spells words elsewhere: the best evidence for a broken word."""

    joined: frozenset[str]
    hyphenated: frozenset[str]

    @classmethod
    def of(cls, pages: list[list[Line]]) -> _Vocabulary:
        joined, hyphenated = set(), set()
        for lines in pages:
            for line in lines:
                body = line.text[:-1] if _HYPHEN_END.search(line.text) else line.text
                for w in _WORDS.findall(body):
                    (hyphenated if "-" in w else joined).add(w.lower())
        return cls(frozenset(joined), frozenset(hyphenated))


def _join_hyphen(head: str, nxt: str, vocab: _Vocabulary) -> bool | None:
    """Line ``...head-`` followed by line ``nxt``: True to drop the hyphen, False to keep it (closing up
    without a space either way), None when the hyphen is not a line-end word break at all.

    The rule, in order: a soft hyphen is always dropped. The hyphen is kept when the next line starts
    with a capital or a digit ("Anglo-" "Dutch", "COVID-" "19"), or the head is a single letter, in
    capitals, has digits or is itself hyphenated ("e-" "mail", "UN-" "backed", "10-" "year",
    "state-of-the-" "art"). Then the document's own spelling decides: "state-owned" printed elsewhere
    keeps it, "reserves" printed elsewhere drops it. Then a short list of first elements that only
    make compounds keeps it ("well-" "known", "forty-" "five"). Otherwise it is dropped: in justified
    news columns syllable breaks far outnumber compounds that break at their own hyphen. The cost is a
    compound we cannot recognise closed up ("long-" "overdue" -> "longoverdue"); the measurement
    counts it. A dictionary would decide better and was given up: a language-specific word list to
    ship and load, for a few words per document."""
    m = _HYPHEN_END.search(head)
    if not m:
        return None
    if head.endswith("\u00ad"):
        return True
    first = nxt[:1]
    if not first.isalpha() or not first.islower():
        return False if first.isalnum() else None
    prefix = m.group(1)
    if len(prefix) == 1 or "-" in prefix or prefix.isupper() or not prefix.isalpha():
        return False
    word = _FIRST_WORD.match(nxt)
    suffix = word.group(0) if word else ""
    compound, closed = f"{prefix}-{suffix}".lower(), f"{prefix}{suffix}".lower()
    if compound in vocab.hyphenated and closed not in vocab.joined:
        return False
    if closed in vocab.joined:
        return True
    return prefix.lower() not in _COMPOUND_HEADS


def _full_width(lines: list[Line], fallback: float) -> float:
    """A page's full line length in characters: long lines, not the longest (a stray wide line)."""
    if len(lines) < 6:
        return fallback
    lengths = sorted(len(x.text) for x in lines)
    return float(lengths[int(0.8 * (len(lengths) - 1))])


def _breaks(a: Line, b: Line, full: float, page_break: bool) -> bool:
    """Does a paragraph end between line ``a`` and line ``b``?

    Certain: never after a line-end hyphen; always before a line marked ``new``; after extra space in
    a column, whenever ``b`` does not start in lower case. Across a page or column break: after a
    sentence end or a short line, or a line well short of full before one that starts in capitals; a
    full line runs on (the sentence continues). Otherwise, a short line followed by a line that starts
    in capitals ends a paragraph (headline, byline, a paragraph's last line). Without geometry,
    "short" is judged by characters against the page's usual line length, and a sentence end well
    short of it also counts."""
    if _HYPHEN_END.search(a.text):
        return False
    if b.new or b.text[:1] in _BULLETS:
        return True
    starts_lower = b.text[:1].islower()
    ends = bool(_ENDS_SENTENCE.search(a.text))
    fill = a.fill if a.fill is not None else len(a.text) / full
    if page_break or b.jump:
        return ends or fill < 0.6 or (not starts_lower and fill < 0.8)
    if b.gap:
        return not starts_lower
    if a.fill is not None:
        return not starts_lower and fill < 0.6
    return not starts_lower and (fill < 0.6 or (ends and fill < 0.8))


class _Text:
    """The text under construction, so that every page start is an exact offset."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, s: str) -> None:
        self.parts.append(s)
        self.length += len(s)

    def drop_last_char(self) -> None:
        self.parts[-1] = self.parts[-1][:-1]
        self.length -= 1

    def text(self) -> str:
        return "".join(self.parts)


def assemble(pages: list[str] | list[list[Line]]) -> tuple[str, tuple[int, ...]]:
    """Per-page text (a library's plain text, or lines with geometry) -> (text, page_starts):
    paragraphs separated by a blank line, each paragraph one line; ``page_starts[i]`` is where page
    i+1 begins (an empty page begins where the next text goes)."""
    cleaned = _drop_running([text_lines(p) if isinstance(p, str) else p for p in pages])
    vocab = _Vocabulary.of(cleaned)
    everything = [x for lines in cleaned for x in lines]
    fallback = _full_width(everything, max((len(x.text) for x in everything), default=1))
    out = _Text()
    starts: list[int] = []
    prev: Line | None = None
    prev_full = fallback
    for lines in cleaned:
        full = _full_width(lines, fallback)
        page_start: int | None = None
        for i, line in enumerate(lines):
            if prev is None:
                at = out.length
            elif _breaks(prev, line, prev_full if i == 0 else full, i == 0):
                out.add("\n\n")
                at = out.length
            else:
                close = _join_hyphen(prev.text, line.text, vocab)
                if close is None:
                    out.add(" ")
                elif close:
                    out.drop_last_char()
                at = out.length
            out.add(line.text)
            if page_start is None:
                page_start = at
            prev = line
        prev_full = full
        starts.append(out.length if page_start is None else page_start)
    text = out.text()
    if starts:
        starts[0] = 0
    # Offsets past the end (trailing empty pages) still name a page: clamp them to the text's end.
    return text, tuple(min(s, len(text)) for s in starts)


# -- metadata --------------------------------------------------------------------------------------

_PDF_DATE = re.compile(r"^\s*(?:D:)?(\d{4})(\d{2})(\d{2})")
# Titles that name the file or the tool, not the story.
_JUNK_TITLE = re.compile(
    r"^(untitled.*|document\d*|microsoft (word|powerpoint|excel) - .*|.*\.(docx?|pdf|indd|qxd|rtf|odt|txt|pages))$",
    re.IGNORECASE,
)


def pdf_date(value: object) -> str:
    """'D:20310402001500+01'00'' -> '2031-04-02': the date as the PDF states it (its own time zone,
    not UTC: a file made at 00:15 local time belongs to that day). Anything else -> ''."""
    m = _PDF_DATE.match(str(value or ""))
    if not m:
        return ""
    try:
        day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return ""
    return iso_date(day.isoformat())


def _metadata(info: dict[str, str], name: str) -> Metadata:
    """Title, author and date from the document info dictionary.

    ``published`` is the CreationDate: for a news PDF (an e-paper page, a press release) the file is
    made the day it is published; a PDF printed from an old web page later would be misdated, and
    nothing in the file tells the two apart."""
    title = " ".join(str(info.get("Title") or "").split())
    if _JUNK_TITLE.match(title) or (name and title.lower() == name.lower()):
        title = ""
    author = " ".join(str(info.get("Author") or "").split())
    return Metadata(title=title, author=author, published=pdf_date(info.get("CreationDate")))


# -- geometry (PDFium) -----------------------------------------------------------------------------


@dataclass(slots=True)
class _Box:
    """A printed line as PDFium reports it: its text, extent (PDF points, y up) and type size, and its
    pieces separated by wide horizontal gaps (columns or table cells)."""

    text: str
    x0: float
    x1: float
    bottom: float
    top: float
    size: float
    pieces: list[tuple[str, float, float]]  # (text, x0, x1)
    table: bool = False


def _pdfium_boxes(textpage, raw) -> list[_Box] | None:
    """The page's lines with geometry, or None when the text and character indices disagree (then
    the plain text is used). PDFium ends each line with "\\r\\n", or with "\\ufffe" where it took the
    line-end hyphen for hyphenation; either way the next visual line starts after it."""
    n = textpage.count_chars()
    text = textpage.get_text_range(0, n) if n > 0 else ""
    if len(text) != max(n, 0):
        return None
    boxes: list[_Box] = []
    for m in re.finditer(r"[^\r\n\ufffe]*(?:\ufffe|\r\n|\r|\n|$)", text):
        start, piece = m.start(), m.group(0).rstrip("\r\n")
        if not piece.strip():
            continue
        count = textpage.count_rects(start, len(piece))
        rects = sorted((textpage.get_rect(j) for j in range(count)), key=lambda r: r[0])
        if not rects:
            continue
        # Type size from a letter mid-line: the first may be a bullet, a drop cap or a marker.
        mid = len(piece) // 2
        mid = next((k for k in range(mid, len(piece)) if piece[k].isalnum()), mid)
        size = raw.FPDFText_GetFontSize(textpage, start + mid) or (rects[0][3] - rects[0][1])
        main = max(rects, key=lambda r: r[2] - r[0])
        body = piece.replace("\ufffe", "-")
        boxes.append(
            _Box(body, rects[0][0], max(r[2] for r in rects), main[1], main[3], size,
                 _pieces(body, start, rects, size, textpage))
        )  # fmt: skip
    return _columns(_same_rows(boxes))


def _pieces(
    body: str, start: int, rects: list, size: float, textpage
) -> list[tuple[str, float, float]]:
    """The line cut where the gap between two text rectangles is wider than 1.5 em (a gutter or a
    table cell boundary); one piece when a cut cannot be placed."""
    groups: list[list] = [[rects[0]]]
    for a, b in pairwise(rects):
        if b[0] - a[2] >= 1.5 * size:  # wider than a stretched justified space
            groups.append([])
        groups[-1].append(b)
    cuts = [0]
    for g in groups[1:]:
        at = textpage.get_index(g[0][0] + 0.5, (g[0][1] + g[0][3]) / 2, 1.0, 1.0) - start
        if not cuts[-1] < at < len(body):
            return [(body, rects[0][0], max(r[2] for r in rects))]
        cuts.append(at)
    cuts.append(len(body))
    return [
        (body[i:j], g[0][0], max(r[2] for r in g))
        for i, j, g in zip(cuts, cuts[1:], groups, strict=False)
    ]


def _same_rows(boxes: list[_Box]) -> list[_Box]:
    """PDFium starts a new line after a raised footnote marker ("planned.1" / " Social care"): a box
    that sits on the same baseline band, to the right of the previous one, continues it."""
    out: list[_Box] = []
    for b in boxes:
        a = out[-1] if out else None
        if a is not None and b.x0 >= a.x1 - 0.5:
            overlap = min(a.top, b.top) - max(a.bottom, b.bottom)
            if overlap >= 0.5 * min(a.top - a.bottom, b.top - b.bottom):
                glue = " " if b.text[:1].isspace() or b.x0 - a.x1 > 0.2 * b.size else ""
                a.text = a.text + glue + b.text.lstrip()
                if b.x0 - a.x1 >= 1.5 * b.size:  # far apart: another column or cell
                    a.pieces = a.pieces + b.pieces
                else:
                    text, x0, _ = a.pieces[-1]
                    a.pieces[-1] = (text + glue + b.text.lstrip(), x0, b.x1)
                if b.x1 - b.x0 > a.x1 - a.x0:  # the marker was the small part: the line is b's
                    a.size, a.bottom, a.top = b.size, b.bottom, b.top
                a.x1 = b.x1
                continue
        out.append(b)
    return out


def _prose(piece: tuple[str, float, float]) -> bool:
    return len(piece[0].split()) >= 4


def _columns(boxes: list[_Box]) -> list[_Box]:
    """Undo column interleaving: some producers write a page row by row across its columns, so PDFium
    reports "left line 1 + right line 1" as one line. Three or more consecutive lines made of two prose
    pieces with a common gutter start a two-column stretch, which lasts while each line stays on one
    side of the gutter; it is read left column first. Lines with wide gaps that are not prose on both
    sides are table rows."""
    out: list[_Box] = []
    i = 0
    while i < len(boxes):
        b = boxes[i]
        run = boxes[i : i + 3]
        if len(run) == 3 and all(len(x.pieces) == 2 and all(map(_prose, x.pieces)) for x in run):
            lo = max(x.pieces[0][2] for x in run)
            hi = min(x.pieces[1][1] for x in run)
            if lo < hi:
                left: list[_Box] = []
                right: list[_Box] = []
                j = i
                while j < len(boxes):
                    x = boxes[j]
                    if j > i and boxes[j - 1].bottom - x.bottom > 2.5 * x.size:  # a footer, say
                        break
                    if len(x.pieces) == 2 and x.pieces[0][2] <= hi and x.pieces[1][1] >= lo:
                        left.append(_piece_box(x, 0))
                        right.append(_piece_box(x, 1))
                    elif len(x.pieces) == 1 and (x.x1 <= hi or x.x0 >= lo):
                        (left if x.x1 <= hi else right).append(x)
                    else:
                        break
                    j += 1
                out += left + right
                i = j
                continue
        # A list item's marker set off by a tab ("•   text", "3.   text") is not a table cell.
        b.table = len(b.pieces) > 2 or (len(b.pieces) == 2 and len(b.pieces[0][0].strip()) > 3)
        out.append(b)
        i += 1
    return out


def _piece_box(b: _Box, k: int) -> _Box:
    text, x0, x1 = b.pieces[k]
    return _Box(text.strip(), x0, x1, b.bottom, b.top, b.size, [b.pieces[k]])


def _hinted(boxes: list[_Box]) -> list[Line]:
    """Boxes -> lines with what the layout says: a line set higher than the one before it, or after
    more than the usual leading, follows a block boundary; a first-line indent, a change of type size
    or a table row starts a paragraph; ``fill`` is the share of its column's width a line covers."""
    steps = [
        (a.bottom - b.bottom) / max(a.size, b.size)
        for a, b in pairwise(boxes)
        if _similar(a, b) and 0 < a.bottom - b.bottom < 2.5 * max(a.size, b.size)
    ]
    leading = sorted(steps)[len(steps) // 2] if steps else 1.2
    # Runs of lines in one column and type size: their left and right edges are the column's.
    runs: list[list[int]] = []
    for i, b in enumerate(boxes):
        a = boxes[i - 1] if i else None
        if a is not None and _similar(a, b) and 0 < a.bottom - b.bottom < 2.5 * b.size:
            runs[-1].append(i)
        else:
            runs.append([i])
    column: dict[int, tuple[float, float, int]] = {}
    for run in runs:
        left = min(boxes[i].x0 for i in run)
        right = max(boxes[i].x1 for i in run)
        for i in run:
            column[i] = (left, right, len(run))
    lines = []
    for i, b in enumerate(boxes):
        left, right, n = column[i]
        fill = (b.x1 - left) / (right - left) if n > 1 and right - left > b.size else 1.0
        gap = jump = new = False
        if i:
            a = boxes[i - 1]
            size = max(a.size, b.size)
            jump = b.top > a.top + 0.3 * size
            gap = not jump and a.bottom - b.bottom > 1.35 * leading * size
            new = abs(a.size - b.size) > 0.15 * size or a.table or b.table
            # A first-line indent: b set in from the column's edge, the line after it back at the
            # edge. A block indented as a whole (hanging indent, quotation) is not one.
            indent = b.x0 - left
            after = boxes[i + 1] if i + 1 < len(boxes) and column.get(i + 1) == column[i] else None
            if (
                column[i - 1][:2] == (left, right)
                and 0.6 * b.size < indent < 6 * b.size
                and not b.text.lstrip()[:1].islower()
                and (after is None or after.x0 < b.x0 - 0.3 * b.size)
            ):
                new = True
        text = _clean(b.text)
        if text:
            lines.append(Line(text, gap=gap, jump=jump, new=new, fill=min(fill, 1.0)))
    return lines


def _similar(a: _Box, b: _Box) -> bool:
    """Same type size and horizontally overlapping: plausibly one column of one text."""
    overlap = min(a.x1, b.x1) - max(a.x0, b.x0)
    return abs(a.size - b.size) <= 0.15 * max(a.size, b.size) and overlap > 0.3 * min(
        a.x1 - a.x0, b.x1 - b.x0
    )


# -- the library -----------------------------------------------------------------------------------


def _read(data: bytes) -> tuple[list[list[Line]], dict[str, str]]:
    """Lines of each page and the info dictionary, with PDFium. Library errors become IngestError."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    with _PDFIUM:
        try:
            doc = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as e:
            code = getattr(e, "err_code", None)
            if code == raw.FPDF_ERR_PASSWORD:
                raise IngestError(_LOCKED) from e
            if code == raw.FPDF_ERR_SECURITY:
                raise IngestError(f"{_LOCKED} (unsupported security handler)") from e
            raise IngestError(f"damaged PDF: {_reason(e)}") from e
        except Exception as e:  # PDFium on hostile input: whatever it raises, refuse
            raise IngestError(f"damaged PDF: {_reason(e)}") from e
        try:
            pages: list[list[Line]] = []
            for i in range(len(doc)):
                pages.append(_page_lines(doc, i, raw))
            try:
                info = {k: str(v) for k, v in doc.get_metadata_dict(skip_empty=True).items()}
            except Exception:  # metadata is optional
                info = {}
        finally:
            doc.close()
    return pages, info


def _page_lines(doc, i: int, raw) -> list[Line]:
    """One page's lines; an unreadable page is empty, so the others and their offsets survive. Pages
    are closed here, under the lock, not later by the garbage collector in some other thread."""
    page = textpage = None
    try:
        page = doc[i]
        textpage = page.get_textpage()
        boxes = _pdfium_boxes(textpage, raw)
        return text_lines(textpage.get_text_range()) if boxes is None else _hinted(boxes)
    except Exception:
        return []
    finally:
        for handle in (textpage, page):
            if handle is not None:
                handle.close()


def _reason(e: Exception) -> str:
    """PDFium's "Failed to load document (PDFium: Data format error)." -> "data format error"."""
    msg = re.sub(r"^Failed to load document|PDFium:", "", str(e)).strip(" ().")
    return (msg[:1].lower() + msg[1:]) if msg else type(e).__name__


def extract_pdf(data: bytes, name: str = "") -> tuple[str, tuple[int, ...], Metadata]:
    """PDF bytes -> (text, page_starts, metadata).

    ``text``: paragraphs separated by a blank line, each paragraph one line; running headers/footers
    and page numbers removed; line-end hyphenation undone (``_join_hyphen``). ``page_starts[i]`` is
    the offset where page i+1 begins, ``page_starts[0] == 0``: a citation at offset k is on page
    ``bisect_right(page_starts, k)``. Metadata: title, author and published (the CreationDate) from
    the info dictionary, empty when absent.

    Raises IngestError, with a reason a user can act on, for data that is not a PDF or is damaged, a
    password-protected PDF, a PDF with no text layer (a scan), and one with too little text to index.
    """
    if not data.strip():
        raise IngestError("empty file")
    if data[:1024].find(b"%PDF-") < 0:  # the header may follow some junk, within the first 1 KB
        raise IngestError("not a PDF (no %PDF- header); if it is one, it is damaged")
    pages, info = _read(data)
    if not pages:
        raise IngestError("damaged PDF: no pages")
    letters = sum(ch.isalpha() for lines in pages for x in lines for ch in x.text)
    if letters == 0:
        raise IngestError(_SCANNED)
    text, starts = assemble(pages)
    kept = sum(ch.isalpha() for ch in text)
    if kept < MIN_LETTERS or (len(pages) >= 3 and kept < 25 * len(pages)):
        raise IngestError(
            f"too little text ({kept} letters on {len(pages)} page{'s' * (len(pages) != 1)}); "
            "if it is a scan, run OCR first, e.g. ocrmypdf, then ingest the result"
        )
    return text, starts, _metadata(info, name)
