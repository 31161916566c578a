"""Pack sentences into chunks: whole sentences only, paragraph breaks preferred."""

from __future__ import annotations

from hashlib import sha1

from rag.sentences import split_sentences
from rag.settings import ChunkSettings
from rag.types import Chunk, Span


def chunk_document(
    doc_id: str, text: str, paragraphs: tuple[Span, ...], cfg: ChunkSettings
) -> list[Chunk]:
    """Group the sentences of the kept paragraphs into chunks of about ``cfg.max_chars``."""
    groups: list[list[Span]] = []
    current: list[Span] = []

    def size(sents: list[Span]) -> int:
        return sents[-1].end - sents[0].start if sents else 0

    for para in paragraphs:
        sents = split_sentences(text, para)
        # At a paragraph break, close a chunk that is already big enough.
        if current and size(current) >= cfg.min_chars:
            groups.append(current)
            current = []
        for s in sents:
            if current and (s.end - current[0].start) > cfg.max_chars:
                groups.append(current)
                current = []
            current.append(s)
    if current:
        groups.append(current)

    chunks = []
    for i, sents in enumerate(groups):
        start, end = sents[0].start, sents[-1].end
        cid = sha1(f"{doc_id}:{i}:{start}:{end}".encode()).hexdigest()[:16]
        chunks.append(Chunk(cid, doc_id, i, start, end, text[start:end], tuple(sents)))
    return chunks
