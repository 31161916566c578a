"""Score every sentence of the retrieved chunks against the question.

support = how much of what was asked the sentence (read with its preceding sentence) covers:
idf-weighted term coverage blended with embedding similarity. has_answer_type = it holds a new value
of the asked-for kind. Both are needed to answer; either missing leads to an honest refusal.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from rag.question import OTHER, PERSON, PLACE, Question, acronym, entities, new_values, numbers
from rag.tokens import fold, stem, tokenize, words
from rag.types import Chunk, Evidence

# How a question term may be found: exactly, or sharing a long prefix ('offensive' ~ 'offense').
_PREFIX = 5
# A term found only in the preceding sentence counts this much: a name often stands in the sentence
# before ('It is led by ...'), while what happened must be said in the quoted sentence itself.
_CONTEXT_WEIGHT_NAME, _CONTEXT_WEIGHT_PREDICATE = 0.9, 0.4
_DENSE_FLOOR, _DENSE_CEIL = 0.15, 0.75


def _matches(term: str, tokens: set[str], prefixes: set[str]) -> float:
    if term in tokens:
        return 1.0
    if len(term) >= _PREFIX + 1 and term[:_PREFIX] in prefixes:
        return 0.8
    return 0.0


def _prefixes(tokens: set[str]) -> set[str]:
    return {t[:_PREFIX] for t in tokens if len(t) >= _PREFIX + 1}


def coverage(
    terms: tuple[str, ...],
    idf: Callable[[str], float],
    sentence: list[str],
    context: list[str],
    named: frozenset[str] = frozenset(),
    setting: list[str] | None = None,
) -> float:
    """idf-weighted share of ``terms`` found. What happened must be in the sentence (or, weaker, the
    one before); a name may also be set by the passage so far or the article's title (``setting``)."""
    if not terms:
        return 0.0
    s_tok, c_tok, n_tok = set(sentence), set(context), set(setting or context)
    s_pre, c_pre, n_pre = _prefixes(s_tok), _prefixes(c_tok), _prefixes(n_tok)
    total = got = 0.0
    for t in terms:
        w = idf(t)
        total += w
        if t in named:
            found = max(
                _matches(t, s_tok, s_pre),
                _CONTEXT_WEIGHT_NAME * _matches(t, n_tok | c_tok, n_pre | c_pre),
            )
        else:
            found = max(
                _matches(t, s_tok, s_pre), _CONTEXT_WEIGHT_PREDICATE * _matches(t, c_tok, c_pre)
            )
        got += w * found
    return got / total if total else 0.0


def _mentions(entity: tuple[str, ...], words: set[str]) -> bool:
    """Any word of the name, or its acronym ('hayat tahrir sham' ~ 'hts'), or a long prefix of a word."""
    if any(w in words or stem(w) in words for w in entity) or (
        len(entity) > 1 and acronym(entity) in words
    ):
        return True
    return any(len(w) >= 6 and any(x.startswith(w[:5]) for x in words) for w in entity)


def anchored(q: Question, sentence: str, context: str) -> bool:
    """Every name the question is about is mentioned in the sentence or what leads up to it
    (earlier in the passage, or the article's title)."""
    if not q.entities:
        return True
    found = set(words(sentence)) | set(words(context))
    found |= {stem(w) for w in found}
    found |= {acronym(e) for e in entities(sentence + " " + context) if len(e) > 1}
    return all(_mentions(e, found) for e in q.entities)


def counts_the_thing(q: Question, sentence: str) -> bool:
    """For 'how many X': some number in the sentence is followed closely by X."""
    if not q.counted:
        return True
    toks = [stem(w) for w in words(sentence)]
    for i, w in enumerate(words(sentence)):
        if numbers(w) or w in ("dozens", "hundreds", "thousands"):
            window = toks[i + 1 : i + 7]
            if any(
                c in window or any(len(c) >= 6 and t.startswith(c[:5]) for t in window)
                for c in q.counted
            ):
                return True
    return False


def _aliases(q: Question, sentence: str) -> list[str]:
    """Tokens a name stands for here: a question's 'Hayat Tahrir al-Sham' is present where the sentence says 'HTS', and the reverse."""
    ws = set(words(sentence))
    out: list[str] = []
    for e in q.entities:
        if len(e) > 1 and acronym(e) in ws:
            out.extend(tokenize(" ".join(e)))
    out.extend(acronym(e) for e in entities(sentence) if len(e) > 1)
    return out


