"""BM25 keyword index over chunk texts (bm25s), persisted beside the registry.

Built at ingest time and loaded once per process; never rebuilt per query. Each saved index records
the registry generation it was built from, so a stale one is noticed and rebuilt.
"""

from __future__ import annotations

import difflib
import json
import math
import os
import re
import shutil
import time
from collections import Counter
from pathlib import Path

import numpy as np

from rag.phrases import PhraseStats


def _letter_counts(word: str) -> np.ndarray:
    """How often each of a-z occurs in ``word``; every other character counts in one shared slot (which
    can only overstate what two words have in common, so the bound it gives stays a bound)."""
    out = np.zeros(27, dtype=np.uint8)
    for ch in word:
        i = ord(ch) - 97
        out[i if 0 <= i < 26 else 26] += 1
    return out


class KeywordIndex:
    def __init__(
        self,
        ids: list[str],
        retriever,
        df: dict[str, int],
        generation: int,
        phrases: PhraseStats | None = None,
    ):
        self.ids = ids
        self._bm25 = retriever
        self.df = df  # in how many chunks each token occurs
        self.vocab = set(df)
        self.generation = generation
        self.phrases = phrases or PhraseStats.empty()  # how the collection joins its words
        self._words: np.ndarray | None = None  # built on the first correction; see _letter_counts
        self._corrected: dict[str, str] = {}
        self.version = ""  # the saved version this was loaded from or saved as

    def idf(self, token: str) -> float:
        """Rarer tokens weigh more; a token no chunk uses weighs most."""
        n = max(len(self.ids), 1)
        return math.log(1 + n / (self.df.get(token, 0) + 0.5))

    @classmethod
    def build(
        cls,
        chunks: list[tuple[str, list[str]]],
        generation: int,
        phrases: PhraseStats | None = None,
    ) -> KeywordIndex:
        """From (chunk_id, tokens of the chunk text) pairs, and the collection's phrase statistics."""
        import bm25s

        ids = [cid for cid, _ in chunks]
        corpus = [toks or ["∅"] for _, toks in chunks]
        retriever = bm25s.BM25()
        if corpus:
            retriever.index(corpus, show_progress=False)
        df = Counter(t for toks in corpus for t in set(toks))
        return cls(ids, retriever if corpus else None, dict(df), generation, phrases)

    def save(self, folder: Path) -> None:
        """Write a new version next to ``folder`` and point ``folder`` (a symlink) at it in one atomic
        rename: other processes reading the index see the old version or the new one, never half."""
        version = f"{folder.name}.g{self.generation}.{os.getpid()}.{time.monotonic_ns()}"
        target = folder.with_name(version)
        target.mkdir(parents=True)
        if self._bm25 is not None:
            self._bm25.save(str(target / "bm25"), show_progress=False)
        self.phrases.save(target / "phrases.npz")
        (target / "index.json").write_text(
            json.dumps({"generation": self.generation, "ids": self.ids, "df": self.df})
        )
        link = folder.with_name(f"{folder.name}.link.{os.getpid()}")
        link.unlink(missing_ok=True)
        link.symlink_to(version)
        if folder.is_dir() and not folder.is_symlink():  # an index written before versions: once
            shutil.rmtree(folder)
        os.replace(link, folder)
        self.version = version
        for old in folder.parent.glob(f"{folder.name}.g*"):
            if old.name != version:
                shutil.rmtree(old, ignore_errors=True)

    @staticmethod
    def current_version(folder: Path) -> str:
        """Which version ``folder`` points at now ('' if none): cheap enough to check on every question."""
        try:
            return os.readlink(folder)
        except OSError:
            return ""

    @classmethod
    def saved_generation(cls, folder: Path) -> int | None:
        """The registry generation the saved version was built from, read from its name (None: no
        saved version)."""
        m = re.search(r"\.g(\d+)\.", cls.current_version(folder))
        return int(m.group(1)) if m else None

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex | None:
        import bm25s

        version = cls.current_version(folder)
        where = folder.with_name(version) if version else folder
        meta_path = where / "index.json"
        if not meta_path.is_file() or not (where / "phrases.npz").is_file():
            return None  # none yet, or saved before phrase statistics were kept: rebuild
        try:
            meta = json.loads(meta_path.read_text())
            retriever = (
                bm25s.BM25.load(str(where / "bm25"), show_progress=False) if meta["ids"] else None
            )
            phrases = PhraseStats.load(where / "phrases.npz")
        except (OSError, ValueError, KeyError):
            return None  # e.g. replaced and removed by a writer while we read it: the caller keeps what it has
        kw = cls(meta["ids"], retriever, meta["df"], int(meta["generation"]), phrases)
        kw.version = version
        return kw

    def correct(self, tokens: list[str]) -> list[str]:
        """Map tokens the corpus never uses to the closest word it does ('alepo' -> 'aleppo')."""
        return [self._correct(t) for t in tokens]

    def _possible(self, t: str) -> list[str]:
        """Vocabulary words that can reach a difflib ratio of 0.8 with ``t``: 2·(characters in common,
        as multisets) / (total length) is an upper bound of the ratio, computed for the whole vocabulary
        at once. Exact (nothing that could match is dropped), and fast at a million words."""
        if self._words is None:
            self._words = np.array(sorted(self.vocab), dtype=object)
            self._counts = (
                np.stack([_letter_counts(w) for w in self._words])
                if len(self._words)
                else np.zeros((0, 27), np.uint8)
            )
            self._lengths = np.array([len(w) for w in self._words], dtype=np.int32)
        if not len(self._words):
            return []
        common = np.minimum(self._counts, _letter_counts(t)).sum(axis=1, dtype=np.int32)
        keep = 2 * common >= 0.8 * (self._lengths + len(t))
        return list(self._words[keep])

    def _correct(self, t: str) -> str:
        if t in self.vocab or len(t) < 4 or t.isdigit():
            return t
        if t in self._corrected:
            return self._corrected[t]
        close = difflib.get_close_matches(t, self._possible(t), n=5, cutoff=0.8)
        best = t
        if close:
            # Equally close candidates: the more common word is the likelier intent ('entr' -> 'enter').
            ratio = {c: difflib.SequenceMatcher(None, t, c).ratio() for c in close}
            best = max(close, key=lambda c: (round(ratio[c], 3), self.df.get(c, 0)))
        if len(self._corrected) < 10_000:
            self._corrected[t] = best
        return best

    def search(self, tokens: list[str], k: int) -> list[tuple[str, float]]:
        known = [t for t in tokens if t in self.vocab]
        if not known or self._bm25 is None:
            return []
        want = k
        k = min(k + 10, len(self.ids))
        docs, scores = self._bm25.retrieve([known], k=k, show_progress=False, return_as="tuple")
        hits = [
            (self.ids[int(i)], float(s))
            for i, s in zip(np.ravel(docs), np.ravel(scores), strict=True)
            if s > 0
        ]
        # Equal scores (the same words in several chunks) in a fixed order: by id.
        hits.sort(key=lambda h: (-round(h[1], 6), h[0]))
        return hits[:want]
