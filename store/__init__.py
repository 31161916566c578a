"""Persistence: the document registry (SQLite), the vector store (Chroma) and the keyword index (bm25s)."""
