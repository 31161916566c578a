"""Is a sentence put together the way the collection writes? Word-pair attestation, no model.

Sentences are judged by how they join their words ('led by', 'the offensive', 'rebel groups'). In
prose those pairs recur across an archive far more often than chance; in text whose words were thrown
together (scraped junk, spun articles, word salad) they occur about as often as the two words'
frequencies predict. For each such pair in a sentence we ask: do *other* documents use it at least
twice as often as chance, and at least once? The share of pairs that pass is the sentence's
attestation.

It only means something once the collection is large enough for ordinary phrasing to recur: five
articles share few pairs, so nothing is judged there, nor in any collection of under 64 documents.
The collection's typical attestation (the median over a fixed sample of its own sentences) decides
that, and sentences are judged against it.

Counts are kept compactly: every word gets an integer id, a pair is the 64-bit number
(id_a << 32 | id_b), and the collection's pairs are one sorted array with their counts.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from statistics import median

import numpy as np

from rag.sentences import split_sentences
from rag.tokens import STOPWORDS, document_words, words

# Pairs whose content words are this rare outside the sentence's own document are not judged: a name
# the archive mentions once cannot have attested company.
_MIN_OTHER_COUNT = 3
# Fewer judged pairs than this and the sentence is not judged (a verdict on two pairs is noise).
_MIN_JUDGED = 4
# Below this typical attestation the collection is too small (or too varied) to judge by.
_MIN_TYPICAL = 0.6
# The typical sentence is looked for in every eighth document; from fewer than this many it is one
# article's style, not the collection's (six earnings reports, two of them from one template, made
# every quote in the other four look thrown together).
_MIN_SAMPLED = 8
# Relative to the typical sentence: at or above _FULL the sentence counts fully; at or below _NONE
# it counts for nothing as support; linear between.
_NONE, _FULL = 0.5, 0.9
_SAMPLE_DOCS = 400
# Saved statistics of another format (another definition of a pair) are rebuilt, not misread.
FORMAT = 3


class PhraseStats:
    def __init__(
        self,
        vocab: list[str],
        word_counts: np.ndarray,
        keys: np.ndarray,
        counts: np.ndarray,
        typical: float,
    ):
        self.vocab = vocab
        self.ids = {w: i for i, w in enumerate(vocab)}
        self.word_counts = word_counts  # by word id
        self.keys = keys  # sorted pair keys
        self.counts = counts  # how often each pair occurs
        self.total = int(word_counts.sum())
        self.typical = typical
        self._function = np.array([w in STOPWORDS for w in vocab], dtype=bool)
        self._own: dict[str, tuple[Counter, Counter]] = {}

    @classmethod
    def empty(cls) -> PhraseStats:
        return cls([], np.zeros(0, np.int64), np.zeros(0, np.uint64), np.zeros(0, np.int64), 0.0)

    @classmethod
    def build(cls, documents: Iterable[tuple[str, str]]) -> PhraseStats:
        """From (doc_id, text) of every document."""
        ids: dict[str, int] = {}
        parts: list[np.ndarray] = []
        sample: list[tuple[str, str]] = []
        for n, (doc_id, text) in enumerate(documents):
            seq = np.fromiter(
                (ids.setdefault(w, len(ids)) for w in document_words(text)), dtype=np.int64
            )
            parts.append(seq)
            if n % 8 == 0:  # a fixed share of documents to find the typical sentence in
                sample.append((doc_id, text))
        vocab = list(ids)
        function = np.array([w in STOPWORDS for w in vocab], dtype=bool)
        keys = []
        for seq in parts:
            a, b = seq[:-1], seq[1:]
            pair = (a.astype(np.uint64) << np.uint64(32)) | b.astype(np.uint64)
            keys.append(pair[~(function[a] & function[b])])
        uniq, counts = np.unique(
            np.concatenate(keys) if keys else np.zeros(0, np.uint64), return_counts=True
        )
        wc = np.bincount(
            np.concatenate(parts) if parts else np.zeros(0, np.int64), minlength=len(vocab)
        )
        stats = cls(vocab, wc, uniq, counts, 0.0)
        step = max(1, len(sample) // _SAMPLE_DOCS)
        shares = []
        for doc_id, text in sample[::step] if len(sample) >= _MIN_SAMPLED else ():
            for span in split_sentences(text):
                share = stats.attestation(text[span.start : span.end], doc_id, text)
                if share is not None:
                    shares.append(share)
        stats.typical = median(shares) if shares else 0.0
        stats._own.clear()
        return stats

    def _pairs(self, ws: list[str]) -> list[tuple[int, int, str, str]]:
        """Adjacent word pairs with a content word, as (id_a, id_b, a, b); id -1: a word the
        collection lacks. Pairs of two function words ('of the') say nothing about a sentence."""
        return [
            (self.ids.get(x, -1), self.ids.get(y, -1), x, y)
            for x, y in zip(ws, ws[1:], strict=False)
            if x not in STOPWORDS or y not in STOPWORDS
        ]

    def _own_counts(self, doc_id: str, doc_text: str) -> tuple[Counter, Counter]:
        if doc_id not in self._own:
            if len(self._own) > 4096:
                self._own.clear()
            ws = document_words(doc_text)
            self._own[doc_id] = (
                Counter((a, b) for a, b, _, _ in self._pairs(ws)),
                Counter(self.ids.get(w, -1) for w in ws),
            )
        return self._own[doc_id]

    def _pair_count(self, a: int, b: int) -> int:
        if a < 0 or b < 0 or not len(self.keys):
            return 0
        key = np.uint64((a << 32) | b)
        i = int(np.searchsorted(self.keys, key))
        return int(self.counts[i]) if i < len(self.keys) and self.keys[i] == key else 0

    def _elsewhere(self, word_id: int, own_words: Counter) -> int:
        """How often a word occurs outside the document."""
        return (int(self.word_counts[word_id]) if word_id >= 0 else 0) - own_words[word_id]

    def attestation(self, sentence: str, doc_id: str, doc_text: str) -> float | None:
        """Share of the sentence's judged pairs that other documents use more than chance would;
        None when too few pairs can be judged."""
        own_pairs, own_words = self._own_counts(doc_id, doc_text)
        total = max(self.total - sum(own_words.values()), 1)
        judged = attested = 0
        for a, b, x, y in self._pairs(words(sentence)):
            na, nb = self._elsewhere(a, own_words), self._elsewhere(b, own_words)
            if any(
                w not in STOPWORDS and (not w.isalpha() or n < _MIN_OTHER_COUNT)
                for w, n in ((x, na), (y, nb))
            ):
                continue
            judged += 1
            seen = self._pair_count(a, b) - own_pairs[(a, b)]
            attested += seen >= 1 and seen >= 2 * na * nb / total
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
        with open(path, "wb") as f:
            np.savez(
                f,
                keys=self.keys,
                counts=self.counts,
                word_counts=self.word_counts,
                vocab=np.frombuffer(json.dumps(self.vocab).encode(), dtype=np.uint8),
                meta=np.frombuffer(
                    json.dumps({"format": FORMAT, "typical": self.typical}).encode(), dtype=np.uint8
                ),
            )

    @classmethod
    def load(cls, path: Path) -> PhraseStats:
        with np.load(path) as data:
            meta = json.loads(data["meta"].tobytes())
            if meta.get("format") != FORMAT:
                raise ValueError(f"phrase statistics of format {meta.get('format')}, not {FORMAT}")
            vocab = json.loads(data["vocab"].tobytes())
            return cls(
                vocab, data["word_counts"], data["keys"], data["counts"], float(meta["typical"])
            )
