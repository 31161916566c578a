"""The words the engine knows by heart (rag.vocab): months, number words, ordinals."""

import pytest

from rag import vocab


@pytest.mark.parametrize(
    "token, number",
    [("December", 12), ("dec.", 12), ("Sept", 9), ("September", 9), ("May", 5)],
)
def test_month_number(token, number):
    assert vocab.month_number(token) == number


def test_month_number_of_a_non_month_is_zero():
    assert vocab.month_number("Tuesday") == 0


def test_month_name():
    assert vocab.month_name(12) == "December" and vocab.month_name(9, short=True) == "Sep"


def test_number_words():
    assert vocab.SMALL_NUMBERS["twenty"] == "20" and vocab.TENS["ninety"] == "90"
    assert vocab.ORDINAL_NUMBERS["tenth"] == "10" and "last" not in vocab.ORDINAL_NUMBERS


def test_date_patterns():
    assert vocab.DAY_MONTH.search("on 29th of November").groups() == ("29", "November")
    assert vocab.MONTH_DAY.search("Dec 8 was a Sunday").groups() == ("Dec", "8")
    # 'Dec 8, 2024': the 8 is the day; 'Dec 2024' has no day
    assert vocab.MONTH_DAY.search("in Dec 2024") is None


def test_number_values():
    from rag.vocab import number_value

    assert [number_value(w) for w in ("3", "three", "Forty", "twenty-two", "an")] == [
        3,
        3,
        40,
        22,
        1,
    ]
    assert [number_value(w) for w in ("ten-two", "two-three", "many", "")] == [None] * 4
