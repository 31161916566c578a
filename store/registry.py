"""The document registry: one SQLite file that knows every document, chunk and sentence embedding.

It is the source of truth. A document is 'pending' while its chunks are being written to the vector
store and 'complete' after; anything still pending when the index is opened was interrupted and is
rolled back.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from pathlib import Path
from typing import NamedTuple

import numpy as np

from rag.types import Chunk, Document, Metadata, Span

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    origin TEXT NOT NULL,
    source TEXT NOT NULL,
    path TEXT NOT NULL,
    title TEXT, outlet TEXT, author TEXT, published TEXT, url TEXT,
    text TEXT NOT NULL,
    paragraphs TEXT NOT NULL,
    n_chunks INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    ingested_at REAL NOT NULL,
    updated TEXT, language TEXT, pages TEXT
);
CREATE INDEX IF NOT EXISTS documents_origin ON documents(origin);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    sentences TEXT NOT NULL,
    sentence_vectors BLOB NOT NULL,
    tokens TEXT
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS annotations (
    doc_id TEXT PRIMARY KEY REFERENCES documents(doc_id) ON DELETE CASCADE,
    entities TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    doc_id TEXT PRIMARY KEY REFERENCES documents(doc_id) ON DELETE CASCADE,
    version TEXT NOT NULL,
    events TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS versions (
    doc_id TEXT PRIMARY KEY REFERENCES documents(doc_id) ON DELETE CASCADE,
    story TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS versions_story ON versions(story);
CREATE TABLE IF NOT EXISTS signatures (
    doc_id TEXT PRIMARY KEY REFERENCES documents(doc_id) ON DELETE CASCADE,
    minhash BLOB NOT NULL
);
"""


class _DocRow(NamedTuple):
    """A row of documents, as ``SELECT {_DOC_COLS}`` returns it."""

    doc_id: str
    origin: str
    source: str
    path: str
    title: str | None
    outlet: str | None
    author: str | None
    published: str | None
    url: str | None
    text: str
    paragraphs: str  # JSON [[start, end], ...]
    n_chunks: int
    status: str
    updated: str | None
    language: str | None
    pages: str | None  # JSON [offset, ...]
    ingested_at: float | None


_DOC_COLS = ", ".join(_DocRow._fields)


class Origin(NamedTuple):
    origin: str  # where a document came from (absolute path, URL, or file#record)
    status: str  # 'pending' while being stored, then 'complete'


# Columns added after the first release, with their types: an older index gains them when opened.
_ADDED = {"updated": "TEXT", "language": "TEXT", "pages": "TEXT"}


