"""The records that pass between stages: Document -> Chunk -> Evidence -> Answer/Citation.

All are immutable. Offsets (start, end) always index the document's original text, so
``document.text[start:end]`` is the quoted passage, character for character.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from typing import Annotated, Any

from pydantic import ConfigDict, Field


class _Record:
    __slots__ = ()
    # The API schema lists every field of a response as present (they always are).
    __pydantic_config__ = ConfigDict(json_schema_serialization_defaults_required=True)

    def to_dict(self) -> dict[str, Any]:
        """As plain data, every field (the HTTP API leaves out the ones marked exclude)."""
        return asdict(self)


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
    # the text offsets refer to: the file's text (.txt/.md) or extracted text (.html/.json)
    text: str
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
class Citation(_Record):
    n: Annotated[int, Field(description="The number used as [n] in the answer text.")]
    source: Annotated[str, Field(description="File name (plus #i for a record in a JSON file).")]
    title: str
    quote: Annotated[str, Field(description="Verbatim text: equals the document text[start:end].")]
    start: int
    end: int
    doc_id: str = ""
    outlet: str = ""
    author: str = ""
    published: Annotated[
        str, Field(description="ISO date when the source states one, else empty.")
    ] = ""
    url: str = ""
    updated: Annotated[
        str, Field(description="ISO date of the source's last update when it states one.")
    ] = ""
    page: Annotated[int | None, Field(description="PDFs: the page the quote starts on.")] = None
    superseded: Annotated[
        bool,
        Field(
            description="The quote is from an earlier version of a story that a later version "
            "revised; shown for the record, never as the answer or as a second source."
        ),
    ] = False

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
class SentenceCheck(_Record):
    """One sentence of a generated answer, checked against the passages it cites."""

    text: str  # as shown in Answer.text, [n] markers included
    citations: tuple[int, ...]  # the Citation numbers it cites
    supported: bool
    support: float  # 0..1: lexical and embedding agreement with the cited passages
    problems: tuple[str, ...] = ()  # why it is not supported, in words


@dataclass(frozen=True, slots=True)
class Answer(_Record):
    question: str
    text: Annotated[
        str,
        Field(
            description="Answer sentences with [n] markers, or a statement that the sources don't say."
        ),
    ]
    abstained: bool
    citations: tuple[Citation, ...] = ()
    disagreement: Annotated[
        bool, Field(description="True when sources give different values; the text shows each.")
    ] = False
    reason: Annotated[str, Field(description="Why it abstained, or a note on the answer.")] = ""
    timings: dict[str, float] = field(default_factory=dict, compare=False)
    backend: Annotated[
        str, Field(description="extractive, llm:<RAG_LLM>, or 'extractive (LLM unavailable)'.")
    ] = "extractive"
    sentences: Annotated[
        tuple[SentenceCheck, ...],
        Field(description="Generated answers: each sentence's verification against its sources."),
    ] = ()
    standalone_question: Annotated[
        str,
        Field(description="A follow-up as rewritten against the history; empty if unchanged."),
    ] = ""
    status: Annotated[
        str,
        Field(
            description="'answered'; 'unconfirmed': the closest passages are cited but do not "
            "clearly answer (abstained is true); 'none': the sources don't say."
        ),
    ] = "answered"

    def __post_init__(self) -> None:
        if self.abstained and self.status == "answered":
            object.__setattr__(self, "status", "none")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["citations"] = [asdict(c) for c in self.citations]
        d["sentences"] = [asdict(s) for s in self.sentences]
        return d


# -- what the assistant returns besides answers ---------------------------------------------------
# Descriptions (pydantic Field) are what the HTTP API's schema shows; the API serves these records
# as they are. A field marked exclude stays on the server.


@dataclass(frozen=True, slots=True)
class DocumentInfo(_Record):
    """One stored document, as ``Assistant.sources()`` lists it."""

    doc_id: str
    source: Annotated[
        str, Field(description="File name (plus #i for a record in a JSON file), or the URL.")
    ]
    title: str
    outlet: str
    author: str
    published: Annotated[str, Field(description="ISO date when the source states one, else empty.")]
    updated: Annotated[
        str, Field(description="ISO date of the source's last update when it states one.")
    ]
    language: Annotated[
        str, Field(description="ISO 639-1 code when the source states it, else empty.")
    ]
    url: str
    chunks: int
    pages: Annotated[int, Field(description="PDFs: number of pages; 0 for other formats.")]
    story: Annotated[
        str,
        Field(
            description="doc_id of the first version of this story (its own id with one version)."
        ),
    ]
    version: Annotated[
        int, Field(description="1 for the story's first version, 2 for its first revision…")
    ]
    versions: int
    latest: Annotated[
        bool, Field(description="Answers come from the latest version of a story only.")
    ]
    path: Annotated[str, Field(description="Where the file is on the server.", exclude=True)] = ""

    @classmethod
    def of(cls, doc: Document, chunks: int, story: list[str]) -> DocumentInfo:
        """``story``: the doc_ids of every version of its story, oldest first (itself included)."""
        m = doc.meta
        return cls(
            doc_id=doc.doc_id,
            source=doc.source,
            title=m.title,
            outlet=m.outlet,
            author=m.author,
            published=m.published,
            updated=m.updated,
            language=m.language,
            url=m.url,
            chunks=chunks,
            pages=len(doc.pages),
            story=story[0],
            version=story.index(doc.doc_id) + 1,
            versions=len(story),
            latest=story[-1] == doc.doc_id,
            path=doc.path,
        )


@dataclass(frozen=True, slots=True)
class Hit(_Record):
    """A chunk retrieval found for a question (``Assistant.retrieve``)."""

    chunk_id: str
    source: str
    score: float  # fused rank score, 1 for the best possible
    start: int
    end: int
    text: str  # the chunk: document text[start:end]


@dataclass(frozen=True, slots=True)
class Passage(_Record):
    """A cited quote inside its paragraph (``Assistant.passage``): every part is verbatim article text."""

    before: str
    quote: str
    after: str
    clipped_before: bool = False  # the paragraph goes on before what ``before`` shows
    clipped_after: bool = False

    @classmethod
    def of(cls, doc: Document, start: int, end: int, context: int = 320) -> Passage:
        """``doc.text[start:end]`` with the rest of its paragraph(s): at most ``context`` characters
        either side, cut at a word; the flags say where the paragraph goes on beyond that."""
        around = [p for p in doc.paragraphs if p.start < end and p.end > start]
        lo = around[0].start if around else start
        hi = around[-1].end if around else end
        before, after = doc.text[lo:start], doc.text[end:hi]
        clipped_before, clipped_after = len(before) > context, len(after) > context
        if clipped_before:
            cut = before[-context:]
            before = cut[cut.find(" ") + 1 :] if " " in cut else cut
        if clipped_after:
            cut = after[:context]
            after = cut[: cut.rfind(" ")] if " " in cut else cut
        return cls(before, doc.text[start:end], after, clipped_before, clipped_after)


@dataclass(frozen=True, slots=True)
class DoctorReport(_Record):
    """Whether the registry, vectors and keyword index agree (``Assistant.doctor``)."""

    ok: bool
    problems: tuple[str, ...]
    repaired: tuple[str, ...]
    documents: int
    chunks: int
    vectors: int


@dataclass(frozen=True, slots=True)
class FileResult(_Record):
    """What happened to one file (or one record of a JSON file, or one URL) given to ingest."""

    source: str
    status: Annotated[
        str, Field(description="added, updated, unchanged, removed, skipped or failed")
    ]
    detail: str = ""  # why it was skipped or failed; how it revises an earlier version


@dataclass(frozen=True, slots=True)
class Turn:
    """One earlier turn of a conversation, for understanding a follow-up."""

    question: Annotated[str, Field(description="What the user asked.", max_length=100_000)]
    answer: Annotated[str, Field(description="The answer's text.", max_length=100_000)] = ""
    standalone: Annotated[
        str,
        Field(
            description="The question as it was understood (standalone_question of its answer).",
            max_length=100_000,
        ),
    ] = ""

    @classmethod
    def of(cls, turn: Turn | dict[str, Any]) -> Turn:
        """A Turn, or a dict with the same keys (what a JSON client sends)."""
        if isinstance(turn, Turn):
            return turn
        return cls(
            str(turn.get("question") or ""),
            str(turn.get("answer") or ""),
            str(turn.get("standalone") or ""),
        )


@dataclass(frozen=True, slots=True)
class Mention(_Record):
    """One article's sentence dating an event."""

    date: Annotated[
        str, Field(description="ISO date: YYYY-MM-DD, YYYY-MM or YYYY (its precision).")
    ]
    precision: Annotated[str, Field(description="day, month or year")]
    how: Annotated[
        str,
        Field(
            description="stated; relative (counted from an earlier date of the article, see "
            "anchor); publication (counted from the article's publication date)"
        ),
    ]
    anchor: Annotated[
        str,
        Field(
            description="relative: the date words it counts from; stated: where a missing year came from"
        ),
    ]
    expression: Annotated[str, Field(description="The date words as the article writes them.")]
    citation: Citation


@dataclass(frozen=True, slots=True)
class TimelineEvent(_Record):
    """One event of the story, with every article's sentence that dates it."""

    date: Annotated[
        str, Field(description="The date most of its sources give (the earliest of a tie).")
    ]
    precision: str
    text: Annotated[str, Field(description="The first source's sentence, verbatim.")]
    mentions: tuple[Mention, ...]
    disagreement: Annotated[
        bool, Field(description="Its sources give different dates; each mention shows its own.")
    ] = False
