"""Follow-up questions without an LLM: rewrite "and when did they take Hama?" against the last question.

Rules, in order:
1. "what/how about X?", "and X?" (X alone, no verb): the previous question with its last name
   (or its subject) replaced by X.  "When did the rebels capture Hama?" + "what about Homs?" ->
   "When did the rebels capture Homs?"
2. Pronouns that point back (they, them, their, it, its, he, him, his, she, her, there): replaced
   by the previous question's subject ("the rebels", "HTS") or, for "there", its last place.
A message that needs none of this is returned unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rag.question import entities, people
from rag.tokens import tokenize
from rag.types import Turn
from rag.vocab import PERSONAL_PRONOUNS

_LEAD = re.compile(r"^\s*(?:and|but|so|also|then|ok(?:ay)?|now)\b[,\s]*", re.I)
_ABOUT = re.compile(r"^\s*(?:what|how)\s+about\s+(.+?)[\s?.!]*$", re.I)
_POINTERS = {
    "they": "S",
    "them": "S",
    "their": "S's",
    "theirs": "S's",
    "it": "S",
    "its": "S's",
    "he": "S",
    "him": "S",
    "his": "S's",
    "she": "S",
    "her": "S's",
    "there": "in P",
}
_POINTER_RE = re.compile(r"\b(" + "|".join(_POINTERS) + r")\b", re.I)
_AUX = r"(?:did|does|do|is|was|were|are|has|have|had|will|would|can|could)"
_SUBJECT = re.compile(
    rf"^\s*(?i:when|where|who|whom|what|why|which|how(?:\s+(?:many|much|long))?)(?:\s+\w+)??\s+(?i:{_AUX})\s+"
    r"((?i:the\s+)?[\w’'\-]+(?:\s+(?:al-|el-)?[A-Z][\w’'\-]+)*)"
)
_VERBISH = re.compile(
    rf"\b(?:{_AUX}|took|take|captured?|entered?|lead|leads|led|said|says|happened|went)\b", re.I
)
_WH_START = re.compile(r"^\s*(?:when|where|who|what|why|which|how)\b", re.I)


def _entity_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of capitalised names in ``text``, skipping a sentence-initial question word."""
    spans = []
    for words in entities(text):
        phrase = re.escape(words[0])
        for m in re.finditer(rf"(?<![\w-]){phrase}", text, re.I):
            end = m.end()
            for w in words[1:]:
                nxt = re.match(rf"\s+(?:al-|el-|of |bin |ibn )?{re.escape(w)}", text[end:], re.I)
                if not nxt:
                    break
                end += nxt.end()
            if m.start() > 0 and text[m.start()].isupper():
                spans.append((m.start(), end))
    return sorted(set(spans))


_OBJECT = re.compile(r"^\s*(?i:who|what|which)\s+\w+\s+((?i:the|a|an)\s+[^?]+?)\s*\?*\s*$")
_DESCRIBE = re.compile(
    r"^\s*(?i:who|what)\s+(?i:is|was|are|were)\s+((?:the\s+)?[A-Z][^?]*?)\s*\?*\s*$"
)


def subject(question: str) -> str:
    """What the question is about: 'the rebels' in 'When did the rebels enter Aleppo?', 'the
    operations room …' in 'Who leads the operations room …?', else its first name."""
    m = _DESCRIBE.match(question) or _SUBJECT.match(question) or _OBJECT.match(question)
    if m and m.group(1).lower() not in _POINTERS:
        return m.group(1)
    spans = _entity_spans(question)
    return question[spans[0][0] : spans[0][1]] if spans else ""


def _place(question: str) -> str:
    spans = _entity_spans(question)
    return question[spans[-1][0] : spans[-1][1]] if spans else ""


def needs_context(message: str) -> bool:
    body = _LEAD.sub("", message)
    return bool(_LEAD.match(message) or _ABOUT.match(body) or _POINTER_RE.search(body))