class Registry:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(_SCHEMA)
        if "tokens" not in {r[1] for r in self._db.execute("PRAGMA table_info(chunks)")}:
            # an index from before: filled lazily
            self._db.execute("ALTER TABLE chunks ADD COLUMN tokens TEXT")
        have = {r[1] for r in self._db.execute("PRAGMA table_info(documents)")}
        for column, kind in _ADDED.items():
            if column not in have:
                try:
                    self._db.execute(f"ALTER TABLE documents ADD COLUMN {column} {kind}")
                except sqlite3.OperationalError as e:  # another process opening it added it first
                    if "duplicate column" not in str(e):
                        raise

    def close(self) -> None:
        self._db.close()

    def forget_tokens_unless(self, version: str) -> bool:
        """Drop every chunk's stored keyword tokens if another tokenizer version made them (they are
        filled again lazily). True when they were dropped."""
        if self.get_meta("tokenizer", "") == version:
            return False
        self._db.execute("UPDATE chunks SET tokens=NULL")
        self.set_meta("tokenizer", version)
        return True

    # -- meta -------------------------------------------------------------------------------
    def get_meta(self, key: str, default: str = "") -> str:
        row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    @property
    def generation(self) -> int:
        """Bumped on every change to the set of complete documents; the keyword index follows it."""
        return int(self.get_meta("generation", "0"))

    def bump_generation(self) -> int:
        g = self.generation + 1
        self.set_meta("generation", str(g))
        return g

    # -- documents --------------------------------------------------------------------------
    @staticmethod
    def _doc(r: _DocRow) -> Document:
        meta = Metadata(
            title=r.title or "",
            outlet=r.outlet or "",
            author=r.author or "",
            published=r.published or "",
            url=r.url or "",
            updated=r.updated or "",
            language=r.language or "",
        )
        return Document(
            doc_id=r.doc_id,
            source=r.source,
            path=r.path,
            text=r.text,
            meta=meta,
            paragraphs=tuple(Span(a, b) for a, b in json.loads(r.paragraphs)),
            pages=tuple(json.loads(r.pages)) if r.pages else (),
        )

    def document(self, doc_id: str) -> Document | None:
        row = self._db.execute(
            f"SELECT {_DOC_COLS} FROM documents WHERE doc_id=? AND status='complete'", (doc_id,)
        ).fetchone()
        return self._doc(_DocRow(*row)) if row else None

    def documents(self) -> list[tuple[Document, int]]:
        rows = self._db.execute(
            f"SELECT {_DOC_COLS} FROM documents WHERE status='complete' ORDER BY source"
        ).fetchall()
        rows = [_DocRow(*r) for r in rows]
        return [(self._doc(r), r.n_chunks) for r in rows]

    def by_origin(self, origin: str) -> list[tuple[str, str]]:
        """(doc_id, status) of what this origin currently holds."""
        return self._db.execute(
            "SELECT doc_id, status FROM documents WHERE origin=?", (origin,)
        ).fetchall()

    def origin_of(self, doc_id: str) -> Origin | None:
        row = self._db.execute(
            "SELECT origin, status FROM documents WHERE doc_id=?", (doc_id,)
        ).fetchone()
        return Origin(*row) if row else None

    def origins(self) -> list[tuple[str, str, str]]:
        """(doc_id, origin, path) of every document."""
        return self._db.execute("SELECT doc_id, origin, path FROM documents").fetchall()

    def pending(self) -> list[str]:
        return [
            r[0] for r in self._db.execute("SELECT doc_id FROM documents WHERE status='pending'")
        ]

    def begin(
        self,
        doc: Document,
        origin: str,
        chunks: list[Chunk],
        sentence_vectors: list[np.ndarray],
        tokens: list[list[str]] | None = None,
    ) -> None:
        """Record a document and its chunks as pending (one transaction). ``tokens``: each chunk's
        keyword-index tokens, kept so the keyword index is rebuilt without tokenising everything again."""
        tokens = tokens or [None] * len(chunks)
        m = doc.meta
        with self._tx():
            self._db.execute(
                f"INSERT INTO documents ({_DOC_COLS}) VALUES ({','.join('?' * 17)})",
                (
                    doc.doc_id,
                    origin,
                    doc.source,
                    doc.path,
                    m.title,
                    m.outlet,
                    m.author,
                    m.published,
                    m.url,
                    doc.text,
                    json.dumps([(p.start, p.end) for p in doc.paragraphs]),
                    len(chunks),
                    "pending",
                    m.updated,
                    m.language,
                    json.dumps(list(doc.pages)) if doc.pages else None,
                    time.time(),
                ),
            )
            self._db.executemany(
                "INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?)",
                [
                    (
                        c.chunk_id,
                        c.doc_id,
                        c.ordinal,
                        c.start,
                        c.end,
                        json.dumps([(s.start, s.end) for s in c.sentences]),
                        v.astype(np.float32).tobytes(),
                        " ".join(t) if t is not None else None,
                    )
                    for c, v, t in zip(chunks, sentence_vectors, tokens, strict=True)
                ],
            )

    def complete(self, doc_id: str) -> None:
        with self._tx():
            self._db.execute("UPDATE documents SET status='complete' WHERE doc_id=?", (doc_id,))
            self.bump_generation()

    def delete(self, doc_id: str) -> None:
        with self._tx():
            self._db.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
            self._db.execute("DELETE FROM signatures WHERE doc_id=?", (doc_id,))
            self._db.execute("DELETE FROM annotations WHERE doc_id=?", (doc_id,))
            self._db.execute("DELETE FROM events WHERE doc_id=?", (doc_id,))
            self._db.execute("DELETE FROM versions WHERE doc_id=?", (doc_id,))
            self._db.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,))
            self.bump_generation()

    def signatures(self) -> list[tuple[str, str, str, bytes | None]]:
        """(doc_id, origin, source, MinHash signature or None if not computed yet) of complete documents."""
        return self._db.execute(
            "SELECT d.doc_id, d.origin, d.source, s.minhash FROM documents d "
            "LEFT JOIN signatures s ON s.doc_id = d.doc_id WHERE d.status='complete'"
        ).fetchall()

    def entities(self, doc_id: str) -> tuple[tuple[int, int, str], ...] | None:
        """A document's named entities (start, end, label), or None if none were stored for it."""
        row = self._db.execute(
            "SELECT entities FROM annotations WHERE doc_id=?", (doc_id,)
        ).fetchone()
        return tuple((a, b, label) for a, b, label in json.loads(row[0])) if row else None

    def set_entities(self, doc_id: str, entities: tuple[tuple[int, int, str], ...]) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO annotations(doc_id, entities) VALUES (?, ?)",
            (doc_id, json.dumps([list(e) for e in entities])),
        )

    def events(self, doc_id: str, version: str) -> list[list] | None:
        """A document's dated events as stored (rows of JSON values), or None if none were stored
        for it by that version of the extractor."""
        row = self._db.execute(
            "SELECT events FROM events WHERE doc_id=? AND version=?", (doc_id, version)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def set_events(self, doc_id: str, version: str, events: list) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO events(doc_id, version, events) VALUES (?, ?, ?)",
            (doc_id, version, json.dumps([list(e) for e in events])),
        )

    # -- versions of a story -------------------------------------------------------------------
    def set_story(self, doc_id: str, story: str) -> None:
        """Record ``doc_id`` as a version of ``story`` (the doc_id of the story's first version)."""
        self._db.execute(
            "INSERT OR REPLACE INTO versions(doc_id, story) VALUES (?, ?)", (doc_id, story)
        )

    def story_of(self, doc_id: str) -> str | None:
        row = self._db.execute("SELECT story FROM versions WHERE doc_id=?", (doc_id,)).fetchone()
        return row[0] if row else None

    def stories(self) -> dict[str, list[str]]:
        """Story -> its complete versions' doc_ids, oldest first. When every version states a date
        (last update, else publication), by that date, then by ingest time; when one does not, by
        ingest time alone (an undated version cannot be placed among dated ones). Only stories with
        two or more versions."""
        rows = self._db.execute(
            "SELECT v.story, d.doc_id, COALESCE(NULLIF(d.updated, ''), NULLIF(d.published, ''), ''), "
            "d.ingested_at FROM versions v JOIN documents d ON d.doc_id = v.doc_id "
            "WHERE d.status='complete' ORDER BY v.story, d.ingested_at, d.doc_id"
        ).fetchall()
        by_story: dict[str, list[tuple[str, str, float]]] = {}
        for story, doc_id, date, at in rows:
            by_story.setdefault(story, []).append((doc_id, date, at))
        out = {}
        for story, versions in by_story.items():
            if len(versions) < 2:
                continue
            if all(date for _, date, _ in versions):
                versions.sort(key=lambda v: (v[1], v[2], v[0]))
            out[story] = [doc_id for doc_id, _, _ in versions]
        return out

    def set_signature(self, doc_id: str, minhash: bytes) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO signatures(doc_id, minhash) VALUES (?, ?)", (doc_id, minhash)
        )

    def chunk_ids(self, doc_id: str) -> list[str]:
        return [
            r[0]
            for r in self._db.execute(
                "SELECT chunk_id FROM chunks WHERE doc_id=? ORDER BY ordinal", (doc_id,)
            )
        ]

    # -- chunks -----------------------------------------------------------------------------
    def all_chunks(self) -> list[tuple[str, str]]:
        """(chunk_id, text) of every chunk of every complete document, in a stable order."""
        rows = self._db.execute(
            "SELECT c.chunk_id, substr(d.text, c.start + 1, c.end - c.start) FROM chunks c "
            "JOIN documents d ON d.doc_id = c.doc_id WHERE d.status='complete' ORDER BY d.doc_id, c.ordinal"
        ).fetchall()
        return [(r[0], r[1]) for r in rows]

    def all_texts(self) -> list[tuple[str, str]]:
        """(doc_id, text) of every complete document, in doc_id order."""
        return self._db.execute(
            "SELECT doc_id, text FROM documents WHERE status='complete' ORDER BY doc_id"
        ).fetchall()

    def all_chunk_tokens(self, tokenize, keep: bool = True) -> list[tuple[str, list[str]]]:
        """(chunk_id, keyword tokens) of every chunk of every complete document, in the order of
        all_chunks(). Chunks stored without tokens get ``tokenize(text)``, kept if ``keep`` (a writer)."""
        rows = self._db.execute(
            "SELECT c.chunk_id, c.tokens, CASE WHEN c.tokens IS NULL THEN substr(d.text, c.start + 1, c.end - c.start) END "
            "FROM chunks c JOIN documents d ON d.doc_id = c.doc_id WHERE d.status='complete' ORDER BY d.doc_id, c.ordinal"
        ).fetchall()
        out, fill = [], []
        for cid, joined, text in rows:
            if joined is None:
                toks = tokenize(text)
                fill.append((" ".join(toks), cid))
            else:  # interned: an archive repeats the same words millions of times
                toks = [sys.intern(t) for t in joined.split()]
            out.append((cid, toks))
        if fill and keep:
            with self._tx():
                self._db.executemany("UPDATE chunks SET tokens=? WHERE chunk_id=?", fill)
        return out

    def chunks(self, chunk_ids: list[str]) -> dict[str, tuple[Chunk, np.ndarray]]:
        """Chunks with their sentence vectors (n_sentences x dim), for complete documents only."""
        if not chunk_ids:
            return {}
        marks = ",".join("?" * len(chunk_ids))
        rows = self._db.execute(
            f"SELECT c.chunk_id, c.doc_id, c.ordinal, c.start, c.end, c.sentences, c.sentence_vectors, d.text "
            f"FROM chunks c JOIN documents d ON d.doc_id = c.doc_id "
            f"WHERE c.chunk_id IN ({marks}) AND d.status='complete'",
            chunk_ids,
        ).fetchall()
        out = {}
        for cid, did, ordinal, start, end, sents, blob, text in rows:
            spans = tuple(Span(a, b) for a, b in json.loads(sents))
            vecs = np.frombuffer(blob, dtype=np.float32).reshape(len(spans), -1)
            out[cid] = (Chunk(cid, did, ordinal, start, end, text[start:end], spans), vecs)
        return out

    def count(self) -> tuple[int, int]:
        docs = self._db.execute(
            "SELECT count(*) FROM documents WHERE status='complete'"
        ).fetchone()[0]
        chunks = self._db.execute(
            "SELECT count(*) FROM chunks c JOIN documents d ON d.doc_id=c.doc_id WHERE d.status='complete'"
        ).fetchone()[0]
        return docs, chunks

    def _tx(self):
        return _Transaction(self._db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, *_):
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
        return False
