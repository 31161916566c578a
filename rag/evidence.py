"""Score every sentence of the retrieved chunks against the question.

support = how much of what was asked the sentence (read with its preceding sentence) covers:
idf-weighted term coverage blended with embedding similarity. has_answer_type = it holds a new value
of the asked-for kind. Both are needed to answer; either missing leads to an honest refusal.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from rag.question import (
    DATE,
    MANNER,
    NUMBER,
    OTHER,
    PERSON,
    PLACE,
    REASON,
    THING,
    Question,
    acronym,
    entities,
    has_unit,
    new_values,
    numbers,
    qualifier_values,
)
from rag.tokens import fold, stem, tokenize, words
from rag.types import Chunk, Evidence

# How a question term may be found: exactly, or sharing a long prefix ('offensive' ~ 'offense').
_PREFIX = 5
# A term found only in the preceding sentence counts this much: a name often stands in the sentence
# before ('It is led by ...'), while what happened must be said in the quoted sentence itself.
_CONTEXT_WEIGHT_NAME, _CONTEXT_WEIGHT_PREDICATE = 0.9, 0.4
_DENSE_FLOOR, _DENSE_CEIL = 0.15, 0.75
# The hand-set gates (rag.settings.AnswerSettings defaults): a feature of the learned decision.
_RULES_SUPPORT, _RULES_COVERAGE = 0.42, 0.5


def _matches(term: str, tokens: frozenset[str], prefixes: frozenset[str]) -> float:
    if term in tokens:
        return 1.0
    if len(term) >= _PREFIX + 1 and term[:_PREFIX] in prefixes:
        return 0.8
    return 0.0


Bag = tuple[frozenset[str], frozenset[str]]  # tokens and their long prefixes


def bag(tokens: list[str] | tuple[str, ...] | set[str]) -> Bag:
    s = frozenset(tokens)
    return s, frozenset(t[:_PREFIX] for t in s if len(t) >= _PREFIX + 1)


@lru_cache(maxsize=1 << 15)
def _text_bag(text: str) -> Bag:
    return bag(tokenize(text))


def _union(a: Bag, b: Bag) -> Bag:
    return a[0] | b[0], a[1] | b[1]


_EMPTY: Bag = (frozenset(), frozenset())


def coverage(
    terms: tuple[str, ...],
    idf: Callable[[str], float],
    sentence: Bag,
    context: Bag = _EMPTY,
    named: frozenset[str] = frozenset(),
    setting: Bag | None = None,
) -> float:
    """idf-weighted share of ``terms`` found. What happened must be in the sentence (or, weaker, the
    one before, ``context``); a name may also be set by the passage so far or the article's title
    (``setting``)."""
    if not terms:
        return 0.0
    setting = setting or context
    total = got = 0.0
    for t in terms:
        w = idf(t)
        total += w
        found = _matches(t, *sentence)
        if found < 1.0:
            if t in named:
                found = max(
                    found,
                    _CONTEXT_WEIGHT_NAME * max(_matches(t, *setting), _matches(t, *context)),
                )
            else:
                found = max(found, _CONTEXT_WEIGHT_PREDICATE * _matches(t, *context))
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
    found = _anchor_words(sentence) | _anchor_words(context)
    return all(_mentions(e, found) for e in q.entities)


@lru_cache(maxsize=1 << 15)
def _anchor_words(text: str) -> frozenset[str]:
    """A text's words, their stems and the acronyms of its names (cached: seen by many questions)."""
    found = set(words(text))
    found |= {stem(w) for w in found}
    found |= {acronym(e) for e in entities(text) if len(e) > 1}
    return frozenset(found)


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


