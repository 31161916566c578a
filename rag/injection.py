"""Text in an article that speaks to an AI instead of reporting news ("ignore previous instructions").

Such sentences are still shown and quoted as article text; they are never counted as evidence for a
generated sentence, so a model that obeys them cannot pass verification by citing them.
"""

from __future__ import annotations

import re

_PATTERNS = [
    r"\b(?:ignore|disregard|forget)\s+(?:all\s+|any\s+|the\s+)?(?:previous|prior|above|earlier|your)\s+(?:instructions|prompts?|rules|directions)",
    r"(?:^|[\s>\]])(?:system|assistant|developer)\s*:",
    r"\b(?:note|message|instructions?)\s+(?:to|for)\s+(?:the\s+)?(?:ai|assistant|model|llm|chatbot)\b",
    r"\b(?:ai|language model|assistant|chatbot)\s*[,:]?\s+(?:you\s+)?(?:must|should|will)\b",
    r"\byou\s+(?:must|should|will)\s+(?:now\s+)?(?:answer|say|reply|respond|state|cite|tell)\b",
    r"\bfrom\s+now\s+on\b",
    r"\bnew\s+(?:rules|instructions)\b",
    r"^\W*(?:please\s+)?(?:say|state|reply|answer|respond|tell\s+the\s+user|write|cite)\b",
]
_INJECTION = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.I | re.M)


def looks_like_instruction(sentence: str) -> bool:
    return bool(_INJECTION.search(sentence))
