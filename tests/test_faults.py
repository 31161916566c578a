"""Faults: SIGKILL during ingest, two writers, `rag doctor`, a Chroma server that goes away and comes back."""

from __future__ import annotations

import fcntl
import json
import random
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from eval.servers import free_port, rag_command

pytestmark = pytest.mark.slow

# A child that opens the index (rolling back anything half-done), reports what `doctor` finds,
# loads the model, says "ready", then ingests. The parent kills it at a random moment after "ready".
# Small embedding batches (a few documents each) give the kills many in-between states to land in.
CHILD = """
import json, sys
import rag.ingest
rag.ingest.EMBED_BATCH_TEXTS = 40
from rag.assistant import Assistant
from rag.settings import Settings
a = Assistant(Settings(index_dir=sys.argv[1]))
print(json.dumps(a.doctor().to_dict()), flush=True)
a.embedder.embed(["warm up"])
print("ready", flush=True)
report = a.ingest([sys.argv[2]], progress=lambda done, total, name: print("file", done, flush=True))
print(json.dumps({"done": report.summary()}), flush=True)
"""


def articles(folder: Path, n: int = 40) -> None:
    """n distinct synthetic articles (no two near-duplicates), a few sentences each."""
    folder.mkdir()
    rng = random.Random(7)
    for i in range(n):
        lines = [f"District bulletin {i}", ""]
        for j in range(6):
            lines.append(
                f"In district {i}, the council reported {rng.randint(10, 999)} new clinics and "
                f"{rng.randint(2, 90)} schools on day {j}, officials in ward {i * 10 + j} said."
            )
        (folder / f"bulletin-{i:03d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_sigkill_during_ingest_never_leaves_a_broken_index(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    articles(docs)
    rng = random.Random(2024)
    findings = []
    trials = 20
    for _ in range(trials):
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(index), str(docs)], stdout=subprocess.PIPE, text=True
        )
        # the state left by the previous kill, after opening
        findings.append(json.loads(proc.stdout.readline()))
        assert proc.stdout.readline().strip() == "ready"
        # Kill after a random number of files were read (not after a fixed time: the machine may be busy).
        for _ in range(rng.randint(0, 45)):
            if not proc.stdout.readline().startswith("file"):
                break
        time.sleep(rng.uniform(0.0, 0.05))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
    # A last run opens, checks, and completes the job.
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(index), str(docs)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = done.stdout.strip().splitlines()
    findings.append(json.loads(lines[0]))
    assert "done" in lines[-1], done.stderr[-2000:]
    for f in findings:
        # no half-ingested document, no orphan or missing vector, keyword index agrees
        assert f["ok"], f
        assert f["chunks"] == f["vectors"]
    final = subprocess.run(
        [*rag_command(), "--index", str(index), "doctor", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    state = json.loads(final.stdout)
    assert state["ok"] and state["documents"] == 40 and state["chunks"] == state["vectors"] >= 40
    # Progress was real: the kills landed in the middle of ingests, not only before or after them.
    assert len({f["documents"] for f in findings}) > 3


def test_second_writer_gets_a_clear_error(tmp_path):
    index = tmp_path / "index"
    index.mkdir()
    with open(index / "ingest.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        r = subprocess.run(
            [*rag_command(), "--index", str(index), "ingest", str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert r.returncode == 1 and "another process is ingesting" in r.stderr


def test_doctor_finds_and_repairs_disagreement(fresh):
    a, docs, _ = fresh
    a.ingest([docs])
    assert a.doctor().ok
    chunk_ids = sorted(a.index.vectors.ids())
    a.index.vectors.delete_ids(chunk_ids[:2])  # vectors lost
    # a vector nobody owns
    a.index.vectors.add(["ghost-1"], a.embedder.embed(["a ghost chunk"]), ["ghost-doc"])
    (a.index_dir / "keyword").unlink()  # keyword index gone (the link to its current version)
    found = a.doctor()
    assert not found.ok and len(found.problems) == 3
    fixed = a.doctor(repair=True)
    assert len(fixed.repaired) == 3
    after = a.doctor()
    assert after.ok and after.vectors == after.chunks
    assert a.retrieve("Aleppo", k=3)


def test_doctor_command_exit_codes(tmp_path, fresh):
    a, docs, _ = fresh
    a.ingest([docs])
    ok = subprocess.run(
        [*rag_command(), "--index", str(a.index_dir), "doctor"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0 and "agree" in ok.stdout


# -- a Chroma server that goes away -------------------------------------------------------------------
def start_chroma(path: Path, port: int) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("chroma")
    proc = subprocess.Popen(
        [str(exe), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
            return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("chroma run did not start")


def test_chroma_server_down_then_back(tmp_path, real_embedder):
    from rag.assistant import Assistant
    from rag.errors import StoreError
    from rag.settings import Settings

    port = free_port()
    server = start_chroma(tmp_path / "chroma", port)
    try:
        docs = tmp_path / "docs"
        docs.mkdir()
        shutil.copy(
            Path(__file__).resolve().parent.parent / "corpus" / "000_96c90ff65452b4a3.txt", docs
        )
        a = Assistant(
            Settings(index_dir=tmp_path / "ix", chroma_url=f"http://127.0.0.1:{port}"),
            embedder=real_embedder,
        )
        a.ingest([docs])
        assert "December 8" in a.ask("When did Bashar al-Assad leave the country?").text

        server.terminate()
        server.wait(timeout=20)
        with pytest.raises(StoreError, match="Chroma server at http://127.0.0.1"):
            a.ask("When did Bashar al-Assad leave the country?")

        server = start_chroma(tmp_path / "chroma", port)  # restarted on the same data
        assert "December 8" in a.ask("When did Bashar al-Assad leave the country?").text
        assert a.doctor().ok
    finally:
        server.terminate()
        server.wait(timeout=20)
