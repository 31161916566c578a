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


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        # A question word after a noun opens a relative clause; it asks nothing.
        ("What happens to passengers who missed the last ferry?", OTHER),
        ("Do season-ticket holders who cancel get a refund?", OTHER),
        ("What was the striker's transfer fee when he joined?", NUMBER),
        ("Which road was closed when the dam burst?", THING),
        # ... but after a preposition, a comma or 'tell me' it does.
        ("By how much did fares rise?", NUMBER),
        ("Apart from the capital, how many towns were flooded?", NUMBER),
        ("Tell me who chaired the inquiry", PERSON),
        ("What did the coach say about why the match was moved?", REASON),
        # How + a measure asks for a number.
        ("How deep was the tremor?", NUMBER),
        ("How late did the train arrive?", NUMBER),
        # A leading clause before a yes/no question does not make it a 'when' question.
        ("When the jury returned, did it convict both men?", OTHER),
    ],
)
def test_only_a_question_word_that_asks_decides_the_kind(question, kind):
    assert analyze(question).kind == kind


def test_the_focus_of_what_was_x_reaches_past_an_owner():
    q = analyze("What was Palmer Foods' third-quarter revenue?")
    assert (q.kind, q.unit) == (NUMBER, "money")
    q = analyze("What was Norland's core inflation in March?")
    assert (q.kind, q.focus) == (NUMBER, "inflation")
    assert analyze("What was core inflation in March?").kind == NUMBER
    assert analyze("What was the airline's share price at the listing?").unit == "money"
    # 'Which country's navy' asks for a country; 'What is X?' asks what the sources say about X.
    assert analyze("Which country's navy escorted the convoy?").kind == PLACE
    assert analyze("What is Brightwater?").kind == OTHER


def test_a_noun_a_who_clause_follows_is_a_person():
    assert analyze("What is the name of the lorry driver who was rescued?").kind == PERSON
    assert analyze("What is the young climber's name?").focus == analyze("Which climber?").focus


def test_numbered_editions_in_words_are_qualifiers():
    assert analyze("How many cases were recorded in week two?").qualifiers == ("week:2",)
    assert "week:2" in qualifier_values("In the second week, 40 cases were recorded.")
    assert "week:4" in qualifier_values("In week four there were 142 cases.")


def test_contractions_worth_cost_and_called():
    q = analyze("What's the ferry operator's quarterly revenue?")
    assert (q.kind, q.unit) == (NUMBER, "money")
    assert analyze("What were the stolen paintings worth?").kind == NUMBER
    assert analyze("What did the flood cost the city?").unit == "money"
    q = analyze("What is the airline's new jet called?")
    assert (q.kind, q.focus) == (THING, "jet")
    # Words after the noun that start a time phrase end it: 'revenue last quarter' asks for revenue.
    assert analyze("What was Palmer's revenue last quarter?").kind == NUMBER
