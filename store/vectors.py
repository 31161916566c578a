"""Chunk vectors in Chroma: embedded (PersistentClient) or a server (HttpClient).

Embeddings are always passed in; the collection has no embedding function, so Chroma never loads
(or tries to download) its default model.
"""

from __future__ import annotations

import functools
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from rag.errors import StoreError

COLLECTION = "newsrag_chunks"


def _client(index_dir: Path, url: str | None):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if url:
        u = urlparse(url)
        try:
            return chromadb.HttpClient(
                host=u.hostname or "127.0.0.1",
                port=u.port or 8000,
                ssl=u.scheme == "https",
                settings=settings,
            )
        except Exception as e:  # chromadb raises plain ValueError/ConnectionError here
            raise StoreError(
                f"cannot reach the Chroma server at {url} ({e}); start it or unset RAG_CHROMA_URL"
            ) from e
    return chromadb.PersistentClient(path=str(index_dir / "chroma"), settings=settings)


def _guarded(method):
    """Any failure inside Chroma becomes a StoreError that says where and what to do."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except StoreError:
            raise
        except Exception as e:
            if self.url:
                raise StoreError(
                    f"the Chroma server at {self.url} did not answer ({type(e).__name__}: {str(e)[:160]}); "
                    "check that it is running (RAG_CHROMA_URL)"
                ) from e
            raise StoreError(f"the vector store failed ({type(e).__name__}: {str(e)[:160]})") from e

    return wrapper


_TIE_MARGIN = 10


class VectorStore:
    def __init__(self, index_dir: Path, url: str | None = None, collection: str = COLLECTION):
        self.url = url
        self._client = _client(index_dir, url)
        try:
            self._col = self._client.get_or_create_collection(
                collection,
                embedding_function=None,
                # The HNSW graph depends on insertion timing, so a narrow search can find other near
                # neighbours in two builds of the same articles (other answers, other trained
                # weights). Searching wider makes the result the exact nearest ones at the sizes
                # answers are judged on; one insertion thread takes timing out of the graph too.
                configuration={"hnsw": {"space": "cosine", "num_threads": 1, "ef_search": 200}},
            )
        except Exception as e:
            where = url or str(index_dir / "chroma")
            raise StoreError(f"cannot open the Chroma collection at {where}: {e}") from e

    @_guarded
    def add(self, ids: list[str], vectors: np.ndarray, doc_ids: list[str]) -> None:
        if not ids:
            return
        # Chroma caps the batch size; stay well under it.
        step = 2000
        for i in range(0, len(ids), step):
            self._col.upsert(
                ids=ids[i : i + step],
                embeddings=vectors[i : i + step].astype(np.float32),
                metadatas=[{"doc_id": d} for d in doc_ids[i : i + step]],
            )

    @_guarded
    def delete_doc(self, doc_id: str) -> None:
        self._col.delete(where={"doc_id": doc_id})

    @_guarded
    def delete_ids(self, ids: list[str]) -> None:
        if ids:
            self._col.delete(ids=ids)

    @_guarded
    def query(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity), best first."""
        n = self.count()
        if n == 0:
            return []
        # A few more than asked, then ties broken by id: copies of one line (a site's boilerplate in
        # many articles) are equally similar, and the index returns equals in no fixed order.
        res = self._col.query(
            query_embeddings=[vector.astype(np.float32)],
            n_results=min(k + _TIE_MARGIN, n),
            include=["distances"],
        )
        hits = [
            (cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0], strict=True)
        ]
        hits.sort(key=lambda h: (-round(h[1], 6), h[0]))
        return hits[:k]

    @_guarded
    def count(self) -> int:
        return self._col.count()

    @_guarded
    def ids(self) -> set[str]:
        out: set[str] = set()
        offset, step = 0, 5000
        while True:
            got = self._col.get(include=[], limit=step, offset=offset)["ids"]
            out.update(got)
            if len(got) < step:
                return out
            offset += step
