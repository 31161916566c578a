"""Rule-based follow-up rewriting (no LLM)."""

import pytest

from rag.followup import needs_context, rewrite_followup, subject

HTS_LEADER = (
    "According to Tyler Durden, 30 Nov 2024: Also called Muhammad al-Jawlani and Muhammad al-Julani, "
    "the 42-year-old led the al-Nusrah Front (ANF) before its merger with the HTS. [1]"
)


@pytest.mark.parametrize(
    "previous, message, answer, expected",
    [
        (
            "When did HTS enter Aleppo?",
            "and when did they take Hama?",
            "",
            "When did HTS take Hama?",
        ),
        ("What is Hayat Tahrir al-Sham?", "who leads them?", "", "Who leads Hayat Tahrir al-Sham?"),
        (
            "What is Hayat Tahrir al-Sham?",
            "who is their leader?",
            "",
            "Who is Hayat Tahrir al-Sham's leader?",
        ),
        (
            "When did the rebels capture Hama?",
            "what about Homs?",
            "",
            "When did the rebels capture Homs?",
        ),
        ("When did the rebels capture Hama?", "and Homs?", "", "When did the rebels capture Homs?"),
        ("Who is the governor of Homs?", "and of Aleppo?", "", "Who is the governor of Aleppo?"),
        (
            "Who leads Hayat Tahrir al-Sham?",
            "how old is he?",
            HTS_LEADER,
            "How old is Muhammad al-Jawlani?",
        ),
        (
            "Who is Ahmed al-Dalati?",
            "to which outlet did he speak?",
            "He is the deputy commander of Ahrar al-Sham.",
            "To which outlet did Ahmed al-Dalati speak?",
        ),
        (
            "When did the rebels enter Aleppo?",
            "what happened there?",
            "",
            "What happened in Aleppo?",
        ),
        (
            "When did Bashar al-Assad leave the country?",
            "where did he go?",
            "",
            "Where did Bashar al-Assad go?",
        ),
        (
            "Who leads the operations room for the liberation of Damascus?",
            "how many groups gathered in it?",
            "",
            "How many groups gathered in the operations room for the liberation of Damascus?",
        ),
    ],
)
def test_follow_ups_become_standalone(previous, message, answer, expected):
    assert rewrite_followup(message, [previous], answer) == expected


@pytest.mark.parametrize(
    "message",
    [
        "Who is Abu Mohammed al-Jolani?",
        "When did Assad's regime lose its grip on Aleppo?",  # its = the regime's, not the last subject
        "When did HTS say they would take Damascus?",  # they = HTS, inside the question
    ],
)
def test_standalone_questions_are_left_alone(message):
    assert rewrite_followup(message, ["When did the rebels enter Aleppo?"]) == message


def test_no_history_no_rewrite():
    assert rewrite_followup("and when did they take Hama?", []) == "and when did they take Hama?"


def test_subject_and_needs_context():
    assert subject("When did the rebels enter Aleppo?") == "the rebels"
    assert subject("Who leads Hayat Tahrir al-Sham?") == "Hayat Tahrir al-Sham"
    assert needs_context("and Homs?") and needs_context("who leads them?")
    assert not needs_context("When did HTS enter Aleppo?")


def test_assistant_ask_with_history_reports_the_rewrite(assistant):
    history = [{"question": "What is Hayat Tahrir al-Sham?", "answer": "…"}]
    ans = assistant.ask("who leads them?", history)
    assert ans.standalone_question == "Who leads Hayat Tahrir al-Sham?"
    assert not ans.abstained and any(
        n in ans.text for n in ("Jawlani", "Julani", "Joulani", "Golani")
    )
    plain = assistant.ask("When did HTS enter Aleppo?", history)
    assert plain.standalone_question == ""