def _near_terms(
    sentence: str, values: tuple[str, ...], terms: tuple[str, ...], reach: int = 40
) -> bool:
    """A value of the asked-for kind stands close to a word of the question ('led by <name>')."""
    low = fold(sentence)
    term_pos = [m.start() for m in re.finditer(r"[^\W_]+", low) if stem(m.group()) in terms]
    if not term_pos:
        return False
    for v in values:
        word = v.split()[0] if v[:1].isalpha() else v
        i = low.find(word[:20])
        if i >= 0 and any(abs(i - p) <= reach for p in term_pos):
            return True
    return False


def dense_support(similarity: float) -> float:
    return float(np.clip((similarity - _DENSE_FLOOR) / (_DENSE_CEIL - _DENSE_FLOOR), 0.0, 1.0))


def score_sentences(
    q: Question,
    terms: tuple[str, ...],
    qvec: np.ndarray,
    chunks: list[tuple[Chunk, np.ndarray, float]],
    idf: Callable[[str], float],
    titles: dict[str, str] | None = None,
    wellformed: Callable[[str, str], float] | None = None,
) -> list[Evidence]:
    """Evidence for every sentence of ``chunks`` ((chunk, sentence vectors, fused rank score)), best
    first. ``wellformed(doc_id, sentence)`` in [0, 1] scales a sentence's support: how much it reads
    like prose rather than words thrown together (see rag.phrases)."""
    titles = titles or {}
    out: list[Evidence] = []
    # The words that say what happened ('lead', 'enter'), as opposed to whom it is about.
    named = frozenset(t for e in q.entities for t in tokenize(" ".join(e)))
    predicate = tuple(t for t in terms if t not in named)
    for chunk, vecs, rank_score in chunks:
        sims = vecs @ qvec if len(vecs) else np.zeros(0)
        prev_tokens: list[str] = []
        for i, span in enumerate(chunk.sentences):
            a, b = span.start - chunk.start, span.end - chunk.start
            text = chunk.text[a:b]
            toks = tokenize(text) + _aliases(q, text)
            # Names set the scene from the title, the paragraph so far and the sentence before; not from
            # earlier paragraphs, which may be about something else entirely.
            para = chunk.text.rfind("\n\n", 0, a) + 1
            if i:
                para = min(para, chunk.sentences[i - 1].start - chunk.start)
            setting_text = titles.get(chunk.doc_id, "") + "\n" + chunk.text[para:a]
            setting = (
                tokenize(setting_text) + [acronym(e) for e in entities(setting_text) if len(e) > 1]
                if named
                else None
            )
            lex = coverage(terms, idf, toks, prev_tokens, named, setting)
            if not anchored(q, text, setting_text):
                lex = 0.0
            prev_tokens = toks
            dense = dense_support(float(sims[i]))
            support = 0.6 * lex + 0.4 * dense
            values = new_values(q, text)
            typed = q.kind == OTHER or (bool(values) and counts_the_thing(q, text))
            if (
                typed
                and q.kind in (PERSON, PLACE)
                and predicate
                and not _near_terms(text, values, predicate)
            ):
                typed = False
            # Short fragments, headings and captions (no closing punctuation) and questions are not
            # statements to quote.
            tail = text.rstrip("\"'”’)] ")
            if len(text.split()) < 5 or not tail.endswith((".", "!")):
                support = 0.0
            elif wellformed is not None and support > 0:
                support *= wellformed(chunk.doc_id, text)
            score = support + 0.05 * rank_score + (0.08 if typed and q.kind != OTHER else 0.0)
            if values and _near_terms(text, values, predicate):
                score += 0.1
            # Rounded: collection-wide statistics (idf, fused ranks) drift a little whenever any
            # document is added; an answer must not flip on that noise, only on real differences.
            out.append(
                Evidence(
                    chunk.doc_id,
                    chunk.chunk_id,
                    span.start,
                    span.end,
                    text,
                    round(score, 2),
                    round(support, 2),
                    round(lex, 2),
                    typed,
                    values,
                )
            )
    out.sort(key=lambda e: (-e.score, e.doc_id, e.start))
    return out
