import shutil
from pathlib import Path

import pytest

from rag import offline

offline.apply()  # before any test imports a model library

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"


class CountingEmbedder:
    """The real embedder, counting how many texts it was asked to embed."""

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name
        self.calls = 0
        self.texts = 0

    def embed(self, texts):
        self.calls += 1
        self.texts += len(texts)
        return self.inner.embed(texts)


@pytest.fixture(scope="session")
def real_embedder():
    """The default embedder (ONNX), as users get it."""
    from rag.embedding import make_embedder

    return make_embedder()


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("index")


@pytest.fixture(scope="session")
def assistant(index_dir, real_embedder):
    from rag.assistant import Assistant
    from rag.settings import Settings

    a = Assistant(Settings(index_dir=index_dir), embedder=real_embedder)
    a.ingest([CORPUS])
    yield a
    a.close()


@pytest.fixture
def fresh(tmp_path, real_embedder):
    """An empty index with a counting embedder, and a folder of copies of two bundled articles."""
    from rag.assistant import Assistant
    from rag.settings import Settings

    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("001_abc4d6142c7c51b1.txt", "002_7fb1b9b3d5fc0a5d.txt"):
        shutil.copy(CORPUS / name, docs / name)
    emb = CountingEmbedder(real_embedder)
    a = Assistant(Settings(index_dir=tmp_path / "index"), embedder=emb)
    yield a, docs, emb
    a.close()


# -- real servers ------------------------------------------------------------------------------
UPLOAD_LIMIT = 200_000  # bytes; the API and browser tests upload one file just over it


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """`rag serve` on an empty index: it ingests the bundled corpus before it answers /healthz."""
    from eval.servers import start_rag_server

    srv = start_rag_server(
        "main",
        tmp_path_factory.mktemp("served"),
        env={
            "RAG_MAX_FILE_BYTES": str(UPLOAD_LIMIT),
            "RAG_ALLOW_PRIVATE_URLS": "1",
            "RAG_FETCH_DELAY": "0",
        },
    )
    yield srv
    srv.stop()


AUTH = ("editor", "s3cret-pass")


@pytest.fixture(scope="session")
def auth_server(tmp_path_factory):
    """`rag serve --auth` over a one-article corpus (quick to ingest)."""
    from eval.servers import start_rag_server

    corpus = tmp_path_factory.mktemp("one-article")
    shutil.copy(CORPUS / "001_abc4d6142c7c51b1.txt", corpus)
    srv = start_rag_server(
        "auth",
        tmp_path_factory.mktemp("served-auth"),
        "--auth",
        ":".join(AUTH),
        env={"RAG_CORPUS_DIR": str(corpus)},
        auth=AUTH,
    )
    yield srv
    srv.stop()
