"""The `rag` command as a user runs it: answers, JSON, exit codes, no tracebacks."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
RAG = [sys.executable, "-m", "rag.cli"]


def run(args, index_dir, **kw):
    env = {**os.environ, "RAG_INDEX_DIR": str(index_dir)}
    return subprocess.run(RAG + args, capture_output=True, text=True, env=env, timeout=300, **kw)


def test_ask_prints_a_cited_answer_and_json(assistant, index_dir):
    r = run(["ask", "--json", "Who is the governor of Homs?"], index_dir)
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert (
        "Numeir Mahlouf" in d["text"] and d["citations"][0]["source"] == "003_a80db6b9d37bcb44.txt"
    )


@pytest.mark.parametrize("question", ["", "x" * 20000])
def test_bad_question_exits_2_with_a_message(assistant, index_dir, question):
    r = run(["ask", question], index_dir)
    assert r.returncode == 2
    assert r.stderr.startswith("error: ") and "Traceback" not in r.stderr


def test_chat_answers_until_an_empty_line(assistant, index_dir):
    r = run(["chat"], index_dir, input="When did HTS enter Aleppo?\n\n")
    assert r.returncode == 0, r.stderr
    assert "29 November" in r.stdout and "[1]" in r.stdout


def test_ingest_reports_a_summary_and_failures(assistant, tmp_path):
    docs = tmp_path / "d"
    docs.mkdir()
    (docs / "a.md").write_text(
        "# Note\n\nThe convoy reached Latakia on Tuesday after a long drive.\n"
    )
    (docs / "b.txt").write_bytes(b"\x00\x00")
    r = run(["ingest", str(docs)], tmp_path / "ix")
    assert r.returncode == 0, r.stderr
    assert "added 1 / updated 0 / unchanged 0 / skipped 0 / failed 1" in r.stdout
    assert "b.txt" in r.stderr and "binary" in r.stderr


def test_sources_lists_the_bundled_articles(assistant, index_dir):
    r = run(["sources"], index_dir)
    assert r.returncode == 0
    for name in sorted(p.name for p in (Path(__file__).parent.parent / "corpus").glob("*.txt")):
        assert name in r.stdout


def test_timeline_prints_dated_events_with_their_sources(assistant, index_dir):
    r = run(["timeline", "Aleppo", "--from", "2024-11"], index_dir)
    assert r.returncode == 0, r.stderr
    first = r.stdout.splitlines()[0]
    assert first[:7] >= "2024-11" and "aleppo" in r.stdout.lower()
    assert "[1]" in r.stdout and ".txt" in r.stdout  # each event cites its sentence
    j = run(["timeline", "--json"], index_dir)
    events = json.loads(j.stdout)
    assert events and all(e["mentions"][0]["citation"]["quote"] for e in events)
    bad = run(["timeline", "--from", "soon"], index_dir)
    assert bad.returncode == 2 and "YYYY" in bad.stderr and "Traceback" not in bad.stderr
