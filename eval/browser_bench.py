"""What a person at the browser waits for: server start, page load, and question → answer on screen.

    python -m eval.browser_bench [--url http://127.0.0.1:7860] [--loads 10] [--questions 30]

Without --url it starts `rag serve` on a fresh temporary index (which ingests the bundled corpus) and
times that too. Page load: navigation until the question box is usable, in a fresh browser context
each time (no cache). Answer: click on Ask until the finished answer is in the chat and its evidence
in the panel. Questions are the eval set's, in order. Prints min / median / p95 / max; writes JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from eval.metrics import percentile
from eval.servers import CHROMIUM, CHROMIUM_FLAGS, start_rag_server

QUESTIONS = Path(__file__).with_name("questions.jsonl")
DONE = "#rag-chat .rag-msg:not(.rag-pending)"


def summary(values: list[float]) -> dict[str, float]:
    ms = [v * 1e3 for v in values]
    return {
        "n": len(ms),
        "min": min(ms),
        "median": statistics.median(ms),
        "p95": percentile(ms, 95),
        "max": max(ms),
    }


def measure(url: str, loads: int, questions: list[str]) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    out: dict[str, list[float]] = {"page_load": [], "dom_content_loaded": [], "answer": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for _ in range(loads):
            ctx = browser.new_context()
            page = ctx.new_page()
            t = time.perf_counter()
            page.goto(url)
            page.wait_for_selector("#rag-question textarea")
            out["page_load"].append(time.perf_counter() - t)
            nav = page.evaluate(
                "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
            )
            out["dom_content_loaded"].append(nav / 1e3)
            ctx.close()
        ctx = browser.new_context()
        page = ctx.new_page()
        page.goto(url)
        page.wait_for_selector("#rag-question textarea")
        for i, q in enumerate(questions, 1):
            if i % 10 == 1 and i > 1:  # keep the page small, as a person would start over
                page.click("text=New conversation")
                page.wait_for_function(
                    f"document.querySelectorAll({json.dumps(DONE)}).length === 0"
                )
            before = page.locator(DONE).count()
            page.fill("#rag-question textarea", q)
            t = time.perf_counter()
            page.click("#rag-ask")
            page.wait_for_function(
                f"document.querySelectorAll({json.dumps(DONE)}).length > {before}"
                f" && document.querySelector('#rag-sources .rag-turn')",
                timeout=60000,
            )
            out["answer"].append(time.perf_counter() - t)
        browser.close()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m eval.browser_bench", description=__doc__.split("\n\n")[0]
    )
    ap.add_argument(
        "--url", help="an already running `rag serve` (default: start one on a fresh index)"
    )
    ap.add_argument("--loads", type=int, default=10)
    ap.add_argument("--questions", type=int, default=30)
    ap.add_argument("--out", default="eval/results/browser.json")
    args = ap.parse_args(argv)
    questions = [
        json.loads(line)["question"] for line in QUESTIONS.read_text().splitlines() if line.strip()
    ][: args.questions]

    results: dict[str, dict[str, float]] = {}
    server = None
    tmp = tempfile.TemporaryDirectory()
    try:
        url = args.url
        if not url:
            t = time.perf_counter()
            server = start_rag_server("bench", Path(tmp.name) / "index")
            results["server_start_to_ready"] = summary([time.perf_counter() - t])
            url = server.url
        for name, values in measure(url.rstrip("/") + "/", args.loads, questions).items():
            results[name] = summary(values)
    finally:
        if server:
            server.stop()
        tmp.cleanup()

    print(f"{'ms':<24}{'n':>4}{'min':>9}{'median':>9}{'p95':>9}{'max':>9}")
    for name, s in results.items():
        print(
            f"{name:<24}{s['n']:>4}{s['min']:>9.0f}{s['median']:>9.0f}{s['p95']:>9.0f}{s['max']:>9.0f}"
        )
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2))
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
