"""Word-pair attestation: text whose words were thrown together stops counting as support once the
collection is large enough to tell; real prose keeps counting; small collections are never judged."""

from __future__ import annotations

from pathlib import Path
from statistics import median

import pytest

from eval.scale import Pool, distractor, kind_of
from rag.phrases import PhraseStats
from rag.sentences import split_sentences

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _bundled() -> list[tuple[str, str]]:
    from rag.ingest import IngestReport, expand, prepare
    from rag.loaders import load_file, load_manifest
    from rag.settings import Settings

    out = []
    manifest = load_manifest(CORPUS)
    for f in expand([CORPUS], IngestReport()):
        for rec in load_file(f, manifest):
            doc, _ = prepare(rec, Settings())
            out.append((doc.doc_id, doc.text))
    return out


def _weights(stats: PhraseStats, docs: list[tuple[str, str]]) -> list[float]:
    return [
        stats.weight(text[s.start : s.end], doc_id, text)
        for doc_id, text in docs
        for s in split_sentences(text)
    ]


@pytest.fixture(scope="module")
def archive():
    bundled = _bundled()
    pool = Pool(CORPUS)
    made = [(f"d{i}", distractor(i, pool), kind_of(i)) for i in range(240)]
    docs = bundled + [(d, t) for d, t, _ in made]
    return bundled, made, PhraseStats.build(docs)


def test_five_articles_are_too_few_to_judge_anything():
    bundled = _bundled()
    stats = PhraseStats.build(bundled)
    assert not stats.informative
    assert set(_weights(stats, bundled)) == {1.0}


def test_word_salad_loses_its_support_and_prose_keeps_it(archive):
    bundled, made, stats = archive
    assert stats.informative
    salad = [(d, t) for d, t, kind in made if kind == "shuffled"]
    prose = [(d, t) for d, t, kind in made if kind != "shuffled"]
    assert median(_weights(stats, salad)) == 0.0
    for docs in (bundled, prose):
        weights = _weights(stats, docs)
        assert sum(w == 1.0 for w in weights) / len(weights) >= 0.9


def test_a_sentence_is_judged_by_other_documents_not_by_its_own(archive):
    """Repeating a salad sentence inside its own article does not make it attested; a second article
    that uses the same wording does."""
    bundled, made, stats = archive
    doc_id, text, _ = next(m for m in made if m[2] == "shuffled")
    first = next(
        text[s.start : s.end]
        for s in split_sentences(text)
        if stats.weight(text[s.start : s.end], doc_id, text) == 0.0
    )
    others = bundled + [(d, t) for d, t, _ in made if d != doc_id]
    own = text + "\n\n" + (first + " ") * 3
    assert PhraseStats.build(others + [(doc_id, own)]).weight(first, doc_id, own) < 0.5
    copies = [(f"copy{i}", f"{first} {first}") for i in range(3)]
    assert PhraseStats.build(others + copies + [(doc_id, text)]).weight(first, doc_id, text) == 1.0


def test_saved_statistics_load_the_same_and_other_formats_are_refused(tmp_path, archive):
    _, made, stats = archive
    stats.save(tmp_path / "p.npz")
    loaded = PhraseStats.load(tmp_path / "p.npz")
    doc_id, text, _ = made[2]
    sentence = text[split_sentences(text)[1].start : split_sentences(text)[1].end]
    assert loaded.typical == stats.typical
    assert loaded.weight(sentence, doc_id, text) == stats.weight(sentence, doc_id, text)
    import json

    import numpy as np

    old = {"format": 1, "typical": 0.9}
    np.savez(tmp_path / "old.npz", meta=np.frombuffer(json.dumps(old).encode(), dtype=np.uint8))
    with pytest.raises(ValueError):
        PhraseStats.load(tmp_path / "old.npz")


def test_a_few_templated_reports_do_not_make_the_other_articles_look_thrown_together():
    """Six earnings reports, four written from one template: in so few documents the template is one
    outlet's style, not the collection's, and a chief executive's quote must not be judged word salad."""
    template = (
        "{co} said its normalized net income for the third quarter came to {a} cents per share, "
        "compared with the consensus estimate of {b} cents per share. Total revenue increased {c}% "
        "year over year, and total operating expenses rose {d}% on an annual basis. The normalized "
        "profit margin increased from the year-earlier period."
    )
    docs = [
        (f"t{i}", template.format(co=co, a=10 + i, b=12 + i, c=3 + i, d=2 + i))
        for i, co in enumerate(["Marrow Oyj", "Kessel AB", "Ostrava Holding", "Tarn Group"])
    ]
    quote = (
        "“After a difficult winter, our crews brought every route back on time,” chief executive "
        "Lena Brask said on Thursday."
    )
    docs += [
        ("q", "Harbour Lines reported revenue of 2.1 billion crowns for the quarter. " + quote),
        ("r", "Fjord Air said its net income for the third quarter rose to 40 million crowns."),
    ]
    stats = PhraseStats.build(docs)
    assert not stats.informative
    assert stats.weight(quote, "q", docs[4][1]) == 1.0