def _aliases(
    q: Question, sentence: str, defined: dict[str, tuple[str, ...]] | None = None
) -> list[str]:
    """Tokens a name stands for here: a question's 'Hayat Tahrir al-Sham' is present where the sentence
    says 'HTS', and the reverse; with the acronyms the article defines ('... for Human Rights (SOHR)'),
    a question's 'SOHR' is present where the sentence spells the name out, and the reverse."""
    ws = set(words(sentence))
    out: list[str] = []
    for e in q.entities:
        if len(e) > 1 and acronym(e) in ws:
            out.extend(tokenize(" ".join(e)))
    out.extend(acronym(e) for e in entities(sentence) if len(e) > 1)
    for short, long in (defined or {}).items():
        if short in ws:
            out.extend(tokenize(" ".join(long)))
        elif all(w in ws for w in long):
            out.append(short)
    return out


def _near_terms(
    sentence: str, values: tuple[str, ...], terms: tuple[str, ...], reach: int = 40
) -> bool:
    """A value of the asked-for kind stands close to a word of the question ('led by <name>')."""
    low = fold(sentence)
    term_pos = [i for i, st in _stems_at(low) if st in terms]
    if not term_pos:
        return False
    for v in values:
        word = v.split()[0] if v[:1].isalpha() else v
        i = low.find(word[:20])
        if i >= 0 and any(abs(i - p) <= reach for p in term_pos):
            return True
    return False


@lru_cache(maxsize=1 << 15)
def _stems_at(low: str) -> tuple[tuple[int, str], ...]:
    return tuple((m.start(), stem(m.group())) for m in re.finditer(r"[^\W_]+", low))


