"""The one module that wires the pipeline: store + embedder + retriever + answerer.

from rag import Assistant
assistant = Assistant.open()
answer = assistant.ask("When did HTS enter Aleppo?")
"""

from __future__ import annotations

import fcntl
import logging
import threading
import time
from collections.abc import Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

from rag import annotate, prompts, uploads
from rag.answer import combine_parts, compose, note_earlier
from rag.embedding import Embedder, make_embedder
from rag.errors import QuestionError, StoreError
from rag.evidence import score_sentences
from rag.followup import Turn, needs_context, rewrite_followup
from rag.generate import Source, build_answer, gate_answer_type, pick_sources, user_prompt
from rag.ingest import Ingestor, IngestReport, Progress
from rag.llm import LLMUnavailable, make_llm
from rag.llm import chat as llm_chat
from rag.llm import stream_chat as llm_stream
from rag.model import Decision, default_decision
from rag.phrases import PhraseStats
from rag.question import Question, analyze, definitions
from rag.retrieval import HybridRetriever, index_tokens
from rag.settings import Settings
from rag.tokens import VERSION as TOKENIZER_VERSION
from rag.tokens import stem
from rag.types import Answer, Chunk, Citation, Document, Evidence
from rag.versions import Latest, counterpart
from rag.web import is_url
from store.keyword import KeywordIndex
from store.registry import Registry
from store.vectors import VectorStore

log = logging.getLogger("newsrag")
_UNSET = object()


