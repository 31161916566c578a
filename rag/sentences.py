"""Sentence splitting with offsets. Rule based: fast, deterministic, no model."""

from __future__ import annotations

import re

from rag.types import Span
from rag.vocab import MONTH_ABBREVIATIONS

# End punctuation, optional closing quotes/brackets, then space, then something that can start a sentence.
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"“‘'(\[]{0,2}[A-Z0-9À-Ý])")
# Words a full stop follows without ending the sentence: titles, company forms, month abbreviations.
_ABBREVIATIONS = set(
    """
    mr mrs ms dr prof st gen col lt sgt capt maj gov sen rep pres jr sr inc ltd co corp vs etc
    no nos fig approx u.s u.k u.n e.g i.e a.m p.m mt ft ave rev hon adm cmdr
    """.split()
) | (set(MONTH_ABBREVIATIONS) - {"may"})  # 'in May.' ends a sentence
_LAST_TOKEN = re.compile(r"([\w.]+)\.$")


def _is_abbreviation(text: str, dot_end: int) -> bool:
    m = _LAST_TOKEN.search(text, max(0, dot_end - 12), dot_end)
    if not m:
        return False
    token = m.group(1).lower()
    # A single letter before the dot is an initial ("Abu M. al-Julani").
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def split_sentences(text: str, span: Span | None = None) -> list[Span]:
    """Split ``text[span]`` into sentence spans (trimmed, offsets into ``text``)."""
    start, end = (span.start, span.end) if span else (0, len(text))
    out: list[Span] = []
    cur = start
    for m in _BOUNDARY.finditer(text, start, end):
        punct_end = m.start() + len(m.group().rstrip("\"'”’)]"))
        if (
            m.group().startswith(".")
            and not m.group().startswith("...")
            and _is_abbreviation(text, punct_end)
        ):
            continue
        _append(text, cur, m.end(), out)
        cur = m.end()
    _append(text, cur, end, out)
    return out


def _append(text: str, a: int, b: int, out: list[Span]) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        out.append(Span(a, b))
