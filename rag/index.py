"""Everything stored about the collection, and the rules for changing it.

The registry (SQLite, the source of truth: documents, chunks, their tokens and annotations), the
vectors (Chroma), the keyword index (BM25, saved beside them), one writer at a time across processes,
recovery from a crash mid-ingest, and the doctor that checks the three agree. Readers get documents,
their annotations and the versions of each story, cached per process and dropped whenever the index
changes.

    index = Index(settings, embedder)
    report = index.ingest(["corpus/"])
    index.documents()      # every document, as DocumentInfo
"""

from __future__ import annotations

import contextlib
import fcntl
import sqlite3
import threading
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from rag import annotate, timeline
from rag.embedding import Embedder
from rag.errors import StoreError
from rag.ingest import Ingestor, IngestReport, Progress
from rag.phrases import PhraseStats
from rag.question import definitions
from rag.retrieval import index_tokens
from rag.settings import Settings
from rag.tokens import VERSION as TOKENIZER_VERSION
from rag.types import Chunk, Citation, DoctorReport, Document, DocumentInfo
from rag.versions import Latest, counterpart
from rag.web import Loaded
from store.keyword import KeywordIndex
from store.registry import Registry
from store.vectors import VectorStore


class Index:
    def __init__(self, settings: Settings, embedder: Embedder):
        self.settings = settings
        self.dir = Path(settings.index_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.registry = Registry(self.dir / "registry.sqlite3")
        self.vectors = VectorStore(self.dir, settings.chroma_url)
        self.embedder = embedder
        self._ingestor = Ingestor(settings, self.registry, self.vectors, embedder)
        # One thread at a time in this process, for writes and for the reads of a question (the
        # Assistant takes the same lock), so a question never sees a document half replaced.
        self.lock = threading.RLock()
        self._docs: dict[str, Document] = {}
        self._defined: dict[str, dict[str, tuple[str, ...]]] = {}
        self._ents: dict[str, tuple] = {}
        self._versions: tuple[int, dict[str, list[str]]] = (-1, {})
        self._latest: dict[str, Latest] = {}
        self._dated: tuple[int, list] = (-1, [])
        retokenize = False
        try:
            with self.write_lock():
                self._ingestor.recover()
                # chunks tokenised by another tokenizer version: their tokens are made again
                retokenize = self.registry.forget_tokens_unless(TOKENIZER_VERSION)
        except StoreError:
            # another process is writing: what is pending is its work in progress, not a crash's
            # leftovers, and it checks the tokenizer version itself
            pass
        # The keyword index is loaded when first needed (listing documents does not need it),
        # unless the saved one is stale: a crash between storing documents and saving it, or
        # another tokenizer, is mended now.
        self._keyword: KeywordIndex | None = None
        if retokenize or self._saved_is_stale():
            self._keyword = self._load_keyword(rebuild=True)

    # -- writing -----------------------------------------------------------------------------------
    @contextmanager
    def write_lock(self):
        """One writer per index across processes; a second gets a clear error instead of a mess."""
        with self.lock, open(self.dir / "ingest.lock", "w") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as e:
                raise StoreError(
                    f"another process is ingesting into {self.dir}; try again when it finishes"
                ) from e
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def fetch(self, url: str) -> Loaded:
        """Download a web page or feed (outside the write lock: the network is slow)."""
        return self._ingestor.fetch(url)

    def ingest(
        self,
        paths: Iterable[str | Path],
        *,
        prune: bool = False,
        progress: bool | Progress = False,
        fetched: dict[Any, Loaded] | None = None,
    ) -> IngestReport:
        with self.write_lock():
            report = self._ingestor.ingest(
                list(paths), prune=prune, progress=progress, fetched=fetched or {}
            )
            if report.changed or self._saved_is_stale():
                self._rebuild_keyword()
            self._forget()
            return report

    def remove(self, doc_id: str) -> bool:
        """Take a document out of the index (a half-stored one too); False if there is none."""
        with self.write_lock():
            if self.registry.origin_of(doc_id) is None:
                return False
            self._ingestor.remove(doc_id)
            self._rebuild_keyword()
            self._forget()
            return True

    def doctor(self, repair: bool = False) -> DoctorReport:
        """Check that the registry, the vector store and the keyword index agree; with ``repair``, fix
        them. The registry is the source of truth: vectors nobody owns are deleted, missing vectors are
        re-embedded from the stored text, a keyword index that does not match is rebuilt."""
        problems: list[str] = []
        repaired: list[str] = []
        with self.write_lock():
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
            kw = KeywordIndex.load(self.dir / "keyword")
            if (
                kw is None
                or kw.generation != self.registry.generation
                or set(kw.ids) != set(chunks)
            ):
                problems.append("the keyword index does not match the registry")
                if repair:
                    self._rebuild_keyword()
                    repaired.append("rebuilt the keyword index")
            self._forget()
        return DoctorReport(
            ok=not problems,
            problems=tuple(problems),
            repaired=tuple(repaired),
            documents=self.registry.count()[0],
            chunks=len(chunks),
            vectors=self.vectors.count(),
        )

    # -- the keyword index ---------------------------------------------------------------------------
    @property
    def keyword(self) -> KeywordIndex:
        """The keyword index as this process last saw it (loaded, or rebuilt if stale, on first use)."""
        with self.lock:
            if self._keyword is None:
                self._keyword = self._load_keyword()
            return self._keyword

    def _saved_is_stale(self) -> bool:
        return KeywordIndex.saved_generation(self.dir / "keyword") != self.registry.generation

    def _load_keyword(self, rebuild: bool = False) -> KeywordIndex:
        """The saved keyword index, or a new one when it is missing, stale or ``rebuild`` is asked.
        Never called inside write_lock (it takes it)."""
        kw = KeywordIndex.load(self.dir / "keyword")
        if kw is not None and kw.generation == self.registry.generation and not rebuild:
            return kw
        try:
            with self.write_lock():
                return self._rebuild_keyword()
        except StoreError:
            # another process is writing; it saves a new keyword index when it is done
            return kw or KeywordIndex.build(
                self.registry.all_chunk_tokens(index_tokens, keep=False),
                self.registry.generation,
                PhraseStats.build(self.registry.all_texts()),
            )

    def sync_keyword(self) -> KeywordIndex:
        """The keyword index, picking up one another process (a second `rag serve` worker, `rag ingest`)
        saved. One readlink per call; loading happens only when the saved version changed."""
        with self.lock:
            version = KeywordIndex.current_version(self.dir / "keyword")
            if version and version != self.keyword.version:
                kw = KeywordIndex.load(self.dir / "keyword")
                if kw is not None:
                    self._keyword = kw
                    self._forget()
            return self.keyword

    def _rebuild_keyword(self) -> KeywordIndex:
        kw = KeywordIndex.build(
            self.registry.all_chunk_tokens(index_tokens),
            self.registry.generation,
            PhraseStats.build(self.registry.all_texts()),
        )
        kw.save(self.dir / "keyword")
        self._keyword = kw
        return kw

    # -- reading -------------------------------------------------------------------------------------
    def _forget(self) -> None:
        """The index changed: cached documents may be gone (annotations and versions are keyed by
        content hash or generation, so they stay right)."""
        self._docs.clear()

    def document(self, doc_id: str) -> Document | None:
        if doc_id not in self._docs:
            doc = self.registry.document(doc_id)
            if doc is None:
                return None
            self._docs[doc_id] = doc
        return self._docs[doc_id]

    def chunks(self, chunk_ids: list[str]) -> dict[str, tuple[Chunk, Any]]:
        """chunk_id -> (chunk, its sentences' vectors)."""
        return self.registry.chunks(chunk_ids)

    def entities(self, doc: Document) -> tuple:
        """A document's named entities, as stored at ingest; found now (and kept) for a document
        stored before entities were."""
        if doc.doc_id not in self._ents:
            found = self.registry.entities(doc.doc_id)
            if found is None:
                computed = annotate.entities([doc.text])
                found = computed[0] if computed else ()
                if computed:
                    self.registry.set_entities(doc.doc_id, found)
            self._ents[doc.doc_id] = found
        return self._ents[doc.doc_id]

    def events(self, doc: Document) -> list[timeline.Dated]:
        """A document's dated events, as stored at ingest; found now (and kept) for a document stored
        before them or by another version of the extractor."""
        rows = self.registry.events(doc.doc_id, timeline.VERSION)
        if rows is None:
            found = timeline.events_of(doc)
            # removed by another process meanwhile: nothing to keep
            with contextlib.suppress(sqlite3.Error):
                self.registry.set_events(doc.doc_id, timeline.VERSION, found)
            return found
        return [timeline.Dated(*r) for r in rows]

    def dated_events(self) -> list[tuple[Document, timeline.Dated]]:
        """Every dated event of the latest version of each story, read once per index generation."""
        generation = self.registry.generation
        if self._dated[0] != generation:
            dated = []
            for info in self.documents():
                doc = self.document(info.doc_id) if info.latest else None
                if doc is not None:
                    dated += [(doc, d) for d in self.events(doc)]
            self._dated = (generation, dated)
        return self._dated[1]

    def definitions(self, doc: Document) -> dict[str, tuple[str, ...]]:
        """The acronyms a document defines, found once per document and process."""
        if doc.doc_id not in self._defined:
            self._defined[doc.doc_id] = definitions(doc.text)
        return self._defined[doc.doc_id]

    def story_versions(self) -> dict[str, list[str]]:
        """doc_id -> every version of its story, oldest first, for stories with several versions
        (read again whenever the index changed)."""
        generation = self.registry.generation
        if self._versions[0] != generation:
            by_doc = {d: vs for vs in self.registry.stories().values() for d in vs}
            self._versions = (generation, by_doc)
        return self._versions[1]

    def current_part(self, chunk: Chunk, vecs, score: float) -> tuple[Chunk, Any, float]:
        """A chunk of an earlier version keeps only the sentences no later version of its story
        repeats or replaced (a figure v2 corrected stays corrected when v3 drops the sentence)."""
        versions = self.story_versions().get(chunk.doc_id)
        if not versions or versions[-1] == chunk.doc_id:
            return chunk, vecs, score
        later = []
        for doc_id in versions[versions.index(chunk.doc_id) + 1 :]:
            if doc_id not in self._latest:
                doc = self.document(doc_id)
                if doc is None:
                    continue
                self._latest[doc_id] = Latest(doc)
            later.append(self._latest[doc_id])
        text = self.document(chunk.doc_id).text
        keep = [
            i
            for i, s in enumerate(chunk.sentences)
            if not any(v.covers(text[s.start : s.end]) for v in later)
        ]
        if len(keep) == len(chunk.sentences):
            return chunk, vecs, score
        return replace(chunk, sentences=tuple(chunk.sentences[i] for i in keep)), vecs[keep], score

    def earlier(self, c: Citation) -> tuple[Document, int, int] | None:
        """What an earlier version of the story said in place of the latest version's quote."""
        versions = self.story_versions().get(c.doc_id)
        if not versions or versions[-1] != c.doc_id:
            return None
        for doc_id in reversed(versions[:-1]):
            doc = self.document(doc_id)
            span = counterpart(c.quote, doc) if doc else None
            if span:
                return doc, span.start, span.end
        return None

    def documents(self) -> list[DocumentInfo]:
        """Every document, with its story versions: ``version`` is 1 for the first of a story with
        several, ``versions`` how many it has, ``latest`` whether answers come from it."""
        stories = self.story_versions()
        out = []
        for doc, n_chunks in self.registry.documents():
            versions = stories.get(doc.doc_id, [doc.doc_id])
            out.append(DocumentInfo.of(doc, n_chunks, versions))
        return out

    def count(self) -> tuple[int, int]:
        """(documents, chunks)."""
        return self.registry.count()

    def close(self) -> None:
        self.registry.close()
