"""Versions of one story: a wire report updated in place ("UPDATE 2-…") arrives as a new document that
repeats most of the old one and changes a figure, a name or a date.

Such a document is neither a new independent source (it would confirm its own earlier figure) nor a
copy to drop (the new figure would be lost). It is stored as a *revision*: linked to the earlier
version, answered from when it is the latest, and its earlier value shown as superseded.

What tells a revision from a copy is the changed sentences, not the amount of change: a copy under
another header, or with a sentence reworded, states the same numbers, dates and names; a revision
states at least one the other does not. Numbers, dates and names are found by the same rules the
answerer uses (``rag.question``), so "Twenty fighters" → "Forty-five fighters" is a change and
"said on Tuesday" → "said Tuesday" is not.

Given up: two outlets that reprint one wire story and each add their own different paragraph are
linked as versions of one story rather than kept as two sources; both are kept, and the later one
answers.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from rag.question import dates, names, numbers
from rag.sentences import split_sentences
from rag.tokens import words
from rag.types import Document, Span

# Share of the smaller document's 5-word sequences found in the other above which two documents tell
# one story (rag.neardup.containment). Chosen on the train and dev topics of eval/news: their updated
# wire stories contain 0.73-0.91 of their earlier versions, unrelated articles on the same topic at
# most 0.3.
SAME_STORY = 0.6


@dataclass(frozen=True, slots=True)
class Change:
    """How a later document differs from an earlier one, sentence by sentence."""

    shared: int  # sentences found in both (compared word for word, case and spacing ignored)
    added: tuple[str, ...]  # sentences only the later document has
    dropped: tuple[str, ...]  # sentences only the earlier one has
    facts: tuple[
        str, ...
    ]  # numbers, dates and names only the later document's changed sentences state
    gone: tuple[str, ...]  # ... and those only the earlier one's state

    @property
    def revision(self) -> bool:
        """The later document states something the earlier does not. One that only leaves out
        sentences (a shorter reprint) is a copy."""
        return bool(self.facts)

    def describe(self) -> str:
        n = len(self.added) + len(self.dropped)
        what = f"{n} changed sentence{'s' if n != 1 else ''}"
        if not self.facts:
            return f"{what}, no new figures or names"
        shown = ", ".join(_shown(self.facts)) or "another date"
        was = f" where it had {', '.join(_shown(self.gone))}" if _shown(self.gone) else ""
        return f"{what}; states {shown}{was}"


_CODED = re.compile(r"rel:|[my]\d")  # normalised date values ('m12-d07', 'y2000'): not for reading


def _shown(facts: tuple[str, ...]) -> list[str]:
    return [f for f in facts if not _CODED.match(f)][:4]


def _is_statement(text: str) -> bool:
    """A sentence of running text; not a headline, byline or label, which a copy under another
    header changes without changing what the story says."""
    return len(text.split()) >= 6 and text.rstrip()[-1:] in '.!?"”’'


def sentences(doc: Document, statements: bool = True) -> list[tuple[Span, str]]:
    """(span, comparison key) of each sentence that survived cleaning; only those of running text
    unless ``statements`` is False."""
    out = []
    for p in doc.paragraphs:
        for s in split_sentences(doc.text, p):
            text = doc.text[s.start : s.end]
            if not statements or _is_statement(text):
                out.append((s, " ".join(words(text))))
    return out


def _facts(text: str) -> Counter:
    return Counter(v.lower() for f in (numbers, dates, names) for v in f(text))


def compare(earlier: Document, later: Document) -> Change:
    old = sentences(earlier)
    new = sentences(later)
    old_keys = {k for _, k in old}
    new_keys = {k for _, k in new}
    added = [later.text[s.start : s.end] for s, k in new if k not in old_keys]
    dropped = [earlier.text[s.start : s.end] for s, k in old if k not in new_keys]
    a, d = _facts(" ".join(added)), _facts(" ".join(dropped))
    return Change(
        len(new_keys & old_keys),
        tuple(added),
        tuple(dropped),
        tuple(sorted(a - d)),
        tuple(sorted(d - a)),
    )


def counterpart(quote: str, earlier: Document, min_overlap: float = 0.5) -> Span | None:
    """The sentence of an earlier version that a later version's ``quote`` replaced: the most similar
    sentence (share of shared words) that is not the same sentence and whose facts differ. None when
    the earlier version says the same or has no such sentence."""
    want = words(quote)
    key = " ".join(want)
    facts = _facts(quote)
    best, best_overlap = None, min_overlap
    for span, k in sentences(earlier):
        if k == key:
            return None  # the earlier version said the same
        theirs = words(earlier.text[span.start : span.end])
        union = set(want) | set(theirs)
        overlap = len(set(want) & set(theirs)) / len(union) if union else 0.0
        if overlap >= best_overlap and _facts(earlier.text[span.start : span.end]) != facts:
            best, best_overlap = span, overlap
    return best


class Latest:
    """A later version of a story, asked whether it covers a sentence of an earlier version: says
    the same, or says something in its place (a sentence sharing half its words). A covered
    sentence never answers; one no later version repeats or replaced still can."""

    def __init__(self, doc: Document, min_overlap: float = 0.5):
        self.doc = doc
        self.min_overlap = min_overlap
        # Headlines too: "… kill 20 fighters" is replaced by "UPDATE 1-… kill 45 fighters".
        keyed = [k for _, k in sentences(doc, statements=False)]
        self._keys = set(keyed)
        self._words = [set(k.split()) for k in keyed]

    def covers(self, text: str) -> bool:
        mine = words(text)
        if " ".join(mine) in self._keys:
            return True
        have = set(mine)
        return any(
            len(have & theirs) / len(have | theirs) >= self.min_overlap
            for theirs in self._words
            if have | theirs
        )
