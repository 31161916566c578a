"""The learned decision: deterministic fitting, the three outcomes a user can tell apart, two-part
answers, and the features that catch near misses. No model download, no store: pure functions."""

from __future__ import annotations

import numpy as np

from rag.answer import ANSWERED, NONE, UNCONFIRMED_STATUS, combine_parts, compose
from rag.evidence import FEATURES, score_sentences
from rag.model import (
    ANSWER_FEATURES,
    QUESTION_FEATURES,
    Choice,
    Decision,
    Logistic,
    fit,
    fit_choice,
)
from rag.question import analyze
from rag.sentences import split_sentences
from rag.settings import AnswerSettings
from rag.types import Answer, Chunk, Citation, Document, Metadata, Span


def test_fitting_is_deterministic_and_finds_the_feature_that_matters():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(400, 3))
    y = (x[:, 1] + 0.3 * rng.normal(size=400) > 0).astype(float)
    a = fit(x, y, ("a", "b", "c"))
    b = fit(x, y, ("a", "b", "c"))
    assert a.to_dict() == b.to_dict()
    w = a.weights()
    assert w["b"] > 2 and abs(w["a"]) < 0.5 and abs(w["c"]) < 0.5
    assert Logistic.from_dict(a.to_dict())(x[0]) == a(x[0])


def _constant(p: float, names: tuple[str, ...]) -> Logistic:
    """A model that says ``p`` whatever it is shown."""
    n = len(names)
    return Logistic(names, np.zeros(n), np.ones(n), np.zeros(n), float(np.log(p / (1 - p))))


def _decision(answer_p: float) -> Decision:
    """Every candidate equally likely to answer, and an answer model that says ``answer_p``."""
    n, m = len(FEATURES), len(QUESTION_FEATURES)
    sentence = Choice(
        FEATURES, np.zeros(n), np.ones(n), np.zeros(n), QUESTION_FEATURES, np.zeros(m)
    )
    return Decision(sentence, _constant(answer_p, ANSWER_FEATURES), 0.6, 0.3, {})


def test_the_choice_model_learns_which_candidate_answers_and_when_none_does():
    rng = np.random.default_rng(3)
    groups = []
    for k in range(120):
        x = rng.normal(size=(6, 2))
        answerable = k % 3 != 0
        if answerable:
            x[2, 0] += 3  # the answer stands out on the first feature
        pos = np.zeros(7, dtype=bool)
        pos[3 if answerable else 0] = True
        groups.append((x, np.array([1.0]), np.ones(6, dtype=bool), pos))
    a = fit_choice(groups, ("good", "noise"), ("bias",))
    assert a.to_dict() == fit_choice(groups, ("good", "noise"), ("bias",)).to_dict()
    assert a.weights()["good"] > 1 > abs(a.weights()["noise"])
    x = np.zeros((3, 2))
    x[1, 0] = 3.5
    none, p = a.probabilities(x, np.array([1.0]), np.ones(3, dtype=bool))
    assert p.argmax() == 1 and none < 0.5
    none, p = a.probabilities(np.zeros((3, 2)), np.array([1.0]), np.ones(3, dtype=bool))
    assert none > 0.5
    # a candidate that is not a statement is never chosen
    _, p = a.probabilities(x, np.array([1.0]), np.array([True, False, True]))
    assert p[1] == 0


TEXT = (
    "HARWICK, May 3 (Coastline Wire) - The Ferrow Bridge reopened on Tuesday after repairs.\n"
    "The repairs cost 4.1 million marks, the city said.\n"
)


def _scored(question: str, decision: Decision):
    q = analyze(question)
    spans = tuple(split_sentences(TEXT))
    chunk = Chunk("c0", "d0", 0, 0, len(TEXT), TEXT, spans)
    evidence = score_sentences(
        q,
        q.terms,
        np.zeros(4),
        [(chunk, np.zeros((len(spans), 4)), 1.0)],
        lambda t: 1.0,
        model=decision.sentence,
    )
    doc = Document(
        "d0",
        "bridge.txt",
        "/tmp/bridge.txt",
        TEXT,
        Metadata(outlet="Coastline Wire"),
        (Span(0, len(TEXT)),),
    )
    return q, evidence, {"d0": doc}


def test_three_outcomes_answered_not_confirmed_and_none():
    for answer_p, status in ((0.9, ANSWERED), (0.45, UNCONFIRMED_STATUS), (0.1, NONE)):
        q, evidence, docs = _scored("How much did the repairs cost?", _decision(answer_p))
        ans = compose(q, evidence, docs, AnswerSettings(), _decision(answer_p))
        assert ans.status == status
        assert ans.abstained == (status != ANSWERED)
        if status == NONE:
            assert not ans.citations and ans.text.startswith("The sources don't say.")
        else:  # both show cited passages, verbatim at their offsets
            assert ans.citations
            for c in ans.citations:
                assert TEXT[c.start : c.end] == c.quote
        if status == UNCONFIRMED_STATUS:
            assert ans.text.startswith("Not confirmed: the closest passages")
            assert ans.to_dict()["status"] == "unconfirmed"


