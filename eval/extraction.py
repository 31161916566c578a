"""How well web pages become articles: body kept, chrome dropped, metadata right.

    python -m eval.extraction [--split dev|test] [-v]

Measured on ``eval/pages/``: pages we wrote in the markup of common publishing systems (WordPress,
news CMSs with JSON-LD, AMP, live blogs, paywalls, comment threads, Drupal, Ghost, newsletters,
pages whose only metadata is the visible byline), each labelled with every body sentence, the
chrome a reader would not count as the article, and its metadata. Split like the answering eval:
rules were chosen looking at dev only; test is reported apart.

A page's text is judged as it is indexed: extracted, then cleaned by ``rag.clean`` (what answers
can quote). Whitespace is collapsed before comparing.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

from rag.clean import clean
from rag.types import Metadata

PAGES = Path(__file__).resolve().parent / "pages"
FIELDS = ("title", "outlet", "author", "published", "updated", "url", "language")


def _norm(s: str) -> str:
    return " ".join(s.split()).casefold()


def _same_field(a: str, b: str) -> bool:
    """Equal up to spacing, case and a leading 'The' ('The Westmoor Standard' is 'Westmoor Standard')."""
    a, b = _norm(a), _norm(b)
    return a.removeprefix("the ") == b.removeprefix("the ")


def labels() -> dict[str, dict]:
    return json.loads((PAGES / "labels.json").read_text(encoding="utf-8"))["pages"]


def indexed(text: str) -> str:
    """The text answers can quote: the paragraphs that survive cleaning."""
    return "\n".join(text[p.start : p.end] for p in clean(text))


def score_page(text: str, meta: Metadata, label: dict) -> dict:
    kept = _norm(indexed(text))
    body = [b for b in label["body"]]
    chrome = label["chrome"]
    found = sum(1 for b in body if _norm(b) in kept)
    leaked = [c for c in chrome if _norm(c) in kept]
    fields = {
        f: _same_field(getattr(meta, f), label.get(f, ""))
        for f in FIELDS
        if f != "language" or label.get(f)
    }
    return {
        "body_kept": found / len(body) if body else 1.0,
        "chrome_dropped": 1 - len(leaked) / len(chrome) if chrome else 1.0,
        "fields": fields,
        "missed": [b for b in body if _norm(b) not in kept],
        "leaked": leaked,
    }


def extractors() -> dict[str, Callable[[str, str], tuple[str, Metadata]]]:
    from rag import html

    return {
        "rules (bs4, ours)": html.extract_by_rules,
        "newsrag (trafilatura + ours)": html.extract,
    }


def measure(split: str | None = None, verbose: bool = False) -> dict[str, dict]:
    pages = {n: lab for n, lab in labels().items() if split in (None, lab["split"])}
    out = {}
    for name, fn in extractors().items():
        rows, seconds = [], 0.0
        for page, lab in sorted(pages.items()):
            raw = (PAGES / page).read_text(encoding="utf-8")
            t0 = time.perf_counter()
            text, meta = fn(raw, "")
            seconds += time.perf_counter() - t0
            r = score_page(text, meta, lab)
            rows.append(r)
            if verbose:
                wrong = [f"{f}={getattr(meta, f)!r}" for f, ok in r["fields"].items() if not ok]
                print(
                    f"  [{name}] {page}: body {r['body_kept']:.2f} chrome {r['chrome_dropped']:.2f} {' '.join(wrong)}"
                )
                for m in r["missed"]:
                    print(f"      missed: {m[:90]}")
                for c in r["leaked"]:
                    print(f"      leaked: {c[:90]}")
        n = len(rows)
        summary = {
            "pages": n,
            "body_kept": sum(r["body_kept"] for r in rows) / n,
            "chrome_dropped": sum(r["chrome_dropped"] for r in rows) / n,
            "pages_per_s": n / seconds if seconds else 0.0,
        }
        for f in FIELDS:
            judged = [r["fields"][f] for r in rows if f in r["fields"]]
            summary[f] = sum(judged) / len(judged) if judged else 1.0
        out[name] = summary
    return out


def table(results: dict[str, dict]) -> str:
    cols = ["body_kept", "chrome_dropped", *FIELDS, "pages_per_s"]
    head = f"{'extractor':30}" + "".join(f"{c:>15}" for c in cols)
    lines = [head, "-" * len(head)]
    for name, s in results.items():
        lines.append(
            f"{name:30}"
            + "".join(f"{s[c]:>15.1f}" if c == "pages_per_s" else f"{s[c]:>15.2f}" for c in cols)
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m eval.extraction", description=__doc__.split("\n")[0]
    )
    ap.add_argument("--split", choices=["dev", "test"], action="append")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    for split in args.split or ["dev", "test"]:
        results = measure(split, args.verbose)
        n = next(iter(results.values()))["pages"]
        print(f"\n{split}: {n} pages")
        print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
