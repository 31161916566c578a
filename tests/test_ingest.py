"""Ingest is idempotent, replaces changed files, prunes deleted ones and never lets one bad file stop the rest."""

import pytest

pytestmark = pytest.mark.slow


def test_reingesting_unchanged_files_does_no_embedding_work(fresh):
    a, docs, emb = fresh
    first = a.ingest([docs])
    assert len(first.added) == 2 and first.chunks > 0
    calls = emb.calls
    again = a.ingest([docs])
    assert sorted(again.unchanged) == sorted(first.added)
    assert not again.added and not again.updated
    assert emb.calls == calls


def test_a_changed_file_replaces_its_old_chunks(fresh):
    a, docs, _ = fresh
    a.ingest([docs])
    before = a.index.registry.count()
    f = docs / "001_abc4d6142c7c51b1.txt"
    f.write_text(
        f.read_text(encoding="utf-8")
        + "\nThe commander later said the zebra battalion was formed in March.\n",
        encoding="utf-8",
    )
    report = a.ingest([docs])
    assert report.updated == ["001_abc4d6142c7c51b1.txt"]
    assert a.index.registry.count()[0] == before[0]
    assert a.index.vectors.count() == a.index.registry.count()[1]
    ans = a.ask("When was the zebra battalion formed?")
    assert not ans.abstained and "March" in ans.text


def test_prune_removes_documents_whose_files_are_gone(fresh):
    a, docs, _ = fresh
    a.ingest([docs])
    (docs / "002_7fb1b9b3d5fc0a5d.txt").unlink()
    report = a.ingest([docs], prune=True)
    assert report.removed == ["002_7fb1b9b3d5fc0a5d.txt"]
    assert [s.source for s in a.sources()] == ["001_abc4d6142c7c51b1.txt"]
    assert a.index.vectors.count() == a.index.registry.count()[1]


def test_bad_files_are_reported_and_the_rest_ingests(fresh):
    a, docs, _ = fresh
    (docs / "empty.txt").write_text("")
    (docs / "binary.txt").write_bytes(b"\x00\x01\x02PNG")
    (docs / "chrome.txt").write_text("Leave a Comment\nSubscribe now\n#a #b #c\n")
    report = a.ingest([docs, docs / "missing.txt"])
    failed = dict(report.failed)
    assert set(failed) == {"empty.txt", "binary.txt", "chrome.txt", str(docs / "missing.txt")}
    assert "site chrome" in failed["chrome.txt"]
    assert len(report.added) == 2


