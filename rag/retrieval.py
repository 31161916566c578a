"""Hybrid retrieval: dense (Chroma) + keyword (BM25), fused by reciprocal rank.

A llama-index ``BaseRetriever``, so it composes with the rest of that ecosystem; nodes carry the chunk
id and the fused score.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from rag.question import acronym, entities
from rag.settings import RetrievalSettings
from rag.tokens import tokenize
from store.keyword import KeywordIndex
from store.vectors import VectorStore


def index_tokens(text: str) -> list[str]:
    """Tokens plus the acronyms of multi-word names, so 'Hayat Tahrir al-Sham' is found by 'HTS' and back."""
    return tokenize(text) + [acronym(e) for e in entities(text) if len(e) > 1]


def rrf(rankings: list[list[str]], k: int) -> dict[str, float]:
    """Reciprocal rank fusion, normalised so the best possible item scores 1."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, cid in enumerate(ranking):
            scores[cid] = scores.get(cid, 0.0) + 1.0 / (k + rank + 1)
    best = len(rankings) / (k + 1)
    return {cid: s / best for cid, s in scores.items()}


class HybridRetriever(BaseRetriever):
    def __init__(
        self, vectors: VectorStore, keyword: Callable[[], KeywordIndex], cfg: RetrievalSettings
    ):
        """``keyword`` gives the keyword index to search now (it changes when articles are added)."""
        super().__init__()
        self.vectors = vectors
        self._keyword = keyword
        self.cfg = cfg

    @property
    def keyword(self) -> KeywordIndex:
        return self._keyword()

    def search(self, qvec: np.ndarray, tokens: list[str]) -> list[tuple[str, float]]:
        # A dense hit below the floor is noise: it only takes a rank from something relevant, and
        # would let unrelated documents reshuffle the candidates of every question.
        dense = [
            cid
            for cid, sim in self.vectors.query(qvec, self.cfg.dense_k)
            if sim >= self.cfg.min_similarity
        ]
        sparse = [cid for cid, _ in self.keyword.search(tokens, self.cfg.keyword_k)]
        fused = rrf([dense, sparse], self.cfg.rrf_k)
        return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))[: self.cfg.candidates]

    def hits(self, text: str, qvec: np.ndarray) -> list[tuple[str, float]]:
        """(chunk id, fused score) for a question and its embedding, best first."""
        return self.search(qvec, self.keyword.correct(index_tokens(text)))

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        """The llama-index interface: nodes carrying the chunk id and score (no text; the registry
        has it)."""
        if query_bundle.embedding is None:
            raise ValueError("HybridRetriever needs the query embedding in the QueryBundle")
        qvec = np.asarray(query_bundle.embedding, dtype=np.float32)
        return [
            NodeWithScore(node=TextNode(id_=cid, text=""), score=s)
            for cid, s in self.hits(query_bundle.query_str, qvec)
        ]
