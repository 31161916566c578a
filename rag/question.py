"""What a question asks for: the kind of answer (a date, a number, a place, a name) and its key terms.

The kind drives abstention: a passage that mentions the right people and event but holds no date
does not answer "when".
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rag.errors import QuestionError
from rag.tokens import STOPWORDS, fold, stem, tokenize
from rag.vocab import (
    DAY_MONTH,
    MONTH_DAY,
    MONTH_RE,
    MONTHS,
    NUMBER_WORDS,
    ORDINAL_NUMBERS,
    ORDINALS,
    SMALL_NUMBERS,
    WEEKDAY_ABBREVIATIONS,
    WEEKDAY_RE,
    WEEKDAYS,
    month_number,
)

DATE, NUMBER, PLACE, PERSON, OTHER = "date", "number", "place", "person", "other"
# Kinds with no single value to check: a reason ("why"), a way ("how did"), a named thing of the
# kind the question names ("which bridge").
REASON, MANNER, THING = "reason", "manner", "thing"

# Earliest match in the question decides the kind.
_KIND_PATTERNS = [
    (
        REASON,
        r"\bwhy\b|\bwhat (?:caused|led to|prompted|triggered|drove)\b|\bfor what reason\b|\bwhat (?:is|was) the (?:reason|cause)\b",
    ),
    (
        MANNER,
        r"\bhow (?:did|do|does|was|were|is|are|will|would|has|have|had|could|can)\b|\bin what way\b|\bby what means\b",
    ),
    (
        DATE,
        r"\bwhen\b|\bwhat (?:date|day|year|month|time)\b|\bwhich (?:date|day|year|month)\b|\bsince when\b|\bhow long ago\b|\bon what date\b|\bin what year\b",
    ),
    (
        NUMBER,
        r"\bhow (?:many|much|far|large|big|old|long|deep|wide|high|tall|heavy|fast|late|early|strong|severe|hot|cold|close|steep|small)\b|\bwhat (?:number|percentage|share|proportion)\b|"
        r"\bwhat (?:is|was|are|were) the (?:population|size|death toll|toll|cost|price|distance|length|area|age|rate|budget|total|number|percentage)\b|"
        r"\bwhat\b[^?]*\bworth\b|\bwhat (?:did|does|do|will|would|could)\b[^?]*\bcost\b",
    ),
    (
        PLACE,
        r"\bwhere\b|\b(?:which|what) (?:city|town|country|province|region|area|village|place|border|governorate)\b|\bin which (?:city|town|country|province|region)\b",
    ),
    (
        PERSON,
        r"\bwho(?:m|se)?\b|\b(?:which|what) (?:group|organi[sz]ation|faction|person|commander|leader|outlet|newspaper|agency|country|militia|official|minister|journalist|media)\b",
    ),
]
_KIND_RES = [(k, re.compile(p)) for k, p in _KIND_PATTERNS]

# Words that say what kind of answer is wanted; they need not appear in the evidence.
TYPE_WORDS = frozenset(
    tokenize(
        "date day year month time number many much percentage share proportion city town country "
        "province region area village place name person group organisation organization faction "
        "happen happened take took exactly approximately roughly long ago far large big old "
        "outlet newspaper agency media channel get got gotten getting"
    )
)

_NUMERIC_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{2,4})\b")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_MONTH_ALONE = re.compile(
    rf"\b(?:early|mid|late|end of|beginning of|in)[- ]({MONTH_RE})(?![a-z])", re.I
)
_RELATIVE = re.compile(
    rf"\b(?:{WEEKDAY_RE}|yesterday|today|tomorrow|(?:last|this|next) (?:week|month|year|weekend)|"
    r"(?:\w+|\d+) (?:days?|weeks?|months?|years?|hours?) (?:later|earlier|ago|before|after))\b",
    re.I,
)

_NUMBER_RE = re.compile(r"\b\d[\d,.]*\b|\b(?:" + "|".join(NUMBER_WORDS) + r")\b", re.I)

_PLACE_PREP = re.compile(
    r"\b(?:in|to|from|at|near|into|towards?|outside|across|inside|through|via|of|around|"
    r"reach(?:ed|ing)?|enter(?:ed|ing)?|captur(?:ed|ing|e)|took|seiz(?:ed|ing|e)|fled|flee)\s+"
    r"((?:the\s+)?[A-Z][\w’'\-]+(?:\s+(?:al-|el-)?[A-Z][\w’'\-]+)*)"
)
# A name: capitalised words, or an all-capitals one ('HTS', 'UN') standing alone.
_NAME = re.compile(
    r"\b([A-Z][\w’'\-]*[a-z][\w’'\-]*(?:\s+(?:al-|el-|bin |ibn |de |van )?[A-Z][\w’'\-]+)*|[A-Z]{2,6}\b)"
)
# Capitalised at the start of a sentence or as a date, not names.
_NOT_NAMES = {
    *MONTHS,
    *WEEKDAYS,
    *WEEKDAY_ABBREVIATIONS,
    *NUMBER_WORDS,
    *"""
    the a an in on at but and so as he she it they we i this that there these those his her
    their our its after before while since when during according meanwhile however also although
    though once if with for from by to of what who where why how no not
    """.split(),
}

# ... and the words a question starts with
_NOT_NAMES_OR_ASKING = _NOT_NAMES | set(
    "which whom whose did does is was were are has have had".split()
)


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    kind: str
    terms: tuple[str, ...]  # content tokens, type words removed
    given: frozenset[str]  # folded words of the question, to tell new values from echoed ones
    # names the question is about; evidence must mention each
    entities: tuple[tuple[str, ...], ...] = ()
    counted: tuple[str, ...] = ()  # for "how many X": X, which a number in the evidence must count
    focus: str = ""  # the noun of "which X" / "what X" / a keyword query's head ('bridge'), stemmed
    qualifiers: tuple[str, ...] = ()  # year, quarter, round, date the answer must agree with
    parts: tuple[str, ...] = ()  # the two questions of a two-part question, each standing alone
    keyword: bool = False  # a search-box query with no question word ("Veltra revenue Q3 2023")
    unknown: tuple[str, ...] = ()  # its terms no article uses, even after spelling correction
    # for a number: 'money', 'percent', 'duration' or 'age' when the question says which
    unit: str = ""


def validate(text: object, max_chars: int) -> str:
    if not isinstance(text, str):
        raise QuestionError("the question must be text")
    text = re.sub(r"\x1b\[[0-9;?]*[ -/]*[@-~]", " ", text)  # terminal escape sequences
    cleaned = "".join(c for c in text if unicodedata.category(c)[0] != "C" or c in "\n\t")
    cleaned = " ".join(cleaned.split())
    if not cleaned:
        raise QuestionError("the question is empty: type a question about the articles")
    if len(cleaned) > max_chars:
        raise QuestionError(
            f"the question is too long ({len(cleaned)} characters; the limit is {max_chars}, set by RAG_MAX_QUESTION_CHARS)"
        )
    if not re.search(r"[^\W\d_]{2,}", cleaned):
        raise QuestionError("the question has no words in it")
    return cleaned


_WH = ["when", "where", "who", "how", "which", "what", "why", "whom", "whose"]


def _fix_wh_word(low: str) -> str:
    """A misspelled leading question word ('whn', 'wher', 'hw') is read as the nearest real one."""
    m = re.match(r"\s*([a-z]+)", low)
    if not m or m.group(1) in _WH or len(m.group(1)) < 2:
        return low
    close = difflib.get_close_matches(m.group(1), _WH, n=1, cutoff=0.75)
    return low[: m.start(1)] + close[0] + low[m.end(1) :] if close else low


# What may stand before a question word that asks: nothing, a preposition ('in which town', 'by how
# much'), a conjunction or a comma ('Apart from X, how many'), or an opening that embeds the question
# ('tell me who', 'do you know when'). After a noun the word opens a relative clause ('students who
# missed the exam', 'the garage where it was hidden', 'the ranking when she won') and asks nothing.
_ASKING_BEFORE = re.compile(
    r"(?:^|[,;:(]|\b(?:in|on|at|for|by|from|since|to|of|with|until|about|over|regarding|and|but|or|so|me|us|know|say|"
    r"tell|explain|describe|ask|asked|wonder|exactly|then|now|just))\s*$"
)


def question_kind(text: str) -> str:
    """The kind of answer the earliest asking question word wants; a question word opening a relative
    clause ('What happens to students who missed it?') does not decide."""
    low = _fix_wh_word(fold(text))
    best = (len(low) + 1, OTHER)
    for kind, rx in _KIND_RES:
        for m in rx.finditer(low):
            if m.start() >= best[0]:
                break
            if _ASKING_BEFORE.search(low[: m.start()]):
                best = (m.start(), kind)
                break
    return best[1]


_WHO_IS = re.compile(
    r"^\s*(?:who|what)\s+(?:is|was|are|were)\s+(?:the\s+)?([^?]+?)\s*\??\s*$", re.I
)


def _asks_for_description(text: str, ents: tuple[tuple[str, ...], ...]) -> bool:
    """'Who is Ahmed al-Dalati?' asks what the sources say about a name, not for a name."""
    m = _WHO_IS.match(text)
    if not m or not ents:
        return False
    rest = [w for w in re.findall(r"[^\W_]+", fold(m.group(1))) if w not in _PARTICLES]
    named = {w for e in ents for w in e}
    return bool(rest) and all(w in named for w in rest)


def analyze(text: object, max_chars: int = 1000) -> Question:
    cleaned = validate(text, max_chars)
    main = main_clause(_CONTRACTION.sub(r"\1 is", cleaned))
    kind = question_kind(main)
    ents = entities(cleaned)
    if kind in (PERSON, OTHER) and _asks_for_description(cleaned, ents):
        kind = OTHER
    focus, focus_kind = focus_noun(main)
    keyword = is_keyword_query(cleaned)
    if focus_kind and (
        kind == OTHER or (kind == PERSON and focus_kind != PERSON and _WHICH.search(fold(main)))
    ):
        kind = focus_kind
    elif kind == OTHER and focus and _WHICH.search(fold(main)):
        kind = THING
    terms = tuple(
        t for t in dict.fromkeys(tokenize(_fix_wh_word(fold(cleaned)))) if t not in TYPE_WORDS
    )
    given = set(re.findall(r"\w+", fold(cleaned)))
    given.update(acronym(e) for e in ents if len(e) > 1)
    counted = ()
    m = re.search(r"\bhow many\s+(.*)", fold(main))
    if m:
        # The counted noun phrase runs up to the verb: 'how many disposable gowns did ...'.
        phrase = re.split(_COUNTED_END, m.group(1), maxsplit=1)[0]
        counted = tuple(tokenize(phrase)[:3]) or tuple(
            t for t in tokenize(m.group(1))[:3] if t not in TYPE_WORDS
        )
    return Question(
        cleaned,
        kind,
        terms,
        frozenset(given),
        ents,
        counted,
        focus=focus,
        qualifiers=qualifiers(cleaned),
        parts=split_parts(cleaned),
        keyword=keyword,
        unit=number_unit(main) if kind == NUMBER else "",
    )


_UNITS = [
    (
        "percent",
        r"\bpercent(?:age)?\b|%|\bshare\b(?!\s+price)|\bproportion\b|\b(?:rate|turnout|margin|inflation|growth)\b",
    ),
    (
        "money",
        r"\bmoney\b|\bfee\b|\bcost\b|\bpaid\b|\bpay\b|\bfined?\b|\bprice\b|\bbudget\b|\brevenue\b|\bprofit\b|\bsales\b|\bsalary\b|\bwages?\b|\bearn\w*|\bworth\b|\bspen[dt]\b|\bdamages?\b|\bloss(?:es)?\b|\bprize\b|\bbonus\b|\beuros?\b|\bdollars?\b|\bpounds\b|\bfunding\b|\baid\b",
    ),
    ("age", r"\bhow old\b|\bage\b"),
    ("duration", r"\bhow long\b|\bhow many (?:years|months|weeks|days|hours|minutes)\b"),
]


def number_unit(text: str) -> str:
    """What a number answering this question is measured in, when the question says."""
    low = fold(text)
    for unit, pattern in _UNITS:
        if re.search(pattern, low):
            return unit
    return ""


_UNIT_IN_TEXT = {
    "percent": re.compile(r"\d\s*(?:%|per ?cent|percentage point)", re.I),
    "money": re.compile(
        r"[$€£¥]\s*\d|\d[\d.,]*\s*(?:m|bn|k)?\s*(?:euros?|dollars?|pounds|marks|valdors?|francs|yen|crowns)\b|\b(?:usd|eur|gbp)\s*\d",
        re.I,
    ),
    "age": re.compile(
        r"\b\d{1,3}(?:-year-old|,\s*(?:is|was|has|had|who)\b| years? old)|,\s*\d{2},", re.I
    ),
    "duration": re.compile(
        r"\b(?:\d+|\w+)[- ](?:years?|months?|weeks?|days?|hours?|minutes?)\b", re.I
    ),
}


def has_unit(unit: str, text: str) -> bool:
    """Whether the text states a number in that unit ('$3.2 million', '30 percent', '59-year-old')."""
    rx = _UNIT_IN_TEXT.get(unit)
    return True if rx is None else bool(rx.search(text))


_COUNTED_END = re.compile(
    r"\b(?:did|do|does|were|was|are|is|have|has|had|will|would|could|can|in|on|at|of|for|to|by|from|since|before|after|during|that|who|which)\b|[?,]"
)


# -- the parts of a question --------------------------------------------------------------------

_LEAD_CLAUSE = re.compile(
    r"^\s*(?:when|after|as|while|once|since|before|if|with|following)\b[^,?]{3,}?,\s*(.+)$", re.I
)
# "what's" -> "what is"
_CONTRACTION = re.compile(r"\b(what|who|where|when|how|which)['’]s\b", re.I)
_WH_ANY = re.compile(r"\b(?:who|whom|whose|what|which|when|where|why|how)\b", re.I)


def main_clause(text: str) -> str:
    """'When the strike hit the market, how many were wounded?' asks 'how many', not 'when'."""
    m = _LEAD_CLAUSE.match(text)
    if m and (_WH_ANY.search(m.group(1)) or _AUX_START.match(m.group(1))):
        return m.group(1)
    return text


_SECOND_PART = re.compile(
    r"(?:,\s*|\s+)(?:and|but)\s+((?:(?:by|for|in|at|on|from|to|with)\s+)?"
    r"(?:who|whom|whose|what|which|when|where|why|how)\b.*)$",
    re.I,
)


def split_parts(text: str) -> tuple[str, ...]:
    """'Who won the 2023 race, and by how much?' -> ('Who won the 2023 race?', 'by how much ... won
    the 2023 race?'). A short second part borrows the first part's words, which it refers back to."""
    m = _SECOND_PART.search(text)
    if not m or not _WH_ANY.match(text.strip()) and not _WH_ANY.search(text[: m.start()]):
        return ()
    first = text[: m.start()].strip().rstrip(",;") + "?"
    second = m.group(1).strip().rstrip("?").strip()
    if len(tokenize(first)) < 1:
        return ()
    if len([t for t in tokenize(second) if t not in TYPE_WORDS]) < 2:
        rest = _WH_ANY.sub("", first.rstrip("?"), count=1).strip()
        second = f"{second} {rest}"
    return (first, second + "?")


_WHICH = re.compile(r"\b(?:which|what)\b")
_FOCUS = re.compile(
    r"\b(?:which|what)\s+(?:(?:is|was|are|were)\s+(?:the|a|an)\s+)?(?:kind of |type of |sort of |name of the |name of )?((?:[a-z&][\w&-]*(?:['’]s?)?\s*){1,6})"
)
# 'What was core inflation …', 'What were Harcourt & Lowe's total sales …': no article; the noun
# counts only when it names a kind of answer ('What is Hamas?' asks for a description).
_FOCUS_BARE = re.compile(r"\bwhat\s+(?:is|was|are|were)\s+((?:[a-z&][\w&-]*(?:['’]s?)?\s*){1,6})")
# Where the noun phrase of 'which X' ends: a verb, an auxiliary, a preposition.
_PHRASE_END = re.compile(
    r"^(?:did|do|does|is|was|are|were|has|have|had|will|would|can|could|should|get|gets|got|last|next|this|these|those|each|every|per|of|in|on|at|for|from|to|by|with|about|after|before|during|since|when|where|while|that|who|whom|whose|which|and|or|\w+ed)$"
)
_NOT_FOCUS = set(STOPWORDS) | {"happened", "happens", "exactly", "else", "kind", "type", "sort"}

# What the noun of a "which X" / "what was the X" question (or a keyword query) asks for. Nouns not
# listed ask for a named thing of that kind: "which bridge" wants a bridge's name.
_FOCUS_KINDS = {
    PERSON: "who person people group organisation organization faction commander leader outlet "
    "newspaper agency media official minister journalist winner ceo chief head chair chairman "
    "chairwoman director coach manager captain mayor governor president judge prosecutor "
    "spokesman spokeswoman spokesperson candidate rider cyclist player scorer striker goalkeeper "
    "team club party company firm union airline operator manufacturer militia country "
    "author founder owner champion defendant witness suspect lawyer architect artist member "
    "members staff employee worker doctor nurse expert analyst economist scientist researcher",
    NUMBER: "number many much percentage share proportion population size toll cost price "
    "distance length area age rate budget total turnout attendance revenue sales profit loss "
    "score fee salary fine amount figure temperature speed depth height weight capacity "
    "inflation growth sum tally majority margin magnitude value count worth",
    DATE: "date day year month time deadline",
    PLACE: "place city town country province region area village border governorate venue "
    "location site district neighbourhood neighborhood epicentre epicenter",
}
_FOCUS_KIND = {stem(w): k for k, ws in _FOCUS_KINDS.items() for w in ws.split()}


def _focus_phrase(words: list[str], owner_asked: bool) -> list[str]:
    """The noun phrase at the start of ``words``, up to a verb or preposition. An owner before "'s"
    is not the focus ('what was the firm's revenue') unless the question word asks for it
    (``owner_asked``: 'which country's army' asks for a country)."""
    phrase: list[str] = []
    owner = ""
    for i, w in enumerate(words):
        if _PHRASE_END.match(w):
            break
        if w.endswith(("'s", "’s", "'", "’")):
            w = w[:-2] if w.endswith("s") and w[-2] in "'’" else w[:-1]
            if owner_asked:  # 'which country's army' asks for a country; later, the verb has passed
                return [w] if i == 0 else phrase
            owner, phrase = w, []
            continue
        phrase.append(w)
    if phrase == ["name"] and owner:  # 'the first patient's name' asks for the patient
        return [owner]
    return phrase


_NAMED_AFTER = re.compile(r"^[^?]*?\b(?:called|named|known as)\s*\??$")


def focus_noun(text: str) -> tuple[str, str]:
    """(stemmed noun, the kind it asks for or '') of 'which X' / 'what is the X'; for a keyword query,
    its last noun that names a kind. ('', '') when there is none."""
    low = fold(text)
    m = _FOCUS.search(low)
    if m:
        owner_asked = not re.match(r"\w+\s+(?:is|was|are|were)\b", m.group())
        phrase = _focus_phrase(m.group(1).split(), owner_asked)
        if phrase and phrase[-1] not in _NOT_FOCUS:
            noun = stem(phrase[-1])
            # 'the name of the van driver who survived': a noun a 'who' clause follows is a person
            if re.search(rf"\b{re.escape(phrase[-1])}\s+who(?:m|se)?\b", low):
                return noun, PERSON
            return noun, _FOCUS_KIND.get(noun, "")
    m = _FOCUS_BARE.search(low)
    if m and not _WH_ANY.search(low[: m.start()]):
        ws = m.group(1).split()
        phrase = _focus_phrase(ws, owner_asked=False)
        if phrase:
            noun = stem(phrase[-1])
            if _NAMED_AFTER.search(" ".join(ws)):  # 'what is the company's new chip called'
                return noun, THING
            if noun in _FOCUS_KIND:
                return noun, _FOCUS_KIND[noun]
    if is_keyword_query(text):
        for w in reversed(re.findall(r"[^\W_]+", low)):
            if stem(w) in _FOCUS_KIND:
                return stem(w), _FOCUS_KIND[stem(w)]
    return "", ""


_AUX_START = re.compile(
    r"^\s*(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|tell|list|give|show|name|explain|describe)\b",
    re.I,
)


def is_keyword_query(text: str) -> bool:
    """No question word and no opening verb: a search-box query."""
    return not _WH_ANY.search(text) and not _AUX_START.match(text)


_QUARTER = re.compile(r"\bq([1-4])\b|\b(first|second|third|fourth)[- ]quarter\b", re.I)
_ORDINAL = re.compile(
    r"\b("
    + "|".join(ORDINALS)
    + r")[- ](round|stage|leg|half|edition|phase|day|game|match|term|meeting|vote|ballot|test|wave|week)\b",
    re.I,
)
_NUMBERED = re.compile(
    r"\b(stage|round|leg|phase|game|match|day|week|heat|race)\s+(\d{1,2}|"
    + "|".join(NUMBER_WORDS[:20])
    + r")\b",
    re.I,
)
_QUARTER_WORDS = {"first": "1", "second": "2", "third": "3", "fourth": "4"}


def qualifiers(text: str) -> tuple[str, ...]:
    """What pins the question to one edition of events: 'y2023', 'q3', 'round:second', 'stage:5',
    'm03-d14'. A sentence about another one does not answer it."""
    out = [f"y{m.group(1)}" for m in _YEAR.finditer(text)]
    for m in _QUARTER.finditer(text):
        out.append("q" + (m.group(1) or _QUARTER_WORDS[fold(m.group(2))]))
    for m in _ORDINAL.finditer(text):
        out.append(f"{fold(m.group(2))}:{fold(m.group(1))}")
    for m in _NUMBERED.finditer(text):
        n = fold(m.group(2))
        out.append(f"{fold(m.group(1))}:{SMALL_NUMBERS.get(n, n)}")
    out += [d for d in dates(text) if d.startswith("m") and "-d" in d]
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=1 << 15)
def qualifier_values(text: str) -> frozenset[str]:
    """The qualifiers a passage states, in the same form (an ordinal and its number are one value)."""
    vals = set(qualifiers(text))
    for v in list(vals):
        cls, _, val = v.partition(":")
        if val in ORDINAL_NUMBERS:
            vals.add(f"{cls}:{ORDINAL_NUMBERS[val]}")
    return frozenset(vals)


_PARTICLES = {"al", "el", "bin", "ibn", "the", "de", "van", "von", "of", "abu"}
_ENTITY = re.compile(r"(?<![\w-])([A-Z][\w’'\-]*(?:\s+(?:al-|el-|of |bin |ibn )?[A-Z][\w’'\-]*)*)")


@lru_cache(maxsize=1 << 15)
def entities(text: str) -> tuple[tuple[str, ...], ...]:
    """Capitalised names in a question, as folded words without particles: 'Bashar al-Assad' -> ('bashar', 'assad')."""
    out = []
    body = text
    first = re.match(r"\s*\w+", body)
    for m in _ENTITY.finditer(body):
        if (
            first
            and m.start() == first.start() + (len(first.group()) - len(first.group().lstrip()))
            and fold(m.group().split()[0]) in _NOT_NAMES_OR_ASKING
        ):
            rest = m.group().split()[1:]
            if not rest:
                continue
            name = " ".join(rest)
        else:
            name = m.group()
        ws = tuple(
            w
            for w in re.findall(r"[^\W_]+", fold(name))
            if w not in _PARTICLES and w not in _NOT_NAMES
        )
        if ws:
            out.append(ws)
    return tuple(dict.fromkeys(out))


_DEFINITION = re.compile(
    r"((?:[A-Z][\w’'\-]+\s+(?:(?:of|for|and|the|on|in|de)\s+)*){1,8}[A-Z][\w’'\-]+)\s*\(([A-Z][A-Za-z]{1,7})\)"
)


def definitions(text: str) -> dict[str, tuple[str, ...]]:
    """Acronyms a text defines: 'the Syrian Observatory for Human Rights (SOHR)' -> {'sohr': ('syrian',
    'observatory', 'human', 'rights')}, folded words without particles. An article defines a name once
    and then uses the short form alone."""
    out: dict[str, tuple[str, ...]] = {}
    for m in _DEFINITION.finditer(text):
        short = fold(m.group(2))
        long = tuple(
            w
            for w in re.findall(r"[^\W_]+", fold(m.group(1)))
            if w not in _PARTICLES and w not in {"for", "and", "on", "in"}
        )
        if len(long) >= 2 and short[:1] in {w[:1] for w in long}:
            out.setdefault(short, long)
    return out


def acronym(words: tuple[str, ...]) -> str:
    return "".join(w[0] for w in words)


# -- values of each kind -------------------------------------------------------------------------


def dates(text: str) -> list[str]:
    """Normalised dates: 'm12-d08' for day+month, 'y2024' for years, 'm11' for a month, 'rel:...' for relative."""
    out: list[str] = []
    for m in DAY_MONTH.finditer(text):
        out.append(f"m{month_number(m.group(2)):02d}-d{int(m.group(1)):02d}")
    for m in MONTH_DAY.finditer(text):
        out.append(f"m{month_number(m.group(1)):02d}-d{int(m.group(2)):02d}")
    for m in _NUMERIC_DATE.finditer(text):
        a, b = int(m.group(1)), int(m.group(2))
        if a <= 12:
            out.append(f"m{a:02d}-d{b:02d}")
    for m in _MONTH_ALONE.finditer(text):
        out.append(f"m{month_number(m.group(1)):02d}")
    for m in _YEAR.finditer(text):
        out.append(f"y{m.group(1)}")
    for m in _RELATIVE.finditer(text):
        out.append("rel:" + fold(m.group()))
    return out


def numbers(text: str) -> list[str]:
    out = []
    for m in _NUMBER_RE.finditer(text):
        tok = m.group().rstrip(".,")
        if _YEAR.fullmatch(tok):  # a year is a date, not a count
            continue
        if fold(tok) == "one":  # too often "one of", "no one"
            continue
        out.append(fold(tok).replace(",", ""))
    return out


def places(text: str) -> list[str]:
    out = []
    for m in _PLACE_PREP.finditer(text):
        name = re.sub(r"^the\s+", "", m.group(1))
        if fold(name.split()[0]) not in _NOT_NAMES:
            out.append(fold(name))
    return out


_ADJECTIVE = re.compile(
    r"(?:-(?:backed|led|linked|based|held|affiliated|run|born)|ists?|ish|ian|ese|ic|ern)$", re.I
)


def names(text: str) -> list[str]:
    """Proper names: several capitalised words, or one that is neither sentence-initial nor an adjective."""
    out = []
    for m in _NAME.finditer(text):
        name = m.group(1)
        parts = name.split()
        first = fold(parts[0])
        initial = not text[: m.start()].strip() or text[: m.start()].rstrip()[-1:] in '.!?"“'
        if first in _NOT_NAMES or (initial and len(parts) > 1 and first in STOPWORDS):
            parts = parts[1:]
        elif initial and (first in STOPWORDS or re.search(r"(?:ed|ing|ly)$", first)):
            continue
        parts = [p for p in parts if not _ADJECTIVE.search(p)] if len(parts) == 1 else parts
        if not parts:
            continue
        name = " ".join(parts)
        if all(w in _NOT_NAMES for w in fold(name).split()):
            continue
        out.append(fold(name))
    return out


_LOCATIVE = re.compile(
    r"\b(?:in|at|near|into|towards?|outside|inside|across|around)\s+((?:the\s+)?[A-Z][\w’'\-]+(?:\s+(?:al-|el-)?[A-Z][\w’'\-]+)*)"
)


def people(text: str) -> list[str]:
    """Names that are not places: a name after 'in', 'at', 'near' ... is a place ('to X' may be a person)."""
    where = {fold(re.sub(r"^the\s+", "", m.group(1))) for m in _LOCATIVE.finditer(text)}
    return [n for n in names(text) if n not in where]


_FINDERS = {DATE: dates, NUMBER: numbers, PLACE: places, PERSON: people, THING: names}


@lru_cache(maxsize=1 << 16)
def values_of(kind: str, text: str) -> tuple[str, ...]:
    """The values of one kind a text states (cached: corpus sentences are seen by many questions)."""
    finder = _FINDERS.get(kind)
    return tuple(finder(text)) if finder else ()


def new_values(q: Question, text: str) -> tuple[str, ...]:
    """Values of the kind the question asks for that the question did not already contain."""
    if q.kind not in _FINDERS:
        return ()
    given_values = set(values_of(q.kind, q.text))
    out = []
    for v in values_of(q.kind, text):
        if v in given_values:
            continue
        ws = [w for w in re.findall(r"[^\W_]+", v) if w not in _PARTICLES]
        if q.kind in (PLACE, PERSON) and (
            all(w in q.given for w in ws) or (len(ws) > 1 and acronym(tuple(ws)) in q.given)
        ):
            continue  # the name is the question's own subject, not an answer
        out.append(v)
    return tuple(dict.fromkeys(out))
