"""Compose an answer from evidence: verbatim sentences with [n] markers, or an honest refusal.

Pure: takes scored evidence and document metadata, returns an Answer. No model, no store.
"""

from __future__ import annotations

from rag.question import DATE, NUMBER, PERSON, PLACE, Question
from rag.settings import AnswerSettings
from rag.tokens import tokenize
from rag.types import Answer, Citation, Document, Evidence

NOT_FOUND = "The sources don't say."
_KIND_NAMES = {DATE: "a date", NUMBER: "a number", PLACE: "a place", PERSON: "a name"}


def _near_duplicate(a: Evidence, b: Evidence) -> bool:
    ta, tb = set(tokenize(a.text)), set(tokenize(b.text))
    if not ta or not tb:
        return a.text == b.text
    return len(ta & tb) / len(ta | tb) >= 0.6


def date_label(iso: str) -> str:
    """'2024-11-30' -> '30 Nov 2024'; anything else as it is."""
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    try:
        y, m, d = (int(x) for x in iso.split("-"))
        return f"{d} {months[m - 1]} {y}"
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
    q: Question, evidence: list[Evidence], cfg: AnswerSettings
) -> tuple[list[Evidence], bool, str]:
    """Pick the sentences to quote. Returns (chosen, sources_disagree, reason if none)."""
    if not evidence:
        return [], False, "No passage in the articles matches the question."
    supported = [
        e for e in evidence if e.support >= cfg.min_support and e.coverage >= cfg.min_coverage
    ]
    if not supported:
        return [], False, "No passage in the articles covers what was asked."
    typed = [e for e in supported if e.has_answer_type]
    if not typed:
        return (
            [],
            False,
            f"The passages that discuss this do not give {_KIND_NAMES.get(q.kind, 'the answer')}.",
        )
    best, rival = _consensus(typed, q.kind)
    floor = round(cfg.relative_support * best.support, 2)  # on the same 2-decimal scale as support
    chosen = [best] + ([rival] if rival else [])
    for e in typed:
        if len(chosen) >= cfg.max_sentences:
            break
        if e.support < floor or any(
            _near_duplicate(e, c) or e.start == c.start and e.doc_id == c.doc_id for c in chosen
        ):
            continue
        chosen.append(e)
    disagree = rival is not None
    if not disagree and q.kind in (DATE, NUMBER):
        other_docs = [e for e in chosen[1:] if e.doc_id != best.doc_id]
        for e in other_docs:
            if _disagree(best, e, q.kind):
                chosen = [best, e] + [c for c in chosen[1:] if c is not e]
                disagree = True
                break
    return chosen, disagree, ""


def compose(
    q: Question, evidence: list[Evidence], docs: dict[str, Document], cfg: AnswerSettings
) -> Answer:
    chosen, disagree, reason = select(q, evidence, cfg)
    if not chosen:
        return Answer(question=q.text, text=f"{NOT_FOUND} {reason}", abstained=True, reason=reason)
    citations: list[Citation] = []
    lines: list[str] = []
    for e in chosen:
        doc = docs[e.doc_id]
        n = len(citations) + 1
        citations.append(
            Citation(
                n=n,
                source=doc.source,
                title=doc.meta.title,
                quote=doc.text[e.start : e.end],
                start=e.start,
                end=e.end,
                doc_id=doc.doc_id,
                outlet=doc.meta.outlet,
                author=doc.meta.author,
                published=doc.meta.published,
                url=doc.meta.url,
            )
        )
        lines.append(f"{attribution(doc)}{doc.text[e.start : e.end]} [{n}]")
    if disagree:
        lines.insert(0, "The sources differ:")
    note = "sources disagree" if disagree else ""
    return Answer(
        question=q.text,
        text="\n".join(lines),
        abstained=False,
        citations=tuple(citations),
        disagreement=disagree,
        reason=note,
    )