class Assistant:
    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        self.settings = settings
        self.index_dir = Path(settings.index_dir)
        self.index_dir.mkdir(parents=True, exist_ok=True)
        self.registry = Registry(self.index_dir / "registry.sqlite3")
        self.vectors = VectorStore(self.index_dir, settings.chroma_url)
        self.embedder = embedder or make_embedder(
            settings.embed_model, settings.embed_batch_size, settings.embed_backend
        )
        self._ingestor = Ingestor(settings, self.registry, self.vectors, self.embedder)
        self._lock = threading.RLock()
        self._llm = _UNSET
        self._docs: dict[str, Document] = {}
        self._defined: dict[str, dict[str, tuple[str, ...]]] = {}
        self._ents: dict[str, tuple] = {}
        self._versions: tuple[int, dict[str, list[str]]] = (-1, {})
        self._latest: dict[str, Latest] = {}
        # The learned decision (rag/weights.json); RAG_ANSWER__DECISION=rules uses the hand-set gates.
        self.decision: Decision | None = (
            default_decision() if settings.answer.decision == "learned" else None
        )
        try:
            with self._ingest_lock():
                self._ingestor.recover()
        except StoreError:
            pass  # another process is writing: what is pending is its work in progress, not a crash's leftovers
        self._keyword = self._load_keyword()
        self._retriever = HybridRetriever(self.vectors, self._keyword, settings.retrieval)

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
            and assistant.registry.count()[0] == 0
            and Path(settings.corpus_dir).is_dir()
        ):
            try:
                assistant.ingest([settings.corpus_dir])
            except StoreError as e:
                # a second worker starting next to the first: that one ingests it
                log.warning("not ingesting the bundled corpus: %s", e)
        return assistant

    # -- ingest -------------------------------------------------------------------------------
    @contextmanager
    def _ingest_lock(self):
        """One writer per index across processes; a second gets a clear error instead of a mess."""
        path = self.index_dir / "ingest.lock"
        with open(path, "w") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as e:
                raise StoreError(
                    f"another process is ingesting into {self.index_dir}; try again when it finishes"
                ) from e
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def ingest(
        self, paths: Iterable[str | Path], *, prune: bool = False, progress: bool | Progress = False
    ) -> IngestReport:
        paths = list(paths)
        fetched = {p: self._ingestor.fetch(p) for p in dict.fromkeys(paths) if is_url(p)}
        with self._lock, self._ingest_lock():
            report = self._ingestor.ingest(paths, prune=prune, progress=progress, fetched=fetched)
            if report.changed or self._keyword.generation != self.registry.generation:
                self._rebuild_keyword()
            self._docs.clear()
            return report

    @property
    def uploads_dir(self) -> Path:
        return self.index_dir / "uploads"

    def add_uploads(
        self, files: Iterable[tuple[str, BinaryIO]], *, progress: Progress | None = None
    ) -> tuple[IngestReport, list[dict[str, str]]]:
        """Save uploaded (name, stream) pairs under the index and ingest them like any file.

        Returns the ingest report and one row per file or record: {"source", "status", "detail"}.
        A refused upload (name, type, size) is a 'failed' row; it never stops the others.
        """
        saved, refused = [], []
        for name, stream in files:
            result = uploads.save(name, stream, self.uploads_dir, self.settings.max_file_bytes)
            if isinstance(result, uploads.Rejected):
                refused.append(
                    {
                        "source": uploads.safe_name(result.name) or "(unnamed)",
                        "status": "failed",
                        "detail": result.reason,
                    }
                )
            else:
                saved.append(result)
        report = self.ingest(saved, progress=progress or False) if saved else IngestReport()
        kept = {d["path"] for d in self.sources()}
        for path in saved:  # a file that produced no document is not kept
            if str(path.resolve()) not in kept and str(path) not in kept:
                path.unlink(missing_ok=True)
        return report, report.rows() + refused

    def delete(self, doc_id: str) -> bool:
        """Remove a document from the index. Its file goes too if it was uploaded (never a user's own file)."""
        with self._lock, self._ingest_lock():
            origin = self.registry.origin_of(doc_id)
            if origin is None:
                return False
            doc = self.registry.document(doc_id)
            self._ingestor._remove(doc_id)
            self._rebuild_keyword()
            self._docs.clear()
            if doc is not None:
                path = Path(doc.path)
                still_used = any(d["path"] == doc.path for d in self.sources())
                if path.parent.resolve() == self.uploads_dir.resolve() and not still_used:
                    path.unlink(missing_ok=True)
            return True

    def doctor(self, repair: bool = False) -> dict[str, Any]:
        """Check that the registry, the vector store and the keyword index agree; with ``repair``, fix them.

        Returns {"problems": [...], "repaired": [...], "ok": bool}. The registry is the source of
        truth: vectors nobody owns are deleted, missing vectors are re-embedded from the stored text,
        a keyword index that does not match is rebuilt.
        """
        problems: list[str] = []
        repaired: list[str] = []
        with self._lock, self._ingest_lock():
            pending = self.registry.pending()
            if pending:
                problems.append(f"{len(pending)} half-ingested document(s)")
                if repair:
                    self._ingestor.recover()
                    repaired.append(f"rolled back {len(pending)} half-ingested document(s)")
            chunks = dict(self.registry.all_chunks())
            stored = self.vectors.ids()
            orphans = stored - set(chunks)
            missing = [cid for cid in chunks if cid not in stored]
            if orphans:
                problems.append(f"{len(orphans)} vector(s) in the store belong to no document")
                if repair:
                    self.vectors.delete_ids(sorted(orphans))
                    repaired.append(f"deleted {len(orphans)} orphan vector(s)")
            if missing:
                problems.append(f"{len(missing)} chunk(s) have no vector in the store")
                if repair:
                    rows = self.registry.chunks(missing)
                    vecs = self.embedder.embed([rows[c][0].text for c in missing])
                    self.vectors.add(missing, vecs, [rows[c][0].doc_id for c in missing])
                    repaired.append(f"re-embedded {len(missing)} chunk(s)")
            kw = KeywordIndex.load(self.index_dir / "keyword")
            if (
                kw is None
                or kw.generation != self.registry.generation
                or set(kw.ids) != set(chunks)
            ):
                problems.append("the keyword index does not match the registry")
                if repair:
                    self._rebuild_keyword()
                    repaired.append("rebuilt the keyword index")
            self._docs.clear()
        return {
            "ok": not problems,
            "problems": problems,
            "repaired": repaired,
            "documents": self.registry.count()[0],
            "chunks": len(chunks),
            "vectors": self.vectors.count(),
        }

    def _load_keyword(self) -> KeywordIndex:
        kw = KeywordIndex.load(self.index_dir / "keyword")
        stale = False
        try:
            with self._ingest_lock():
                stale = self.registry.forget_tokens_unless(TOKENIZER_VERSION)
        except StoreError:
            pass  # another process is writing; it checks the version itself
        if kw is not None and kw.generation == self.registry.generation and not stale:
            return kw
        try:
            with self._ingest_lock():
                return self._rebuild_keyword(assign=False)
        except StoreError:
            # another process is writing; it saves a new keyword index when it is done
            return kw or KeywordIndex.build(
                self.registry.all_chunk_tokens(index_tokens, keep=False),
                self.registry.generation,
                PhraseStats.build(self.registry.all_texts()),
            )

    def _sync_keyword(self) -> None:
        """Pick up a keyword index another process (a second `rag serve` worker, `rag ingest`) saved.
        One readlink per question; loading happens only when the saved version changed."""
        version = KeywordIndex.current_version(self.index_dir / "keyword")
        if version and version != self._keyword.version:
            kw = KeywordIndex.load(self.index_dir / "keyword")
            if kw is not None:
                self._keyword = kw
                self._retriever.keyword = kw
                self._docs.clear()

    def _rebuild_keyword(self, assign: bool = True) -> KeywordIndex:
        kw = KeywordIndex.build(
            self.registry.all_chunk_tokens(index_tokens),
            self.registry.generation,
            PhraseStats.build(self.registry.all_texts()),
        )
        kw.save(self.index_dir / "keyword")
        if assign:
            self._keyword = kw
            self._retriever.keyword = kw
        return kw

    # -- ask ----------------------------------------------------------------------------------
    def _document(self, doc_id: str) -> Document | None:
        if doc_id not in self._docs:
            doc = self.registry.document(doc_id)
            if doc is None:
                return None
            self._docs[doc_id] = doc
        return self._docs[doc_id]

    def _entities(self, doc_id: str, doc: Document) -> tuple:
        """A document's named entities, as stored at ingest; found now (and kept) for a document
        stored before entities were."""
        if doc_id not in self._ents:
            found = self.registry.entities(doc_id)
            if found is None:
                computed = annotate.entities([doc.text])
                found = computed[0] if computed else ()
                if computed:
                    self.registry.set_entities(doc_id, found)
            self._ents[doc_id] = found
        return self._ents[doc_id]

    def _story_versions(self) -> dict[str, list[str]]:
        """doc_id -> every version of its story, oldest first, for stories with several versions
        (read again whenever the index changed)."""
        generation = self.registry.generation
        if self._versions[0] != generation:
            by_doc = {d: vs for vs in self.registry.stories().values() for d in vs}
            self._versions = (generation, by_doc)
        return self._versions[1]

    def _current_part(self, chunk: Chunk, vecs, score: float) -> tuple[Chunk, Any, float]:
        """A chunk of an earlier version keeps only the sentences no later version of its story
        repeats or replaced (a figure v2 corrected stays corrected when v3 drops the sentence)."""
        versions = self._story_versions().get(chunk.doc_id)
        if not versions or versions[-1] == chunk.doc_id:
            return chunk, vecs, score
        later = []
        for doc_id in versions[versions.index(chunk.doc_id) + 1 :]:
            if doc_id not in self._latest:
                doc = self._document(doc_id)
                if doc is None:
                    continue
                self._latest[doc_id] = Latest(doc)
            later.append(self._latest[doc_id])
        text = self._document(chunk.doc_id).text
        keep = [
            i
            for i, s in enumerate(chunk.sentences)
            if not any(v.covers(text[s.start : s.end]) for v in later)
        ]
        if len(keep) == len(chunk.sentences):
            return chunk, vecs, score
        return replace(chunk, sentences=tuple(chunk.sentences[i] for i in keep)), vecs[keep], score

    def _earlier(self, c: Citation) -> tuple[Document, int, int] | None:
        """What an earlier version of the story said in place of the latest version's quote."""
        versions = self._story_versions().get(c.doc_id)
        if not versions or versions[-1] != c.doc_id:
            return None
        for doc_id in reversed(versions[:-1]):
            doc = self._document(doc_id)
            span = counterpart(c.quote, doc) if doc else None
            if span:
                return doc, span.start, span.end
        return None

    def _definitions(self, doc: Document) -> dict[str, tuple[str, ...]]:
        """The acronyms a document defines, found once per document and process."""
        if doc.doc_id not in self._defined:
            self._defined[doc.doc_id] = definitions(doc.text)
        return self._defined[doc.doc_id]

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
            self._sync_keyword()
            qvec = self.embedder.embed([q.text])[0]
            t1 = time.perf_counter()
            kw = self._keyword
            terms = tuple(dict.fromkeys(kw.correct(list(q.terms))))
            q = replace(
                q,
                unknown=tuple(t for t in terms if t not in kw.vocab),
                entities=tuple(tuple(self._correct_word(kw, w) for w in e) for e in q.entities),
                counted=tuple(kw.correct(list(q.counted))),
            )
            fused = dict(self._retriever.hits(q.text, qvec))
            rows = self.registry.chunks(list(fused))
            t2 = time.perf_counter()
            # What a story's latest version repeats or replaced is answered from it alone (and
            # _finish shows what the earlier version said in its place).
            cands = [
                self._current_part(chunk, vecs, fused[cid]) for cid, (chunk, vecs) in rows.items()
            ]
            cands = [c for c in cands if c[0].sentences]
            # An LLM reads whole chunks: an earlier version's chunk goes to it only when no later
            # version repeats or replaced any of its sentences.
            rows = {
                c[0].chunk_id: rows[c[0].chunk_id]
                for c in cands
                if len(c[0].sentences) == len(rows[c[0].chunk_id][0].sentences)
            }
            docs = {c.doc_id: d for c, _, _ in cands if (d := self._document(c.doc_id)) is not None}
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
                {doc_id: self._definitions(d) for doc_id, d in docs.items()},
                {doc_id: self._entities(doc_id, d) for doc_id, d in docs.items()},
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
        answer = note_earlier(answer, self._earlier)
        return replace(answer, timings=timings, standalone_question=standalone)

    def ask(self, question: str, history: Sequence[Turn] | None = None) -> Answer:
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
        self, question: str, history: Sequence[Turn] | None, streaming: bool
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

    def chat(self, message: str, history: Sequence[Turn] | None = None) -> Answer:
        """One conversation turn: ``ask`` with the earlier turns taken into account."""
        return self.ask(message, history)

    def standalone(self, message: str, history: Sequence[Turn] | None) -> str:
        """The follow-up rewritten as a question that stands on its own ('' when it already does)."""
        previous = [
            t.get("standalone") or t["question"] for t in history or () if t.get("question")
        ]
        if not previous:
            return ""
        if self.llm is not None and needs_context(message):
            convo = "\n".join(
                f"User: {t['question']}\nAssistant: {t.get('answer', '')[:400]}"
                for t in (history or [])[-3:]
            )
            try:
                rewritten = (
                    llm_chat(
                        self.llm,
                        self.settings,
                        "You rewrite follow-up questions.",
                        prompts.CONDENSE.format(history=convo, message=message),
                    )
                    .strip()
                    .strip('"')
                )
                if rewritten and rewritten != message and len(rewritten) < 4 * len(message) + 200:
                    return rewritten
            except LLMUnavailable as e:
                log.warning("follow-up rewrite by the LLM failed, using rules: %s", e)
        last_answer = next(
            (t.get("answer", "") for t in reversed(history or []) if t.get("question")), ""
        )
        rewritten = rewrite_followup(message, previous, last_answer)
        return rewritten if rewritten != message else ""

    def stream(self, question: str, history: Sequence[Turn] | None = None) -> AnswerStream:
        """Iterate to get the answer's text piece by piece; ``.answer`` holds the full Answer after.

        With an LLM the pieces are its tokens as they arrive and citations are resolved at the end
        (the final text is renumbered and verified, so it can differ from the streamed one). The
        extractive answerer has the whole answer at once; its pieces are its lines.
        """
        return AnswerStream(self, question, history)

    def passage(self, citation: Citation, context: int = 320) -> dict[str, Any]:
        """The cited quote inside its paragraph: {"before", "quote", "after", "clipped_before",
        "clipped_after"}. At most ``context`` characters either side, cut at a word; every part is
        verbatim article text, and the flags say where the paragraph goes on beyond what is shown."""
        doc = self._document(citation.doc_id)
        start, end = citation.start, citation.end
        if doc is None:
            return {
                "before": "",
                "quote": citation.quote,
                "after": "",
                "clipped_before": False,
                "clipped_after": False,
            }
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
        return {
            "before": before,
            "quote": doc.text[start:end],
            "after": after,
            "clipped_before": clipped_before,
            "clipped_after": clipped_after,
        }

    def retrieve(self, question: str, k: int = 5) -> list[dict[str, Any]]:
        """The top-k chunks hybrid retrieval finds for a question (no answer composed)."""
        q = analyze(question, self.settings.max_question_chars)
        with self._lock:
            self._sync_keyword()
            qvec = self.embedder.embed([q.text])[0]
            hits = self._retriever.hits(q.text, qvec)[:k]
            rows = self.registry.chunks([cid for cid, _ in hits])
            out = []
            for cid, score in hits:
                if cid in rows:
                    chunk = rows[cid][0]
                    doc = self._document(chunk.doc_id)
                    out.append(
                        {
                            "chunk_id": chunk.chunk_id,
                            "source": doc.source if doc else "",
                            "score": score,
                            "start": chunk.start,
                            "end": chunk.end,
                            "text": chunk.text,
                        }
                    )
            return out

    # -- documents ----------------------------------------------------------------------------
    def sources(self) -> list[dict[str, Any]]:
        """Every document, with its story versions: ``version`` is 1 for the first of a story with
        several, ``versions`` how many it has, ``latest`` whether answers come from it."""
        out = []
        stories = self._story_versions()
        for doc, n_chunks in self.registry.documents():
            m = doc.meta
            versions = stories.get(doc.doc_id, [doc.doc_id])
            out.append(
                {
                    "doc_id": doc.doc_id,
                    "source": doc.source,
                    "title": m.title,
                    "outlet": m.outlet,
                    "author": m.author,
                    "published": m.published,
                    "updated": m.updated,
                    "language": m.language,
                    "url": m.url,
                    "chunks": n_chunks,
                    "pages": len(doc.pages),
                    "path": doc.path,
                    "story": versions[0],
                    "version": versions.index(doc.doc_id) + 1,
                    "versions": len(versions),
                    "latest": versions[-1] == doc.doc_id,
                }
            )
        return out

    def close(self) -> None:
        self.registry.close()

    def __enter__(self) -> Assistant:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class AnswerStream:
    """``for piece in assistant.stream(q): ...`` then ``stream.answer``."""

    def __init__(self, assistant: Assistant, question: str, history: Sequence[Turn] | None = None):
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
