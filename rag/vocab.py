"""Words the engine knows by heart, each list in one place: month and weekday names, number words,
ordinals, the pronouns that point back to someone named earlier, and the date patterns built from them.

Question analysis, answer checking, the answer's date labels and the follow-up rewriter read them
from here. Everything is lower case; callers fold what they compare.
"""

from __future__ import annotations

import re

from rag.tokens import fold

MONTHS = tuple(
    "january february march april may june july august september october november december".split()
)
# 'jan' -> 1 ... 'dec' -> 12, and 'sept'
MONTH_ABBREVIATIONS = {m[:3]: i + 1 for i, m in enumerate(MONTHS)} | {"sept": 9}
MONTH_RE = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
WEEKDAYS = tuple("monday tuesday wednesday thursday friday saturday sunday".split())
WEEKDAY_ABBREVIATIONS = tuple(d[:3] for d in WEEKDAYS)
WEEKDAY_RE = "(?:" + "|".join(WEEKDAYS) + ")"

# '14 December', '14th of Dec.'; 'December 14', 'Dec 14th' (not 'Dec 14, 2024' read as a day, see below)
DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+({MONTH_RE})(?![a-z])", re.I)
MONTH_DAY = re.compile(rf"\b({MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s*\d{{3}})", re.I)

# one .. twenty, the tens, then the large ones and their plurals (order matters: see below)
NUMBER_WORDS = tuple(
    """
    one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
    hundred thousand million billion dozen dozens hundreds thousands millions
    """.split()
)
SMALL_NUMBERS = {w: str(i + 1) for i, w in enumerate(NUMBER_WORDS[:20])}  # "two" -> "2"
TENS = {w: str(30 + 10 * i) for i, w in enumerate(NUMBER_WORDS[20:27])}  # "forty" -> "40"
# first .. tenth, then the ordinals with no number
ORDINALS = tuple(
    "first second third fourth fifth sixth seventh eighth ninth tenth final last".split()
)
ORDINAL_NUMBERS = {w: str(i + 1) for i, w in enumerate(ORDINALS[:10])}

# Pronouns that stand for a person or group named earlier ('it' and 'there' point at things and places).
PERSONAL_PRONOUNS = frozenset("he him his she her they them their".split())


def number_value(word: str) -> int | None:
    """'3', 'three', 'forty', 'twenty-two' -> 3, 3, 40, 22; 'a'/'an' -> 1; None for anything else."""
    w = word.lower()
    if w.isdigit():
        return int(w)
    if w in ("a", "an"):
        return 1
    if "-" in w:
        tens, _, ones = w.partition("-")
        a, b = number_value(tens), number_value(ones)
        return a + b if a and b and a % 10 == 0 and a >= 20 and b < 10 else None
    n = SMALL_NUMBERS.get(w) or TENS.get(w)
    return int(n) if n else None


def month_number(token: str) -> int:
    """'December', 'dec.', 'Sept' -> 12, 12, 9; 0 for anything else."""
    t = fold(token).rstrip(".")
    return MONTH_ABBREVIATIONS.get(t[:4] if t.startswith("sept") else t[:3], 0)


def month_name(number: int, short: bool = False) -> str:
    """12 -> 'December' ('Dec' when ``short``)."""
    name = MONTHS[number - 1].capitalize()
    return name[:3] if short else name
