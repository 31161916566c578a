"""What the answerer understands a question to ask: its kind, the noun of 'which X', the year or round
it is pinned to, its two parts. Examples are ours, on topics the bundled corpus does not cover."""

import pytest

from rag.question import (
    DATE,
    MANNER,
    NUMBER,
    OTHER,
    PERSON,
    PLACE,
    REASON,
    THING,
    analyze,
    new_values,
    qualifier_values,
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Why did the central bank raise rates?", REASON),
        ("What caused the ferry to run aground?", REASON),
        ("How did the thieves get into the museum?", MANNER),
        ("How many passengers were on board?", NUMBER),
        ("Which bridge did the army blow up?", THING),
        ("Which town hosted the final?", PLACE),
        ("Which stadium hosted the final?", THING),
        ("Which company reported the loss?", PERSON),
        ("What was the turnout in the runoff?", NUMBER),
        ("When did the strike begin?", DATE),
        ("What did the governor say about the aid?", OTHER),
        # A leading 'when' clause sets the scene; the main clause asks for a number.
        (
            "When the strike hit the market on Tuesday morning, how many people did the governor say were wounded?",
            NUMBER,
        ),
    ],
)
def test_the_kind_of_answer_a_question_wants(question, kind):
    assert analyze(question).kind == kind


def test_a_keyword_query_takes_its_kind_from_its_head_noun():
    q = analyze("Veltra revenue Q3 2023")
    assert q.keyword and q.kind == NUMBER
    assert set(q.qualifiers) == {"y2023", "q3"}
    assert analyze("harbour race 2022 winner").kind == PERSON
    assert not analyze("Who won the race?").keyword


def test_qualifiers_pin_a_question_to_one_edition():
    assert analyze("What was the turnout in the second round?").qualifiers == ("round:second",)
    assert "stage:5" in analyze("Who won stage 5?").qualifiers
    assert "q3" in analyze("What did the retailer earn in the third quarter?").qualifiers
    # An ordinal and its number are one value in a passage.
    assert {"round:second", "round:2"} <= qualifier_values("In the second round, turnout fell.")


def test_a_two_part_question_is_split_and_the_short_part_keeps_its_subject():
    q = analyze("Who won the 2023 race, and by how much?")
    first, second = q.parts
    assert first == "Who won the 2023 race?"
    assert second.startswith("by how much") and "2023 race" in second
    assert analyze("Who won the 2023 race?").parts == ()


def test_a_which_x_answer_is_a_name_and_all_capitals_names_count():
    q = analyze("Which bridge did the army blow up?")
    assert "antonivskyi" in new_values(q, "Troops destroyed the Antonivskyi bridge on Monday.")
    who = analyze("Who organised the blockade?")
    assert "ihu" in new_values(who, "The blockade was organised by the IHU, the dockers' union.")
