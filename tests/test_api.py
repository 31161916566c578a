"""The HTTP API over real HTTP: a `rag serve` child process on a loopback port."""

import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from conftest import AUTH, CORPUS, UPLOAD_LIMIT

from eval.servers import free_port, rag_command

pytestmark = pytest.mark.slow

ARTICLE = (
    "Harbour authority report\n\n"
    "The Tarsaya harbour authority said on 12 May 2025 that the new Mernia grain terminal can load "
    "18 ships a day. The terminal was built by the Osterlund Dredging Company.\n"
)


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


def corpus_text(source: str) -> str:
    return (CORPUS / source).read_text(encoding="utf-8")


def test_empty_index_was_filled_with_the_bundled_corpus(http):
    health = http.get("/healthz").json()
    assert health["status"] == "ok"
    assert health["documents"] >= 5 and health["chunks"] > 50
    sources = {d["source"] for d in http.get("/api/documents").json()}
    assert {p.name for p in CORPUS.glob("*.txt")} <= sources


def test_ask_returns_the_python_api_contract(http, assistant):
    question = "When did Bashar al-Assad leave the country?"
    r = http.post("/api/ask", json={"question": question})
    assert r.status_code == 200
    got = r.json()
    want = assistant.ask(question).to_dict()
    assert set(got) == set(want)
    assert got["text"] == want["text"] and got["abstained"] is False
    assert [c["quote"] for c in got["citations"]] == [c["quote"] for c in want["citations"]]
    for c in got["citations"]:  # every citation checks out against the article itself
        assert corpus_text(c["source"])[c["start"] : c["end"]] == c["quote"]
        assert f"[{c['n']}]" in got["text"]


def test_follow_up_with_history(http):
    history = [{"question": "What is Hayat Tahrir al-Sham?", "answer": "…"}]
    got = http.post("/api/ask", json={"question": "who leads them?", "history": history}).json()
    assert got["standalone_question"] == "Who leads Hayat Tahrir al-Sham?" and not got["abstained"]
    assert got["backend"] == "extractive" and got["sentences"] == []


def test_unanswerable_question_is_refused(http):
    got = http.post("/api/ask", json={"question": "What is the population of Montevideo?"}).json()
    assert got["abstained"] is True and got["citations"] == []
    assert got["text"].startswith("The sources don't say.")


@pytest.mark.parametrize(
    "body, status",
    [
        ({"question": ""}, 400),
        ({"question": "   \n\t "}, 400),
        ({"question": "why " * 2000}, 400),
        ({"question": "x" * 100_000}, 400),
        ({"question": "y" * 100_001}, 422),
        ({"question": "?!…"}, 400),
        ({}, 422),
        ({"question": 42}, 422),
    ],
)
def test_bad_questions_get_a_message_not_a_crash(http, body, status):
    r = http.post("/api/ask", json=body)
    assert r.status_code == status
    assert r.json()["detail"]


def test_non_json_body_is_a_client_error(http):
    r = http.post("/api/ask", content=b"not json", headers={"content-type": "application/json"})
    assert r.status_code == 422


def test_documents_do_not_expose_server_paths(http):
    docs = http.get("/api/documents").json()
    assert docs and all("path" not in d for d in docs)
    assert {"doc_id", "source", "title", "outlet", "author", "published", "url", "chunks"} <= set(
        docs[0]
    )


