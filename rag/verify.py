"""Check each generated sentence against the passages it cites.

A sentence is supported when (1) it cites at least one real source, (2) every date, number and name
it states appears in what it cites (passage text or the source's own metadata), and (3) its content
agrees with the passages: enough of its words are theirs, or it is close to one of their sentences in
embedding space while sharing a fair part of its words. No NLI model is installed here, so
entailment is approximated by (2) and (3); a paraphrase with new facts fails (2), a fabricated claim
fails (3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from rag.evidence import dense_support
from rag.question import dates, names, numbers
from rag.tokens import fold, tokenize
from rag.vocab import DAY_MONTH, MONTH_DAY, SMALL_NUMBERS, TENS, month_name

# Words an answer may add around quoted facts without claiming anything new.
_FRAME = frozenset(
    tokenize(
        "according report reported reports say says said state states stated source sources article articles "
        "claim claims claimed differ differs disagree however while also both whereas but give gives given "
        "describe describes described write writes wrote mention mentions mentioned note notes noted"
    )
)
# Number words as digits: 'three' -> '3', 'forty' -> '40'.
_NUMBER_WORDS = {"zero": "0"} | SMALL_NUMBERS | TENS

MIN_LEXICAL = 0.6  # share of the sentence's content words found in the cited passages
MIN_LEXICAL_WITH_DENSE = 0.35
MIN_DENSE = 0.6  # dense_support() of the closest cited sentence


@dataclass(frozen=True, slots=True)
class SourcePassage:
    """What a sentence may rest on: a source's text plus what its metadata states."""

    text: str
    meta_text: str  # outlet, author, title, date
    sentence_texts: tuple[str, ...]
    sentence_vectors: np.ndarray  # (n, dim), normalised


def _numbers(text: str) -> set[str]:
    """Counts and amounts, not the day of a date (that is checked as a date)."""
    text = MONTH_DAY.sub(" ", DAY_MONTH.sub(" ", text))
    return {_NUMBER_WORDS.get(n, n) for n in numbers(text)}


def _exact_dates(text: str) -> set[str]:
    return {d for d in dates(text) if not d.startswith("rel:")}


def _iso_dates(text: str) -> set[str]:
    out = set()
    for y, m, d in re.findall(r"\b(\d{4})-(\d{2})-(\d{2})\b", text):
        out |= {f"y{y}", f"m{m}-d{d}", f"m{m}"}
    return out


_NEGATION = re.compile(
    r"\b(?:not|never|no|neither|nor|none|nobody|nothing|cannot|without|denied|denies)\b|n[’']t\b",
    re.I,
)


def value_problems(sentence: str, passages: list[SourcePassage]) -> list[str]:
    """Dates, numbers and names the sentence states that none of its cited passages contain, and a
    negation the passages do not have (word overlap alone cannot tell 'left' from 'never left')."""
    body = "\n".join(p.text for p in passages)
    meta = "\n".join(p.meta_text for p in passages)
    problems = []
    if _NEGATION.search(sentence) and not _NEGATION.search(body):
        problems.append("negation not in the cited passages")
    have_dates = _exact_dates(body) | _exact_dates(meta) | _iso_dates(meta)
    have_months = {d.split("-")[0] for d in have_dates if d.startswith("m")}
    for d in _exact_dates(sentence):
        if d not in have_dates and not (len(d) == 3 and d in have_months):
            problems.append(f"date not in the cited passages: {_readable(d)}")
    have_numbers = _numbers(body) | _numbers(meta)
    problems += [
        f"number not in the cited passages: {n}" for n in sorted(_numbers(sentence) - have_numbers)
    ]
    haystack = fold(body + "\n" + meta)
    have_tokens = set(tokenize(body + " " + meta))
    for name in names(sentence):
        if name in haystack:
            continue
        words = [w for w in tokenize(name) if w not in ("al", "el")]
        if words and all(w in have_tokens for w in words):
            continue
        problems.append(f"name not in the cited passages: {name}")
    return problems


def _readable(d: str) -> str:
    if d.startswith("y"):
        return d[1:]
    m = re.match(r"m(\d\d)(?:-d(\d\d))?", d)
    if not m:
        return d
    month = month_name(int(m.group(1))) if 0 < int(m.group(1)) <= 12 else m.group(1)
    return f"{int(m.group(2))} {month}" if m.group(2) else month


def lexical_support(sentence: str, passages: list[SourcePassage]) -> float:
    words = [w for w in tokenize(sentence) if w not in _FRAME]
    if not words:
        return 0.0
    have = set(tokenize("\n".join(p.text + "\n" + p.meta_text for p in passages)))
    return sum(w in have for w in words) / len(words)


def dense_agreement(vector: np.ndarray, passages: list[SourcePassage]) -> float:
    sims = [float(np.max(p.sentence_vectors @ vector)) for p in passages if len(p.sentence_vectors)]
    return dense_support(max(sims)) if sims else 0.0


def check(
    sentence: str, passages: list[SourcePassage], vector: np.ndarray
) -> tuple[bool, float, list[str]]:
    """(supported, support 0..1, problems) for one sentence (markers removed) and its cited passages."""
    if not passages:
        return False, 0.0, ["cites no source"]
    problems = value_problems(sentence, passages)
    lex = lexical_support(sentence, passages)
    dense = dense_agreement(vector, passages)
    support = round(0.6 * lex + 0.4 * dense, 3)
    agrees = lex >= MIN_LEXICAL or (dense >= MIN_DENSE and lex >= MIN_LEXICAL_WITH_DENSE)
    if not agrees:
        problems.append(
            f"content not found in the cited passages (word overlap {lex:.2f}, similarity {dense:.2f})"
        )
    return not problems, support, problems