def _answer(question: str, quote: str, n_start: int, status: str = ANSWERED) -> Answer:
    c = Citation(1, "a.txt", "", quote, n_start, n_start + len(quote), doc_id="d0")
    if status != ANSWERED:
        return Answer(question, "The sources don't say.", True, status=NONE)
    return Answer(question, f"{quote} [1]", False, (c,), status=ANSWERED)


def test_a_two_part_answer_gives_the_part_it_found_and_names_the_part_it_did_not():
    first = _answer("Who won the race?", "Lena Brisk won the race.", 0)
    second = _answer("by how much did she win the race?", "", 0, status=NONE)
    combined = combine_parts("Who won the race, and by how much?", [first, second])
    assert combined.status == ANSWERED and not combined.abstained
    assert "Lena Brisk won the race. [1]" in combined.text
    assert "The sources don't say: by how much did she win the race?" in combined.text


def test_two_parts_answered_from_two_passages_are_numbered_in_order():
    first = _answer("Who won the race?", "Lena Brisk won the race.", 0)
    second = _answer("By how much?", "She finished 48 seconds clear.", 30)
    combined = combine_parts("Who won the race, and by how much?", [first, second])
    assert [c.n for c in combined.citations] == [1, 2]
    assert combined.text.splitlines() == [
        "Lena Brisk won the race. [1]",
        "She finished 48 seconds clear. [2]",
    ]


def _features(question: str, text: str, title: str = "") -> dict[str, float]:
    q = analyze(question)
    spans = tuple(split_sentences(text))
    chunk = Chunk("c0", "d0", 0, 0, len(text), text, spans)
    ev = score_sentences(
        q,
        q.terms,
        np.zeros(4),
        [(chunk, np.zeros((len(spans), 4)), 1.0)],
        lambda t: 1.0,
        {"d0": title},
    )
    last = next(e for e in ev if e.end == spans[-1].end)
    return dict(zip(FEATURES, last.features, strict=True))


def test_a_sentence_about_another_year_conflicts_with_the_question():
    f = _features("Who won the 2023 race?", "Mara Vell won the 2022 race by two minutes.")
    assert f["qualifier_conflict"] == 1 and f["qualifier_match"] == 0
    g = _features("Who won the 2023 race?", "Mara Vell won the 2023 race by two minutes.")
    assert g["qualifier_conflict"] == 0 and g["qualifier_match"] == 1
    # The year the article is about, from its title, counts as the sentence's setting.
    h = _features(
        "Who won the 2023 race?", "Mara Vell won the race by two minutes.", title="Tour 2022"
    )
    assert h["qualifier_conflict_around"] == 1


def test_the_thing_asked_about_missing_from_the_sentence_is_noticed():
    f = _features(
        "How many trucks were seized at the port?", "The militia seized the port on Monday."
    )
    g = _features(
        "How many trucks were seized at the port?", "Police seized 40 trucks at the port on Monday."
    )
    assert f["missing_term"] == 1.0 and g["missing_term"] == 0.0
    assert f["counts_the_thing"] == 0 and g["counts_the_thing"] == 1


def test_the_amount_must_stand_by_who_was_asked_about():
    f = _features(
        "How much was Brannock fined?",
        "Brannock received four years in prison, and the company BCW was fined $3.2 million.",
    )
    g = _features("How much was Brannock fined?", "Brannock was fined $250,000 by the court.")
    assert g["terms_near_value"] > f["terms_near_value"]
    assert g["unit_match"] == 1


def test_an_acronym_the_article_defines_anchors_the_spelled_out_name():
    from rag.evidence import _aliases

    q = analyze("What did the NTSB find?")
    defined = {"ntsb": ("national", "transport", "safety", "board")}
    assert "ntsb" in _aliases(
        q, "The National Transport Safety Board said the brakes failed.", defined
    )
    assert "safeti" in _aliases(
        q, "The NTSB said the brakes failed.", defined
    ) or "safety" in " ".join(_aliases(q, "The NTSB said the brakes failed.", defined))


def test_copies_of_a_sentence_count_as_one_candidate():
    """Ten outlets carrying the same wire sentence neither make it look a tenth as likely nor make
    the question look more answerable than one copy does."""
    from rag.evidence import choose
    from rag.model import default_decision

    model = default_decision().sentence
    q = analyze("How many ferries were cancelled?")
    answer = "Port officials said 14 ferries were cancelled on Friday."
    other = "The storm reached the coast late on Thursday."
    x_one = np.array([[_features(q.text, t)[f] for f in FEATURES] for t in (answer, other)])
    alone, _ = choose(model, q, x_one, [answer, other])
    x_many = np.vstack([x_one[:1]] * 10 + [x_one[1:]])
    copies, answerable_copies = choose(model, q, x_many, [answer] * 10 + [other])
    _, answerable_alone = choose(model, q, x_one, [answer, other])
    assert abs(copies[0] - alone[0]) < 1e-9 and answerable_copies == answerable_alone
    assert len(set(np.round(copies[:10], 9))) == 1
    # Without the texts each copy gets its own, smaller share.
    split, _ = choose(model, q, x_many)
    assert split[0] < copies[0]
