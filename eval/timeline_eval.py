"""How well dates are resolved: ``python -m eval.timeline_eval [SPLIT ...]``.

The labels (``eval/timeline/<topic>.jsonl``, and ``bundled.jsonl`` for the bundled corpus) were made
by reading the articles: every date expression, the calendar date it denotes, its precision and
whether it is stated, counted from another date of the article, counted from the publication date,
unresolvable, or a publication line rather than an event. Topics split as the news eval set is
(``eval/news/splits.json``); test is never used to choose a rule.

Figures per split:
- resolved right: share of the resolvable labelled expressions given their labelled date (and so
  its precision);
- relative right: the same among relative ones (counted from another date or the publication date);
- wrongly dated: share of the events we give whose date is not the labelled one, or that the labels
  say is not a datable event (unresolvable, or a publication line);
- unlabelled: share of the events we give on words the labels do not list at all. Most are years in
  names ("the 2023 final"), which some of our labellers listed and others skipped, so they are
  reported, not counted as wrong.

``same_event_pairs.jsonl``: 808 pairs of dated sentences from two articles of one train or dev topic
with close dates, labelled by reading as telling the same event or not (all pairs sharing 30 % of
their words or more, and a sample of the rest). ``grouping(split)`` scores the rule that merges
them into one timeline entry.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from eval.dataset import splits, topics
from rag.ingest import prepare
from rag.loaders import load_file, load_manifest
from rag.settings import Settings
from rag.timeline import Dated, content_words, extract, same_event

ROOT = Path(__file__).resolve().parent
LABELS = ROOT / "timeline"
CORPUS = ROOT.parent / "corpus"
RESOLVABLE = ("absolute", "relative", "publication")


@dataclass
class Label:
    source: str
    start: int  # the expression, in the document's text
    end: int
    date: str | None
    kind: str


def folders(split: str) -> list[tuple[str, Path]]:
    """The topics of a split: the news topics (``eval/news/splits.json``) and the ones written for the
    timeline alone (``eval/timeline/splits.json``, articles in ``eval/timeline/articles/<topic>/``)."""
    if split == "bundled":
        return [("bundled", CORPUS)]
    own = json.loads((LABELS / "splits.json").read_text(encoding="utf-8")).get(split, [])
    written = [(name, LABELS / "articles" / name) for name in own]
    # ('unseen': topics written for the timeline and not yet scored; no news topic is one)
    news = topics(split) if split in splits() else []
    return [(t.name, t) for t in news] + [(n, f) for n, f in written if f.is_dir()]


def documents(folder: Path) -> dict[str, object]:
    manifest = load_manifest(folder)
    docs = {}
    for path in sorted(folder.glob("*.txt")):
        for rec in load_file(path, manifest):
            docs[rec.source], _ = prepare(rec, Settings())
    return docs


def placed_labels(name: str, docs: dict) -> tuple[list[Label], list[str]]:
    """The labels placed in their documents; the ones whose sentence or words are not found there."""
    path = LABELS / f"{name}.jsonl"
    out, lost = [], []
    if not path.is_file():
        return out, lost
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        doc = docs.get(d["source"])
        at = doc.text.find(d["sentence"]) if doc else -1
        inner = d["sentence"].find(d["expression"]) if at >= 0 else -1
        if inner < 0:
            lost.append(f"{d['source']}: {d['expression']!r} in {d['sentence'][:60]!r}")
            continue
        a = at + inner
        out.append(Label(d["source"], a, a + len(d["expression"]), d.get("date"), d["kind"]))
    return out, lost


def score(split: str, verbose: bool = False) -> dict:
    resolvable = right = relative = relative_right = given = wrong = unlabelled = 0
    lost_all: list[str] = []
    misses: list[str] = []
    for name, folder in folders(split):
        docs = documents(folder)
        labels, lost = placed_labels(name, docs)
        lost_all += lost
        if not labels:
            continue
        by_source: dict[str, list[Label]] = {}
        for lab in labels:
            by_source.setdefault(lab.source, []).append(lab)
        for source, labs in by_source.items():
            doc = docs[source]
            events: list[Dated] = extract(doc)
            for lab in labs:
                if lab.kind not in RESOLVABLE:
                    continue
                hit = [e for e in events if e.expr_start < lab.end and lab.start < e.expr_end]
                ok = any(e.date == lab.date for e in hit)
                resolvable += 1
                right += ok
                if lab.kind != "absolute":
                    relative += 1
                    relative_right += ok
                if not ok and verbose:
                    got = ", ".join(f"{e.date} ({e.how})" for e in hit) or "nothing"
                    words = doc.text[lab.start : lab.end]
                    misses.append(f"MISS {source}: {words!r} = {lab.date} ({lab.kind}); got {got}")
            for e in events:
                given += 1
                hit = [lab for lab in labs if e.expr_start < lab.end and lab.start < e.expr_end]
                if not hit:
                    unlabelled += 1
                    continue
                if not any(lab.kind in RESOLVABLE and lab.date == e.date for lab in hit):
                    wrong += 1
                    if verbose:
                        want = ", ".join(f"{lab.date} ({lab.kind})" for lab in hit) or "no label"
                        words = doc.text[e.expr_start : e.expr_end]
                        misses.append(
                            f"WRONG {source}: {words!r} -> {e.date} ({e.how}); labelled {want}"
                        )
    if verbose:
        print("\n".join(misses + [f"LOST {x}" for x in lost_all]))
    return {
        "resolved_right": right / (resolvable or 1),
        "relative_right": relative_right / (relative or 1),
        "wrongly_dated": wrong / (given or 1),
        "unlabelled": unlabelled / (given or 1),
        "labelled": resolvable,
        "relative_labelled": relative,
        "events": given,
        "labels_not_found": len(lost_all),
    }


def grouping(split: str) -> dict:
    """Precision and recall of ``same_event`` on the labelled pairs of a split."""
    tp = fp = fn = 0
    for line in (LABELS / "same_event_pairs.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        if d["split"] != split:
            continue
        said = same_event(content_words(d["a"]), content_words(d["b"]))
        tp += said and d["same"]
        fp += said and not d["same"]
        fn += d["same"] and not said
    return {
        "same_event_precision": tp / ((tp + fp) or 1),
        "same_event_recall": tp / ((tp + fn) or 1),
    }


def speed(repeat: int = 3) -> None:
    """Words a second of ``extract`` on every eval article, and on one page of 100,000 characters
    with no full stop (best of ``repeat`` runs each)."""
    docs = [
        d
        for split in ("bundled", "train", "dev", "test")
        for _, folder in folders(split)
        for d in documents(folder).values()
    ]
    unit = "the council met on 3 March 2025 and crews restored power by Friday, two days later, "
    docs_long = list(_documents_of("Minutes: " + unit * 1200 + "end."))
    for name, batch in (("eval articles", docs), ("one 100,000-character run-on page", docs_long)):
        n = sum(len(d.text.split()) for d in batch)
        best = min(_timed(batch) for _ in range(repeat))
        print(f"{name}: {len(batch)} documents, {n:,} words, {best:.2f} s, {n / best:,.0f} words/s")


def _documents_of(text: str):
    from rag.loaders import Record
    from rag.types import Metadata

    record = Record(
        "run-on.txt", "run-on.txt", "run-on.txt", text, Metadata(published="2025-03-14")
    )
    return prepare(record, Settings())[:1]


def _timed(docs) -> float:
    import time

    from rag import timeline

    timeline._scheduled.cache_clear()  # each run parses its sentences anew (the parser stays loaded)
    timeline._parsed.cache_clear()
    t = time.perf_counter()
    for d in docs:
        extract(d)
    return time.perf_counter() - t


if __name__ == "__main__":
    if "--speed" in sys.argv:
        speed()
        sys.exit()
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    for split in args or ["train", "dev"]:
        got = score(split, verbose="-v" in sys.argv)
        if split in ("train", "dev"):
            got |= grouping(split)
        print(
            split,
            ", ".join(
                f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in got.items()
            ),
        )
