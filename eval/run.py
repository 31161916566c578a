"""Run the eval set against an index and report metrics (table + JSON). Exit 1 when under threshold."""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from eval.metrics import facts_present, faithfulness, percentile

HERE = Path(__file__).resolve().parent
QUESTIONS = HERE / "questions.jsonl"
CONVERSATIONS = HERE / "conversations.jsonl"
THRESHOLDS = HERE / "thresholds.json"


def load_questions(path: Path = QUESTIONS) -> list[dict]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def evaluate(assistant, questions: list[dict]) -> dict:
    sources = {d.source: d for d in assistant.sources()}
    file_text: dict[str, str] = {}

    def original(source: str) -> str | None:
        if source not in file_text:
            p = Path(sources[source].path) if source in sources else None
            file_text[source] = (
                p.read_text(encoding="utf-8")
                if p and p.suffix in {".txt", ".md"} and p.is_file()
                else None
            )
        return file_text[source]

    assistant.ask("warm-up question about Aleppo")
    rows, latencies = [], []
    cit_ok = cit_total = backed = claims_total = 0
    for item in questions:
        t0 = time.perf_counter()
        ans = assistant.ask(item["question"])
        latencies.append((time.perf_counter() - t0) * 1000)
        hits = [r.source for r in assistant.retrieve(item["question"], k=5)]
        row = {
            "id": item["id"],
            "category": item["category"],
            "question": item["question"],
            "answerable": item["answerable"],
            "abstained": ans.abstained,
            "disagreement": ans.disagreement,
            "answer": ans.text,
            "recall_at_5": bool(set(hits) & set(item["sources"])) if item["sources"] else None,
            "correct": (facts_present(ans.text, item["facts"]) and not ans.abstained)
            if item["answerable"]
            else ans.abstained,
        }
        quotes = {}
        for c in ans.citations:
            cit_total += 1
            text = original(c.source)
            doc_ok = c.source in sources
            # .html/.json: offsets are into extracted text
            file_ok = text is None or text[c.start : c.end] == c.quote
            if doc_ok and file_ok and c.end > c.start:
                cit_ok += 1
            quotes[c.n] = c.quote
        row["sentences"] = [s.supported for s in ans.sentences]
        if not ans.abstained:
            b, t = faithfulness(ans.text, quotes)
            backed, claims_total = backed + b, claims_total + t
            row["faithful"] = b == t
        rows.append(row)

    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    generated = [s for r in rows for s in r.get("sentences", [])]
    with_sources = [r for r in rows if r["recall_at_5"] is not None]

    def share(items, key):
        return sum(1 for r in items if r[key]) / len(items) if items else 0.0

    by_cat = {}
    for cat in sorted({r["category"] for r in rows}):
        items = [r for r in rows if r["category"] == cat]
        by_cat[cat] = {"n": len(items), "correct": share(items, "correct")}
    return {
        "questions": len(rows),
        "metrics": {
            "recall_at_5": share(with_sources, "recall_at_5"),
            "correctness": share(answerable, "correct"),
            "citation_validity": cit_ok / cit_total if cit_total else 1.0,
            "faithfulness": backed / claims_total if claims_total else 1.0,
            "abstention": share(unanswerable, "abstained"),
            "false_abstention": share(answerable, "abstained"),
            "disagreement_flagged": share(
                [r for r in rows if r["category"] == "disagree"], "disagreement"
            ),
            "unsupported_sentences": (sum(not s for s in generated) / len(generated))
            if generated
            else 0.0,
            "latency_p50_ms": percentile(latencies, 50),
            "latency_p95_ms": percentile(latencies, 95),
        },
        "by_category": by_cat,
        "rows": rows,
    }


