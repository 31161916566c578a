"""Load on loopback: many concurrent `POST /api/ask` while unrelated articles are uploaded.

    python -m eval.load [--url http://127.0.0.1:7860] [--clients 50] [--asks 3000] [--uploads 40]

Without --url it starts `rag serve` on a fresh index. First every question of the eval set is asked
once, alone: that is the baseline. Then `--clients` threads share `--asks` requests over those
questions while one more thread uploads `--uploads` unrelated articles (and deletes them at the end).
Reports throughput, latency percentiles, errors, and answers that differ from the baseline. Bounded
by count and by --max-seconds; it stops by itself.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from eval.metrics import percentile
from eval.servers import start_rag_server

QUESTIONS = Path(__file__).with_name("questions.jsonl")


def unrelated_article(i: int) -> bytes:
    return (
        f"Harbour bulletin {i}\n\nThe harbour board of Port Veyla {i} said on Monday that berth {i % 17} "
        f"handled {1000 + i * 13} containers last week and that dredging of channel {i % 5} will finish "
        f"in spring. The board also approved {i % 9 + 2} new cranes.\n"
    ).encode()


def run(url: str, clients: int, asks: int, uploads: int, max_seconds: float) -> dict:
    questions = [
        json.loads(line)["question"] for line in QUESTIONS.read_text().splitlines() if line.strip()
    ]
    http = httpx.Client(base_url=url, timeout=60, limits=httpx.Limits(max_connections=clients + 4))

    def best_passage(answer: dict) -> str:
        """The passage an answer leads with (its status aside): what the user is pointed to."""
        cites = answer.get("citations") or []
        return cites[0]["quote"] if cites else ""

    baseline = {}
    for q in questions:
        answer = http.post("/api/ask", json={"question": q}).json()
        baseline[q] = (answer["text"], best_passage(answer))
    deadline = time.monotonic() + max_seconds
    latencies: list[float] = []
    errors: list[str] = []
    changed: list[str] = []
    moved: list[str] = []
    lock = threading.Lock()
    uploaded: list[str] = []
    upload_errors: list[str] = []

    def ask(i: int) -> None:
        if time.monotonic() > deadline:
            return
        q = questions[i % len(questions)]
        t = time.perf_counter()
        try:
            r = http.post("/api/ask", json={"question": q})
            ms = (time.perf_counter() - t) * 1e3
            with lock:
                if r.status_code != 200:
                    errors.append(f"{r.status_code}: {r.text[:120]}")
                    return
                latencies.append(ms)
                answer = r.json()
                if answer["text"] != baseline[q][0]:
                    changed.append(q)
                if best_passage(answer) != baseline[q][1]:
                    moved.append(q)
        except httpx.HTTPError as e:
            with lock:
                errors.append(f"{type(e).__name__}: {e}")

    def upload_all() -> None:
        for i in range(uploads):
            if time.monotonic() > deadline:
                return
            try:
                r = http.post(
                    "/api/documents",
                    files={"files": (f"load-bulletin-{i:04d}.txt", unrelated_article(i))},
                )
                rows = r.json()["results"] if r.status_code == 200 else []
                if r.status_code != 200 or rows[0]["status"] != "added":
                    upload_errors.append(f"{r.status_code}: {r.text[:120]}")
                else:
                    uploaded.append(rows[0]["source"])
            except httpx.HTTPError as e:
                upload_errors.append(f"{type(e).__name__}: {e}")

    start = time.perf_counter()
    uploader = threading.Thread(target=upload_all)
    uploader.start()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(ask, range(asks)))
    uploader.join()
    seconds = time.perf_counter() - start
    # Leave the index as it was.
    for doc in http.get("/api/documents").json():
        if doc["source"] in uploaded:
            http.delete(f"/api/documents/{doc['doc_id']}")
    http.close()
    return {
        "clients": clients,
        "requests": asks,
        "completed": len(latencies),
        "seconds": round(seconds, 2),
        "answers_per_second": round(len(latencies) / seconds, 1) if seconds else 0.0,
        "latency_ms": {
            p: round(percentile(latencies, q), 1)
            for p, q in (("p50", 50), ("p95", 95), ("p99", 99))
        }
        | {"max": round(max(latencies, default=0.0), 1)},
        "errors": len(errors),
        "error_samples": errors[:5],
        "changed_answers": len(changed),
        # the best passage itself changed (not only whether it is vouched for, or a further quote)
        "changed_best_passage": len(moved),
        "changed_best_samples": sorted(set(moved))[:5],
        "changed_samples": sorted(set(changed))[:5],
        "uploads": {
            "done": len(uploaded),
            "errors": len(upload_errors),
            "error_samples": upload_errors[:3],
        },
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.load", description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", help="a running `rag serve` (default: start one on a fresh index)")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--asks", type=int, default=3000)
    ap.add_argument("--uploads", type=int, default=40)
    ap.add_argument("--max-seconds", type=float, default=600)
    ap.add_argument("--out", default="eval/results/load.json")
    args = ap.parse_args(argv)
    server = None
    tmp = tempfile.TemporaryDirectory()
    try:
        url = args.url
        if not url:
            server = start_rag_server("load", Path(tmp.name) / "index")
            url = server.url
        result = run(url, args.clients, args.asks, args.uploads, args.max_seconds)
    finally:
        if server:
            server.stop()
        tmp.cleanup()
    print(json.dumps(result, indent=2))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2))
    return 0 if result["errors"] == 0 and result["uploads"]["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
