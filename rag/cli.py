"""The `rag` command. The one place errors become user text and exit codes (2 = bad input)."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys


def _print_answer(ans, as_json: bool) -> None:
    if as_json:
        print(json.dumps(ans.to_dict(), ensure_ascii=False, indent=2))
        return
    print(ans.text)
    if ans.citations:
        print()
        for c in ans.citations:
            meta = ", ".join(x for x in (c.outlet or c.author, c.published) if x)
            where = f"page {c.page}, " if c.page else ""
            earlier = " (earlier version, since revised)" if c.superseded else ""
            print(
                f"[{c.n}] {c.source} {where}chars {c.start}-{c.end}"
                + (f" — {meta}" if meta else "")
                + earlier
            )
            print(f"    {c.title}")


def _open(args):
    from rag.assistant import Assistant

    return Assistant.open(args.index)  # None: RAG_INDEX_DIR or .rag/


def cmd_ingest(args) -> int:
    from rag.assistant import Assistant

    assistant = Assistant.open(args.index, ingest_default=False)
    report = assistant.ingest(args.paths, prune=args.prune, progress=sys.stderr.isatty())
    for source, reason in report.failed:
        print(f"failed: {source}: {reason}", file=sys.stderr)
    for source, reason in report.skipped:
        print(f"skipped: {source}: {reason}", file=sys.stderr)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(report.summary())
    return 0


def cmd_watch(args) -> int:
    from rag.assistant import Assistant
    from rag.watch import Watcher, parse_every

    try:
        every = parse_every(args.every)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    assistant = Assistant.open(args.index, ingest_default=False)

    def show(report) -> None:
        for source, reason in report.failed:
            print(f"failed: {source}: {reason}", file=sys.stderr)
        for source in report.added + report.updated:
            print(f"{'revised' if source in report.revisions else 'new'}: {source}", flush=True)
        print(report.summary(), flush=True)

    print(f"watching {len(args.urls)} URL(s) every {args.every}; Ctrl-C to stop", file=sys.stderr)
    with contextlib.suppress(KeyboardInterrupt):
        Watcher(assistant, args.urls, every, show).run(rounds=args.rounds)
    return 0


def cmd_ask(args) -> int:
    assistant = _open(args)
    _print_answer(assistant.ask(" ".join(args.question)), args.json)
    return 0


def cmd_chat(args) -> int:
    from rag.errors import QuestionError

    assistant = _open(args)
    docs, chunks = assistant.index.count()
    print(
        f"newsrag — {docs} articles, {chunks} passages. Ask a question; empty line or Ctrl-D to quit."
    )
    while True:
        try:
            line = input("\n? ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not line.strip():
            return 0
        try:
            _print_answer(assistant.ask(line), as_json=False)
        except QuestionError as e:
            print(f"error: {e}")


def cmd_sources(args) -> int:
    assistant = _open(args)
    rows = assistant.sources()
    if args.json:
        print(json.dumps([r.to_dict() for r in rows], indent=2, ensure_ascii=False))
        return 0
    for r in rows:
        meta = (
            " · ".join(
                x
                for x in (
                    r.outlet,
                    r.author,
                    r.published,
                    r.updated and f"updated {r.updated}",
                )
                if x
            )
            or "no outlet/author/date stated"
        )
        version = ""
        if r.versions > 1:
            state = "latest" if r.latest else "superseded"
            version = f"  [version {r.version} of {r.versions}, {state}]"
        print(f"{r.doc_id}  {r.source}  ({r.chunks} chunks){version}\n    {r.title}\n    {meta}")
    return 0


def cmd_serve(args) -> int:
    from ui.server import is_loopback, parse_auth, port_free

    auth_value = args.auth or os.environ.get("RAG_AUTH")
    try:
        auth = parse_auth(auth_value)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if not auth and not is_loopback(args.host):
        print(
            f"error: refusing to listen on {args.host} without --auth user:password "
            "(or RAG_AUTH); without auth only 127.0.0.1 is allowed",
            file=sys.stderr,
        )
        return 2
    if not port_free(args.host, args.port):
        print(
            f"error: port {args.port} on {args.host} is in use; choose another with --port",
            file=sys.stderr,
        )
        return 1
    from rag.assistant import Assistant
    from rag.watch import Watcher, parse_every
    from ui.server import serve

    try:
        every = parse_every(args.every)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print("newsrag: opening the index…", file=sys.stderr, flush=True)
    assistant = Assistant.open(args.index)
    # Load the model and the vector index now, not on the first question (at 100k chunks the first
    # question would otherwise wait ~3 s for the vector index to load).
    assistant.retrieve("warm up the index", k=1)
    docs, chunks = assistant.index.count()
    print(f"newsrag: {docs} articles, {chunks} passages", file=sys.stderr, flush=True)
    watcher = Watcher(assistant, args.watch, every).start() if args.watch else None
    if watcher:
        print(f"newsrag: watching {len(args.watch)} feed(s) every {args.every}", file=sys.stderr)
    try:
        serve(assistant, host=args.host, port=args.port, auth=auth)
    finally:
        if watcher:
            watcher.stop()
    return 0


def cmd_timeline(args) -> int:
    assistant = _open(args)
    events = assistant.timeline(" ".join(args.query) or None, args.start, args.end)
    if args.json:
        print(json.dumps([e.to_dict() for e in events], indent=2, ensure_ascii=False))
        return 0
    if not events:
        print("no dated events" + (f" about {' '.join(args.query)}" if args.query else ""))
    for e in events:
        flag = "  [sources differ on the date]" if e.disagreement else ""
        print(f"{e.date:<10}  {e.text}{flag}")
        for m in e.mentions:
            c = m.citation
            who = c.outlet or c.title or c.source
            how = {"stated": "", "relative": f", counted from '{m.anchor}'"}.get(
                m.how, ", counted from the publication date"
            )
            print(
                f"            [{c.n}] {m.date} '{m.expression}'{how} — {who} ({c.source} {c.start}-{c.end})"
            )
    return 0


def cmd_doctor(args) -> int:
    from rag.assistant import Assistant

    assistant = Assistant.open(args.index, ingest_default=False)
    result = assistant.doctor(repair=args.repair)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
    else:
        print(f"{result.documents} documents, {result.chunks} chunks, {result.vectors} vectors")
        for p in result.problems:
            print(f"problem: {p}")
        for r in result.repaired:
            print(f"repaired: {r}")
        if result.ok:
            print("ok: registry, vector store and keyword index agree")
        elif not args.repair:
            print("run `rag doctor --repair` to fix")
    return 0 if result.ok or args.repair else 1


def cmd_train(args) -> int:
    from pathlib import Path

    from eval.train import train

    train(Path(args.out) if args.out else None)
    return 0


def cmd_bench(args) -> int:
    from eval.bench import main as run_bench

    argv = ["--smoke"] if args.smoke else []
    for flag in ("out", "scale", "scale_dir", "plot"):
        if getattr(args, flag):
            argv += ["--" + flag.replace("_", "-"), str(getattr(args, flag))]
    return run_bench(argv)


def cmd_eval(args) -> int:
    from eval.run import main as run_eval

    return run_eval(
        index_dir=args.index_dir,
        questions=args.questions,
        out=args.out,
        verbose=args.verbose,
        llm=args.llm,
        **({"splits": tuple(args.split)} if args.split else {}),
    )


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="rag", description="Grounded answers from news articles, every sentence cited."
    )
    p.add_argument("--index", help="index directory (default: RAG_INDEX_DIR or .rag/)")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser(
        "ingest", help="add or update articles: files, folders, web page URLs or feed URLs"
    )
    s.add_argument("paths", nargs="+")
    s.add_argument("--prune", action="store_true", help="remove documents whose files are gone")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser(
        "watch", help="keep feeds (or pages) ingested: fetch them again every so often"
    )
    s.add_argument("urls", nargs="+", metavar="URL", help="RSS/Atom feed or page URLs")
    s.add_argument("--every", default="15m", help="how often (30s, 15m, 2h; default 15m)")
    s.add_argument("--rounds", type=int, help="stop after this many rounds (default: never)")
    s.set_defaults(func=cmd_watch)

    s = sub.add_parser("ask", help="ask one question")
    s.add_argument("question", nargs="+")
    s.add_argument("--json", action="store_true", help="print the Answer as JSON")
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("chat", help="ask questions in a terminal chat")
    s.set_defaults(func=cmd_chat)

    s = sub.add_parser("sources", help="list ingested documents")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_sources)

    s = sub.add_parser("timeline", help="dated events of the articles, oldest first, each cited")
    s.add_argument("query", nargs="*", help="only events whose sentence holds these words")
    s.add_argument("--from", dest="start", help="first date (YYYY, YYYY-MM or YYYY-MM-DD)")
    s.add_argument("--to", dest="end", help="last date (YYYY, YYYY-MM or YYYY-MM-DD)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_timeline)

    s = sub.add_parser("doctor", help="check that registry, vector store and keyword index agree")
    s.add_argument(
        "--repair",
        action="store_true",
        help="fix what is found (the registry is the source of truth)",
    )
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_doctor)

    s = sub.add_parser("serve", help="run the browser app and HTTP API")
    s.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1; others need --auth)",
    )
    s.add_argument("--port", type=int, default=7860)
    s.add_argument(
        "--auth",
        metavar="USER:PASS",
        help="require HTTP Basic auth for the UI and API (or set RAG_AUTH)",
    )
    s.add_argument(
        "--watch",
        action="append",
        default=[],
        metavar="URL",
        help="keep this feed ingested while serving (repeatable)",
    )
    s.add_argument("--every", default="15m", help="how often to fetch --watch feeds (default 15m)")
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser(
        "bench", help="benchmark against the LlamaIndex starter pipeline (table + JSON)"
    )
    s.add_argument("--smoke", action="store_true", help="few repetitions (what CI runs)")
    s.add_argument("--out", help="JSON results (default: eval/results/bench.json)")
    s.add_argument(
        "--scale",
        help="index sizes in distractor chunks for the scale curve (default 1000,10000,100000; "
        "--smoke: 300; 0 skips it)",
    )
    s.add_argument("--scale-dir", help="keep the grown indexes here and reuse them on the next run")
    s.add_argument("--plot", help="PNG of the scale curve (default: eval/results/scale.png)")
    s.set_defaults(func=cmd_bench)

    s = sub.add_parser(
        "train",
        help="fit the answer decision on the news train split and choose its thresholds on dev (writes rag/weights.json)",
    )
    s.add_argument("--out", help="write the weights here instead of rag/weights.json")
    s.set_defaults(func=cmd_train)

    s = sub.add_parser(
        "eval",
        help="run the eval suite: the bundled questions and each news split (train, dev, test), each on a fresh index",
    )
    s.add_argument("--index-dir", help="evaluate this index instead of a fresh temporary one")
    s.add_argument("--questions", help="bundled questions file (default: eval/questions.jsonl)")
    s.add_argument(
        "--split",
        action="append",
        choices=["bundled", "train", "dev", "test"],
        help="evaluate only these sets (repeatable; default: all four)",
    )
    s.add_argument("--out", help="write the JSON results here (default: eval/results/latest.json)")
    s.add_argument(
        "-v", "--verbose", action="store_true", help="show every question answered wrongly"
    )
    s.add_argument(
        "--llm",
        help="generate answers with this backend (a RAG_LLM value, e.g. openai:qwen2.5); reported, not gated",
    )
    s.set_defaults(func=cmd_eval)
    return p


def main(argv: list[str] | None = None) -> int:
    from rag.errors import QuestionError, RagError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except QuestionError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except RagError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except ValueError as e:  # settings validation (pydantic) names the variable to fix
        print(f"error: invalid setting: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
