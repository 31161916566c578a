"""The news eval set: articles we wrote on topics unrelated to the bundled story, with questions.

Layout: ``eval/news/<topic>/`` holds the articles (``*.txt``, ``manifest.json``) and ``questions.jsonl``;
``eval/news/splits.json`` assigns every topic to train, dev or test. The test split is frozen: it is never
used to choose a rule, feature, weight or threshold.

``python -m eval.dataset check`` validates every question against its articles;
``python -m eval.dataset heads TOPIC`` prints the headlines and first paragraphs (what question writers
read before they write).
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

NEWS = Path(__file__).resolve().parent / "news"
SPLITS = NEWS / "splits.json"
TYPES = ["when", "who", "where", "how_many", "how_much", "which", "what", "why", "how", "other"]
TAGS = [
    "short",
    "long",
    "keyword",
    "paraphrase",
    "which_x",
    "two_part",
    "qualifier",
    "why_how",
    "near_miss",
    "conflict",
    "update",
]


@dataclass(frozen=True)
class Item:
    id: str
    topic: str
    question: str
    answerable: bool
    type: str
    tags: tuple[str, ...]
    facts: tuple[tuple[str, ...], ...]
    support: tuple[tuple[str, str], ...] = ()  # (source file, verbatim quote)
    note: str = ""
    extra: dict = field(default_factory=dict, compare=False)


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    for a, b in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-")):
        text = text.replace(a, b)
    return " ".join(text.split())


def splits() -> dict[str, list[str]]:
    raw = json.loads(SPLITS.read_text(encoding="utf-8"))
    return {k: v for k, v in raw.items() if not k.startswith("_")}


def topics(split: str) -> list[Path]:
    return [NEWS / t for t in splits()[split]]


def load_items(topic_dir: Path) -> list[Item]:
    path = topic_dir / "questions.jsonl"
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        out.append(
            Item(
                id=d["id"],
                topic=topic_dir.name,
                question=d["question"],
                answerable=bool(d["answerable"]),
                type=d.get("type", "other"),
                tags=tuple(d.get("tags", ())),
                facts=tuple(tuple(g) for g in d.get("facts", ())),
                support=tuple((s["source"], s["quote"]) for s in d.get("support", ())),
                note=d.get("note", ""),
                extra={k: v for k, v in d.items() if k not in Item.__dataclass_fields__},
            )
        )
    return out


def split_items(split: str) -> list[Item]:
    return [it for t in topics(split) for it in load_items(t)]


def problems(topic_dir: Path) -> list[str]:
    """What is wrong with a topic's questions: quotes not verbatim, facts not in the quotes, bad fields."""
    out: list[str] = []
    texts = {p.name: p.read_text(encoding="utf-8") for p in topic_dir.glob("*.txt")}
    seen: set[str] = set()
    for it in load_items(topic_dir):
        where = f"{topic_dir.name}/{it.id}"
        if it.id in seen:
            out.append(f"{where}: duplicate id")
        seen.add(it.id)
        if it.type not in TYPES:
            out.append(f"{where}: type {it.type!r} not in {TYPES}")
        for t in it.tags:
            if t not in TAGS:
                out.append(f"{where}: tag {t!r} not in {TAGS}")
        if not it.answerable:
            if it.facts or it.support:
                out.append(f"{where}: unanswerable with facts or support")
            if "near_miss" not in it.tags:
                out.append(f"{where}: unanswerable without the near_miss tag")
            continue
        if not it.facts or not it.support:
            out.append(f"{where}: answerable needs facts and support")
        quotes = []
        for source, quote in it.support:
            if source not in texts:
                out.append(f"{where}: no article {source}")
            elif quote not in texts[source]:
                out.append(f"{where}: quote not verbatim in {source}: {quote[:60]!r}")
            quotes.append(norm(quote))
        for group in it.facts:
            if not group or not any(norm(alt) in q for alt in group for q in quotes):
                out.append(f"{where}: fact {list(group)} in no support quote")
        if "two_part" in it.tags and len(it.facts) < 2:
            out.append(f"{where}: two_part needs a fact group per part")
    return out


def summary(items: list[Item]) -> str:
    n = len(items) or 1
    tags = Counter(t for it in items for t in it.tags)
    types = Counter(it.type for it in items)
    unans = sum(not it.answerable for it in items)
    return (
        f"{len(items)} questions, unanswerable {unans} ({unans / n:.0%}); "
        + "tags: "
        + ", ".join(f"{t} {tags[t]} ({tags[t] / n:.0%})" for t in TAGS)
        + "; types: "
        + ", ".join(f"{t} {c}" for t, c in types.most_common())
    )


def heads(topic_dir: Path) -> str:
    """Each article's first line and first paragraph: what a question writer sees first."""
    parts = []
    for p in sorted(topic_dir.glob("*.txt")):
        text = p.read_text(encoding="utf-8").strip()
        paras = [x.strip() for x in re.split(r"\n\s*\n|\n", text) if len(x.strip()) > 0]
        head = paras[0] if paras else ""
        first = next((x for x in paras[1:] if len(x) > 120), "")
        parts.append(f"== {p.name}\n{head}\n{first}\n")
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    if argv[:1] == ["heads"] and len(argv) == 2:
        print(heads(NEWS / argv[1]))
        return 0
    if argv[:1] == ["check"]:
        names = argv[1:] or [t for v in splits().values() for t in v]
        bad = 0
        for name in names:
            d = NEWS / name
            issues = problems(d)
            bad += len(issues)
            for line in issues:
                print(line)
            print(f"{name}: {summary(load_items(d))}")
        return 1 if bad else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
