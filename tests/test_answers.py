"""What a user sees when asking: verbatim cited quotes, honest refusals, disagreements shown."""

import json
from pathlib import Path

import pytest

from rag.errors import QuestionError

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def test_every_citation_is_the_original_file_text_at_its_offsets(assistant):
    for q in [
        "When did HTS enter Aleppo?",
        "Who is the governor of Homs?",
        "How many members did HTS have in 2018?",
    ]:
        ans = assistant.ask(q)
        assert not ans.abstained and ans.citations
        for c in ans.citations:
            original = (CORPUS / c.source).read_text(encoding="utf-8")
            assert original[c.start : c.end] == c.quote
            assert f"[{c.n}]" in ans.text


def test_answer_sentences_are_verbatim_quotes_followed_by_markers(assistant):
    ans = assistant.ask("When did Bashar al-Assad leave the country?")
    assert "On December 8, Bashar al-Assad left the country. [1]" in ans.text
    assert ans.citations[0].source == "000_96c90ff65452b4a3.txt"


def test_attribution_comes_from_the_metadata(assistant):
    ans = assistant.ask("Who is the governor of Homs?")
    assert ans.text.startswith("According to Elrisala (Hani Kamal El-Din): ")
    assert ans.citations[0].outlet == "Elrisala"


@pytest.mark.parametrize(
    "question",
    [
        "Where did Bashar al-Assad flee after leaving Syria?",  # mentions Assad leaving, never where to
        "What is the population of Damascus?",
        "Who is the UN special envoy for Syria?",
        "When did Hafez al-Assad die?",
    ],
)
def test_refuses_when_the_articles_do_not_say(assistant, question):
    ans = assistant.ask(question)
    assert ans.abstained and ans.status in ("none", "unconfirmed")
    if ans.status == "none":
        assert ans.citations == ()
        assert ans.text.startswith("The sources don't say.")
    else:  # the closest passages, cited, and clearly marked as not an answer
        assert ans.citations
        assert ans.text.startswith("Not confirmed: the closest passages")


def test_disagreeing_sources_are_both_shown_and_flagged(assistant):
    ans = assistant.ask("Since when has HTS controlled Idlib?")
    assert ans.disagreement
    assert ans.text.startswith("The sources differ:")
    assert len({c.source for c in ans.citations}) >= 2


def test_misspelled_question_is_understood(assistant):
    ans = assistant.ask("whn did HTS entr Alepo?")
    assert not ans.abstained and "29 November" in ans.text


@pytest.mark.parametrize("bad", ["", "   \n\t ", "?!?...", "x" * 5000, "\x00\x01"])
def test_unusable_questions_get_a_clear_error(assistant, bad):
    with pytest.raises(QuestionError):
        assistant.ask(bad)


def test_answer_serialises_to_json(assistant):
    d = assistant.ask("Who leads HTS?").to_dict()
    back = json.loads(json.dumps(d))
    assert set(back) >= {"text", "abstained", "citations"}
    assert set(back["citations"][0]) >= {"n", "source", "title", "quote", "start", "end"}


def test_sources_list_metadata_and_chunk_counts(assistant):
    rows = {r.source: r for r in assistant.sources()}
    assert len(rows) == 5
    assert rows["004_8122d49cfe791c67.txt"].author == "Tyler Durden"
    assert rows["004_8122d49cfe791c67.txt"].published == "2024-11-30"
    assert all(r.chunks > 0 and r.title for r in rows.values())
