"""Compose an answer from evidence: verbatim sentences with [n] markers, or an honest refusal.

Pure: takes scored evidence and document metadata, returns an Answer. No model, no store.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from rag.evidence import FEATURES
from rag.model import Decision
from rag.question import DATE, MANNER, NUMBER, OTHER, PERSON, PLACE, REASON, THING, Question
from rag.settings import AnswerSettings
from rag.tokens import tokenize
from rag.types import Answer, Citation, Document, Evidence
from rag.vocab import month_name

NOT_FOUND = "The sources don't say."
UNCONFIRMED = "Not confirmed: the closest passages, which may not answer the question:"
_KIND_NAMES = {
    DATE: "a date",
    NUMBER: "a number",
    PLACE: "a place",
    PERSON: "a name",
    THING: "a name",
    REASON: "a reason",
    MANNER: "how it happened",
}
ANSWERED, UNCONFIRMED_STATUS, NONE = "answered", "unconfirmed", "none"
_F = {name: i for i, name in enumerate(FEATURES)}


def feature(e: Evidence, name: str) -> float:
    return e.features[_F[name]] if e.features else 0.0


def answer_features(q: Question, ranked: list[Evidence]) -> list[float]:
    """What the answer model weighs (rag.model.ANSWER_FEATURES): the best sentence, how clearly it
    beats the next different one, and what kind of question it is. ``ranked``: evidence best first."""
    best = ranked[0]
    second = next((e for e in ranked[1:] if not _near_duplicate(e, best)), None)
    return [
        best.answerable,
        best.score,
        best.score - (second.score if second else 0.0),
        feature(best, "typed"),
        feature(best, "needs_value"),
        feature(best, "anchored"),
        feature(best, "qualifier_conflict"),
        feature(best, "qualifier_conflict_around"),
        feature(best, "missing_term"),
        feature(best, "entity_of_kind"),
        feature(best, "rules_pass"),
        float(q.keyword),
        float(q.kind == REASON),
        float(q.kind == MANNER),
        float(q.kind == OTHER),
    ]


def _near_duplicate(a: Evidence, b: Evidence) -> bool:
    ta, tb = set(tokenize(a.text)), set(tokenize(b.text))
    if not ta or not tb:
        return a.text == b.text
    return len(ta & tb) / len(ta | tb) >= 0.6


def date_label(iso: str) -> str:
    """'2024-11-30' -> '30 Nov 2024'; anything else as it is."""
    try:
        y, m, d = (int(x) for x in iso.split("-"))
        return f"{d} {month_name(m, short=True)} {y}"
    except (ValueError, IndexError):
        return iso


def attribution(doc: Document) -> str:
    who = doc.meta.attribution()
    when = date_label(doc.meta.published) if doc.meta.published else ""
    if who and when:
        return f"According to {who}, {when}: "
    if who:
        return f"According to {who}: "
    return ""


def _comparable(values: tuple[str, ...]) -> set[str]:
    """Values that can be compared across sources: exact dates and years, counts; not 'Friday'."""
    return {v for v in values if not v.startswith("rel:")}


def _disagree(a: Evidence, b: Evidence, kind: str) -> bool:
    va, vb = _comparable(a.values), _comparable(b.values)
    if not va or not vb:
        return False
    if kind == DATE:
        # Compare like with like: day-level dates with each other, else years with each other.
        for prefix in ("m", "y"):
            pa = (
                {v for v in va if v.startswith(prefix) and "-d" in v}
                if prefix == "m"
                else {v for v in va if v.startswith("y")}
            )
            pb = (
                {v for v in vb if v.startswith(prefix) and "-d" in v}
                if prefix == "m"
                else {v for v in vb if v.startswith("y")}
            )
            if pa and pb:
                return not (pa & pb)
        return False
    return not (va & vb)


# Near-copies of the best sentence scoring this close to it compete with it as equals.
_TIE = 0.05
# A sentence from another article with another value disagrees when it scores at least this share of
# the best one.
_RIVAL_SHARE = 0.2
# A further quote needs at least this probability of being the answer (learned decision): sentences
# from unrelated articles never fill the slots, and answers do not change when such articles arrive.
_MIN_FURTHER = 0.01


def _value_key(e: Evidence, kind: str) -> frozenset[str]:
    values = _comparable(e.values)
    if kind == DATE:  # the most precise date the sentence gives: a day, else a year
        days = {v for v in values if v.startswith("m") and "-d" in v}
        values = days or {v for v in values if v.startswith("y")}
    return frozenset(values)


def _consensus(typed: list[Evidence], kind: str) -> tuple[Evidence, Evidence | None]:
    """The same report in several articles with different names, numbers or dates (a reprint edited
    for another place, a figure updated): of the near-copies of the best sentence that score as well,
    lead with the value the most documents give; return the runner-up value's sentence too, so both are
    shown as a disagreement."""
    best = typed[0]
    tier = [
        e for e in typed if e.score >= best.score - _TIE and (e is best or _near_duplicate(e, best))
    ]
    docs: dict[frozenset[str], set[str]] = {}
    first: dict[frozenset[str], Evidence] = {}
    for e in tier:
        key = _value_key(e, kind)
        if key:
            docs.setdefault(key, set()).add(e.doc_id)
            first.setdefault(key, e)
    if len(docs) < 2:
        return best, None
    order = sorted(docs, key=lambda k: -len(docs[k]))  # stable: ties keep the score order
    return first[order[0]], first[order[1]]


def select(
    q: Question, evidence: list[Evidence], cfg: AnswerSettings, decision: Decision | None = None
) -> tuple[list[Evidence], bool, str, str]:
    """Pick the sentences to quote. Returns (chosen, sources_disagree, reason if not answered, status).

    With a ``decision`` (rag.model) the evidence scores are the sentence model's probabilities and
    the answer model decides between answered, not confirmed (chosen holds the closest passages) and
    none; without one, the hand-set gates of ``cfg`` decide (answered or none)."""
    if not evidence:
        return [], False, "No passage in the articles matches the question.", NONE
    if decision is not None:
        ranked = [e for e in evidence if e.score > 0]
        if not ranked:
            return [], False, "No passage in the articles covers what was asked.", NONE
        p = decision.answer(answer_features(q, ranked))
        if p < decision.answer_threshold:
            if p < decision.show_threshold:
                return [], False, _why_not(q, ranked), NONE
            shown = [ranked[0]] + [e for e in ranked[1:4] if not _near_duplicate(e, ranked[0])][:1]
            return shown, False, _why_not(q, ranked), UNCONFIRMED_STATUS
        typed = [e for e in ranked if e.has_answer_type] or ranked
    else:
        supported = [
            e for e in evidence if e.support >= cfg.min_support and e.coverage >= cfg.min_coverage
        ]
        if not supported:
            return [], False, "No passage in the articles covers what was asked.", NONE
        typed = [e for e in supported if e.has_answer_type]
        if not typed:
            return [], False, _why_not(q, supported), NONE
    best, rival = _consensus(typed, q.kind)
    score = (lambda e: e.score) if decision is not None else (lambda e: e.support)
    share = decision.relative_support if decision is not None else cfg.relative_support
    floor = round(share * score(best), 2)  # on the same scale as the scores
    chosen = [best] + ([rival] if rival else [])
    for e in typed:
        if len(chosen) >= cfg.max_sentences:
            break
        if (
            score(e) < floor
            or (decision is not None and e.score < _MIN_FURTHER)
            or any(
                _near_duplicate(e, c) or e.start == c.start and e.doc_id == c.doc_id for c in chosen
            )
        ):
            continue
        chosen.append(e)
    disagree = rival is not None
    if not disagree and q.kind in (DATE, NUMBER):
        # Only a sentence that answers about as well can disagree; a further quote shown for context
        # that happens to hold another number is not a second report of the same fact.
        strong = round(_RIVAL_SHARE * score(best), 2)
        other_docs = [e for e in chosen[1:] if e.doc_id != best.doc_id and score(e) >= strong]
        for e in other_docs:
            if _disagree(best, e, q.kind):
                chosen = [best, e] + [c for c in chosen[1:] if c is not e]
                disagree = True
                break
    return chosen, disagree, "", ANSWERED


def _why_not(q: Question, ranked: list[Evidence]) -> str:
    if (
        q.kind in _KIND_NAMES
        and q.kind not in (REASON, MANNER)
        and not any(e.has_answer_type for e in ranked[:5])
    ):
        return f"The passages that discuss this do not give {_KIND_NAMES[q.kind]}."
    return "No passage in the articles clearly answers what was asked."


def _citation(n: int, doc: Document, e: Evidence) -> Citation:
    return Citation.of(n, doc, e.start, e.end)


def compose(
    q: Question,
    evidence: list[Evidence],
    docs: dict[str, Document],
    cfg: AnswerSettings,
    decision: Decision | None = None,
) -> Answer:
    chosen, disagree, reason, status = select(q, evidence, cfg, decision)
    if not chosen:
        return Answer(
            question=q.text,
            text=f"{NOT_FOUND} {reason}",
            abstained=True,
            reason=reason,
            status=NONE,
        )
    citations = [_citation(i + 1, docs[e.doc_id], e) for i, e in enumerate(chosen)]
    lines = [
        f"{attribution(docs[e.doc_id])}{docs[e.doc_id].text[e.start : e.end]} [{c.n}]"
        for e, c in zip(chosen, citations, strict=True)
    ]
    if status == UNCONFIRMED_STATUS:
        return Answer(
            question=q.text,
            text="\n".join([UNCONFIRMED, *lines]),
            abstained=True,
            citations=tuple(citations),
            reason=reason,
            status=UNCONFIRMED_STATUS,
        )
    if disagree:
        lines.insert(0, "The sources differ:")
    return Answer(
        question=q.text,
        text="\n".join(lines),
        abstained=False,
        citations=tuple(citations),
        disagreement=disagree,
        reason="sources disagree" if disagree else "",
        status=ANSWERED,
    )


def note_earlier(
    answer: Answer, earlier: Callable[[Citation], tuple[Document, int, int] | None]
) -> Answer:
    """An answer quoting the latest version of a story also shows what an earlier version said in its
    place, marked superseded: "Earlier version (Outlet, 13 Jun 2023): … [3]". ``earlier(citation)``
    gives (earlier document, start, end) of the sentence the quote replaced, or None."""
    if answer.status != ANSWERED:
        return answer
    lines, citations = [], list(answer.citations)
    for c in answer.citations:
        found = None if c.superseded else earlier(c)
        if found is None:
            continue
        doc, start, end = found
        if any(x.doc_id == doc.doc_id and x.start == start for x in citations):
            continue
        cite = Citation.of(len(citations) + 1, doc, start, end, superseded=True)
        citations.append(cite)
        when = ", ".join(
            x
            for x in (doc.meta.attribution(), date_label(doc.meta.updated or doc.meta.published))
            if x
        )
        lines.append(f"Earlier version{f' ({when})' if when else ''}: {cite.quote} [{cite.n}]")
    if not lines:
        return answer
    return replace(answer, text="\n".join([answer.text, *lines]), citations=tuple(citations))


def _renumber(line: str, numbers: dict[int, int]) -> str:
    return re.sub(r"\[(\d+)\]", lambda m: f"[{numbers.get(int(m.group(1)), 0)}]", line)


def combine_parts(question: str, parts: list[Answer]) -> Answer:
    """A two-part question's answer: each part's quotes, renumbered into one list of citations; a part
    the sources do not give is said to be missing. Answered when any part is."""
    answered = [a for a in parts if a.status == ANSWERED]
    if not answered:
        best = max(parts, key=lambda a: a.status == UNCONFIRMED_STATUS)
        return replace(best, question=question)
    lines: list[str] = []
    citations: list[Citation] = []
    by_quote: dict[tuple[str, int], int] = {}
    for a in parts:
        if a.status != ANSWERED:
            lines.append(f"{NOT_FOUND.rstrip('.')}: {a.question}")
            continue
        renumber: dict[int, int] = {}
        for c in a.citations:
            key = (c.doc_id, c.start)
            if key not in by_quote:
                by_quote[key] = len(citations) + 1
                citations.append(replace(c, n=by_quote[key]))
            renumber[c.n] = by_quote[key]
        lines += [_renumber(line, renumber) for line in a.text.split("\n")]
    # The same quote answering both parts is shown once.
    seen: set[str] = set()
    unique = [ln for ln in lines if not (ln in seen or seen.add(ln))]
    return Answer(
        question=question,
        text="\n".join(unique),
        abstained=False,
        citations=tuple(citations),
        disagreement=any(a.disagreement for a in answered),
        reason="; ".join(a.reason for a in parts if a.reason),
        status=ANSWERED,
    )
