"""Scale: grow the index with distractor articles and watch latency, memory and answer quality.

How the distractors are made (deterministic: article i is the same in every run and at every size, so
a smaller corpus is a prefix of a larger one). The sentence pool is every sentence of the bundled
articles as ingest keeps them (site chrome removed). Article i draws 12-30 sentences from the pool (a
random generator seeded with "scale-<i>"), groups them into paragraphs of 1-3, puts a 6-10 word
headline on top, and is one of three kinds, in turn:
- reprint: the sentences verbatim. A wire archive is full of these: the same sentences recombined by
  other outlets. They state the bundled facts again and nothing new.
- elsewhere: every proper noun (a capitalised word the corpus never writes in lower case), number and
  month is replaced, consistently within the article, by an invented name, a number of the same length,
  another month: the same war reported from an invented country ("rebels captured Vemalor on 17
  March"). Coherent, same vocabulary, other facts; to a question that names no place or person
  ("How many southern rebel groups gathered in the operations room?") such an article is a genuine
  competing answer.
- shuffled: every word but function words is swapped for another corpus word of the same kind and
  about the same frequency (a shuffle within bands of 24 words ranked by frequency): the vocabulary
  and word statistics of the corpus without its meaning ("the convoy of Hama captured the ministry").
The mix stresses keyword and dense retrieval (the question's words are everywhere) and the answerer
(sentences that carry the right words but are about something else, or about nothing).
"""

from __future__ import annotations

import calendar
import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

_WORD = re.compile(r"[^\W\d_][\w’'-]*")
_NUMBER = re.compile(r"\d+")
_BAND = 24


KINDS = ("reprint", "elsewhere", "shuffled")
_SYLLABLES = [
    "ka",
    "lor",
    "ven",
    "dra",
    "mi",
    "sel",
    "tor",
    "an",
    "bel",
    "quor",
    "ith",
    "ra",
    "mon",
    "zel",
    "tha",
    "ro",
    "vi",
    "nes",
    "gar",
    "dun",
    "os",
    "pel",
    "cu",
    "ther",
    "ya",
    "bri",
    "sto",
    "fen",
]
MONTHS = list(calendar.month_name[1:])


class Pool:
    """Sentences of the bundled articles as ingest keeps them, and word statistics for the rewrites."""

    def __init__(self, corpus: Path):
        from collections import Counter

        from rag.ingest import IngestReport, expand, prepare
        from rag.loaders import load_file, load_manifest
        from rag.settings import Settings
        from rag.tokens import STOPWORDS

        settings = Settings()
        sentences: set[str] = set()
        manifest = load_manifest(corpus)
        for f in expand([corpus], IngestReport()):
            for rec in load_file(f, manifest):
                doc, chunks = prepare(rec, settings)
                for c in chunks:
                    for sp in c.sentences:
                        text = " ".join(doc.text[sp.start : sp.end].split())
                        if 6 <= len(text.split()) <= 60:
                            sentences.add(text)
        self.sentences = sorted(sentences)
        counts = Counter(
            w for s in self.sentences for w in _WORD.findall(s) if w.lower() not in STOPWORDS
        )
        lower = {w for w in counts if w[0].islower()}
        # Names: capitalised somewhere other than at the start of a sentence, never written in lower case.
        inside = {m.group() for s in self.sentences for m in _WORD.finditer(s) if m.start() > 0}
        self.names = {w for w in inside if w[0].isupper() and w.lower() not in lower}
        self.bands: list[list[str]] = []
        for upper in (True, False):
            ranked = sorted(
                (w for w in counts if w[0].isupper() == upper), key=lambda w: (-counts[w], w)
            )
            self.bands += [ranked[i : i + _BAND] for i in range(0, len(ranked), _BAND)]


def kind_of(i: int) -> str:
    return KINDS[i % len(KINDS)]


