"""Near-duplicate documents (the same wire story under another header), found without comparing a new
document against every stored one.

The measure is shingle containment: the share of the smaller document's 5-word sequences found in the
other. Comparing against all N documents is O(N) per document, O(N²) per archive, and holds every
shingle set in memory. Instead each document keeps a 128-value MinHash signature (stored with it);
signatures cut into 32 bands of 4 put documents whose shingle sets overlap (Jaccard ≳ 0.4) in a shared
bucket with high probability, and only those candidates get the exact containment check. Containment
≥ 0.8 between documents of similar length (up to ~1.5× apart) means Jaccard ≥ 0.47: found with
probability ≥ 0.8 (≥ 0.999 at equal length). A short story quoted whole inside a much longer one can
be missed; that is the price of not scanning the archive.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

import numpy as np

from rag.tokens import tokenize
from rag.types import Document

NEAR_DUPLICATE = 0.8
MIN_SHINGLES = 20
PERMS, BANDS = 128, 32
_ROWS = PERMS // BANDS
_rng = np.random.default_rng(20241208)
_A = _rng.integers(1, 2**63, PERMS, dtype=np.uint64) | np.uint64(1)
_B = _rng.integers(0, 2**63, PERMS, dtype=np.uint64)


def shingles(doc: Document) -> np.ndarray:
    """Sorted unique stable 64-bit hashes of the 5-word sequences of what survived cleaning."""
    words = tokenize(" ".join(doc.text[p.start : p.end] for p in doc.paragraphs))
    hashes = {
        int.from_bytes(
            hashlib.blake2b(" ".join(words[i : i + 5]).encode(), digest_size=8).digest(), "little"
        )
        for i in range(max(len(words) - 4, 0))
    }
    return np.array(sorted(hashes), dtype=np.uint64)


def containment(a: np.ndarray, b: np.ndarray) -> float:
    if len(a) < MIN_SHINGLES or len(b) < MIN_SHINGLES:
        return 0.0
    return len(np.intersect1d(a, b, assume_unique=True)) / min(len(a), len(b))


def signature(sh: np.ndarray) -> np.ndarray:
    """MinHash: for each of PERMS hash functions (a·x + b mod 2⁶⁴), the smallest value over the shingles."""
    sig = np.full(PERMS, np.iinfo(np.uint64).max, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(0, len(sh), 4096):
            block = sh[i : i + 4096, None] * _A + _B
            sig = np.minimum(sig, block.min(axis=0))
    return sig


class NearDuplicateIndex:
    """Signatures of stored documents, banded into buckets."""

    def __init__(self) -> None:
        self._docs: dict[
            str, tuple[str, str, list[int]]
        ] = {}  # doc_id -> (origin, source, bucket keys)
        self._buckets: dict[int, list[str]] = defaultdict(list)

    def __len__(self) -> int:
        return len(self._docs)

    @staticmethod
    def _keys(sig: np.ndarray) -> list[int]:
        return [hash((band, rows.tobytes())) for band, rows in enumerate(sig.reshape(BANDS, _ROWS))]

    def add(self, doc_id: str, origin: str, source: str, sig: np.ndarray) -> None:
        self.remove(doc_id)
        keys = self._keys(sig)
        self._docs[doc_id] = (origin, source, keys)
        for k in keys:
            self._buckets[k].append(doc_id)

    def remove(self, doc_id: str) -> None:
        got = self._docs.pop(doc_id, None)
        if got:
            for k in got[2]:
                bucket = self._buckets[k]
                bucket.remove(doc_id)
                if not bucket:
                    del self._buckets[k]

    def candidates(self, sig: np.ndarray, exclude_origin: str) -> list[tuple[str, str]]:
        """(doc_id, source) of documents sharing a bucket with ``sig``, from another origin."""
        found = dict.fromkeys(d for k in self._keys(sig) for d in self._buckets.get(k, ()))
        return [(d, self._docs[d][1]) for d in found if self._docs[d][0] != exclude_origin]
