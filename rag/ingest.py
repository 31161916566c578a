"""Ingest files: load, clean, chunk, embed, store. Idempotent and all-or-nothing per document."""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rag import annotate, timeline
from rag.chunking import chunk_document
from rag.clean import clean
from rag.embedding import Embedder
from rag.errors import IngestError
from rag.fetch import Fetcher, ValidatorCache
from rag.loaders import MANIFEST, SUFFIXES, Record, load_file, load_manifest, with_title
from rag.neardup import (
    MIN_SHINGLES,
    NearDuplicateIndex,
    containment,
    shingles,
    signature,
)
from rag.retrieval import index_tokens
from rag.settings import Settings
from rag.types import Document, FileResult, Span
from rag.versions import SAME_STORY, compare
from rag.web import Loaded, is_url, load_url
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
    # source -> how it revises an earlier version of its story (it is also in added or updated)
    revisions: dict[str, str] = field(default_factory=dict)
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
                "revisions",
                "chunks",
                "seconds",
            )
        }

    def rows(self) -> list[FileResult]:
        """One row per source touched, in a stable order."""
        out = [
            FileResult(s, status, self.revisions.get(s, ""))
            for status in ("added", "updated", "unchanged", "removed")
            for s in getattr(self, status)
        ]
        out += [
            FileResult(s, status, why)
            for status in ("skipped", "failed")
            for s, why in getattr(self, status)
        ]
        return out


