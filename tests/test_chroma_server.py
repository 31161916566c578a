"""RAG_CHROMA_URL: the same pipeline against a real `chroma run` server on 127.0.0.1."""

from pathlib import Path

import pytest

from eval.servers import free_port, start_chroma_server

pytestmark = pytest.mark.slow
CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@pytest.fixture
def chroma_server(tmp_path):
    server = start_chroma_server(tmp_path / "server")
    yield server.url
    server.stop()


def test_ingest_and_answer_through_a_chroma_server(chroma_server, tmp_path, real_embedder):
    from rag.assistant import Assistant
    from rag.settings import Settings

    a = Assistant(
        Settings(index_dir=tmp_path / "ix", chroma_url=chroma_server), embedder=real_embedder
    )
    report = a.ingest([CORPUS])
    assert len(report.added) == 5
    assert a.index.vectors.count() == a.index.registry.count()[1]
    ans = a.ask("When did Bashar al-Assad leave the country?")
    assert "December 8" in ans.text and ans.citations
    a.close()


def test_unreachable_server_is_a_clear_error(tmp_path, real_embedder):
    from rag.assistant import Assistant
    from rag.errors import StoreError
    from rag.settings import Settings

    with pytest.raises(StoreError, match="Chroma"):
        Assistant(
            Settings(index_dir=tmp_path / "ix", chroma_url=f"http://127.0.0.1:{free_port()}"),
            embedder=real_embedder,
        )
