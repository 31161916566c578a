"""Scale-out: two `rag serve` workers share one index folder and one Chroma server (`chroma run`).
What one worker changes, the other answers from at once, keyword index included."""

import httpx
import pytest

from eval.servers import start_chroma_server, start_rag_server

pytestmark = pytest.mark.slow

ARTICLE = (
    "Dam report\n\nThe Quorvex dam on the Lirra river was finished in 1961, engineers in the valley said. "
    "It holds back enough water for three towns, the water board said on Monday.\n"
)


@pytest.fixture(scope="module")
def workers(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("workers")
    chroma = start_chroma_server(tmp / "chroma", name="chroma-workers")
    env = {"RAG_CHROMA_URL": chroma.url}
    started = []
    try:
        # ingests the bundled corpus
        started.append(start_rag_server("worker-a", tmp / "index", env=env))
        started.append(start_rag_server("worker-b", tmp / "index", env=env))
        yield started
    finally:
        for s in started:
            s.stop()
        chroma.stop()


def ask(server, question: str) -> dict:
    r = httpx.post(server.url + "/api/ask", json={"question": question}, timeout=60)
    assert r.status_code == 200, r.text
    return r.json()


def test_both_workers_answer_the_same(workers):
    a, b = workers
    q = "When did Bashar al-Assad leave the country?"
    ra, rb = ask(a, q), ask(b, q)
    assert "December 8" in ra["text"] and ra["text"] == rb["text"]
    assert [c["quote"] for c in ra["citations"]] == [c["quote"] for c in rb["citations"]]


def test_an_upload_on_one_worker_is_answered_by_the_other_and_a_delete_too(workers):
    a, b = workers
    r = httpx.post(
        a.url + "/api/documents",
        files=[("files", ("dam.txt", ARTICLE.encode(), "text/plain"))],
        timeout=120,
    )
    assert r.status_code == 200 and r.json()["results"][0]["status"] == "added", r.text
    # A misspelt name: only a worker whose keyword vocabulary has the new words can correct it.
    got = ask(b, "When was the Quorvx dam finished?")
    assert not got["abstained"] and "1961" in got["text"], got["text"]
    assert any(c["source"] == "dam.txt" for c in got["citations"])
    doc_id = next(
        d["doc_id"]
        for d in httpx.get(a.url + "/api/documents", timeout=30).json()
        if d["source"] == "dam.txt"
    )
    assert httpx.delete(f"{b.url}/api/documents/{doc_id}", timeout=60).status_code == 204
    again = ask(a, "When was the Quorvex dam finished?")
    assert again["abstained"] and not again["citations"]


def test_a_second_process_picks_up_the_keyword_index_the_writer_saved(tmp_path, real_embedder):
    """Two assistants on one index folder (as two worker processes have): the reader's keyword index
    follows the writer's on its next question, without rebuilding anything itself."""
    from rag.assistant import Assistant
    from rag.settings import Settings

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "dam.txt").write_text(ARTICLE, encoding="utf-8")
    settings = Settings(index_dir=tmp_path / "index")
    writer, reader = (
        Assistant(settings, embedder=real_embedder),
        Assistant(settings, embedder=real_embedder),
    )
    try:
        assert reader.ask("When was the Quorvex dam finished?").abstained
        writer.ingest([docs])
        new_ids = {cid for cid, _ in writer.index.registry.all_chunks()}
        assert new_ids and not new_ids & set(reader.index.keyword.ids)
        got = reader.ask("When was the Quorvex dam finished?")
        assert "1961" in got.text
        assert (
            set(reader.index.keyword.ids) == new_ids
            and reader.index.keyword.version == writer.index.keyword.version
        )
    finally:
        writer.close()
        reader.close()