def expand(paths: Iterable[str | Path], report: IngestReport) -> Iterator[Path | str]:
    """Files under the given paths (folders recurse), sorted, and URLs as given; missing paths are
    reported as failed."""
    for given in paths:
        if is_url(given):
            yield given
            continue
        p = Path(given)
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
            report.failed.append((str(given), "no such file or folder"))


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
    doc = Document(doc_id, rec.source, rec.path, rec.text, rec.meta, paragraphs, rec.pages)
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
    # MinHash, for the near-duplicate check (None: too short to compare)
    signature: np.ndarray | None
    story: str = ""  # a later version of this story (doc_id of its first version), else ""


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
        self._fetcher: Fetcher | None = None

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

    def _same_story(
        self, doc: Document, origin: str, batch: list[_Planned]
    ) -> tuple[tuple[Document, float] | None, np.ndarray | None]:
        """(document, overlap) of a document from elsewhere that tells the same story, if any, and the
        new document's signature (None when it is too short to compare)."""
        mine = shingles(doc)
        if len(mine) < MIN_SHINGLES:
            return None, None
        sig = signature(mine)
        queued = {p.doc.doc_id: p.doc for p in batch}
        best = None
        for doc_id, _ in self._near_index().candidates(sig, exclude_origin=origin):
            other = queued.get(doc_id) or self.registry.document(doc_id)
            c = containment(mine, shingles(other)) if other else 0.0
            if c >= SAME_STORY and (best is None or c > best[1]):
                best = (other, c)
        return best, sig

    def _story(self, doc_id: str, batch: list[_Planned]) -> str:
        """The story a stored or queued document belongs to (its own id when it is the first)."""
        queued = next((p for p in batch if p.doc.doc_id == doc_id), None)
        if queued is not None:
            return queued.story or doc_id
        return self.registry.story_of(doc_id) or doc_id

    def recover(self) -> list[str]:
        """Roll back documents an interrupted ingest left pending."""
        rolled = []
        for doc_id in self.registry.pending():
            self.vectors.delete_ids(self.registry.chunk_ids(doc_id))
            self.registry.delete(doc_id)
            rolled.append(doc_id)
        return rolled

    def fetch(self, url: str) -> Loaded:
        """Fetch a URL (a page, a PDF or a feed and its items) without touching the index: done
        before the index is locked, so questions are not held up by the network."""
        loaded = load_url(url, self.fetcher, self._stored)
        if loaded.feed and url not in self._feeds():
            self.registry.set_meta("feeds", json.dumps(sorted({*self._feeds(), url})))
        return loaded

    def ingest(
        self,
        paths: Iterable[str | Path],
        prune: bool = False,
        progress: bool | Progress = False,
        fetched: dict[str, Loaded] | None = None,
    ) -> IngestReport:
        """progress: True draws a terminal bar; a callable gets (files done, files in all, file name)."""
        import time

        t0 = time.perf_counter()
        report = IngestReport()
        self._near = None  # other processes may have changed the index since the last call
        files = list(expand(paths, report))
        manifests: dict[Path, dict] = {}
        seen_origins: set[str] = set()
        loaded_paths: set[str] = set()
        validators: list[tuple[str, str, str, str]] = []
        batch: list[_Planned] = []
        queued = 0
        bar = None
        if progress is True and len(files) > 1:
            from tqdm import tqdm

            bar = tqdm(total=len(files), unit="file", file=sys.stderr, leave=False)
        for done, f in enumerate(files, 1):
            if is_url(f):
                loaded = (fetched or {}).get(f) or self.fetch(f)
                report.failed += loaded.failed
                report.unchanged += loaded.unchanged
                seen_origins.update(loaded.unchanged)
                records = loaded.records
                validators += loaded.validators
            else:
                records = self._load(f, report, manifests, loaded_paths)
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
                progress(done, len(files), str(f) if is_url(f) else f.name)
        self._flush(batch, report)
        self._keep_validators(validators, report)
        if bar:
            bar.close()
        if prune:
            # Gone: the file no longer exists. Dropped: a JSON file read now no longer holds the record.
            for doc_id, origin, path in self.registry.origins():
                if is_url(path):  # a page that is no longer in a feed is still an article
                    continue
                gone = not Path(path).exists()
                dropped = path in loaded_paths and origin not in seen_origins
                if gone or dropped:
                    self.remove(doc_id)
                    report.removed.append(Path(origin).name)
        report.seconds = time.perf_counter() - t0
        return report

    def _load(
        self, f: Path, report: IngestReport, manifests: dict, loaded_paths: set[str]
    ) -> list[Record]:
        """One file's records; a file that cannot be read is reported, not raised."""
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
            loaded_paths.add(str(f.resolve()))
            return records
        except IngestError as e:
            report.failed.append((f.name, str(e)))
        except (Exception, RecursionError) as e:  # one unreadable file must not stop the rest
            report.failed.append((f.name, f"could not be read ({type(e).__name__}: {e})"))
        return []

    @property
    def fetcher(self) -> Fetcher:
        """One per process, so the per-host delay holds across calls (a watched feed)."""
        if self._fetcher is None:
            self._fetcher = Fetcher(
                timeout=self.settings.fetch_timeout,
                max_bytes=self.settings.max_file_bytes,
                per_host_delay=self.settings.fetch_delay,
                cache=ValidatorCache(Path(self.settings.index_dir) / "fetch-validators.json"),
                remember=False,
            )
        return self._fetcher

    def _keep_validators(self, validators: list, report: IngestReport) -> None:
        """Remember the ETag / Last-Modified of pages now safely in the index (a page that failed
        to store is fetched whole next time)."""
        if not validators:
            return
        failed = {source for source, _ in report.failed}
        cache = self.fetcher.cache
        for asked, final, etag, modified in validators:
            if asked not in failed:
                cache.put(final, etag, modified)
        cache.save()

    def _feeds(self) -> set[str]:
        return set(json.loads(self.registry.get_meta("feeds", "[]")))

    def _stored(self, origin: str) -> bool:
        """The index holds this URL's article, or read it as a feed before."""
        return origin in self._feeds() or any(
            st == "complete" for _, st in self.registry.by_origin(origin)
        )

    def remove(self, doc_id: str) -> None:
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
        if other and other.status == "complete" and other.origin != rec.origin:
            report.skipped.append(
                (rec.source, f"same text as {Path(other.origin).name}, already ingested")
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
            self.remove(doc.doc_id)
        # The same story from another file: a revision (figures, dates or names changed) is kept as
        # its later version; a copy is not a second source.
        same, sig = self._same_story(doc, rec.origin, batch)
        story = ""
        if same:
            earlier, overlap = same
            change = compare(earlier, doc)
            if not change.revision:
                # The file changed into a copy of another story's version: what it held before
                # is no longer in it.
                for d, _ in current:
                    self.remove(d)
                    report.removed.append(rec.source)
                report.skipped.append(
                    (
                        rec.source,
                        f"a copy of {earlier.source} ({overlap:.0%} of its wording; "
                        f"{change.describe()}); not a second source",
                    )
                )
                return None
            story = self._story(earlier.doc_id, batch)
            report.revisions[rec.source] = (
                f"a version of {earlier.source} (same story; {change.describe()})"
            )
        if sig is not None:
            # seen by the near-duplicate check of the records after this one, stored or not yet
            self._near_index().add(doc.doc_id, rec.origin, doc.source, sig)
        return _Planned(rec, doc, chunks, current, sig, story)

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
        except Exception as e:
            # the model failing is not one document's fault, but none of them is stored
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
        self.registry.set_events(doc.doc_id, timeline.VERSION, timeline.events_of(doc))
        if p.story:
            if self.registry.story_of(p.story) is None and self.registry.origin_of(p.story):
                self.registry.set_story(p.story, p.story)
            self.registry.set_story(doc.doc_id, p.story)
        try:
            self.vectors.add(
                [c.chunk_id for c in chunks], np.asarray(chunk_vecs), [doc.doc_id] * len(chunks)
            )
        except Exception as e:
            self.remove(doc.doc_id)
            raise IngestError(f"vector store write failed: {e}") from e
        self.registry.complete(doc.doc_id)
        report.chunks += len(chunks)
        old = [d for d, _ in p.current if d != doc.doc_id]
        for d in old:
            self.remove(d)
        (report.updated if old else report.added).append(p.rec.source)
