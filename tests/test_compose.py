"""Choosing what to quote, without a model or a store: the same report with other values."""

from __future__ import annotations

import numpy as np

from rag.answer import select
from rag.evidence import FEATURES
from rag.question import analyze, new_values
from rag.settings import AnswerSettings
from rag.types import Evidence

REPORT = "Much of the military leadership of the southern opposition was in exile in {}, and from there commanded the armed groups."
Q = analyze("Where was much of the southern opposition's military leadership in exile?")


def _ev(doc: str, place: str, score: float = 1.2) -> Evidence:
    text = REPORT.format(place)
    return Evidence(
        doc, doc + "-c0", 0, len(text), text, score, 1.0, 1.0, True, new_values(Q, text)
    )


def test_the_value_most_articles_give_leads_and_the_other_is_shown_as_disagreement():
    evidence = [_ev("a", "Fenlor"), _ev("b", "Jordan"), _ev("c", "Monbritor"), _ev("d", "Jordan")]
    chosen, disagree, _, _ = select(Q, evidence, AnswerSettings())
    assert disagree
    assert [e.doc_id for e in chosen[:2]] == ["b", "a"]
    assert "Jordan" in chosen[0].text and "Fenlor" in chosen[1].text


def test_copies_that_agree_are_one_answer_not_a_disagreement():
    evidence = [_ev("a", "Jordan"), _ev("b", "Jordan"), _ev("c", "Jordan")]
    chosen, disagree, _, _ = select(Q, evidence, AnswerSettings())
    assert not disagree
    assert [e.doc_id for e in chosen] == ["a"]


def test_a_much_weaker_copy_does_not_compete():
    evidence = [_ev("a", "Jordan"), _ev("b", "Fenlor", score=0.9), _ev("c", "Fenlor", score=0.9)]
    chosen, disagree, _, _ = select(Q, evidence, AnswerSettings())
    assert not disagree
    assert chosen[0].doc_id == "a"


def _score(question: str, text: str, title: str = "") -> Evidence:
    """Score the last sentence of ``text`` (one chunk of one document) with no embedding help."""
    from rag.evidence import score_sentences
    from rag.sentences import split_sentences
    from rag.tokens import tokenize
    from rag.types import Chunk

    q = analyze(question)
    spans = tuple(split_sentences(text))
    chunk = Chunk("c0", "d0", 0, 0, len(text), text, spans)
    evidence = score_sentences(
        q,
        q.terms,
        np.zeros(4),
        [(chunk, np.zeros((len(spans), 4)), 1.0)],
        lambda t: 1.0,
        {"d0": title},
    )
    assert tokenize(text)
    return next(e for e in evidence if e.end == spans[-1].end)


def test_a_who_answer_names_someone_next_to_what_was_asked():
    led = _score(
        "Who leads HTS?", "HTS controls Idlib. It is led by Abu Mohammed al-Joulani, its founder."
    )
    assert led.has_answer_type
    mentions = _score(
        "Who leads HTS?",
        "HTS has set up an administration and controls the crossing with Vitherra, officials said.",
    )
    assert not mentions.has_answer_type


def test_a_name_from_an_earlier_paragraph_does_not_anchor_a_sentence():
    same = _score(
        "Who leads HTS?", "HTS controls Idlib. It is led by Abu Mohammed al-Joulani, its founder."
    )
    earlier = _score(
        "Who leads HTS?",
        "HTS controls Idlib, officials said.\n\nThe market reopened on Sunday. Prices rose again.\n\n"
        "The town council met in the morning. It is led by Abu Mohammed al-Joulani, its founder.",
    )
    titled = _score(
        "Who leads HTS?",
        "The market reopened on Sunday.\n\nThe town council met. It is led by Abu Mohammed al-Joulani, its founder.",
        title="HTS tightens its grip",
    )
    anchored = FEATURES.index("anchored")
    assert same.features[anchored] == 1 and titled.features[anchored] == 1
    assert earlier.features[anchored] == 0
    assert earlier.support < same.support
