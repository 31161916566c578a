"""Choosing what to quote, without a model or a store: the same report with other values."""

from __future__ import annotations

from rag.answer import select
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
    chosen, disagree, _ = select(Q, evidence, AnswerSettings())
    assert disagree
    assert [e.doc_id for e in chosen[:2]] == ["b", "a"]
    assert "Jordan" in chosen[0].text and "Fenlor" in chosen[1].text


def test_copies_that_agree_are_one_answer_not_a_disagreement():
    evidence = [_ev("a", "Jordan"), _ev("b", "Jordan"), _ev("c", "Jordan")]
    chosen, disagree, _ = select(Q, evidence, AnswerSettings())
    assert not disagree
    assert [e.doc_id for e in chosen] == ["a"]


def test_a_much_weaker_copy_does_not_compete():
    evidence = [_ev("a", "Jordan"), _ev("b", "Fenlor", score=0.9), _ev("c", "Fenlor", score=0.9)]
    chosen, disagree, _ = select(Q, evidence, AnswerSettings())
    assert not disagree
    assert chosen[0].doc_id == "a"
