"""newsrag: grounded question answering over news articles.

Heavy imports (torch, chromadb, llama-index) happen only when an Assistant is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rag import offline
from rag.errors import ConfigError, IngestError, QuestionError, RagError, StoreError
from rag.types import Answer, Citation

offline.apply()

if TYPE_CHECKING:
    from rag.assistant import Assistant

__all__ = [
    "Answer",
    "Assistant",
    "Citation",
    "ConfigError",
    "IngestError",
    "QuestionError",
    "RagError",
    "StoreError",
]


def __getattr__(name: str):
    if name == "Assistant":
        from rag.assistant import Assistant

        return Assistant
    raise AttributeError(name)