def test_upload_ask_delete_round_trip(http):
    files = [
        ("files", ("harbour.txt", ARTICLE.encode(), "text/plain")),
        ("files", ("scan.pdf", b"%PDF-1.4 not an article", "application/pdf")),
        ("files", ("empty.txt", b"", "text/plain")),
        ("files", ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "text/plain")),
        ("files", ("huge.txt", b"word " * (UPLOAD_LIMIT // 5 + 10), "text/plain")),
    ]
    r = http.post("/api/documents", files=files)
    assert r.status_code == 200
    rows = {row["source"]: row for row in r.json()["results"]}
    assert rows["harbour.txt"]["status"] == "added"
    assert rows["scan.pdf"]["status"] == "failed" and "PDF" in rows["scan.pdf"]["detail"]
    assert rows["empty.txt"]["status"] == "failed" and "empty" in rows["empty.txt"]["detail"]
    assert rows["image.txt"]["status"] == "failed" and "binary" in rows["image.txt"]["detail"]
    assert rows["huge.txt"]["status"] == "failed" and "limit" in rows["huge.txt"]["detail"]

    ans = http.post(
        "/api/ask", json={"question": "How many ships a day can the Mernia grain terminal load?"}
    ).json()
    assert not ans["abstained"] and "18 ships" in ans["text"]
    assert ans["citations"][0]["source"] == "harbour.txt"
    c = ans["citations"][0]
    assert ARTICLE[c["start"] : c["end"]] == c["quote"]

    doc_id = next(
        d["doc_id"] for d in http.get("/api/documents").json() if d["source"] == "harbour.txt"
    )
    assert http.delete(f"/api/documents/{doc_id}").status_code == 204
    assert "harbour.txt" not in {d["source"] for d in http.get("/api/documents").json()}
    again = http.post(
        "/api/ask", json={"question": "How many ships a day can the Mernia grain terminal load?"}
    ).json()
    assert again["abstained"]
    missing = http.delete(f"/api/documents/{doc_id}")
    assert missing.status_code == 404 and doc_id in missing.json()["detail"]


def test_reupload_of_the_same_name_updates_the_document(http):
    first = http.post(
        "/api/documents",
        files={
            "files": ("notice.md", b"# Notice\n\nThe Varnel ferry leaves at 7 am every Tuesday.\n")
        },
    ).json()
    assert first["results"][0]["status"] == "added"
    second = http.post(
        "/api/documents",
        files={
            "files": ("notice.md", b"# Notice\n\nThe Varnel ferry leaves at 9 am every Thursday.\n")
        },
    ).json()
    assert second["results"][0]["status"] == "updated"
    docs = [d for d in http.get("/api/documents").json() if d["source"] == "notice.md"]
    assert len(docs) == 1
    http.delete(f"/api/documents/{docs[0]['doc_id']}")


def test_upload_names_cannot_escape_the_index(http, server):
    r = http.post(
        "/api/documents",
        files={"files": ("../../outside.txt", b"The Quorn lighthouse was painted red in 1931.\n")},
    )
    row = r.json()["results"][0]
    assert row["source"] == "outside.txt" and row["status"] == "added"
    assert (server.index_dir / "uploads" / "outside.txt").is_file()
    assert not (server.index_dir.parent / "outside.txt").exists()
    assert not (server.index_dir.parent.parent / "outside.txt").exists()
    doc = next(d for d in http.get("/api/documents").json() if d["source"] == "outside.txt")
    http.delete(f"/api/documents/{doc['doc_id']}")


def test_openapi_schema_describes_the_api(http):
    schema = http.get("/api/openapi.json").json()
    assert {"/api/ask", "/api/documents", "/api/documents/{doc_id}", "/healthz"} <= set(
        schema["paths"]
    )
    models = schema["components"]["schemas"]
    # the records of rag.types, served as they are
    for name in ("Answer", "Citation", "DocumentInfo", "FileResult", "UploadOut"):
        assert name in models
    assert "quote" in models["Citation"]["properties"]
    assert "description" in models["Citation"]["properties"]["quote"]
    # where a file lives on the server is not the API's business
    assert "path" not in models["DocumentInfo"]["properties"]


def test_timeline_lists_cited_events_and_refuses_a_bad_range(http):
    r = http.get("/api/timeline", params={"query": "Aleppo", "start": "2024"})
    assert r.status_code == 200
    events = r.json()
    assert events and [e["date"] for e in events] == sorted(e["date"] for e in events)
    c = events[0]["mentions"][0]["citation"]
    assert corpus_text(c["source"])[c["start"] : c["end"]] == c["quote"]
    assert "path" not in events[0]["mentions"][0]
    bad = http.get("/api/timeline", params={"start": "next week"})
    assert bad.status_code == 400 and "YYYY" in bad.json()["detail"]


def test_ui_is_served_at_the_root(http):
    r = http.get("/")
    assert r.status_code == 200 and "<html" in r.text.lower()


# -- auth and binding ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path", ["/", "/healthz", "/api/documents", "/api/openapi.json", "/config"]
)
def test_auth_protects_ui_and_api(auth_server, path):
    assert httpx.get(auth_server.url + path).status_code == 401
    assert httpx.get(auth_server.url + path, auth=(AUTH[0], "wrong")).status_code == 401
    assert httpx.get(auth_server.url + path, auth=AUTH).status_code == 200


def test_auth_challenge_and_post(auth_server):
    r = httpx.post(auth_server.url + "/api/ask", json={"question": "Who is Ahmed al-Sharaa?"})
    assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Basic")
    ok = httpx.post(
        auth_server.url + "/api/ask",
        json={"question": "Who is Ahmed al-Sharaa?"},
        auth=AUTH,
        timeout=60,
    )
    assert ok.status_code == 200 and "abstained" in ok.json()


def run_serve(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*rag_command(), "serve", *args], capture_output=True, text=True, timeout=timeout
    )