def _answered_person(question: str, answer: str) -> str:
    """For a 'who'/'which' question asking for someone (not 'who is X?'), the first name the answer
    gives that the question did not: after 'Who leads HTS?', 'he' is the leader, not HTS."""
    if (
        not answer
        or not re.match(r"^\s*(?:who|which)\b", question, re.I)
        or _DESCRIBE.match(question)
    ):
        return ""
    asked = set(people(question))
    body = re.sub(r"^According to [^:]{1,200}: ", "", answer)
    want = set(tokenize(question))
    best, best_score = "", -1
    for name in dict.fromkeys(people(body)):
        if name in asked:
            continue
        m = re.search(re.escape(name).replace(r"\ ", r"\s+"), body, re.I)
        if not m:
            continue
        # The name the answer puts next to the question's own words is the one it gives as the answer.
        near = set(tokenize(body[m.end() : m.end() + 80]))
        score = len(near & want)
        if score > best_score:
            best, best_score = body[m.start() : m.end()], score
    return best


def rewrite_followup(message: str, previous: list[str], last_answer: str = "") -> str:
    """``message`` made standalone using the last of ``previous`` (standalone) questions and, for
    he/she after a 'who' question, the person the last answer named."""
    if not previous or not message.strip():
        return message
    prev = previous[-1].strip()
    body = _LEAD.sub("", message).strip()
    about = _ABOUT.match(body)
    bare = bool(_LEAD.match(message)) and not _WH_START.match(body) and not _VERBISH.search(body)
    if about or bare:
        new = (about.group(1) if about else body).strip(" ?.!")
        new = re.sub(r"^(?:of|in|for|at|on)\s+", "", new, flags=re.I)
        spans = _entity_spans(prev)
        if spans:
            a, b = spans[-1]
            return prev[:a] + new + prev[b:]
        subj = subject(prev)
        return prev.replace(subj, new, 1) if subj else message
    if not _POINTER_RE.search(body):
        return message
    subj, place = subject(prev), _place(prev)
    person = _answered_person(prev, last_answer)

    def swap(m: re.Match) -> str:
        if person and m.group(1).lower() in PERSONAL_PRONOUNS:
            return person + ("'s" if m.group(1).lower() in ("his", "their") else "")
        pattern = _POINTERS[m.group(1).lower()]
        if pattern == "in P":
            return f"in {place}" if place else m.group(0)
        if not subj:
            return m.group(0)
        return pattern.replace("S", subj)

    own_names = bool(_entity_spans(" " + body))

    def pointing_back(m: re.Match) -> bool:
        """Only pronouns that must mean something outside the message: a subject right after the
        auxiliary ('did they'), an object ('them', 'him'), 'there', or a possessive when the message
        names nothing of its own ('who is their leader?'; not 'Assad's regime lost its grip')."""
        word = m.group(1).lower()
        if word in ("them", "him", "there"):
            return True
        if word in ("they", "he", "she", "it"):
            before = body[: m.start()].split()
            return (
                not before
                or bool(re.fullmatch(_AUX, before[-1], re.I))
                or (
                    word == "it"
                    and bool(
                        re.fullmatch(r"in|of|on|at|from|with|about|into|for", before[-1], re.I)
                    )
                )
            )
        return not own_names

    out = _POINTER_RE.sub(lambda m: swap(m) if pointing_back(m) else m.group(0), body)
    if out == body:
        return message
    return out[0].upper() + out[1:]


def standalone(history: list[Turn], message: str, by_llm: Callable[[list[Turn], str], str]) -> str:
    """The follow-up ``message`` rewritten as a question that stands on its own ('' when it already
    does). ``by_llm`` rewrites it with a model ('' when there is none or it fails); a rewrite much
    longer than the message is not trusted. The rules answer otherwise."""
    previous = [t.standalone or t.question for t in history if t.question]
    if not previous:
        return ""
    if needs_context(message):
        rewritten = by_llm(history, message)
        if rewritten and rewritten != message and len(rewritten) < 4 * len(message) + 200:
            return rewritten
    last_answer = next((t.answer for t in reversed(history) if t.question), "")
    rewritten = rewrite_followup(message, previous, last_answer)
    return rewritten if rewritten != message else ""