def evaluate_conversations(assistant, conversations: list[dict]) -> dict:
    """Multi-turn: the last turn of each conversation is a follow-up; is it understood and answered?"""
    rows = []
    for conv in conversations:
        history: list[dict] = []
        for turn in conv["turns"]:
            ans = assistant.ask(turn["question"], history)
            history.append(
                {
                    "question": turn["question"],
                    "answer": ans.text,
                    "standalone": ans.standalone_question,
                }
            )
        last = conv["turns"][-1]
        understood = ans.standalone_question or last["question"]
        rows.append(
            {
                "id": conv["id"],
                "question": last["question"],
                "standalone": ans.standalone_question,
                "answer": ans.text,
                "rewrite_ok": all(
                    w.lower() in understood.lower() for w in last.get("rewrite_has", [])
                ),
                "correct": (facts_present(ans.text, last["facts"]) and not ans.abstained)
                if last["answerable"]
                else ans.abstained,
            }
        )
    n = len(rows) or 1
    return {
        "followup_rewrite": sum(r["rewrite_ok"] for r in rows) / n,
        "followup_correctness": sum(r["correct"] for r in rows) / n,
        "rows": rows,
    }


def check(metrics: dict, thresholds: dict) -> list[str]:
    failures = []
    for name, floor in thresholds.items():
        if name.endswith("_max"):
            key = name[: -len("_max")]
            if metrics[key] > floor:
                failures.append(f"{key} {metrics[key]:.3f} > {floor}")
        elif metrics[name] < floor:
            failures.append(f"{name} {metrics[name]:.3f} < {floor}")
    return failures


def table(result: dict, thresholds: dict) -> str:
    m = result["metrics"]
    lines = [f"{'metric':<22} {'value':>9}  target", "-" * 44]
    targets = {
        k.removesuffix("_max"): (("≤ " if k.endswith("_max") else "≥ ") + str(v))
        for k, v in thresholds.items()
    }
    for k, v in m.items():
        val = f"{v:9.1f}" if k.endswith("_ms") else f"{v:9.3f}"
        lines.append(f"{k:<22} {val}  {targets.get(k, '')}")
    lines.append("")
    lines.append(
        "by category: "
        + ", ".join(
            f"{c} {d['correct']:.2f} (n={d['n']})" for c, d in result["by_category"].items()
        )
    )
    return "\n".join(lines)


NEWS_SPLITS = ("train", "dev", "test")
NEWS_COLUMNS = (
    ("correct", "≥"),
    ("correct_first_quote", ""),
    ("wrong", "≤"),
    ("refused_answerable", ""),
    ("unanswerable_refused", "≥"),
    ("unconfirmed", ""),
    ("unconfirmed_holding_answer", ""),
    ("two_part_correct", "≥"),
    ("keyword_correct", "≥"),
    ("why_how_correct", ""),
    ("which_x_correct", ""),
    ("qualifier_correct", ""),
    ("paraphrase_correct", ""),
    ("long_correct", ""),
    ("citation_validity", "="),
    ("latency_p50_ms", ""),
    ("latency_p95_ms", ""),
)


def news_table(results: dict[str, dict], bundled: dict | None) -> str:
    """One column per set: the news splits, then the bundled questions (their own metric names)."""
    names = list(results)
    head = (
        f"{'metric':<22}"
        + "".join(f"{n:>9}" for n in names)
        + (f"{'bundled':>9}" if bundled else "")
    )
    lines = [head, "-" * len(head)]
    bundled_same = {
        "correct": "correctness",
        "unanswerable_refused": "abstention",
        "citation_validity": "citation_validity",
        "latency_p50_ms": "latency_p50_ms",
        "latency_p95_ms": "latency_p95_ms",
        "refused_answerable": "false_abstention",
    }
    for key, _ in NEWS_COLUMNS:
        row = f"{key:<22}"
        for n in names:
            v = results[n]["metrics"][key]
            row += f"{v:9.1f}" if key.endswith("_ms") else f"{v:9.3f}"
        if bundled:
            b = bundled.get(bundled_same.get(key, ""), None)
            row += "" if b is None else (f"{b:9.1f}" if key.endswith("_ms") else f"{b:9.3f}")
        lines.append(row)
    lines.append(
        f"{'questions':<22}" + "".join(f"{results[n]['metrics']['questions']:9d}" for n in names)
    )
    return "\n".join(lines)