def distractor(i: int, pool: Pool) -> str:
    rng = random.Random(f"scale-{i}")
    kind = kind_of(i)
    swap: dict[str, str] = {}
    if kind == "shuffled":
        for band in pool.bands:
            swap.update(zip(band, rng.sample(band, len(band)), strict=True))
    elif kind == "elsewhere":
        swap.update(zip(MONTHS, rng.sample(MONTHS, len(MONTHS)), strict=True))

    def word(m: re.Match) -> str:
        w = m.group()
        if kind == "elsewhere" and w not in swap and w in pool.names:
            swap[w] = (
                "".join(rng.choice("BCDFGKLMNPRSTVZ") for _ in w)
                if w.isupper()
                else "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
            )
        return swap.get(w, w)

    def number(m: re.Match) -> str:
        n = len(m.group())
        return str(rng.randint(10 ** (n - 1) if n > 1 else 0, 10**n - 1))

    def rewrite(s: str) -> str:
        return s if kind == "reprint" else _NUMBER.sub(number, _WORD.sub(word, s))

    sentences = [
        rewrite(s)
        for s in rng.sample(pool.sentences, rng.randint(12, min(30, len(pool.sentences))))
    ]
    head = rewrite(rng.choice(pool.sentences)).rstrip('.!?"”').split()[: rng.randint(6, 10)]
    paragraphs, k = [], 0
    while k < len(sentences):
        n = rng.randint(1, 3)
        paragraphs.append(" ".join(sentences[k : k + n]))
        k += n
    return " ".join(head) + "\n\n" + "\n\n".join(paragraphs) + "\n"


def build(folder: Path, chunks: int, corpus: Path) -> dict:
    """Write distractor articles into ``folder`` until their chunks (as ingest will cut them) reach
    ``chunks``. Articles already there are kept (same content: deterministic)."""
    from rag.ingest import prepare
    from rag.loaders import Record
    from rag.settings import Settings
    from rag.types import Metadata

    settings = Settings()
    pool = Pool(corpus)
    folder.mkdir(parents=True, exist_ok=True)
    total = i = 0
    while total < chunks:
        path = folder / f"scale-{i:06d}-{kind_of(i)}.txt"
        text = distractor(i, pool)
        if not path.is_file():
            path.write_text(text, encoding="utf-8")
        _, cs = prepare(Record(str(path), path.name, str(path), text, Metadata()), settings)
        total += len(cs)
        i += 1
    return {
        "articles": i,
        "chunks": total,
        "mb": sum(p.stat().st_size for p in folder.glob("scale-*.txt")) / 1e6,
    }


MEASURE = """
import json, sys, time
t = time.perf_counter()


def peak_rss_mb():
    # VmHWM: this process's own peak (getrusage's ru_maxrss would include the parent's, inherited over fork).
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024

from rag.assistant import Assistant
from eval.run import evaluate, load_questions
a = Assistant.open(sys.argv[1], ingest_default=False)
a.embedder.embed(["warm up"])
open_s = time.perf_counter() - t
r = evaluate(a, load_questions())
m = r["metrics"]
wrong = {row["id"] for row in r["rows"] if not row["correct"]}
# Warm: the same questions again (corpus sentences seen before are tokenised already). What the wrong
# answers cite, by kind of article: bundled, or which kind of distractor.
lat, blame = [], {}
for item in load_questions():
    t0 = time.perf_counter(); ans = a.ask(item["question"]); lat.append((time.perf_counter() - t0) * 1e3)
    if item["id"] in wrong:
        for c in ans.citations:
            kind = c.source.rsplit("-", 1)[-1].split(".")[0] if c.source.startswith("scale-") else "bundled"
            blame[kind] = blame.get(kind, 0) + 1
lat.sort()
print(json.dumps({"open_s": open_s, "metrics": m, "wrong": sorted(wrong), "wrong_answers_cite": blame,
                  "warm_p50_ms": lat[len(lat) // 2], "warm_p95_ms": lat[int(0.95 * (len(lat) - 1))],
                  "chunks": a.index.count()[1], "peak_rss_mb": peak_rss_mb()}))
"""


