"""Generated answers: numbered sources in, verified and cited sentences out.

    sources = pick_sources(evidence, candidates, docs, k)
    prompt  = user_prompt(question, sources)
    answer  = build_answer(question, reply, sources, embed, strict, backend)

Citations keep the extractive contract: each is a verbatim sentence of the cited passage (the one
that best supports the sentences citing it) with its offsets. Numbers are sequential over the sources
actually cited; unknown numbers are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from rag import prompts
from rag.answer import NOT_FOUND
from rag.injection import looks_like_instruction
from rag.question import DATE, NUMBER, OTHER, PERSON, PLACE, Question, new_values
from rag.sentences import split_sentences
from rag.tokens import tokenize
from rag.types import Answer, Chunk, Citation, Document, Evidence, SentenceCheck, Span
from rag.verify import SourcePassage, check

_MARKERS = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_LEADING_MARKERS = re.compile(r"^\s*((?:\[\d+(?:\s*[,;]\s*\d+)*\]\s*)+)")
_DISAGREEMENT = re.compile(
    r"\b(?:differ|differs|disagree|disagrees|conflict|conflicting|contradict|whereas)\b", re.I
)


@dataclass(frozen=True, slots=True)
class Source:
    n: int  # its number in the prompt
    chunk: Chunk
    doc: Document
    vectors: np.ndarray  # the chunk's sentence vectors

    def passage(self) -> SourcePassage:
        """What the chunk can vouch for: its sentences, minus any that address an AI (rag.injection)."""
        m = self.doc.meta
        meta = " ".join(x for x in (m.outlet, m.author, m.title, m.published) if x)
        texts = [self.doc.text[s.start : s.end] for s in self.chunk.sentences]
        keep = [i for i, t in enumerate(texts) if not looks_like_instruction(t)]
        if len(keep) == len(texts):
            return SourcePassage(self.chunk.text, meta, tuple(texts), self.vectors)
        vectors = self.vectors[keep] if len(self.vectors) == len(texts) else self.vectors
        return SourcePassage(
            "\n".join(texts[i] for i in keep), meta, tuple(texts[i] for i in keep), vectors
        )


def pick_sources(
    evidence: list[Evidence],
    candidates: dict[str, tuple[Chunk, np.ndarray]],
    docs: dict[str, Document],
    k: int,
) -> list[Source]:
    """The k chunks holding the best evidence, in evidence order, numbered from 1."""
    out: list[Source] = []
    seen: set[str] = set()
    for e in evidence:
        if e.chunk_id in seen or e.chunk_id not in candidates or e.doc_id not in docs:
            continue
        seen.add(e.chunk_id)
        chunk, vecs = candidates[e.chunk_id]
        out.append(Source(len(out) + 1, chunk, docs[e.doc_id], vecs))
        if len(out) == k:
            break
    return out


def _attr(value: str) -> str:
    return value.replace('"', "'").replace("\n", " ").strip() or "not stated"


def _neutralise(text: str) -> str:
    """Article text cannot close or open a <source> block of its own."""
    return re.sub(r"<\s*(/?)\s*source", r"‹\1source", text, flags=re.I)


def user_prompt(question: str, sources: list[Source]) -> str:
    blocks = [
        prompts.SOURCE.format(
            n=s.n,
            outlet=_attr(s.doc.meta.attribution()),
            date=_attr(s.doc.meta.published),
            title=_attr(s.doc.meta.title),
            text=_neutralise(s.chunk.text),
        )
        for s in sources
    ]
    return prompts.QUESTION.format(
        sources="\n\n".join(blocks), question=question, not_found=prompts.NOT_FOUND_REPLY
    )


def split_reply(reply: str) -> list[str]:
    """Sentences of the reply; a marker written after the full stop stays with its sentence."""
    text = " ".join(reply.split())
    pieces = (
        [text[s.start : s.end] for s in split_sentences(text, Span(0, len(text)))] if text else []
    )
    out: list[str] = []
    for piece in pieces:
        m = _LEADING_MARKERS.match(piece)
        if m and out:
            out[-1] = out[-1] + " " + m.group(1).strip()
            piece = piece[m.end() :]
        if piece.strip() and _MARKERS.sub("", piece).strip(" .,;:"):
            out.append(piece.strip())
        elif piece.strip() and out:
            out[-1] += " " + piece.strip()
    return out


def cited_numbers(sentence: str) -> list[int]:
    return [
        int(x) for m in _MARKERS.finditer(sentence) for x in re.split(r"\s*[,;]\s*", m.group(1))
    ]


def strip_markers(sentence: str) -> str:
    return " ".join(_MARKERS.sub("", sentence).split()).replace(" .", ".").replace(" ,", ",")


def is_refusal(reply: str) -> bool:
    plain = " ".join(_MARKERS.sub("", reply).split()).lower()
    return not plain or plain.startswith(prompts.NOT_FOUND_REPLY.lower().rstrip("."))


def _best_sentence(source: Source, vectors: list[np.ndarray], texts: list[str]) -> Span:
    """The sentence of the cited chunk that best supports the answer sentences citing it."""
    spans = source.chunk.sentences
    if not spans:
        return Span(source.chunk.start, source.chunk.end)
    words = set(tokenize(" ".join(texts)))
    best, best_score = spans[0], -1.0
    for i, span in enumerate(spans):
        sent = source.doc.text[span.start : span.end]
        toks = tokenize(sent)
        lex = sum(t in words for t in toks) / max(len(toks), 1)
        dense = (
            max((float(source.vectors[i] @ v) for v in vectors), default=0.0)
            if len(source.vectors) > i
            else 0.0
        )
        score = dense + lex
        if score > best_score:
            best, best_score = span, score
    return best


def build_answer(
    question: str,
    reply: str,
    sources: list[Source],
    embed: Callable[[list[str]], np.ndarray],
    strict: bool,
    backend: str,
) -> Answer:
    by_n = {s.n: s for s in sources}
    if is_refusal(reply):
        return Answer(
            question,
            f"{NOT_FOUND} The model found no answer in the passages it was given.",
            True,
            reason="The model found no answer in the passages it was given.",
            backend=backend,
        )
    sentences = split_reply(reply)
    plain = [strip_markers(s) for s in sentences]
    vectors = embed(plain) if plain else np.zeros((0, 0))
    checked = []  # (plain text, known source numbers in prompt numbering, supported, support, problems)
    for sent, text, vec in zip(sentences, plain, vectors, strict=True):
        nums = cited_numbers(sent)
        known = list(dict.fromkeys(n for n in nums if n in by_n))
        unknown = sorted({n for n in nums if n not in by_n})
        ok, support, problems = check(text, [by_n[n].passage() for n in known], vec)
        if unknown:
            problems = [
                f"cites [{', '.join(map(str, unknown))}], which is not one of the sources",
                *problems,
            ]
            ok = ok and bool(known)
        checked.append((text, known, ok, support, problems, vec))

    kept = [c for c in checked if c[2]] if strict else checked
    if not any(c[2] for c in checked):
        why = "; ".join(dict.fromkeys(p for c in checked for p in c[4])) or "nothing to check"
        return Answer(
            question,
            f"{NOT_FOUND} The generated answer could not be verified against the passages ({why}).",
            True,
            reason=f"no generated sentence is supported: {why}",
            backend=backend,
            sentences=tuple(SentenceCheck(c[0], (), False, c[3], tuple(c[4])) for c in checked),
        )

    # Number the sources actually cited, in order of first citation.
    order: dict[int, int] = {}
    for _, known, *_ in kept:
        for n in known:
            order.setdefault(n, len(order) + 1)
    citations = []
    for old, new in order.items():
        src = by_n[old]
        citing = [(c[5], c[0]) for c in kept if old in c[1]]
        span = _best_sentence(src, [v for v, _ in citing], [t for _, t in citing])
        citations.append(Citation.of(new, src.doc, span.start, span.end))
    lines, checks = [], []
    for text, known, ok, support, problems, _ in kept:
        nums = tuple(order[n] for n in known)
        shown = text.rstrip() + ("" if not nums else " " + "".join(f"[{n}]" for n in nums))
        lines.append(shown)
        checks.append(SentenceCheck(shown, nums, ok, support, tuple(problems)))
    dropped = len(checked) - len(kept)
    flagged = sum(not c.supported for c in checks)
    notes = []
    if dropped:
        notes.append(f"{dropped} unsupported sentence(s) removed (RAG_STRICT)")
    if flagged:
        notes.append(f"{flagged} sentence(s) not supported by their sources")
    docs_cited = {c.doc_id for c in citations}
    disagree = len(docs_cited) > 1 and bool(_DISAGREEMENT.search(" ".join(lines)))
    return Answer(
        question,
        " ".join(lines),
        False,
        tuple(citations),
        disagreement=disagree,
        reason="; ".join(notes),
        backend=backend,
        sentences=tuple(checks),
    )


def gate_answer_type(q: Question, answer: Answer) -> Answer:
    """The extractive answerer's last rule, applied to generated answers: a 'when' question needs a
    date in a supported sentence, 'how many' a number, 'where' a place, 'who' a name. A fluent,
    verified sentence that does not give one is not an answer to the question."""
    if answer.abstained or q.kind == OTHER:
        return answer
    if any(s.supported and new_values(q, strip_markers(s.text)) for s in answer.sentences):
        return answer
    what = {DATE: "a date", NUMBER: "a number", PLACE: "a place", PERSON: "a name"}[q.kind]
    why = f"no verified sentence of the generated answer gives {what}"
    return replace(
        answer,
        text=f"{NOT_FOUND} The generated answer does not give {what}.",
        abstained=True,
        citations=(),
        reason=why,
    )