def main(
    index_dir: str | None = None,
    questions: str | None = None,
    out: str | None = None,
    verbose: bool = False,
    llm: str | None = None,
    splits: tuple[str, ...] = ("bundled", *NEWS_SPLITS),
) -> int:
    """Evaluate; with ``llm`` (a RAG_LLM value) the answers are generated, and reported but not gated.

    ``splits``: 'bundled' (the questions on the bundled corpus) and any of the news splits."""
    from eval.news_eval import evaluate_split
    from rag.assistant import Assistant
    from rag.settings import Settings

    settings = Settings(**({"llm": llm} if llm else {}))
    thresholds = {
        k: v for k, v in json.loads(THRESHOLDS.read_text()).items() if not k.startswith("_")
    }
    result: dict = {"backend": settings.llm, "failures": []}
    failures: list[str] = []
    if "bundled" in splits:
        tmp = None
        if index_dir is None:
            tmp = tempfile.TemporaryDirectory(prefix="rag-eval-")
            index_dir = tmp.name
        t0 = time.perf_counter()
        assistant = Assistant.open(index_dir, settings=settings, ingest_default=False)
        report = assistant.ingest([settings.corpus_dir])
        ingest_s = time.perf_counter() - t0
        qs = load_questions(Path(questions) if questions else QUESTIONS)
        result = {**evaluate(assistant, qs), **result}
        conv = evaluate_conversations(assistant, load_questions(CONVERSATIONS))
        result["metrics"]["followup_rewrite"] = conv["followup_rewrite"]
        result["metrics"]["followup_correctness"] = conv["followup_correctness"]
        result["conversations"] = conv["rows"]
        result["ingest"] = {"seconds_including_model_load": ingest_s, "report": report.summary()}
        if settings.llm == "none":
            failures += ["bundled: " + f for f in check(result["metrics"], thresholds["bundled"])]
        assistant.close()
        if tmp:
            tmp.cleanup()
        print(
            f"bundled: {len(qs)} questions + {len(conv['rows'])} follow-ups; answerer: {settings.llm}; corpus ingested in {ingest_s:.1f} s ({report.summary()})"
        )
        if settings.llm != "none":
            print(
                "(generated answers: reported, not gated; faithfulness counts verbatim claims only)"
            )
        print(table(result, thresholds["bundled"]))
        if verbose:
            for r in result["rows"]:
                if not r["correct"]:
                    print(
                        f"✗ {r['id']} [{r['category']}] {r['question']}\n    {r['answer'][:300]}\n"
                    )
    news = {}
    for split in (s for s in splits if s in NEWS_SPLITS):
        news[split] = evaluate_split(split, settings)
        if settings.llm == "none" and split in thresholds.get("news", {}):
            failures += [
                f"{split}: {f}" for f in check(news[split]["metrics"], thresholds["news"][split])
            ]
        if verbose:
            for r in news[split]["rows"]:
                if not r["right"] and r["answerable"] or r["wrong"]:
                    print(
                        f"✗ {split} {r['id']} {r['tags']} {r['question']}\n    [{r['status']}] {r['answer'][:300]}\n"
                    )
    if news:
        result["news"] = {
            k: {"metrics": v["metrics"], "ingest_s": v["ingest_s"], "rows": v["rows"]}
            for k, v in news.items()
        }
        print()
        print("news eval set (articles and questions we wrote; test is frozen):")
        print(news_table(news, result.get("metrics")))
    # Dates of the timeline: resolution against labels made by reading the articles (eval/timeline/).
    from eval.timeline_eval import score as score_dates

    dated = {split: score_dates(split) for split in ("bundled", *NEWS_SPLITS) if split in splits}
    if dated:
        result["timeline"] = dated
        print()
        print("timeline dates (eval/timeline/, labelled by reading; test is frozen):")
        print(f"{'metric':<16}" + "".join(f"{s:>9}" for s in dated))
        for k in ("resolved_right", "relative_right", "wrongly_dated", "unlabelled"):
            print(f"{k:<16}" + "".join(f"{v[k]:9.3f}" for v in dated.values()))
        print(f"{'events':<16}" + "".join(f"{v['events']:9d}" for v in dated.values()))
        for split, floors in thresholds.get("timeline", {}).items():
            if split in dated and not split.startswith("_"):
                failures += [f"timeline {split}: {f}" for f in check(dated[split], floors)]
    result["failures"] = failures
    out_path = Path(out) if out else HERE / "results" / "latest.json"
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"results: {out_path}")
    if failures:
        print("BELOW TARGET: " + "; ".join(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(verbose="-v" in sys.argv))
