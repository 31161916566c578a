"""Word tokens for keyword search and evidence checks: lowercase, stopwords out, light stemming."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_INNER_APOSTROPHE = re.compile(r"(?<=[^\W\d_])[’'](?=[^\W\d_]{2,})")
_WORD = re.compile(r"[^\W_]+(?:[’'][st]\b)?", re.UNICODE)

STOPWORDS = frozenset(
    """
    a an the and or but if then so of to in on at by for with from into onto over under about as
    is are was were be been being am do does did doing done have has had having will would shall
    should can could may might must it its it's this that these those there here i me my we our
    us you your he him his she her they them their theirs what which who whom whose when where
    why how than too very not no nor only own same such both each few more most other some any
    all also just s t said says say according after before during while since until up down out
    off again further once
    """.split()
)


# Bumped whenever tokenize() changes what it returns: an index keeps each chunk's tokens, and tokens
# made by another version no longer match the question's.
VERSION = "2"

# The texts are the corpus sentences, seen again by every question that retrieves them: tokenising
# them once per process instead of once per question is most of the warm answer time.
_CACHE = 1 << 15


@lru_cache(maxsize=_CACHE)
def fold(text: str) -> str:
    """Lowercase and strip accents, so 'Erdoğan' matches 'Erdogan'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    # Drop the accents NFKD split off; looking at each distinct character once, not at every one.
    marks = {c for c in set(decomposed) if ord(c) > 127 and unicodedata.combining(c)}
    plain = decomposed.translate(dict.fromkeys(map(ord, marks))) if marks else decomposed
    # "Hay’at" is one word; "Syria’s" keeps its possessive apostrophe for words() to drop.
    return _INNER_APOSTROPHE.sub("", plain)


# Irregular verb forms news text is full of, mapped to the base form.
_IRREGULAR = {
    "led": "lead",
    "took": "take",
    "taken": "take",
    "fled": "flee",
    "left": "leave",
    "began": "begin",
    "begun": "begin",
    "fell": "fall",
    "fallen": "fall",
    "won": "win",
    "fought": "fight",
    "held": "hold",
    "met": "meet",
    "sent": "send",
    "gave": "give",
    "given": "give",
    "brought": "bring",
    "went": "go",
    "gone": "go",
    "came": "come",
    "ran": "run",
    "saw": "see",
    "seen": "see",
    "made": "make",
    "struck": "strike",
    "told": "tell",
    "known": "know",
    "knew": "know",
    "lost": "lose",
    "chose": "choose",
    "chosen": "choose",
    "drove": "drive",
    "driven": "drive",
    "rose": "rise",
    "risen": "rise",
    "kept": "keep",
    "built": "build",
    "spoke": "speak",
    "spoken": "speak",
    "wrote": "write",
    "written": "write",
    "thought": "think",
    "found": "find",
    "bought": "buy",
    "sought": "seek",
    "stood": "stand",
    "overthrew": "overthrow",
    "overthrown": "overthrow",
    "withdrew": "withdraw",
    "withdrawn": "withdraw",
    # Who does it, to what they do: 'leader' ~ 'led', 'winner' ~ 'won'.
    "leader": "lead",
    "leaders": "lead",
    "winner": "win",
    "winners": "win",
    "owner": "own",
    "owners": "own",
    "commander": "command",
    "commanders": "command",
    "killed": "kill",
    "died": "die",
    "dead": "die",
    "death": "die",
    "deaths": "die",
}


@lru_cache(maxsize=_CACHE)
def stem(word: str) -> str:
    """A deliberately light suffix stripper: enough to match 'captured'/'capture'/'capturing'."""
    if word in _IRREGULAR:
        return stem(_IRREGULAR[word]) if _IRREGULAR[word] != word else word
    if word.isdigit() or len(word) <= 3 or word.endswith("ee"):
        return word
    for suffix, keep in (
        ("ies", "y"),
        ("ied", "y"),
        ("ing", ""),
        ("ed", ""),
        ("es", ""),
        ("s", ""),
        ("e", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            base = word[: len(word) - len(suffix)] + keep
            if (
                suffix in ("ing", "ed")
                and len(base) > 3
                and base[-1] == base[-2]
                and base[-1] not in "ls"
            ):
                base = base[:-1]  # 'stopped' -> 'stop'
            return base
    return word


_SUFFIX = re.compile(r"[’'][st]$")


@lru_cache(maxsize=_CACHE)
def _words(text: str) -> tuple[str, ...]:
    return tuple(_SUFFIX.sub("", w) for w in _WORD.findall(fold(text)))


@lru_cache(maxsize=_CACHE)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(
        stem(w) for w in _words(text) if w not in STOPWORDS and (len(w) > 2 or w.isdigit())
    )


def words(text: str) -> list[str]:
    """Raw folded words, apostrophe suffixes dropped ("Syria’s" -> "syria")."""
    return list(_words(text))


def document_words(text: str) -> list[str]:
    """``words`` for a whole document: not cached (an archive's documents would fill the cache with
    text seen once)."""
    return [_SUFFIX.sub("", w) for w in _WORD.findall(fold.__wrapped__(text))]


def tokenize(text: str) -> list[str]:
    """Content tokens, stemmed. 'al-Assad' gives ['assad'] ('al' is too short to carry meaning)."""
    return list(_tokens(text))