def measure(index_dir: Path) -> dict:
    """Open the index in a new process, run the bundled eval, time the answers, report peak RSS."""
    env = {k: v for k, v in os.environ.items() if k != "RAG_CHROMA_URL"}  # the index's own vectors
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(index_dir)],
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if out.returncode != 0:
        raise RuntimeError(f"scale measurement failed: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def grow(assistant, docs: Path, size: int, corpus: Path) -> dict:
    """Add distractor articles until they hold ``size`` chunks; how long the ingest took."""
    built = build(docs, size, corpus)
    t = time.perf_counter()
    report = assistant.ingest([docs])
    ingest_s = time.perf_counter() - t
    if report.failed:
        raise RuntimeError(f"distractors failed to ingest: {report.failed[:3]}")
    return {
        "distractor_chunks": size,
        "articles": built["articles"],
        "skipped_as_duplicates": len(report.skipped),
        "ingest_s": ingest_s,
        "ingested_chunks": report.chunks,
        "ingest_chunks_per_s": report.chunks / ingest_s if report.chunks else 0.0,
    }


GROW = """
import json, sys
from pathlib import Path
from rag.assistant import Assistant
from rag.settings import Settings
from eval.scale import grow
index, docs, size, corpus = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
a = Assistant(Settings(index_dir=index, chroma_url=None))
if size == 0:
    a.ingest([corpus])
    print(json.dumps({"distractor_chunks": 0, "ingest_s": 0.0}))
else:
    print(json.dumps(grow(a, docs, size, corpus)))
a.close()
"""


def curve(sizes: list[int], work: Path, corpus: Path) -> list[dict]:
    """The bundled corpus alone, then with distractors at each size, each measured in a new process.

    Each size is grown in a child process (so the embedded Chroma is flushed and closed when it exits)
    from a copy of the largest smaller one and kept as ``work/index-<size>`` with how its ingest went
    in ``grown.json``: a later run with the same ``work`` folder only measures."""
    import shutil

    points: list[dict] = []
    last = None
    for size in [0, *sorted(sizes)]:
        kept = work / f"index-{size}"
        if not (kept / "grown.json").is_file():
            shutil.rmtree(kept, ignore_errors=True)
            if last is not None:
                shutil.copytree(last, kept, symlinks=True)
            env = {k: v for k, v in os.environ.items() if k != "RAG_CHROMA_URL"}
            out = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    GROW,
                    str(kept),
                    str(work / "distractors"),
                    str(size),
                    str(corpus),
                ],
                capture_output=True,
                text=True,
                env=env,
            )
            if out.returncode != 0:
                raise RuntimeError(
                    f"growing the index to {size} distractor chunks failed: {out.stderr[-2000:]}"
                )
            (kept / "grown.json").write_text(out.stdout.strip().splitlines()[-1])
        points.append({**json.loads((kept / "grown.json").read_text()), **measure(kept)})
        last = kept
    return points


def plot(points: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x = [max(p["chunks"], 1) for p in points]
    fig, (ax1, ax2, ax3) = plt.subplots(1, 3, figsize=(14, 4))
    ax1.plot(x, [p["metrics"]["latency_p50_ms"] for p in points], "o-", label="first ask, p50")
    ax1.plot(x, [p["metrics"]["latency_p95_ms"] for p in points], "o--", label="first ask, p95")
    ax1.plot(x, [p["warm_p50_ms"] for p in points], "s-", label="asked again, p50")
    ax1.axhline(60, color="grey", lw=0.8, ls=":", label="target p50 60 ms")
    ax1.set(
        xscale="log", xlabel="chunks in the index", ylabel="full answer, ms", title="Answer latency"
    )
    ax2.plot(x, [p["peak_rss_mb"] for p in points], "o-", color="tab:red")
    ax2.axhline(1024, color="grey", lw=0.8, ls=":", label="1 GB")
    ax2.set(
        xscale="log",
        xlabel="chunks in the index",
        ylabel="MB",
        title="Peak RSS (open, model, 2 eval passes)",
    )
    ax3.plot(x, [p["metrics"]["correctness"] for p in points], "o-", label="correctness")
    ax3.plot(x, [p["metrics"]["abstention"] for p in points], "s-", label="abstention")
    ax3.plot(
        x,
        [p["metrics"]["recall_at_5"] for p in points],
        "^-",
        label="recall@5, bundled article",
    )
    ax3.set(
        xscale="log",
        ylim=(0, 1.05),
        xlabel="chunks in the index",
        title="Bundled eval with distractors",
    )
    for ax in (ax1, ax2, ax3):
        ax.legend(fontsize=8, loc="lower left" if ax is ax3 else "best")
        ax.grid(alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def table(points: list[dict]) -> str:
    head = f"{'chunks':>8}{'ingest s':>10}{'chunks/s':>10}{'p50 ms':>9}{'p95 ms':>9}{'again p50':>11}{'RSS MB':>9}{'correct':>9}{'abstain':>9}{'recall@5':>10}"
    rows = [head]
    for p in points:
        m = p["metrics"]
        rows.append(
            f"{p['chunks']:>8}{p['ingest_s']:>10.1f}{p.get('ingest_chunks_per_s', 0):>10.1f}{m['latency_p50_ms']:>9.1f}"
            f"{m['latency_p95_ms']:>9.1f}{p['warm_p50_ms']:>11.1f}{p['peak_rss_mb']:>9.0f}{m['correctness']:>9.3f}"
            f"{m['abstention']:>9.3f}{m['recall_at_5']:>10.3f}"
        )
    return "\n".join(rows)


if __name__ == "__main__":  # python -m eval.scale FOLDER CHUNKS: just write the distractor articles
    print(
        json.dumps(
            build(
                Path(sys.argv[1]),
                int(sys.argv[2]),
                Path(__file__).resolve().parent.parent / "corpus",
            )
        )
    )
