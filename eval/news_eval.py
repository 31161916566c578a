"""Evaluate the answerer on the news eval set, one split at a time (train, dev, test).

Each split gets a fresh index of its own topics' articles; every question is asked as a user would.
Metrics over answerable questions: right (the answer's quotes hold the facts; also reported for the
first quote alone), wrong (answered without the facts), refused, and refused as not confirmed although
the passages shown hold the facts; over unanswerable ones: refused (an answer marked *not confirmed* counts as a refusal: it is not vouched
for). By form: two-part, keyword queries, why/how, which-X, qualifiers, paraphrases, long questions.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from eval.dataset import Item, split_items
from eval.metrics import facts_present, percentile

FORMS = ("two_part", "keyword", "why_how", "which_x", "qualifier", "paraphrase", "long", "short")


def _citation_ok(c, texts: dict[str, str]) -> bool:
    text = texts.get(c.source)
    return c.end > c.start and (text is None or text[c.start : c.end] == c.quote)


def ask_all(assistant, items: list[Item]) -> tuple[list[dict], list[float], tuple[int, int]]:
    paths = {d.source: d.path for d in assistant.sources()}
    texts = {s: Path(p).read_text(encoding="utf-8") for s, p in paths.items() if p.endswith(".txt")}
    rows, latencies = [], []
    ok = total = 0
    for it in items:
        t0 = time.perf_counter()
        ans = assistant.ask(it.question)
        latencies.append((time.perf_counter() - t0) * 1000)
        for c in ans.citations:
            total += 1
            ok += _citation_ok(c, texts)
        has_facts = bool(it.facts) and facts_present(ans.text, [list(g) for g in it.facts])
        first = ans.citations[0].quote if ans.citations else ""
        first_has = bool(it.facts) and facts_present(first, [list(g) for g in it.facts])
        rows.append(
            {
                "id": it.id,
                "question": it.question,
                "answerable": it.answerable,
                "tags": list(it.tags),
                "status": ans.status,
                "abstained": ans.abstained,
                "right": it.answerable and not ans.abstained and has_facts,
                "wrong": not ans.abstained and not (it.answerable and has_facts),
                "right_first_quote": it.answerable and not ans.abstained and first_has,
                # an answer held back as not confirmed whose closest passages do hold the facts
                "shown_unconfirmed": ans.status == "unconfirmed" and has_facts,
                "answer": ans.text,
            }
        )
    return rows, latencies, (ok, total)


def metrics(rows: list[dict], latencies: list[float], citations: tuple[int, int]) -> dict:
    ans = [r for r in rows if r["answerable"]]
    un = [r for r in rows if not r["answerable"]]

    def share(items, pred):
        return sum(1 for r in items if pred(r)) / len(items) if items else 0.0

    out = {
        "questions": len(rows),
        "correct": share(ans, lambda r: r["right"]),
        "correct_first_quote": share(ans, lambda r: r["right_first_quote"]),
        "wrong": share(ans, lambda r: r["wrong"]),
        "refused_answerable": share(ans, lambda r: r["abstained"]),
        "unanswerable_refused": share(un, lambda r: r["abstained"]),
        "unconfirmed": share(rows, lambda r: r["status"] == "unconfirmed"),
        "unconfirmed_holding_answer": share(ans, lambda r: r["shown_unconfirmed"]),
        "citation_validity": citations[0] / citations[1] if citations[1] else 1.0,
        "latency_p50_ms": percentile(latencies, 50),
        "latency_p95_ms": percentile(latencies, 95),
    }
    for form in FORMS:
        items = [r for r in ans if form in r["tags"]]
        out[f"{form}_correct"] = share(items, lambda r: r["right"])
        out[f"{form}_n"] = len(items)
    return out


def evaluate_split(split: str, settings=None) -> dict:
    from eval.train import open_split

    with tempfile.TemporaryDirectory(prefix=f"rag-eval-{split}-") as d:
        t0 = time.perf_counter()
        assistant = open_split(split, d, settings)
        ingest_s = time.perf_counter() - t0
        items = split_items(split)
        assistant.ask("warm-up question")
        rows, latencies, cits = ask_all(assistant, items)
        assistant.close()
    return {
        "split": split,
        "ingest_s": ingest_s,
        "metrics": metrics(rows, latencies, cits),
        "rows": rows,
    }
