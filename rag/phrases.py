"""Is a sentence put together the way the collection writes? Word-pair attestation, no model.

Sentences are judged by how they join their words ('led by', 'the offensive',
'captured the'). In prose those pairs recur across an archive far more often than chance; in text
whose words were thrown together (scraped junk, spun articles, word salad) they occur about as often
as the two words' frequencies predict. For each such pair in a sentence we ask: do *other* documents
use it at least twice as often as chance, and at least once? The share of pairs that pass is the
sentence's attestation.

It only means something once the collection is large enough for ordinary phrasing to recur: five
articles share few pairs, so nothing is judged there. The collection's typical attestation (the median
over a fixed sample of its own sentences) decides that, and sentences are judged against it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from statistics import median

from rag.sentences import split_sentences
from rag.tokens import STOPWORDS, words

# Pairs whose content word is this rare outside the sentence's own document are not judged: a name
# the archive mentions once cannot have attested company.
_MIN_OTHER_COUNT = 3
# Fewer judged pairs than this and the sentence is not judged (a verdict on two pairs is noise).
_MIN_JUDGED = 4
# Below this typical attestation the collection is too small (or too varied) to judge by.
_MIN_TYPICAL = 0.6
# Relative to the typical sentence: at or above _FULL the sentence counts fully; at or below _NONE
# it counts for nothing as support; linear between.
_NONE, _FULL = 0.5, 0.9
_SAMPLE_DOCS = 400
# Saved statistics of another format (another definition of a pair) are rebuilt, not misread.
FORMAT = 1


def pairs(text: str) -> list[str]:
    """Adjacent word pairs with a content word ('led by', 'the offensive', 'rebel groups'), as 'a b'.
    Pairs of two function words ('of the') say nothing about a sentence."""
    ws = words(text)
    return [
        f"{a} {b}"
        for a, b in zip(ws, ws[1:], strict=False)
        if a not in STOPWORDS or b not in STOPWORDS
    ]


class PhraseStats:
    def __init__(self, pair_counts: dict[str, int], word_counts: dict[str, int], typical: float):
        self.pairs = pair_counts
        self.words = word_counts
        self.total = sum(word_counts.values())
        self.typical = typical
        self._own: dict[str, tuple[Counter, Counter]] = {}

    @classmethod
    def empty(cls) -> PhraseStats:
        return cls({}, {}, 0.0)

    @classmethod
    def build(cls, documents: Iterable[tuple[str, str]]) -> PhraseStats:
        """From (doc_id, text) of every document."""
        pc: Counter = Counter()
        wc: Counter = Counter()
        texts: list[tuple[str, str]] = []
        for doc_id, text in documents:
            pc.update(pairs(text))
            wc.update(words(text))
            texts.append((doc_id, text))
        stats = cls(dict(pc), dict(wc), 0.0)
        step = max(1, len(texts) // _SAMPLE_DOCS)
        shares = []
        for doc_id, text in texts[::step]:
            for span in split_sentences(text):
                share = stats.attestation(text[span.start : span.end], doc_id, text)
                if share is not None:
                    shares.append(share)
        stats.typical = median(shares) if shares else 0.0
        stats._own.clear()
        return stats

    def _own_counts(self, doc_id: str, doc_text: str) -> tuple[Counter, Counter]:
        if doc_id not in self._own:
            if len(self._own) > 4096:
                self._own.clear()
            self._own[doc_id] = (Counter(pairs(doc_text)), Counter(words(doc_text)))
        return self._own[doc_id]

    def attestation(self, sentence: str, doc_id: str, doc_text: str) -> float | None:
        """Share of the sentence's judged pairs that other documents use more than chance would;
        None when too few pairs can be judged."""
        own_pairs, own_words = self._own_counts(doc_id, doc_text)
        total = max(self.total - sum(own_words.values()), 1)
        judged = attested = 0
        for pair in pairs(sentence):
            a, b = pair.split(" ")
            content = [w for w in (a, b) if w not in STOPWORDS]
            if not all(
                w.isalpha() and self.words.get(w, 0) - own_words[w] >= _MIN_OTHER_COUNT
                for w in content
            ):
                continue
            judged += 1
            seen = self.pairs.get(pair, 0) - own_pairs[pair]
            chance = (
                (self.words.get(a, 0) - own_words[a])
                * (self.words.get(b, 0) - own_words[b])
                / total
            )
            attested += seen >= 1 and seen >= 2 * chance
        return attested / judged if judged >= _MIN_JUDGED else None

    @property
    def informative(self) -> bool:
        return self.typical >= _MIN_TYPICAL

    def weight(self, sentence: str, doc_id: str, doc_text: str) -> float:
        """How far the sentence counts as support: 1.0 unless it is judged and reads far less like the
        collection's prose than its typical sentence does."""
        if not self.informative:
            return 1.0
        share = self.attestation(sentence, doc_id, doc_text)
        if share is None:
            return 1.0
        relative = share / self.typical
        return min(1.0, max(0.0, (relative - _NONE) / (_FULL - _NONE)))

    # -- persistence (beside the keyword index, same version) -----------------------------------
    def save(self, path: Path) -> None:
        path.write_text(
            json.dumps(
                {
                    "format": FORMAT,
                    "typical": self.typical,
                    "pairs": self.pairs,
                    "words": self.words,
                }
            )
        )

    @classmethod
    def load(cls, path: Path) -> PhraseStats:
        data = json.loads(path.read_text())
        if data.get("format") != FORMAT:
            raise ValueError(f"phrase statistics of format {data.get('format')}, not {FORMAT}")
        return cls(data["pairs"], data["words"], float(data["typical"]))