@lru_cache(maxsize=1 << 15)
def _words_and_stems(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    ws = tuple(words(text))
    return ws, tuple(stem(w) for w in ws)


def dense_support(similarity: float) -> float:
    return min(1.0, max(0.0, (similarity - _DENSE_FLOOR) / (_DENSE_CEIL - _DENSE_FLOOR)))


_CAUSE = re.compile(
    r"\b(?:because|due to|owing to|as a result|in order to|so that|so as to|after|amid|following|"
    r"citing|cited|blamed|caused|reason|aimed? (?:at|to)|to (?:curb|stop|prevent|protect|avoid|reduce|boost|"
    r"fight|tackle|ease|cool|support|cut|meet|allow|help|ensure|keep|save|end)|since|as)\b",
    re.I,
)
_MEANS = re.compile(
    r"\b(?:by|using|used|through|with|via|after|when|forced|managed|broke|climbed|cut|posing|disguised)\b",
    re.I,
)
_REFERS = re.compile(
    r"^\s*[\"“]?(?:he|she|they|it|his|her|their|its|this|these|those|the (?:group|ministry|company|"
    r"agency|minister|official|court|team|club|bank|board|union|government|police|army|firm|council|"
    r"party|authority|organisation|organization|spokesman|spokeswoman))\b",
    re.I,
)
_SPEECH = re.compile(
    r"\b(?:said|says|told|added|stated|argued|warned|insisted|wrote|according)\b|[\"“”]"
)

# Features of one sentence against the question, in this order; rag.model weighs them.
FEATURES = (
    "dense",
    "dense_support",
    "coverage",
    "coverage_sentence",
    "coverage_predicate",
    "anchored",
    "entities_in_sentence",
    "needs_value",
    "typed",
    "typed_missing",
    "value_near_terms",
    "focus_in_sentence",
    "qualifier_match",
    "qualifier_conflict",
    "cause_cue",
    "means_cue",
    "speech",
    "rank",
    "wellformed",
    "statement",
    "log_words",
    "kind_reason",
    "kind_manner",
    "kind_other",
    "keyword_query",
    "counts_the_thing",
    "has_value",
    "dense_previous",
    "dense_gap",
    "coverage_gap",
    "dense_rank",
    "missing_term",
    "unit_match",
    "terms_near_value",
    "qualifier_conflict_around",
    "qualifier_missing",
    "support",
    "rules_pass",
    "entity_of_kind",
    "refers_back",
    "kind_date",
    "kind_number",
    "kind_person",
    "kind_place",
    "kind_thing",
)


def _terms_near_value(
    sentence: str,
    values: tuple[str, ...],
    terms: tuple[str, ...],
    idf: Callable[[str], float],
    reach: int = 6,
) -> float:
    """idf-weighted share of the question's terms within ``reach`` words of a value of the asked-for
    kind, for the value where it is highest: in 'Brannock received four years, and BCW was fined $3.2
    million', the amount stands by 'BCW' and 'fined', not by 'Brannock'."""
    if not values or not terms:
        return 0.0
    ws, toks = _words_and_stems(sentence)
    total = sum(idf(t) for t in terms) or 1.0
    best = 0.0
    for v in values:
        head = re.findall(r"[^\W_]+", v)
        if not head:
            continue
        for i, w in enumerate(ws):
            same = w == head[0] or (w.startswith(head[0]) and len(head[0]) >= 3)
            # '$250,000' is the words '250', '000' and the value '250000'
            if not same and not (w.isdigit() and head[0].isdigit() and head[0].startswith(w)):
                continue
            window = set(toks[max(0, i - reach) : i + reach + len(head)])
            got = sum(idf(t) for t in terms if t in window)
            best = max(best, got / total)
    return round(best, 4)


def _missing(terms: tuple[str, ...], idf: Callable[[str], float], have: Bag) -> float:
    """The weight of the rarest question term that neither the sentence nor what leads up to it uses,
    relative to the question's rarest term: 'How many trucks were seized?' against 'the militia seized
    the port' misses 'trucks', the very thing asked about."""
    if not terms:
        return 0.0
    top = max(idf(t) for t in terms) or 1.0
    gone = [idf(t) for t in terms if not _matches(t, *have)]
    return max(gone, default=0.0) / top


# spaCy's labels for each kind of answer (rag.annotate); a number's unit narrows them.
_ENTITY_LABELS = {
    DATE: {"DATE", "TIME"},
    NUMBER: {"CARDINAL", "MONEY", "PERCENT", "QUANTITY"},
    PLACE: {"GPE", "LOC", "FAC"},
    PERSON: {"PERSON", "ORG", "NORP"},
    THING: {"PRODUCT", "FAC", "WORK_OF_ART", "ORG", "EVENT", "LAW", "PERSON", "GPE", "LOC"},
}
_UNIT_LABELS = {
    "money": {"MONEY"},
    "percent": {"PERCENT"},
    "age": {"DATE", "CARDINAL"},
    "duration": {"DATE", "TIME", "QUANTITY"},
}


def entity_labels(q: Question) -> frozenset[str]:
    """The entity labels an answer to ``q`` would carry (empty for why/how/what-did questions)."""
    if q.kind == NUMBER and q.unit in _UNIT_LABELS:
        return frozenset(_UNIT_LABELS[q.unit])
    return frozenset(_ENTITY_LABELS.get(q.kind, ()))


def _entity_of_kind(
    ents: tuple[tuple[int, int, str], ...],
    span,
    chunk: Chunk,
    labels: frozenset[str],
    given: set[str],
) -> float:
    """1 when the sentence holds an entity of a label the question asks for that the question does
    not already name."""
    if not labels or not ents:
        return 0.0
    i = bisect_left(ents, (span.start, -1, ""))
    while i < len(ents) and ents[i][0] < span.end:
        a, b, label = ents[i]
        i += 1
        if b > span.end or label not in labels:
            continue
        text = chunk.text[a - chunk.start : b - chunk.start]
        if not all(w in given for w in words(text)):
            return 1.0
    return 0.0


@lru_cache(maxsize=1 << 15)
def _acronyms(text: str) -> tuple[str, ...]:
    return tuple(acronym(e) for e in entities(text) if len(e) > 1)


def _qualifier_class(v: str) -> str:
    """'y2023' -> 'y', 'q3' -> 'q', 'm03-d14' -> 'm', 'round:second' -> 'round:'."""
    return v.split(":")[0] + ":" if ":" in v else v[0]


def _qualifier_features(q: Question, sentence: str, setting: str) -> tuple[float, float]:
    """(share of the question's qualifiers the sentence or its setting states, whether the sentence
    states another value of the same kind instead: '2022' where 2023 was asked)."""
    if not q.qualifiers:
        return 0.0, 0.0
    here = qualifier_values(sentence)
    around = qualifier_values(setting) | here
    found = sum(1 for v in q.qualifiers if v in around) / len(q.qualifiers)
    conflict = 0.0
    for v in q.qualifiers:
        if v not in here and any(
            h != v and _qualifier_class(h) == _qualifier_class(v) for h in here
        ):
            conflict = 1.0
    return found, conflict


_I = {name: i for i, name in enumerate(FEATURES)}


def _relative(x: np.ndarray) -> None:
    """Fill in how each sentence compares with the best candidate for this question: absolute
    similarity means little across questions (a long question matches everything less), the gap to the
    best one more."""
    if not len(x):
        return
    ok = x[:, _I["statement"]] > 0
    pool = x[ok] if ok.any() else x
    dense = x[:, _I["dense"]]
    x[:, _I["dense_gap"]] = dense - pool[:, _I["dense"]].max()
    x[:, _I["coverage_gap"]] = x[:, _I["coverage"]] - pool[:, _I["coverage"]].max()
    order = np.unique(pool[:, _I["dense"]])[::-1]  # distinct similarities, best first
    place = np.searchsorted(-order, -dense)
    x[:, _I["dense_rank"]] = 1.0 / (1.0 + place)


def question_features(q: Question) -> list[float]:
    """What the 'none of them' option of the choice model sees (rag.model.QUESTION_FEATURES)."""
    kinds = (DATE, NUMBER, PLACE, PERSON, THING, REASON, MANNER, OTHER)
    return [
        1.0,
        *(float(q.kind == k) for k in kinds),
        float(q.keyword),
        float(bool(q.qualifiers)),
        float(bool(q.entities)),
    ]


def choose(
    model, q: Question, x: np.ndarray, texts: list[str] | None = None
) -> tuple[np.ndarray, float]:
    """The choice model (rag.model.Choice) on a question's candidates (rows of features): each
    sentence's probability of being the one that answers, scaled by how well formed it reads
    (fragments and questions are never chosen), and the probability that some sentence answers.

    Copies of one sentence (``texts``: a reprint, a wire story carried by several outlets) are one
    candidate, represented by the copy the model likes best, and every copy gets its probability:
    ten copies are not ten times the evidence (nor a tenth of it each)."""
    usable = x[:, _I["statement"]] > 0
    keys = [" ".join(fold(t).split()) for t in texts] if texts is not None else None
    if keys is not None and len(set(keys)) < len(keys):
        utility = model.utilities(x)
        best: dict[str, int] = {}
        for i, k in enumerate(keys):
            if usable[i] and (k not in best or utility[i] > utility[best[k]]):
                best[k] = i
        chosen = usable & np.array([best.get(k) == i for i, k in enumerate(keys)])
        none, p = model.probabilities(x, np.array(question_features(q)), chosen)
        p = np.array([p[best[k]] if usable[i] else 0.0 for i, k in enumerate(keys)])
    else:
        none, p = model.probabilities(x, np.array(question_features(q)), usable)
    return p * x[:, _I["wellformed"]], round(1.0 - none, 4)


def apply_model(model, q: Question, evidence: list[Evidence]) -> list[Evidence]:
    """Evidence scored again by the choice model (see choose), best first."""
    if not evidence:
        return evidence
    scores, answerable = choose(
        model,
        q,
        np.array([e.features for e in evidence], dtype=np.float64),
        [e.text for e in evidence],
    )
    out = [
        replace(e, score=round(float(sc), 3), answerable=answerable)
        for e, sc in zip(evidence, scores.tolist(), strict=True)
    ]
    out.sort(key=lambda e: (-e.score, e.doc_id, e.start))
    return out


class _Candidate(NamedTuple):
    """A candidate sentence while it is scored."""

    chunk: Chunk
    start: int
    end: int
    text: str
    rank: float  # the chunk's fused retrieval score
    support: float
    coverage: float
    typed: bool  # holds a value of the kind asked for
    values: tuple[str, ...]
    near: bool  # a value of the asked-for kind stands close to a word of the question


def score_sentences(
    q: Question,
    terms: tuple[str, ...],
    qvec: np.ndarray,
    chunks: list[tuple[Chunk, np.ndarray, float]],
    idf: Callable[[str], float],
    titles: dict[str, str] | None = None,
    wellformed: Callable[[str, str], float] | None = None,
    model=None,
    defined: dict[str, dict[str, tuple[str, ...]]] | None = None,
    entities: dict[str, tuple[tuple[int, int, str], ...]] | None = None,
) -> list[Evidence]:
    """Evidence for every sentence of ``chunks`` ((chunk, sentence vectors, fused rank score)), best
    first, each with the features of ``FEATURES``. ``wellformed(doc_id, sentence)`` in [0, 1] scales a
    sentence's support: how much it reads like prose rather than words thrown together (see
    rag.phrases). ``model`` (a rag.model.Choice) gives each sentence's score: the probability that it is
    the sentence that answers (see apply_model); without one, the hand-set blend of support, rank and
    answer type.
    ``defined``: per document, the acronyms it defines (rag.question.definitions); ``entities``: per
    document, its named entities (rag.annotate)."""
    titles = titles or {}
    idf = lru_cache(maxsize=None)(idf)  # a few terms, looked up for every sentence
    # The words that say what happened ('lead', 'enter'), as opposed to whom it is about.
    named = frozenset(t for e in q.entities for t in tokenize(" ".join(e)))
    predicate = tuple(t for t in terms if t not in named)
    needs_value = q.kind not in (OTHER, REASON, MANNER)
    kind_flags = [float(q.kind == REASON), float(q.kind == MANNER), float(q.kind == OTHER)]
    value_kinds = [float(q.kind == k) for k in (DATE, NUMBER, PERSON, PLACE, THING)]
    labels = entity_labels(q)
    given = set(words(q.text))
    rows: list[_Candidate] = []
    feats: list[list[float]] = []
    for chunk, vecs, rank_score in chunks:
        sims = vecs @ qvec if len(vecs) else np.zeros(0)
        prev = _EMPTY
        for i, span in enumerate(chunk.sentences):
            a, b = span.start - chunk.start, span.end - chunk.start
            text = chunk.text[a:b]
            here = _text_bag(text)
            aliases = _aliases(q, text, (defined or {}).get(chunk.doc_id))
            if aliases:
                here = _union(here, bag(aliases))
            # Names set the scene from the title, the paragraph so far and the sentence before; not from
            # earlier paragraphs, which may be about something else entirely. A line break ends a
            # paragraph (many pages separate paragraphs with one newline).
            para = chunk.text.rfind("\n", 0, a) + 1
            if i:
                para = min(para, chunk.sentences[i - 1].start - chunk.start)
            setting_text = titles.get(chunk.doc_id, "") + "\n" + chunk.text[para:a]
            setting = (
                _union(_text_bag(setting_text), bag(_acronyms(setting_text))) if named else None
            )
            lex = coverage(terms, idf, here, prev, named, setting)
            lex_sentence = coverage(terms, idf, here)
            lex_predicate = coverage(predicate, idf, here, prev) if predicate else lex
            missing = _missing(terms, idf, _union(_union(here, prev), setting or _EMPTY))
            is_anchored = anchored(q, text, setting_text)
            ents_here = (
                sum(_mentions(e, set(here[0]) | set(words(text))) for e in q.entities)
                / len(q.entities)
                if q.entities
                else 1.0
            )
            prev = here
            dense = float(sims[i])
            weight = wellformed(chunk.doc_id, text) if wellformed is not None else 1.0
            support = 0.6 * (lex if is_anchored else 0.0) + 0.4 * dense_support(dense)
            values = new_values(q, text)
            # 'He declared a state of emergency.': who 'he' is stands in the sentence before; when only
            # that sentence holds the asked-for value, both are quoted (still one verbatim span).
            refers = bool(i) and bool(_REFERS.match(text))
            start = span.start
            if refers and needs_value and not values:
                before = chunk.text[chunk.sentences[i - 1].start - chunk.start : a]
                values = new_values(q, before)
                if values:
                    start = chunk.sentences[i - 1].start
                    text = before + text
            counted = counts_the_thing(q, text)
            typed = not needs_value or (bool(values) and counted)
            near = bool(values) and _near_terms(text, values, predicate)
            if (
                typed
                and needs_value
                and q.kind in (PERSON, PLACE, THING)
                and predicate
                and not near
            ):
                typed = False
            # Short fragments, headings and captions (no closing punctuation) and questions are not
            # statements to quote.
            tail = text.rstrip("\"'”’)] ")
            statement = len(text.split()) >= 5 and tail.endswith((".", "!"))
            support = support * weight if statement else 0.0
            q_found, q_conflict = _qualifier_features(q, text, setting_text)
            q_around = _qualifier_features(q, setting_text, "")[1] if not q_found else 0.0
            feats.append(
                [
                    dense,
                    dense_support(dense),
                    lex,
                    lex_sentence,
                    lex_predicate,
                    float(is_anchored),
                    ents_here,
                    float(needs_value),
                    float(typed and needs_value),
                    float(needs_value and not typed),
                    float(near),
                    float(bool(q.focus) and q.focus in here[0]),
                    q_found,
                    q_conflict,
                    float(q.kind == REASON and bool(_CAUSE.search(text))),
                    float(q.kind == MANNER and bool(_MEANS.search(text))),
                    float(bool(_SPEECH.search(text))),
                    rank_score,
                    weight,
                    float(statement),
                    float(np.log1p(len(text.split()))),
                    *kind_flags,
                    float(q.keyword),
                    float(bool(q.counted) and counted),
                    float(bool(values)),
                    float(sims[i - 1]) if i else 0.0,
                    0.0,  # dense_gap, coverage_gap, dense_rank: filled in against all candidates
                    0.0,
                    0.0,
                    missing,
                    float(not q.unit or has_unit(q.unit, text)),
                    _terms_near_value(text, values, terms, idf) if needs_value else 0.0,
                    q_around,
                    float(bool(q.qualifiers)) * (1.0 - q_found),
                    support,
                    # The hand-set gates this project answered by before the learned decision.
                    float(support >= _RULES_SUPPORT and lex >= _RULES_COVERAGE and typed),
                    _entity_of_kind(
                        (entities or {}).get(chunk.doc_id, ()), span, chunk, labels, given
                    ),
                    float(refers),
                    *value_kinds,
                ]
            )
            rows.append(
                _Candidate(
                    chunk, start, span.end, text, rank_score, support, lex, typed, values, near
                )
            )
    x = np.array(feats, dtype=np.float64).reshape(len(feats), len(FEATURES))
    _relative(x)
    # Rounded: collection-wide statistics (idf, fused ranks) drift a little whenever any document is
    # added; an answer must not flip on that noise, only on real differences.
    x = np.round(x, 4)
    answerable = 0.0
    if model is not None and len(rows):
        scores, answerable = choose(model, q, x, [r.text for r in rows])
    else:
        scores = np.array(
            [
                r.support
                + 0.05 * r.rank
                + (0.08 if r.typed and needs_value else 0.0)
                + (0.1 if r.near else 0.0)
                for r in rows
            ]
        )
    out = []
    for r, f, score in zip(rows, x.tolist(), scores.tolist(), strict=True):
        out.append(
            Evidence(
                r.chunk.doc_id,
                r.chunk.chunk_id,
                r.start,
                r.end,
                r.text,
                round(score, 3),
                round(r.support, 2),
                round(r.coverage, 2),
                r.typed,
                r.values,
                tuple(f),
                answerable,
            )
        )
    out.sort(key=lambda e: (-e.score, e.doc_id, e.start))
    return out
