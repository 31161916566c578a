"""The records that pass between stages: Document -> Chunk -> Evidence -> Answer/Citation.

All are immutable. Offsets (start, end) always index the document's original text, so
``document.text[start:end]`` is the quoted passage, character for character.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str = ""
    outlet: str = ""
    author: str = ""
    published: str = ""  # ISO date (YYYY-MM-DD) when known, else empty
    url: str = ""
    updated: str = ""  # ISO date of the last update the source states, else empty
    language: str = ""  # ISO 639-1 code when the source states it ("en"), else empty

    def attribution(self) -> str:
        """Who says it, as the metadata states: 'Outlet (Author)', 'Outlet', 'Author' or ''."""
        if self.outlet and self.author:
            return f"{self.outlet} ({self.author})"
        return self.outlet or self.author


def iso_date(value: object) -> str:
    """'2024-11-30T21:11:00Z' -> '2024-11-30'. Anything not starting with a date -> ''."""
    m = re.match(r"\s*(\d{4}-\d{2}-\d{2})", str(value or ""))
    return m.group(1) if m else ""


@dataclass(frozen=True, slots=True)
class Document:
    doc_id: str  # content hash of text
    source: str  # file name as the user knows it, e.g. "000_96c90ff65452b4a3.txt" or "feed.jsonl#3"
    path: str  # absolute path of the file it came from
    text: (
        str  # the text offsets refer to: the file's text (.txt/.md) or extracted text (.html/.json)
    )
    meta: Metadata
    paragraphs: tuple[Span, ...]  # what survived cleaning, in order
    # PDFs: offset in ``text`` where each page begins (pages[0] == 0); empty for other formats.
    pages: tuple[int, ...] = ()

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding ``offset`` (PDFs), else None."""
        return bisect_right(self.pages, offset) if self.pages else None


@dataclass(frozen=True, slots=True)
class Chunk:
    chunk_id: str
    doc_id: str
    ordinal: int
    start: int
    end: int
    text: str
    sentences: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Evidence:
    """One sentence scored against the question."""

    doc_id: str
    chunk_id: str
    start: int
    end: int
    text: str
    score: float
    support: float  # blend of term coverage and embedding similarity, 0..1
    coverage: float  # idf-weighted share of the question's terms found in the sentence (or just before it)
    has_answer_type: bool  # holds a value of the kind asked for (a date for "when", ...)
    values: tuple[str, ...] = ()  # normalised values of that kind, for disagreement checks
    features: tuple[float, ...] = ()  # what rag.model weighs (names: rag.evidence.FEATURES)
    answerable: float = 0.0  # the model's probability that some candidate answers the question


@dataclass(frozen=True, slots=True)
class Citation:
    n: int
    source: str
    title: str
    quote: str
    start: int
    end: int
    doc_id: str = ""
    outlet: str = ""
    author: str = ""
    published: str = ""
    url: str = ""
    updated: str = ""
    page: int | None = None  # PDFs: the page the quote starts on
    # The quote comes from an earlier version of the story that a later version revised: shown for
    # the record, never as the answer or as a second source.
    superseded: bool = False

    @classmethod
    def of(cls, n: int, doc: Document, start: int, end: int, superseded: bool = False) -> Citation:
        """Citation ``n`` of ``doc.text[start:end]``, with the document's metadata."""
        m = doc.meta
        return cls(
            n=n,
            source=doc.source,
            title=m.title,
            quote=doc.text[start:end],
            start=start,
            end=end,
            doc_id=doc.doc_id,
            outlet=m.outlet,
            author=m.author,
            published=m.published,
            url=m.url,
            updated=m.updated,
            page=doc.page_at(start),
            superseded=superseded,
        )


@dataclass(frozen=True, slots=True)
class SentenceCheck:
    """One sentence of a generated answer, checked against the passages it cites."""

    text: str  # as shown in Answer.text, [n] markers included
    citations: tuple[int, ...]  # the Citation numbers it cites
    supported: bool
    support: float  # 0..1: lexical and embedding agreement with the cited passages
    problems: tuple[str, ...] = ()  # why it is not supported, in words


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    text: str
    abstained: bool
    citations: tuple[Citation, ...] = ()
    disagreement: bool = False
    reason: str = ""  # why it abstained, or a note on the answer
    timings: dict[str, float] = field(default_factory=dict, compare=False)
    backend: str = "extractive"  # "extractive", "llm:<RAG_LLM>", or "extractive (LLM unavailable)"
    # generated answers only: each sentence's verification
    sentences: tuple[SentenceCheck, ...] = ()
    # a follow-up as rewritten against the conversation ('' if unchanged)
    standalone_question: str = ""
    # "answered"; "unconfirmed": the closest passages are shown (cited) but do not clearly answer, and
    # ``abstained`` is true; "none": the sources don't say.
    status: str = "answered"

    def __post_init__(self) -> None:
        if self.abstained and self.status == "answered":
            object.__setattr__(self, "status", "none")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["citations"] = [asdict(c) for c in self.citations]
        d["sentences"] = [asdict(s) for s in self.sentences]
        return d