def test_public_address_without_auth_is_refused():
    r = run_serve("--host", "0.0.0.0", "--port", str(free_port()))
    assert r.returncode == 2 and "without --auth" in r.stderr


def test_malformed_auth_is_refused():
    r = run_serve("--auth", "nopassword", "--port", str(free_port()))
    assert r.returncode == 2 and "user:password" in r.stderr


def test_port_in_use_is_reported(server):
    port = server.url.rsplit(":", 1)[1]
    r = run_serve("--port", port)
    assert r.returncode == 1 and "in use" in r.stderr


def test_server_stops_cleanly_on_sigterm(tmp_path):
    from eval.servers import start_rag_server

    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text(ARTICLE)
    srv = start_rag_server("sigterm", tmp_path / "ix", env={"RAG_CORPUS_DIR": str(corpus)})
    srv.proc.terminate()
    assert srv.proc.wait(timeout=20) in (0, -15), srv.log_tail()
    with pytest.raises(httpx.ConnectError):
        httpx.get(srv.url + "/healthz", timeout=2)


def test_fuzzing_the_api_from_its_schema_finds_no_server_error(auth_server):
    """schemathesis generates requests from /api/openapi.json (examples, coverage, fuzzing, stateful)."""
    st = shutil.which("st") or str(Path(sys.executable).with_name("st"))
    r = subprocess.run(
        [
            st,
            "run",
            auth_server.url + "/api/openapi.json",
            "--auth",
            ":".join(AUTH),
            "-c",
            "not_a_server_error",
            "-n",
            "30",
            "--seed",
            "1",
            "--request-timeout",
            "30",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stdout[-3000:]
    assert "No issues found" in r.stdout


def test_no_secrets_in_server_logs(auth_server):
    httpx.get(auth_server.url + "/api/documents", auth=AUTH)
    httpx.get(auth_server.url + "/api/documents", auth=(AUTH[0], "wrong-guess"))
    log = auth_server.log.read_text(errors="replace")
    assert AUTH[1] not in log and "wrong-guess" not in log


def test_small_load_run_has_no_errors_and_stable_answers(server):
    """CI-sized run of eval.load: concurrent asks while unrelated articles are uploaded and removed."""
    from eval.load import run

    result = run(server.url, clients=10, asks=300, uploads=5, max_seconds=180)
    assert result["errors"] == 0 and result["uploads"]["errors"] == 0, result
    assert result["completed"] == 300 and result["uploads"]["done"] == 5
    # Unrelated articles change collection statistics a little. The passage an answer leads with must
    # not move; whether it is vouched for can flip for a question whose confidence sits at the
    # threshold (a known weakness of the learned decision, README "What still fails").
    assert result["changed_best_passage"] == 0, result["changed_best_samples"]
    assert len(set(result["changed_samples"])) <= 3, result["changed_samples"]
