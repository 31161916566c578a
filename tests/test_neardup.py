"""Near-duplicate detection by MinHash buckets + exact containment: finds the same story under another
header (also in a later ingest, also in an index stored before signatures existed), and does not
confuse distinct articles on the same topic."""

import random

import numpy as np

from rag.neardup import NearDuplicateIndex, containment, shingles, signature
from rag.types import Document, Span

WORDS = [
    "rebels",
    "army",
    "city",
    "province",
    "council",
    "border",
    "fighters",
    "convoy",
    "bridge",
    "airport",
    "ministry",
    "villages",
    "river",
    "north",
    "south",
    "east",
    "west",
    "government",
    "forces",
    "capital",
    "offensive",
    "statement",
    "residents",
]


def doc(doc_id: str, text: str) -> Document:
    return Document(doc_id, doc_id + ".txt", doc_id + ".txt", text, None, (Span(0, len(text)),))


def article(rng: random.Random, n: int = 30) -> list[str]:
    return [
        " ".join(rng.choice(WORDS) for _ in range(12)) + f" {rng.randint(1, 10**6)}."
        for _ in range(n)
    ]


def test_edited_copies_are_candidates_and_distinct_articles_are_not():
    rng = random.Random(5)
    index = NearDuplicateIndex()
    originals = [article(rng) for _ in range(300)]
    for i, sents in enumerate(originals):
        index.add(f"d{i}", f"o{i}", f"d{i}.txt", signature(shingles(doc(f"d{i}", " ".join(sents)))))
    found = 0
    for i, sents in enumerate(originals[:100]):
        edited = list(sents)
        for j in rng.sample(range(len(edited)), 3):
            # a tenth of the sentences rewritten, a new lead added
            edited[j] = " ".join(rng.choice(WORDS) for _ in range(12)) + "."
        edited.insert(0, "From the wires, with reporting by our staff in the region.")
        mine = shingles(doc("x", " ".join(edited)))
        cands = dict(index.candidates(signature(mine), exclude_origin="new"))
        found += f"d{i}" in cands
        assert containment(mine, shingles(doc(f"d{i}", " ".join(sents)))) >= 0.8
        assert len(cands) <= 3  # buckets stay selective: not a scan of the archive
    assert found >= 97


def test_same_origin_is_not_its_own_duplicate_and_removal_forgets():
    text = " ".join(article(random.Random(1)))
    sig = signature(shingles(doc("a", text)))
    index = NearDuplicateIndex()
    index.add("a", "origin-a", "a.txt", sig)
    assert index.candidates(sig, exclude_origin="origin-a") == []
    assert index.candidates(sig, exclude_origin="other") == [("a", "a.txt")]
    index.remove("a")
    assert index.candidates(sig, exclude_origin="other") == [] and len(index) == 0


def test_signature_is_stable_across_processes():
    # Stored signatures must mean the same thing when a later process reads them (no salted hash()).
    sh = shingles(doc("a", "one two three four five six seven eight nine ten eleven twelve"))
    assert sh.dtype == np.uint64 and list(sh[:2]) == sorted(sh[:2])
    import subprocess
    import sys

    code = (
        "from rag.neardup import shingles, signature; from tests.test_neardup import doc; "
        "print(signature(shingles(doc('a', 'one two three four five six seven eight nine ten eleven twelve')))[:4].tolist())"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        for _ in range(2)
    }
    assert outs == {str(signature(sh)[:4].tolist()) + "\n"}


def test_near_duplicate_found_in_a_later_ingest_and_in_an_index_without_signatures(fresh, tmp_path):
    a, docs, _ = fresh
    a.ingest([docs])
    src = (docs / "002_7fb1b9b3d5fc0a5d.txt").read_text(encoding="utf-8").splitlines()
    wire = tmp_path / "wire"
    wire.mkdir()
    (wire / "wire-copy.txt").write_text(
        "Example Daily — from the wires\nBy Staff Reporter\n\n" + "\n".join(src[2:]),
        encoding="utf-8",
    )
    report = a.ingest([wire])
    assert report.skipped and report.skipped[0][1].startswith("a copy of 002_7fb1b9b3d5fc0a5d.txt")
    # An index written before signatures were kept: they are computed from the stored text.
    a.index.registry._db.execute("DELETE FROM signatures")
    report = a.ingest([wire])
    assert report.skipped and report.skipped[0][1].startswith("a copy of 002_7fb1b9b3d5fc0a5d.txt")
    assert len(a.index.registry.signatures()) == 2 and all(
        s[3] for s in a.index.registry.signatures()
    )


def test_spelling_candidates_are_exactly_what_difflib_would_find():
    """The vectorised pre-filter of the keyword index's spelling correction drops nothing difflib
    would have matched over the whole vocabulary."""
    import difflib

    from store.keyword import KeywordIndex

    rng = random.Random(3)
    letters = "abcdefghijklmnopqrstuvwxyzéğ’-"
    vocab = sorted(
        {"".join(rng.choice(letters) for _ in range(rng.randint(3, 12))) for _ in range(5000)}
        | {"aleppo", "erdoğan"}
    )
    kw = KeywordIndex([], None, dict.fromkeys(vocab, 1), 0)
    probes = ["alepo", "erdogan", "entr"] + [
        w[:-1] + rng.choice(letters) for w in rng.sample(vocab, 150)
    ]
    for t in probes:
        assert sorted(difflib.get_close_matches(t, kw._possible(t), n=5, cutoff=0.8)) == sorted(
            difflib.get_close_matches(t, vocab, n=5, cutoff=0.8)
        ), t
    assert kw.correct(["alepo"]) == ["aleppo"]
