"""The one object users hold: it wires the index (rag.index), the retriever and the answerer.

from rag import Assistant
assistant = Assistant.open()
answer = assistant.ask("When did HTS enter Aleppo?")
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from rag import prompts, uploads
from rag.answer import combine_parts, compose, note_earlier
from rag.embedding import Embedder, make_embedder
from rag.errors import QuestionError, StoreError
from rag.evidence import score_sentences
from rag.followup import standalone
from rag.generate import Source, build_answer, gate_answer_type, pick_sources, user_prompt
from rag.index import Index
from rag.ingest import IngestReport, Progress
from rag.llm import LLMUnavailable, make_llm
from rag.llm import chat as llm_chat
from rag.llm import stream_chat as llm_stream
from rag.model import Decision, default_decision
from rag.question import Question, analyze
from rag.retrieval import HybridRetriever
from rag.settings import Settings
from rag.timeline import build as build_timeline
from rag.timeline import query_words
from rag.tokens import stem
from rag.types import (
    Answer,
    Chunk,
    Citation,
    DoctorReport,
    Document,
    DocumentInfo,
    Evidence,
    FileResult,
    Hit,
    Passage,
    TimelineEvent,
    Turn,
)
from rag.web import is_url
from store.keyword import KeywordIndex

log = logging.getLogger("newsrag")
_UNSET = object()


class Assistant:
    """The facade: an ``Index`` (what is stored), a retriever over it, and the answerer."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        self.settings = settings
        self.embedder = embedder or make_embedder(
            settings.embed_model, settings.embed_batch_size, settings.embed_backend
        )
        self.index = Index(settings, self.embedder)
        self._retriever = HybridRetriever(
            self.index.vectors, lambda: self.index.keyword, settings.retrieval
        )
        self._lock = self.index.lock  # questions wait for writes in this process, and back
        self._llm = _UNSET
        # The learned decision (rag/weights.json); RAG_ANSWER__DECISION=rules uses the hand-set gates.
        self.decision: Decision | None = (
            default_decision() if settings.answer.decision == "learned" else None
        )

    @classmethod
    def open(
        cls,
        index_dir: str | Path | None = None,
        *,
        settings: Settings | None = None,
        ingest_default: bool = True,
    ) -> Assistant:
        """Open (or create) an index. An empty index gets the bundled corpus ingested first."""
        settings = settings or Settings()
        if index_dir is not None:
            settings = settings.model_copy(update={"index_dir": Path(index_dir)})
        assistant = cls(settings)
        if (
            ingest_default
            and assistant.index.count()[0] == 0
            and Path(settings.corpus_dir).is_dir()
        ):
            try:
                assistant.ingest([settings.corpus_dir])
            except StoreError as e:
                # a second worker starting next to the first: that one ingests it
                log.warning("not ingesting the bundled corpus: %s", e)
        return assistant

    # -- ingest ---------------------------------------------------------------------------------------
    def ingest(
        self, paths: Iterable[str | Path], *, prune: bool = False, progress: bool | Progress = False
    ) -> IngestReport:
        """Add files, folders, web pages and feeds; a bad one is reported and the rest go in."""
        paths = list(paths)
        fetched = {p: self.index.fetch(p) for p in dict.fromkeys(paths) if is_url(p)}
        return self.index.ingest(paths, prune=prune, progress=progress, fetched=fetched)

    @property
    def index_dir(self) -> Path:
        return self.index.dir

    @property
    def uploads_dir(self) -> Path:
        return self.index.dir / "uploads"

    def add_uploads(
        self, files: Iterable[tuple[str, BinaryIO]], *, progress: Progress | None = None
    ) -> tuple[IngestReport, list[FileResult]]:
        """Save uploaded (name, stream) pairs under the index and ingest them like any file.

        Returns the ingest report and one row per file or record. A refused upload (name, type,
        size) is a 'failed' row; it never stops the others.
        """
        saved, refused = [], []
        for name, stream in files:
            result = uploads.save(name, stream, self.uploads_dir, self.settings.max_file_bytes)
            if isinstance(result, uploads.Rejected):
                name = uploads.safe_name(result.name) or "(unnamed)"
                refused.append(FileResult(name, "failed", result.reason))
            else:
                saved.append(result)
        report = self.ingest(saved, progress=progress or False) if saved else IngestReport()
        kept = {d.path for d in self.sources()}
        for path in saved:  # a file that produced no document is not kept
            if str(path.resolve()) not in kept and str(path) not in kept:
                path.unlink(missing_ok=True)
        return report, report.rows() + refused

    def delete(self, doc_id: str) -> bool:
        """Remove a document from the index. Its file goes too if it was uploaded (never a user's own file)."""
        with self._lock:
            doc = self.index.document(doc_id)
            if not self.index.remove(doc_id):
                return False
            if doc is not None:
                path = Path(doc.path)
                still_used = any(d.path == doc.path for d in self.sources())
                if path.parent.resolve() == self.uploads_dir.resolve() and not still_used:
                    path.unlink(missing_ok=True)
            return True

    def doctor(self, repair: bool = False) -> DoctorReport:
        """Check that the registry, the vector store and the keyword index agree; with ``repair``,
        fix them (see ``Index.doctor``)."""
        return self.index.doctor(repair)

    # -- ask ------------------------------------------------------------------------------------------
    @staticmethod
    def _correct_word(kw: KeywordIndex, word: str) -> str:
        """A name's word as the corpus spells it ('alepo' -> 'aleppo'); known words stay as they are."""
        return word if stem(word) in kw.vocab or len(word) < 4 else kw.correct([word])[0]

    def _gather(self, question: str | Question) -> _Gathered:
        """Analyse, retrieve and score: everything an answerer needs, computed under the lock."""
        t0 = time.perf_counter()
        q = (
            question
            if isinstance(question, Question)
            else analyze(question, self.settings.max_question_chars)
        )
        with self._lock:
            kw = self.index.sync_keyword()
            qvec = self.embedder.embed([q.text])[0]
            t1 = time.perf_counter()
            terms = tuple(dict.fromkeys(kw.correct(list(q.terms))))
            q = replace(
                q,
                unknown=tuple(t for t in terms if t not in kw.vocab),
                entities=tuple(tuple(self._correct_word(kw, w) for w in e) for e in q.entities),
                counted=tuple(kw.correct(list(q.counted))),
            )
            fused = dict(self._retriever.hits(q.text, qvec))
            rows = self.index.chunks(list(fused))
            t2 = time.perf_counter()
            # What a story's latest version repeats or replaced is answered from it alone (and
            # _finish shows what the earlier version said in its place).
            cands = [
                self.index.current_part(chunk, vecs, fused[cid])
                for cid, (chunk, vecs) in rows.items()
            ]
            cands = [c for c in cands if c[0].sentences]
            # An LLM reads whole chunks: an earlier version's chunk goes to it only when no later
            # version repeats or replaced any of its sentences.
            rows = {
                c[0].chunk_id: rows[c[0].chunk_id]
                for c in cands
                if len(c[0].sentences) == len(rows[c[0].chunk_id][0].sentences)
            }
            docs = {
                c.doc_id: d for c, _, _ in cands if (d := self.index.document(c.doc_id)) is not None
            }
            # The title and the publication year set the scene ('the 2023 race' in an article of 2023).
            titles = {
                doc_id: f"{d.meta.title}\n{d.meta.published[:4]}".strip()
                for doc_id, d in docs.items()
            }
            phrases = kw.phrases

            def wellformed(doc_id: str, sentence: str) -> float:
                return phrases.weight(sentence, doc_id, docs[doc_id].text)

            evidence = score_sentences(
                q,
                terms,
                qvec,
                [c for c in cands if c[0].doc_id in docs],
                kw.idf,
                titles,
                wellformed,
                self.decision.sentence if self.decision else None,
                {doc_id: self.index.definitions(d) for doc_id, d in docs.items()},
                {doc_id: self.index.entities(d) for doc_id, d in docs.items()},
            )
        timings = {"embed_ms": (t1 - t0) * 1e3, "retrieve_ms": (t2 - t1) * 1e3}
        return _Gathered(q, evidence, docs, rows, timings, t0)

    @property
    def llm(self):
        """The configured LLM (llama-index interface), or None for the extractive answerer."""
        if self._llm is _UNSET:
            self._llm = make_llm(self.settings)
        return self._llm

    def _relevant(self, g: _Gathered) -> bool:
        cfg = self.settings.answer
        return any(
            e.support >= cfg.min_support and e.coverage >= cfg.min_coverage for e in g.evidence
        )

    def _extractive(self, g: _Gathered, note: str = "") -> Answer:
        answer = compose(g.q, g.evidence, g.docs, self.settings.answer, self.decision)
        if g.q.parts:
            answer = self._two_part(g, answer)
        if note:
            answer = replace(
                answer,
                backend="extractive (LLM unavailable)",
                reason="; ".join(x for x in (answer.reason, note) if x),
            )
        return answer

    def _two_part(self, g: _Gathered, whole: Answer) -> Answer:
        """Each part of a two-part question answered on its own, then put together; the part the
        sources do not give is named. Falls back to the whole question's answer when neither part is
        answered."""
        parts = []
        for text in g.q.parts:
            try:
                part = self._gather(analyze(text, self.settings.max_question_chars))
            except QuestionError:  # a part that is not a usable question on its own
                return whole
            parts.append(
                compose(part.q, part.evidence, part.docs, self.settings.answer, self.decision)
            )
        combined = combine_parts(g.q.text, parts)
        return combined if combined.status == "answered" else whole

    def _sources(self, g: _Gathered) -> list[Source]:
        return pick_sources(g.evidence, g.rows, g.docs, self.settings.llm_sources)

    def _finish(self, g: _Gathered, answer: Answer, standalone: str = "") -> Answer:
        t = time.perf_counter()
        timings = {
            **g.timings,
            "answer_ms": (t - g.t0) * 1e3 - sum(g.timings.values()),
            "total_ms": (t - g.t0) * 1e3,
        }
        answer = note_earlier(answer, self.index.earlier)
        return replace(answer, timings=timings, standalone_question=standalone)

    def ask(self, question: str, history: Sequence[Turn | dict] | None = None) -> Answer:
        """Answer from the articles, or say they don't. Raises QuestionError for an unusable question.

        ``history`` (earlier turns of a conversation) lets a follow-up like "and when did they take
        Hama?" be rewritten into a standalone question first; the rewrite is ``answer.standalone_question``.
        """
        run = self._answer(question, history, streaming=False)
        while True:
            try:
                next(run)
            except StopIteration as done:
                return done.value

    def _answer(
        self, question: str, history: Sequence[Turn | dict] | None, streaming: bool
    ) -> Generator[str, None, Answer]:
        """The one answering path. Yields the model's text as it arrives when ``streaming``; returns the Answer."""
        standalone = self.standalone(question, history) if history else ""
        g = self._gather(standalone or question)
        if self.llm is None:
            return self._finish(g, self._extractive(g), standalone)
        if not self._relevant(g):  # nothing worth showing a model: refuse without a call
            return self._finish(
                g, replace(self._extractive(g), backend=f"llm:{self.settings.llm}"), standalone
            )
        sources = self._sources(g)
        prompt = user_prompt(g.q.text, sources)
        try:
            if streaming:
                parts: list[str] = []
                for delta in llm_stream(self.llm, self.settings, prompts.SYSTEM, prompt):
                    parts.append(delta)
                    yield delta
                reply = "".join(parts)
            else:
                reply = llm_chat(self.llm, self.settings, prompts.SYSTEM, prompt)
        except LLMUnavailable as e:
            log.warning("%s", e)
            return self._finish(
                g, self._extractive(g, f"{e}; answered extractively instead"), standalone
            )
        answer = build_answer(
            g.q.text,
            reply,
            sources,
            self.embedder.embed,
            self.settings.strict,
            f"llm:{self.settings.llm}",
        )
        return self._finish(g, gate_answer_type(g.q, answer), standalone)

    def chat(self, message: str, history: Sequence[Turn | dict] | None = None) -> Answer:
        """One conversation turn: ``ask`` with the earlier turns taken into account."""
        return self.ask(message, history)

    def standalone(self, message: str, history: Sequence[Turn | dict] | None) -> str:
        """The follow-up rewritten as a question that stands on its own ('' when it already does);
        by the LLM when one is configured, else (or when it fails) by rules."""
        return standalone([Turn.of(t) for t in history or ()], message, self._rewrite_by_llm)

    def _rewrite_by_llm(self, history: list[Turn], message: str) -> str:
        """'' without an LLM, or when it fails."""
        if self.llm is None:
            return ""
        convo = "\n".join(f"User: {t.question}\nAssistant: {t.answer[:400]}" for t in history[-3:])
        prompt = prompts.CONDENSE.format(history=convo, message=message)
        try:
            reply = llm_chat(self.llm, self.settings, "You rewrite follow-up questions.", prompt)
        except LLMUnavailable as e:
            log.warning("follow-up rewrite by the LLM failed, using rules: %s", e)
            return ""
        return reply.strip().strip('"')

    def stream(self, question: str, history: Sequence[Turn | dict] | None = None) -> AnswerStream:
        """Iterate to get the answer's text piece by piece; ``.answer`` holds the full Answer after.

        With an LLM the pieces are its tokens as they arrive and citations are resolved at the end
        (the final text is renumbered and verified, so it can differ from the streamed one). The
        extractive answerer has the whole answer at once; its pieces are its lines.
        """
        return AnswerStream(self, question, history)

    def passage(self, citation: Citation, context: int = 320) -> Passage:
        """The cited quote inside its paragraph, at most ``context`` characters either side."""
        doc = self.index.document(citation.doc_id)
        if doc is None:
            return Passage("", citation.quote, "")
        return Passage.of(doc, citation.start, citation.end, context)

    def retrieve(self, question: str, k: int = 5) -> list[Hit]:
        """The top-k chunks hybrid retrieval finds for a question (no answer composed)."""
        q = analyze(question, self.settings.max_question_chars)
        with self._lock:
            qvec = self.embedder.embed([q.text])[0]
            hits = self._retriever.hits(q.text, qvec)[:k]
            rows = self.index.chunks([cid for cid, _ in hits])
            out = []
            for cid, score in hits:
                if cid in rows:
                    chunk = rows[cid][0]
                    doc = self.index.document(chunk.doc_id)
                    source = doc.source if doc else ""
                    out.append(Hit(cid, source, score, chunk.start, chunk.end, chunk.text))
            return out

    def timeline(
        self, query: str | None = None, start: str | None = None, end: str | None = None
    ) -> list[TimelineEvent]:
        """Dated events of every article (the latest version of each story), oldest first, each with
        the sentences that date it; optionally only those whose sentence holds every word of
        ``query``, and only those dated from ``start`` to ``end`` (ISO dates, any
        precision: '2024-11' is all of November). Raises QuestionError for an unusable range."""
        for value in (start, end):
            if value and not _is_date(value):
                raise QuestionError(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
        if query and len(query) > self.settings.max_question_chars:
            raise QuestionError(
                f"the query is longer than {self.settings.max_question_chars} characters"
            )
        terms = query_words(query or "")
        with self._lock:
            dated = self.index.dated_events()
        return build_timeline(dated, terms, start or "", end or "")

    # -- documents ------------------------------------------------------------------------------------
    def sources(self) -> list[DocumentInfo]:
        """Every document, with its story versions (see ``DocumentInfo``)."""
        return self.index.documents()

    def close(self) -> None:
        self.index.close()

    def __enter__(self) -> Assistant:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _is_date(value: str) -> bool:
    """'2024', '2024-11' or '2024-11-30', and a real one (not '2024-13' or '2024-02-31')."""
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        return False
    try:
        date.fromisoformat((value + "-01-01")[:10])
    except ValueError:
        return False
    return value[:4] != "0000"


class AnswerStream:
    """``for piece in assistant.stream(q): ...`` then ``stream.answer``."""

    def __init__(
        self, assistant: Assistant, question: str, history: Sequence[Turn | dict] | None = None
    ):
        self._assistant = assistant
        self.question = question
        self.history = history
        self.answer: Answer | None = None

    def __iter__(self) -> Iterator[str]:
        streamed = False
        run = self._assistant._answer(self.question, self.history, streaming=True)
        while True:
            try:
                delta = next(run)
            except StopIteration as done:
                answer = done.value
                break
            streamed = True
            yield delta
        if streamed and answer.backend.startswith("llm:"):
            # What the answer adds after the model's text (earlier versions of a story) is sent too.
            extra = [ln for ln in answer.text.split("\n") if ln.startswith("Earlier version")]
            if extra:
                yield "\n" + "\n".join(extra)
            self.answer = answer
            return
        if streamed:  # the model failed part-way: what follows replaces it
            yield "\n\n"
        yield from self._lines(answer)

    def _lines(self, answer: Answer) -> Iterator[str]:
        lines = answer.text.split("\n")
        for i, line in enumerate(lines):
            yield line + ("\n" if i < len(lines) - 1 else "")
        self.answer = answer


@dataclass
class _Gathered:
    q: Question
    evidence: list[Evidence]
    docs: dict[str, Document]
    rows: dict[str, tuple[Chunk, Any]]
    timings: dict[str, float]
    t0: float


__all__ = ["Answer", "AnswerStream", "Assistant"]
