"""Ingest files: load, clean, chunk, embed, store. Idempotent and all-or-nothing per document."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rag import annotate
from rag.chunking import chunk_document
from rag.clean import clean
from rag.embedding import Embedder
from rag.errors import IngestError
from rag.loaders import MANIFEST, SUFFIXES, Record, load_file, load_manifest, with_title
from rag.neardup import (
    MIN_SHINGLES,
    NEAR_DUPLICATE,
    NearDuplicateIndex,
    containment,
    shingles,
    signature,
)
from rag.settings import Settings
from rag.types import Document, Span
from store.keyword import index_tokens
from store.registry import Registry
from store.vectors import VectorStore

Progress = Callable[[int, int, str], None]


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (source, reason): not an error
    failed: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    removed: list[str] = field(default_factory=list)
    chunks: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        s = (
            f"added {len(self.added)} / updated {len(self.updated)} / unchanged {len(self.unchanged)} / "
            f"skipped {len(self.skipped)} / failed {len(self.failed)}"
        )
        if self.removed:
            s += f" / removed {len(self.removed)}"
        return s + f" ({self.chunks} chunks embedded, {self.seconds:.1f} s)"

    def to_dict(self) -> dict:
        return {
            k: getattr(self, k)
            for k in (
                "added",
                "updated",
                "unchanged",
                "skipped",
                "failed",
                "removed",
                "chunks",
                "seconds",
            )
        }

    def rows(self) -> list[dict[str, str]]:
        """One row per source touched: {"source", "status", "detail"}, in a stable order."""
        out = [
            {"source": s, "status": status, "detail": ""}
            for status in ("added", "updated", "unchanged", "removed")
            for s in getattr(self, status)
        ]
        out += [
            {"source": s, "status": status, "detail": why}
            for status in ("skipped", "failed")
            for s, why in getattr(self, status)
        ]
        return out


def expand(paths: Iterable[str | Path], report: IngestReport) -> Iterator[Path]:
    """Files under the given paths (folders recurse), sorted; missing paths are reported as failed."""
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if (
                    f.is_file()
                    and f.name != MANIFEST
                    and not any(part.startswith(".") for part in f.relative_to(p).parts)
                ):
                    if f.suffix.lower() in SUFFIXES:
                        yield f
                    else:
                        report.skipped.append(
                            (f.name, f"unsupported file type '{f.suffix or f.name}'")
                        )
        elif p.is_file():
            yield p
        else:
            report.failed.append((str(p), "no such file or folder"))


def fallback_title(text: str, paragraphs: tuple[Span, ...], source: str) -> str:
    if not paragraphs:
        return source
    first = " ".join(text[paragraphs[0].start : paragraphs[0].end].split())
    if len(first) <= 120:
        return first
    cut = first[:110].rsplit(" ", 1)[0]
    return cut + " …"


def prepare(record: Record, settings: Settings) -> tuple[Document, list]:
    """Pure part of ingest: clean and chunk. Raises IngestError when nothing is left."""
    paragraphs = clean(record.text)
    if not paragraphs:
        raise IngestError("no article text left after removing site chrome")
    doc_id = hashlib.sha256(record.text.encode("utf-8")).hexdigest()[:16]
    rec = with_title(record, fallback_title(record.text, paragraphs, record.source))
    doc = Document(doc_id, rec.source, rec.path, rec.text, rec.meta, paragraphs)
    chunks = chunk_document(doc_id, rec.text, paragraphs, settings.chunk)
    if not chunks:
        raise IngestError("no sentences found")
    return doc, chunks


@dataclass
class _Planned:
    """A record cleaned and chunked, waiting for its vectors."""

    rec: Record
    doc: Document
    chunks: list
    current: list[
        tuple[str, str]
    ]  # (doc_id, state) stored for the same origin now: replaced on success
    signature: (
        np.ndarray | None
    )  # MinHash, for the near-duplicate check (None: too short to compare)


# Texts (sentences and chunks) gathered from several documents before the model runs.
EMBED_BATCH_TEXTS = 512


class Ingestor:
    def __init__(
        self, settings: Settings, registry: Registry, vectors: VectorStore, embedder: Embedder
    ):
        self.settings = settings
        self.registry = registry
        self.vectors = vectors
        self.embedder = embedder
        self._near: NearDuplicateIndex | None = None

    def _near_index(self) -> NearDuplicateIndex:
        """Signatures of the stored documents, read once per ingest call (computed for any stored
        before signatures were kept)."""
        if self._near is None:
            self._near = NearDuplicateIndex()
            for doc_id, origin, source, blob in self.registry.signatures():
                if blob is None:
                    doc = self.registry.document(doc_id)
                    sh = shingles(doc) if doc else np.zeros(0, dtype=np.uint64)
                    if len(sh) < MIN_SHINGLES:
                        continue
                    blob = signature(sh).tobytes()
                    self.registry.set_signature(doc_id, blob)
                self._near.add(doc_id, origin, source, np.frombuffer(blob, dtype=np.uint64))
        return self._near

    def _near_duplicate(
        self, doc: Document, origin: str, batch: list[_Planned]
    ) -> tuple[tuple[str, float] | None, np.ndarray | None]:
        """(source, overlap) of a document from elsewhere that tells the same story, if any, and the
        new document's signature (None when it is too short to compare).

        The same wire story under another header must not count as a second, independent source."""
        mine = shingles(doc)
        if len(mine) < MIN_SHINGLES:
            return None, None
        sig = signature(mine)
        queued = {p.doc.doc_id: p.doc for p in batch}
        best = None
        for doc_id, source in self._near_index().candidates(sig, exclude_origin=origin):
            other = queued.get(doc_id) or self.registry.document(doc_id)
            c = containment(mine, shingles(other)) if other else 0.0
            if c >= NEAR_DUPLICATE and (best is None or c > best[1]):
                best = (source, c)
        return best, sig

    def recover(self) -> list[str]:
        """Roll back documents an interrupted ingest left pending."""
        rolled = []
        for doc_id in self.registry.pending():
            self.vectors.delete_ids(self.registry.chunk_ids(doc_id))
            self.registry.delete(doc_id)
            rolled.append(doc_id)
        return rolled

    def ingest(
        self, paths: Iterable[str | Path], prune: bool = False, progress: bool | Progress = False
    ) -> IngestReport:
        """progress: True draws a terminal bar; a callable gets (files done, files in all, file name)."""
        import time

        t0 = time.perf_counter()
        report = IngestReport()
        self._near = None  # other processes may have changed the index since the last call
        files = list(expand(paths, report))
        manifests: dict[Path, dict] = {}
        seen_origins: set[str] = set()
        loaded: set[str] = set()
        batch: list[_Planned] = []
        queued = 0
        bar = None
        if progress is True and len(files) > 1:
            from tqdm import tqdm

            bar = tqdm(total=len(files), unit="file", file=sys.stderr, leave=False)
        for done, f in enumerate(files, 1):
            try:
                size = f.stat().st_size
                if size > self.settings.max_file_bytes:
                    raise IngestError(
                        f"{size:,} bytes is over the {self.settings.max_file_bytes:,}-byte limit (RAG_MAX_FILE_BYTES)"
                    )
                folder = f.parent.resolve()
                if folder not in manifests:
                    manifests[folder] = load_manifest(folder)
                records = load_file(f, manifests[folder])
                loaded.add(str(f.resolve()))
            except IngestError as e:
                report.failed.append((f.name, str(e)))
                records = []
            for rec in records:
                seen_origins.add(rec.origin)
                try:
                    planned = self._plan(rec, report, batch)
                except IngestError as e:
                    report.failed.append((rec.source, str(e)))
                    continue
                if planned:
                    batch.append(planned)
                    queued += sum(len(c.sentences) + 1 for c in planned.chunks)
                if queued >= EMBED_BATCH_TEXTS:
                    self._flush(batch, report)
                    queued = 0
            if bar:
                bar.update(1)
            elif callable(progress):
                progress(done, len(files), f.name)
        self._flush(batch, report)
        if bar:
            bar.close()
        if prune:
            # Gone: the file no longer exists. Dropped: a JSON file read now no longer holds the record.
            for doc_id, origin, path in self.registry.origins():
                gone = not Path(path).exists()
                dropped = path in loaded and origin not in seen_origins
                if gone or dropped:
                    self._remove(doc_id)
                    report.removed.append(Path(origin).name)
        report.seconds = time.perf_counter() - t0
        return report

    def _remove(self, doc_id: str) -> None:
        self.vectors.delete_ids(self.registry.chunk_ids(doc_id))
        self.registry.delete(doc_id)
        if self._near is not None:
            self._near.remove(doc_id)

    def _plan(self, rec: Record, report: IngestReport, batch: list[_Planned]) -> _Planned | None:
        """Clean and chunk a record and decide whether it is new; None when there is nothing to store."""
        doc, chunks = prepare(rec, self.settings)
        current = self.registry.by_origin(rec.origin)
        if any(d == doc.doc_id and st == "complete" for d, st in current):
            report.unchanged.append(rec.source)
            return None
        other = self.registry.origin_of(doc.doc_id)
        if other and other[1] == "complete" and other[0] != rec.origin:
            report.skipped.append(
                (rec.source, f"same text as {Path(other[0]).name}, already ingested")
            )
            return None
        queued = next((p for p in batch if p.doc.doc_id == doc.doc_id), None)
        if queued:
            if queued.rec.origin != rec.origin:
                report.skipped.append(
                    (rec.source, f"same text as {Path(queued.rec.origin).name}, already ingested")
                )
            return None
        if other:  # an interrupted attempt at this very text: start over
            self._remove(doc.doc_id)
        dup, sig = self._near_duplicate(doc, rec.origin, batch)
        if dup:
            report.skipped.append(
                (
                    rec.source,
                    f"near-duplicate of {dup[0]} ({dup[1]:.0%} of the text is the same); not a second source",
                )
            )
            return None
        if (
            sig is not None
        ):  # seen by the near-duplicate check of the records after this one, stored or not yet
            self._near_index().add(doc.doc_id, rec.origin, doc.source, sig)
        return _Planned(rec, doc, chunks, current, sig)

    def _flush(self, batch: list[_Planned], report: IngestReport) -> None:
        """Embed the sentences and chunks of several documents in one call (far fewer, fuller model
        batches than one call per document), then store each document all-or-nothing."""
        if not batch:
            return
        texts: list[str] = []
        for p in batch:
            texts += [p.doc.text[s.start : s.end] for c in p.chunks for s in c.sentences]
            texts += [c.text for c in p.chunks]
        try:
            vecs = self.embedder.embed(texts)
        except (
            Exception
        ) as e:  # the model failing is not one document's fault, but none of them is stored
            for p in batch:
                self._near_index().remove(p.doc.doc_id)
                report.failed.append((p.rec.source, f"embedding failed: {e}"))
            batch.clear()
            return
        found = annotate.entities([p.doc.text for p in batch])
        at = 0
        for k, p in enumerate(batch):
            n_sent = sum(len(c.sentences) for c in p.chunks)
            sent_vecs, chunk_vecs = (
                vecs[at : at + n_sent],
                vecs[at + n_sent : at + n_sent + len(p.chunks)],
            )
            at += n_sent + len(p.chunks)
            try:
                self._store(p, sent_vecs, chunk_vecs, report, found[k] if found else None)
            except IngestError as e:
                report.failed.append((p.rec.source, str(e)))
        batch.clear()

    def _store(
        self,
        p: _Planned,
        sent_vecs: np.ndarray,
        chunk_vecs: np.ndarray,
        report: IngestReport,
        entities: tuple | None = None,
    ) -> None:
        doc, chunks = p.doc, p.chunks
        per_chunk, i = [], 0
        for c in chunks:
            per_chunk.append(sent_vecs[i : i + len(c.sentences)])
            i += len(c.sentences)
        self.registry.begin(
            doc, p.rec.origin, chunks, per_chunk, [index_tokens(c.text) for c in chunks]
        )
        if p.signature is not None:
            self.registry.set_signature(doc.doc_id, p.signature.tobytes())
        if entities is not None:
            self.registry.set_entities(doc.doc_id, entities)
        try:
            self.vectors.add(
                [c.chunk_id for c in chunks], np.asarray(chunk_vecs), [doc.doc_id] * len(chunks)
            )
        except Exception as e:
            self._remove(doc.doc_id)
            raise IngestError(f"vector store write failed: {e}") from e
        self.registry.complete(doc.doc_id)
        report.chunks += len(chunks)
        old = [d for d, _ in p.current if d != doc.doc_id]
        for d in old:
            self._remove(d)
        (report.updated if old else report.added).append(p.rec.source)
