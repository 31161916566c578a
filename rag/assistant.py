"""The one module that wires the pipeline: store + embedder + retriever + answerer.

    from rag import Assistant
    assistant = Assistant.open()
    answer = assistant.ask("When did HTS enter Aleppo?")
"""

from __future__ import annotations

import fcntl
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO

from llama_index.core.schema import QueryBundle

from rag import uploads
from rag.answer import compose
from rag.embedding import Embedder, SentenceTransformerEmbedder
from rag.errors import StoreError
from rag.evidence import score_sentences
from rag.ingest import Ingestor, IngestReport, Progress
from rag.question import analyze
from rag.retrieval import HybridRetriever
from rag.settings import Settings
from rag.tokens import stem
from rag.types import Answer, Citation, Document
from store.keyword import KeywordIndex
from store.registry import Registry
from store.vectors import VectorStore


class Assistant:
    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        self.settings = settings
        self.index_dir = Path(settings.index_dir)
        self.index_dir.mkdir(parents=True, exist_ok=True)
        self.registry = Registry(self.index_dir / "registry.sqlite3")
        self.vectors = VectorStore(self.index_dir, settings.chroma_url)
        self.embedder = embedder or SentenceTransformerEmbedder(settings.embed_model, settings.embed_batch_size)
        self._ingestor = Ingestor(settings, self.registry, self.vectors, self.embedder)
        self._lock = threading.RLock()
        self._docs: dict[str, Document] = {}
        with self._ingest_lock():
            self._ingestor.recover()
        self._keyword = self._load_keyword()
        self._retriever = HybridRetriever(self.vectors, self._keyword, settings.retrieval)

    @classmethod
    def open(cls, index_dir: str | Path | None = None, *, settings: Settings | None = None, ingest_default: bool = True) -> Assistant:
        """Open (or create) an index. An empty index gets the bundled corpus ingested first."""
        settings = settings or Settings()
        if index_dir is not None:
            settings = settings.model_copy(update={"index_dir": Path(index_dir)})
        assistant = cls(settings)
        if ingest_default and assistant.registry.count()[0] == 0 and Path(settings.corpus_dir).is_dir():
            assistant.ingest([settings.corpus_dir])
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
                raise StoreError(f"another process is ingesting into {self.index_dir}; try again when it finishes") from e
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def ingest(self, paths: Iterable[str | Path], *, prune: bool = False, progress: bool | Progress = False) -> IngestReport:
        with self._lock, self._ingest_lock():
            report = self._ingestor.ingest(list(paths), prune=prune, progress=progress)
            if report.changed or self._keyword.generation != self.registry.generation:
                self._rebuild_keyword()
            self._docs.clear()
            return report

    @property
    def uploads_dir(self) -> Path:
        return self.index_dir / "uploads"

    def add_uploads(self, files: Iterable[tuple[str, BinaryIO]], *, progress: Progress | None = None) -> tuple[IngestReport, list[dict[str, str]]]:
        """Save uploaded (name, stream) pairs under the index and ingest them like any file.

        Returns the ingest report and one row per file or record: {"source", "status", "detail"}.
        A refused upload (name, type, size) is a 'failed' row; it never stops the others.
        """
        saved, refused = [], []
        for name, stream in files:
            result = uploads.save(name, stream, self.uploads_dir, self.settings.max_file_bytes)
            if isinstance(result, uploads.Rejected):
                refused.append({"source": uploads.safe_name(result.name) or "(unnamed)", "status": "failed", "detail": result.reason})
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

    def _load_keyword(self) -> KeywordIndex:
        kw = KeywordIndex.load(self.index_dir / "keyword")
        if kw is None or kw.generation != self.registry.generation:
            return self._rebuild_keyword(assign=False)
        return kw

    def _rebuild_keyword(self, assign: bool = True) -> KeywordIndex:
        kw = KeywordIndex.build(self.registry.all_chunks(), self.registry.generation)
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

    @staticmethod
    def _correct_word(kw: KeywordIndex, word: str) -> str:
        """A name's word as the corpus spells it ('alepo' -> 'aleppo'); known words stay as they are."""
        return word if stem(word) in kw.vocab or len(word) < 4 else kw.correct([word])[0]

    def ask(self, question: str) -> Answer:
        """Answer from the articles, or say they don't. Raises QuestionError for an unusable question."""
        t0 = time.perf_counter()
        q = analyze(question, self.settings.max_question_chars)
        with self._lock:
            qvec = self.embedder.embed([q.text])[0]
            t1 = time.perf_counter()
            kw = self._keyword
            terms = tuple(dict.fromkeys(kw.correct(list(q.terms))))
            q = replace(q, entities=tuple(tuple(self._correct_word(kw, w) for w in e) for e in q.entities),
                        counted=tuple(kw.correct(list(q.counted))))
            nodes = self._retriever.retrieve(QueryBundle(q.text, embedding=qvec.tolist()))
            fused = {n.node.node_id: float(n.score or 0.0) for n in nodes}
            rows = self.registry.chunks(list(fused))
            t2 = time.perf_counter()
            cands = [(chunk, vecs, fused[cid]) for cid, (chunk, vecs) in rows.items()]
            docs = {c.doc_id: d for c, _, _ in cands if (d := self._document(c.doc_id)) is not None}
            titles = {doc_id: d.meta.title for doc_id, d in docs.items()}
            evidence = [e for e in score_sentences(q, terms, qvec, cands, kw.idf, titles) if e.doc_id in docs]
            answer = compose(q, evidence, docs, self.settings.answer)
        t3 = time.perf_counter()
        timings = {"embed_ms": (t1 - t0) * 1e3, "retrieve_ms": (t2 - t1) * 1e3, "answer_ms": (t3 - t2) * 1e3, "total_ms": (t3 - t0) * 1e3}
        return replace(answer, timings=timings)

    def stream(self, question: str) -> AnswerStream:
        """Iterate to get the answer's text piece by piece; ``.answer`` holds the full Answer after.

        The extractive answerer has the whole answer at once, so its pieces are its lines; a
        generating backend yields tokens as they arrive. Citations are only final at the end.
        """
        return AnswerStream(self, question)

    def passage(self, citation: Citation, context: int = 320) -> dict[str, Any]:
        """The cited quote inside its paragraph: {"before", "quote", "after", "clipped_before",
        "clipped_after"}. At most ``context`` characters either side, cut at a word; every part is
        verbatim article text, and the flags say where the paragraph goes on beyond what is shown."""
        doc = self._document(citation.doc_id)
        start, end = citation.start, citation.end
        if doc is None:
            return {"before": "", "quote": citation.quote, "after": "", "clipped_before": False, "clipped_after": False}
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
        return {"before": before, "quote": doc.text[start:end], "after": after,
                "clipped_before": clipped_before, "clipped_after": clipped_after}

    def retrieve(self, question: str, k: int = 5) -> list[dict[str, Any]]:
        """The top-k chunks hybrid retrieval finds for a question (no answer composed)."""
        q = analyze(question, self.settings.max_question_chars)
        with self._lock:
            qvec = self.embedder.embed([q.text])[0]
            nodes = self._retriever.retrieve(QueryBundle(q.text, embedding=qvec.tolist()))[:k]
            rows = self.registry.chunks([n.node.node_id for n in nodes])
            out = []
            for n in nodes:
                if n.node.node_id in rows:
                    chunk = rows[n.node.node_id][0]
                    doc = self._document(chunk.doc_id)
                    out.append({"chunk_id": chunk.chunk_id, "source": doc.source if doc else "", "score": n.score,
                                "start": chunk.start, "end": chunk.end, "text": chunk.text})
            return out

    # -- documents ----------------------------------------------------------------------------
    def sources(self) -> list[dict[str, Any]]:
        out = []
        for doc, n_chunks in self.registry.documents():
            m = doc.meta
            out.append({"doc_id": doc.doc_id, "source": doc.source, "title": m.title, "outlet": m.outlet,
                        "author": m.author, "published": m.published, "url": m.url, "chunks": n_chunks, "path": doc.path})
        return out

    def close(self) -> None:
        self.registry.close()

    def __enter__(self) -> Assistant:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class AnswerStream:
    """``for piece in assistant.stream(q): ...`` then ``stream.answer``."""

    def __init__(self, assistant: Assistant, question: str):
        self._assistant = assistant
        self.question = question
        self.answer: Answer | None = None

    def __iter__(self) -> Iterator[str]:
        answer = self._assistant.ask(self.question)
        lines = answer.text.split("\n")
        for i, line in enumerate(lines):
            yield line + ("\n" if i < len(lines) - 1 else "")
        self.answer = answer


__all__ = ["Answer", "AnswerStream", "Assistant"]