def test_same_text_under_two_names_is_one_document(fresh):
    a, docs, _ = fresh
    (docs / "copy.txt").write_text(
        (docs / "001_abc4d6142c7c51b1.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    report = a.ingest([docs])
    assert len(report.added) == 2
    assert report.skipped and "same text as" in report.skipped[0][1]


def test_an_interrupted_document_is_rolled_back_on_open(fresh, real_embedder):
    from rag.assistant import Assistant
    from rag.ingest import prepare

    a, docs, _ = fresh
    a.ingest([docs])
    # Simulate a crash between the registry and the vector store: a pending document.
    from rag.loaders import load_file

    extra = docs / "extra.txt"
    extra.write_text(
        "A new report says the rebels reached the coast on Monday.\n", encoding="utf-8"
    )
    [rec] = load_file(extra)
    doc, chunks = prepare(rec, a.settings)
    vecs = [real_embedder.embed([doc.text[s.start : s.end] for s in c.sentences]) for c in chunks]
    a.index.registry.begin(doc, rec.origin, chunks, vecs)
    a.close()
    b = Assistant(a.settings, embedder=real_embedder)
    assert b.index.registry.pending() == []
    assert "extra.txt" not in [s.source for s in b.sources()]
    assert b.ingest([docs]).added == ["extra.txt"]
    b.close()


def test_documents_are_embedded_together_and_a_model_failure_stores_none_of_them(fresh):
    a, docs, emb = fresh
    calls = emb.calls
    a.ingest([docs])
    assert emb.calls - calls == 1  # both articles' sentences and chunks in one embedding call

    b_docs = docs.parent / "more"
    b_docs.mkdir()
    (b_docs / "x.txt").write_text(
        "Floods in the valley\n\nThe river rose by four metres on Tuesday, the mayor said.\n",
        encoding="utf-8",
    )
    (b_docs / "y.txt").write_text(
        "A new bridge\n\nEngineers opened the bridge over the river on Friday, residents said.\n",
        encoding="utf-8",
    )

    def broken(texts):
        raise RuntimeError("model exploded")

    a.embedder.embed, saved = broken, a.embedder.embed
    report = a.ingest([b_docs])
    assert sorted(s for s, _ in report.failed) == ["x.txt", "y.txt"]
    assert all("embedding failed: model exploded" in why for _, why in report.failed)
    assert a.doctor().ok and len(a.sources()) == 2
    a.embedder.embed = saved
    report = a.ingest([b_docs])
    assert sorted(report.added) == ["x.txt", "y.txt"] and a.doctor().ok


def test_keyword_tokens_are_kept_per_chunk_and_filled_in_for_an_older_index(fresh):
    from rag.retrieval import index_tokens

    a, docs, _ = fresh
    a.ingest([docs])
    stored = dict(a.index.registry.all_chunk_tokens(index_tokens))
    assert stored == {cid: index_tokens(text) for cid, text in a.index.registry.all_chunks()}
    # An index written before tokens were kept: they are computed once, then stored.
    a.index.registry._db.execute("UPDATE chunks SET tokens = NULL")
    calls = []

    def counting(text):
        calls.append(text)
        return index_tokens(text)

    assert dict(a.index.registry.all_chunk_tokens(counting)) == stored and len(calls) == len(stored)
    assert dict(a.index.registry.all_chunk_tokens(counting)) == stored and len(calls) == len(stored)


def test_listing_documents_does_not_load_the_keyword_index(fresh, monkeypatch):
    """Only answering needs the keyword index: a process that lists the library does not pay for
    loading it. (A saved index older than the registry, left by a crash, is mended on opening.)"""
    from rag.assistant import Assistant
    from store.keyword import KeywordIndex

    a, docs, emb = fresh
    a.ingest([docs])
    a.close()
    loads = []
    real_load = KeywordIndex.load.__func__
    monkeypatch.setattr(
        KeywordIndex, "load", classmethod(lambda cls, f: loads.append(f) or real_load(cls, f))
    )
    b = Assistant(a.settings, embedder=emb)
    assert len(b.sources()) == 2 and loads == []
    assert not b.ask("When did the rebels enter Aleppo?").abstained
    assert len(loads) == 1
    b.close()


def test_an_index_tokenised_by_another_tokenizer_is_retokenised_on_opening(fresh):
    """Chunk tokens stored by another tokenizer version are made again before anything uses them,
    whether the next thing is a question or another ingest."""
    from rag.assistant import Assistant
    from rag.tokens import VERSION

    a, docs, emb = fresh
    a.ingest([docs])
    a.index.registry.set_meta("tokenizer", "an older one")
    a.close()
    b = Assistant(a.settings, embedder=emb)
    assert b.index.registry.get_meta("tokenizer") == VERSION
    report = b.ingest([docs])
    assert not report.changed and not report.failed
    assert b.doctor().ok
    assert not b.ask("When did the rebels enter Aleppo?").abstained
    b.close()


def test_a_failing_date_rule_never_costs_a_document(fresh, monkeypatch):
    from rag import timeline

    def broken(doc):
        raise RuntimeError("a rule that trips on this text")

    monkeypatch.setattr(timeline, "extract", broken)
    a, docs, _ = fresh
    report = a.ingest([docs])
    assert len(report.added) == 2 and not report.failed
    assert a.timeline() == [] and not a.ask("When did the rebels enter Aleppo?").abstained
