"""LLM backends behind llama-index's LLM interface, chosen by RAG_LLM.

    RAG_LLM=ollama:<model>       llama-index-llms-ollama      (RAG_LLM_BASE_URL, default http://127.0.0.1:11434)
    RAG_LLM=openai:<model>       llama-index-llms-openai-like (RAG_LLM_BASE_URL, RAG_LLM_API_KEY)
    RAG_LLM=llamacpp:<path.gguf> llama-index-llms-llama-cpp   (optional extra: pip install 'newsrag[llamacpp]')

Any failure to reach or use the model becomes LLMUnavailable with a message that names the setting,
so the caller can fall back to the extractive answer and say why.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from rag.errors import ConfigError, RagError
from rag.settings import Settings


class LLMUnavailable(RagError):
    """The configured LLM could not produce an answer (unreachable, timed out, refused the request)."""


def describe(settings: Settings) -> str:
    where = f" at {settings.llm_base_url}" if settings.llm_base_url else ""
    return f"RAG_LLM={settings.llm}{where}"


def make_llm(settings: Settings):
    """The llama-index LLM for ``settings.llm``, or None for the extractive answerer."""
    if settings.llm == "none":
        return None
    kind, _, target = settings.llm.partition(":")
    timeout = settings.llm_timeout
    if kind == "ollama":
        try:
            from llama_index.llms.ollama import Ollama
        except ImportError as e:
            raise ConfigError(
                "RAG_LLM=ollama:… needs llama-index-llms-ollama (pip install llama-index-llms-ollama)"
            ) from e
        return Ollama(
            model=target,
            base_url=(settings.llm_base_url or "http://127.0.0.1:11434").rstrip("/"),
            request_timeout=timeout,
            temperature=0.0,
            context_window=8192,
            additional_kwargs={"num_predict": settings.llm_max_tokens},
        )
    if kind == "openai":
        try:
            from llama_index.llms.openai_like import OpenAILike
        except ImportError as e:
            raise ConfigError("RAG_LLM=openai:… needs llama-index-llms-openai-like") from e
        if not settings.llm_base_url:
            raise ConfigError(
                "RAG_LLM=openai:… needs RAG_LLM_BASE_URL, e.g. http://127.0.0.1:8000/v1"
            )
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
        return OpenAILike(
            model=target,
            api_base=settings.llm_base_url.rstrip("/"),
            api_key=key,
            is_chat_model=True,
            timeout=timeout,
            max_retries=0,
            temperature=0.0,
            max_tokens=settings.llm_max_tokens,
            context_window=8192,
        )
    if kind == "llamacpp":
        try:
            from llama_index.llms.llama_cpp import LlamaCPP
        except ImportError as e:
            raise ConfigError(
                "RAG_LLM=llamacpp:… needs the optional extra: pip install 'newsrag[llamacpp]' "
                "(compiles llama-cpp-python, ~10 minutes on 2 cores)"
            ) from e
        if not Path(target).is_file():
            raise ConfigError(f"RAG_LLM=llamacpp:{target}: no such GGUF file")
        return LlamaCPP(
            model_path=target,
            temperature=0.0,
            max_new_tokens=settings.llm_max_tokens,
            context_window=4096,
            verbose=False,
        )
    raise ConfigError(f"unknown RAG_LLM backend {kind!r}")


def _messages(system: str, user: str):
    from llama_index.core.llms import ChatMessage, MessageRole

    return [
        ChatMessage(role=MessageRole.SYSTEM, content=system),
        ChatMessage(role=MessageRole.USER, content=user),
    ]


def chat(llm, settings: Settings, system: str, user: str) -> str:
    try:
        reply = llm.chat(_messages(system, user))
    except Exception as e:  # every client raises its own types: connection, timeout, HTTP status
        raise LLMUnavailable(
            f"{describe(settings)} failed: {type(e).__name__}: {str(e)[:200]}"
        ) from e
    return reply.message.content or ""


def stream_chat(llm, settings: Settings, system: str, user: str) -> Iterator[str]:
    """Yield text deltas as the model produces them."""
    try:
        for part in llm.stream_chat(_messages(system, user)):
            if part.delta:
                yield part.delta
    except Exception as e:
        raise LLMUnavailable(
            f"{describe(settings)} failed: {type(e).__name__}: {str(e)[:200]}"
        ) from e
